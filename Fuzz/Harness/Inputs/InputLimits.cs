namespace P2M.Fuzz.Inputs;

/// <summary>
/// What one input (a <c>.p2m</c> script or a binary fuzz input) may cost before anything runs: the
/// bytes read from its file, the length of one script line, its operations, and the frames its range
/// operations name. An input over a limit is refused with a message naming the limit and the flag that
/// raises it, so a hostile or mistaken file can never make a command read, allocate or run without bound.
/// </summary>
/// <remarks>
/// Frames are counted as the work an implementation is asked to do: the <c>nr</c> of <c>map</c>,
/// <c>unmap</c> and <c>retype</c>, and <c>end - start</c> of <c>identity</c>, each counted only when it is
/// at most the geometry's largest range (a larger one is <c>EINVAL</c> and does no work). The oracle keeps
/// one entry per mapped frame, so this bounds its memory too.
/// </remarks>
public sealed record InputLimits
{
    /// <summary>Default <see cref="MaxFileBytes"/>: 16 MiB, room for a script of a few hundred thousand lines.</summary>
    public const long DefaultMaxFileBytes = 16L << 20;

    /// <summary>Default <see cref="MaxLineLength"/>, in characters.</summary>
    public const int DefaultMaxLineLength = 4096;

    /// <summary>Default <see cref="MaxOps"/>.</summary>
    public const int DefaultMaxOps = 250_000;

    /// <summary>Default <see cref="MaxFrames"/>: 2^22, four whole <c>real</c> ranges.</summary>
    public const ulong DefaultMaxFrames = 1UL << 22;

    /// <summary>
    /// Largest <see cref="MaxFileBytes"/> a flag may ask for: a script is held as one string, and a .NET
    /// string holds at most 2^30 characters.
    /// </summary>
    public const long LargestMaxFileBytes = 1L << 30;

    /// <summary>The flag that sets <see cref="MaxFileBytes"/>.</summary>
    public const string MaxFileBytesFlag = "--max-input-bytes";

    /// <summary>The flag that sets <see cref="MaxLineLength"/>.</summary>
    public const string MaxLineLengthFlag = "--max-line-length";

    /// <summary>The flag that sets <see cref="MaxOps"/>.</summary>
    public const string MaxOpsFlag = "--max-input-ops";

    /// <summary>The flag that sets <see cref="MaxFrames"/>.</summary>
    public const string MaxFramesFlag = "--max-input-frames";

    /// <summary>Most bytes read from one input file; a larger file is refused without being read past this.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Most characters on one script line.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;

    /// <summary>Most operations in one input.</summary>
    public int MaxOps { get; init; } = DefaultMaxOps;

    /// <summary>Most frames the range operations of one input name, summed (see remarks).</summary>
    public ulong MaxFrames { get; init; } = DefaultMaxFrames;

    /// <summary>The defaults.</summary>
    public static InputLimits Default { get; } = new();

    /// <summary>
    /// No limit at all: for text this program printed itself from an input that was already held to its limits
    /// (the script a supervisor hands its child), which may be laid out longer than the file it came from.
    /// </summary>
    public static InputLimits None { get; } = new() { MaxFileBytes = long.MaxValue, MaxLineLength = int.MaxValue, MaxOps = int.MaxValue, MaxFrames = ulong.MaxValue };
}
