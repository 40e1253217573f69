using System.CommandLine;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The options that bound what one input may cost (<see cref="InputLimits"/>), shared by every command
/// that reads scripts or binary inputs, so each has the same flags, defaults and checks: a whole number
/// of at least 1, never clamped.
/// </summary>
internal sealed class InputLimitOptions
{
    /// <summary>The four options, with <see cref="InputLimits"/>' defaults.</summary>
    public InputLimitOptions()
    {
        FileBytes = OptionValues.Whole(InputLimits.MaxFileBytesFlag,
            "Most bytes one input file may hold; a larger one is refused unread.",
            1L, InputLimits.LargestMaxFileBytes, InputLimits.DefaultMaxFileBytes);
        LineLength = OptionValues.Whole(InputLimits.MaxLineLengthFlag,
            "Most characters on one script line.", 1, int.MaxValue, InputLimits.DefaultMaxLineLength);
        Ops = OptionValues.Whole(InputLimits.MaxOpsFlag,
            "Most operations in one script.", 1, int.MaxValue, InputLimits.DefaultMaxOps);
        Frames = OptionValues.Whole(InputLimits.MaxFramesFlag,
            "Most frames the range operations of one script name, summed (nr of map, unmap, retype; end-start of identity).",
            1UL, ulong.MaxValue, InputLimits.DefaultMaxFrames);
    }

    /// <summary><c>--max-input-bytes N</c></summary>
    public Option<long> FileBytes { get; }

    /// <summary><c>--max-line-length N</c></summary>
    public Option<int> LineLength { get; }

    /// <summary><c>--max-input-ops N</c></summary>
    public Option<int> Ops { get; }

    /// <summary><c>--max-input-frames N</c></summary>
    public Option<ulong> Frames { get; }

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { FileBytes, LineLength, Ops, Frames }) command.Options.Add(option);
    }

    /// <summary>Adds only <c>--max-input-bytes</c>, for a command that reads files that are not scripts.</summary>
    public void AddFileBytesTo(Command command) => command.Options.Add(FileBytes);

    /// <summary>The limits <paramref name="parse"/> asks for; the default of any option the command does not have.</summary>
    public InputLimits From(ParseResult parse) => new()
    {
        MaxFileBytes = ValueOf(parse, FileBytes, InputLimits.DefaultMaxFileBytes),
        MaxLineLength = ValueOf(parse, LineLength, InputLimits.DefaultMaxLineLength),
        MaxOps = ValueOf(parse, Ops, InputLimits.DefaultMaxOps),
        MaxFrames = ValueOf(parse, Frames, InputLimits.DefaultMaxFrames),
    };

    private static T ValueOf<T>(ParseResult parse, Option<T> option, T defaultValue) =>
        parse.GetResult(option) is null ? defaultValue : parse.GetValue(option)!;
}
