using P2M.Contract;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// The frames one operation asks an implementation to touch, as <see cref="InputLimits.MaxFrames"/>
/// counts them: the <c>nr</c> of <c>map</c>, <c>unmap</c> and <c>retype</c>, and <c>end - start</c> of
/// <c>identity</c>, each only when it is at most <see cref="Geometry.MaxRangeFrames"/> (a larger range is
/// <c>EINVAL</c> and does no work). Every other operation touches a frame or two and counts 0.
/// </summary>
public static class InputFrames
{
    /// <summary>The frames <paramref name="op"/> asks for in <paramref name="geometry"/>.</summary>
    public static ulong Of(in Op op, Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ulong frames = op.Kind switch
        {
            OpKind.Map or OpKind.Unmap or OpKind.Retype => op.Nr,
            OpKind.Identity when op.End.Value >= op.Start.Value => op.End.Value - op.Start.Value,
            _ => 0,
        };
        return frames <= geometry.MaxRangeFrames ? frames : 0;
    }
}
