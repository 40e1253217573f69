using System.Globalization;
using System.Text;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Findings;

/// <summary>
/// The comment lines at the top of a crash script: what failed (kind, step, operation, field, both
/// sides' values), the signature, how it was found (seed or source file), and how far it was minimised.
/// No date or host: the same finding always gives the same file. The <c>signature:</c> line is the one
/// a <see cref="CrashStore"/> reads back to deduplicate; the rest is for people.
/// </summary>
/// <example>
/// <code>
/// # p2mfuzz finding: divergence:unmap:order
/// # signature: divergence:unmap:order
/// # verdict: divergence at step 2: unmap gfn=0x0 nr=1
/// # field: order at gfn 0x8
/// #   engine: 0
/// #   oracle: 3
/// # seed: 0x2a
/// # original: 40 ops, failed at step 37
/// # minimised: 2 ops in 312 attempts
/// </code>
/// </example>
public static class CrashHeader
{
    /// <summary>The start of the header line holding the signature.</summary>
    public const string SignaturePrefix = "signature: ";

    /// <summary>
    /// The header of a minimised finding, as <see cref="Script.Header"/> entries (without <c>#</c>).
    /// </summary>
    /// <param name="original">The verdict of the input as found.</param>
    /// <param name="minimized">The minimiser's result; its verdict is the one described, as its steps are the script's.</param>
    /// <param name="seed">The campaign seed that found it, or null.</param>
    /// <param name="source">The file it was read from, or null.</param>
    public static IReadOnlyList<string> Lines(Verdict original, MinimizeResult minimized, ulong? seed = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(minimized);
        var inv = CultureInfo.InvariantCulture;
        Verdict verdict = minimized.Verdict;
        var lines = new List<string>
        {
            // The signature is the found input's: it is what the store deduplicates on, and the
            // minimiser only ever keeps inputs that fail with it.
            $"p2mfuzz finding: {original.Signature}",
            SignaturePrefix + original.Signature,
            $"verdict: {KindOf(verdict)} at {Where(verdict)}",
            $"field: {verdict.Field}{Subject(verdict)}",
            $"  {verdict.LeftName}: {verdict.LeftValue}",
            $"  {verdict.RightName}: {verdict.RightValue}",
        };
        if (seed is { } s)
            lines.Add(string.Create(inv, $"seed: 0x{s:x}"));
        if (source is not null)
            lines.Add($"source: {source}");
        lines.Add(string.Create(inv, $"original: {minimized.OriginalLength} ops, failed at step {original.Step}"));
        lines.Add(string.Create(inv, $"minimised: {minimized.MinimizedLength} ops in {minimized.Attempts} attempts"));
        if (minimized.Passes.Count > 0)
            lines.Add("passes (tries/kept, ops removed): " + minimized.PassSummary);
        return lines;
    }

    /// <summary>
    /// The header of a finding as it was found, before minimisation: what failed, the signature, how it was
    /// found, and that the minimised script is still to come (a crash while minimising leaves this behind).
    /// </summary>
    public static IReadOnlyList<string> FoundLines(Verdict verdict, FuzzInput original, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(original);
        var inv = CultureInfo.InvariantCulture;
        return
        [
            $"p2mfuzz finding, as found (not minimised): {verdict.Signature}",
            SignaturePrefix + verdict.Signature,
            $"verdict: {KindOf(verdict)} at {Where(verdict)}",
            $"field: {verdict.Field}{Subject(verdict)}",
            $"  {verdict.LeftName}: {verdict.LeftValue}",
            $"  {verdict.RightName}: {verdict.RightValue}",
            string.Create(inv, $"seed: 0x{seed:x}"),
            string.Create(inv, $"original: {original.Ops.Length} ops, failed at step {verdict.Step}"),
            "minimised: see the .p2m of the same signature beside this file, once written",
        ];
    }

    /// <summary>The signature a crash header records, or null when it records none.</summary>
    public static string? ReadSignature(IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (string line in header)
        {
            if (line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
                return line[SignaturePrefix.Length..].Trim();
        }
        return null;
    }

    // The kind as the signature spells it, so header and signature never disagree.
    private static string KindOf(Verdict verdict) => verdict.Signature.Split(':')[0];

    private static string Where(Verdict verdict) => verdict.Op is { } op
        ? string.Create(CultureInfo.InvariantCulture, $"step {verdict.Step}: {ScriptPrinter.Format(op)}")
        : "setup, before any operation";

    private static string Subject(Verdict verdict)
    {
        var sb = new StringBuilder();
        if (verdict.Gfn is { } gfn) sb.Append(" at gfn ").Append(gfn);
        if (verdict.Mfn is { } mfn) sb.Append(" at mfn ").Append(mfn);
        if (verdict.GrantFrame is { } frame) sb.Append(" of grant frame ").Append(frame.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
