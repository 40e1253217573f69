using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// The frames an operation touches in one frame space, as an inclusive <c>(First, Last)</c> pair, for
/// <see cref="FrameCompaction"/>. Only values a renumbering may move count: a frame outside the space
/// (or, for MFNs, at or above the grant window) is <c>EINVAL</c> or special and stays put; a count the
/// operation would refuse (too many frames, past the end of the space) contributes just its first frame.
/// </summary>
internal static class FrameExtents
{
    /// <summary>The guest frames <paramref name="op"/> touches, or null when its GFN must not move.</summary>
    public static (ulong First, ulong Last)? Gfns(in Op op, Geometry geometry)
    {
        ulong limit = geometry.GfnLimit, most = geometry.MaxRangeFrames;
        return op.Kind switch
        {
            OpKind.Map or OpKind.Unmap or OpKind.Retype => Extent(op.Gfn.Value, op.Nr, limit, most),
            OpKind.Identity => Extent(op.Start.Value, op.End.Value >= op.Start.Value ? op.End.Value - op.Start.Value : 1, limit, most),
            OpKind.Foreign or OpKind.GrantMap or OpKind.Lookup or OpKind.Translate => Extent(op.Gfn.Value, 1, limit, most),
            _ => null,
        };
    }

    /// <summary>The machine frames <paramref name="op"/> names, or null when it names none that may move.</summary>
    public static (ulong First, ulong Last)? Mfns(in Op op, Geometry geometry)
    {
        ulong limit = geometry.GrantBase.Value, most = geometry.MaxRangeFrames;
        return op.Kind switch
        {
            OpKind.Map => Extent(op.Mfn.Value, op.Nr, limit, most),
            OpKind.Foreign => Extent(op.Mfn.Value, 1, limit, most),
            _ => null,
        };
    }

    private static (ulong First, ulong Last)? Extent(ulong first, ulong count, ulong limit, ulong most)
    {
        if (first >= limit)
            return null;
        bool whole = count > 0 && count <= most && count <= limit - first;
        return (first, whole ? first + count - 1 : first);
    }
}
