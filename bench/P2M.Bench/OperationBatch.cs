using P2M.Contract;

namespace P2M.Bench;

/// <summary>The batches of <see cref="OperationKindBenchmarks"/> and <see cref="ReadKindBenchmarks"/>: one kind of operation, each on its own part of the guest.</summary>
internal static class OperationBatch
{
    /// <summary>Operations in a batch: mini has 32 1G blocks.</summary>
    public const int Size = 32;

    /// <summary>The state to start from and the batch of one changing kind.</summary>
    public static (Op[] Prepare, Op[] Ops) Make(Geometry geometry, OperationKindBenchmarks.Kind kind)
    {
        ulong e = (ulong)geometry.EntriesPerPage, block = e * e;
        var ops = new Op[Size];
        Op[] prepare = [];
        // Frames each batch element owns: a 4K frame per leaf table, or a whole 1G block.
        for (int i = 0; i < Size; i++)
        {
            ulong at = FrameOf(geometry, i);
            ulong blockAt = (ulong)i * block;   // the i-th 1G block
            ops[i] = kind switch
            {
                OperationKindBenchmarks.Kind.Map4K => Map(geometry, at, 1, 1),
                OperationKindBenchmarks.Kind.Map2M => Map(geometry, (ulong)i * e, e),
                OperationKindBenchmarks.Kind.Map1G => Map(geometry, blockAt, block),
                OperationKindBenchmarks.Kind.Unmap4K => Op.Unmap(new Gfn(at), 1),
                OperationKindBenchmarks.Kind.Unmap1G => Op.Unmap(new Gfn(blockAt), block),
                OperationKindBenchmarks.Kind.Retype => Op.Retype(new Gfn(at), 1, P2MType.RamRw, P2MType.RamRo),
                _ => Op.Identity(new Gfn((ulong)i * e), new Gfn((ulong)(i + 1) * e)),
            };
        }
        // What the removing and retyping kinds find: 4K-mapped leaf tables, or 1G leaves.
        if (kind is OperationKindBenchmarks.Kind.Unmap4K or OperationKindBenchmarks.Kind.Retype)
            prepare = [MappedLeafTables(geometry)];
        if (kind is OperationKindBenchmarks.Kind.Unmap1G)
            prepare = [.. Enumerable.Range(0, Size).Select(i => Map(geometry, (ulong)i * block, block))];
        return (prepare, ops);
    }

    /// <summary>The batch's leaf tables mapped frame by frame with 4K leaves: what reads find.</summary>
    public static Op MappedLeafTables(Geometry geometry) => Map(geometry, 1, (ulong)Size * (ulong)geometry.EntriesPerPage, 1);

    /// <summary>A frame in the <paramref name="i"/>-th leaf table.</summary>
    public static ulong FrameOf(Geometry geometry, int i) => (ulong)i * (ulong)geometry.EntriesPerPage + 1;

    /// <summary>4K chunks: an MFN one frame off the GFN's alignment (<paramref name="skew"/> 1); larger chunks: aligned.</summary>
    private static Op Map(Geometry geometry, ulong gfn, ulong nr, ulong skew = 0) =>
        Op.Map(new Gfn(gfn), new Mfn(gfn + 0x100000 % geometry.MfnLimit + skew), nr, P2MType.RamRw);
}
