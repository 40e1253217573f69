using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Fuzz.Supervision;

namespace P2M.Harness.Tests.Supervision;

/// <summary>
/// Inputs run in a supervised child process: what kills, hangs or swells the child comes back as a verdict at
/// the step at fault, and the executor goes on with a new child.
/// </summary>
public sealed class SupervisedExecutorTests
{
    private static Script Parse(string text, string name = "planted.p2m") => ScriptParser.Parse(text, name);

    [Theory]
    [InlineData("HangsOnForeignRelease", PlantedLibrary.HangScript, "timeout:unmap:time", 4)]
    [InlineData("OverflowsStackOnSplit", PlantedLibrary.SplitScript, "crash:unmap:stack-overflow", 2)]
    [InlineData("ThrowsOnWorkerThread", PlantedLibrary.TeardownScript, "crash:teardown:unhandled-InvalidOperationException", 2)]
    [InlineData("HoardsMemoryOnGrantReset", PlantedLibrary.GrantScript, "oom:unmap:memory", 3)]
    public void What_the_child_cannot_survive_is_a_verdict_at_the_step_at_fault(string type, string script, string signature, int step)
    {
        using var executor = new SupervisedExecutor(PlantedLibrary.Spec(type), PlantedLibrary.LimitsFor(type));

        Verdict verdict = executor.Run(Parse(script));

        Assert.Equal(signature, verdict.Signature);
        Assert.Equal(step, verdict.Step);
        Assert.Equal(step, verdict.Line);
        Assert.Equal("planted.p2m", verdict.Path);
        if (verdict.Kind == VerdictKind.Timeout)
            Assert.Matches(@"was killed, \d+ MiB resident \(--rss-limit-mb \d+\)", verdict.ToString());
        // The child is gone; the next input gets a new one, and a harmless input still passes.
        Verdict next = executor.Run(Parse("map gfn=0x8 mfn=0x8 nr=1 type=ram_rw\nlookup gfn=0x8"));
        Assert.True(next.IsPass, next.ToString());
        Assert.Equal(2, executor.ChildrenStarted);
    }

    [Fact]
    public void A_clean_engine_gives_the_same_verdicts_as_in_process_and_keeps_one_child()
    {
        // A generous timeout: the largest corpus scripts take seconds on a loaded machine, and this is about verdicts, not speed.
        using var executor = new SupervisedExecutor(ImplementationSpec.Engine, new SupervisionOptions { TimeoutSeconds = 300 });
        var inProcess = new DifferentialRunner(c => new Engine.EngineP2M(c), c => new Oracle.OracleP2M(c));
        foreach (string file in Directory.GetFiles(Path.Combine(Regression.CommittedScripts.RepositoryRoot, "corpus"), "*.p2m").Order().Take(12))
        {
            Script script = ScriptParser.ParseFile(file);
            Assert.Equal(inProcess.Run(script).ToString(), executor.Run(script).ToString());
        }
        Assert.Equal(1, executor.ChildrenStarted);
    }

    [Fact]
    public void A_failed_expectation_keeps_its_line_through_the_child()
    {
        using var executor = new SupervisedExecutor(ImplementationSpec.Engine);
        Script script = Parse("# a comment\n\nmap gfn=0x8 mfn=0x9 nr=1 type=ram_rw\n\n# more\nexpect gfn=0x8 mfn=0x1 type=ram_rw order=0\n");

        Verdict verdict = executor.Run(script);

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal(6, verdict.Line);
        Assert.Equal("expect gfn=0x8 mfn=0x1 type=ram_rw order=0", verdict.Expectation);
    }

    [Theory]
    [InlineData("assembly:/nowhere/at/all.dll", "no such file")]
    [InlineData("assembly:{planted}:NoSuchType", "no public IP2M type named NoSuchType")]
    [InlineData("assembly:{planted}", "name one with :TYPE")]
    public void A_plugin_that_does_not_load_is_a_clear_error_not_a_finding(string spec, string message)
    {
        var implementation = ImplementationSpec.Parse(spec.Replace("{planted}", PlantedLibrary.Path, StringComparison.Ordinal));
        using var executor = new SupervisedExecutor(implementation);

        var error = Assert.Throws<ImplementationException>(() => executor.Run(Parse("lookup gfn=0x1")));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Cancelling_kills_the_input_in_flight()
    {
        using var cancel = new CancellationTokenSource();
        using var executor = new SupervisedExecutor(PlantedLibrary.Spec("HangsOnForeignRelease"), new SupervisionOptions { TimeoutSeconds = 60 })
        {
            Cancellation = cancel.Token,
        };
        cancel.CancelAfter(TimeSpan.FromSeconds(2));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<OperationCanceledException>(() => executor.Run(Parse(PlantedLibrary.HangScript)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the hung child was not killed on cancellation");
    }
}
