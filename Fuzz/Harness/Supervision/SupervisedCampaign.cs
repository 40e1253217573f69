using System.Diagnostics;
using System.Text.Json.Nodes;
using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A campaign whose workers are child processes (<see cref="WorkerChild"/>), watched the way libFuzzer's
/// fork mode and AFL++'s fork server watch theirs: a worker that dies is a <c>crash</c> finding, one stuck on
/// an input past the timeout a <c>timeout</c>, one over the memory limit an <c>oom</c>, each with the input
/// and step its status page shows; the worker is then started again with its corpus, past that input, and
/// the campaign ends on time. Workers share one corpus directory and meet every
/// <see cref="MeetEvery"/> executions to take in each other's new entries; with a run budget they wait for
/// each other at every meeting, so the same seed, runs and jobs give the same corpus and findings.
/// </summary>
internal sealed class SupervisedCampaign
{
    /// <summary>Executions between meetings of the workers (more than one job only).</summary>
    public const int MeetEvery = 500;


    /// <summary>How often a worker's resident memory is read.</summary>
    internal static readonly TimeSpan ResidentEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the workers are looked at.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    private readonly CampaignOptions _options;
    private readonly TextWriter _warnings;
    private readonly HashSet<string> _corpus = new(StringComparer.Ordinal);
    private int _restarts;
    private Action<NewCoverage> _added = _ => { };

    public SupervisedCampaign(CampaignOptions options, TextWriter warnings)
    {
        _options = options;
        _warnings = warnings;
    }

    public CampaignResult Run(IReadOnlyList<CorpusEntry> seeds, CrashStore? crashes, SinkFactory sinks, Action<CampaignStatus> report,
        Action<NewCoverage> added, CancellationToken token)
    {
        _added = added;
        using RunDirectory run = RunDirectory.Create();
        string corpus = _options.CorpusDirectory ?? run.File("corpus");
        Directory.CreateDirectory(corpus);
        ChildCommand command = _options.Supervision.ResolveChild();
        using FindingSink sink = sinks(crashes,
            cancel => new SupervisedExecutor(_options.Implementation, _options.Supervision, _options.Limits, run) { Cancellation = cancel }, null);

        var slots = new WorkerSlot[_options.Jobs];
        try
        {
            for (int k = 0; k < slots.Length; k++)
            {
                slots[k] = new WorkerSlot(k, Campaign.RunShare(_options, k));
                Start(slots[k], run, command, corpus, seeds, startExec: 0, startSteps: 0);
            }
            Loop(slots, sink, report, token);
        }
        finally
        {
            StopAll(slots.OfType<WorkerSlot>(), sink);
        }
        sink.Finish(Campaign.MinimizeGrace(_options));
        CampaignStatus final = Snapshot(slots, sink);
        return new CampaignResult(final, sink.Snapshot(), token.IsCancellationRequested, []) { KnownFindings = sink.KnownSnapshot() };
    }

    private readonly Stopwatch _clock = new();
    private readonly Stopwatch _sinceNewFeature = new();
    private int _lastFeatures;
    private long _peakRssMb;

    private void Loop(WorkerSlot[] slots, FindingSink sink, Action<CampaignStatus> report, CancellationToken token)
    {
        _clock.Start();
        _sinceNewFeature.Start();
        TimeSpan every = TimeSpan.FromSeconds(Math.Max(0.05, _options.StatusEverySeconds));
        TimeSpan nextStatus = every;
        while (!token.IsCancellationRequested && !(_options.TimeSeconds is double limit && _clock.Elapsed.TotalSeconds >= limit))
        {
            foreach (WorkerSlot slot in slots)
            {
                Pump(slot, slots, sink);
                Watch(slot, slots, sink);
            }
            if (_options.Jobs > 1 && _options.Runs is not null) ReleaseMeetings(slots);
            if (slots.All(s => s.Finished)) break;
            if (_clock.Elapsed >= nextStatus)
            {
                report(Snapshot(slots, sink));
                nextStatus = _clock.Elapsed + every;
            }
            Thread.Sleep(Poll);
        }
    }

    // ---- messages ------------------------------------------------------------------------------

