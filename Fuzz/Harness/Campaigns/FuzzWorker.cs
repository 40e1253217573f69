using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// One worker's loop, as libFuzzer's FuzzerLoop: pick an input from the corpus (or make a new
/// one), mutate it, run it engine against oracle with coverage on, keep it if it reached a new
/// feature, report it if it failed. Everything it does follows from its seed, the seeds it was
/// given and what it imports at its meetings with other workers, so a worker's run with a run
/// budget is the same on every machine. Where its results go is its host's business: another
/// thread's (in-process) or a supervisor's, across a process boundary.
/// </summary>
internal sealed class FuzzWorker
{
    private readonly WorkerSettings _settings;
    private readonly IWorkerHost _host;
    private readonly FuzzRandom _random;
    private readonly OpGenerator _generator;
    private readonly InputMutator _mutator;
    private readonly CoverageRunner _runner;
    private readonly List<FuzzInput> _corpus = new();
    private readonly Geometry[] _geometries;

    private long _execs;
    private long _steps;
    private long _lastNewFeatureTicks;
    private int _corpusSize;

    public FuzzWorker(WorkerSettings settings, IWorkerHost host, CoverageRunner runner)
    {
        _settings = settings;
        _host = host;
        _runner = runner;
        _random = new FuzzRandom(settings.Seed);
        _generator = new OpGenerator(_random);
        _mutator = new InputMutator(_random, _generator, settings.MaxOps);
        _geometries = settings.Geometries.ToArray();
        _execs = settings.StartExec;
        _steps = settings.StartSteps;
        _lastNewFeatureTicks = Environment.TickCount64;
    }

    /// <summary>Features this worker has seen.</summary>
    public FeatureSet Features { get; } = new();

    /// <summary>Executions so far, its predecessors' included (read by other threads while the worker runs).</summary>
    public long Execs => Interlocked.Read(ref _execs);

    /// <summary>Operations run so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>
    /// Per-mutator and per-probe counts of this process's executions (not its predecessors'), written by the
    /// worker's thread only: a host reads them between executions, or from the worker's own thread.
    /// </summary>
    public WorkerTally Tally { get; } = new();

    /// <summary>Inputs in this worker's corpus.</summary>
    public int CorpusSize => Volatile.Read(ref _corpusSize);

    /// <summary>Milliseconds since this worker last found a new feature.</summary>
    public long MillisecondsSinceNewFeature => Environment.TickCount64 - Interlocked.Read(ref _lastNewFeatureTicks);

    /// <summary>
    /// Puts back the corpus a predecessor had: each entry joins the corpus and adds its features,
    /// without counting as an execution or being reported again.
    /// </summary>
    public void Restore(IEnumerable<CorpusEntry> entries) => Absorb(entries);

    /// <summary>
    /// Runs the seeds not yet run (those from <see cref="WorkerSettings.StartExec"/> on, keeping those that
    /// add coverage), then fuzzes until <see cref="WorkerSettings.EndExec"/> executions are done or
    /// <paramref name="token"/> is cancelled.
    /// </summary>
    public void Run(IReadOnlyList<CorpusEntry> seeds, CancellationToken token)
    {
        long end = _settings.EndExec ?? long.MaxValue;
        // Seeds of the geometries fuzzed, in order: seed k is execution k, which is where a restarted worker resumes.
        CorpusEntry[] usable = seeds.Where(seed => _geometries.Contains(seed.Input.Geometry)).ToArray();
        for (long i = _execs; i < usable.Length; i++)
        {
            if (token.IsCancellationRequested || _execs >= end) return;
            Execute(InputBounds.Fit(usable[i].Input), usable[i], []);
        }
        while (!token.IsCancellationRequested && _execs < end)
        {
            if (_corpus.Count == 0 || _random.OneIn(8))
            {
                Execute(_generator.Input(_geometries, _settings.MaxOps), seed: null, Generated);
            }
            else
            {
                FuzzInput input = _mutator.Mutate(_corpus[_random.Below(_corpus.Count)], _corpus[_random.Below(_corpus.Count)]);
                Execute(input, seed: null, _mutator.LastSequence);
            }
        }
    }

    /// <summary>The sequence of an input made by the generators.</summary>
    private static readonly Mutator[] Generated = [Mutator.Generate];

