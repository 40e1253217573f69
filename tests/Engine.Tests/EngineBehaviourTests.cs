using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests;

/// <summary>Splitting, metadata pages and allocation failure, seen through the engine's public face and its audit.</summary>
public class EngineBehaviourTests
{
    private static EngineP2M Mini(int pool = 1024) => new(new P2MConfig(Geometry.Mini, pool));

    private static void AssertClean(EngineP2M engine) => Assert.Null(engine.Audit());

    private static void AssertFrame(EngineP2M engine, ulong gfn, ulong mfn, P2MType type, int order)
    {
        var f = engine.Read(new Gfn(gfn));
        Assert.Equal(new FrameState(new Mfn(mfn), type, order, false), f);
    }

    [Fact]
    public void Aligned_map_is_one_root_leaf_and_allocates_nothing()
    {
        var e = Mini();
        Assert.Equal(OpResult.Of(ResultCode.Ok, 64), e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw)));
        AssertFrame(e, 0x40, 0x200, P2MType.RamRw, 6);
        AssertFrame(e, 0x7f, 0x23f, P2MType.RamRw, 6);
        Assert.Equal(FrameState.Unmapped, e.Read(new Gfn(0x80)));
        Assert.Equal(4, e.PoolPagesInUse);
        AssertClean(e);
    }

    [Fact]
    public void Unmapping_one_frame_of_a_1g_leaf_splits_down_to_4k_and_keeps_the_rest()
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw));
        Assert.Equal(OpResult.Of(ResultCode.Ok, 1), e.Apply(Op.Unmap(new Gfn(0x45), 1)));
        AssertFrame(e, 0x44, 0x204, P2MType.RamRw, 0);
        Assert.Equal(FrameState.Unmapped, e.Read(new Gfn(0x45)));
        AssertFrame(e, 0x46, 0x206, P2MType.RamRw, 0);
        AssertFrame(e, 0x40, 0x200, P2MType.RamRw, 0);
        AssertFrame(e, 0x48, 0x208, P2MType.RamRw, 3);
        AssertFrame(e, 0x7f, 0x23f, P2MType.RamRw, 3);
        Assert.Equal(6, e.PoolPagesInUse); // root + level-1 table + level-0 table
        AssertClean(e);
    }

    [Fact]
    public void Metadata_types_move_into_split_tables_and_their_pages_are_freed_when_unused()
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRo));
        Assert.Equal(5, e.PoolPagesInUse); // root + the root page's metadata page
        Span<TypeStorage> storage = stackalloc TypeStorage[1];
        e.ReadTypeStorage(new Gfn(0x40), storage);
        Assert.Equal(new TypeStorage(3, P2MType.RamRo), storage[0]);

        e.Apply(Op.Unmap(new Gfn(0x45), 1));
        // The root slot went back to invalid, so its metadata page went; each new table has one.
        Assert.Equal(8, e.PoolPagesInUse);
        AssertFrame(e, 0x46, 0x206, P2MType.RamRo, 0);
        AssertFrame(e, 0x50, 0x210, P2MType.RamRo, 3);
        e.ReadTypeStorage(new Gfn(0x45), storage);
        Assert.Equal(new TypeStorage(0, P2MType.Invalid), storage[0]);
        AssertClean(e);

        Assert.Equal(OpResult.Of(ResultCode.Ok, 64), e.Apply(Op.Retype(new Gfn(0x40), 64, P2MType.RamRo, P2MType.RamRw)));
        Assert.Equal(6, e.PoolPagesInUse); // both metadata pages gone with their last slot
        e.ReadTypeStorage(new Gfn(0x50), storage);
        Assert.Equal(new TypeStorage(1, P2MType.Invalid), storage[0]);
        AssertClean(e);
    }

    [Fact]
    public void Retype_leaves_other_types_unsplit()
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw));
        Assert.Equal(OpResult.Of(ResultCode.Ok, 1), e.Apply(Op.Retype(new Gfn(0x45), 1, P2MType.MmioDirectC, P2MType.RamRo)));
        AssertFrame(e, 0x45, 0x205, P2MType.RamRw, 6);
        Assert.Equal(4, e.PoolPagesInUse);
    }

    [Fact]
    public void Failed_split_keeps_the_superpage_and_leaks_nothing()
    {
        var e = Mini(pool: 5);
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRo));
        Assert.Equal(5, e.PoolPagesInUse);
        Assert.Equal(OpResult.Of(ResultCode.Enomem, 0), e.Apply(Op.Unmap(new Gfn(0x45), 1)));
        AssertFrame(e, 0x45, 0x205, P2MType.RamRo, 6);
        Assert.Equal(5, e.PoolPagesInUse);
        AssertClean(e);
    }

    [Fact]
    public void Injected_failure_stops_at_the_chunk_and_counts_what_was_done()
    {
        var e = Mini();
        e.Apply(Op.FailAllocs(1));
        // 0x8 frames at 0x8 (order 3 chunk, needs a level-1 table) fail; nothing was done before it.
        Assert.Equal(OpResult.Of(ResultCode.Enomem, 0), e.Apply(Op.Map(new Gfn(0x8), new Mfn(0x8), 8, P2MType.RamRw)));
        Assert.Equal(FrameState.Unmapped, e.Read(new Gfn(0x8)));
        Assert.Equal(4, e.PoolPagesInUse);
        // Map 0x0..0x40 (one 1G chunk, no allocation) then 0x40..0x48 needs a table: done = 64.
        e.Apply(Op.FailAllocs(1));
        Assert.Equal(OpResult.Of(ResultCode.Enomem, 64), e.Apply(Op.Map(new Gfn(0), new Mfn(0), 72, P2MType.RamRw)));
        AssertFrame(e, 0x3f, 0x3f, P2MType.RamRw, 6);
        Assert.Equal(FrameState.Unmapped, e.Read(new Gfn(0x40)));
        AssertClean(e);
    }

    [Fact]
    public void Superpage_map_over_a_table_frees_the_table_and_its_metadata()
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x41), new Mfn(0x201), 3, P2MType.MmioDirectNc));
        Assert.Equal(4 + 2 + 1, e.PoolPagesInUse); // level-1 and level-0 tables, one metadata page
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x300), 64, P2MType.RamRw));
        Assert.Equal(4, e.PoolPagesInUse);
        AssertFrame(e, 0x42, 0x302, P2MType.RamRw, 6);
        AssertClean(e);
    }

    [Fact]
    public void Real_geometry_splits_a_1g_leaf_by_a_2m_change()
    {
        var e = new EngineP2M(P2MConfig.Default(Geometry.Real));
        Assert.Equal(ResultCode.Ok, e.Apply(Op.Map(new Gfn(0x40000), new Mfn(0x80000), 0x40000, P2MType.RamRw)).Code);
        Assert.Equal(ResultCode.Ok, e.Apply(Op.Unmap(new Gfn(0x40200), 0x200)).Code);
        AssertFrame(e, 0x401ff, 0x801ff, P2MType.RamRw, 9);
        Assert.Equal(FrameState.Unmapped, e.Read(new Gfn(0x40200)));
        AssertFrame(e, 0x40400, 0x80400, P2MType.RamRw, 9);
        Assert.Equal(5, e.PoolPagesInUse);
        AssertClean(e);
    }

    [Fact]
    public void Invalid_arguments_change_nothing()
    {
        var e = Mini();
        Assert.Equal(ResultCode.Einval, e.Apply(Op.Map(new Gfn(0x7ff), new Mfn(0), 2, P2MType.RamRw)).Code);
        Assert.Equal(ResultCode.Einval, e.Apply(Op.Map(new Gfn(0), new Mfn(0xfff), 2, P2MType.RamRw)).Code);
        Assert.Equal(ResultCode.Einval, e.Apply(Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.ExtStorage)).Code);
        Assert.Equal(ResultCode.Einval, e.Apply(Op.Map(new Gfn(0), new Mfn(0), 257, P2MType.RamRw)).Code);
        Assert.Equal(ResultCode.Einval, e.Apply(Op.Retype(new Gfn(0), 1, P2MType.MapForeignRw, P2MType.RamRw)).Code);
        Assert.Equal(4, e.PoolPagesInUse);
    }
}
