using System.Diagnostics;
using System.Text.Json.Nodes;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// Runs inputs in a child process (an <see cref="ExecServer"/>) and judges what the child cannot: a child
/// that dies is a <c>crash</c> verdict, one that gives no answer within the timeout a <c>timeout</c>, one
/// whose resident memory passes the limit an <c>oom</c>, each at the step its status page names. The child
/// stays up between inputs and is started again after one of those, so replay, minimisation and the gate
/// go on past anything an input does.
/// </summary>
/// <remarks>Not thread-safe: one executor per thread.</remarks>
public sealed class SupervisedExecutor : IInputRunner, IDisposable
{

    /// <summary>How often a running child is looked at.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly ImplementationSpec _implementation;
    private readonly SupervisionOptions _options;
    private readonly InputLimits _limits;
    private readonly RunDirectory _directory;
    private readonly bool _ownsDirectory;
    private readonly ChildCommand _command;
    private ChildProcess? _child;
    private StatusPage? _page;
    private long _nextId;
    private int _children;

    /// <summary>An executor of <paramref name="implementation"/> against the oracle under <paramref name="options"/>.</summary>
    /// <param name="implementation">The implementation under test; it must be able to cross processes.</param>
    /// <param name="options">Time and memory limits, and how to start the child.</param>
    /// <param name="limits">Limits of the inputs the child parses.</param>
    /// <param name="directory">Where the status page goes; a directory of its own when null.</param>
    public SupervisedExecutor(ImplementationSpec implementation, SupervisionOptions? options = null, InputLimits? limits = null, RunDirectory? directory = null)
    {
        _implementation = implementation ?? throw new ArgumentNullException(nameof(implementation));
        if (!implementation.CrossesProcesses)
            throw new ArgumentException($"{implementation} is a delegate and cannot run in a child process; run it in-process", nameof(implementation));
        _options = options ?? SupervisionOptions.Default;
        _limits = limits ?? InputLimits.Default;
        _command = _options.ResolveChild();
        _ownsDirectory = directory is null;
        _directory = directory ?? RunDirectory.Create();
    }

    /// <summary>Stops the run in flight (its child is killed) and every later one: they throw <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The name the implementation under test gives itself, once a child has built it.</summary>
    public string? ImplementationName { get; private set; }

    /// <summary>Children started so far: 1 plus one per crash, timeout or oom.</summary>
    public int ChildrenStarted => _children;

    /// <inheritdoc/>
    public Verdict Run(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return Execute(ScriptText.Of(script), bare: false, script.Path, [.. script.Lines]);
    }

    /// <inheritdoc/>
    public Verdict Run(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Script script = input.ToScript("input");
        return Execute(ScriptPrinter.Print(script), bare: true, null, [.. script.Lines]);
    }

    private Verdict Execute(string text, bool bare, string? path, ScriptLine[] lines)
    {
        Cancellation.ThrowIfCancellationRequested();
        (ChildProcess child, StatusPage page) = EnsureChild();
        long id = ++_nextId;
        var clock = Stopwatch.StartNew();
        if (!child.Send(new JsonObject { ["t"] = "run", ["id"] = id, ["bare"] = bare, ["path"] = path, ["text"] = text }))
            return Failed(ChildFailure.Crashed(Side, ProgressOf(page, lines, path), ExitCodeOf(child), child.StderrTail));

        long limitBytes = (long)_options.RssLimitMb << 20;
        var sinceResident = Stopwatch.StartNew();
        while (true)
        {
            if (child.TryReceive(Poll, out JsonObject message))
            {
                string? type = (string?)message["t"];
                if (type == "verdict" && (long?)message["id"] == id)
                    return Answered(message);
                continue;
            }
            if (child.OutputEnded || child.HasExited)
            {
                child.WaitForExit(TimeSpan.FromSeconds(5));
                // The answer may have come just before the child ended (it ends after an oom verdict).
                while (child.TryReceive(TimeSpan.Zero, out JsonObject last))
                {
                    if ((string?)last["t"] == "verdict" && (long?)last["id"] == id)
                        return Answered(last);
                }
                return Failed(ChildFailure.Crashed(Side, ProgressOf(page, lines, path), ExitCodeOf(child), child.StderrTail));
            }
            if (Cancellation.IsCancellationRequested)
            {
                Stop();
                Cancellation.ThrowIfCancellationRequested();
            }
            if (clock.Elapsed.TotalSeconds > _options.TimeoutSeconds)
            {
                ChildFailure.Progress at = ProgressOf(page, lines, path);
                long held = child.ResidentBytes >> 20;
                child.Kill();
                return Failed(ChildFailure.TimedOut(Side, at, _options.TimeoutSeconds, held, _options.RssLimitMb));
            }
            if (sinceResident.Elapsed < SupervisedCampaign.ResidentEvery) continue;
            sinceResident.Restart();
            long resident = child.ResidentBytes;
            if (resident > limitBytes)
            {
                ChildFailure.Progress at = ProgressOf(page, lines, path);
                child.Kill();
                return Failed(ChildFailure.OutOfMemory(Side, at, resident >> 20, _options.RssLimitMb));
            }
        }
    }

