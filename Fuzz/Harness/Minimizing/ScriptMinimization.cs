using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Minimises a <c>.p2m</c> script the way <c>replay</c> judges it, expectations included, so any script replay
/// fails shrinks to a smaller one that fails the same way. Expectations only read, so a failure at an
/// operation (divergence, exception, invariant, crash…) never depends on them: the operations alone are
/// minimised. A failed expectation is kept as the script's last line, and a candidate counts only when that
/// line fails on the same side with the same values: an expectation about a frame no operation maps any more
/// fails too, but not the same way.
/// </summary>
public static class ScriptMinimization
{
    /// <summary>
    /// Shrinks <paramref name="script"/>, whose replay gave <paramref name="verdict"/> (not run again), with
    /// <paramref name="runner"/>; at most <paramref name="maxAttempts"/> candidates, until <paramref name="token"/> is cancelled.
    /// </summary>
    public static ScriptMinimizeResult Minimize(Script script, Verdict verdict, IInputRunner runner, int maxAttempts, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(runner);
        FuzzInput ops = FuzzInput.FromScript(script);
        if (verdict.Kind != VerdictKind.ExpectationFailed || FailedLine(script, verdict) is not { } expectation)
            return new ScriptMinimizeResult(new Minimizer(runner.Run, maxAttempts).Minimize(ops, verdict, token), null);

        // Only the operations before the failed line matter; the expectations before it held.
        var before = new FuzzInput(script.Geometry, script.PoolPages,
            script.Lines.TakeWhile(line => line != expectation).OfType<OpLine>().Select(line => line.Op).ToArray());
        Verdict Run(FuzzInput candidate)
        {
            Verdict judged = runner.Run(WithExpectation(candidate, expectation, script.Path));
            // Failing any other way is, for this minimisation, not failing: the minimiser keeps only the same failure.
            return SameFailure(judged, verdict) ? judged : Verdict.Pass(judged.Step);
        }
        return new ScriptMinimizeResult(new Minimizer(Run, maxAttempts).Minimize(before, verdict, token), expectation);
    }

    /// <summary>True when <paramref name="candidate"/> fails the expectation <paramref name="original"/> failed, on the same side, with the same values.</summary>
    private static bool SameFailure(Verdict candidate, Verdict original) =>
        candidate.Signature == original.Signature && candidate.Expectation == original.Expectation
        && candidate.LeftName == original.LeftName && candidate.LeftValue == original.LeftValue && candidate.RightValue == original.RightValue;

    /// <summary>The expectation line the verdict blames; null when it names none of the script's lines (a verdict without line numbers).</summary>
    private static ScriptLine? FailedLine(Script script, Verdict verdict) =>
        verdict.Line > 0 ? script.Lines.FirstOrDefault(line => line is not OpLine && line.Line == verdict.Line) : null;

    /// <summary><paramref name="ops"/>' operations followed by <paramref name="expectation"/>, as a script named <paramref name="path"/>.</summary>
    internal static Script WithExpectation(FuzzInput ops, ScriptLine? expectation, string path, IReadOnlyList<string>? header = null)
    {
        Script bare = ops.ToScript(path, header);
        return expectation is null ? bare : bare with { Lines = [.. bare.Lines, expectation with { Line = 0 }] };
    }
}

/// <summary>What <see cref="ScriptMinimization.Minimize"/> ended with.</summary>
/// <param name="Result">The operations' minimisation: the smallest failing operations, their verdict, the attempts.</param>
/// <param name="Expectation">The failed expectation kept after the operations; null when the failure is an operation's.</param>
public sealed record ScriptMinimizeResult(MinimizeResult Result, ScriptLine? Expectation)
{
    /// <summary>The minimised script: <see cref="Result"/>'s operations, then <see cref="Expectation"/>.</summary>
    public Script ToScript(string path, IReadOnlyList<string>? header = null) =>
        ScriptMinimization.WithExpectation(Result.Minimized, Expectation, path, header);
}
