using System.Globalization;
using System.Text;
using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// The outcome of one differential run: a pass, or the first thing that went wrong, with enough
/// context to find it again (file, step, script line, operation, field, frame) and a
/// <see cref="Signature"/> that stays the same however the input that triggers it is shrunk.
/// </summary>
/// <remarks>
/// <see cref="LeftName"/>/<see cref="LeftValue"/> and <see cref="RightName"/>/<see cref="RightValue"/>
/// are the two sides of the comparison. For a divergence they are the implementation under test and
/// the model. For a check of one side alone (an expectation, a storage or audit check, an exception)
/// the left pair is that side and what it had, the right pair is <c>expected</c> and what should have been.
/// </remarks>
public sealed record Verdict
{
    /// <summary>What kind of outcome this is.</summary>
    public required VerdictKind Kind { get; init; }

    /// <summary>1-based index of the operation at fault (for an expectation, of the last operation run before it); 0 before any.</summary>
    public int Step { get; init; }

    /// <summary>Script line at fault (the operation's or the expectation's), 0 when there is none (decoded operations).</summary>
    public int Line { get; init; }

    /// <summary>The operation at fault, or the last one run before a failing expectation; null before any.</summary>
    public Op? Op { get; init; }

    /// <summary>The failing expectation as a script line, e.g. <c>expect-refs mfn=0x77 count=1</c>; null for other verdicts.</summary>
    public string? Expectation { get; init; }

    /// <summary>
    /// What differed: <c>rc</c>, <c>done</c>, <c>lookup.mfn</c>, <c>mfn</c>, <c>type</c>, <c>order</c>,
    /// <c>identity</c>, <c>storage.pte</c>, <c>storage.slot</c>, <c>grant</c>, <c>grant.frames</c>,
    /// <c>refs</c>, <c>runs.mfn</c>…, an audit's own field, or an exception's type name.
    /// </summary>
    public string Field { get; init; } = "";

    /// <summary>The frame concerned, when the field is about a frame.</summary>
    public Gfn? Gfn { get; init; }

    /// <summary>The machine frame concerned, when the field is a reference count.</summary>
    public Mfn? Mfn { get; init; }

    /// <summary>The grant frame concerned, when the field is a grant frame's GFN.</summary>
    public int? GrantFrame { get; init; }

    /// <summary>Name of the left side (see remarks).</summary>
    public string LeftName { get; init; } = "";

    /// <summary>The left side's value of <see cref="Field"/>.</summary>
    public string LeftValue { get; init; } = "";

    /// <summary>Name of the right side (see remarks).</summary>
    public string RightName { get; init; } = "";

    /// <summary>The right side's value of <see cref="Field"/>.</summary>
    public string RightValue { get; init; } = "";

    /// <summary>One or two sentences for a person: what differed, with whole frame states where they help.</summary>
    public string Message { get; init; } = "";

    /// <summary>The script's path, when the run came from a file.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// For an exception, its text with the stack trace (<see cref="System.Exception.ToString"/>); for a crash, what the
    /// dying process printed (bounded). Text rather than the exception object, so a verdict crosses process boundaries.
    /// </summary>
    public string? Trace { get; init; }

    /// <summary>
    /// In a run of several implementations, the short name of the one at fault (e.g. <c>p2m_sample</c>), which the
    /// <see cref="Signature"/> ends with; null when one implementation was under test, whose signatures name none.
    /// </summary>
    public string? Implementation { get; init; }

    /// <summary>True for <see cref="VerdictKind.Pass"/>.</summary>
    public bool IsPass => Kind == VerdictKind.Pass;

    /// <summary>
    /// <c>kind:operation:field</c>, e.g. <c>divergence:unmap:order</c>, with no numbers, so two inputs that
    /// fail the same way share it: crashes deduplicate on it and the minimiser keeps inputs that still match it.
    /// The operation part is the script word, <c>setup</c> before any operation, or the expectation's word. In a
    /// run of several implementations it ends with <c>@</c> and the one at fault, e.g. <c>divergence:unmap:refs@p2m_sample</c>.
    /// </summary>
    public string Signature => Kind == VerdictKind.Pass ? "pass"
        : Implementation is null ? $"{KindWord(Kind)}:{SubjectWord}:{Field}"
        : $"{KindWord(Kind)}:{SubjectWord}:{Field}@{Implementation}";

