using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// One worker's loop, as libFuzzer's FuzzerLoop: pick an input from the corpus (or make a new
/// one), mutate it, run it engine against oracle with coverage on, keep it if it reached a new
/// feature, report it if it failed. Everything it does follows from its seed and the seeds it was
/// given, so a worker's run with a run budget is the same on every machine.
/// </summary>
internal sealed class FuzzWorker
{
    private readonly CampaignOptions _options;
    private readonly ulong _seed;
    private readonly FuzzRandom _random;
    private readonly OpGenerator _generator;
    private readonly InputMutator _mutator;
    private readonly CoverageRunner _runner;
    private readonly List<FuzzInput> _corpus = new();
    private readonly CorpusStore? _store;
    private readonly FindingSink _findings;
    private readonly Geometry[] _geometries;

    private long _execs;
    private long _steps;
    private long _lastNewFeatureTicks;

    public FuzzWorker(int index, CampaignOptions options, CorpusStore? store, FindingSink findings)
    {
        _options = options;
        _seed = options.Seed + (ulong)index * 0x9E3779B97F4A7C15UL;
        _random = new FuzzRandom(_seed);
        _generator = new OpGenerator(_random);
        _mutator = new InputMutator(_random, _generator, options.MaxOps);
        _store = store;
        _findings = findings;
        _geometries = options.Geometries.ToArray();
        _runner = new CoverageRunner(options.Engine, options.Model);
        _lastNewFeatureTicks = Environment.TickCount64;
    }

    /// <summary>Features this worker has seen.</summary>
    public FeatureSet Features { get; } = new();

    /// <summary>Executions so far (read by the coordinator while the worker runs).</summary>
    public long Execs => Interlocked.Read(ref _execs);

    /// <summary>Operations run so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Inputs in this worker's corpus.</summary>
    public int CorpusSize => Volatile.Read(ref _corpusSize);
    private int _corpusSize;

    /// <summary>Milliseconds since this worker last found a new feature.</summary>
    public long MillisecondsSinceNewFeature => Environment.TickCount64 - Interlocked.Read(ref _lastNewFeatureTicks);

    /// <summary>A bug of the harness itself (never the engine's: those are findings) that stopped this worker.</summary>
    public Exception? HarnessError { get; private set; }

    /// <summary>
    /// Runs the seeds once (keeping those that add coverage), then fuzzes until
    /// <paramref name="runs"/> executions are done or <paramref name="token"/> is cancelled.
    /// A harness bug stops this worker and is kept in <see cref="HarnessError"/>: the process, the
    /// other workers, and everything already written carry on.
    /// </summary>
    public void Run(IReadOnlyList<CorpusEntry> seeds, long runs, CancellationToken token)
    {
        try
        {
            Fuzz(seeds, runs, token);
        }
        catch (Exception e)
        {
            HarnessError = e;
        }
    }

    private void Fuzz(IReadOnlyList<CorpusEntry> seeds, long runs, CancellationToken token)
    {
        foreach (CorpusEntry seed in seeds)
        {
            if (token.IsCancellationRequested || _execs >= runs) return;
            if (_geometries.Contains(seed.Input.Geometry)) Execute(InputBounds.Fit(seed.Input), fromSeed: true);
        }
        while (!token.IsCancellationRequested && _execs < runs)
        {
            FuzzInput input = _corpus.Count == 0 || _random.OneIn(8)
                ? _generator.Input(_geometries, _options.MaxOps)
                : _mutator.Mutate(_corpus[_random.Below(_corpus.Count)], _corpus[_random.Below(_corpus.Count)]);
            Execute(input, fromSeed: false);
        }
    }

    private void Execute(FuzzInput input, bool fromSeed)
    {
        Verdict verdict = _runner.Run(input);
        Interlocked.Increment(ref _execs);
        Interlocked.Add(ref _steps, verdict.IsPass ? input.Ops.Length : Math.Max(verdict.Step, 1));
        if (!verdict.IsPass)
        {
            _findings.Report(verdict, input, _seed);
            return;
        }
        if (Features.Add(_runner.Map) == 0) return;
        // New coverage: the input joins this worker's corpus, and the corpus directory unless it came from there.
        _corpus.Add(input);
        Volatile.Write(ref _corpusSize, _corpus.Count);
        Interlocked.Exchange(ref _lastNewFeatureTicks, Environment.TickCount64);
        if (_store is not null && !fromSeed) _store.Save(input, out _);
    }
}
