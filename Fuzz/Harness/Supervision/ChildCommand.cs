namespace P2M.Fuzz.Supervision;

/// <summary>
/// How to start <c>p2mfuzz</c> again as a child process: the program to run and the arguments that come
/// before the child's own (the entry assembly, when the program is the <c>dotnet</c> host).
/// </summary>
/// <param name="FileName">The executable: the <c>dotnet</c> host, or a self-contained <c>p2mfuzz</c>.</param>
/// <param name="Prefix">Arguments before the child command, e.g. the path of <c>p2mfuzz.dll</c>.</param>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The name of the command line's entry assembly.</summary>
    public const string EntryAssembly = "p2mfuzz.dll";

    /// <summary>
    /// This program: a self-contained or apphost <c>p2mfuzz</c> runs itself; otherwise the <c>dotnet</c> host
    /// runs the <c>p2mfuzz.dll</c> that sits beside the harness (the command line's own folder, or a test's,
    /// which references it).
    /// </summary>
    /// <exception cref="FileNotFoundException">No <c>p2mfuzz.dll</c> beside the harness, and this is not <c>p2mfuzz</c>.</exception>
    public static ChildCommand Locate()
    {
        string? process = Environment.ProcessPath;
        string name = Path.GetFileNameWithoutExtension(process ?? "");
        if (process is not null && name == "p2mfuzz")
            return new ChildCommand(process, []);
        string entry = Path.Combine(AppContext.BaseDirectory, EntryAssembly);
        if (!File.Exists(entry))
            throw new FileNotFoundException($"cannot start worker processes: {entry} is missing", entry);
        string host = process is not null && name == "dotnet" ? process : "dotnet";
        return new ChildCommand(host, [entry]);
    }
}
