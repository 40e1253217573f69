using P2M.Contract;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>A wrong implementation on the left is caught at the step that goes wrong, with the field and both values.</summary>
public class DivergenceTests
{
    // Line 2: a 64-frame leaf (order 6 in mini); line 3 splits it: 0x40-0x47 become 4K, the other 8-blocks order 3.
    private const string SplitByUnmap = """
        geometry mini
        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        unmap gfn=0x45 nr=1
        """;

    [Fact]
    public void Wrong_order_after_unmap_is_reported_at_the_first_frame_the_split_left_behind()
    {
        // The double forgets to split the 8-blocks past the unmapped frame: they still claim order 6.
        Verdict verdict = Run(SplitByUnmap, Tampered(p => p.OnFrame = (steps, gfn, frame) =>
            steps >= 2 && gfn.Value is >= 0x48 and < 0x80 ? frame with { Order = 6 } : frame));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(3, verdict.Line);
        Assert.Equal(Op.Unmap(new Gfn(0x45), 1), verdict.Op);
        Assert.Equal("order", verdict.Field);
        Assert.Equal(new Gfn(0x48), verdict.Gfn);
        Assert.Equal("tampered", verdict.LeftName);
        Assert.Equal("6", verdict.LeftValue);
        Assert.Equal("oracle", verdict.RightName);
        Assert.Equal("3", verdict.RightValue);
        Assert.Equal("divergence:unmap:order", verdict.Signature);
        Assert.Equal(ScriptPath, verdict.Path);
    }

    [Fact]
    public void Report_names_file_step_line_op_field_gfn_and_both_values()
    {
        Verdict verdict = Run(SplitByUnmap, Tampered(p => p.OnFrame = (steps, gfn, frame) =>
            steps >= 2 && gfn.Value is >= 0x48 and < 0x80 ? frame with { Order = 6 } : frame));

        string[] report = verdict.ToString().Split('\n');
        Assert.Equal("DIVERGENCE divergence:unmap:order", report[0]);
        Assert.Contains("  file:   test.p2m", report);
        Assert.Contains("  step:   2 (line 3)", report);
        Assert.Contains("  op:     unmap gfn=0x45 nr=1", report);
        Assert.Contains("  field:  order at gfn 0x48", report);
        Assert.Contains("  tampered: 6", report);
        Assert.Contains("  oracle:   3", report);
        Assert.Contains("  gfn 0x48: tampered has mfn=0x208 type=ram_rw order=6, oracle has mfn=0x208 type=ram_rw order=3", report);
    }

    [Fact]
    public void Frames_outside_the_named_range_but_inside_the_split_leaf_are_compared()
    {
        // Frame 0x7f is far from the unmapped 0x45 but was in the same leaf before the step.
        Verdict verdict = Run(SplitByUnmap, Tampered(p => p.OnFrame = (steps, gfn, frame) =>
            steps >= 2 && gfn.Value == 0x7f ? frame with { Mfn = new Mfn(0x999) } : frame));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal("mfn", verdict.Field);
        Assert.Equal(new Gfn(0x7f), verdict.Gfn);
        Assert.Equal("0x999", verdict.LeftValue);
        Assert.Equal("0x23f", verdict.RightValue);
        Assert.Equal("divergence:unmap:mfn", verdict.Signature);
    }

    [Fact]
    public void Wrong_mfn_from_lookup_is_a_lookup_field()
    {
        const string text = """
            map gfn=0x10 mfn=0x300 nr=1 type=ram_rw
            lookup gfn=0x10
            """;
        Verdict verdict = Run(text, Tampered(p => p.OnResult = (_, op, result) =>
            op.Kind == OpKind.Lookup ? result with { Frame = result.Frame with { Mfn = result.Frame.Mfn + 1 } } : result));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("lookup.mfn", verdict.Field);
        Assert.Equal(new Gfn(0x10), verdict.Gfn);
        Assert.Equal("0x301", verdict.LeftValue);
        Assert.Equal("0x300", verdict.RightValue);
        Assert.Equal("divergence:lookup:lookup.mfn", verdict.Signature);
    }

    [Fact]
    public void Wrong_result_code_is_an_rc_field()
    {
        const string text = """
            map gfn=0x10 mfn=0x300 nr=1 type=ram_rw
            map gfn=0x11 mfn=0x301 nr=1 type=ram_rw
            """;
        Verdict verdict = Run(text, Tampered(p => p.OnResult = (step, _, result) =>
            step == 2 ? OpResult.Of(ResultCode.Einval) : result));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("rc", verdict.Field);
        Assert.Equal("EINVAL", verdict.LeftValue);
        Assert.Equal("ok", verdict.RightValue);
        Assert.Equal("divergence:map:rc", verdict.Signature);
    }

