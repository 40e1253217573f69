using P2M.Contract;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>A side that throws becomes an exception verdict naming it, never a crash of the harness.</summary>
public class ExceptionTests
{
    private const string TwoSteps = """
        map gfn=0x40 mfn=0x200 nr=8 type=ram_rw
        unmap gfn=0x41 nr=1
        """;

    [Fact]
    public void Throwing_apply_on_the_left_is_an_exception_verdict_at_that_step()
    {
        var boom = new InvalidOperationException("boom");
        Verdict verdict = Run(TwoSteps, Tampered(p => p.ThrowOnApply = (step, _) => step == 2 ? boom : null));

        Assert.Equal(VerdictKind.Exception, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("InvalidOperationException", verdict.Field);
        Assert.Equal("tampered", verdict.LeftName);
        Assert.Equal("InvalidOperationException: boom", verdict.LeftValue);
        Assert.Equal(boom.ToString(), verdict.Trace);
        Assert.Equal("exception:unmap:InvalidOperationException", verdict.Signature);
        Assert.Contains("  op:     unmap gfn=0x41 nr=1", verdict.ToString().Split('\n'));
    }

    [Fact]
    public void Throwing_read_back_on_the_right_blames_the_right_side()
    {
        Verdict verdict = Run(TwoSteps, Model,
            Tampered(p => p.ThrowOnReadRange = (1, new IndexOutOfRangeException("window")), name: "model"));

        Assert.Equal(VerdictKind.Exception, verdict.Kind);
        Assert.Equal(1, verdict.Step);
        Assert.Equal("IndexOutOfRangeException", verdict.Field);
        Assert.Equal("model", verdict.LeftName);
        Assert.Equal("IndexOutOfRangeException: window", verdict.LeftValue);
        Assert.Equal("exception:map:IndexOutOfRangeException", verdict.Signature);
    }

    [Fact]
    public void A_side_that_cannot_be_built_is_an_exception_before_any_step()
    {
        Verdict verdict = Run(TwoSteps, Model, _ => throw new NotSupportedException("no engine yet"));

        Assert.Equal(VerdictKind.Exception, verdict.Kind);
        Assert.Equal(0, verdict.Step);
        Assert.Equal(0, verdict.Line);
        Assert.Null(verdict.Op);
        Assert.Equal("right", verdict.LeftName);
        Assert.Equal("NotSupportedException: no engine yet", verdict.LeftValue);
        Assert.Equal("exception:setup:NotSupportedException", verdict.Signature);
        Assert.Equal(ScriptPath, verdict.Path);
    }
}
