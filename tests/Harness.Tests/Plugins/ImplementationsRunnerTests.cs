using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Planted;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// Several implementations in one run, each against the oracle: the verdict is the earliest failure of any,
/// ties going to the one given first, and it names the implementation in its signature; one implementation
/// alone keeps the signatures it always had.
/// </summary>
public sealed class ImplementationsRunnerTests
{
    // A stale translation left by the remap shows at step 3 (the audit sees it); a foreign reference kept by an unmap at step 6.
    private static readonly Script TlbThenForeign = ScriptParser.Parse("""
        geometry mini
        map gfn=0x0 mfn=0x10 nr=1 type=ram_rw
        translate gfn=0x0
        map gfn=0x0 mfn=0x20 nr=1 type=ram_rw
        translate gfn=0x0
        foreign gfn=0x5 mfn=0x77 access=rw
        unmap gfn=0x5 nr=1
        """, "tlb-then-foreign.p2m");

    private static ImplementationSpec Spec(string name, Func<P2MConfig, IP2M> create) => ImplementationSpec.InProcess(name, create);

    private static readonly ImplementationSpec Engine = Spec("engine", c => new EngineP2M(c));
    private static readonly ImplementationSpec KeepsReference = Spec("KeepsForeignReference", c => new KeepsForeignReference(c));
    private static readonly ImplementationSpec SkipsFlush = Spec("SkipsTlbFlush", c => new SkipsTlbFlush(c));

    private static Verdict Run(params ImplementationSpec[] implementations) =>
        new ImplementationsRunner(ImplementationSpec.Several(implementations)).Run(TlbThenForeign);

    [Fact]
    public void One_implementation_keeps_its_signature_without_a_name()
    {
        Verdict verdict = Run(KeepsReference);

        Assert.Equal("divergence:unmap:refs", verdict.Signature);
        Assert.Null(verdict.Implementation);
        Assert.Equal(6, verdict.Step);
    }

    [Fact]
    public void The_earliest_failing_step_wins_whatever_the_order_given()
    {
        Verdict first = Run(Engine, KeepsReference, SkipsFlush);
        Verdict second = Run(SkipsFlush, KeepsReference, Engine);

        foreach (Verdict verdict in new[] { first, second })
        {
            Assert.Equal("SkipsTlbFlush", verdict.Implementation);
            Assert.Equal(3, verdict.Step);
            Assert.EndsWith("@SkipsTlbFlush", verdict.Signature, StringComparison.Ordinal);
            Assert.Contains("impl:   SkipsTlbFlush", verdict.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(first, second);
    }

    [Fact]
    public void At_the_same_step_the_implementation_given_first_is_named()
    {
        ImplementationSpec another = Spec("KeepsForeignReference-again", c => new KeepsForeignReference(c));

        Assert.Equal("divergence:unmap:refs@KeepsForeignReference", Run(Engine, KeepsReference, another).Signature);
        Assert.Equal("divergence:unmap:refs@KeepsForeignReference-again", Run(another, KeepsReference).Signature);
    }

    [Fact]
    public void Every_implementation_passing_is_a_pass_of_every_step()
    {
        Verdict verdict = Run(Engine, Spec("engine-again", c => new EngineP2M(c)));

        Assert.True(verdict.IsPass, verdict.ToString());
        Assert.Equal(6, verdict.Step);
    }

    [Fact]
    public void Bare_operations_name_the_implementation_too()
    {
        var runner = new ImplementationsRunner(ImplementationSpec.Several([Engine, KeepsReference]));
        Op[] ops = [.. TlbThenForeign.Ops];

        Verdict verdict = runner.Run(TlbThenForeign.Config, ops);

        Assert.Equal("divergence:unmap:refs@KeepsForeignReference", verdict.Signature);
        Assert.Equal(6, verdict.Step);
    }

    [Fact]
    public void Labels_are_short_distinct_and_in_the_order_given()
    {
        ImplementationSpec specs = ImplementationSpec.Parse(
            ["engine", "native:/opt/x/libp2m_sample.so", "native:/opt/y/libp2m_sample.so", "assembly:/opt/P2M.Planted.dll:P2M.Planted.SkipsTlbFlush", "assembly:/opt/Mine.dll"]);

        Assert.True(specs.IsSeveral);
        Assert.Equal(["engine", "p2m_sample", "p2m_sample-2", "SkipsTlbFlush", "Mine"], specs.Labels);
        // What crosses to a worker process reads back as the same implementations.
        Assert.Equal(specs.Labels, ImplementationSpec.Parse(specs.Text).Labels);
        Assert.Same(ImplementationSpec.Engine, ImplementationSpec.Parse(["engine"]));
    }
}
