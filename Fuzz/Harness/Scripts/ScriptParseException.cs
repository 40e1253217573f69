namespace P2M.Fuzz.Scripts;

/// <summary>
/// A <c>.p2m</c> script that does not follow the format. The message reads
/// <c>path:line: what was expected, what was found</c>; nothing of the script runs.
/// </summary>
public sealed class ScriptParseException : Exception
{
    /// <summary>Creates the error for <paramref name="line"/> of <paramref name="path"/>.</summary>
    /// <param name="path">The script's path or name, as given to the parser.</param>
    /// <param name="line">1-based line number.</param>
    /// <param name="detail">What was expected and what was found, e.g. <c>expected key nr for unmap, found none</c>.</param>
    public ScriptParseException(string path, int line, string detail)
        : base($"{path}:{line}: {detail}")
    {
        Path = path;
        Line = line;
        Detail = detail;
    }

    /// <summary>The script's path or name, as given to the parser.</summary>
    public string Path { get; }

    /// <summary>1-based number of the offending line.</summary>
    public int Line { get; }

    /// <summary>The message without its <c>path:line:</c> prefix.</summary>
    public string Detail { get; }
}
