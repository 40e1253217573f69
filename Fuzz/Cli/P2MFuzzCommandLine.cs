using System.CommandLine;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The <c>p2mfuzz</c> command line: its commands, and the exit codes of the script format page
/// (0 pass, 1 failure, 2 usage or parse error). A bad command line is one line on the error writer
/// and exit 2; so is an input or output the environment refuses (an I/O error escaping a command, such
/// as a full disk), which keeps whatever was already written.
/// </summary>
public static class P2MFuzzCommandLine
{
    /// <summary><see cref="ExitCodes.Pass"/>.</summary>
    public const int Pass = ExitCodes.Pass;

    /// <summary><see cref="ExitCodes.Failure"/>.</summary>
    public const int Failure = ExitCodes.Failure;

    /// <summary>
    /// <see cref="ExitCodes.Usage"/>: a bad command line (an option value that does not parse, is out of range or
    /// conflicts), a path that is missing or cannot be written, an input that cannot be read, is over a
    /// limit or does not parse, a broken plugin, and an I/O error such as a full disk.
    /// </summary>
    public const int Usage = ExitCodes.Usage;

    /// <summary><see cref="ExitCodes.Interrupted"/>.</summary>
    public const int Interrupted = ExitCodes.Interrupted;

    /// <summary>Most characters of a usage error line: System.CommandLine quotes unknown tokens whole.</summary>
    public const int MaxErrorLength = 400;

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
            // One line, whatever went wrong: the problems, then where help is.
            string problems = string.Join("; ", parsed.Errors
                .Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.'))
                .Distinct(StringComparer.Ordinal));
            string line = InputExcerpt.Escape(problems, MaxErrorLength, out bool cut) + (cut ? "..." : "");
            string command = parsed.CommandResult.Command is RootCommand ? "p2mfuzz" : $"p2mfuzz {parsed.CommandResult.Command.Name}";
            error.WriteLine($"p2mfuzz: {line} (run '{command} --help' for usage)");
            return Usage;
        }
        try
        {
            // No default handler: it would print a stack trace and exit 1, the finding code.
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (IOException e)
        {
            // A full disk, a file system gone read-only: everything already written was written whole (atomic writes).
            error.WriteLine($"p2mfuzz: {InputExcerpt.Escape(e.Message, MaxErrorLength, out _)} (what was written before is kept)");
            return Usage;
        }
    }
}
