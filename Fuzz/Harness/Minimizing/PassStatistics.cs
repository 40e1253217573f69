using System.Globalization;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// What each reduction pass of one minimisation did: candidates it ran (tries), candidates kept (successes:
/// smaller and still failing the same way), and operations those removed. The minimiser's counterpart of the
/// campaign's per-mutator statistics: it shows which passes pay.
/// </summary>
internal sealed class PassStatistics
{
    private readonly int[] _tries;
    private readonly int[] _successes;
    private readonly int[] _opsRemoved;

    /// <summary>Counters for <paramref name="passes"/> passes, by index in the round.</summary>
    public PassStatistics(int passes)
    {
        _tries = new int[passes];
        _successes = new int[passes];
        _opsRemoved = new int[passes];
    }

    /// <summary>The pass now proposing candidates; -1 outside every pass (the original's first run).</summary>
    public int Current { get; set; } = -1;

    /// <summary>A candidate of the current pass was run.</summary>
    public void Tried()
    {
        if (Current >= 0) _tries[Current]++;
    }

    /// <summary>A candidate of the current pass was kept, with <paramref name="opsRemoved"/> fewer operations.</summary>
    public void Kept(int opsRemoved)
    {
        if (Current < 0) return;
        _successes[Current]++;
        _opsRemoved[Current] += opsRemoved;
    }

    /// <summary>One row per pass, in round order, named by <paramref name="names"/>.</summary>
    public IReadOnlyList<PassStat> Snapshot(IReadOnlyList<string> names) =>
        [.. names.Select((name, i) => new PassStat(name, _tries[i], _successes[i], _opsRemoved[i]))];
}

/// <summary>One reduction pass's totals over a minimisation (see <see cref="MinimizeResult.Passes"/>).</summary>
/// <param name="Name">The pass, as <see cref="Minimizer.PassNames"/> names it.</param>
/// <param name="Tries">Candidates it ran.</param>
/// <param name="Successes">Candidates kept: strictly smaller and failing with the same signature.</param>
/// <param name="OpsRemoved">Operations the kept candidates removed.</param>
public sealed record PassStat(string Name, int Tries, int Successes, int OpsRemoved)
{
    /// <summary>The short form, e.g. <c>remove-chunks 14/3 -20 ops</c> (tries/successes, operations removed).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Tries}/{Successes} -{OpsRemoved} ops");
}
