using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// Runs one operation stream through two P2M implementations step by step — the implementation under
/// test on the left, the model on the right — and stops at the first disagreement. After every step it
/// compares the result, every frame of the touched range widened to the leaves crossing its edges,
/// each side's type storage and cheap audit (<see cref="AuditScope.Step"/>, when the side offers them),
/// the grant frames and the reference counts of the machine frames the step touched. The full checks,
/// each side's full audit and the whole-state comparison, cost as much as the state is large, so they
/// run on the schedule of <see cref="FullCheckSchedule"/> (in proportion to the work done, after every
/// <c>teardown</c> and at the end).
/// </summary>
/// <remarks>
/// <para>
/// Deferring a check does not change what a failure reports. A run that fails after full checks were
/// skipped is run again from scratch (both sides are deterministic), with the full audit after every
/// step from the one after the last full checks that passed, and the whole-state comparison too when it
/// is what failed; the first failure of that run is the verdict. So a verdict names the step, operation,
/// field and signature an audit after every step would have named, and a difference only the whole
/// state shows is reported at the first step where it shows. <see cref="Observer"/> is told about the
/// steps of both runs, so the last step it was told is the one the verdict names, or the one that was
/// running if the process died.
/// </para>
/// <para>
/// Per-step work allocates nothing once the buffers have grown, so the fuzz loop can call
/// <see cref="Run(P2MConfig, ReadOnlySpan{Op}, string?)"/> millions of times. A runner reuses its buffers
/// across runs and is therefore not thread-safe: use one per thread.
/// </para>
/// </remarks>
public sealed class DifferentialRunner : IInputRunner
{
    private readonly Func<P2MConfig, IP2M> _createLeft;
    private readonly Func<P2MConfig, IP2M> _createRight;
    private readonly RangeComparer _ranges = new();
    private readonly TouchedReferences _references;
    private readonly ForeignEntries _foreign = new();
    private FullCheckWork _work;
    private readonly IdleSides _idle = new();
    private readonly WholeStateComparer _wholeState = new();

    /// <summary>
    /// Creates a runner that builds a pair of implementations for a run, or resets those of the last run
    /// that passed where they implement <see cref="IResettable"/>.
    /// </summary>
    /// <param name="left">Builds the implementation under test (e.g. the engine).</param>
    /// <param name="right">Builds the model (e.g. the oracle); if it implements <see cref="IAllocationFailureModel"/>,
    /// the left side's <c>ENOMEM</c> results are replayed on it.</param>
    /// <param name="options">How many references a step checks; <see cref="RunnerOptions.Default"/> when null.</param>
    public DifferentialRunner(Func<P2MConfig, IP2M> left, Func<P2MConfig, IP2M> right, RunnerOptions? options = null)
    {
        _createLeft = left ?? throw new ArgumentNullException(nameof(left));
        _createRight = right ?? throw new ArgumentNullException(nameof(right));
        Options = options ?? RunnerOptions.Default;
        _references = new TouchedReferences(Options.MaxReferenceChecks);
    }

    /// <summary>The options this runner checks with.</summary>
    public RunnerOptions Options { get; }

    /// <summary>Told before each step which operation runs, in the first run and in a run that locates a failure; null (the default) for nobody.</summary>
    public IStepObserver? Observer { get; set; }

    /// <summary>What the full checks of the last <c>Run</c> cost, both of its runs when it located a failure.</summary>
    public FullCheckWork LastRunWork => _work;

    /// <summary>
    /// Runs a parsed script: its operations through both sides, its expectations against both sides
    /// where they stand. The verdict carries the script's path and the line at fault.
    /// </summary>
    public Verdict Run(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _work = default;
        var schedule = FullCheckSchedule.Amortised;
        Verdict verdict = RunScript(script, ref schedule, out Locate locate);
        if (locate != Locate.Nothing)
        {
            var locating = FullCheckSchedule.Locating(schedule.LastPassed, locate == Locate.AuditAndWholeState);
            verdict = Earliest(verdict, RunScript(script, ref locating, out _));
        }
        return verdict.Path == script.Path ? verdict : verdict with { Path = script.Path };
    }

