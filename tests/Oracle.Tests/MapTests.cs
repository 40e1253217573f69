using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary><c>map</c>: chunking as p2m_mapping_order, and the split of leaves crossing the range.</summary>
public class MapTests
{
    [Fact]
    public void Aligned_gfn_and_mfn_over_64_frames_give_order_6_in_mini()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
        Expect.Unmapped(p2m, 0x3F);
        Expect.Unmapped(p2m, 0x80);
    }

    [Fact]
    public void Mfn_aligned_to_8_only_gives_order_3()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x208, 64), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void Misaligned_mfn_gives_order_0()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x201, 64), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x201, P2MType.RamRw, 0);
    }

    [Fact]
    public void Chunks_grow_once_aligned_and_shrink_at_the_tail()
    {
        // 0x3C|0x1FC is 4-aligned: four 4K chunks, then 0x40|0x200 is 64-aligned with 68 left: one
        // order-6 chunk, then 4 left: four 4K chunks.
        var p2m = Mini();
        Ok(p2m, Map(0x3C, 0x1FC, 72), done: 72);
        Expect.Frames(p2m, 0x3C, 0x3F, 0x1FC, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
        Expect.Frames(p2m, 0x80, 0x83, 0x240, P2MType.RamRw, 0);
    }

    [Fact]
    public void Remaining_count_limits_the_order()
    {
        // 63 frames from a 64-aligned start: seven order-3 chunks, then seven 4K ones.
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 63), done: 63);
        Expect.Frames(p2m, 0x40, 0x77, 0x200, P2MType.RamRw, 3);
        Expect.Frames(p2m, 0x78, 0x7E, 0x238, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x7F);
    }

    [Fact]
    public void Map_over_the_end_of_a_superpage_splits_what_stays_outside()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        // R = [0x7C, 0x84); 0x7C|0x300 is only 4-aligned, 0x80|0x304 too: all 4K chunks.
        Ok(p2m, Map(0x7C, 0x300, 8, P2MType.RamRo), done: 8);
        Expect.Frames(p2m, 0x40, 0x77, 0x200, P2MType.RamRw, 3);  // their 8-blocks do not meet R
        Expect.Frames(p2m, 0x78, 0x7B, 0x238, P2MType.RamRw, 0);  // [0x78, 0x80) meets R
        Expect.Frames(p2m, 0x7C, 0x83, 0x300, P2MType.RamRo, 0);
    }

    [Fact]
    public void Map_of_one_aligned_8_block_inside_a_superpage()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Map(0x48, 0x400, 8, P2MType.MmioDirectNc), done: 8);
        Expect.Frames(p2m, 0x40, 0x47, 0x200, P2MType.RamRw, 3);
        Expect.Frames(p2m, 0x48, 0x4F, 0x400, P2MType.MmioDirectNc, 3);
        Expect.Frames(p2m, 0x50, 0x7F, 0x210, P2MType.RamRw, 3);
    }

    [Fact]
    public void Map_of_one_frame_inside_an_order_3_leaf_leaves_4K_neighbours()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x10, 0x100, 8), done: 8);
        Expect.Frames(p2m, 0x10, 0x17, 0x100, P2MType.RamRw, 3);
        Ok(p2m, Map(0x12, 0x500, 1), done: 1);
        Expect.Frames(p2m, 0x10, 0x11, 0x100, P2MType.RamRw, 0);
        Expect.Frame(p2m, 0x12, 0x500, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x13, 0x17, 0x103, P2MType.RamRw, 0);
    }

    [Fact]
    public void Map_over_smaller_leaves_makes_one_superpage()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x201, 64), done: 64);
        Ok(p2m, Map(0x40, 0x300, 64, P2MType.RamRo), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x300, P2MType.RamRo, 6);
    }

    [Fact]
    public void Map_of_frames_onto_themselves_is_not_identity()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x20, 0x20, 8, P2MType.MmioDirectIo), done: 8);
        Expect.Frames(p2m, 0x20, 0x27, 0x20, P2MType.MmioDirectIo, 3);
        Assert.False(p2m.Read(new Gfn(0x20)).Identity);
    }

    [Theory]
    [InlineData(P2MType.RamRw)]
    [InlineData(P2MType.MmioDirectIo)]
    [InlineData(P2MType.RamRo)]
    [InlineData(P2MType.GrantMapRw)]
    [InlineData(P2MType.GrantMapRo)]
    [InlineData(P2MType.MmioDirectNc)]
    [InlineData(P2MType.MmioDirectC)]
    [InlineData(P2MType.IommuMapRw)]
    [InlineData(P2MType.IommuMapRo)]
    public void Every_requestable_type_is_kept(P2MType type)
    {
        var p2m = Mini();
        Ok(p2m, Map(0x80, 0x80, 9, type), done: 9);
        Expect.Frames(p2m, 0x80, 0x87, 0x80, type, 3);
        Expect.Frame(p2m, 0x88, 0x88, type, 0);
    }

    [Fact]
    public void Real_aligned_512_frames_give_order_9()
    {
        var p2m = Real();
        Ok(p2m, Map(0x200, 0x400, 512), done: 512);
        Expect.Frames(p2m, 0x200, 0x3FF, 0x400, P2MType.RamRw, 9);
        Expect.Unmapped(p2m, 0x1FF);
        Expect.Unmapped(p2m, 0x400);
    }

    [Fact]
    public void Real_misaligned_mfn_gives_order_0()
    {
        var p2m = Real();
        Ok(p2m, Map(0x200, 0x401, 512), done: 512);
        Expect.Frames(p2m, 0x200, 0x3FF, 0x401, P2MType.RamRw, 0);
    }

    [Fact]
    public void Real_chunks_grow_and_shrink()
    {
        var p2m = Real();
        Ok(p2m, Map(0x1FF, 0x3FF, 514), done: 514);
        Expect.Frame(p2m, 0x1FF, 0x3FF, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x200, 0x3FF, 0x400, P2MType.RamRw, 9);
        Expect.Frame(p2m, 0x400, 0x600, P2MType.RamRw, 0);
    }

    [Fact]
    public void Real_1G_aligned_range_gives_order_18()
    {
        var p2m = Real();
        Ok(p2m, Map(0x40000, 0x80000, 1UL << 18), done: 1UL << 18);
        Expect.Frame(p2m, 0x40000, 0x80000, P2MType.RamRw, 18);
        Expect.Frame(p2m, 0x41234, 0x81234, P2MType.RamRw, 18);
        Expect.Frame(p2m, 0x7FFFF, 0xBFFFF, P2MType.RamRw, 18);
        Expect.Unmapped(p2m, 0x80000);
    }

    [Fact]
    public void Real_map_inside_an_order_18_leaf_splits_to_order_9_and_0()
    {
        var p2m = Real();
        Ok(p2m, Map(0, 0x40000, 1UL << 18), done: 1UL << 18);
        Ok(p2m, Map(0x300, 0x1000, 0x100, P2MType.RamRo), done: 0x100);
        Expect.Frames(p2m, 0, 0x1FF, 0x40000, P2MType.RamRw, 9);
        Expect.Frames(p2m, 0x200, 0x2FF, 0x40200, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x300, 0x3FF, 0x1000, P2MType.RamRo, 0);
        Expect.Frames(p2m, 0x400, 0x5FF, 0x40400, P2MType.RamRw, 9);
        Expect.Frame(p2m, 0x3FFFF, 0x7FFFF, P2MType.RamRw, 9);
    }
}
