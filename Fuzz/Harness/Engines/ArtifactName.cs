using System.Security.Cryptography;

namespace P2M.Fuzz.Engines;

/// <summary>
/// libFuzzer's artifact names: <c>&lt;prefix&gt;&lt;kind&gt;-&lt;sha1 of the input&gt;</c> (kind <c>crash</c>,
/// <c>timeout</c>, <c>oom</c>), or the exact path it was told. The .NET side computes the same name from the
/// same bytes, so the <c>.p2m</c> it writes lands beside the file libFuzzer writes.
/// </summary>
public static class ArtifactName
{
    /// <summary>The environment variable the native driver passes libFuzzer's <c>-artifact_prefix</c> in.</summary>
    public const string PrefixVariable = "P2M_ARTIFACT_PREFIX";

    /// <summary>The environment variable the native driver passes libFuzzer's <c>-exact_artifact_path</c> in.</summary>
    public const string ExactPathVariable = "P2M_EXACT_ARTIFACT_PATH";

    /// <summary>The artifact path libFuzzer gives <paramref name="data"/> as a finding of <paramref name="kind"/>.</summary>
    /// <param name="data">The input bytes.</param>
    /// <param name="kind"><c>crash</c>, <c>timeout</c> or <c>oom</c>.</param>
    /// <param name="prefix">libFuzzer's <c>-artifact_prefix</c> (default <c>./</c>: the working directory).</param>
    /// <param name="exactPath">libFuzzer's <c>-exact_artifact_path</c>; wins when set.</param>
    public static string For(ReadOnlySpan<byte> data, string kind, string? prefix, string? exactPath)
    {
        if (!string.IsNullOrEmpty(exactPath)) return exactPath;
        return (string.IsNullOrEmpty(prefix) ? "./" : prefix) + kind + "-" + Convert.ToHexStringLower(SHA1.HashData(data));
    }

    /// <summary>As <see cref="For(ReadOnlySpan{byte}, string, string?, string?)"/>, with the prefix and exact path the driver passed in the environment.</summary>
    public static string FromEnvironment(ReadOnlySpan<byte> data, string kind) =>
        For(data, kind, Environment.GetEnvironmentVariable(PrefixVariable), Environment.GetEnvironmentVariable(ExactPathVariable));
}