    /// <summary>Takes every message a worker has sent so far.</summary>
    private void Pump(WorkerSlot slot, WorkerSlot[] slots, FindingSink sink)
    {
        if (slot.Child is not { } child) return;
        while (child.TryReceive(TimeSpan.Zero, out JsonObject message))
        {
            switch ((string?)message["t"])
            {
                case "ready":
                    slot.Name = (string?)message["name"] ?? _options.Implementation.ToString();
                    slot.Ready = true;
                    break;
                case "load-error":
                    throw new ImplementationException((string?)message["message"] ?? $"--impl {_options.Implementation}: could not be loaded");
                case "entry" when (string?)message["path"] is { } path:
                    Added(slot, path, slots);
                    if ((string?)message["ms"] is { } mutation)
                        _added(new NewCoverage((long?)message["exec"] ?? 0, Math.Max((int?)message["ft"] ?? 0, _lastFeatures), _corpus.Count, mutation) { Entry = path });
                    break;
                case "tally":
                    slot.Tally = WorkerTally.FromJson(message);
                    break;
                case "finding":
                    Verdict verdict = VerdictWire.FromJson(message["verdict"] as JsonObject ?? throw new InvalidDataException("worker: finding without a verdict"));
                    Script script = ScriptParser.Parse((string?)message["input"] ?? "", "finding", Inputs.InputLimits.None);
                    sink.Report(verdict, FuzzInput.FromScript(script), slot.Seed);
                    break;
                case "sync":
                    slot.Reach((long?)message["meeting"] ?? 0);
                    break;
                case "restart":
                    slot.RestartAt = (long?)message["exec"];
                    break;
                case "done" or "stopped":
                    slot.Finish();
                    break;
            }
        }
    }

    /// <summary>A worker's new corpus entry: in its log, and, with a time budget, sent to every other worker at once.</summary>
    private void Added(WorkerSlot slot, string path, WorkerSlot[] slots)
    {
        _corpus.Add(path);
        slot.Log.Add(path);
        slot.Current.Add(path);
        if (_options.Jobs == 1 || _options.Runs is not null) return;
        foreach (WorkerSlot other in slots)
        {
            if (other == slot || other.Finished || other.Child is null) continue;
            other.Log.Add(path);
            other.Child.Send(new JsonObject { ["t"] = "import", ["entries"] = new JsonArray(path) });
        }
    }

    /// <summary>
    /// With a run budget: once every worker has reached a meeting (or finished), each waiting worker gets what
    /// the others found before it, in worker order, and goes on. The order of imports never depends on timing.
    /// </summary>
    private static void ReleaseMeetings(WorkerSlot[] slots)
    {
        foreach (WorkerSlot slot in slots)
        {
            if (slot.Finished || slot.Reached <= slot.Released || slot.Child is null) continue;
            long meeting = slot.Reached;
            if (!slots.All(s => s.Finished || s.Reached >= meeting)) continue;
            var entries = new JsonArray();
            foreach (WorkerSlot other in slots)
            {
                if (other == slot) continue;
                foreach (string path in other.EntriesOf(meeting))
                {
                    entries.Add(path);
                    slot.Log.Add(path);
                }
            }
            slot.Child.Send(new JsonObject { ["t"] = "go", ["meeting"] = meeting, ["entries"] = entries });
            slot.Released = meeting;
        }
    }

    // ---- the watch -----------------------------------------------------------------------------

    /// <summary>Judges a worker's health: gone, stuck past the timeout, or over the memory limit.</summary>
    private void Watch(WorkerSlot slot, WorkerSlot[] slots, FindingSink sink)
    {
        if (slot.Finished || slot.Child is not { } child || slot.Page is not { } page) return;
        slot.Remember(page);
        if (child.HasExited || child.OutputEnded)
        {
            child.WaitForExit(TimeSpan.FromSeconds(5));
            Pump(slot, slots, sink);
            if (slot.Finished) return;
            if (!slot.Ready)
            {
                // Dying before the implementation is built is a broken plugin, not a finding.
                (string _, string summary) = ChildExit.Describe(child.ExitCode, child.StderrTail);
                throw new ImplementationException($"--impl {_options.Implementation}: the worker process died while loading it: {summary}");
            }
            if (slot.RestartAt is long next)
            {
                Restart(slot, next);
                return;
            }
            Report(slot, sink, at => ChildFailure.Crashed(slot.Name, at, child.ExitCode, child.StderrTail));
            return;
        }
        if (!slot.Ready)
        {
            if (slot.SinceSerial.Elapsed > SupervisionOptions.StartupLimit)
                throw new ImplementationException($"--impl {_options.Implementation}: the worker process did not start within {SupervisionOptions.StartupLimit.TotalSeconds:0} s");
            return;
        }
        if (page.State != ChildState.Running || page.Serial != slot.LastSerial)
        {
            slot.LastSerial = page.Serial;
            slot.SinceSerial.Restart();
            return;
        }
        if (slot.SinceSerial.Elapsed.TotalSeconds > _options.Supervision.TimeoutSeconds)
        {
            long held = child.ResidentBytes >> 20;
            Report(slot, sink, at => ChildFailure.TimedOut(slot.Name, at, _options.Supervision.TimeoutSeconds, held, _options.Supervision.RssLimitMb));
            return;
        }
        // Reading /proc costs more than the rest of a look: every tenth of a second is enough, as the heap
        // limit the child runs with already stops a managed runaway.
        if (slot.SinceResident.Elapsed < ResidentEvery) return;
        slot.SinceResident.Restart();
        long resident = child.ResidentBytes;
        if (resident > (long)_options.Supervision.RssLimitMb << 20)
            Report(slot, sink, at => ChildFailure.OutOfMemory(slot.Name, at, resident >> 20, _options.Supervision.RssLimitMb));
    }

