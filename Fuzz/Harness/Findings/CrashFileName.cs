using System.Security.Cryptography;
using System.Text;

namespace P2M.Fuzz.Findings;

/// <summary>
/// Names crash files: the signature made safe for any file system, then a short hash of the minimised
/// operations, e.g. <c>divergence-unmap-order-3f09a1c2e4b7.p2m</c>. The hash is of the script body
/// (operations, geometry, pool), not of the header, so the same minimised input always gets the same name.
/// </summary>
public static class CrashFileName
{
    /// <summary>Hex digits of the content hash in a name.</summary>
    public const int HashLength = 12;

    /// <summary>Longest signature part of a name; longer ones (odd exception names, audit fields) are cut.</summary>
    public const int MaxSignatureLength = 80;

    /// <summary>The file name without extension for a finding with <paramref name="signature"/> and minimised script <paramref name="body"/>.</summary>
    public static string Base(string signature, string body) => $"{SafeSignature(signature)}-{ContentHash(body)}";

    /// <summary>
    /// <paramref name="signature"/> with every character but letters, digits, <c>.</c>, <c>_</c> and <c>-</c>
    /// turned into <c>-</c> (the <c>:</c> separators included), cut to <see cref="MaxSignatureLength"/>.
    /// </summary>
    public static string SafeSignature(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var sb = new StringBuilder(signature.Length);
        foreach (char c in signature)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        string safe = sb.ToString().Trim('.');
        if (safe.Length > MaxSignatureLength)
            safe = safe[..MaxSignatureLength];
        return safe.Length == 0 ? "finding" : safe;
    }

    /// <summary>The first <see cref="HashLength"/> hex digits of the SHA-256 of <paramref name="text"/> in UTF-8.</summary>
    public static string ContentHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
    }
}
