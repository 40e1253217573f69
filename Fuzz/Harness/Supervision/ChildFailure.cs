using System.Globalization;
using P2M.Contract;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// The verdicts a supervisor makes about a child that could not give one: it died (<c>crash</c>), it went
/// silent past the time limit (<c>timeout</c>), or it went over the memory limit (<c>oom</c>). Each names
/// the step and operation the child's status page says it was running, so the finding's signature is
/// <c>kind:operation:field</c> like any other and the minimiser can keep it.
/// </summary>
internal static class ChildFailure
{
    /// <summary>Field of every timeout finding: <c>timeout:&lt;op&gt;:time</c>.</summary>
    public const string TimeoutField = "time";

    /// <summary>Most characters of a dying child's standard error kept in the verdict.</summary>
    private const int TraceChars = 4000;

    /// <summary>The child died with <paramref name="exitCode"/>, having printed <paramref name="stderr"/>.</summary>
    public static Verdict Crashed(string side, Progress at, int exitCode, string stderr)
    {
        (string field, string summary) = ChildExit.Describe(exitCode, stderr);
        return Make(VerdictKind.Crash, field, side, at, summary, "an answer",
            $"the process running {Who(side, at)} died at {Where(at)}: {summary}") with
        {
            // A sanitizer's report is the trace worth keeping; the rest of what the process printed is not.
            Trace = Implementations.Native.SanitizerReport.TryRead(stderr, out _, out _, out string report) ? report : Tail(stderr),
        };
    }

    /// <summary>
    /// The child gave no answer within <paramref name="seconds"/>, holding <paramref name="residentMb"/> MiB. The
    /// memory is told because an allocation that runs away slowly (every page touched) can reach the time limit
    /// before the memory limit: the figure shows a reader which of the two it was close to.
    /// </summary>
    public static Verdict TimedOut(string side, Progress at, double seconds, long residentMb, int limitMb) =>
        Make(VerdictKind.Timeout, TimeoutField, side, at, string.Create(CultureInfo.InvariantCulture, $"no answer after {seconds:0.###} s"),
            string.Create(CultureInfo.InvariantCulture, $"an answer within {seconds:0.###} s (--timeout)"),
            string.Create(CultureInfo.InvariantCulture, $"{Who(side, at)} ran past the time limit at {Where(at)} and was killed, {residentMb} MiB resident (--rss-limit-mb {limitMb})"));

    /// <summary>The child's resident memory reached <paramref name="residentMb"/> MiB, over <paramref name="limitMb"/>.</summary>
    public static Verdict OutOfMemory(string side, Progress at, long residentMb, int limitMb) =>
        Make(VerdictKind.Oom, StepContext.OomField, side, at, string.Create(CultureInfo.InvariantCulture, $"{residentMb} MiB resident"),
            string.Create(CultureInfo.InvariantCulture, $"at most {limitMb} MiB (--rss-limit-mb)"),
            $"{Who(side, at)} went over the memory limit at {Where(at)} and was killed");

    private static Verdict Make(VerdictKind kind, string field, string side, Progress at, string leftValue, string rightValue, string message) => new()
    {
        Kind = kind,
        Step = at.Step,
        Line = at.Line,
        Op = at.Op,
        Field = field,
        LeftName = Who(side, at),
        LeftValue = leftValue,
        RightName = "expected",
        RightValue = rightValue,
        Message = message,
        Path = at.Path,
        Implementation = at.Implementation,
    };

    /// <summary>The implementation at fault: of several, the one the child was running.</summary>
    private static string Who(string side, Progress at) => at.Implementation ?? side;

    private static string Where(Progress at) => at.Op is null ? "setup, before any operation" : $"step {at.Step}";

    private static string Tail(string stderr) => stderr.Length <= TraceChars ? stderr.TrimEnd() : "…" + stderr[^TraceChars..].TrimEnd();

    /// <summary>
    /// Where a child stood: the step, line and operation its status page named, the input's path, and of several
    /// implementations the label of the one it was running (null for one).
    /// </summary>
    public readonly record struct Progress(int Step, int Line, Op? Op, string? Path, string? Implementation = null);
}
