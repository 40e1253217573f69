using System.Diagnostics;
using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Findings;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// A coverage-guided, structure-aware differential campaign: <see cref="CampaignOptions.Jobs"/>
/// workers on their own threads, each deterministic from its seed, coordinated here: the budget
/// (runs or seconds), cancellation (Ctrl-C), periodic status and stats lines, and the final summary.
/// Corpus entries and findings are on disk as soon as they are found.
/// </summary>
public sealed class Campaign
{
    private readonly CampaignOptions _options;

    /// <summary>A campaign with these options; nothing runs until <see cref="Run"/>.</summary>
    public Campaign(CampaignOptions options)
    {
        if (options.Jobs < 1) throw new ArgumentOutOfRangeException(nameof(options), "jobs must be at least 1");
        if (options.Geometries.Count == 0) throw new ArgumentOutOfRangeException(nameof(options), "at least one geometry");
        if (options.MaxOps is < 1 or > CodecLimits.DefaultMaxOps)
            throw new ArgumentOutOfRangeException(nameof(options), $"max ops must be 1 to {CodecLimits.DefaultMaxOps}, what the corpus format holds");
        _options = options;
    }

    /// <summary>Called with a snapshot every <see cref="CampaignOptions.StatusEverySeconds"/>, from the coordinating thread.</summary>
    public event Action<CampaignStatus>? Status;

    /// <summary>Called once per new unique finding, as soon as it is stored (from a worker thread).</summary>
    public event Action<Finding>? NewFinding;

    /// <summary>Where unreadable corpus files and other warnings are reported.</summary>
    public TextWriter Warnings { get; init; } = TextWriter.Null;

    /// <summary>Runs the campaign until the budget is spent or <paramref name="token"/> is cancelled.</summary>
    public CampaignResult Run(CancellationToken token)
    {
        var seeds = CorpusStore.Load(_options.SeedDirectories.Concat(_options.CorpusDirectory is null ? [] : [_options.CorpusDirectory]), Warnings, _options.Limits);
        CorpusStore? store = _options.CorpusDirectory is null ? null : new CorpusStore(_options.CorpusDirectory, Warnings);
        CrashStore? crashes = _options.CrashesDirectory is null ? null : new CrashStore(_options.CrashesDirectory, Warnings, _options.Limits);
        Func<P2MConfig, IP2M> engine = _options.Engine ?? (c => new Engine.EngineP2M(c));
        Func<P2MConfig, IP2M> model = _options.Model ?? (c => new Oracle.OracleP2M(c));
        var runner = new Running.DifferentialRunner(engine, model);
        var sink = new FindingSink(crashes, input => runner.Run(input.Config, input.Ops), _options.Minimize, f => NewFinding?.Invoke(f));

        var workers = Enumerable.Range(0, _options.Jobs)
            .Select(k => new FuzzWorker(k, _options, store, sink))
            .ToArray();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clock = Stopwatch.StartNew();
        var threads = workers.Select((worker, k) =>
        {
            // An even, deterministic split of the run budget: worker k's share never depends on timing.
            long runs = _options.Runs is long total ? total / _options.Jobs + (k < total % _options.Jobs ? 1 : 0) : long.MaxValue;
            var thread = new Thread(() => worker.Run(seeds, runs, stop.Token)) { IsBackground = true, Name = $"fuzz-worker-{k}" };
            thread.Start();
            return thread;
        }).ToArray();

        using StatsFile? stats = _options.StatsFile is null ? null : new StatsFile(_options.StatsFile);
        TimeSpan every = TimeSpan.FromSeconds(Math.Max(0.05, _options.StatusEverySeconds));
        while (!threads.All(t => t.Join(every)))
        {
            if (_options.TimeSeconds is double limit && clock.Elapsed.TotalSeconds >= limit) stop.Cancel();
            CampaignStatus status = Snapshot(workers, sink, clock);
            stats?.Write(status);
            Status?.Invoke(status);
        }
        CampaignStatus final = Snapshot(workers, sink, clock);
        stats?.Write(final);
        var errors = workers.Where(w => w.HarnessError is not null).Select(w => w.HarnessError!).ToArray();
        foreach (var error in errors) Warnings.WriteLine($"campaign: a worker stopped on a harness bug: {error}");
        return new CampaignResult(final, sink.Snapshot(), token.IsCancellationRequested, errors) { KnownSignatures = sink.KnownSignaturesSnapshot() };
    }

    private static CampaignStatus Snapshot(FuzzWorker[] workers, FindingSink sink, Stopwatch clock)
    {
        var features = new FeatureSet();
        foreach (var worker in workers) features.UnionWith(worker.Features);
        return new CampaignStatus(
            Seconds: clock.Elapsed.TotalSeconds,
            Execs: workers.Sum(w => w.Execs),
            Steps: workers.Sum(w => w.Steps),
            Features: features.Count,
            CorpusSize: workers.Sum(w => w.CorpusSize),
            Findings: sink.Count,
            SecondsSinceNewFeature: workers.Min(w => w.MillisecondsSinceNewFeature) / 1000.0);
    }
}
