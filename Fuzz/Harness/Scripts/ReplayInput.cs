using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Scripts;

/// <summary>
/// The files <c>replay</c>, <c>minimize</c> and the gate run, and how each is read: a <c>.p2m</c> script, or a
/// <c>.bin</c> binary input (<see cref="OpCodec"/>; the raw bytes a finding keeps beside its script) read as a
/// script of bare operations. One definition, so the three agree on what a directory holds and how it fails.
/// </summary>
public static class ReplayInput
{
    /// <summary>A script's extension.</summary>
    public const string ScriptExtension = Findings.CrashStore.ScriptExtension;

    /// <summary>A binary input's extension: the one a finding's raw bytes are stored under.</summary>
    public const string BinaryExtension = Findings.CrashStore.OriginalBinaryExtension;

    /// <summary>True for a file name a directory's replay runs: a script or a binary input.</summary>
    public static bool IsReplayable(string fileName) => IsScript(fileName) || IsBinary(fileName);

    /// <summary>True for a <c>.p2m</c> file name.</summary>
    public static bool IsScript(string fileName) => fileName.EndsWith(ScriptExtension, StringComparison.Ordinal);

    /// <summary>True for a <c>.bin</c> file name.</summary>
    public static bool IsBinary(string fileName) => fileName.EndsWith(BinaryExtension, StringComparison.Ordinal);

    /// <summary>
    /// Reads <paramref name="path"/> within <paramref name="limits"/>: a binary input when it ends in <c>.bin</c>
    /// (any bytes decode), otherwise a script.
    /// </summary>
    /// <exception cref="ScriptParseException">A script line that does not follow the format or is over a limit.</exception>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large.</exception>
    public static Script Load(string path, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(limits);
        return IsBinary(path)
            ? OpCodec.Decode(InputFile.ReadAllBytes(path, limits.MaxFileBytes, InputLimits.MaxFileBytesFlag)).ToScript(path)
            : ScriptParser.ParseFile(path, limits);
    }
}
