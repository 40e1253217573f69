using P2M.Fuzz.Cli;

namespace P2M.Harness.Tests.Cli;

/// <summary>One in-process run of the command line: its exit code and what it wrote.</summary>
internal sealed record CliRun(int Code, string Out, string Err)
{
    /// <summary>Runs <paramref name="args"/> with no step summary in the environment.</summary>
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(args, output, error, _ => null);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Asserts a usage error: exit 2, exactly one line on the error writer, no stack trace, nothing on
    /// the output (nothing ran), and the line contains <paramref name="mentions"/>.
    /// </summary>
    public void AssertUsageError(string mentions)
    {
        Assert.True(Code == P2MFuzzCommandLine.Usage, $"exit {Code}, expected 2; stderr: {Err}");
        Assert.Equal(1, Err.Count(c => c == '\n'));
        Assert.DoesNotContain("   at ", Err);
        Assert.DoesNotContain("Exception", Err);
        Assert.Equal("", Out);
        Assert.Contains(mentions, Err);
    }
}
