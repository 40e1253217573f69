using P2M.Fuzz.Running;

namespace P2M.Fuzz.Engines;

/// <summary>
/// Thrown out of a SharpFuzz action when an input fails: SharpFuzz reports an escaping exception to
/// libFuzzer or AFL++ as a crash, which is how a differential finding becomes the engine's artifact.
/// Prints as one line (SharpFuzz writes it to stderr), not a stack trace.
/// </summary>
public sealed class FindingException(Verdict verdict, string? repro) : Exception($"p2mfuzz finding {verdict.Signature}: {verdict}")
{
    /// <summary>The failing verdict.</summary>
    public Verdict Verdict { get; } = verdict;

    /// <summary>Where the minimised <c>.p2m</c> was written, or null.</summary>
    public string? Repro { get; } = repro;

    /// <inheritdoc/>
    public override string ToString() => Repro is null ? Message : $"{Message}\n  repro: {Repro}";
}
