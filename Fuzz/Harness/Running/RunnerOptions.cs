namespace P2M.Fuzz.Running;

/// <summary>How much the <see cref="DifferentialRunner"/> checks beyond the range each step touched.</summary>
public sealed record RunnerOptions
{
    /// <summary>
    /// Compare the whole state (every mapped frame, every held reference, every grant frame) every this
    /// many steps, and always after the last one and after a <c>teardown</c>. Per-step checks only see the
    /// touched range; this catches a step that silently changed something elsewhere. 0 means only at the end.
    /// </summary>
    public int WholeStateEvery { get; init; } = 32;

    /// <summary>
    /// Most MFNs whose reference counts are compared after one step: a <c>map</c> of a million frames
    /// would otherwise cost a million lookups per step. The whole-state check covers the rest.
    /// </summary>
    public int MaxReferenceChecks { get; init; } = 4096;

    /// <summary>The defaults: whole state every 32 steps.</summary>
    public static RunnerOptions Default { get; } = new();
}
