namespace P2M.Fuzz.Campaigns;

/// <summary>What a campaign did: its final stats, its unique findings, and any harness bug that stopped a worker.</summary>
public sealed record CampaignResult(CampaignStatus Final, IReadOnlyList<Finding> Findings, bool Interrupted, IReadOnlyList<Exception> HarnessErrors);
