using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using P2M.Contract;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// The child side of a supervised fuzz worker: one <see cref="FuzzWorker"/> loop in its own process, as
/// AFL++'s persistent mode runs many inputs per process. Before each input it writes the input to its status
/// page; it writes new corpus entries to the shared corpus directory itself; it tells its supervisor only
/// what is rare (a new entry, a new failing signature, a meeting, the end) as JSON lines; and at meetings it
/// takes in what the other workers found.
/// </summary>
public static class WorkerChild
{
    /// <summary>Runs the worker of the plan at <paramref name="planPath"/>; returns the process's exit code.</summary>
    public static int Run(string planPath)
    {
        using IDisposable signals = ChildSignals.Ignore();
        MessageChannel messages = MessageChannel.OverStandardOutput();
        ChildPlan plan = ChildPlan.Read(planPath);
        WorkerPlan worker = plan.Worker ?? throw new InvalidDataException($"{planPath}: not a worker plan");
        using StatusPage page = StatusPage.Open(plan.StatusPage);

        ImplementationSpec implementation;
        string name;
        try
        {
            implementation = ImplementationSpec.Parse(plan.Implementation);
            name = implementation.ResolveName();
        }
        catch (ImplementationException e)
        {
            messages.Send(new JsonObject { ["t"] = "load-error", ["message"] = e.Message });
            return 2;
        }
        messages.Send(new JsonObject { ["t"] = "ready", ["name"] = name });

        using var host = new ChildHost(worker, page, messages, plan.Limits);
        var settings = new WorkerSettings(worker.Seed, [.. worker.Geometries.Select(GeometryNamed)], worker.MaxOps)
        {
            StartExec = worker.StartExec,
            StartSteps = worker.StartSteps,
            EndExec = worker.EndExec,
            SyncEvery = worker.SyncEvery,
        };
        var runner = new CoverageRunner(implementation, null, CoverageModes.Parse(worker.Coverage)) { Observer = page };
        var fuzz = new FuzzWorker(settings, host, runner);
        // From here every input is watched by the time limit, the restored ones too.
        page.State = ChildState.Running;
        fuzz.Restore(Load(worker.Restore, plan.Limits));
        fuzz.Run(Load(worker.Seeds, plan.Limits), host.Stopping);
        page.State = ChildState.Waiting;
        host.SendTally(fuzz);
        messages.Send(new JsonObject { ["t"] = host.Stopping.IsCancellationRequested ? "stopped" : "done" });
        return 0;
    }

    private static Geometry GeometryNamed(string name) =>
        Geometry.TryParse(name, out Geometry geometry) ? geometry : throw new InvalidDataException($"worker plan: unknown geometry '{name}'");

    /// <summary>Inputs by path, in order; one that cannot be read any more is left out (the supervisor read them all before).</summary>
    private static List<CorpusEntry> Load(IEnumerable<string> paths, Inputs.InputLimits limits) =>
        paths.Select(path => CorpusStore.Read(path, Console.Error, limits)).OfType<CorpusEntry>().ToList();

    /// <summary>The worker's side effects: the status page, the corpus directory, and messages both ways.</summary>
    private sealed class ChildHost : IWorkerHost, IDisposable
    {
        private readonly WorkerPlan _plan;
        private readonly StatusPage _page;
        private readonly MessageChannel _messages;
        private readonly CorpusStore _store;
        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
        private readonly BlockingCollection<JsonObject> _inbox = new();
        private readonly CancellationTokenSource _stopping = new();
        private int _publishedFeatures = -1;
        private long _nextTally;

        private readonly Inputs.InputLimits _limits;

        public ChildHost(WorkerPlan plan, StatusPage page, MessageChannel messages, Inputs.InputLimits limits)
        {
            _plan = plan;
            _limits = limits;
            _page = page;
            _messages = messages;
            _store = new CorpusStore(plan.CorpusDirectory);
            new Thread(ReadSupervisor) { IsBackground = true, Name = "supervisor-messages" }.Start();
        }

        /// <summary>Cancelled when the supervisor says stop.</summary>
        public CancellationToken Stopping => _stopping.Token;

