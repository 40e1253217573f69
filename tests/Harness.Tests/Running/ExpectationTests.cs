using P2M.Contract;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>Expectation lines are checked against both sides where they stand; a failure names the side and the line.</summary>
public class ExpectationTests
{
    private const string Setup = """
        geometry mini
        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        foreign gfn=0x300 mfn=0x77 access=ro
        grant-setup frames=4
        grant-map frame=2 gfn=0x310
        """; // operations on lines 2-5, so the expectation appended below is line 6

    private static Verdict RunWith(string expectation, Func<P2MConfig, IP2M>? left = null) =>
        Run(Setup + "\n" + expectation, left ?? Tampered(_ => { }, name: "engine-double"));

    [Fact]
    public void Wrong_frame_expectation_fails_on_the_left_first_with_its_line()
    {
        Verdict verdict = RunWith("expect gfn=0x41 mfn=0x202 type=ram_rw order=6");

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal(4, verdict.Step);
        Assert.Equal(6, verdict.Line);
        Assert.Equal(Op.GrantMap(2, new Gfn(0x310)), verdict.Op);
        Assert.Equal("expect gfn=0x41 mfn=0x202 type=ram_rw order=6", verdict.Expectation);
        Assert.Equal("mfn", verdict.Field);
        Assert.Equal(new Gfn(0x41), verdict.Gfn);
        Assert.Equal("engine-double", verdict.LeftName);
        Assert.Equal("0x201", verdict.LeftValue);
        Assert.Equal("expected", verdict.RightName);
        Assert.Equal("0x202", verdict.RightValue);
        Assert.Equal("expectation:expect:mfn", verdict.Signature);
        Assert.Contains("  expect: expect gfn=0x41 mfn=0x202 type=ram_rw order=6", verdict.ToString().Split('\n'));
    }

    [Fact]
    public void Expectation_met_by_the_left_but_not_the_right_names_the_right()
    {
        // The double answers single reads (what expectations use) with order 3, the oracle says 6.
        Verdict verdict = RunWith("expect gfn=0x41 mfn=0x201 type=ram_rw order=3", Tampered(p =>
        {
            p.BendSingleReadsOnly = true;
            p.OnFrame = (_, gfn, frame) => gfn.Value == 0x41 ? frame with { Order = 3 } : frame;
        }));

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal(6, verdict.Line);
        Assert.Equal("order", verdict.Field);
        Assert.Equal("oracle", verdict.LeftName);
        Assert.Equal("6", verdict.LeftValue);
        Assert.Equal("3", verdict.RightValue);
        Assert.Equal("expectation:expect:order", verdict.Signature);
    }

    [Fact]
    public void Expecting_unmapped_on_a_mapped_frame_fails_on_mfn()
    {
        Verdict verdict = RunWith("expect gfn=0x40 unmapped");

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal("mfn", verdict.Field);
        Assert.Equal("0x200", verdict.LeftValue);
        Assert.Equal("invalid", verdict.RightValue);
    }

    [Fact]
    public void Missing_identity_flag_fails_on_identity()
    {
        Verdict verdict = RunWith("expect gfn=0x40 mfn=0x200 type=ram_rw order=6 identity=1");

        Assert.Equal("identity", verdict.Field);
        Assert.Equal("0", verdict.LeftValue);
        Assert.Equal("1", verdict.RightValue);
    }

    [Fact]
    public void Wrong_rc_expectation_is_checked_against_the_operation_before_it()
    {
        Verdict verdict = RunWith("expect-rc EBUSY");

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal(6, verdict.Line);
        Assert.Equal("rc", verdict.Field);
        Assert.Equal("ok", verdict.LeftValue);
        Assert.Equal("EBUSY", verdict.RightValue);
        Assert.Equal("expectation:expect-rc:rc", verdict.Signature);
    }

    [Fact]
    public void Wrong_done_expectation_is_a_done_field()
    {
        Verdict verdict = Run("map gfn=0x0 mfn=0x0 nr=8 type=ram_rw\nexpect-rc ok done=7", Model);

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal(1, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("done", verdict.Field);
        Assert.Equal("oracle (left)", verdict.LeftName);
        Assert.Equal("8", verdict.LeftValue);
        Assert.Equal("7", verdict.RightValue);
    }

    [Fact]
    public void Wrong_refs_expectation_names_the_mfn()
    {
        Verdict verdict = RunWith("expect-refs mfn=0x77 count=2");

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal("refs", verdict.Field);
        Assert.Equal(new Mfn(0x77), verdict.Mfn);
        Assert.Equal("1", verdict.LeftValue);
        Assert.Equal("2", verdict.RightValue);
        Assert.Equal("expectation:expect-refs:refs", verdict.Signature);
    }

    [Fact]
    public void Wrong_grant_expectation_names_the_frame()
    {
        Verdict verdict = RunWith("expect-grant frame=2 gfn=invalid");

        Assert.Equal(VerdictKind.ExpectationFailed, verdict.Kind);
        Assert.Equal("grant", verdict.Field);
        Assert.Equal(2, verdict.GrantFrame);
        Assert.Equal("0x310", verdict.LeftValue);
        Assert.Equal("invalid", verdict.RightValue);
        Assert.Equal("expectation:expect-grant:grant", verdict.Signature);
    }

    [Fact]
    public void Expectations_that_hold_pass()
    {
        Verdict verdict = RunWith("""
            expect gfn=0x41 mfn=0x201 type=ram_rw order=6
            expect-rc ok
            expect-refs mfn=0x77 count=1
            expect-grant frame=2 gfn=0x310
            expect-grant frame=3 gfn=invalid
            """);

        Assert.True(verdict.IsPass, verdict.ToString());
    }
}
