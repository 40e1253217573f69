using P2M.Contract;

namespace P2M.Oracle;

/// <summary>Argument checks: docs/SEMANTICS.md, "Argument checks (all EINVAL, nothing changed, done=0)".</summary>
public sealed partial class OracleP2M
{
    /// <summary>
    /// True when every argument of <paramref name="op"/> is acceptable. Every rejection is the same
    /// result, <c>EINVAL</c> with <c>done=0</c> and the unmapped frame, so a bool is all it takes.
    /// </summary>
    private bool IsValid(in Op op)
    {
        Geometry geometry = Geometry;
        switch (op.Kind)
        {
            case OpKind.Map:
                return RangeFitsGfnSpace(op.Gfn.Value, op.Nr)
                    && geometry.Contains(op.Mfn)
                    && Fits(op.Mfn.Value, op.Nr, geometry.MfnLimit)
                    && P2MTypes.IsRequestable(op.Type)
                    && !MeetsGrantFrames(op.Mfn.Value, op.Nr);
            case OpKind.Unmap:
                return RangeFitsGfnSpace(op.Gfn.Value, op.Nr);
            case OpKind.Retype:
                return RangeFitsGfnSpace(op.Gfn.Value, op.Nr)
                    && P2MTypes.IsRequestable(op.From)
                    && P2MTypes.IsRequestable(op.To);
            case OpKind.Identity:
                return geometry.Contains(op.Start)
                    && op.Start.Value <= op.End.Value
                    && op.End.Value <= geometry.GfnLimit
                    && op.End.Value - op.Start.Value <= geometry.MaxRangeFrames;
            case OpKind.Foreign:
                // Op.Foreign always carries a foreign type; the check keeps a hand-made op from
                // creating a foreign entry of another type.
                return P2MTypes.IsForeign(op.Type)
                    && geometry.Contains(op.Gfn)
                    && geometry.Contains(op.Mfn)
                    && !MeetsGrantFrames(op.Mfn.Value, 1);
            case OpKind.GrantSetup:
                return op.Frames <= (ulong)geometry.MaxGrantFrames;
            case OpKind.GrantMap:
                // EBUSY is decided later, by the operation itself.
                return op.Frame < (ulong)_grantGfns.Count && geometry.Contains(op.Gfn);
            case OpKind.Lookup:
            case OpKind.Translate:
                return geometry.Contains(op.Gfn);
            case OpKind.FailAllocs:
            case OpKind.DirectMap:
            case OpKind.Teardown:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A range operation's count and GFNs: at most <see cref="Geometry.MaxRangeFrames"/> frames (for
    /// every range operation, not only <c>map</c>), the first GFN inside the space even for an
    /// empty range ("a GFN outside its space is EINVAL"), and <c>gfn + nr</c> not above it.
    /// </summary>
    private bool RangeFitsGfnSpace(ulong gfn, ulong nr) =>
        nr <= Geometry.MaxRangeFrames && Geometry.Contains(new Gfn(gfn)) && Fits(gfn, nr, Geometry.GfnLimit);

    /// <summary><c>first + count &lt;= limit</c>, without the overflow a huge <paramref name="first"/> would cause.</summary>
    private static bool Fits(ulong first, ulong count, ulong limit) => first <= limit && count <= limit - first;

    /// <summary>
    /// True when <c>[mfn, mfn + count)</c> meets the MFN of a grant frame that exists,
    /// <c>[GrantBase, GrantBase + GrantFrames)</c>. MFNs of the reserved window that no
    /// <c>grant-setup</c> has created yet are ordinary MFNs; an empty range meets nothing.
    /// </summary>
    private bool MeetsGrantFrames(ulong mfn, ulong count)
    {
        ulong grantStart = Geometry.GrantBase.Value;
        ulong grantEnd = grantStart + (ulong)_grantGfns.Count;
        // Both intervals must be non-empty to meet: with no grant frame created nothing is reserved.
        return count > 0 && grantEnd > grantStart && mfn < grantEnd && grantStart < mfn + count;
    }
}
