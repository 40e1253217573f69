namespace P2M.Harness.Tests.Regression;

/// <summary>Finds the repository's committed scripts from wherever the test assembly runs.</summary>
internal static class CommittedScripts
{
    /// <summary>The folder holding Fuzz.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every <c>*.p2m</c> under <paramref name="folder"/> (relative to the root), sorted for a stable order.</summary>
    public static IEnumerable<string> In(string folder)
    {
        string path = Path.Combine(RepositoryRoot, folder);
        return Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.p2m", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot, f))
                .OrderBy(f => f, StringComparer.Ordinal)
            : [];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fuzz.sln"))) return dir.FullName;
        // Built outside the tree (--artifacts-path): the project recorded where it was built from.
        string? recorded = typeof(CommittedScripts).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Fuzz.sln"))) return recorded;
        throw new InvalidOperationException($"no Fuzz.sln above {AppContext.BaseDirectory} or at {recorded}");
    }
}
