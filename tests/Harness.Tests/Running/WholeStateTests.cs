using P2M.Contract;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// A step that silently changes a frame outside its range is caught by the whole-state comparison, and
/// reported at that step however much later a comparison first saw it.
/// </summary>
public class WholeStateTests
{
    private const string FiveSteps = """
        map gfn=0x0 mfn=0x100 nr=8 type=ram_rw
        map gfn=0x10 mfn=0x110 nr=8 type=ram_rw
        lookup gfn=0x10
        lookup gfn=0x11
        lookup gfn=0x12
        """;

    // At step 2 the double also maps gfn 0x700, which no step names.
    private static Func<P2MConfig, IP2M> StrayMapAtStep2 => Tampered(p => p.AfterApply = (step, _) =>
    {
        if (step == 2)
            p.Inner.Apply(Op.Map(new Gfn(0x700), new Mfn(0x900), 1, P2MType.RamRw));
    });

    [Fact]
    public void Stray_mapping_seen_only_at_the_end_is_reported_at_the_step_that_made_it()
    {
        // Five short steps do less work than one scheduled check costs: only the end compares the whole
        // state, and the run that locates the difference compares it after every step.
        var runner = new DifferentialRunner(StrayMapAtStep2, Model);
        Verdict verdict = runner.Run(ScriptParser.Parse(FiveSteps, ScriptPath));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("runs.mfn", verdict.Field);
        Assert.Equal(new Gfn(0x700), verdict.Gfn);
        Assert.Equal("0x900", verdict.LeftValue);
        Assert.Equal("invalid", verdict.RightValue);
        Assert.Equal("divergence:map:runs.mfn", verdict.Signature);
        Assert.Equal(ScriptPath, verdict.Path);
        // The end's comparison, then steps 1 and 2 of the locating run.
        Assert.Equal(3, runner.LastRunWork.WholeStateChecks);
    }

    [Fact]
    public void A_scheduled_check_finds_a_difference_the_end_would_not_see()
    {
        // The stray mapping is gone again by step 300: only a check on the way finds it.
        var lookups = string.Join("\n", Enumerable.Repeat("lookup gfn=0x12", 300));
        Verdict verdict = Run(FiveSteps + "\n" + lookups, Tampered(p => p.AfterApply = (step, _) =>
        {
            if (step == 2)
                p.Inner.Apply(Op.Map(new Gfn(0x700), new Mfn(0x900), 1, P2MType.RamRw));
            if (step == 300)
                p.Inner.Apply(Op.Unmap(new Gfn(0x700), 1));
        }));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal("runs.mfn", verdict.Field);
        Assert.Equal(new Gfn(0x700), verdict.Gfn);
    }

    [Fact]
    public void Silent_retype_inside_a_run_is_reported_at_its_step_first_frame_and_field()
    {
        // At step 2 the double turns frame 0x3 of the first leaf read-only (and so splits it).
        Verdict verdict = Run(FiveSteps, Tampered(p => p.AfterApply = (step, _) =>
        {
            if (step == 2)
                p.Inner.Apply(Op.Retype(new Gfn(0x3), 1, P2MType.RamRw, P2MType.RamRo));
        }));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal("runs.order", verdict.Field);
        Assert.Equal(new Gfn(0x0), verdict.Gfn);
        Assert.Equal("0", verdict.LeftValue);
        Assert.Equal("3", verdict.RightValue);
    }

    [Fact]
    public void The_same_corruption_inside_a_later_steps_range_is_caught_at_that_step()
    {
        // Control for the test above: the same corruption inside a later step's range is caught at that step.
        Verdict verdict = Run(FiveSteps.Replace("lookup gfn=0x10", "lookup gfn=0x5", StringComparison.Ordinal),
            Tampered(p => p.AfterApply = (step, _) =>
            {
                if (step == 2)
                    p.Inner.Apply(Op.Retype(new Gfn(0x3), 1, P2MType.RamRw, P2MType.RamRo));
            }));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(3, verdict.Step);
        Assert.Equal("lookup.order", verdict.Field);
        Assert.Equal(new Gfn(0x5), verdict.Gfn);
        Assert.Equal("0", verdict.LeftValue);
        Assert.Equal("3", verdict.RightValue);
    }

    [Fact]
    public void Phantom_held_reference_is_a_refs_divergence()
    {
        Verdict verdict = Run(FiveSteps, Tampered(p => p.ExtraHeldReferences = steps =>
            steps >= 3 ? [new KeyValuePair<Mfn, int>(new Mfn(0x99), 1)] : []));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(3, verdict.Step);
        Assert.Equal("refs", verdict.Field);
        Assert.Equal(new Mfn(0x99), verdict.Mfn);
        Assert.Equal("1", verdict.LeftValue);
        Assert.Equal("0", verdict.RightValue);
    }

    [Fact]
    public void Teardown_checks_the_whole_state_at_once()
    {
        const string text = """
            foreign gfn=0x300 mfn=0x77 access=rw
            teardown
            lookup gfn=0x0
            """;
        Verdict verdict = Run(text, Tampered(p => p.ExtraHeldReferences = steps =>
            steps >= 2 ? [new KeyValuePair<Mfn, int>(new Mfn(0x77), 1)] : []));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal("refs", verdict.Field);
        Assert.Equal(new Mfn(0x77), verdict.Mfn);
        Assert.Equal("divergence:teardown:refs", verdict.Signature);
    }
}
