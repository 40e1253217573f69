using P2M.Contract;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// The full audit runs on a schedule, not after every step, yet a failure is reported where an audit
/// after every step would have reported it: the run is run again with the audit after every step from
/// the last one that passed.
/// </summary>
public class LocatingTests
{
    private static readonly InvariantViolation Leak = new("pool.in-use", "5", "6");

    /// <summary>A map, then lookups: little work per step, so the schedule runs few full checks.</summary>
    private static string MapThenLookups(int lookups) =>
        "map gfn=0x10 mfn=0x100 nr=8 type=ram_rw\n" + string.Join("\n", Enumerable.Repeat("lookup gfn=0x12", lookups));

    /// <summary>Doubles whose full audit fails from step <paramref name="from"/> on, kept so a test can see what each run audited.</summary>
    private static Func<P2MConfig, IP2M> AuditFailsFrom(int from, List<SelfCheckingP2M> made, Action<SelfCheckingP2M>? also = null) =>
        SelfChecking(p =>
        {
            made.Add(p);
            p.OnFullAudit = steps => steps >= from ? Leak : null;
            also?.Invoke(p);
        });

    [Fact]
    public void A_full_audit_violation_is_reported_at_the_step_it_first_shows()
    {
        var made = new List<SelfCheckingP2M>();
        Verdict verdict = Run(MapThenLookups(200), AuditFailsFrom(37, made));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(37, verdict.Step);
        Assert.Equal(37, verdict.Line);
        Assert.Equal("pool.in-use", verdict.Field);
        Assert.Equal("6", verdict.LeftValue);
        Assert.Equal("invariant:lookup:pool.in-use", verdict.Signature);
        // The first run audited fully only now and then, and not at step 37; the second after every step.
        Assert.Equal(2, made.Count);
        Assert.DoesNotContain(37, made[0].FullAuditSteps);
        Assert.InRange(made[0].FullAuditSteps.Count, 1, 5);
        Assert.Equal(Enumerable.Range(1, 37), made[1].FullAuditSteps);
    }

    [Fact]
    public void A_later_per_step_failure_does_not_hide_an_earlier_audit_violation()
    {
        // From step 30 the double reads its 2M-like leaf back as 4K frames; its tables broke at step 20.
        var made = new List<SelfCheckingP2M>();
        Verdict verdict = Run(MapThenLookups(50), AuditFailsFrom(20, made,
            p => p.OnFrame = (steps, _, frame) => steps >= 30 && frame.IsMapped ? frame with { Order = 0 } : frame));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(20, verdict.Step);
        Assert.Equal("invariant:lookup:pool.in-use", verdict.Signature);
        Assert.Equal(2, made.Count);
    }

    [Fact]
    public void Without_the_audit_violation_the_per_step_failure_stands()
    {
        // The control for the test above: the same lie alone is reported where it starts.
        var made = new List<SelfCheckingP2M>();
        Verdict verdict = Run(MapThenLookups(50), AuditFailsFrom(int.MaxValue, made,
            p => p.OnFrame = (steps, _, frame) => steps >= 30 && frame.IsMapped ? frame with { Order = 0 } : frame));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(30, verdict.Step);
        Assert.Equal("order", verdict.Field);
        Assert.Equal(2, made.Count); // the audit after every step from 1 to 30 found nothing
    }

    [Fact]
    public void A_failing_expectation_does_not_hide_an_earlier_audit_violation()
    {
        var made = new List<SelfCheckingP2M>();
        Verdict verdict = Run(MapThenLookups(30) + "\nexpect gfn=0x12 unmapped", AuditFailsFrom(10, made));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(10, verdict.Step);
        Assert.Null(verdict.Expectation);
    }

    [Fact]
    public void A_violation_from_the_end_of_a_short_run_is_located_too()
    {
        // Nine frames and four lookups are less work than one scheduled check: only the end audits fully.
        var made = new List<SelfCheckingP2M>();
        Verdict verdict = Run(MapThenLookups(4), AuditFailsFrom(3, made));

        Assert.Equal(3, verdict.Step);
        Assert.Equal([5], made[0].FullAuditSteps);
    }

    [Fact]
    public void The_observer_is_told_both_runs_and_last_the_step_the_verdict_names()
    {
        var observer = new RecordingObserver();
        var runner = new DifferentialRunner(AuditFailsFrom(37, []), Model) { Observer = observer };
        Verdict verdict = runner.Run(ScriptParser.Parse(MapThenLookups(200), ScriptPath));

        Assert.Equal(37, verdict.Step);
        int firstRun = observer.Steps.IndexOf(1, 1);
        Assert.True(firstRun > 37, $"the first run stopped at step {firstRun}");
        Assert.Equal(Enumerable.Range(1, firstRun).Concat(Enumerable.Range(1, 37)), observer.Steps);
        Assert.Equal(verdict.Op, observer.Ops[^1]);
    }

    [Fact]
    public void Bare_operations_are_located_like_scripts()
    {
        Op[] ops = ScriptParser.Parse(MapThenLookups(200), ScriptPath).Ops.ToArray();
        var runner = new DifferentialRunner(AuditFailsFrom(37, []), Model);

        Verdict verdict = runner.Run(P2MConfig.Default(Geometry.Mini), ops, "ops.bin");

        Assert.Equal(37, verdict.Step);
        Assert.Equal(0, verdict.Line);
        Assert.Equal("ops.bin", verdict.Path);
        Assert.Equal("invariant:lookup:pool.in-use", verdict.Signature);
    }

    private sealed class RecordingObserver : IStepObserver
    {
        public List<int> Steps { get; } = new();

        public List<Op> Ops { get; } = new();

        public void Starting(int step, int line, in Op op)
        {
            Steps.Add(step);
            Ops.Add(op);
        }
    }
}
