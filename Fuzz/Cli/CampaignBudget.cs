using System.CommandLine;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The options that bound and seed a campaign, shared by <c>fuzz</c> and <c>gate</c> so both
/// check them the same way: a positive time of at most <see cref="MaxSeconds"/>, a run count of 0 or
/// more, 1 to <see cref="MaxJobs"/> jobs. Given both, the campaign stops at whichever comes first, as
/// libFuzzer's <c>-runs</c> with <c>-max_total_time</c>: the run count keeps a verdict reproducible, the time
/// bounds what an engine that hangs on many inputs can cost.
/// </summary>
internal sealed class CampaignBudget
{
    /// <summary>
    /// Longest <c>--time</c>: a year. Anything longer is a typo, and the campaign's timers would not hold it.
    /// </summary>
    public const double MaxSeconds = 365 * 24 * 3600;

    /// <summary>
    /// Most <c>--jobs</c>. Each job is a worker with its own engine, oracle and corpus view (a thread,
    /// later a process with its own memory limit), and more workers than cores only share them; 64 is more
    /// cores than this runs on, and keeps a mistyped <c>--jobs 10000</c> from starting thousands of workers.
    /// A fixed bound, not the machine's core count, so the same command line is valid everywhere.
    /// </summary>
    public const int MaxJobs = 64;

    /// <summary>The four options, with the defaults and descriptions of the command they serve.</summary>
    public CampaignBudget(string timeDescription, string runsDescription, ulong defaultSeed)
    {
        Time = OptionValues.OptionalSeconds("--time", timeDescription, MaxSeconds);
        Runs = OptionValues.OptionalWhole("--runs", runsDescription, 0L, long.MaxValue);
        Seed = OptionValues.Whole("--seed", "Base seed, decimal or 0x hexadecimal (worker k derives its own from it).", 0UL, ulong.MaxValue, defaultSeed);
        Jobs = OptionValues.Whole("--jobs", $"Workers, one thread each (1 to {MaxJobs}).", 1, MaxJobs, 1);
    }

    /// <summary><c>--time SECONDS</c></summary>
    public Option<double?> Time { get; }

    /// <summary><c>--runs N</c></summary>
    public Option<long?> Runs { get; }

    /// <summary><c>--seed N</c></summary>
    public Option<ulong> Seed { get; }

    /// <summary><c>--jobs N</c></summary>
    public Option<int> Jobs { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Time, Runs, Seed, Jobs }) command.Options.Add(option);
    }
}
