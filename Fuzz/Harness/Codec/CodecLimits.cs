using P2M.Contract;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Codec;

/// <summary>
/// What one decoded input may cost: how many operations it holds and how many frames its range
/// operations name together. <see cref="OpCodec"/> stops decoding at either bound, so however the bytes
/// are mutated, one execution does bounded work. The bounds only cut the operation list short; every
/// record reads the same under any limits (except <c>fail-allocs</c>, folded into <see cref="MaxFailAllocs"/>),
/// so the same bytes under larger limits read as a longer prefix.
/// </summary>
/// <remarks>
/// Two sets are used: <see cref="Fuzz"/> for inputs a fuzzer makes, chosen so that one execution stays
/// cheap, and <see cref="Files"/> (the default) for inputs read from or written to files (corpus and crash
/// entries, <c>encode</c>, <c>show</c>, <c>minimize</c>), which follow <see cref="InputLimits"/> like scripts do,
/// so every committed script encodes. A stored input larger than the fuzzing budget is cut to it when a
/// campaign runs it (<c>InputBounds.Fit</c>).
/// </remarks>
public sealed record CodecLimits
{
    /// <summary>Operations in a fuzz input (<see cref="Fuzz"/>).</summary>
    public const int DefaultMaxOps = 128;

    /// <summary>Largest <c>fail-allocs n</c> when nothing else is said: enough to fail a whole split chain.</summary>
    public const int DefaultMaxFailAllocs = 7;

    /// <summary>
    /// Frames a fuzz input's range operations may name together (counted by <see cref="OpFrames"/>):
    /// two <c>real</c> 1G chunks (a map and its unmap, 2 x 2^18) and eight leaf tables (2^12). The oracle
    /// does work per frame, about 0.1 to 0.2 microseconds for both sides and the checks, so an execution
    /// at the budget takes 50 to 100 ms against half a millisecond for a typical one: the folds keep such
    /// counts rare. It is about the old worst case (128 operations of 4097 frames), so no execution costs
    /// more than one could before, yet a <c>real</c> input can now build a 1G leaf and take it down again.
    /// <c>mini</c> inputs never reach it: 128 whole <c>mini</c> ranges are 32,768 frames.
    /// </summary>
    public const ulong FuzzFrameBudget = (2UL << 18) + (1UL << 12);

    /// <summary>Largest <see cref="MaxFailAllocs"/>: the <c>fail-allocs</c> field is one byte.</summary>
    public const int LargestMaxFailAllocs = byte.MaxValue;

    /// <summary>Limits with the given bounds; each is checked as it is set (here and in <c>with</c>).</summary>
    /// <param name="maxOps">Most operations decoded from one input; later bytes are ignored.</param>
    /// <param name="maxFrames">Most frames the decoded range operations name together (see <see cref="MaxFrames"/>).</param>
    /// <param name="maxFailAllocs">Largest decoded <c>fail-allocs n</c>.</param>
    public CodecLimits(int maxOps, ulong maxFrames, int maxFailAllocs)
    {
        MaxOps = maxOps;
        MaxFrames = maxFrames;
        MaxFailAllocs = maxFailAllocs;
    }

    /// <summary>Inputs a fuzzer makes: <see cref="DefaultMaxOps"/> operations, <see cref="FuzzFrameBudget"/> frames.</summary>
    public static CodecLimits Fuzz { get; } = new(DefaultMaxOps, FuzzFrameBudget, DefaultMaxFailAllocs);

    /// <summary>Inputs in files, under the default <see cref="InputLimits"/>; what <see cref="OpCodec"/> uses when given no limits.</summary>
    public static CodecLimits Files { get; } = For(InputLimits.Default);

    /// <summary>Most operations decoded from one input (0 or more); bytes after that many records are ignored.</summary>
    public int MaxOps
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxOps), value, "must be 0 or more");
    }

    /// <summary>
    /// Most frames the decoded range operations name together, counted by <see cref="OpFrames"/> (an
    /// <c>EINVAL</c>-sized count costs nothing). Decoding stops before the record that would pass it.
    /// </summary>
    public ulong MaxFrames { get; init; }

    /// <summary>Largest decoded <c>fail-allocs n</c> (0 to <see cref="LargestMaxFailAllocs"/>).</summary>
    public int MaxFailAllocs
    {
        get;
        init => field = value is >= 0 and <= LargestMaxFailAllocs
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFailAllocs), value, $"must be 0 to {LargestMaxFailAllocs}");
    }

    /// <summary>
    /// Whether <paramref name="op"/> still fits after <paramref name="ops"/> operations that name
    /// <paramref name="frames"/> frames; if it does, both are counted on. Decoding, encoding and the
    /// campaign's fold all stop at the first operation that does not.
    /// </summary>
    internal bool TryAdd(in Op op, Geometry geometry, ref int ops, ref ulong frames)
    {
        ulong opFrames = OpFrames.Of(op, geometry);
        if (ops >= MaxOps || opFrames > MaxFrames - frames)
            return false;
        ops++;
        frames += opFrames;
        return true;
    }

    /// <summary>The limits of an input file: <paramref name="limits"/>' operations and frames, <see cref="DefaultMaxFailAllocs"/>.</summary>
    public static CodecLimits For(InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new CodecLimits(limits.MaxOps, limits.MaxFrames, DefaultMaxFailAllocs);
    }
}
