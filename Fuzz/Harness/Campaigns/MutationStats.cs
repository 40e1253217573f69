namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Per mutator: how many executed inputs it had a part in (tries), how many of those joined the corpus (new
/// inputs) and how many failed (findings: failing executions, before deduplication). Counted into arrays
/// indexed by <see cref="Mutator"/>, so counting an execution allocates nothing.
/// </summary>
public sealed class MutationStats
{
    private readonly long[] _tries = new long[MutatorNames.Count];
    private readonly long[] _newInputs = new long[MutatorNames.Count];
    private readonly long[] _findings = new long[MutatorNames.Count];

    /// <summary>Counts one execution of an input made by <paramref name="sequence"/>: each use of a mutator is a try.</summary>
    public void Count(ReadOnlySpan<Mutator> sequence, bool added, bool failed)
    {
        foreach (Mutator mutator in sequence)
        {
            int i = (int)mutator;
            _tries[i]++;
            if (added) _newInputs[i]++;
            if (failed) _findings[i]++;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts (a finished worker's, another worker's).</summary>
    public void Add(MutationStats other)
    {
        for (int i = 0; i < MutatorNames.Count; i++)
        {
            _tries[i] += other._tries[i];
            _newInputs[i] += other._newInputs[i];
            _findings[i] += other._findings[i];
        }
    }

    /// <summary>Adds the counts of <paramref name="stats"/> (as read back from a worker or a stats file); unknown names are ignored.</summary>
    public void Add(IEnumerable<MutatorStat> stats)
    {
        foreach (MutatorStat stat in stats)
        {
            if (!MutatorNames.TryParse(stat.Name, out Mutator mutator)) continue;
            _tries[(int)mutator] += stat.Tries;
            _newInputs[(int)mutator] += stat.NewInputs;
            _findings[(int)mutator] += stat.Findings;
        }
    }

    /// <summary>Sets every count back to 0.</summary>
    public void Clear()
    {
        Array.Clear(_tries);
        Array.Clear(_newInputs);
        Array.Clear(_findings);
    }

    /// <summary>The counts, one row per mutator in <see cref="Mutator"/> order (a copy).</summary>
    public IReadOnlyList<MutatorStat> Snapshot()
    {
        var rows = new MutatorStat[MutatorNames.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new MutatorStat(MutatorNames.Of((Mutator)i), _tries[i], _newInputs[i], _findings[i]);
        return rows;
    }
}

/// <summary>One mutator's counts in a snapshot (see <see cref="MutationStats"/>).</summary>
/// <param name="Name">The mutator's name, as <see cref="MutatorNames.Of"/> gives it.</param>
/// <param name="Tries">Executed inputs it had a part in, once per use.</param>
/// <param name="NewInputs">Of those, inputs that reached a new feature and joined the corpus.</param>
/// <param name="Findings">Of those, inputs that failed (every failing execution, before deduplication).</param>
public sealed record MutatorStat(string Name, long Tries, long NewInputs, long Findings);
