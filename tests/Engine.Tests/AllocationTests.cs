using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests;

/// <summary>
/// The engine runs inside the fuzz loop millions of times: once warm, an operation and the reads
/// and audit the runner makes after it must allocate nothing (buffers are reused, no LINQ, no boxing).
/// </summary>
public class AllocationTests
{
    private static Op[] Stream(Geometry g, int count)
    {
        var random = new Random(5);
        ulong e = (ulong)g.EntriesPerPage;
        P2MType[] types = [P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.MmioDirectC];
        var ops = new Op[count];
        for (int i = 0; i < count; i++)
        {
            ulong gfn = (ulong)random.Next(0, (int)(8 * e * e)) & ~(random.Next(2) == 0 ? e - 1 : 0);
            ulong nr = (ulong)random.Next(1, 2 * (int)e);
            ops[i] = random.Next(8) switch
            {
                0 or 1 => Op.Map(new Gfn(gfn), new Mfn(gfn), nr, types[random.Next(types.Length)]),
                2 => Op.Unmap(new Gfn(gfn), nr),
                3 => Op.Retype(new Gfn(gfn), nr, types[random.Next(types.Length)], types[random.Next(types.Length)]),
                4 => Op.Identity(new Gfn(gfn), new Gfn(gfn + nr)),
                5 => Op.Foreign(new Gfn(gfn), new Mfn((ulong)random.Next(8)), random.Next(2) == 0),
                6 => Op.Translate(new Gfn(gfn)),
                _ => Op.DirectMap(random.Next(2) == 0),
            };
        }
        return ops;
    }

    [Theory]
    [InlineData("mini")]
    [InlineData("real")]
    public void A_warm_engine_allocates_nothing_per_step(string geometryName)
    {
        Geometry.TryParse(geometryName, out var geometry);
        Op[] ops = Stream(geometry, 400);
        var engine = new EngineP2M(P2MConfig.Default(geometry));
        var frames = new FrameState[64];
        var storage = new TypeStorage[64];
        void Pass()
        {
            foreach (Op op in ops)
            {
                engine.Apply(op);
                Assert.Null(engine.Audit());
                engine.ReadRange(op.Gfn, frames);
                engine.ReadTypeStorage(op.Gfn, storage);
            }
        }
        Pass(); // grow every reused buffer and list to its working size
        Pass();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Pass();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / ops.Length;
        // One object per step would be at least 24 bytes; occasional growth of a list stays below that.
        Assert.InRange(perStep, 0, 8);
    }
}
