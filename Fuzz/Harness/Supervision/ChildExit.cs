using System.Text.RegularExpressions;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// Why a child process died, read from its exit code and the last of its standard error: a stack
/// overflow, an unhandled exception (on any thread), a fail-fast, a sanitizer report, a signal, or an
/// exit code. The cause becomes the field of a <c>crash</c> finding, so it must be stable: names and
/// types, never addresses or counts.
/// </summary>
internal static partial class ChildExit
{
    /// <summary>Longest summary line kept.</summary>
    private const int SummaryChars = 240;

    /// <summary>The finding's field (e.g. <c>stack-overflow</c>, <c>unhandled-InvalidOperationException</c>, <c>SIGSEGV</c>) and a one-line summary.</summary>
    public static (string Field, string Summary) Describe(int exitCode, string stderr)
    {
        if (FindLine(stderr, "Stack overflow") is { } overflow)
            return ("stack-overflow", overflow);
        if (UnhandledException().Match(stderr) is { Success: true } unhandled)
            return ($"unhandled-{unhandled.Groups["type"].Value.Split('.')[^1]}", Bound(unhandled.Value));
        if (Implementations.Native.SanitizerReport.TryRead(stderr, out string field, out string summary, out _))
            return (field, Bound(summary));
        if (FindLine(stderr, "Process terminated.") is { } failFast)
            return ("fail-fast", failFast);
        if (exitCode > 128 && exitCode < 128 + 65)
            return (SignalName(exitCode - 128), $"killed by signal {SignalName(exitCode - 128)} (exit {exitCode})");
        return ($"exit-{exitCode}", $"exited with code {exitCode} before answering");
    }

    private static string? FindLine(string text, string start)
    {
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith(start, StringComparison.Ordinal)) return Bound(trimmed);
        }
        return null;
    }

    private static string Bound(string line)
    {
        string flat = line.Replace('\r', ' ').Replace('\n', ' ').Trim();
        return flat.Length <= SummaryChars ? flat : flat[..SummaryChars] + "…";
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT", 7 => "SIGBUS",
        8 => "SIGFPE", 9 => "SIGKILL", 11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM",
        _ => $"signal-{signal}",
    };

    [GeneratedRegex(@"Unhandled exception\. (?<type>[\w.`]+)(:[^\n]*)?")]
    private static partial Regex UnhandledException();
}
