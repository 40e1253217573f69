namespace P2M.Fuzz.Campaigns;

/// <summary>
/// What a campaign did: its final stats, its new unique findings, the signatures it hit that the
/// crash store already held (regressions not fixed yet), and any harness bug that stopped a worker.
/// </summary>
public sealed record CampaignResult(CampaignStatus Final, IReadOnlyList<Finding> Findings, bool Interrupted, IReadOnlyList<Exception> HarnessErrors)
{
    /// <summary>Signatures hit again that were already in the crash store.</summary>
    public IReadOnlyList<string> KnownSignatures { get; init; } = [];
}
