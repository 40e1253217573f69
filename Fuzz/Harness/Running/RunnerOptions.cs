namespace P2M.Fuzz.Running;

/// <summary>
/// How much the <see cref="DifferentialRunner"/> checks beyond the range each step touched. When the
/// full checks run (the whole-state comparison, each side's full audit) is not an option: it follows
/// from the work done (<see cref="FullCheckSchedule"/>), so that their cost stays in proportion to it.
/// </summary>
public sealed record RunnerOptions
{
    /// <summary>
    /// Most MFNs whose reference counts are compared after one step: a <c>map</c> of a million frames
    /// would otherwise cost a million lookups per step. The whole-state check covers the rest.
    /// </summary>
    public int MaxReferenceChecks { get; init; } = 4096;

    /// <summary>The defaults.</summary>
    public static RunnerOptions Default { get; } = new();
}