    [Fact]
    public void Wrong_done_is_a_done_field()
    {
        Verdict verdict = Run("map gfn=0x10 mfn=0x300 nr=4 type=ram_rw", Tampered(p => p.OnResult = (_, _, result) =>
            result with { Done = 3 }));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(1, verdict.Step);
        Assert.Equal("done", verdict.Field);
        Assert.Equal("3", verdict.LeftValue);
        Assert.Equal("4", verdict.RightValue);
        Assert.Equal("divergence:map:done", verdict.Signature);
    }

    [Fact]
    public void Enomem_on_a_chunk_boundary_is_replayed_on_the_model_and_agrees()
    {
        // 16 frames at 0 map as two 8-frame chunks in mini; the double fails the second one.
        const string text = """
            map gfn=0x0 mfn=0x0 nr=16 type=ram_rw
            expect-rc ENOMEM done=8
            expect gfn=0x7 mfn=0x7 type=ram_rw order=3
            expect gfn=0x8 unmapped
            """;
        Verdict verdict = Run(text, Tampered(p => p.ApplyInstead = (_, op) => p.Inner.ApplyFailedAt(op, 8)));

        Assert.True(verdict.IsPass, verdict.ToString());
        Assert.Equal(1, verdict.Step);
    }

    [Fact]
    public void Enomem_off_a_chunk_boundary_is_a_done_divergence()
    {
        // The double claims 5 frames done; the model's replay stops at the last boundary below, 0.
        Verdict verdict = Run("map gfn=0x0 mfn=0x0 nr=16 type=ram_rw", Tampered(p => p.ApplyInstead = (_, op) =>
            p.Inner.ApplyFailedAt(op, 5) with { Done = 5 }));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal("done", verdict.Field);
        Assert.Equal("5", verdict.LeftValue);
        Assert.Equal("0", verdict.RightValue);
        Assert.Equal("divergence:map:done", verdict.Signature);
    }

    [Fact]
    public void Wrong_reference_count_is_caught_at_the_step_that_touched_the_mfn()
    {
        Verdict verdict = Run("foreign gfn=0x300 mfn=0x77 access=ro", Tampered(p => p.OnReferences = (steps, mfn, count) =>
            steps >= 1 && mfn.Value == 0x77 ? count + 1 : count));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(1, verdict.Step);
        Assert.Equal("refs", verdict.Field);
        Assert.Equal(new Mfn(0x77), verdict.Mfn);
        Assert.Equal("2", verdict.LeftValue);
        Assert.Equal("1", verdict.RightValue);
        Assert.Equal("divergence:foreign:refs", verdict.Signature);
    }

    [Fact]
    public void Reference_dropped_by_an_unmap_is_checked_through_the_foreign_entry_seen_before_the_step()
    {
        // The unmap names no MFN: 0x77 is found only by reading the range before the step.
        const string text = """
            foreign gfn=0x300 mfn=0x77 access=rw
            unmap gfn=0x300 nr=1
            """;
        Verdict verdict = Run(text, Tampered(p => p.OnReferences = (steps, mfn, count) =>
            steps >= 2 && mfn.Value == 0x77 ? 1 : count));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal("refs", verdict.Field);
        Assert.Equal(new Mfn(0x77), verdict.Mfn);
        Assert.Equal("1", verdict.LeftValue);
        Assert.Equal("0", verdict.RightValue);
        Assert.Equal("divergence:unmap:refs", verdict.Signature);
    }

    [Fact]
    public void Wrong_grant_gfn_is_a_grant_field_naming_the_frame()
    {
        const string text = """
            grant-setup frames=4
            grant-map frame=2 gfn=0x310
            """;
        Verdict verdict = Run(text, Tampered(p => p.OnGrantGfn = (_, frame, gfn) => frame == 2 ? Gfn.Invalid : gfn));

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal("grant", verdict.Field);
        Assert.Equal(2, verdict.GrantFrame);
        Assert.Equal("invalid", verdict.LeftValue);
        Assert.Equal("0x310", verdict.RightValue);
        Assert.Equal("divergence:grant-map:grant", verdict.Signature);
    }

    [Fact]
    public void Signatures_of_the_same_bug_on_different_numbers_are_equal()
    {
        Verdict first = Run("map gfn=0x10 mfn=0x300 nr=4 type=ram_rw", Tampered(p => p.OnResult = (_, _, r) => r with { Done = 1 }));
        Verdict second = Run("map gfn=0x123 mfn=0x456 nr=9 type=ram_ro", Tampered(p => p.OnResult = (_, _, r) => r with { Done = 2 }));

        Assert.Equal("divergence:map:done", first.Signature);
        Assert.Equal(first.Signature, second.Signature);
    }
}
