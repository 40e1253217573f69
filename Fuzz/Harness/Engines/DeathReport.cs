namespace P2M.Fuzz.Engines;

/// <summary>
/// What a native driver tells the .NET side it restarts after the previous one died, hung or ran out of
/// memory on an input: the kind (<c>crash</c>, <c>timeout</c>, <c>oom</c>), what happened, and the input
/// (a file, usually the driver's memfd as <c>/proc/self/fd/N</c>). The new side writes its repro before
/// it answers the driver, since the old one never could.
/// </summary>
/// <param name="Kind">libFuzzer's artifact kind.</param>
/// <param name="Detail">What happened, e.g. <c>was killed by signal 6 (SIGABRT)</c>.</param>
/// <param name="Input">The input bytes.</param>
public sealed record DeathReport(string Kind, string Detail, byte[] Input)
{
    /// <summary>The variable holding the kind.</summary>
    public const string KindVariable = "P2M_DEATH_KIND";

    /// <summary>The variable holding what happened.</summary>
    public const string DetailVariable = "P2M_DEATH_DETAIL";

    /// <summary>The variable naming the input file.</summary>
    public const string InputVariable = "P2M_DEATH_INPUT";

    /// <summary>The report the driver passed, or null when this side is not a restart after a death.</summary>
    public static DeathReport? FromEnvironment()
    {
        string? kind = Environment.GetEnvironmentVariable(KindVariable);
        string? input = Environment.GetEnvironmentVariable(InputVariable);
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(input)) return null;
        return new DeathReport(kind, Environment.GetEnvironmentVariable(DetailVariable) ?? "died", File.ReadAllBytes(input));
    }

    /// <summary>The kind whose artifact libFuzzer cannot write itself: it only measures its own process's memory.</summary>
    public const string OutOfMemory = "oom";

    /// <summary>
    /// Writes the repro beside libFuzzer's artifact for the input, and for an out-of-memory the artifact
    /// itself (libFuzzer never saw that one); returns the repro's path.
    /// </summary>
    public string WriteRepro()
    {
        string artifact = ArtifactName.FromEnvironment(Input, Kind);
        if (Kind == OutOfMemory)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(artifact))!);
            Findings.AtomicFile.WriteAllBytes(artifact, Input);
        }
        string path = artifact + ".p2m";
        ExternalTarget.WriteDeathRepro(path, Input, Kind, Detail);
        return path;
    }
}
