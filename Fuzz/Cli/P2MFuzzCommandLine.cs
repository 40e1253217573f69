using System.CommandLine;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The <c>p2mfuzz</c> command line: its commands, and the exit codes of the script format page
/// (0 pass, 1 failure, 2 usage or parse error).
/// </summary>
public static class P2MFuzzCommandLine
{
    /// <summary><see cref="ExitCodes.Pass"/>.</summary>
    public const int Pass = ExitCodes.Pass;

    /// <summary><see cref="ExitCodes.Failure"/>.</summary>
    public const int Failure = ExitCodes.Failure;

    /// <summary><see cref="ExitCodes.Usage"/>.</summary>
    public const int Usage = ExitCodes.Usage;

    /// <summary><see cref="ExitCodes.Interrupted"/>.</summary>
    public const int Interrupted = ExitCodes.Interrupted;

    /// <summary>Parses <paramref name="args"/> and runs the command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, output, error, Environment.GetEnvironmentVariable);

    /// <summary>
    /// As <see cref="Run(string[], TextWriter, TextWriter)"/>, reading environment variables (the
    /// gate's <c>GITHUB_STEP_SUMMARY</c>) through <paramref name="environment"/>, so tests need not touch the real one.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var root = new RootCommand("p2mfuzz: differential fuzzer for Xen-style P2M tables, engine against oracle.");
        root.Subcommands.Add(ReplayCommand.Create(output, error));
        root.Subcommands.Add(MinimizeCommand.Create(output, error));
        root.Subcommands.Add(ShowCommand.Create(output, error));
        root.Subcommands.Add(EncodeCommand.Create(output, error));
        root.Subcommands.Add(FuzzCommand.Create(output, error));
        root.Subcommands.Add(MergeCommand.Create(output, error));
        root.Subcommands.Add(ReportCommand.Create(output, error));
        root.Subcommands.Add(GateCommand.Create(output, error, environment));
        root.Subcommands.Add(LibFuzzerCommand.Create(output, error));
        root.Subcommands.Add(AflCommand.Create(output, error));
        root.Subcommands.Add(TriageCommand.Create(output, error));
        root.Subcommands.Add(SeedsCommand.Create(output, error));
        foreach (Command child in ChildCommands.Create()) root.Subcommands.Add(child);

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine exits 1 on usage errors; 1 means "a script failed" here, so usage is 2.
            foreach (var parseError in parsed.Errors)
                error.WriteLine(parseError.Message);
            error.WriteLine("Run 'p2mfuzz --help' for usage.");
            return Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
