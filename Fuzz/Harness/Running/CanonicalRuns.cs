using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Reads a side's <see cref="IP2M.MappedRuns"/> as canonical maximal runs: adjacent runs
/// whose frames continue the same MFN sequence with the same type, order and identity flag are merged,
/// and empty runs are skipped. Two implementations may cut their runs differently; after this, equal
/// states give equal run sequences. A struct, so that comparing two sides that allocate nothing
/// allocates nothing either; keep it in a mutable local and pass it by reference.
/// </summary>
internal struct CanonicalRuns : IDisposable
{
    private readonly Side _side;
    private readonly IEnumerator<MappedRun> _raw;
    private MappedRun _pending;
    private bool _hasPending;

    /// <summary>The canonical runs of <paramref name="side"/>, read through it (so what it throws names it).</summary>
    public CanonicalRuns(Side side)
    {
        _side = side;
        _raw = side.MappedRuns();
        _hasPending = ReadRaw(out _pending);
    }

    /// <summary>The next maximal run; false at the end.</summary>
    public bool TryNext(out MappedRun run)
    {
        if (!_hasPending)
        {
            run = default;
            return false;
        }
        run = _pending;
        while ((_hasPending = ReadRaw(out _pending)) && Continues(run, _pending))
            run = run with { Count = run.Count + _pending.Count };
        return true;
    }

    /// <inheritdoc/>
    public readonly void Dispose() => _side.Dispose(_raw);

    private bool ReadRaw(out MappedRun run)
    {
        while (_side.MoveNext(_raw, out run))
        {
            if (run.Count > 0)
                return true;
        }
        run = default;
        return false;
    }

    private static bool Continues(in MappedRun run, in MappedRun next) =>
        next.Gfn.Value == run.Gfn.Value + run.Count &&
        next.Mfn.Value == run.Mfn.Value + run.Count &&
        next.Type == run.Type && next.Order == run.Order && next.Identity == run.Identity;
}