    /// <summary>A passing run of <paramref name="steps"/> operations.</summary>
    public static Verdict Pass(int steps, string? path = null)
    {
        if (path is not null || (uint)steps >= (uint)PassesWithoutPath.Length)
            return NewPass(steps, path);
        // Verdicts are immutable, so the fuzz loop's passes can share one per length (a benign race at worst builds two).
        return PassesWithoutPath[steps] ??= NewPass(steps, null);
    }

    // Fuzz inputs are at most a few hundred operations long.
    private static readonly Verdict?[] PassesWithoutPath = new Verdict?[1024];

    private static Verdict NewPass(int steps, string? path) =>
        new() { Kind = VerdictKind.Pass, Step = steps, Path = path, Message = $"{steps} steps agreed" };

    private string SubjectWord =>
        Expectation is { } text ? FirstWord(text)
        : Op is { } op ? OpWord(op.Kind)
        : "setup";

    /// <summary>A readable multi-line report: file, step, line, operation, field, frame and both values.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (IsPass)
            return $"pass{(Path is null ? "" : $" {Path}")}: {Message}";

        sb.Append(inv, $"{KindTitle(Kind)} {Signature}\n");
        if (Path is not null)
            sb.Append(inv, $"  file:   {Path}\n");
        if (Implementation is not null)
            sb.Append(inv, $"  impl:   {Implementation}\n");
        sb.Append(inv, $"  step:   {Step}{(Line > 0 ? $" (line {Line})" : "")}\n");
        if (Op is { } op)
            sb.Append(inv, $"  op:     {ScriptPrinter.Format(op)}\n");
        if (Expectation is not null)
            sb.Append(inv, $"  expect: {Expectation}\n");
        sb.Append(inv, $"  field:  {Field}");
        if (Gfn is { } gfn) sb.Append(inv, $" at gfn {gfn}");
        if (Mfn is { } mfn) sb.Append(inv, $" at mfn {mfn}");
        if (GrantFrame is { } frame) sb.Append(inv, $" of grant frame {frame}");
        sb.Append('\n');
        int width = Math.Max(LeftName.Length, RightName.Length);
        sb.Append(inv, $"  {(LeftName + ":").PadRight(width + 1)} {LeftValue}\n");
        sb.Append(inv, $"  {(RightName + ":").PadRight(width + 1)} {RightValue}\n");
        if (Message.Length > 0)
            sb.Append(inv, $"  {Message}\n");
        if (Trace is not null)
            sb.Append(inv, $"  {Trace.Replace("\n", "\n  ", StringComparison.Ordinal)}\n");
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The kind as signatures and crash file names spell it: <c>divergence</c>, <c>crash</c>, <c>timeout</c>…</summary>
    public static string KindWord(VerdictKind kind) => kind switch
    {
        VerdictKind.Divergence => "divergence",
        VerdictKind.ExpectationFailed => "expectation",
        VerdictKind.Exception => "exception",
        VerdictKind.Invariant => "invariant",
        VerdictKind.Crash => "crash",
        VerdictKind.Timeout => "timeout",
        VerdictKind.Oom => "oom",
        _ => "pass",
    };

    private static string KindTitle(VerdictKind kind) => kind switch
    {
        VerdictKind.Divergence => "DIVERGENCE",
        VerdictKind.ExpectationFailed => "EXPECTATION FAILED",
        VerdictKind.Exception => "EXCEPTION",
        VerdictKind.Invariant => "INVARIANT",
        VerdictKind.Crash => "CRASH",
        VerdictKind.Timeout => "TIMEOUT",
        VerdictKind.Oom => "OUT OF MEMORY",
        _ => "PASS",
    };

    /// <summary>The script word of an operation kind, as the format page spells it.</summary>
    internal static string OpWord(OpKind kind) => kind switch
    {
        OpKind.Map => "map",
        OpKind.Unmap => "unmap",
        OpKind.Retype => "retype",
        OpKind.Identity => "identity",
        OpKind.Foreign => "foreign",
        OpKind.GrantSetup => "grant-setup",
        OpKind.GrantMap => "grant-map",
        OpKind.Lookup => "lookup",
        OpKind.Translate => "translate",
        OpKind.FailAllocs => "fail-allocs",
        OpKind.DirectMap => "directmap",
        OpKind.Teardown => "teardown",
        _ => "unknown-op",
    };

    private static string FirstWord(string text)
    {
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? text : text[..space];
    }
}
