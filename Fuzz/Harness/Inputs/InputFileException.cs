namespace P2M.Fuzz.Inputs;

/// <summary>
/// An input file that was refused or could not be read: missing, not a regular file, or larger than
/// the limit. An <see cref="IOException"/>, so every loader that reports unreadable files reports these
/// the same way. The message says why without the path (callers print <c>path: message</c>) and never
/// quotes the file's content.
/// </summary>
public sealed class InputFileException : IOException
{
    /// <summary>Creates the error for <paramref name="path"/>, <paramref name="reason"/> being e.g. <c>not a regular file (a FIFO)</c>.</summary>
    public InputFileException(string path, string reason)
        : base(reason)
    {
        Path = path;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }
}
