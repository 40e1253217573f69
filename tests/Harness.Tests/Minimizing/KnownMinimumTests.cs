using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Minimizing.MinimizerFixture;

namespace P2M.Harness.Tests.Minimizing;

/// <summary>Inputs whose smallest failing form is known: the minimiser must find exactly it.</summary>
public class KnownMinimumTests(ITestOutputHelper log)
{
    // 40 operations; the bug needs two of them: the ram_ro 1G map (step 7) and the unmap that splits it (step 34).
    // Nothing else unmaps, maps ram_ro, or touches 0x5c0..0x5ff; six operations follow the failing step.
    private const string FortyOps = """
        geometry mini
        pool pages=200
        map gfn=0x100 mfn=0x300 nr=16 type=ram_rw
        lookup gfn=0x104
        grant-setup frames=4
        translate gfn=0x101
        map gfn=0x200 mfn=0x400 nr=8 type=mmio_direct_io
        foreign gfn=0x210 mfn=0x77 access=ro
        map gfn=0x5c0 mfn=0x9c0 nr=64 type=ram_ro
        retype gfn=0x100 nr=8 from=ram_rw to=mmio_direct_c
        grant-map frame=2 gfn=0x220
        identity start=0x300 end=0x310
        lookup gfn=0x5c9
        directmap off
        map gfn=0x400 mfn=0x600 nr=3 type=grant_map_rw
        translate gfn=0x400
        lookup gfn=0x301
        fail-allocs n=0
        map gfn=0x108 mfn=0x308 nr=8 type=ram_rw
        retype gfn=0x200 nr=8 from=mmio_direct_io to=iommu_map_ro
        lookup gfn=0x5f0
        directmap on
        foreign gfn=0x211 mfn=0x78 access=rw
        grant-map frame=3 gfn=0x221
        map gfn=0x440 mfn=0x640 nr=64 type=ram_rw
        translate gfn=0x441
        identity start=0x320 end=0x321
        lookup gfn=0x210
        retype gfn=0x440 nr=64 from=ram_rw to=mmio_direct_nc
        map gfn=0x480 mfn=0x680 nr=1 type=iommu_map_rw
        translate gfn=0x5c1
        lookup gfn=0x480
        grant-setup frames=6
        map gfn=0x490 mfn=0x690 nr=2 type=ram_rw
        lookup gfn=0x491
        unmap gfn=0x5e3 nr=1
        lookup gfn=0x5e0
        map gfn=0x4a0 mfn=0x6a0 nr=4 type=ram_rw
        translate gfn=0x4a1
        grant-map frame=5 gfn=0x230
        lookup gfn=0x4a0
        teardown
        """;

    [Fact]
    public void Forty_ops_hiding_a_two_op_bug_minimise_to_those_two_with_small_values()
    {
        var run = Against(c => new ForgetsRamRoOrderAfterUnmap(c));
        FuzzInput input = Input(FortyOps);
        Assert.Equal(40, input.Ops.Length);
        Verdict found = run(input);
        Assert.Equal(("divergence:unmap:order", 34), (found.Signature, found.Step));

        MinimizeResult result = new Minimizer(run).Minimize(input, found.Signature, TestContext.Current.CancellationToken);
        log.WriteLine(result.Summary);
        log.WriteLine(Print(result.Minimized));

        Assert.Equal(found.Signature, result.Verdict.Signature);
        Assert.Equal(40, result.OriginalLength);
        // The 1G ram_ro leaf renumbered to the first 1G block (still aligned), split by a 4K unmap at its start;
        // the unneeded pool setting is gone. Nothing smaller shows the lie: fewer frames make no 1G leaf.
        Assert.Equal(new FuzzInput(Geometry.Mini, null,
            [Op.Map(new Gfn(0), new Mfn(0), 64, P2MType.RamRo), Op.Unmap(new Gfn(0), 1)]), result.Minimized);
        Assert.Equal((found.Signature, 2), (run(result.Minimized).Signature, result.Verdict.Step));
    }

    [Fact]
    public void A_grant_bug_in_real_geometry_minimises_to_setup_and_one_grant_map_of_gfn_1()
    {
        var run = Against(c => new DropsOddGrantGfn(c));
        FuzzInput input = Input("""
            geometry real
            map gfn=0x1234000 mfn=0x88000 nr=600 type=mmio_direct_c
            grant-setup frames=200
            lookup gfn=0x1234100
            grant-map frame=17 gfn=0x1234002
            foreign gfn=0x3000 mfn=0x12 access=ro
            grant-map frame=150 gfn=0x1bcdef1
            translate gfn=0x3000
            """);
        Verdict found = run(input);
        Assert.Equal("divergence:grant-map:grant", found.Signature);

        MinimizeResult result = new Minimizer(run).Minimize(input, found.Signature, TestContext.Current.CancellationToken);
        log.WriteLine(result.Summary);
        log.WriteLine(Print(result.Minimized));

        Assert.Equal(new FuzzInput(Geometry.Real, null, [Op.GrantSetup(1), Op.GrantMap(0, new Gfn(1))]), result.Minimized);
    }

    [Fact]
    public void Types_become_the_plainest_that_still_fail()
    {
        // The foreign reference is kept when a map replaces the entry; neither the read-only access nor the exotic type matters.
        var run = Against(c => new P2M.Planted.KeepsForeignReference(c));
        FuzzInput input = Input("""
            foreign gfn=0x21 mfn=0x7 access=ro
            map gfn=0x0 mfn=0x100 nr=64 type=iommu_map_ro
            """);
        Verdict found = run(input);
        Assert.Equal("divergence:map:refs", found.Signature);

        MinimizeResult result = new Minimizer(run).Minimize(input, found.Signature, TestContext.Current.CancellationToken);
        log.WriteLine(Print(result.Minimized));

        Assert.Equal(new FuzzInput(Geometry.Mini, null,
            [Op.Foreign(new Gfn(0), new Mfn(0), readOnly: false), Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.RamRw)]), result.Minimized);
    }
}
