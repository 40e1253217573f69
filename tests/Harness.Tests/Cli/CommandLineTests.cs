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

    [Fact]
    public void Help_lists_the_replay_command()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("replay", output);
    }
}
