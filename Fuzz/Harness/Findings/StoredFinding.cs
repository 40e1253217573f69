namespace P2M.Fuzz.Findings;

/// <summary>A finding stored as it was found, waiting for its minimised script.</summary>
/// <param name="Signature">What it is stored under.</param>
/// <param name="OriginalPath">The input as found, as a script with the verdict in its header.</param>
/// <param name="BinaryPath">The input as found in the binary form, when the codec expresses it.</param>
/// <param name="Seed">The seed of the campaign that found it.</param>
public sealed record StoredFinding(string Signature, string OriginalPath, string? BinaryPath, ulong Seed);
