namespace P2M.Fuzz.Campaigns;

/// <summary>
/// What a campaign did: its final stats, its new unique findings, the signatures it hit that the
/// crash store already held (regressions not fixed yet), and any harness bug that stopped a worker.
/// </summary>
public sealed record CampaignResult(CampaignStatus Final, IReadOnlyList<Finding> Findings, bool Interrupted, IReadOnlyList<Exception> HarnessErrors)
{
    /// <summary>Failing inputs whose signatures the crash store already held (bugs not fixed yet): not stored again, still failures.</summary>
    public IReadOnlyList<Finding> KnownFindings { get; init; } = [];

    /// <summary>The signatures of <see cref="KnownFindings"/>.</summary>
    public IReadOnlyList<string> KnownSignatures => [.. KnownFindings.Select(f => f.Signature)];

    /// <summary>True when the campaign hit any failing signature, new or known: a bug that is still there still fails.</summary>
    public bool HitFailures => Findings.Count > 0 || KnownFindings.Count > 0;
}
