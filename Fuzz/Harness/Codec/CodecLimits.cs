using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// What one decoded input may cost: how many operations it holds and how many frames a range
/// operation may name. <see cref="OpCodec"/> folds every value into these bounds, so however the
/// bytes are mutated, one fuzz execution does bounded work. The limits are part of the format:
/// the same bytes decoded under other limits may read differently.
/// </summary>
public sealed record CodecLimits
{
    /// <summary>Operations in an input when nothing else is said.</summary>
    public const int DefaultMaxOps = 128;

    /// <summary>Largest <c>fail-allocs n</c> when nothing else is said: enough to fail a whole split chain.</summary>
    public const int DefaultMaxFailAllocs = 7;

    /// <summary>
    /// Frames per range operation when nothing else is said, before the "+ 1": the whole range in
    /// <c>mini</c> (256), eight leaf tables' worth in <c>real</c> (4096), since the oracle does work
    /// per frame and a whole <c>real</c> range is a million frames.
    /// </summary>
    public const ulong DefaultFrameBudget = 4096;

    /// <summary>Largest <see cref="MaxFramesPerOp"/>: its codes, with the two over-maximum edges, must fit the 16-bit count field.</summary>
    public const ulong LargestMaxFramesPerOp = ushort.MaxValue - 2;

    /// <summary>Largest <see cref="MaxFailAllocs"/>: the <c>fail-allocs</c> field is one byte.</summary>
    public const int LargestMaxFailAllocs = byte.MaxValue;

    private static readonly CodecLimits MiniDefaults = Defaults(Geometry.Mini);
    private static readonly CodecLimits RealDefaults = Defaults(Geometry.Real);

    /// <summary>Limits with the given bounds; each is checked as it is set (here and in <c>with</c>).</summary>
    /// <param name="maxOps">Most operations decoded from one input; later bytes are ignored.</param>
    /// <param name="maxFramesPerOp">Most frames a decoded <c>map</c>, <c>unmap</c>, <c>retype</c> or <c>identity</c> names (see <see cref="MaxFramesPerOp"/>).</param>
    /// <param name="maxFailAllocs">Largest decoded <c>fail-allocs n</c>.</param>
    public CodecLimits(int maxOps, ulong maxFramesPerOp, int maxFailAllocs)
    {
        MaxOps = maxOps;
        MaxFramesPerOp = maxFramesPerOp;
        MaxFailAllocs = maxFailAllocs;
    }

    /// <summary>Most operations decoded from one input (0 or more); bytes after that many records are ignored.</summary>
    public int MaxOps
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxOps), value, "must be 0 or more");
    }

    /// <summary>
    /// Most frames a decoded range operation names (0 to <see cref="LargestMaxFramesPerOp"/>). The only
    /// counts above it are the two over-maximum edges, <c>MaxRangeFrames + 1</c> and 2^64 - 1 (for
    /// <c>identity</c>, <c>end = start - 1</c>), which every implementation rejects with <c>EINVAL</c>
    /// before doing any work.
    /// </summary>
    public ulong MaxFramesPerOp
    {
        get;
        init => field = value <= LargestMaxFramesPerOp
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFramesPerOp), value, $"must be at most {LargestMaxFramesPerOp}");
    }

    /// <summary>Largest decoded <c>fail-allocs n</c> (0 to <see cref="LargestMaxFailAllocs"/>).</summary>
    public int MaxFailAllocs
    {
        get;
        init => field = value is >= 0 and <= LargestMaxFailAllocs
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFailAllocs), value, $"must be 0 to {LargestMaxFailAllocs}");
    }

    /// <summary>
    /// The defaults for <paramref name="geometry"/>: <see cref="DefaultMaxOps"/> operations,
    /// <c>min(MaxRangeFrames, 4096) + 1</c> frames per operation (<c>mini</c> 257: the whole range
    /// and one past it; <c>real</c> 4097), <see cref="DefaultMaxFailAllocs"/> failed allocations.
    /// </summary>
    public static CodecLimits For(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        // Cached: decode asks for these once per fuzz execution and records are immutable.
        if (geometry == Geometry.Mini) return MiniDefaults;
        if (geometry == Geometry.Real) return RealDefaults;
        return Defaults(geometry);
    }

    private static CodecLimits Defaults(Geometry geometry) =>
        new(DefaultMaxOps, Math.Min(geometry.MaxRangeFrames, DefaultFrameBudget) + 1, DefaultMaxFailAllocs);
}
