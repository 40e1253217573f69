using System.Text;
using System.Text.RegularExpressions;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// A sanitizer's report (ASan, UBSan, LSan, MSan, TSan) in what a dying process printed, read into what a
/// <c>crash</c> finding needs: a field that names the kind of bug and nothing that changes from run to run
/// (<c>addresssanitizer-heap-buffer-overflow</c>); a one-line summary a person reads, with the access and the
/// first frame in the code under test but no address (<c>AddressSanitizer: heap-buffer-overflow: WRITE of size 1
/// in split_metadata (p2m_sample.c:358)</c>); and the report itself without what only a debugger reads (shadow
/// bytes, frames of the .NET runtime without symbols).
/// </summary>
public static partial class SanitizerReport
{
    /// <summary>Most characters of the report kept as a finding's trace.</summary>
    private const int TraceChars = 4000;

    /// <summary>The report in <paramref name="stderr"/>; false when there is none.</summary>
    /// <param name="stderr">What the process printed on standard error (its tail).</param>
    /// <param name="field">The finding's field: the tool and the kind of bug, lower case, e.g. <c>addresssanitizer-heap-buffer-overflow</c>.</param>
    /// <param name="summary">One line for a person, without addresses.</param>
    /// <param name="trace">The report from its first line, condensed.</param>
    public static bool TryRead(string stderr, out string field, out string summary, out string trace)
    {
        field = summary = trace = "";
        Match error = ErrorLine().Match(stderr);
        if (!error.Success) return false;
        string tool = error.Groups["tool"].Value;
        // The SUMMARY line names the bug in one word where the ERROR line may not ("attempting double-free on 0x…").
        Match named = SummaryKind().Match(stderr);
        string kind = named.Success && named.Groups["tool"].Value == tool ? named.Groups["kind"].Value : error.Groups["what"].Value;
        field = $"{tool.ToLowerInvariant()}-{kind}";

        var text = new StringBuilder($"{tool}: {kind}");
        Match runtime = RuntimeError().Match(stderr);
        if (runtime.Success)
            text.Append(": ").Append(Unaddressed(runtime.Groups["message"].Value.Trim()))
                .Append(" (").Append(Path.GetFileName(runtime.Groups["file"].Value)).Append(':').Append(runtime.Groups["line"].Value).Append(')');
        else
        {
            if (Access().Match(stderr) is { Success: true } access) text.Append(": ").Append(access.Value.Trim());
            if (FirstOwnFrame(stderr) is { } frame) text.Append(' ').Append(frame);
        }
        summary = text.ToString();
        int first = runtime.Success ? Math.Min(runtime.Index, error.Index) : error.Index;
        trace = Condensed(stderr[(stderr.LastIndexOf('\n', first) + 1)..]);
        return true;
    }

    /// <summary><c>in FUNCTION (FILE:LINE)</c> of the first frame with a source line outside the sanitizer itself.</summary>
    private static string? FirstOwnFrame(string stderr)
    {
        foreach (Match frame in SourceFrame().Matches(stderr))
        {
            string function = frame.Groups["function"].Value;
            if (function.StartsWith("__", StringComparison.Ordinal) || frame.Groups["file"].Value.Contains("compiler-rt", StringComparison.Ordinal)) continue;
            return $"in {function} ({Path.GetFileName(frame.Groups["file"].Value)}:{frame.Groups["line"].Value})";
        }
        return null;
    }

    /// <summary>The report from its first line, without shadow bytes and frames that name no function (JIT code, a stripped runtime).</summary>
    private static string Condensed(string report)
    {
        var kept = new StringBuilder();
        foreach (string line in report.Split('\n'))
        {
            if (line.StartsWith("Shadow bytes around", StringComparison.Ordinal)) break;
            if (UnnamedFrame().IsMatch(line)) continue;
            kept.Append(line.TrimEnd()).Append('\n');
            if (kept.Length > TraceChars) break;
        }
        string condensed = kept.ToString().TrimEnd();
        return condensed.Length <= TraceChars ? condensed : condensed[..TraceChars] + "…";
    }

    private static string Unaddressed(string text) => Address().Replace(text, "…");

    // UBSan, which has no ERROR line, ends its report with a SUMMARY line of the same shape.
    [GeneratedRegex(@"ERROR: (?<tool>AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|ThreadSanitizer): (?<what>[\w-]+)|SUMMARY: (?<tool>UndefinedBehaviorSanitizer): (?<what>[\w-]+)")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"SUMMARY: (?<tool>\w+Sanitizer): (?<kind>[A-Za-z][\w-]*)")]
    private static partial Regex SummaryKind();

    [GeneratedRegex(@"^(?<file>[^\s:]+):(?<line>\d+):\d+: runtime error: (?<message>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex RuntimeError();

    [GeneratedRegex(@"^(READ|WRITE) of size \d+", RegexOptions.Multiline)]
    private static partial Regex Access();

    [GeneratedRegex(@"#\d+ 0x[0-9a-f]+ in (?<function>\S+) (?<file>/[^\s:]+):(?<line>\d+)")]
    private static partial Regex SourceFrame();

    [GeneratedRegex(@"^\s*#\d+ 0x[0-9a-f]+ +\(")]
    private static partial Regex UnnamedFrame();

    [GeneratedRegex(@"0x[0-9a-fA-F]+")]
    private static partial Regex Address();
}
