using P2M.Contract;
using P2M.Fuzz.Gate;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Fuzz.Supervision;
using P2M.Harness.Tests.Regression;
using P2M.Harness.Tests.Supervision;

namespace P2M.Harness.Tests.Gate;

/// <summary>
/// The gate as CI runs it (<c>.ci/gate</c>) catches every planted double of <c>Targets/Planted</c>: its first stage
/// replays the repository's <c>corpus/</c> and <c>crashes/</c>, supervised, and any failing input there fails the whole
/// gate, so it is enough that one input of that set fails on the double. (<c>.ci/gate-catches-doubles</c> runs the
/// whole gate, campaign included, per double: too long for every push.) The honest engine passes the same set.
/// </summary>
public sealed class CiGateCatchesPlantedDoublesTests
{
    /// <summary>Every double: each public IP2M type of P2M.Planted, so a new double is checked without being listed.</summary>
    public static TheoryData<string> Doubles()
    {
        var data = new TheoryData<string>();
        foreach (Type type in typeof(Planted.SkipsBreak).Assembly.GetExportedTypes()
                     .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IP2M).IsAssignableFrom(t))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
            data.Add(type.Name);
        return data;
    }

    /// <summary>The inputs CI's gate replays: its default corpus and crashes folders, which <c>.ci/gate</c> leaves as they are.</summary>
    private static IReadOnlyList<string> CiReplaySet()
    {
        string script = File.ReadAllText(Path.Combine(CommittedScripts.RepositoryRoot, ".ci", "gate"));
        Assert.DoesNotContain("--corpus ", script);
        Assert.DoesNotContain("--crashes ", script);
        var defaults = new GateOptions();
        string[] folders = [defaults.CorpusDirectory, defaults.CrashesDirectory];
        return ScriptReplay.FindScripts(folders.Select(f => Path.Combine(CommittedScripts.RepositoryRoot, f)).Where(Directory.Exists),
            TextWriter.Null, out _);
    }

    [Fact]
    public void The_set_holds_the_same_gfn_same_mfn_double_and_the_honest_engine_passes_it_all()
    {
        Assert.Contains(nameof(Planted.KeepsForeignReferenceInPlace), Doubles().Select(row => row.Data));
        IReadOnlyList<string> inputs = CiReplaySet();
        Assert.True(inputs.Count > 50, $"{inputs.Count} inputs");
        using var engine = new SupervisedExecutor(Fuzz.Implementations.ImplementationSpec.Engine, SupervisionOptions.Default, InputLimits.Default);
        Assert.All(inputs, path => Assert.True(engine.Run(ReplayInput.Load(path, InputLimits.Default)).IsPass, path));
    }

    [Theory]
    [MemberData(nameof(Doubles))]
    public void Ci_gate_replay_fails_on_the_double(string type)
    {
        using var planted = new SupervisedExecutor(PlantedLibrary.Spec(type), PlantedLibrary.LimitsFor(type), InputLimits.Default);
        // In the gate's order; the first failure is enough (the gate fails on any).
        foreach (string path in CiReplaySet())
        {
            if (!planted.Run(ReplayInput.Load(path, InputLimits.Default)).IsPass)
                return;
        }
        Assert.Fail($"no input of CI's replay set fails on {type}: the gate as CI runs it would rely on its campaign alone");
    }
}