    /// <summary>Runs bare operations (e.g. decoded from fuzz bytes) built with <paramref name="config"/>.</summary>
    /// <param name="config">Geometry and pool for both sides.</param>
    /// <param name="ops">The operations; their verdicts report line 0.</param>
    /// <param name="path">A name for reports, e.g. the input file; optional.</param>
    public Verdict Run(P2MConfig config, ReadOnlySpan<Op> ops, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _work = default;
        var schedule = FullCheckSchedule.Amortised;
        Verdict verdict = RunOps(config, ops, ref schedule, out Locate locate);
        if (locate != Locate.Nothing)
        {
            var locating = FullCheckSchedule.Locating(schedule.LastPassed, locate == Locate.AuditAndWholeState);
            verdict = Earliest(verdict, RunOps(config, ops, ref locating, out _));
        }
        return verdict.Path == path ? verdict : verdict with { Path = path };
    }

    /// <inheritdoc/>
    public Verdict Run(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input.Config, input.Ops.AsSpan());
    }

    /// <summary>Runs bare operations from a list; see <see cref="Run(P2MConfig, ReadOnlySpan{Op}, string?)"/>.</summary>
    public Verdict Run(P2MConfig config, IReadOnlyList<Op> ops, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops switch
        {
            Op[] array => Run(config, array.AsSpan(), path),
            List<Op> list => Run(config, CollectionsMarshal.AsSpan(list), path),
            _ => Run(config, CopyOf(ops), path),
        };
    }

    private static Op[] CopyOf(IReadOnlyList<Op> ops)
    {
        var copy = new Op[ops.Count];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = ops[i];
        return copy;
    }

    /// <summary>What a failing run leaves to find: which full checks to run after every step when it runs again.</summary>
    private enum Locate
    {
        /// <summary>Nothing: the run passed, or no full check it skipped could have failed earlier.</summary>
        Nothing,

        /// <summary>A full audit skipped before the failure might have failed first.</summary>
        Audit,

        /// <summary>The whole-state comparison failed: where the difference first shows is not known yet.</summary>
        AuditAndWholeState,
    }

    /// <summary>Which check a failure came from, as far as locating it is concerned.</summary>
    private enum FailedCheck
    {
        /// <summary>A per-step check, an expectation, or an exception outside the full checks.</summary>
        PerStep,

        /// <summary>A full audit, or an exception in one.</summary>
        FullAudit,

        /// <summary>The whole-state comparison, or an exception in it.</summary>
        WholeState,
    }

    /// <summary>
    /// The verdict of the locating run, which is never later than the first run's: if it is (only sides
    /// that are not deterministic could make it so), the first run's verdict stands.
    /// </summary>
    private static Verdict Earliest(Verdict first, Verdict located) =>
        !located.IsPass && located.Step <= first.Step ? located : first;

    /// <summary>One run of a script under <paramref name="schedule"/>; <paramref name="locate"/> says what a failure leaves to find.</summary>
    private Verdict RunScript(Script script, ref FullCheckSchedule schedule, out Locate locate)
    {
        locate = Locate.Nothing;
        if (!TryStart(script.Config, out Sides? sides, out Verdict? failed))
            return failed;

        Geometry geometry = script.Geometry;
        int step = 0, lastLine = 0;
        Op? lastOp = null;
        OpResult? leftResult = null, rightResult = null;
        foreach (ScriptLine line in script.Lines)
        {
            Verdict? verdict;
            FailedCheck check = FailedCheck.PerStep;
            if (line is OpLine opLine)
            {
                step++;
                lastOp = opLine.Op;
                lastLine = opLine.Line;
                verdict = Step(sides, geometry, opLine.Op, step, opLine.Line, out OpResult left, out OpResult right, ref schedule, out check);
                leftResult = left;
                rightResult = right;
            }
            else
            {
                var context = new StepContext(step, line.Line, lastOp, line, sides.Left.Name, sides.Right.Name);
                verdict = CheckExpectation(line, sides, leftResult, rightResult, context);
            }
            if (verdict is not null)
            {
                locate = ToLocate(verdict, check, schedule, sides);
                return verdict;
            }
        }

        if (Finish(sides, step, lastLine, lastOp, ref schedule, out FailedCheck finishCheck) is { } last)
        {
            locate = ToLocate(last, finishCheck, schedule, sides);
            return last;
        }
        return Passed(sides, script.Config, step);
    }

    /// <summary>One run of bare operations under <paramref name="schedule"/>; <paramref name="locate"/> says what a failure leaves to find.</summary>
    private Verdict RunOps(P2MConfig config, ReadOnlySpan<Op> ops, ref FullCheckSchedule schedule, out Locate locate)
    {
        locate = Locate.Nothing;
        if (!TryStart(config, out Sides? sides, out Verdict? failed))
            return failed;

        for (int i = 0; i < ops.Length; i++)
        {
            if (Step(sides, config.Geometry, ops[i], i + 1, 0, out _, out _, ref schedule, out FailedCheck check) is { } verdict)
            {
                locate = ToLocate(verdict, check, schedule, sides);
                return verdict;
            }
        }
        if (Finish(sides, ops.Length, 0, ops.Length > 0 ? ops[^1] : null, ref schedule, out FailedCheck finishCheck) is { } last)
        {
            locate = ToLocate(last, finishCheck, schedule, sides);
            return last;
        }
        return Passed(sides, config, ops.Length);
    }

    /// <summary>
    /// Whether a failure needs a locating run: only when full checks were skipped between the last ones
    /// that passed and the failure, and only those that could have failed there (a full audit needs a side
    /// that audits itself).
    /// </summary>
    private static Locate ToLocate(Verdict verdict, FailedCheck check, in FullCheckSchedule schedule, Sides sides)
    {
        if (schedule.IsLocating || verdict.Step <= schedule.LastPassed)
            return Locate.Nothing;
        if (check == FailedCheck.WholeState)
            return Locate.AuditAndWholeState;
        return sides.Left.SelfChecks || sides.Right.SelfChecks ? Locate.Audit : Locate.Nothing;
    }

    /// <summary>
    /// Both sides for a run: those of the last run that passed, reset, where they implement
    /// <see cref="IResettable"/> and the configuration is the same, and new ones otherwise. A side that
    /// throws while being built or reset is an exception verdict at step 0.
    /// </summary>
    private bool TryStart(P2MConfig config, [NotNullWhen(true)] out Sides? sides, [NotNullWhen(false)] out Verdict? failed)
    {
        sides = null;
        failed = null;
        _foreign.Clear();
        // A run that failed never hands its sides back: a reset is promised from any state an operation
        // leaves, but a side that broke (or threw half-way) is not trusted with the next run.
        Sides? idle = _idle.Take(config);
        string building = "left";
        try
        {
            IP2M left = ResetOrCreate(idle?.Left.P2M, config, _createLeft);
            building = "right";
            IP2M right = ResetOrCreate(idle?.Right.P2M, config, _createRight);
            sides = idle is not null && ReferenceEquals(left, idle.Left.P2M) && ReferenceEquals(right, idle.Right.P2M)
                ? idle
                : NewSides(left, right);
            return true;
        }
        catch (Exception e)
        {
            failed = new StepContext(0, 0, null, null, "left", "right").Threw(building, e);
            return false;
        }
    }

    private static IP2M ResetOrCreate(IP2M? previous, P2MConfig config, Func<P2MConfig, IP2M> create)
    {
        if (previous is IResettable resettable)
        {
            resettable.Reset();
            return previous;
        }
        return create(config);
    }

    private static Sides NewSides(IP2M left, IP2M right)
    {
        string leftName = left.Name;
        string rightName = right.Name;
        if (leftName == rightName)
        {
            // Two instances of one implementation (self-tests): keep the report readable.
            leftName += " (left)";
            rightName += " (right)";
        }
        return new Sides(left, leftName, right, rightName);
    }

    /// <summary>A run passed with <paramref name="sides"/>: the next run of the same configuration may reset them instead of building new ones.</summary>
    private Verdict Passed(Sides sides, P2MConfig config, int steps)
    {
        if (sides.Left.P2M is IResettable || sides.Right.P2M is IResettable)
            _idle.Put(config, sides);
        return Verdict.Pass(steps);
    }

    /// <summary>
    /// One operation on both sides, then every per-step comparison and, when due, the full checks; the
    /// first failure, or null. <paramref name="failed"/> says which check a failure came from.
    /// </summary>
    private Verdict? Step(Sides sides, Geometry geometry, in Op op, int step, int line,
        out OpResult leftResult, out OpResult rightResult, ref FullCheckSchedule schedule, out FailedCheck failed)
    {
        leftResult = rightResult = default;
        failed = FailedCheck.PerStep;
        Observer?.Starting(step, line, op);
        var context = new StepContext(step, line, op, null, sides.Left.Name, sides.Right.Name);
        try
        {
            // Before the step: the range to check, from the operation and the leaves at its edges while
            // they are still whole, and the foreign entries last seen in it (whose references the step may drop).
            GfnRange range = GfnRange.Touched(op, geometry);
            if (!range.IsEmpty)
                range = WidenToLeaves(sides, range, geometry);
            _references.Clear();
            _references.AddNamedBy(op, geometry);
            _foreign.AddIn(range, _references);

            leftResult = sides.Left.Apply(op);
            rightResult = leftResult.Code == ResultCode.Enomem && sides.Right.ModelsFailures
                ? sides.Right.ApplyFailedAt(op, leftResult.Done)
                : sides.Right.Apply(op);
            schedule.Worked(op, geometry);
            if (op.Kind == OpKind.Teardown)
                _foreign.Clear(); // whatever a side kept after it, the whole-state comparison after a teardown finds

            Verdict? verdict = CompareResults(sides, op, leftResult, rightResult, context)
                ?? _ranges.Compare(sides, range, _foreign, _references, context);
            if (verdict is not null)
                return verdict;

            // The audit keeps its place among the checks whatever its scope, so a full audit after every
            // step reports what it always did.
            bool full = schedule.AuditDue(step, op.Kind);
            failed = full ? FailedCheck.FullAudit : FailedCheck.PerStep;
            verdict = Audit(sides, context, full ? AuditScope.Full : AuditScope.Step, out long pages);
            if (verdict is not null)
                return verdict;

            failed = FailedCheck.PerStep;
            verdict = GrantFrameCheck.Compare(sides, context) ?? _references.Compare(sides, context);
            if (verdict is not null || !schedule.WholeStateDue(step, op.Kind))
                return verdict;

            failed = FailedCheck.WholeState;
            return WholeState(sides, context, step, pages, ref schedule);
        }
        catch (SideFault fault)
        {
            return context.Threw(fault.Side, fault.Thrown);
        }
    }

    /// <summary>The whole-state comparison after step <paramref name="step"/>; when it passes, the schedule learns what the full checks cost.</summary>
    private Verdict? WholeState(Sides sides, in StepContext context, int step, long auditedPages, ref FullCheckSchedule schedule)
    {
        long entries = 0;
        Verdict? verdict = _wholeState.Compare(sides, context, ref entries);
        _work = _work with { WholeStateChecks = _work.WholeStateChecks + 1, WholeStateEntries = _work.WholeStateEntries + entries };
        if (verdict is null)
            schedule.Passed(step, entries + auditedPages);
        return verdict;
    }

    /// <summary>
    /// Grows <paramref name="range"/> to the aligned blocks of the leaves at its first and last frame, taking
    /// the larger order of the two sides, so that the frames a split leaves behind are compared too.
    /// </summary>
    private static GfnRange WidenToLeaves(Sides sides, GfnRange range, Geometry geometry)
    {
        var first = new Gfn(range.Start);
        var last = new Gfn(range.End - 1);
        int firstOrder = Math.Max(sides.Left.Read(first).Order, sides.Right.Read(first).Order);
        int lastOrder = Math.Max(sides.Left.Read(last).Order, sides.Right.Read(last).Order);
        return range.WidenedToLeaves(firstOrder, lastOrder, geometry);
    }

    /// <summary>Result code, <c>done</c>, and for <c>lookup</c>/<c>translate</c> the frame answered.</summary>
    private static Verdict? CompareResults(Sides sides, in Op op, in OpResult left, in OpResult right, in StepContext context)
    {
        if (left.Code != right.Code)
            return context.Divergence("rc", ResultCodes.Name(left.Code), ResultCodes.Name(right.Code), Returned(sides, left, right));
        if (left.Done != right.Done)
            return context.Divergence("done", left.Done.ToString(CultureInfo.InvariantCulture),
                right.Done.ToString(CultureInfo.InvariantCulture), Returned(sides, left, right));
        if (op.Kind is OpKind.Lookup or OpKind.Translate)
        {
            FrameField field = FrameFields.FirstDifference(left.Frame, right.Frame);
            if (field != FrameField.None)
            {
                return context.Divergence($"{Verdict.OpWord(op.Kind)}.{FrameFields.Name(field)}",
                    FrameFields.Value(left.Frame, field), FrameFields.Value(right.Frame, field),
                    $"gfn {op.Gfn}: {sides.Left.Name} answered {left.Frame}, {sides.Right.Name} answered {right.Frame}", gfn: op.Gfn);
            }
        }
        return null;
    }

    // Built only on failure: a message per step would be an allocation per step.
    private static string Returned(Sides sides, in OpResult left, in OpResult right) =>
        $"{sides.Left.Name} returned {left}, {sides.Right.Name} returned {right}";

    /// <summary>
    /// Each self-checking side's own audit in <paramref name="scope"/>; a violation is an invariant verdict
    /// with the audit's field. <paramref name="pages"/> is what a full audit cost (table pages, both sides).
    /// </summary>
    private Verdict? Audit(Sides sides, in StepContext context, AuditScope scope, out long pages)
    {
        pages = 0;
        if (sides.Left.SelfChecks && AuditSide(sides.Left, scope, ref pages) is { } leftViolation)
            return Violation(sides.Left.Name, leftViolation, context);
        if (sides.Right.SelfChecks && AuditSide(sides.Right, scope, ref pages) is { } rightViolation)
            return Violation(sides.Right.Name, rightViolation, context);
        return null;
    }

    private InvariantViolation? AuditSide(Side side, AuditScope scope, ref long pages)
    {
        InvariantViolation? violation = side.Audit(scope, out long visited);
        if (scope == AuditScope.Full)
        {
            pages += visited;
            _work = _work with { FullAudits = _work.FullAudits + 1, AuditedPages = _work.AuditedPages + visited };
        }
        return violation;
    }

    private static Verdict Violation(string side, InvariantViolation violation, in StepContext context) =>
        context.OneSide(VerdictKind.Invariant, side, violation.Field, violation.Actual, violation.Expected,
            $"{side}'s audit: {violation.Field} should be {violation.Expected}, is {violation.Actual}");

    /// <summary>An expectation line, left side first, then right.</summary>
    private static Verdict? CheckExpectation(ScriptLine line, Sides sides, OpResult? leftResult, OpResult? rightResult, in StepContext context)
    {
        try
        {
            return ExpectationCheck.Check(line, sides.Left, leftResult, context)
                ?? ExpectationCheck.Check(line, sides.Right, rightResult, context);
        }
        catch (SideFault fault)
        {
            return context.Threw(fault.Side, fault.Thrown);
        }
    }

    /// <summary>The full checks after the last step, unless that step just ran them; <paramref name="failed"/> says which failed.</summary>
    private Verdict? Finish(Sides sides, int steps, int line, Op? lastOp, ref FullCheckSchedule schedule, out FailedCheck failed)
    {
        failed = FailedCheck.FullAudit;
        if (!schedule.FinishDue(steps))
            return null;
        var context = new StepContext(steps, line, lastOp, null, sides.Left.Name, sides.Right.Name);
        try
        {
            if (Audit(sides, context, AuditScope.Full, out long pages) is { } violation)
                return violation;
            failed = FailedCheck.WholeState;
            return WholeState(sides, context, steps, pages, ref schedule);
        }
        catch (SideFault fault)
        {
            return context.Threw(fault.Side, fault.Thrown);
        }
    }
}
