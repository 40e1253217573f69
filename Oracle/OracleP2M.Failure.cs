using P2M.Contract;

namespace P2M.Oracle;

/// <summary>
/// Replaying an allocation failure the engine reported (docs/SEMANTICS.md, "Chunks"; shared
/// SEMANTICS.md, "Failure"): the operation stops at a chunk boundary and the failed chunk changes
/// nothing observable, so the outcome is the operation applied to the prefix of completed chunks.
/// </summary>
public sealed partial class OracleP2M
{
    /// <inheritdoc/>
    /// <remarks>
    /// Where the semantics say no allocation can fail, the oracle does not take the failure and answers
    /// as <see cref="Apply"/> does, so an engine claiming <c>ENOMEM</c> there diverges: an invalid
    /// operation (<c>EINVAL</c>), an operation that never allocates (lookup, translate, grant-setup,
    /// fail-allocs, directmap, teardown), a range operation with no chunk at all (<c>nr = 0</c>, an empty
    /// identity range), a <c>retype</c> with <c>from = to</c> (changes nothing), an <c>unmap</c> whose
    /// failed chunk maps nothing ("removing what is not mapped allocates nothing"), and a <c>grant-map</c>
    /// of a frame that already has a GFN (<c>EBUSY</c>, nothing changed).
    /// </remarks>
    public OpResult ApplyFailedAt(in Op op, ulong done)
    {
        if (!IsValid(op))
            return OpResult.Of(ResultCode.Einval);

        switch (op.Kind)
        {
            case OpKind.Map:
            case OpKind.Unmap:
            case OpKind.Retype:
            case OpKind.Identity:
                return ApplyRangeFailedAt(op, done);
            case OpKind.Foreign:
                // Single-frame, all or nothing: nothing happened.
                return OpResult.Of(ResultCode.Enomem);
            case OpKind.GrantMap:
                return _grantGfns[(int)op.Frame].IsValid ? Apply(op) : OpResult.Of(ResultCode.Enomem);
            default:
                return Apply(op);
        }
    }

    private OpResult ApplyRangeFailedAt(in Op op, ulong done)
    {
        // Identity names its range by [start, end); the others by gfn and nr. Only map aligns on the MFN.
        ulong gfn = op.Kind == OpKind.Identity ? op.Start.Value : op.Gfn.Value;
        ulong nr = op.Kind == OpKind.Identity ? op.End.Value - op.Start.Value : op.Nr;
        ulong mfn = op.Kind == OpKind.Map ? op.Mfn.Value : 0;

        if (nr == 0 || (op.Kind == OpKind.Retype && op.From == op.To))
            return Apply(op);

        Chunk failed = ChunkRule.For(op.Kind, Geometry).FailedChunk(gfn, mfn, nr, done);
        if (op.Kind == OpKind.Unmap && !MapsAny(GfnRange.Of(gfn + failed.Offset, failed.Frames)))
            return Apply(op);

        // The completed prefix is the operation over failed.Offset frames: its chunks are exactly the
        // original's chunks before the failed one (each had room for its size within the prefix, and a
        // larger one would have fitted the original too), and the split rule sees the prefix as R.
        ulong prefix = failed.Offset;
        switch (op.Kind)
        {
            case OpKind.Map:
                MapFrames(gfn, mfn, prefix, op.Type);
                break;
            case OpKind.Unmap:
                UnmapFrames(gfn, prefix);
                break;
            case OpKind.Retype:
                RetypeFrames(gfn, prefix, op.From, op.To);
                break;
            case OpKind.Identity:
                MapIdentity(gfn, gfn + prefix);
                break;
        }
        return OpResult.Of(ResultCode.Enomem, prefix);
    }

    private bool MapsAny(GfnRange range)
    {
        for (ulong g = range.Start; g < range.End; g++)
        {
            if (_frames.ContainsKey(g))
                return true;
        }
        return false;
    }
}
