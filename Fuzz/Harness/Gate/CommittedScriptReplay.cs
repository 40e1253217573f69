using System.Diagnostics;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate's first half: every <c>.p2m</c> script and <c>.bin</c> input under the corpus and crashes directories
/// (<see cref="ReplayInput"/>), engine against oracle, as <c>p2mfuzz replay</c> runs them, but keeping each one's
/// verdict for the reports and a reproducer for each failure. Other files (notes) are not inputs.
/// </summary>
internal sealed class CommittedScriptReplay
{
    /// <summary>
    /// Most time all failing committed scripts are minimised for together: a change that makes every script
    /// hang costs a timeout per candidate, and the gate must still end on time with its reports.
    /// </summary>
    public static readonly TimeSpan MinimizeBudget = TimeSpan.FromSeconds(60);

    private readonly IInputRunner _runner;
    private readonly TextWriter _output;
    private readonly InputLimits _limits;

    /// <summary>
    /// Replays with <paramref name="runner"/>, one progress line per script on <paramref name="output"/>,
    /// each script read within <paramref name="limits"/>.
    /// </summary>
    public CommittedScriptReplay(IInputRunner runner, TextWriter output, InputLimits limits)
    {
        _runner = runner;
        _output = output;
        _limits = limits;
    }

    /// <summary>
    /// The scripts of every directory in turn, each directory's sorted by path; a missing directory has
    /// none. Links to directories inside are not followed: they are reported on <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<string> FindScripts(IEnumerable<string> directories, TextWriter skipped)
    {
        var scripts = new List<string>();
        foreach (string directory in directories)
        {
            if (!Directory.Exists(directory))
                continue;
            scripts.AddRange(InputDirectory.Files(directory, ReplayInput.IsReplayable, skipped));
        }
        return scripts;
    }

    /// <summary>Replays every script under <paramref name="directories"/>; returns each one's outcome and the failures among them.</summary>
    public (IReadOnlyList<ScriptOutcome> Outcomes, IReadOnlyList<GateFailure> Failures) Run(IReadOnlyList<string> directories, CancellationToken token = default)
    {
        foreach (string directory in directories.Where(d => !Directory.Exists(d)))
            _output.WriteLine($"replay: {directory}: no such directory, nothing to replay there");

        var outcomes = new List<ScriptOutcome>();
        var minimizing = new Stopwatch();
        var failures = new List<GateFailure>();
        foreach (string path in FindScripts(directories, _output))
        {
            if (token.IsCancellationRequested) break;
            (ScriptOutcome outcome, Script? script) = RunOne(path);
            outcomes.Add(outcome);
            if (outcome.Passed)
            {
                _output.WriteLine($"pass  {path} ({outcome.Verdict!.Step} steps)");
                continue;
            }
            _output.WriteLine($"FAIL  {path}: {outcome.Verdict?.Signature ?? outcome.Problem}");
            if (outcome.Verdict is { } verdict)
                _output.WriteLine("    " + verdict.ToString().Replace("\n", "\n    ", StringComparison.Ordinal));
            // Minimising costs at most a minute in all: a change that makes every script hang must not hold the gate.
            TimeSpan left = MinimizeBudget - minimizing.Elapsed;
            using var spent = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            minimizing.Start();
            string? repro = ReproScript.ForScript(outcome, script, _runner, _limits, spent.Token);
            minimizing.Stop();
            failures.Add(GateFailure.OfScript(outcome, repro, script is null ? null : FuzzInput.FromScript(script)));
        }
        return (outcomes, failures);
    }

    private (ScriptOutcome Outcome, Script? Script) RunOne(string path)
    {
        var clock = Stopwatch.StartNew();
        Script script;
        try
        {
            script = ReplayInput.Load(path, _limits);
        }
        catch (ScriptParseException e)
        {
            // The message already reads path:line: what was expected.
            return (new ScriptOutcome(path, null, e.Message, e.Line, clock.Elapsed.TotalSeconds), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (new ScriptOutcome(path, null, $"{path}: {e.Message}", 0, clock.Elapsed.TotalSeconds), null);
        }
        Verdict verdict = _runner.Run(script);
        return (new ScriptOutcome(path, verdict, null, 0, clock.Elapsed.TotalSeconds), script);
    }
}
