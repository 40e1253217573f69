using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Minimizing;

/// <summary>What <see cref="Minimizer.Minimize(FuzzInput, string)"/> ended with.</summary>
/// <param name="Minimized">
/// The smallest input found that still fails with the signature asked for; the original itself when
/// nothing smaller did (or when the original does not fail that way at all).
/// </param>
/// <param name="Verdict">The verdict of running <paramref name="Minimized"/>.</param>
/// <param name="Attempts">Candidate inputs run, the original's first run included.</param>
/// <param name="OriginalLength">Operations in the input before minimisation.</param>
public sealed record MinimizeResult(FuzzInput Minimized, Verdict Verdict, int Attempts, int OriginalLength)
{
    /// <summary>What each reduction pass did, in round order (empty when nothing was minimised).</summary>
    public IReadOnlyList<PassStat> Passes { get; init; } = [];

    /// <summary>The passes in one line, e.g. <c>cut-after-failing-step 1/1 -11 ops, remove-chunks 14/3 -20 ops, …</c> (tries/successes).</summary>
    public string PassSummary => string.Join(", ", Passes);

    /// <summary>Operations in <see cref="Minimized"/>.</summary>
    public int MinimizedLength => Minimized.Ops.Length;

    /// <summary>
    /// One line for a person, e.g. <c>minimised 40 -> 2 ops, signature divergence:unmap:order, 312 attempts</c>.
    /// </summary>
    public string Summary =>
        $"minimised {OriginalLength} -> {MinimizedLength} ops, signature {Verdict.Signature}, {Attempts} attempts";
}
