using P2M.Contract;
using P2M.Coverage;

namespace P2M.Fuzz.Cli.Report;

/// <summary>
/// The engine's probes (<see cref="Probe"/>) as rows of a table: each family (an enum member and the
/// counters after it up to the next one), the hits of each of its counters, and whether any was reached.
/// The question a user asks after a long campaign: what has it not tried?
/// </summary>
public static class ProbeTable
{
    /// <summary>Counters a family may span when it is the last one (room for an operation kind).</summary>
    private const int LastFamilySpan = 16;

    /// <summary>Families whose offset is an operation kind (named so in the table); the others count a level or a site.</summary>
    private static readonly HashSet<Probe> ByOperation = [Probe.ChunkNothingToDo, Probe.ReservationFailed, Probe.Einval];

    /// <summary>One family: its name, its first counter, how many counters it spans, and the hits by offset (hit ones only).</summary>
    public sealed record Row(string Name, int First, int Span, IReadOnlyList<(string Offset, long Hits)> Hits)
    {
        /// <summary>Hits of every counter of the family.</summary>
        public long Total => Hits.Sum(h => h.Hits);

        /// <summary>True when no counter of the family was hit.</summary>
        public bool NeverReached => Total == 0;
    }

    /// <summary>Every probe family, in counter order, with the hits of <paramref name="hits"/>; counters outside every family follow, one row each.</summary>
    public static IReadOnlyList<Row> Rows(IReadOnlyDictionary<int, long> hits)
    {
        Probe[] families = [.. Enum.GetValues<Probe>().Distinct().OrderBy(p => (int)p)];
        var rows = new List<Row>();
        var covered = new HashSet<int>();
        for (int f = 0; f < families.Length; f++)
        {
            int first = (int)families[f];
            int span = f + 1 < families.Length ? (int)families[f + 1] - first : LastFamilySpan;
            var hit = new List<(string, long)>();
            for (int offset = 0; offset < span; offset++)
            {
                covered.Add(first + offset);
                if (hits.TryGetValue(first + offset, out long n) && n > 0)
                    hit.Add((OffsetName(families[f], offset, span), n));
            }
            rows.Add(new Row(families[f].ToString(), first, span, hit));
        }
        foreach ((int counter, long n) in hits.OrderBy(h => h.Key))
        {
            if (n > 0 && !covered.Contains(counter))
                rows.Add(new Row($"counter {counter}", counter, 1, [("+0", n)]));
        }
        return rows;
    }

    private static string OffsetName(Probe family, int offset, int span) =>
        span == 1 ? "" : ByOperation.Contains(family) && Enum.IsDefined((OpKind)offset) ? ((OpKind)offset).ToString() : $"+{offset}";
}
