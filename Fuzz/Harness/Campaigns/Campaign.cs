using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Running;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// A coverage-guided, structure-aware differential campaign: <see cref="CampaignOptions.Jobs"/> workers,
/// each deterministic from its seed, coordinated here: the budget (runs or seconds), cancellation (a signal),
/// periodic status and stats lines, and the final summary. By default the workers are supervised child
/// processes (<see cref="SupervisedCampaign"/>): whatever the code under test does to them, the campaign
/// keeps going and ends on time. <see cref="CampaignOptions.InProcess"/> runs them as threads instead
/// (<see cref="InProcessCampaign"/>). Corpus entries and findings are on disk as soon as they are found.
/// </summary>
public sealed class Campaign
{
    private readonly CampaignOptions _options;

    /// <summary>A campaign with these options; nothing runs until <see cref="Run"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of its range.</exception>
    /// <exception cref="ArgumentException">A delegate implementation (or model) without <see cref="CampaignOptions.InProcess"/>.</exception>
    public Campaign(CampaignOptions options)
    {
        if (options.Jobs < 1) throw new ArgumentOutOfRangeException(nameof(options), "jobs must be at least 1");
        if (options.Geometries.Count == 0) throw new ArgumentOutOfRangeException(nameof(options), "at least one geometry");
        if (options.MaxOps is < 1 or > CodecLimits.DefaultMaxOps)
            throw new ArgumentOutOfRangeException(nameof(options), $"max ops must be 1 to {CodecLimits.DefaultMaxOps}, what the corpus format holds");
        if (options.InProcess && options.Jobs > 1 && options.Coverage.ReadsEdges())
            throw new ArgumentException("IL edges are one map per process: in-process, only one job can read them", nameof(options));
        if (!options.InProcess && (!options.Implementation.CrossesProcesses || options.Model is not null))
            throw new ArgumentException($"{options.Implementation} cannot run in a worker process: use InProcess", nameof(options));
        _options = options;
    }

    /// <summary>Called with a snapshot every <see cref="CampaignOptions.StatusEverySeconds"/>, from the coordinating thread.</summary>
    public event Action<CampaignStatus>? Status;

    /// <summary>
    /// Called once per input that reached new coverage and joined the corpus (not for seeds), from the
    /// coordinating thread or, in-process, from the worker's: libFuzzer's <c>#N NEW</c> lines.
    /// </summary>
    public event Action<NewCoverage>? NewInput;

    /// <summary>Called once per new unique finding, as soon as it is stored as found (minimisation follows).</summary>
    public event Action<Finding>? NewFinding;

    /// <summary>Called when a finding's minimised script has been written.</summary>
    public event Action<Finding>? FindingMinimized;

    /// <summary>Where unreadable corpus files and other warnings are reported.</summary>
    public TextWriter Warnings { get; init; } = TextWriter.Null;

    /// <summary>Runs the campaign until the budget is spent or <paramref name="token"/> is cancelled.</summary>
    /// <exception cref="Implementations.ImplementationException">The implementation under test cannot be loaded.</exception>
    public CampaignResult Run(CancellationToken token)
    {
        IReadOnlyList<CorpusEntry> seeds = CorpusStore.Load(
            _options.SeedDirectories.Concat(_options.CorpusDirectory is null ? [] : [_options.CorpusDirectory]), Warnings, _options.Limits);
        CrashStore? crashes = _options.CrashesDirectory is null ? null : new CrashStore(_options.CrashesDirectory, Warnings, _options.Limits);
        using StatsFile? stats = _options.StatsFile is null ? null : new StatsFile(_options.StatsFile);
        string run = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} seed {_options.Seed}");
        int written = 0;
        void Report(CampaignStatus status)
        {
            status = WithBudget(status, run);
            // Probe hits are the bulk of a line: every tenth line carries them, and the last one.
            stats?.Write(written++ % ProbesEvery == 0 ? status : status with { Probes = null });
            Status?.Invoke(status);
        }
        void Added(NewCoverage added)
        {
            added = added with { Run = run };
            stats?.Write(added);
            NewInput?.Invoke(added);
        }
        CampaignResult result = _options.InProcess
            ? new InProcessCampaign(_options, Warnings).Run(seeds, crashes, Sink, Report, Added, token)
            : new SupervisedCampaign(_options, Warnings).Run(seeds, crashes, Sink, Report, Added, token);
        result = result with { Final = WithBudget(result.Final, run) };
        stats?.Write(result.Final);
        return result;
    }

    /// <summary>Stats lines between two that carry the probe hits.</summary>
    private const int ProbesEvery = 10;

    /// <summary>The snapshot with its run and what is left of the budget.</summary>
    private CampaignStatus WithBudget(CampaignStatus status, string run) => status with
    {
        Run = run,
        Workers = _options.Jobs,
        RunsLeft = _options.Runs is long runs ? Math.Max(runs - status.Execs, 0) : null,
        SecondsLeft = _options.TimeSeconds is double time ? Math.Max(time - status.Seconds, 0) : null,
    };

    /// <summary>The campaign's finding sink, wired to its events.</summary>
    private FindingSink Sink(CrashStore? crashes, Func<CancellationToken, IInputRunner>? minimizer, Func<Verdict, bool>? canMinimize)
    {
        var sink = new FindingSink(crashes, _options.Minimize ? minimizer : null, canMinimize);
        sink.Found += finding => NewFinding?.Invoke(finding);
        sink.Minimized += finding => FindingMinimized?.Invoke(finding);
        return sink;
    }

    /// <summary>How long pending minimisations may run after the budget is spent: a quarter of the budget, 5 to 30 seconds.</summary>
    internal static TimeSpan MinimizeGrace(CampaignOptions options) =>
        TimeSpan.FromSeconds(Math.Clamp((options.TimeSeconds ?? 40) / 4, 5, 30));

    /// <summary>Worker k's seed: the campaign seed mixed with k and with how many times the worker was restarted.</summary>
    internal static ulong WorkerSeed(ulong seed, int worker, int restart) =>
        seed + (ulong)worker * 0x9E3779B97F4A7C15UL + (ulong)restart * 0xD1B54A32D192ED03UL;

    /// <summary>An even, deterministic split of the run budget: worker k's share never depends on timing.</summary>
    internal static long? RunShare(CampaignOptions options, int worker) =>
        options.Runs is long total ? total / options.Jobs + (worker < total % options.Jobs ? 1 : 0) : null;
}

/// <summary>Builds a campaign's finding sink once the coordinator knows how candidates are run.</summary>
internal delegate FindingSink SinkFactory(CrashStore? crashes, Func<CancellationToken, IInputRunner>? minimizer, Func<Verdict, bool>? canMinimize);
