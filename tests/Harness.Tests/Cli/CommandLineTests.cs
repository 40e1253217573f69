using P2M.Fuzz.Cli;

namespace P2M.Harness.Tests.Cli;

/// <summary>p2mfuzz's own exit codes: usage errors are 2, never confused with a failing script (1).</summary>
public class CommandLineTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var (code, _, err) = Run();
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("--help", err);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error() => Assert.Equal(P2MFuzzCommandLine.Usage, Run("explode").Code);

    [Fact]
    public void Replay_without_a_path_is_a_usage_error() => Assert.Equal(P2MFuzzCommandLine.Usage, Run("replay").Code);

    [Theory]
    [InlineData("--time", "0", "--runs", "5")]
    [InlineData("--jobs", "0")]
    [InlineData("--time", "-3")]
    [InlineData("--runs", "-1")]
    public void Fuzz_rejects_a_budget_that_makes_no_sense(params string[] budget)
    {
        var (code, _, err) = Run(["fuzz", .. budget, "--crashes", Path.Combine(Path.GetTempPath(), "p2mfuzz-never-written")]);
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("--", err);
    }

    [Fact]
    public void Help_lists_the_replay_command()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("replay", output);
    }
}
