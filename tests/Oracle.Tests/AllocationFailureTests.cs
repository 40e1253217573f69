using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary>
/// <see cref="IAllocationFailureModel.ApplyFailedAt"/>: the prefix of completed chunks, done rounded
/// down to a chunk start, and no failure where nothing can allocate.
/// </summary>
public class AllocationFailureTests
{
    private static void Enomem(OpResult result, ulong done) => Expect.Result(result, ResultCode.Enomem, done);

    // map 0x3C 0x1FC 72 in mini: chunks start at 0, 1, 2, 3 (4K), 4 (order 6), 68, 69, 70, 71 (4K).
    private static readonly Op MapAcrossAnOrder6Chunk = Map(0x3C, 0x1FC, 72);

    [Fact]
    public void Map_failing_at_a_chunk_start_keeps_the_chunks_before_it()
    {
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(MapAcrossAnOrder6Chunk, 4), 4);
        Expect.Frames(p2m, 0x3C, 0x3F, 0x1FC, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x40, 0x83);
    }

    [Fact]
    public void Done_inside_a_chunk_rounds_down_to_its_start()
    {
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(MapAcrossAnOrder6Chunk, 30), 4);
        Expect.Frames(p2m, 0x3C, 0x3F, 0x1FC, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x40);
    }

    [Fact]
    public void Failing_after_the_order_6_chunk()
    {
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(MapAcrossAnOrder6Chunk, 68), 68);
        Expect.Frames(p2m, 0x3C, 0x3F, 0x1FC, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
        Expect.Unmapped(p2m, 0x80, 0x83);
    }

    [Theory]
    [InlineData(71UL)]
    [InlineData(72UL)]
    [InlineData(1000UL)]
    [InlineData(ulong.MaxValue)]
    public void Done_at_or_past_the_end_rounds_down_to_the_last_chunk(ulong done)
    {
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(MapAcrossAnOrder6Chunk, done), 71);
        Expect.Frames(p2m, 0x80, 0x82, 0x240, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x83);
    }

    [Fact]
    public void Failing_at_0_changes_nothing()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x3D, 0x77));
        string before = Expect.Snapshot(p2m);
        Enomem(p2m.ApplyFailedAt(MapAcrossAnOrder6Chunk, 0), 0);
        Assert.Equal(before, Expect.Snapshot(p2m));
    }

    [Fact]
    public void The_prefix_drops_references_of_what_it_replaced()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x41, 0x77));
        Ok(p2m, Foreign(0x43, 0x78));
        // 0x40|0x201 is odd: eight 4K chunks; failing at 2 replaces 0x40 and 0x41 only.
        Enomem(p2m.ApplyFailedAt(Map(0x40, 0x201, 8), 2), 2);
        Expect.Refs(p2m, 0x77, 0);
        Expect.Refs(p2m, 0x78, 1);
        Expect.Frames(p2m, 0x40, 0x41, 0x201, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x42);
    }

    [Fact]
    public void The_split_rule_sees_the_prefix_as_R_for_map()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        // 0x44|0x304 is 4-aligned: 4K chunks. Prefix R = [0x44, 0x47).
        Enomem(p2m.ApplyFailedAt(Map(0x44, 0x304, 8, P2MType.RamRo), 3), 3);
        Expect.Frames(p2m, 0x40, 0x43, 0x200, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x44, 0x46, 0x304, P2MType.RamRo, 0);
        Expect.Frame(p2m, 0x47, 0x207, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x48, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void The_split_rule_sees_the_prefix_as_R_for_unmap()
    {
        // Over the whole R = [0x44, 0x4C) frames 0x4C..0x4F would become 4K; over the prefix
        // [0x44, 0x46) their 8-block does not meet R and they stay order 3.
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Enomem(p2m.ApplyFailedAt(Unmap(0x44, 8), 2), 2);
        Expect.Frames(p2m, 0x40, 0x43, 0x200, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x44, 0x45);
        Expect.Frames(p2m, 0x46, 0x47, 0x206, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x48, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void Retype_prefix_of_order_3_chunks()
    {
        // retype 0x40 16: 0x40 is 64-aligned but only 16 remain: chunks of order 3 at 0 and 8.
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Enomem(p2m.ApplyFailedAt(Retype(0x40, 16, P2MType.RamRw, P2MType.RamRo), 8), 8);
        Expect.Frames(p2m, 0x40, 0x47, 0x200, P2MType.RamRo, 3);
        Expect.Frames(p2m, 0x48, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void Retype_failing_inside_its_first_chunk_changes_nothing()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Enomem(p2m.ApplyFailedAt(Retype(0x40, 16, P2MType.RamRw, P2MType.RamRo), 5), 0);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
    }

    [Theory]
    // identity 0x3E..0x52: chunks start at 0, 1 (4K), 2, 10 (order 3), 18, 19 (4K).
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(5UL, 2UL)]
    [InlineData(10UL, 10UL)]
    [InlineData(17UL, 10UL)]
    [InlineData(18UL, 18UL)]
    [InlineData(19UL, 19UL)]
    [InlineData(20UL, 19UL)]
    public void Identity_chunks_are_leaf_table_blocks_and_edge_frames(ulong done, ulong expected)
    {
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(Identity(0x3E, 0x52), done), expected);
        if (expected > 0)
            Expect.IdentityFrames(p2m, 0x3E, 0x3E + expected - 1);
        Expect.Unmapped(p2m, 0x3E + expected, 0x52);
    }

    [Fact]
    public void Identity_never_chunks_by_2b()
    {
        // A 64-aligned identity range of 64 frames is eight order-3 chunks, not one order-6 chunk.
        var p2m = Mini();
        Enomem(p2m.ApplyFailedAt(Identity(0x40, 0x80), 20), 16);
        Expect.IdentityFrames(p2m, 0x40, 0x4F);
        Expect.Unmapped(p2m, 0x50);
    }

    [Fact]
    public void Unmap_of_a_chunk_that_maps_nothing_cannot_fail()
    {
        // unmap 0x40 16: chunks [0x40, 0x48) and [0x48, 0x50). Only the second maps anything.
        var p2m = Mini();
        Ok(p2m, Map(0x48, 0x200, 8), done: 8);
        Expect.Result(p2m.ApplyFailedAt(Unmap(0x40, 16), 0), ResultCode.Ok, 16);
        Expect.Unmapped(p2m, 0x40, 0x4F);

        p2m = Mini();
        Ok(p2m, Map(0x48, 0x200, 8), done: 8);
        Enomem(p2m.ApplyFailedAt(Unmap(0x40, 16), 8), 8);
        Expect.Frames(p2m, 0x48, 0x4F, 0x200, P2MType.RamRw, 3);
    }

    [Fact]
    public void Operations_with_no_chunk_cannot_fail()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        string before = Expect.Snapshot(p2m);
        Expect.Result(p2m.ApplyFailedAt(Map(0x10, 0x10, 0), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(Unmap(0x45, 0), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(Retype(0x45, 0, P2MType.RamRw, P2MType.RamRo), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(Identity(0x45, 0x45), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(Retype(0x45, 3, P2MType.RamRw, P2MType.RamRw), 1), ResultCode.Ok, 3);
        Assert.Equal(before, Expect.Snapshot(p2m));
    }

    [Fact]
    public void Foreign_fails_whole()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        string before = Expect.Snapshot(p2m);
        Enomem(p2m.ApplyFailedAt(Foreign(0x41, 0x77), 0), 0);
        Enomem(p2m.ApplyFailedAt(Foreign(0x41, 0x77), 5), 0);
        Assert.Equal(before, Expect.Snapshot(p2m));
        Expect.Refs(p2m, 0x77, 0);
    }

    [Fact]
    public void Grant_map_fails_whole_unless_busy()
    {
        var p2m = Mini();
        Ok(p2m, GrantSetup(2));
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        string before = Expect.Snapshot(p2m);
        Enomem(p2m.ApplyFailedAt(GrantMap(0, 0x41), 0), 0);
        Assert.Equal(before, Expect.Snapshot(p2m));
        Expect.Grant(p2m, 0, null);

        Ok(p2m, GrantMap(1, 0x90));
        Expect.Result(p2m.ApplyFailedAt(GrantMap(1, 0x41), 0), ResultCode.Ebusy, 0);
        Expect.Frame(p2m, 0x41, 0x201, P2MType.RamRw, 6);
    }

    [Fact]
    public void Invalid_operations_stay_EINVAL()
    {
        var p2m = Mini();
        Expect.Result(p2m.ApplyFailedAt(Map(0x0, 0x0, 257), 0), ResultCode.Einval, 0);
        Expect.Result(p2m.ApplyFailedAt(Foreign(0x800, 0x0), 0), ResultCode.Einval, 0);
        Expect.Result(p2m.ApplyFailedAt(GrantMap(0, 0x0), 0), ResultCode.Einval, 0);
        Assert.Empty(p2m.MappedRuns());
    }

    [Fact]
    public void Operations_that_never_allocate_answer_as_Apply()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Assert.Equal(
            new OpResult(ResultCode.Ok, 0, new FrameState(new Mfn(0x205), P2MType.RamRw, 6, false)),
            p2m.ApplyFailedAt(Lookup(0x45), 0));
        Assert.Equal(
            new OpResult(ResultCode.Ok, 0, new FrameState(new Mfn(0x205), P2MType.RamRw, 6, false)),
            p2m.ApplyFailedAt(Translate(0x45), 0));
        Expect.Result(p2m.ApplyFailedAt(Op.FailAllocs(3), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(Op.DirectMap(false), 0), ResultCode.Ok, 0);
        Expect.Result(p2m.ApplyFailedAt(GrantSetup(3), 0), ResultCode.Ok, 0);
        Assert.Equal(3, p2m.GrantFrames);
        Expect.Result(p2m.ApplyFailedAt(Op.Teardown(), 0), ResultCode.Ok, 0);
        Assert.Empty(p2m.MappedRuns());
    }

    [Theory]
    // map 0x1FF 0x3FF 514 in real: chunks start at 0 (4K), 1 (order 9), 513 (4K).
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(300UL, 1UL)]
    [InlineData(513UL, 513UL)]
    [InlineData(514UL, 513UL)]
    public void Real_map_rounds_to_its_chunks(ulong done, ulong expected)
    {
        var p2m = Real();
        Enomem(p2m.ApplyFailedAt(Map(0x1FF, 0x3FF, 514), done), expected);
        if (expected >= 1)
            Expect.Frame(p2m, 0x1FF, 0x3FF, P2MType.RamRw, 0);
        if (expected >= 513)
            Expect.Frames(p2m, 0x200, 0x3FF, 0x400, P2MType.RamRw, 9);
        else
            Expect.Unmapped(p2m, 0x200);
        Expect.Unmapped(p2m, 0x400);
    }

    [Fact]
    public void Real_identity_rounds_to_its_chunks()
    {
        // identity 0x1FE..0x402: chunks start at 0, 1 (4K), 2 (order 9), 514, 515 (4K).
        var p2m = Real();
        Enomem(p2m.ApplyFailedAt(Identity(0x1FE, 0x402), 100), 2);
        Expect.IdentityFrames(p2m, 0x1FE, 0x1FF);
        Expect.Unmapped(p2m, 0x200);
        Enomem(p2m.ApplyFailedAt(Identity(0x1FE, 0x402), 515), 515);
        Expect.IdentityFrames(p2m, 0x1FE, 0x400);
        Expect.Unmapped(p2m, 0x401);
    }
}