    private string Side => ImplementationName ?? _implementation.ToString();

    /// <summary>The child's own verdict. After an oom the child ends itself (it cannot give back what it took): let it go now.</summary>
    private Verdict Answered(JsonObject message)
    {
        Verdict verdict = VerdictWire.FromJson(message["verdict"] as JsonObject ?? throw new InvalidDataException("exec: verdict message without a verdict"));
        if (verdict.Kind == VerdictKind.Oom) Stop();
        return verdict;
    }

    /// <summary>A child's verdict that it could not give itself; the child is gone, the next run starts another.</summary>
    private Verdict Failed(Verdict verdict)
    {
        Stop();
        return verdict;
    }

    private static int ExitCodeOf(ChildProcess child) => child.WaitForExit(TimeSpan.FromSeconds(5)) ? child.ExitCode : -1;

    /// <summary>Where the page says the child stood, with the operation looked up in what was sent.</summary>
    private ChildFailure.Progress ProgressOf(StatusPage page, ScriptLine[] lines, string? path)
    {
        int step = page.Step, line = page.Line;
        Op? op = null;
        int seen = 0;
        foreach (ScriptLine scriptLine in lines)
        {
            if (scriptLine is not OpLine opLine || ++seen != step) continue;
            op = opLine.Op;
            break;
        }
        return new ChildFailure.Progress(step, line, op, path, _implementation.LabelAt(page.Member));
    }

    /// <summary>The running child, starting one (and waiting until it has built the implementation) when there is none.</summary>
    private (ChildProcess Child, StatusPage Page) EnsureChild()
    {
        if (_child is { HasExited: false } && _page is not null) return (_child, _page);
        Stop();
        int n = ++_children;
        string pagePath = _directory.File($"exec-{Environment.CurrentManagedThreadId}-{n}.page");
        string planPath = _directory.File($"exec-{Environment.CurrentManagedThreadId}-{n}.plan");
        _page = StatusPage.Create(pagePath);
        new ChildPlan { Implementation = _implementation.Text, StatusPage = pagePath, Limits = _limits }.Write(planPath);
        _child = ChildProcess.Start(_command, ["_exec", planPath], _options, _implementation.ChildEnvironment());
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SupervisionOptions.StartupLimit)
        {
            if (_child.TryReceive(Poll, out JsonObject message))
            {
                switch ((string?)message["t"])
                {
                    case "ready":
                        ImplementationName = (string?)message["name"] ?? _implementation.ToString();
                        return (_child, _page);
                    case "load-error":
                        string reason = (string?)message["message"] ?? $"--impl {_implementation}: could not be loaded";
                        Stop();
                        throw new ImplementationException(reason);
                }
                continue;
            }
            if (_child.OutputEnded || _child.HasExited)
            {
                _child.WaitForExit(TimeSpan.FromSeconds(5));
                (string _, string summary) = ChildExit.Describe(_child.ExitCode, _child.StderrTail);
                Stop();
                throw new ImplementationException($"--impl {_implementation}: the worker process died while loading it: {summary}");
            }
            Cancellation.ThrowIfCancellationRequested();
        }
        Stop();
        throw new ImplementationException($"--impl {_implementation}: the worker process did not start within {SupervisionOptions.StartupLimit.TotalSeconds:0} s");
    }

    /// <summary>Kills the child, if any, and forgets it and its files.</summary>
    private void Stop()
    {
        _child?.Dispose();
        _child = null;
        if (_page is not null)
        {
            string path = _page.Path;
            _page.Dispose();
            TryDelete(path);
            TryDelete(Path.ChangeExtension(path, ".plan"));
        }
        _page = null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The run directory goes as a whole at the end.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        if (_ownsDirectory) _directory.Dispose();
    }
}
