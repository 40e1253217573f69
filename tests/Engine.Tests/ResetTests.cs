using P2M.Contract;

namespace P2M.Engine.Tests;

/// <summary>
/// <see cref="EngineP2M.Reset"/> returns to the freshly built state: after any op stream and a reset, the
/// engine is step for step indistinguishable from a new one given the same later ops.
/// </summary>
public class ResetTests
{
    public static TheoryData<string, int> Streams()
    {
        var data = new TheoryData<string, int>();
        foreach (string geometry in new[] { "mini", "real" })
            for (int seed = 1; seed <= 6; seed++) data.Add(geometry, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void A_reset_engine_behaves_as_a_new_one(string geometryName, int seed)
    {
        Geometry.TryParse(geometryName, out Geometry geometry);
        // A small pool in some runs, so that allocation failures happen before and after the reset.
        var config = new P2MConfig(geometry, seed % 2 == 0 ? 12 : geometry.DefaultPoolPages);
        var random = new Random(seed);
        var reused = new EngineP2M(config);
        foreach (Op op in RandomOps(random, geometry, 150)) Apply(reused, op);
        reused.Reset();

        var fresh = new EngineP2M(config);
        AssertSameState(fresh, reused, geometry, "right after the reset");
        int step = 0;
        foreach (Op op in RandomOps(random, geometry, 150))
        {
            step++;
            Assert.Equal(Apply(fresh, op), Apply(reused, op));
            AssertSameState(fresh, reused, geometry, $"after step {step} ({op.Kind})");
        }
    }

    [Fact]
    public void Reset_keeps_the_pool_s_capacity_and_clears_its_use()
    {
        var engine = new EngineP2M(P2MConfig.Default(Geometry.Real));
        engine.Apply(Op.Map(new Gfn(1), new Mfn(0x100), 4000, P2MType.RamRo));
        int grown = engine.Pool.PageSlots;
        Assert.True(engine.PoolPagesInUse > Geometry.RootPages);
        engine.Reset();
        Assert.Equal(Geometry.RootPages, engine.PoolPagesInUse);
        Assert.Equal(grown, engine.Pool.PageSlots);
        Assert.Empty(engine.MappedRuns());
    }

    /// <summary>The result, or the exception's type for an op that throws (the same on both sides too).</summary>
    private static string Apply(EngineP2M engine, Op op)
    {
        try
        {
            return engine.Apply(op).ToString();
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }

    private static void AssertSameState(EngineP2M fresh, EngineP2M reused, Geometry geometry, string when)
    {
        Assert.True(fresh.MappedRuns().SequenceEqual(reused.MappedRuns()), "mapped runs " + when);
        Assert.True(fresh.HeldReferences().SequenceEqual(reused.HeldReferences()), "references " + when);
        Assert.Equal(fresh.GrantFrames, reused.GrantFrames);
        for (int frame = 0; frame < geometry.MaxGrantFrames; frame++) Assert.Equal(fresh.GrantGfn(frame), reused.GrantGfn(frame));
        Assert.Equal(fresh.PoolPagesInUse, reused.PoolPagesInUse);
        Assert.Equal(fresh.Audit(AuditScope.Step), reused.Audit(AuditScope.Step));
        Assert.Equal(fresh.Audit(AuditScope.Full), reused.Audit(AuditScope.Full));
        Assert.Equal(fresh.AuditedPages, reused.AuditedPages);
        // Every frame of the small space, a window of the large one.
        ulong frames = Math.Min(geometry.GfnLimit, 16384);
        var a = new FrameState[frames];
        var b = new FrameState[frames];
        fresh.ReadRange(new Gfn(0), a);
        reused.ReadRange(new Gfn(0), b);
        Assert.True(a.AsSpan().SequenceEqual(b), "frames " + when);
        var sa = new TypeStorage[frames];
        var sb = new TypeStorage[frames];
        fresh.ReadTypeStorage(new Gfn(0), sa);
        reused.ReadTypeStorage(new Gfn(0), sb);
        Assert.True(sa.AsSpan().SequenceEqual(sb), "type storage " + when);
    }

    /// <summary>Every kind of op, with ranges around table boundaries, in the first part of the GFN space.</summary>
    internal static IEnumerable<Op> RandomOps(Random random, Geometry geometry, int count)
    {
        ulong e = (ulong)geometry.EntriesPerPage;
        ulong window = Math.Min(geometry.GfnLimit, 4 * e * e) >> 6 << 2;
        P2MType[] types = [P2MType.RamRw, P2MType.RamRo, P2MType.MmioDirectIo, P2MType.MmioDirectC, P2MType.IommuMapRw];
        for (int i = 0; i < count; i++)
        {
            ulong gfn = (ulong)random.NextInt64((long)window);
            if (random.Next(3) == 0) gfn &= ~(e - 1);
            ulong nr = random.Next(4) switch { 0 => 1, 1 => (ulong)random.Next(1, 2 * (int)e), 2 => e, _ => e * e };
            ulong mfn = gfn + (ulong)random.Next(3) * e;
            P2MType type = types[random.Next(types.Length)];
            yield return random.Next(14) switch
            {
                0 or 1 or 2 => Op.Map(new Gfn(gfn), new Mfn(mfn), nr, type),
                3 or 4 => Op.Unmap(new Gfn(gfn), nr),
                5 => Op.Retype(new Gfn(gfn), nr, types[random.Next(types.Length)], type),
                6 => Op.Identity(new Gfn(gfn), new Gfn(gfn + nr)),
                7 => Op.Foreign(new Gfn(gfn), new Mfn(mfn & 0xff), random.Next(2) == 0),
                8 => Op.GrantSetup((ulong)random.Next(4)),
                9 => Op.GrantMap((ulong)random.Next(4), new Gfn(gfn)),
                10 => Op.Translate(new Gfn(gfn)),
                11 => Op.FailAllocs((ulong)random.Next(3)),
                12 => Op.DirectMap(random.Next(2) == 0),
                _ => random.Next(4) == 0 ? Op.Teardown() : Op.Lookup(new Gfn(gfn)),
            };
        }
    }
}
