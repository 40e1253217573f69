using System.CommandLine;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The options that say what is put under test and how it is watched, shared by every command that runs
/// inputs: <c>--impl</c>, <c>--timeout</c>, <c>--rss-limit-mb</c>, and <c>--in-process</c> (today's
/// single-process mode, for a debugger: nothing then survives a hang or a crash).
/// </summary>
internal sealed class SupervisionFlags
{
    public Option<string[]> Implementation { get; } = ImplementationOption.Create();

    // Limits and defaults are the harness's (SupervisionOptions); the options only name them.
    public Option<double> Timeout { get; } = OptionValues.Seconds("--timeout",
        $"Seconds one input may run before it is a timeout finding (above 0, at most {SupervisionOptions.MaxTimeoutSeconds}).",
        SupervisionOptions.MaxTimeoutSeconds, SupervisionOptions.DefaultTimeoutSeconds);

    public Option<int> RssLimitMb { get; } = OptionValues.Whole("--rss-limit-mb",
        $"Resident memory, in MiB, above which a worker process is an oom finding ({SupervisionOptions.MinRssLimitMb} to {SupervisionOptions.MaxRssLimitMb}).",
        SupervisionOptions.MinRssLimitMb, SupervisionOptions.MaxRssLimitMb, SupervisionOptions.DefaultRssLimitMb);

    public Option<bool> InProcess { get; } = new("--in-process")
    {
        Description = "Run the code under test in this process, without supervision (for debugging: a hang or crash is not survived).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Implementation, Timeout, RssLimitMb, InProcess }) command.Options.Add(option);
    }

    /// <summary>The implementation named, or a usage error.</summary>
    /// <exception cref="ImplementationException">Not a spec.</exception>
    public ImplementationSpec ImplementationOf(ParseResult parse) => ImplementationSpec.Parse(parse.GetValue(Implementation));

    /// <summary>The limits given (the child command is this program).</summary>
    public SupervisionOptions OptionsOf(ParseResult parse) => new()
    {
        TimeoutSeconds = parse.GetValue(Timeout),
        RssLimitMb = parse.GetValue(RssLimitMb),
    };

    /// <summary>True for <c>--in-process</c>.</summary>
    public bool IsInProcess(ParseResult parse) => parse.GetValue(InProcess);

    /// <summary>
    /// A runner of the named implementation against the oracle: in this process with <c>--in-process</c>,
    /// otherwise in a supervised child process. Dispose it when done.
    /// </summary>
    /// <exception cref="ImplementationException">The implementation cannot be loaded (in-process) or named.</exception>
    public IInputRunner CreateRunner(ParseResult parse, InputLimits limits)
    {
        ImplementationSpec implementation = ImplementationOf(parse);
        if (IsInProcess(parse))
            return new ImplementationsRunner(implementation);
        return new SupervisedExecutor(implementation, OptionsOf(parse), limits);
    }
}
