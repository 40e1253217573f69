using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Shrinks a failing input to a small one that fails the same way (same <see cref="Verdict.Signature"/>),
/// in the manner of Hypothesis's shrinker: small named reduction passes, each proposing candidates that
/// are kept only if strictly smaller (<see cref="InputSize"/>) and still failing with the signature,
/// run in order over and over until a whole round changes nothing or the attempt budget is spent.
/// </summary>
/// <remarks>
/// The passes, in the order of a round:
/// <list type="number">
/// <item><c>cut-after-failing-step</c>: drop the operations after the step the verdict blames.</item>
/// <item><c>remove-chunks</c>: delta debugging, runs of half the operations, then quarters, … down to pairs.</item>
/// <item><c>remove-single-ops</c>: one operation at a time.</item>
/// <item><c>default-pool</c>: drop <c>pool pages=</c> when the failure does not need it.</item>
/// <item><c>renumber-gfns</c>, <c>renumber-mfns</c>: pack the frame blocks used onto the lowest ones, keeping alignment.</item>
/// <item><c>simplify-types</c>: each type toward <c>ram_rw</c>, foreign access toward read-write.</item>
/// <item><c>shrink-arguments</c>: each number toward 0 (aligned values first, then a binary search).</item>
/// </list>
/// Everything runs in-process through the delegate given; nothing is random, so the same input,
/// signature and budget always give the same result (given a deterministic delegate).
/// </remarks>
public sealed class Minimizer
{
    /// <summary>Attempts allowed when the constructor is not told otherwise.</summary>
    public const int DefaultMaxAttempts = 5000;

    private static readonly (string Name, Func<ShrinkState, bool> Run)[] Passes =
    [
        ("cut-after-failing-step", CutAfterFailingStep.Run),
        ("remove-chunks", RemoveOpChunks.Run),
        ("remove-single-ops", RemoveSingleOps.Run),
        ("default-pool", RestoreDefaultPool.Run),
        ("renumber-gfns", RenumberFrames.Gfns),
        ("renumber-mfns", RenumberFrames.Mfns),
        ("simplify-types", SimplifyTypes.Run),
        ("shrink-arguments", ShrinkArguments.Run),
    ];

    private readonly Func<FuzzInput, Verdict> _run;

    /// <summary>Creates a minimiser that judges candidates with <paramref name="run"/>.</summary>
    /// <param name="run">
    /// Runs one candidate and returns its verdict, e.g. a <see cref="DifferentialRunner"/> of the engine
    /// against the oracle. Called once per attempt, in-process.
    /// </param>
    /// <param name="maxAttempts">Most candidates to run, the original's first run included (at least 1).</param>
    public Minimizer(Func<FuzzInput, Verdict> run, int maxAttempts = DefaultMaxAttempts)
    {
        _run = run ?? throw new ArgumentNullException(nameof(run));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
    }

    /// <summary>Most candidates one <see cref="Minimize(FuzzInput, string)"/> runs.</summary>
    public int MaxAttempts { get; }

    /// <summary>The names of the reduction passes, in the order each round runs them.</summary>
    public static IReadOnlyList<string> PassNames { get; } = Passes.Select(p => p.Name).ToArray();

    /// <summary>
    /// Shrinks <paramref name="input"/> while it keeps failing with <paramref name="signature"/>. The result
    /// is never longer nor larger (<see cref="InputSize"/>) than the input, and always fails with the
    /// signature if the input did; when nothing smaller does, or the input does not fail that way at all,
    /// it is the input unchanged, with the input's own verdict.
    /// </summary>
    public MinimizeResult Minimize(FuzzInput input, string signature) => Minimize(input, signature, CancellationToken.None);

    /// <summary>
    /// As <see cref="Minimize(FuzzInput, string)"/>, stopping when <paramref name="token"/> is cancelled with the
    /// smallest failing input found so far.
    /// </summary>
    public MinimizeResult Minimize(FuzzInput input, string signature, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(signature);
        return Shrink(new ShrinkState(_run, signature, MaxAttempts, input, token: token), input);
    }

    /// <summary>
    /// Shrinks a finding whose <paramref name="verdict"/> is known (it is not run again) while it keeps failing
    /// with that verdict's signature, until the passes reach a fixpoint, the attempts run out, or
    /// <paramref name="token"/> is cancelled; then returns the smallest failing input found so far.
    /// </summary>
    public MinimizeResult Minimize(FuzzInput input, Verdict verdict, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(verdict);
        return Shrink(new ShrinkState(_run, verdict.Signature, MaxAttempts, input, verdict, token), input);
    }

    private static MinimizeResult Shrink(ShrinkState state, FuzzInput input)
    {
        if (state.Reproduces)
            RunToFixpoint(state);
        return new MinimizeResult(state.Current, state.CurrentVerdict, state.Attempts, input.Ops.Length) { Passes = state.Passes.Snapshot(PassNames) };
    }

    private static void RunToFixpoint(ShrinkState state)
    {
        bool changed = true;
        while (changed && !state.OutOfBudget)
        {
            changed = false;
            for (int i = 0; i < Passes.Length; i++)
            {
                if (state.OutOfBudget)
                    break;
                state.Passes.Current = i;
                changed |= Passes[i].Run(state);
            }
            state.Passes.Current = -1;
        }
    }
}
