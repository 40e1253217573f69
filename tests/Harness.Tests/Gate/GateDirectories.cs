using P2M.Fuzz.Implementations;
using P2M.Contract;
using P2M.Fuzz.Gate;
using P2M.Harness.Tests.Regression;

namespace P2M.Harness.Tests.Gate;

/// <summary>
/// A throw-away tree for one gate run: a tiny corpus, a crashes directory, the gate's output and its
/// report files, all under a temporary folder deleted afterwards.
/// </summary>
internal sealed class GateDirectories : IDisposable
{
    /// <summary>A superpage map and a split of it: passes on the honest engine.</summary>
    public const string SplitScript = """
        # gate test: a superpage map, then one frame unmapped out of it
        geometry mini
        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        expect-rc ok done=64
        unmap gfn=0x45 nr=1
        expect gfn=0x45 unmapped
        """;

    /// <summary>A foreign entry replaced by a superpage map: passes on the honest engine, fails on one that keeps the reference.</summary>
    public const string ForeignScript = """
        # gate test: a superpage map over a foreign entry drops its reference
        geometry mini
        foreign gfn=0x21 mfn=0x7 access=rw
        expect-refs mfn=0x7 count=1
        map gfn=0 mfn=0x100 nr=64 type=ram_rw
        expect-refs mfn=0x7 count=0
        """;

    /// <summary>An expectation no implementation meets: fails on every engine, as a committed crash that regressed would.</summary>
    public const string WrongExpectationScript = """
        # gate test: the frame is mapped to 0x20, not 0x21
        geometry mini
        map gfn=0x10 mfn=0x20 nr=1 type=ram_rw
        expect gfn=0x10 mfn=0x21 type=ram_rw order=0
        """;

    public GateDirectories()
    {
        Root = Directory.CreateTempSubdirectory("p2mfuzz-gate-").FullName;
        Directory.CreateDirectory(Corpus);
        Directory.CreateDirectory(Crashes);
        WriteScript(Corpus, "split-mini.p2m", SplitScript);
        WriteScript(Corpus, "foreign-mini.p2m", ForeignScript);
    }

    public string Root { get; }

    public string Corpus => Path.Combine(Root, "corpus");

    public string Crashes => Path.Combine(Root, "crashes");

    public string Out => Path.Combine(Root, "gate-out");

    public string JUnit => Path.Combine(Out, "junit.xml");

    public string Sarif => Path.Combine(Out, "gate.sarif");

    public string Summary => Path.Combine(Out, "summary.md");

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static void WriteScript(string directory, string name, string text) =>
        File.WriteAllText(Path.Combine(directory, name), text + "\n");

    /// <summary>
    /// Options for a small, quick gate over this tree, with every report and the repository's own
    /// sources for locations; no step summary unless a test asks for one.
    /// </summary>
    public GateOptions Options(Func<P2MConfig, IP2M>? engine = null, long runs = 200) => new()
    {
        CorpusDirectory = Corpus,
        CrashesDirectory = Crashes,
        OutputDirectory = Out,
        Runs = runs,
        Seed = 7,
        Geometries = [Geometry.Mini],
        MaxOps = 16,
        JUnitPath = JUnit,
        SarifPath = Sarif,
        SummaryPath = Summary,
        RepositoryRoot = CommittedScripts.RepositoryRoot,
        // A delegate double runs in-process; the real engine runs supervised, as the command line runs it.
        Implementation = engine is null ? ImplementationSpec.Engine : ImplementationSpec.InProcess("planted", engine),
        InProcess = engine is not null,
        GetEnvironmentVariable = _ => null,
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
