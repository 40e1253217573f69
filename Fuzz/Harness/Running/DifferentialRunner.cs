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
/// each side's type storage and audit (when the side offers them), the grant frames and the reference
/// counts of the machine frames the step touched; every <see cref="RunnerOptions.WholeStateEvery"/>
/// steps, after a <c>teardown</c> and at the end it compares the whole state.
/// </summary>
/// <remarks>
/// Per-step work allocates nothing once the buffers have grown, so the fuzz loop can call
/// <see cref="Run(P2MConfig, ReadOnlySpan{Op}, string?)"/> millions of times. A runner reuses its buffers
/// across runs and is therefore not thread-safe: use one per thread.
/// </remarks>
public sealed class DifferentialRunner : IInputRunner
{
    private readonly Func<P2MConfig, IP2M> _createLeft;
    private readonly Func<P2MConfig, IP2M> _createRight;
    private readonly RangeComparer _ranges = new();
    private readonly TouchedReferences _references;

    /// <summary>Creates a runner that builds a fresh pair of implementations for every run.</summary>
    /// <param name="left">Builds the implementation under test (e.g. the engine).</param>
    /// <param name="right">Builds the model (e.g. the oracle); if it implements <see cref="IAllocationFailureModel"/>,
    /// the left side's <c>ENOMEM</c> results are replayed on it.</param>
    /// <param name="options">What to check beyond each step's range; <see cref="RunnerOptions.Default"/> when null.</param>
    public DifferentialRunner(Func<P2MConfig, IP2M> left, Func<P2MConfig, IP2M> right, RunnerOptions? options = null)
    {
        _createLeft = left ?? throw new ArgumentNullException(nameof(left));
        _createRight = right ?? throw new ArgumentNullException(nameof(right));
        Options = options ?? RunnerOptions.Default;
        _references = new TouchedReferences(Options.MaxReferenceChecks);
    }

    /// <summary>The options this runner checks with.</summary>
    public RunnerOptions Options { get; }

    /// <summary>Told before each step which operation runs; null (the default) for nobody.</summary>
    public IStepObserver? Observer { get; set; }

    /// <summary>
    /// Runs a parsed script: its operations through both sides, its expectations against both sides
    /// where they stand. The verdict carries the script's path and the line at fault.
    /// </summary>
    public Verdict Run(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (!TryStart(script.Config, out Sides? sides, out Verdict? failed))
            return failed with { Path = script.Path };

        Geometry geometry = script.Geometry;
        int step = 0, lastWholeState = 0, lastLine = 0;
        Op? lastOp = null;
        OpResult? leftResult = null, rightResult = null;
        foreach (ScriptLine line in script.Lines)
        {
            Verdict? verdict;
            if (line is OpLine opLine)
            {
                step++;
                lastOp = opLine.Op;
                lastLine = opLine.Line;
                verdict = Step(sides, geometry, opLine.Op, step, opLine.Line, out OpResult left, out OpResult right, ref lastWholeState);
                leftResult = left;
                rightResult = right;
            }
            else
            {
                var context = new StepContext(step, line.Line, lastOp, line, sides.LeftName, sides.RightName);
                verdict = CheckExpectation(line, sides, leftResult, rightResult, context);
            }
            if (verdict is not null)
                return verdict with { Path = script.Path };
        }

        return Finish(sides, step, lastLine, lastOp, lastWholeState) is { } last
            ? last with { Path = script.Path }
            : Verdict.Pass(step, script.Path);
    }

    /// <summary>Runs bare operations (e.g. decoded from fuzz bytes) built with <paramref name="config"/>.</summary>
    /// <param name="config">Geometry and pool for both sides.</param>
    /// <param name="ops">The operations; their verdicts report line 0.</param>
    /// <param name="path">A name for reports, e.g. the input file; optional.</param>
    public Verdict Run(P2MConfig config, ReadOnlySpan<Op> ops, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!TryStart(config, out Sides? sides, out Verdict? failed))
            return failed with { Path = path };