        // Every input is encoded into this one buffer before it runs: no allocation per execution.
        private readonly ByteWriter _encoded = new();

        public void Executing(FuzzInput input)
        {
            ReadOnlySpan<byte> bytes;
            try
            {
                bytes = OpCodec.Encode(input, _encoded);
            }
            catch (ArgumentException)
            {
                // Campaign inputs are folded to what the codec holds; an input from elsewhere may not be.
                _page.BeginInput();
                return;
            }
            _page.PublishInput(bytes);
        }

        public void Found(Verdict verdict, FuzzInput input, long exec)
        {
            // Each signature once: the supervisor deduplicates across workers, no need to flood it.
            if (_reported.Add(verdict.Signature))
            {
                _messages.Send(new JsonObject
                {
                    ["t"] = "finding",
                    ["exec"] = exec,
                    ["verdict"] = VerdictWire.ToJson(verdict),
                    ["input"] = ScriptPrinter.Print(input.ToScript("finding")),
                });
            }
            if (verdict.Kind == VerdictKind.Oom)
            {
                // The memory the code under test took is still held: a fresh process goes on from the next input.
                _page.SetCounters(exec + 1, _page.Steps, _page.CorpusSize);
                _messages.Send(new JsonObject { ["t"] = "restart", ["exec"] = exec + 1 });
                Environment.Exit(0);
            }
        }

        public void Added(FuzzInput input, CorpusEntry? seed, long exec, int features, string? mutation)
        {
            string path = seed?.Path ?? _store.Save(input, out _);
            _messages.Send(new JsonObject { ["t"] = "entry", ["path"] = path, ["exec"] = exec, ["ft"] = features, ["ms"] = mutation });
        }

        /// <summary>Sends the worker's per-mutator and per-probe counts so far (this process's, cumulative).</summary>
        public void SendTally(FuzzWorker worker)
        {
            JsonObject tally = worker.Tally.ToJson();
            tally["t"] = "tally";
            _messages.Send(tally);
        }

        public void Progress(FuzzWorker worker)
        {
            _page.SetCounters(worker.Execs, worker.Steps, worker.CorpusSize);
            if (worker.Features.Count != _publishedFeatures)
            {
                _page.SetFeatures(worker.Features);
                _publishedFeatures = worker.Features.Count;
            }
            // The tally goes about once a second (a clock read per execution, a message per second).
            if (Environment.TickCount64 >= _nextTally)
            {
                SendTally(worker);
                _nextTally = Environment.TickCount64 + 1000;
            }
        }

        public IReadOnlyList<CorpusEntry> Meet(long meeting)
        {
            _messages.Send(new JsonObject { ["t"] = "sync", ["meeting"] = meeting });
            var imports = new List<string>();
            if (_plan.WaitAtSync)
            {
                // A run budget: wait until the supervisor has heard every worker reach this meeting.
                _page.State = ChildState.Waiting;
                while (!_stopping.IsCancellationRequested)
                {
                    JsonObject message = _inbox.Take(_stopping.Token);
                    Collect(message, imports);
                    if ((string?)message["t"] == "go" && (long?)message["meeting"] == meeting) break;
                }
                _page.State = ChildState.Running;
            }
            else
            {
                while (_inbox.TryTake(out JsonObject? message)) Collect(message, imports);
            }
            return Load(imports, _limits);
        }

        private static void Collect(JsonObject message, List<string> imports)
        {
            if (message["entries"] is JsonArray entries)
                imports.AddRange(entries.Select(e => (string?)e).OfType<string>());
        }

        private void ReadSupervisor()
        {
            try
            {
                while (Console.In.ReadLine() is { } line)
                {
                    if (JsonNode.Parse(line) is not JsonObject message) continue;
                    if ((string?)message["t"] == "stop") _stopping.Cancel();
                    else _inbox.Add(message);
                }
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
            {
            }
            // The supervisor is gone (its end of the pipe closed): nobody is left to report to.
            Environment.Exit(0);
        }

        public void Dispose() => _stopping.Dispose();
    }
}
