namespace P2M.Fuzz.Gate;

/// <summary>
/// The repository root: where the engine's sources are read for report locations, and what SARIF's
/// <c>SRCROOT</c> stands for. Report paths are relative to it, with <c>/</c> separators, so code
/// scanning links them to the files of the commit under review.
/// </summary>
public sealed class SourceRoot
{
    /// <summary>The engine's sources, relative to the root.</summary>
    public const string EngineFolder = "Targets/Engine";

    /// <summary>The root at <paramref name="directory"/>.</summary>
    public SourceRoot(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The root's full path.</summary>
    public string Directory { get; }

    /// <summary>The root as a <c>file:</c> URI ending in <c>/</c>, for SARIF's <c>originalUriBaseIds</c>.</summary>
    public string Uri => new Uri(Path.TrimEndingDirectorySeparator(Directory) + Path.DirectorySeparatorChar).AbsoluteUri;

    /// <summary>
    /// <paramref name="given"/> when set; otherwise the nearest folder at or above the current directory
    /// holding <see cref="EngineFolder"/>, or the current directory when there is none.
    /// </summary>
    public static SourceRoot Find(string? given)
    {
        if (!string.IsNullOrEmpty(given))
            return new SourceRoot(given);
        string current = System.IO.Directory.GetCurrentDirectory();
        for (var dir = new DirectoryInfo(current); dir is not null; dir = dir.Parent)
        {
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, EngineFolder)))
                return new SourceRoot(dir.FullName);
        }
        return new SourceRoot(current);
    }

    /// <summary>The full path of <paramref name="relative"/> (a root-relative path with <c>/</c> separators).</summary>
    public string FullPath(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary><paramref name="path"/> relative to the root with <c>/</c> separators; null when it lies outside the root.</summary>
    public string? Relative(string path)
    {
        string relative = Path.GetRelativePath(Directory, Path.GetFullPath(path));
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return null;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