    /// <summary>
    /// A worker that could not report for itself: its last input (from its page) is the finding, stored at once;
    /// then a new worker takes its place, resuming after that input.
    /// </summary>
    private void Report(WorkerSlot slot, FindingSink sink, Func<ChildFailure.Progress, Verdict> judge)
    {
        StatusPage page = slot.Page!;
        FuzzInput input = OpCodec.Decode(page.ReadInput());
        int step = page.Step;
        Op? op = step >= 1 && step <= input.Ops.Length ? input.Ops[step - 1] : null;
        var at = new ChildFailure.Progress(op is null ? 0 : step, op is null ? 0 : page.Line, op, null, _options.Implementation.LabelAt(page.Member));
        long exec = page.Execs;
        slot.Child!.Kill();
        sink.Report(judge(at), input, slot.Seed);
        Restart(slot, exec + 1);
    }

    private void Restart(WorkerSlot slot, long startExec)
    {
        long steps = slot.Page?.Steps ?? 0;
        slot.Close();
        _restarts++;
        slot.Restarts++;
        if (slot.EndExec is long end && startExec >= end)
        {
            slot.Finish();
            return;
        }
        Start(slot, slot.Run!, slot.Command!, slot.CorpusDirectory!, slot.Seeds!, startExec, steps);
    }

    // ---- starting and stopping -----------------------------------------------------------------

    private void Start(WorkerSlot slot, RunDirectory run, ChildCommand command, string corpus, IReadOnlyList<CorpusEntry> seeds, long startExec, long startSteps)
    {
        slot.Run = run;
        slot.Command = command;
        slot.CorpusDirectory = corpus;
        slot.Seeds = seeds;
        string name = $"worker-{slot.Index}-{slot.Restarts}";
        string pagePath = run.File(name + ".page"), planPath = run.File(name + ".plan");
        slot.Page = StatusPage.Create(pagePath);
        // Until the new child writes its own, the page carries on from where its predecessor stopped.
        slot.Page.SetCounters(startExec, startSteps, 0);
        slot.Seed = Campaign.WorkerSeed(_options.Seed, slot.Index, slot.Restarts);
        new ChildPlan
        {
            Implementation = _options.Implementation.Text,
            StatusPage = pagePath,
            Limits = _options.Limits,
            Worker = new WorkerPlan
            {
                Index = slot.Index,
                Seed = slot.Seed,
                StartExec = startExec,
                StartSteps = startSteps,
                EndExec = slot.EndExec,
                Geometries = [.. _options.Geometries.Select(g => g.Name)],
                MaxOps = _options.MaxOps,
                Coverage = _options.Coverage.Name(),
                CorpusDirectory = corpus,
                Seeds = [.. seeds.Select(s => s.Path)],
                Restore = [.. slot.Log],
                SyncEvery = _options.Jobs > 1 ? MeetEvery : 0,
                WaitAtSync = _options.Runs is not null,
            },
        }.Write(planPath);
        slot.Child = ChildProcess.Start(command, ["_worker", planPath], _options.Supervision, _options.Implementation.ChildEnvironment());
        slot.Ready = false;
        slot.LastSerial = -1;
        slot.SinceSerial.Restart();
    }