        int lastWholeState = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            if (Step(sides, config.Geometry, ops[i], i + 1, 0, out _, out _, ref lastWholeState) is { } verdict)
                return verdict with { Path = path };
        }
        return Finish(sides, ops.Length, 0, ops.Length > 0 ? ops[^1] : null, lastWholeState) is { } last
            ? last with { Path = path }
            : Verdict.Pass(ops.Length, path);
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

    /// <summary>Builds both sides; a side that throws while being built is an exception verdict at step 0.</summary>
    private bool TryStart(P2MConfig config, [NotNullWhen(true)] out Sides? sides, [NotNullWhen(false)] out Verdict? failed)
    {
        sides = null;
        failed = null;
        string building = "left";
        try
        {
            IP2M left = _createLeft(config);
            string leftName = left.Name;
            building = "right";
            IP2M right = _createRight(config);
            string rightName = right.Name;
            if (leftName == rightName)
            {
                // Two instances of one implementation (self-tests): keep the report readable.
                leftName += " (left)";
                rightName += " (right)";
            }
            sides = new Sides(left, leftName, right, rightName);
            return true;
        }
        catch (Exception e)
        {
            failed = new StepContext(0, 0, null, null, "left", "right").Threw(building, e);
            return false;
        }
    }

    /// <summary>One operation on both sides, then every per-step comparison; the first failure, or null.</summary>
    private Verdict? Step(Sides sides, Geometry geometry, in Op op, int step, int line,
        out OpResult leftResult, out OpResult rightResult, ref int lastWholeState)
    {
        leftResult = rightResult = default;
        Observer?.Starting(step, line, op);
        var context = new StepContext(step, line, op, null, sides.LeftName, sides.RightName);
        try
        {
            // Before the step: the range to check, widened to whole leaves while they are still whole,
            // and the foreign entries in it (whose references the step may drop).
            GfnRange range = GfnRange.Touched(op, geometry);
            if (!range.IsEmpty)
                range = WidenToLeaves(sides, range, geometry);
            _references.Clear();
            _references.AddNamedBy(op, geometry);
            _ranges.CollectForeign(sides, range, _references);

            leftResult = sides.Call(sides.Left).Apply(op);
            rightResult = leftResult.Code == ResultCode.Enomem && sides.RightFailureModel is { } failures
                ? sides.Call(failures, sides.Right).ApplyFailedAt(op, leftResult.Done)
                : sides.Call(sides.Right).Apply(op);

            Verdict? verdict = CompareResults(sides, op, leftResult, rightResult, context)
                ?? _ranges.Compare(sides, range, _references, context)
                ?? Audit(sides, context)
                ?? GrantFrameCheck.Compare(sides, context)
                ?? _references.Compare(sides, context);
            if (verdict is not null)
                return verdict;

            bool due = op.Kind == OpKind.Teardown || (Options.WholeStateEvery > 0 && step % Options.WholeStateEvery == 0);
            if (!due)
                return null;
            lastWholeState = step;
            return WholeStateComparer.Compare(sides, context);
        }
        catch (Exception e)
        {
            return context.Threw(sides.Calling, e);
        }
    }

    /// <summary>
    /// Grows <paramref name="range"/> to the aligned blocks of the leaves at its first and last frame, taking
    /// the larger order of the two sides, so that the frames a split leaves behind are compared too.
    /// </summary>
    private static GfnRange WidenToLeaves(Sides sides, GfnRange range, Geometry geometry)
    {
        var first = new Gfn(range.Start);
        var last = new Gfn(range.End - 1);
        int firstOrder = Math.Max(sides.Call(sides.Left).Read(first).Order, sides.Call(sides.Right).Read(first).Order);
        int lastOrder = Math.Max(sides.Call(sides.Left).Read(last).Order, sides.Call(sides.Right).Read(last).Order);
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
                    $"gfn {op.Gfn}: {sides.LeftName} answered {left.Frame}, {sides.RightName} answered {right.Frame}", gfn: op.Gfn);
            }
        }
        return null;
    }

    // Built only on failure: a message per step would be an allocation per step.
    private static string Returned(Sides sides, in OpResult left, in OpResult right) =>
        $"{sides.LeftName} returned {left}, {sides.RightName} returned {right}";

    /// <summary>Each self-checking side's own audit; a violation is an invariant verdict with the audit's field.</summary>
    private static Verdict? Audit(Sides sides, in StepContext context)
    {
        if (sides.LeftSelfCheck is { } left && sides.Call(left, sides.Left).Audit() is { } leftViolation)
            return Violation(sides.LeftName, leftViolation, context);
        if (sides.RightSelfCheck is { } right && sides.Call(right, sides.Right).Audit() is { } rightViolation)
            return Violation(sides.RightName, rightViolation, context);
        return null;
    }

    private static Verdict Violation(string side, InvariantViolation violation, in StepContext context) =>
        context.OneSide(VerdictKind.Invariant, side, violation.Field, violation.Actual, violation.Expected,
            $"{side}'s audit: {violation.Field} should be {violation.Expected}, is {violation.Actual}");

    /// <summary>An expectation line, left side first, then right.</summary>
    private static Verdict? CheckExpectation(ScriptLine line, Sides sides, OpResult? leftResult, OpResult? rightResult, in StepContext context)
    {
        try
        {
            return ExpectationCheck.Check(line, sides, sides.Left, leftResult, context)
                ?? ExpectationCheck.Check(line, sides, sides.Right, rightResult, context);
        }
        catch (Exception e)
        {
            return context.Threw(sides.Calling, e);
        }
    }

    /// <summary>The whole-state comparison after the last step, unless that step just did one.</summary>
    private static Verdict? Finish(Sides sides, int steps, int line, Op? lastOp, int lastWholeState)
    {
        if (steps > 0 && lastWholeState == steps)
            return null;
        var context = new StepContext(steps, line, lastOp, null, sides.LeftName, sides.RightName);
        try
        {
            return WholeStateComparer.Compare(sides, context);
        }
        catch (Exception e)
        {
            return context.Threw(sides.Calling, e);
        }
    }
}
