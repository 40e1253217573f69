using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// The campaign's workers as threads of this process, unsupervised (<c>--in-process</c>): the mode to run
/// under a debugger. Each worker keeps a corpus of its own. A worker stuck on one input past the timeout is
/// reported as a <c>timeout</c> finding (not minimised: that would hang too) and left behind, so the
/// campaign still ends on time; a crash of the code under test ends the process, which is what the
/// supervised mode is for.
/// </summary>
internal sealed class InProcessCampaign
{
    private readonly CampaignOptions _options;
    private readonly TextWriter _warnings;

    public InProcessCampaign(CampaignOptions options, TextWriter warnings)
    {
        _options = options;
        _warnings = warnings;
    }

    public CampaignResult Run(IReadOnlyList<CorpusEntry> seeds, CrashStore? crashes, SinkFactory sinks, Action<CampaignStatus> report,
        Action<NewCoverage> added, CancellationToken token)
    {
        ImplementationSpec implementation = _options.Implementation;
        Func<P2MConfig, IP2M>? model = _options.Model;
        CorpusStore? store = _options.CorpusDirectory is null ? null : new CorpusStore(_options.CorpusDirectory);
        using FindingSink sink = sinks(crashes, _ => new ImplementationsRunner(implementation, model),
            verdict => verdict.Kind is not (VerdictKind.Timeout or VerdictKind.Crash or VerdictKind.Oom));

        var hosts = new ThreadHost[_options.Jobs];
        var workers = new FuzzWorker[_options.Jobs];
        for (int k = 0; k < workers.Length; k++)
        {
            var settings = new WorkerSettings(Campaign.WorkerSeed(_options.Seed, k, 0), _options.Geometries, _options.MaxOps)
            {
                EndExec = Campaign.RunShare(_options, k),
            };
            hosts[k] = new ThreadHost(settings.Seed, store, sink,
                (exec, features, mutation, entry) => added(new NewCoverage(exec, features, workers.Sum(w => w?.CorpusSize ?? 0), mutation) { Entry = entry }));
            workers[k] = new FuzzWorker(settings, hosts[k], new CoverageRunner(implementation, model, _options.Coverage));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clock = Stopwatch.StartNew();
        var errors = new Exception?[workers.Length];
        var threads = workers.Select((worker, k) =>
        {
            var thread = new Thread(() =>
            {
                try
                {
                    worker.Run(seeds, stop.Token);
                }
                catch (Exception e)
                {
                    // A bug of the harness (the engine's are findings): this worker stops, the others go on.
                    errors[k] = e;
                }
            }) { IsBackground = true, Name = $"fuzz-worker-{k}" };
            thread.Start();
            return thread;
        }).ToArray();

        TimeSpan every = TimeSpan.FromSeconds(Math.Max(0.05, _options.StatusEverySeconds));
        var stuck = new bool[workers.Length];
        while (!AllEnded(threads, stuck, every))
        {
            if (_options.TimeSeconds is double limit && clock.Elapsed.TotalSeconds >= limit) stop.Cancel();
            FindStuck(hosts, stuck, sink);
            // Cancelled with a worker stuck in an input that never returns: nothing will join it; stop waiting.
            if (stop.IsCancellationRequested && threads.Where((t, k) => !stuck[k]).All(t => !t.IsAlive)) break;
            report(Snapshot(workers, threads, sink, clock));
        }
        sink.Finish(Campaign.MinimizeGrace(_options));
        CampaignStatus final = Snapshot(workers, threads, sink, clock);
        var harnessErrors = errors.OfType<Exception>().ToArray();
        foreach (var error in harnessErrors) _warnings.WriteLine($"campaign: a worker stopped on a harness bug: {error}");
        return new CampaignResult(final, sink.Snapshot(), token.IsCancellationRequested, harnessErrors) { KnownFindings = sink.KnownSnapshot() };
    }

    /// <summary>Waits up to <paramref name="every"/> for the workers; true when every one not stuck has ended.</summary>
    private static bool AllEnded(Thread[] threads, bool[] stuck, TimeSpan every)
    {
        var deadline = Stopwatch.StartNew();
        for (int k = 0; k < threads.Length; k++)
        {
            if (stuck[k]) continue;
            TimeSpan left = every - deadline.Elapsed;
            if (!threads[k].Join(left > TimeSpan.Zero ? left : TimeSpan.Zero)) return false;
        }
        return true;
    }

    /// <summary>A worker whose current input has run past the timeout is reported once, and no longer waited for.</summary>
    private void FindStuck(ThreadHost[] hosts, bool[] stuck, FindingSink sink)
    {
        for (int k = 0; k < hosts.Length; k++)
        {
            if (stuck[k] || !hosts[k].Running(out FuzzInput? current, out TimeSpan running) || running.TotalSeconds <= _options.Supervision.TimeoutSeconds) continue;
            stuck[k] = true;
            var verdict = new Verdict
            {
                Kind = VerdictKind.Timeout,
                Field = Supervision.ChildFailure.TimeoutField,
                LeftName = _options.Implementation.ToString(),
                LeftValue = $"no answer after {_options.Supervision.TimeoutSeconds} s",
                RightName = "expected",
                RightValue = "an answer within the time limit",
                Message = "a worker thread is stuck in this input (in-process mode cannot tell the step, nor stop the thread)",
            };
            sink.Report(verdict, current, hosts[k].Seed);
        }
    }

    /// <summary>
    /// The campaign now. The tallies are read while the workers count into them: a snapshot may be a count
    /// behind, never torn (each count is one aligned 64-bit word).
    /// </summary>
    private static CampaignStatus Snapshot(FuzzWorker[] workers, Thread[] threads, FindingSink sink, Stopwatch clock)
    {
        var features = new FeatureSet();
        var tally = new WorkerTally();
        foreach (var worker in workers)
        {
            features.UnionWith(worker.Features);
            tally.Add(worker.Tally);
        }
        return new CampaignStatus(
            Seconds: clock.Elapsed.TotalSeconds,
            Execs: workers.Sum(w => w.Execs),
            Steps: workers.Sum(w => w.Steps),
            Features: features.Count,
            CorpusSize: workers.Sum(w => w.CorpusSize),
            Findings: sink.Count,
            SecondsSinceNewFeature: workers.Min(w => w.MillisecondsSinceNewFeature) / 1000.0)
        {
            RssMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20,
            WorkersAlive = threads.Count(t => t.IsAlive),
            Mutators = tally.Mutations.Snapshot(),
            Probes = tally.Probes.Snapshot(),
        };
    }

    /// <summary>A worker thread's host: findings to the sink, new coverage to the corpus directory, the input in flight for the watch.</summary>
    private sealed class ThreadHost(ulong seed, CorpusStore? store, FindingSink sink, Action<long, int, string, string?> added) : IWorkerHost
    {
        // The input in flight and when it started, two fields rather than one object per execution. The
        // worker writes the time first and the input last, the watch reads them the other way round, so
        // an input is never paired with an older start (a newer one only delays the watch by a round).
        private volatile FuzzInput? _current;
        private long _started;

        public ulong Seed => seed;

        /// <summary>The input in flight and how long it has run; false between inputs.</summary>
        public bool Running([NotNullWhen(true)] out FuzzInput? input, out TimeSpan running)
        {
            input = _current;
            running = Stopwatch.GetElapsedTime(Volatile.Read(ref _started));
            return input is not null;
        }

        public void Executing(FuzzInput input)
        {
            Volatile.Write(ref _started, Stopwatch.GetTimestamp());
            _current = input;
        }

        public void Found(Verdict verdict, FuzzInput input, long exec) => sink.Report(verdict, input, seed);

        public void Added(FuzzInput input, CorpusEntry? fromSeed, long exec, int features, string? mutation)
        {
            if (fromSeed is not null) return;
            string? entry = store?.Save(input, out _);
            if (mutation is not null) added(exec, features, mutation, entry);
        }

        public void Progress(FuzzWorker worker) => _current = null;

        public IReadOnlyList<CorpusEntry> Meet(long meeting) => [];
    }
}
