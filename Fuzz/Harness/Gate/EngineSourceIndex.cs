using System.Text.RegularExpressions;

namespace P2M.Fuzz.Gate;

/// <summary>
/// Finds engine methods in the engine's own sources under the repository root, so that a report can
/// point at the line where a method is declared in the commit under review, whatever was edited
/// above it; and reads the engine frame out of an exception's stack trace.
/// </summary>
/// <remarks>
/// A declaration is a line that starts with modifiers (<c>private</c>, <c>public</c>, <c>virtual</c>…),
/// then an optional return type, then the name and <c>(</c>. That skips calls such as
/// <c>OpKind.Map =&gt; Map(…)</c>. Names are not unique across the engine (<c>Mapcache.Map</c> and the
/// operation <c>Map</c>), so the file the method is expected in is searched first.
/// </remarks>
public sealed class EngineSourceIndex
{
    private const string Modifiers = "public|private|protected|internal|static|virtual|override|sealed|abstract|extern|new|async|unsafe|partial";

    private readonly Dictionary<string, string[]?> _lines = new(StringComparer.Ordinal);

    /// <summary>An index over the engine sources under <paramref name="root"/>, read lazily.</summary>
    public EngineSourceIndex(SourceRoot root)
    {
        Root = root ?? throw new ArgumentNullException(nameof(root));
    }

    /// <summary>The repository root the sources are read from.</summary>
    public SourceRoot Root { get; }

    /// <summary>
    /// The declaration of <paramref name="method"/>: in <paramref name="file"/> (a file name in the engine
    /// folder, e.g. <c>EngineP2M.Split.cs</c>) if it is there, otherwise in the first engine file that
    /// declares it. Null when no engine file does (or the sources are not there to read).
    /// </summary>
    public SourceLocation? FindMethod(string file, string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(method);
        var declaration = new Regex($@"^\s*(?:(?:{Modifiers})\s+)+(?:[\w.<>\[\],?]+\s+)?{Regex.Escape(method)}\s*(?:<[^>]*>)?\(", RegexOptions.CultureInvariant);
        foreach (string candidate in new[] { file }.Concat(EngineFiles().Where(f => f != file)))
        {
            string[]? lines = Read(candidate);
            if (lines is null)
                continue;
            for (int i = 0; i < lines.Length; i++)
            {
                if (declaration.IsMatch(lines[i]))
                    return new SourceLocation($"{SourceRoot.EngineFolder}/{candidate}", i + 1, method);
            }
        }
        return null;
    }

    /// <summary>
    /// The innermost frame of a stack trace in text form (<see cref="Exception.ToString"/>, as a verdict carries it)
    /// that lies in the engine's sources and has file and line information (the binaries' symbols); null when
    /// there is none, e.g. when the model threw, or the symbols are missing.
    /// </summary>
    public static SourceLocation? FromStackTrace(string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        string marker = "/" + SourceRoot.EngineFolder + "/";
        foreach (string line in trace.Split('\n'))
        {
            Match frame = StackFrameLine.Match(line);
            if (!frame.Success)
                continue;
            // Build paths differ between machines (and deterministic builds map them to /_/): keep
            // only the part from the engine folder on, which is the same under every checkout.
            string normalized = "/" + frame.Groups["file"].Value.Replace('\\', '/');
            int at = normalized.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
                continue;
            string method = frame.Groups["method"].Value;
            return new SourceLocation(normalized[(at + 1)..], int.Parse(frame.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                method[(method.LastIndexOf('.') + 1)..]);
        }
        return null;
    }

    // "   at P2M.Engine.EngineP2M.ReleaseLeaf(UInt64 pte, ...) in /_/Targets/Engine/EngineP2M.Teardown.cs:line 118"
    private static readonly Regex StackFrameLine =
        new(@"^\s*at (?<method>[^(\s]+)\(.*\) in (?<file>.+):line (?<line>\d+)\s*$", RegexOptions.CultureInvariant);

    /// <summary>The engine's source files (names in the engine folder), sorted; none when the folder is not there.</summary>
    private IEnumerable<string> EngineFiles()
    {
        string folder = Root.FullPath(SourceRoot.EngineFolder);
        if (!Directory.Exists(folder))
            return [];
        return Directory.GetFiles(folder, "*.cs", SearchOption.TopDirectoryOnly)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
    }

    private string[]? Read(string file)
    {
        if (_lines.TryGetValue(file, out string[]? cached))
            return cached;
        string path = Root.FullPath($"{SourceRoot.EngineFolder}/{file}");
        string[]? lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines = null;
        }
        _lines[file] = lines;
        return lines;
    }
}
