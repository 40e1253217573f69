using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// A unique finding of a campaign: its verdict, the input that showed it, its minimised form (the input itself
/// until minimisation has run) and where it was stored.
/// </summary>
/// <param name="Verdict">The verdict of the input as found.</param>
/// <param name="Original">The input as found.</param>
/// <param name="Minimized">The smallest input found failing with the same signature.</param>
/// <param name="MinimizedVerdict">The verdict of <paramref name="Minimized"/>.</param>
/// <param name="Seed">The seed of the worker that found it.</param>
/// <param name="StoredAt">The minimised script, or the input as found while there is none yet; null when nothing was written.</param>
public sealed record Finding(Verdict Verdict, FuzzInput Original, FuzzInput Minimized, Verdict MinimizedVerdict, ulong Seed, string? StoredAt)
{
    /// <summary>The stable signature findings are deduplicated by.</summary>
    public string Signature => Verdict.Signature;

    /// <summary>The input as found, stored the moment it was seen; null when nothing was written.</summary>
    public string? FoundAt { get; init; }

    /// <summary>True once minimisation has run (to its end, or as far as its time allowed).</summary>
    public bool IsMinimized { get; init; }
}
