namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (a): drop every operation after the step the verdict blames. The runner stops at the first
/// failing step, so what follows it never ran; the candidate is still run, because the minimiser trusts
/// only verdicts, not its own reasoning about the runner.
/// </summary>
internal static class CutAfterFailingStep
{
    /// <summary>True when the cut was kept.</summary>
    public static bool Run(ShrinkState state)
    {
        int step = state.CurrentVerdict.Step;
        int length = state.Current.Ops.Length;
        if (step < 0 || step >= length)
            return false;
        return state.TryOps(state.Current.Ops[..step]);
    }
}
