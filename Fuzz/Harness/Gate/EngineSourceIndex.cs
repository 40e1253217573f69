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
        Regex declaration = Declaration(Regex.Escape(method));
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
    /// The innermost engine frame of a stack trace in text form (<see cref="Exception.ToString"/>, as a verdict carries
    /// it): a frame whose file lies in the engine folder, or, without file information, whose method is the engine's
    /// (<c>sharpfuzz</c> rewrites the engine's IL without rewriting its PDB, so an instrumented engine's frames lose
    /// their lines or keep stale ones). It is placed at its line when that lies in the body of the method it names,
    /// otherwise at that method's declaration. Null when no frame is the engine's, e.g. when the model threw.
    /// </summary>
    public SourceLocation? FromStackTrace(string trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        string marker = "/" + SourceRoot.EngineFolder + "/";
        foreach (string line in trace.Split('\n'))
        {
            Match frame = StackFrameLine.Match(line);
            if (!frame.Success)
                continue;
            string method = frame.Groups["method"].Value;
            string name = method[(method.LastIndexOf('.') + 1)..];
            if (!frame.Groups["file"].Success)
            {
                // "P2M.Engine.EngineP2M.Split": the type names the file to look in first.
                if (method.StartsWith(EngineNamespace, StringComparison.Ordinal) &&
                    FindMethod(TypeOf(method) + ".cs", name) is { } declared)
                    return declared;
                continue;
            }
            // Build paths differ between machines (and deterministic builds map them to /_/): keep
            // only the part from the engine folder on, which is the same under every checkout.
            string normalized = "/" + frame.Groups["file"].Value.Replace('\\', '/');
            int at = normalized.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
                continue;
            return PlaceInMethod(new SourceLocation(normalized[(at + 1)..],
                int.Parse(frame.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), name));
        }
        return null;
    }

    /// <summary>
    /// <paramref name="frame"/> when its line lies in the body of the method it names, otherwise that method's
    /// declaration (the symbols are stale, or the binary older than the sources); the frame unchanged when the
    /// method cannot be found in the sources.
    /// </summary>
    private SourceLocation PlaceInMethod(SourceLocation frame)
    {
        string file = frame.Uri[(frame.Uri.LastIndexOf('/') + 1)..];
        if (frame.Method.Length == 0 || FindMethod(file, frame.Method) is not { } declaration)
            return frame;
        if (declaration.Uri != frame.Uri || Read(file) is not { } lines)
            return declaration;
        // The body runs to the next declaration of any method (or the end of the file).
        Regex anyDeclaration = Declaration(@"\w+");
        int end = declaration.Line;
        while (end < lines.Length && !anyDeclaration.IsMatch(lines[end]))
            end++;
        return frame.Line >= declaration.Line && frame.Line <= end ? frame : declaration;
    }

    /// <summary>The engine's namespace, as its frames in a stack trace begin.</summary>
    private const string EngineNamespace = "P2M.Engine.";

    /// <summary>The simple name of the (outermost) type of a frame's method: <c>P2M.Engine.EngineP2M+Walk.Next</c> gives <c>EngineP2M</c>.</summary>
    private static string TypeOf(string method)
    {
        string type = method[..method.LastIndexOf('.')];
        type = type[(type.LastIndexOf('.') + 1)..];
        int nested = type.IndexOf('+');
        return nested < 0 ? type : type[..nested];
    }

    /// <summary>A declaration of a method whose name matches <paramref name="name"/> (a regular expression).</summary>
    private static Regex Declaration(string name) =>
        new($@"^\s*(?:(?:{Modifiers})\s+)+(?:[\w.<>\[\],?]+\s+)?{name}\s*(?:<[^>]*>)?\(", RegexOptions.CultureInvariant);

    // "   at P2M.Engine.EngineP2M.ReleaseLeaf(UInt64 pte, ...) in /_/Targets/Engine/EngineP2M.Teardown.cs:line 118"
    private static readonly Regex StackFrameLine =
        new(@"^\s*at (?<method>[^(\s]+)\(.*\)(?: in (?<file>.+):line (?<line>\d+))?\s*$", RegexOptions.CultureInvariant);

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
