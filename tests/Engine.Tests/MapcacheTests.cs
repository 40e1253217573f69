using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests;

public class MapcacheTests
{
    [Fact]
    public void Slots_are_reused_probed_and_capped_at_15_references()
    {
        var cache = new Mapcache(4);
        int slot = cache.Map(5);                // hashes to 1
        Assert.Equal(1, slot);
        for (int i = 1; i < Mapcache.MaxReferences; i++) Assert.Equal(1, cache.Map(5));
        Assert.Equal(15, cache.References(1));
        Assert.Equal(2, cache.Map(5));          // 16th reference: the next free slot
        Assert.Equal(3, cache.Map(9));          // hashes to 1, probes past 1 and 2
        cache.Unmap(3);
        Assert.Equal(3, cache.Map(9));          // unreferenced but still mapping 9: reused
        Assert.Equal(0, cache.Map(13));         // hashes to 1, wraps round to the free slot 0
        Assert.Throws<InvalidOperationException>(() => cache.Map(2));
    }

    [Fact]
    public void Unmapping_an_unreferenced_slot_is_a_bug() =>
        Assert.Throws<InvalidOperationException>(() => new Mapcache(2).Unmap(0));

    [Fact]
    public void A_whole_state_walk_stopped_early_leaves_no_slot_referenced()
    {
        var engine = new EngineP2M(new P2MConfig(Geometry.Mini, 200));
        engine.Apply(Op.Map(new Gfn(0x41), new Mfn(0x300), 3, P2MType.RamRw));
        engine.Apply(Op.DirectMap(false));
        var first = new FirstRun();
        engine.VisitMappedRuns(ref first);
        Assert.Equal(new MappedRun(new Gfn(0x41), 1, new Mfn(0x300), P2MType.RamRw, 0, false), first.Run);
        // The walk stood three levels down when it stopped: every page it entered is unmapped again.
        Assert.Null(engine.Audit(AuditScope.Step));
        Assert.Equal(3, engine.MappedRuns().Count);
    }

    /// <summary>Keeps the first run and stops the walk there.</summary>
    private struct FirstRun : IMappedRunVisitor
    {
        public MappedRun Run;

        public bool Visit(in MappedRun run)
        {
            Run = run;
            return false;
        }
    }

    /// <summary>The directmap only changes how pages are reached: every answer must be the same.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_streams_answer_the_same_with_the_directmap_off(int seed)
    {
        var random = new Random(seed);
        var on = new EngineP2M(new P2MConfig(Geometry.Mini, 200));
        var off = new EngineP2M(new P2MConfig(Geometry.Mini, 200));
        off.Apply(Op.DirectMap(false));
        P2MType[] types = [P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.MmioDirectC, P2MType.GrantMapRo];
        Span<FrameState> a = new FrameState[2048], b = new FrameState[2048];
        off.Apply(Op.GrantSetup(4));
        on.Apply(Op.GrantSetup(4));
        for (int step = 0; step < 400; step++)
        {
            ulong gfn = (ulong)random.Next(0x200) & ~(ulong)(random.Next(3) == 0 ? 7 : 0);
            ulong nr = (ulong)random.Next(1, random.Next(2) == 0 ? 9 : 80);
            Op op = random.Next(9) switch
            {
                0 or 1 => Op.Map(new Gfn(gfn), new Mfn(gfn + 0x100), nr, types[random.Next(types.Length)]),
                2 => Op.Unmap(new Gfn(gfn), nr),
                3 => Op.Retype(new Gfn(gfn), nr, types[random.Next(types.Length)], types[random.Next(types.Length)]),
                4 => Op.Identity(new Gfn(gfn), new Gfn(gfn + nr)),
                5 => Op.Foreign(new Gfn(gfn), new Mfn((ulong)random.Next(16)), random.Next(2) == 0),
                6 => Op.GrantMap((ulong)random.Next(4), new Gfn(gfn)),
                7 => Op.Translate(new Gfn(gfn)),
                _ => Op.FailAllocs((ulong)random.Next(3)),
            };
            Assert.Equal(on.Apply(op), off.Apply(op));
            Assert.Null(on.Audit());
            Assert.Null(off.Audit());
            if (step % 50 == 0 || step == 399)
            {
                on.ReadRange(new Gfn(0), a);
                off.ReadRange(new Gfn(0), b);
                Assert.True(a.SequenceEqual(b), $"state differs after step {step}");
                Assert.Equal(on.HeldReferences(), off.HeldReferences());
            }
        }
        Assert.Equal(OpResult.Of(ResultCode.Ok), off.Apply(Op.Teardown()));
        Assert.Null(off.Audit());
        Assert.Empty(off.HeldReferences());
        Assert.Equal(4, off.PoolPagesInUse);
    }
}
