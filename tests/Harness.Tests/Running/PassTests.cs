using P2M.Contract;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>Two honest implementations agree: the runner raises nothing by itself.</summary>
public class PassTests
{
    // Every operation of the format, with expectations: the SCRIPT-FORMAT.md example itself.
    private const string EveryOperation = Scripts.ScriptExampleTests.Example;

    [Fact]
    public void Oracle_against_oracle_passes_every_operation_and_counts_the_steps()
    {
        Verdict verdict = Run(EveryOperation, Model);

        Assert.True(verdict.IsPass, verdict.ToString());
        Assert.Equal(VerdictKind.Pass, verdict.Kind);
        Assert.Equal(12, verdict.Step);
        Assert.Equal("pass", verdict.Signature);
        Assert.Equal(ScriptPath, verdict.Path);
    }

    [Fact]
    public void Runs_cut_differently_but_covering_the_same_frames_agree()
    {
        Verdict verdict = Run(EveryOperation, Tampered(p => p.OneFramePerRun = true));

        Assert.True(verdict.IsPass, verdict.ToString());
    }

    [Fact]
    public void Bare_operations_run_from_a_span_and_from_a_list_alike()
    {
        Op[] ops =
        [
            Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw),
            Op.Unmap(new Gfn(0x45), 1),
            Op.Foreign(new Gfn(0x300), new Mfn(0x77), readOnly: false),
            Op.Lookup(new Gfn(0x48)),
        ];
        var runner = new DifferentialRunner(Model, Model);
        P2MConfig config = P2MConfig.Default(Geometry.Mini);

        Verdict fromSpan = runner.Run(config, ops.AsSpan(), "ops.bin");
        Verdict fromList = runner.Run(config, new List<Op>(ops));

        Assert.True(fromSpan.IsPass, fromSpan.ToString());
        Assert.Equal(4, fromSpan.Step);
        Assert.Equal("ops.bin", fromSpan.Path);
        Assert.True(fromList.IsPass, fromList.ToString());
        Assert.Equal(4, fromList.Step);
    }

    [Fact]
    public void Decoded_operations_report_line_zero()
    {
        Op[] ops = [Op.Map(new Gfn(0x10), new Mfn(0x300), 1, P2MType.RamRw), Op.Lookup(new Gfn(0x10))];
        var runner = new DifferentialRunner(
            Tampered(p => p.OnResult = (step, _, r) => step == 2 ? r with { Code = ResultCode.Ebusy } : r), Model);

        Verdict verdict = runner.Run(P2MConfig.Default(Geometry.Mini), ops);

        Assert.Equal(VerdictKind.Divergence, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(0, verdict.Line);
        Assert.Equal("EBUSY", verdict.LeftValue);
        Assert.Equal("divergence:lookup:rc", verdict.Signature);
    }

    [Fact]
    public void Out_of_space_ranges_are_clamped_not_walked()
    {
        // nr far above the geometry's limit must neither crash the runner nor walk 2^64 frames.
        const string text = """
            map gfn=0x7f8 mfn=0x0 nr=0xffffffffffffffff type=ram_rw
            unmap gfn=0xffffffffffffff00 nr=0x100
            identity start=0x10 end=0x8
            lookup gfn=0xffffffffffffffff
            """;
        Verdict verdict = Run(text, Model);

        Assert.True(verdict.IsPass, verdict.ToString());
        Assert.Equal(4, verdict.Step);
    }
}
