using P2M.Contract;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// The frames one operation asks an implementation to work on, counted as <see cref="InputLimits"/> says:
/// the <c>nr</c> of <c>map</c>, <c>unmap</c> and <c>retype</c>, and <c>end - start</c> of <c>identity</c>,
/// each only when it is at most the geometry's largest range. A larger count (and a backwards identity,
/// whose length wraps past it) is <c>EINVAL</c> and does no work, so it costs nothing. Every other kind
/// names at most one frame and counts 0. One definition for every budget that counts frames: an input's
/// limit, the codec's frame budget, and the work the runner's checks are kept in proportion to.
/// </summary>
public static class OpFrames
{
    /// <summary>The frames <paramref name="op"/> names in <paramref name="geometry"/>, 0 when it is <c>EINVAL</c>-sized.</summary>
    public static ulong Of(in Op op, Geometry geometry)
    {
        ulong frames = op.Kind switch
        {
            OpKind.Map or OpKind.Unmap or OpKind.Retype => op.Nr,
            OpKind.Identity => unchecked(op.End.Value - op.Start.Value),
            _ => 0,
        };
        return frames <= geometry.MaxRangeFrames ? frames : 0;
    }
}