    /// <summary>Asks every worker to stop after its current input, waits a little, then kills what is left; keeps what they sent.</summary>
    private void StopAll(IEnumerable<WorkerSlot> slots, FindingSink sink)
    {
        WorkerSlot[] live = slots.Where(s => s.Child is { HasExited: false }).ToArray();
        foreach (WorkerSlot slot in live) slot.Child!.Send(new JsonObject { ["t"] = "stop" });
        var clock = Stopwatch.StartNew();
        foreach (WorkerSlot slot in live)
        {
            TimeSpan left = TimeSpan.FromSeconds(2) - clock.Elapsed;
            slot.Child!.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        foreach (WorkerSlot slot in slots)
        {
            if (slot.Child is null) continue;
            slot.Child.Kill();
            try
            {
                Pump(slot, [], sink);
            }
            catch (ImplementationException)
            {
                // Already being reported.
            }
            slot.Remember(slot.Page);
            slot.Close();
        }
    }

    private CampaignStatus Snapshot(WorkerSlot[] slots, FindingSink sink)
    {
        var features = new FeatureSet();
        var tally = new WorkerTally();
        foreach (WorkerSlot slot in slots.OfType<WorkerSlot>())
        {
            slot.Remember(slot.Page);
            features.UnionWith(slot.Features);
            tally.Add(slot.Predecessors);
            tally.Add(slot.Tally);
        }
        if (features.Count > _lastFeatures)
        {
            _lastFeatures = features.Count;
            _sinceNewFeature.Restart();
        }
        return new CampaignStatus(
            Seconds: _clock.Elapsed.TotalSeconds,
            Execs: slots.OfType<WorkerSlot>().Sum(s => s.Execs),
            Steps: slots.OfType<WorkerSlot>().Sum(s => s.Steps),
            Features: features.Count,
            CorpusSize: _corpus.Count,
            Findings: sink.Count,
            SecondsSinceNewFeature: _sinceNewFeature.Elapsed.TotalSeconds)
        {
            Restarts = _restarts,
            RssMb = _peakRssMb = Math.Max(_peakRssMb, slots.OfType<WorkerSlot>().Sum(s => s.Child is { HasExited: false } child ? child.ResidentBytes : 0) >> 20),
            WorkersAlive = slots.OfType<WorkerSlot>().Count(s => !s.Finished && s.Child is { HasExited: false }),
            Mutators = tally.Mutations.Snapshot(),
            Probes = tally.Probes.Snapshot(),
        };
    }

    /// <summary>One worker position: the process in it now, and what survives its restarts.</summary>
    private sealed class WorkerSlot(int index, long? endExec)
    {
        private readonly Dictionary<long, List<string>> _byMeeting = new();

        public int Index => index;
        public long? EndExec => endExec;
        public ChildProcess? Child { get; set; }
        public StatusPage? Page { get; set; }
        public string Name { get; set; } = "engine";
        public ulong Seed { get; set; }
        public int Restarts { get; set; }
        public bool Finished { get; private set; }
        public bool Ready { get; set; }
        public long? RestartAt { get; set; }

        /// <summary>Every corpus entry the worker holds, in the order it took them: what a restarted worker restores.</summary>
        public List<string> Log { get; } = new();

        /// <summary>Entries the worker found since its last meeting.</summary>
        public List<string> Current { get; private set; } = new();

        /// <summary>The last meeting the worker reached, and the last one it was let go from.</summary>
        public long Reached { get; private set; }
        public long Released { get; set; }

        public long LastSerial { get; set; }
        public Stopwatch SinceSerial { get; } = new();
        public Stopwatch SinceResident { get; } = Stopwatch.StartNew();

        // Counters last read from a page: they outlive the process that wrote them.
        public long Execs { get; private set; }
        public long Steps { get; private set; }
        public FeatureSet Features { get; } = new();

        /// <summary>The tally the process in the slot last sent, and what the processes before it sent last.</summary>
        public WorkerTally Tally { get; set; } = new();
        public WorkerTally Predecessors { get; } = new();

        public RunDirectory? Run { get; set; }
        public ChildCommand? Command { get; set; }
        public string? CorpusDirectory { get; set; }
        public IReadOnlyList<CorpusEntry>? Seeds { get; set; }

        public void Reach(long meeting)
        {
            _byMeeting[meeting] = Current;
            Current = new List<string>();
            Reached = meeting;
        }

        /// <summary>The worker is done: what it found since its last meeting belongs to the next one.</summary>
        public void Finish()
        {
            if (Finished) return;
            _byMeeting[Reached + 1] = Current;
            Current = new List<string>();
            Finished = true;
        }

        public IReadOnlyList<string> EntriesOf(long meeting) => _byMeeting.TryGetValue(meeting, out var entries) ? entries : [];

        public void Remember(StatusPage? page)
        {
            if (page is null) return;
            Execs = page.Execs;
            Steps = page.Steps;
            page.AddFeaturesTo(Features);
        }

        public void Close()
        {
            Remember(Page);
            Predecessors.Add(Tally);
            Tally = new WorkerTally();
            Child?.Dispose();
            Child = null;
            if (Page is not null)
            {
                string path = Page.Path;
                Page.Dispose();
                TryDelete(path);
                TryDelete(Path.ChangeExtension(path, ".plan"));
            }
            Page = null;
            RestartAt = null;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