    /// <param name="input">What to run.</param>
    /// <param name="seed">The seed it is, when it is one.</param>
    /// <param name="sequence">The mutators that made it (empty for a seed), counted per mutator.</param>
    private void Execute(FuzzInput input, CorpusEntry? seed, ReadOnlySpan<Mutator> sequence)
    {
        _host.Executing(input);
        Verdict verdict = _runner.Run(input);
        long exec = _execs;
        Count(verdict.IsPass ? input.Ops.Length : Math.Max(verdict.Step, 1));
        Tally.Probes.Add(_runner.Map);
        bool added = false;
        if (!verdict.IsPass)
        {
            _host.Found(verdict, input, exec);
        }
        else if (_runner.AddFeatures(Features) > 0)
        {
            // New coverage: the input joins this worker's corpus, and its host keeps it with how it was made.
            added = true;
            AddToCorpus(input);
            Interlocked.Exchange(ref _lastNewFeatureTicks, Environment.TickCount64);
            _host.Added(input, seed, exec, Features.Count, sequence.IsEmpty ? null : MutatorNames.Sequence(sequence));
        }
        Tally.Mutations.Count(sequence, added, failed: !verdict.IsPass);
        _host.Progress(this);
        if (_settings.SyncEvery > 0 && _execs % _settings.SyncEvery == 0)
            Absorb(_host.Meet(_execs / _settings.SyncEvery));
    }

    private void Count(long steps)
    {
        Interlocked.Add(ref _steps, steps);
        Interlocked.Increment(ref _execs);
    }

    /// <summary>
    /// Entries that join the corpus with their features, uncounted and not reported again: a predecessor's
    /// corpus, or what other workers found. Each is published as it runs, as every other input is: if the
    /// process dies on one, that is the input a supervisor must blame.
    /// </summary>
    private void Absorb(IEnumerable<CorpusEntry> entries)
    {
        foreach (CorpusEntry entry in entries)
        {
            if (!_geometries.Contains(entry.Input.Geometry)) continue;
            FuzzInput input = InputBounds.Fit(entry.Input);
            _host.Executing(input);
            _runner.Run(input);
            _runner.AddFeatures(Features);
            AddToCorpus(input);
        }
    }

    private void AddToCorpus(FuzzInput input)
    {
        _corpus.Add(input);
        Volatile.Write(ref _corpusSize, _corpus.Count);
    }
}

/// <summary>What one worker does: its seed, geometries, input size, where its executions start and stop, and how often it meets the others.</summary>
internal sealed record WorkerSettings(ulong Seed, IReadOnlyList<Geometry> Geometries, int MaxOps)
{
    /// <summary>Executions done by the processes this worker replaces.</summary>
    public long StartExec { get; init; }

    /// <summary>Steps done by the processes this worker replaces.</summary>
    public long StartSteps { get; init; }

    /// <summary>Stop once this many executions are done; null for no limit.</summary>
    public long? EndExec { get; init; }

    /// <summary>Executions between meetings with the other workers; 0 for never.</summary>
    public int SyncEvery { get; init; }
}

/// <summary>Where a <see cref="FuzzWorker"/>'s results go, and where it learns what the others found.</summary>
internal interface IWorkerHost
{
    /// <summary>An input is about to run (publish it: if the process dies, this is the input that killed it).</summary>
    void Executing(FuzzInput input);

    /// <summary>An input failed; <paramref name="exec"/> is its execution number.</summary>
    void Found(Verdict verdict, FuzzInput input, long exec);

    /// <summary>
    /// An input reached new coverage and joined the corpus; <paramref name="seed"/> is where it came from when it
    /// was a seed, <paramref name="features"/> the worker's feature count with it, and <paramref name="mutation"/>
    /// the mutators that made it (<c>MS: 2 InsertOp-ChangeArg-</c>; null for a seed).
    /// </summary>
    void Added(FuzzInput input, CorpusEntry? seed, long exec, int features, string? mutation);

    /// <summary>The worker's counters moved.</summary>
    void Progress(FuzzWorker worker);

    /// <summary>The worker reached meeting <paramref name="meeting"/>: what the other workers found since the last one.</summary>
    IReadOnlyList<CorpusEntry> Meet(long meeting);
}
