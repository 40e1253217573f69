using P2M.Fuzz.Cli;

namespace P2M.Harness.Tests.Gate;

/// <summary><c>p2mfuzz gate</c>'s command line: one budget at most, a corpus that exists, and the gate's exit codes.</summary>
public sealed class GateCommandTests : IDisposable
{
    private readonly GateDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    // The step summary the command line sees: a file of this test's own, never the real job's.
    private readonly string _stepSummary;

    public GateCommandTests() => _stepSummary = Path.Combine(_dirs.Root, "step-summary.md");

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(args, output, error,
            name => name == "GITHUB_STEP_SUMMARY" ? _stepSummary : null);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_time_ceiling_that_ends_the_campaign_before_its_runs_is_incomplete_never_a_pass()
    {
        var (code, output, _) = Run("gate", "--time", "1", "--runs", "100000000", "--corpus", _dirs.Corpus, "--out", _dirs.Out,
            "--junit", Path.Combine(_dirs.Out, "junit.xml"), "--in-process");
        Assert.Equal(P2MFuzzCommandLine.Failure, code);
        Assert.Contains("gate: INCOMPLETE (--time ended the campaign after ", output);
        Assert.Contains("of 100000000 runs; not a pass)", output);
        Assert.Contains("type=\"incomplete\"", File.ReadAllText(Path.Combine(_dirs.Out, "junit.xml")));
    }

    [Fact]
    public void A_time_alone_caps_the_default_run_count_and_never_replaces_it()
    {
        // .ci/gate passes --time alone: the gate must still owe its default runs (the plan line says so before the
        // campaign starts, whatever the machine's speed), so a campaign the time cuts short is INCOMPLETE, not a pass.
        var (_, output, _) = Run("gate", "--time", "1", "--corpus", _dirs.Corpus, "--out", _dirs.Out, "--in-process");
        Assert.Contains($"campaign of 1 s or {P2M.Fuzz.Gate.GateOptions.DefaultRuns} runs", output);
    }

    [Fact]
    public void A_time_ceiling_the_runs_stay_under_changes_nothing()
    {
        var (code, output, _) = Run("gate", "--time", "600", "--runs", "20", "--corpus", _dirs.Corpus, "--out", _dirs.Out, "--in-process");
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("campaign of 600 s or 20 runs", output);
        Assert.Contains("gate: PASS", output);
    }

    [Fact]
    public void A_missing_corpus_is_a_usage_error()
    {
        var (code, _, err) = Run("gate", "--runs", "0", "--corpus", Path.Combine(_dirs.Root, "nope"), "--out", _dirs.Out);
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("nope", err);
    }

    [Fact]
    public void Gate_runs_from_the_command_line_and_ends_with_its_verdict()
    {
        var (code, output, _) = Run("gate", "--runs", "0", "--corpus", _dirs.Corpus, "--crashes", _dirs.Crashes,
            "--out", _dirs.Out, "--junit", _dirs.JUnit);
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.EndsWith("gate: PASS", output.TrimEnd());
        Assert.True(File.Exists(_dirs.JUnit));
        // The command line hands its environment to the gate: the step summary was written where it said.
        Assert.StartsWith("## p2mfuzz gate: PASS", File.ReadAllText(_stepSummary));
    }

    [Fact]
    public void Gate_fails_with_exit_1_on_a_failing_crash_script()
    {
        GateDirectories.WriteScript(_dirs.Crashes, "wrong-mini.p2m", GateDirectories.WrongExpectationScript);
        var (code, output, _) = Run("gate", "--runs", "0", "--corpus", _dirs.Corpus, "--crashes", _dirs.Crashes, "--out", _dirs.Out);
        Assert.Equal(P2MFuzzCommandLine.Failure, code);
        Assert.EndsWith("gate: FAIL (1 failure)", output.TrimEnd());
        Assert.Contains("## p2mfuzz gate: FAIL", File.ReadAllText(_stepSummary));
    }

    [Fact]
    public void A_committed_script_that_does_not_parse_is_exit_2_as_in_replay()
    {
        GateDirectories.WriteScript(_dirs.Corpus, "broken-mini.p2m", "map gfn=banana");
        var (code, output, _) = Run("gate", "--runs", "0", "--corpus", _dirs.Corpus, "--crashes", _dirs.Crashes, "--out", _dirs.Out, "--junit", _dirs.JUnit);
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("gate: FAIL", output);
        Assert.True(File.Exists(_dirs.JUnit), "the reports are still written");
    }

    [Fact]
    public void Help_lists_the_gate_command() => Assert.Contains("gate", Run("--help").Out);
}
