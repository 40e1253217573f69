using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>A unique finding of a campaign: its verdict, the input that showed it, its minimised form and where it was stored.</summary>
public sealed record Finding(Verdict Verdict, FuzzInput Original, FuzzInput Minimized, Verdict MinimizedVerdict, ulong Seed, string? StoredAt)
{
    /// <summary>The stable signature findings are deduplicated by.</summary>
    public string Signature => Verdict.Signature;
}
