using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// Where in the run a check stands (step, line, operation or expectation, the two sides' names),
/// so that every check can build its verdict without knowing the others. A struct: it is made
/// once per step and only turns into a <see cref="Verdict"/> when something fails.
/// </summary>
internal readonly struct StepContext
{
    private readonly int _step;
    private readonly int _line;
    private readonly Op? _op;
    private readonly ScriptLine? _expectation;
    private readonly string _leftName;
    private readonly string _rightName;

    public StepContext(int step, int line, Op? op, ScriptLine? expectation, string leftName, string rightName)
    {
        _step = step; _line = line; _op = op; _expectation = expectation;
        _leftName = leftName; _rightName = rightName;
    }

    /// <summary>The two implementations disagree on <paramref name="field"/>.</summary>
    public Verdict Divergence(string field, string leftValue, string rightValue, string message,
        Gfn? gfn = null, Mfn? mfn = null, int? grantFrame = null) =>
        Make(VerdictKind.Divergence, field, _leftName, leftValue, _rightName, rightValue, message, gfn, mfn, grantFrame);

    /// <summary>One side (<paramref name="side"/>) is not what it should be, on its own terms.</summary>
    public Verdict OneSide(VerdictKind kind, string side, string field, string actual, string expected, string message,
        Gfn? gfn = null, Mfn? mfn = null, int? grantFrame = null) =>
        Make(kind, field, side, actual, "expected", expected, message, gfn, mfn, grantFrame);

    /// <summary>
    /// <paramref name="side"/> threw <paramref name="exception"/>: an exception verdict; an invariant verdict with
    /// the violation's field when the side threw because it found its own structure broken; an oom verdict
    /// when it ran out of memory.
    /// </summary>
    public Verdict Threw(string side, Exception exception)
    {
        if (exception is InvariantViolationException broken)
            return OneSide(VerdictKind.Invariant, side, broken.Violation.Field, broken.Violation.Actual, broken.Violation.Expected,
                $"{side} found its structure broken while {Doing}: {broken.Violation.Field} should be {broken.Violation.Expected}, is {broken.Violation.Actual}");
        // Out of memory is the memory limit speaking, not an answer of the step: the same finding a supervisor
        // makes when it sees the process's resident memory go over the limit.
        if (exception is OutOfMemoryException)
            return Make(VerdictKind.Oom, OomField, side, "out of memory", "expected", "an answer within the memory limit",
                $"{side} ran out of memory while {Doing}", null, null, null) with { Trace = exception.ToString() };
        return Make(VerdictKind.Exception, exception.GetType().Name, side, $"{exception.GetType().Name}: {exception.Message}",
            "expected", "an answer", $"{side} threw while {Doing}", null, null, null) with { Trace = exception.ToString() };
    }

    /// <summary>The field of every out-of-memory finding, however it was seen: <c>oom:&lt;op&gt;:memory</c>.</summary>
    public const string OomField = "memory";

    private string Doing =>
        _expectation is not null ? "the expectation was checked"
        : _op is null ? "being built"
        : "running or reading back the step";

    private Verdict Make(VerdictKind kind, string field, string leftName, string leftValue, string rightName, string rightValue,
        string message, Gfn? gfn, Mfn? mfn, int? grantFrame) => new()
        {
            Kind = kind,
            Step = _step,
            Line = _line,
            Op = _op,
            Expectation = _expectation is null ? null : ScriptPrinter.Format(_expectation),
            Field = field,
            Gfn = gfn,
            Mfn = mfn,
            GrantFrame = grantFrame,
            LeftName = leftName,
            LeftValue = leftValue,
            RightName = rightName,
            RightValue = rightValue,
            Message = message,
        };
}
