using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// The fold of every argument field for one geometry under one set of limits: what decides how wide
/// each field is and which values it can stand for. Types have one fold for all (<see cref="TypeFold"/>).
/// </summary>
internal readonly struct FieldFolds
{
    public FieldFolds(Geometry geometry, CodecLimits limits)
    {
        Gfn = new FrameNumberFold(geometry.GfnBits);
        Mfn = new FrameNumberFold(geometry.MfnBits);
        Nr = RangeCountFold.For(geometry);
        // One past the geometry's maximum is the EINVAL case; nothing larger, since a wrong
        // implementation might allocate that many frames.
        GrantFrames = new CountFold((ulong)geometry.MaxGrantFrames + 1, width: 2);
        // Index MaxGrantFrames never exists; all ones catches an index cast to int.
        GrantFrame = new CountFold((ulong)geometry.MaxGrantFrames, width: 2, ulong.MaxValue);
        FailAllocs = new CountFold((ulong)limits.MaxFailAllocs, width: 1);
        Flag = new CountFold(1, width: 1);
        Pool = new PoolFold(geometry);
    }

    /// <summary>GFNs, and identity's start.</summary>
    public FrameNumberFold Gfn { get; }

    /// <summary>MFNs of map and foreign.</summary>
    public FrameNumberFold Mfn { get; }

    /// <summary>Frame counts of range operations; for identity, <c>end - start</c>. Small counts common, costly ones rare.</summary>
    public RangeCountFold Nr { get; }

    /// <summary>grant-setup's frames: 0 to the geometry's maximum + 1.</summary>
    public CountFold GrantFrames { get; }

    /// <summary>grant-map's frame index: 0 to the geometry's maximum, or all ones.</summary>
    public CountFold GrantFrame { get; }

    /// <summary>fail-allocs n: 0 to the limit.</summary>
    public CountFold FailAllocs { get; }

    /// <summary>directmap on, foreign ro: the low bit of a byte.</summary>
    public CountFold Flag { get; }

    /// <summary>The header's pool size: 4 to the geometry's default, small pools favoured.</summary>
    public PoolFold Pool { get; }
}
