using P2M.Fuzz.Campaigns;

namespace P2M.Fuzz.Gate;

/// <summary>What a gate run came to: each committed script's outcome, the campaign's stats and findings, and every failure.</summary>
/// <param name="Options">The options the gate ran with.</param>
/// <param name="Scripts">Every committed script replayed, in the order run.</param>
/// <param name="Campaign">The campaign's final stats and unique findings.</param>
/// <param name="Failures">Every reason to fail: failing scripts first, in replay order, then the campaign's findings in the order found.</param>
public sealed record GateResult(GateOptions Options, IReadOnlyList<ScriptOutcome> Scripts, CampaignResult Campaign, IReadOnlyList<GateFailure> Failures)
{
    /// <summary>Scripts that ran and passed.</summary>
    public int ScriptsPassed => Scripts.Count(s => s.Passed);

    /// <summary>Scripts that failed or could not be run.</summary>
    public int ScriptsFailed => Scripts.Count - ScriptsPassed;

    /// <summary>The campaign's unique findings.</summary>
    public IReadOnlyList<Finding> Findings => Campaign.Findings;

    /// <summary>Reports that could not be written (a bad path, a full disk); empty when all were.</summary>
    public IReadOnlyList<string> ReportProblems { get; init; } = [];

    /// <summary>True when no script failed and the campaign found nothing.</summary>
    public bool IsPass => Failures.Count == 0;

    /// <summary>
    /// 1 when anything failed; otherwise 2 when a report asked for could not be written (CI would lose
    /// it: as a path that does not exist, a usage problem); 0 when clean.
    /// </summary>
    public int ExitCode => !IsPass ? 1 : ReportProblems.Count > 0 ? 2 : 0;

    /// <summary>The closing line: <c>gate: PASS</c> or <c>gate: FAIL (N failures)</c>.</summary>
    public string VerdictLine => IsPass ? "gate: PASS" : $"gate: FAIL ({Failures.Count} failure{(Failures.Count == 1 ? "" : "s")})";
}
