using System.Globalization;

namespace P2M.Fuzz.Findings;

/// <summary>
/// The name of an <see cref="AtomicFile"/> temporary: <c>.&lt;target&gt;.p2mfuzz-&lt;pid&gt;-&lt;32 hex&gt;.tmp</c>.
/// Hidden and not ending in <c>.p2m</c> or <c>.bin</c>, so no reader takes it for an input; marked as this
/// tool's, so a sweep never touches anyone else's file; carrying the writer's process id, so a sweep can
/// tell a temporary left by a killed process from one a live process is still writing.
/// </summary>
public static class TemporaryName
{
    /// <summary>The ending of every temporary.</summary>
    public const string Extension = ".tmp";

    private const string Marker = ".p2mfuzz-";
    private const int UniqueLength = 32;

    /// <summary>A fresh temporary name for <paramref name="target"/> (a file name, no directory), written by this process.</summary>
    public static string For(string target) =>
        string.Create(CultureInfo.InvariantCulture, $".{target}{Marker}{Environment.ProcessId}-{Guid.NewGuid():N}{Extension}");

    /// <summary>
    /// True when <paramref name="fileName"/> is a temporary of this tool, with the writer's process id.
    /// Names written before the id was recorded (<c>.&lt;target&gt;.&lt;32 hex&gt;.tmp</c>) are this tool's
    /// too, with no id (<paramref name="writer"/> null).
    /// </summary>
    public static bool TryParse(string fileName, out int? writer)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        writer = null;
        if (!fileName.StartsWith('.') || !fileName.EndsWith(Extension, StringComparison.Ordinal))
            return false;
        ReadOnlySpan<char> stem = fileName.AsSpan(0, fileName.Length - Extension.Length);
        int dash = stem.LastIndexOf('-');
        int marker = stem.LastIndexOf(Marker);
        if (marker > 0 && dash > marker + Marker.Length && IsUnique(stem[(dash + 1)..]))
        {
            ReadOnlySpan<char> pid = stem[(marker + Marker.Length)..dash];
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                return false;
            writer = id;
            return true;
        }
        // The older form: a dot, then the unique part.
        int dot = stem.LastIndexOf('.');
        return dot > 0 && IsUnique(stem[(dot + 1)..]);
    }

    private static bool IsUnique(ReadOnlySpan<char> text) =>
        text.Length == UniqueLength && !text.ContainsAnyExcept("0123456789abcdef");
}
