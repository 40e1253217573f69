using System.Globalization;
using System.Text;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// The one way a message quotes text that came from an input (a token, a word, a line of a file): at
/// most a few characters, every control and non-ASCII character escaped, and the full length named when
/// it was cut. A file or token can then never put more than a short, printable, single-line excerpt of
/// itself into a log, a JUnit report or a step summary, whatever it holds (a 1 MiB token, the first line
/// of <c>/etc/passwd</c> behind a symlink, escape sequences that would drive a terminal).
/// </summary>
public static class InputExcerpt
{
    /// <summary>
    /// Characters kept by default: the longest well-formed token of a script
    /// (<c>start=0xffffffffffffffff</c>) fits, so a typo is always shown whole; a line of some other file
    /// is not.
    /// </summary>
    public const int DefaultLength = 24;

    /// <summary>
    /// <paramref name="text"/> in single quotes, escaped (see <see cref="Escape"/>), cut to
    /// <paramref name="maxLength"/> escaped characters, e.g. <c>'nr=0x1g'</c> or
    /// <c>'aaaaaaaaaaaaaaaaaaaaaaaa...' (1048576 characters)</c>.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> text, int maxLength = DefaultLength)
    {
        string escaped = Escape(text, maxLength, out bool cut);
        return cut
            ? string.Create(CultureInfo.InvariantCulture, $"'{escaped}...' ({text.Length} characters)")
            : $"'{escaped}'";
    }

    /// <summary>
    /// <paramref name="text"/> with <c>\</c> as <c>\\</c>, tab, newline and carriage return as <c>\t</c>,
    /// <c>\n</c>, <c>\r</c>, and every other character outside printable ASCII as <c>\xNN</c> or
    /// <c>\uNNNN</c>; at most <paramref name="maxLength"/> characters of output, whole escapes only.
    /// </summary>
    /// <param name="text">What to escape.</param>
    /// <param name="maxLength">Most characters of output.</param>
    /// <param name="cut">True when some of <paramref name="text"/> did not fit.</param>
    public static string Escape(ReadOnlySpan<char> text, int maxLength, out bool cut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var sb = new StringBuilder(Math.Min(text.Length, maxLength));
        for (int i = 0; i < text.Length; i++)
        {
            string? escape = EscapeOf(text[i]);
            int width = escape?.Length ?? 1;
            if (sb.Length + width > maxLength)
            {
                cut = true;
                return sb.ToString();
            }
            if (escape is null) sb.Append(text[i]);
            else sb.Append(escape);
        }
        cut = false;
        return sb.ToString();
    }

    /// <summary>The escape of <paramref name="c"/>, or null when it stands for itself.</summary>
    private static string? EscapeOf(char c) => c switch
    {
        '\\' => @"\\",
        '\t' => @"\t",
        '\n' => @"\n",
        '\r' => @"\r",
        >= ' ' and <= '~' => null,
        <= '\xff' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
    };
}
