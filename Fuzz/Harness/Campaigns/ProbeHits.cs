using P2M.Coverage;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// How often each counter of the engine's probe map (<see cref="CoverageMap"/>) was hit over a campaign: the
/// sum over executions of each execution's saturating 8-bit count (so one input adds at most 255). Only the
/// counters an execution hit are visited, so adding one costs a scan of the map and nothing is allocated.
/// </summary>
public sealed class ProbeHits
{
    private readonly long[] _hits = new long[CoverageMap.Size];

    /// <summary>Adds one execution's counters.</summary>
    public void Add(CoverageMap map)
    {
        ReadOnlySpan<byte> counters = map.Counters;
        for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0;)
        {
            _hits[i] += counters[i];
            int next = counters[(i + 1)..].IndexOfAnyExcept((byte)0);
            i = next < 0 ? -1 : i + 1 + next;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s hits.</summary>
    public void Add(ProbeHits other)
    {
        for (int i = 0; i < _hits.Length; i++) _hits[i] += other._hits[i];
    }

    /// <summary>Adds hits by counter index (as read back from a worker or a stats file); indices out of the map are ignored.</summary>
    public void Add(IReadOnlyDictionary<int, long> hits)
    {
        foreach ((int counter, long count) in hits)
            if ((uint)counter < (uint)_hits.Length) _hits[counter] += count;
    }

    /// <summary>Sets every count back to 0.</summary>
    public void Clear() => Array.Clear(_hits);

    /// <summary>The counters hit at least once, by index (a copy).</summary>
    public IReadOnlyDictionary<int, long> Snapshot()
    {
        var hit = new SortedDictionary<int, long>();
        for (int i = 0; i < _hits.Length; i++)
            if (_hits[i] != 0) hit[i] = _hits[i];
        return hit;
    }
}
