using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Planted;
using static P2M.Harness.Tests.Minimizing.MinimizerFixture;

namespace P2M.Harness.Tests.Minimizing;

/// <summary>
/// The minimiser's edges: it gives back the original when there is nothing to do, keeps what the failure
/// needs (a small pool), stays within its budget, and counts its attempts.
/// </summary>
public class MinimizerBehaviourTests
{
    private static readonly Func<FuzzInput, Verdict> Lying = Against(c => new ForgetsRamRoOrderAfterUnmap(c));

    private const string Hidden = """
        pool pages=300
        lookup gfn=0x10
        map gfn=0x40 mfn=0x80 nr=64 type=ram_ro
        translate gfn=0x41
        unmap gfn=0x45 nr=1
        lookup gfn=0x46
        """;

    [Fact]
    public void An_input_that_passes_comes_back_unchanged_after_one_attempt()
    {
        FuzzInput input = Input("map gfn=0x0 mfn=0x0 nr=8 type=ram_ro\nlookup gfn=0x1");
        MinimizeResult result = new Minimizer(Lying).Minimize(input, "divergence:unmap:order", TestContext.Current.CancellationToken);

        Assert.Same(input, result.Minimized);
        Assert.True(result.Verdict.IsPass);
        Assert.Equal((1, 2), (result.Attempts, result.OriginalLength));
    }

    [Fact]
    public void An_input_failing_with_another_signature_comes_back_unchanged()
    {
        FuzzInput input = Input(Hidden);
        MinimizeResult result = new Minimizer(Lying).Minimize(input, "divergence:map:mfn", TestContext.Current.CancellationToken);

        Assert.Same(input, result.Minimized);
        Assert.Equal("divergence:unmap:order", result.Verdict.Signature);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public void An_already_minimal_input_comes_back_equal()
    {
        FuzzInput minimal = new(Geometry.Mini, null, [Op.Map(new Gfn(0), new Mfn(0), 64, P2MType.RamRo), Op.Unmap(new Gfn(0), 1)]);
        MinimizeResult result = new Minimizer(Lying).Minimize(minimal, "divergence:unmap:order", TestContext.Current.CancellationToken);

        Assert.Equal(minimal, result.Minimized);
        Assert.Equal("divergence:unmap:order", result.Verdict.Signature);
        Assert.True(result.Attempts > 1, "it should have tried something");
    }

    [Fact]
    public void The_attempt_budget_is_respected_and_the_result_still_fails_the_same_way()
    {
        FuzzInput input = Input(Hidden);
        foreach (int budget in new[] { 1, 2, 5, 12 })
        {
            MinimizeResult result = new Minimizer(Lying, budget).Minimize(input, "divergence:unmap:order", TestContext.Current.CancellationToken);
            Assert.InRange(result.Attempts, 1, budget);
            Assert.Equal("divergence:unmap:order", result.Verdict.Signature);
            Assert.Equal("divergence:unmap:order", Lying(result.Minimized).Signature);
            Assert.True(InputSize.Of(result.Minimized) <= InputSize.Of(input));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new Minimizer(Lying, 0));
    }

    [Fact]
    public void Attempts_count_every_run_of_the_delegate()
    {
        int runs = 0;
        MinimizeResult result = new Minimizer(input => { runs++; return Lying(input); }).Minimize(Input(Hidden), "divergence:unmap:order", TestContext.Current.CancellationToken);
        Assert.Equal(runs, result.Attempts);
    }

    [Fact]
    public void A_small_pool_the_failure_needs_is_kept()
    {
        // The superpage is lost only when its split fails for want of a table page.
        var run = Against(c => new LosesSuperpageOnFailedSplit(c));
        FuzzInput input = Input("""
            pool pages=5
            lookup gfn=0x3
            map gfn=0x40 mfn=0x200 nr=64 type=ram_ro
            translate gfn=0x41
            unmap gfn=0x45 nr=1
            lookup gfn=0x44
            """);
        Verdict found = run(input);
        Assert.False(found.IsPass);

        MinimizeResult result = new Minimizer(run).Minimize(input, found.Signature, TestContext.Current.CancellationToken);

        Assert.NotNull(result.Minimized.PoolPages);
        Assert.Equal(found.Signature, run(result.Minimized).Signature);
        Assert.True(result.MinimizedLength <= 2, Print(result.Minimized));
    }

    [Fact]
    public void Sizes_order_by_ops_then_magnitude_then_types_then_pool()
    {
        FuzzInput small = new(Geometry.Mini, null, [Op.Lookup(new Gfn(1))]);
        Assert.True(InputSize.Of(small) < InputSize.Of(small with { Ops = [Op.Lookup(new Gfn(0)), Op.Lookup(new Gfn(0))] }));
        Assert.True(InputSize.Of(small) < InputSize.Of(small with { Ops = [Op.Lookup(new Gfn(2))] }));
        Assert.True(InputSize.Of(small) < InputSize.Of(small with { PoolPages = 1024 }));
        Assert.True(InputSize.Of(new FuzzInput(Geometry.Mini, null, [Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.RamRw)]))
            < InputSize.Of(new FuzzInput(Geometry.Mini, null, [Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.RamRo)])));
        Assert.Equal(0, InputSize.RankOf(P2MType.RamRw));
        Assert.True(InputSize.RankOf(P2MType.MapForeignRw) < InputSize.RankOf(P2MType.MapForeignRo));
    }

    [Fact]
    public void The_pass_names_are_listed_in_round_order() => Assert.Equal(
        ["cut-after-failing-step", "remove-chunks", "remove-single-ops", "default-pool", "renumber-gfns", "renumber-mfns", "simplify-types", "shrink-arguments"],
        Minimizer.PassNames);

    [Fact]
    public void The_honest_engine_passes_the_inputs_used_here()
    {
        var honest = Against(c => new EngineP2M(c));
        Assert.True(honest(Input(Hidden)).IsPass);
    }
}
