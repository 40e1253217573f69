using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Turns a side's runs, as <see cref="IP2M.VisitMappedRuns"/> hands them over, into canonical maximal runs:
/// adjacent runs whose frames continue the same MFN sequence with the same type, order and identity flag are
/// merged, and empty runs are skipped. Two implementations may cut their runs differently; after this, equal
/// states give equal run sequences. A struct kept in its visitor: merging allocates nothing.
/// </summary>
internal struct CanonicalRuns
{
    private MappedRun _pending;

    /// <summary>Takes the next raw run; true, with <paramref name="done"/>, when it ends the maximal run before it.</summary>
    public bool Add(in MappedRun raw, out MappedRun done)
    {
        done = default;
        if (raw.Count == 0) return false;
        if (_pending.Count > 0 && Continues(_pending, raw))
        {
            _pending = _pending with { Count = _pending.Count + raw.Count };
            return false;
        }
        done = _pending;
        _pending = raw;
        return done.Count > 0;
    }

    /// <summary>After the last raw run: the maximal run still open, if any.</summary>
    public bool Finish(out MappedRun done)
    {
        done = _pending;
        _pending = default;
        return done.Count > 0;
    }

    private static bool Continues(in MappedRun run, in MappedRun next) =>
        next.Gfn.Value == run.Gfn.Value + run.Count &&
        next.Mfn.Value == run.Mfn.Value + run.Count &&
        next.Type == run.Type && next.Order == run.Order && next.Identity == run.Identity;
}
