using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary><c>unmap</c> and the split order rule for frames outside R.</summary>
public class UnmapTests
{
    [Fact]
    public void One_frame_out_of_an_order_6_leaf()
    {
        // The frame's own 8-block meets R: order 0. Every other 8-block does not: order 3.
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Unmap(0x45, 1), done: 1);
        Expect.Frames(p2m, 0x40, 0x44, 0x200, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x45);
        Expect.Frames(p2m, 0x46, 0x47, 0x206, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x48, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void An_aligned_8_block_out_of_an_order_6_leaf()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Unmap(0x48, 8), done: 8);
        Expect.Frames(p2m, 0x40, 0x47, 0x200, P2MType.RamRw, 3);
        Expect.Unmapped(p2m, 0x48, 0x4F);
        Expect.Frames(p2m, 0x50, 0x7F, 0x210, P2MType.RamRw, 3);
    }

    [Fact]
    public void A_range_across_two_leaves_splits_both()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Map(0x80, 0x380, 8, P2MType.RamRo), done: 8);
        Expect.Frames(p2m, 0x80, 0x87, 0x380, P2MType.RamRo, 3);

        Ok(p2m, Unmap(0x7E, 4), done: 4);
        Expect.Frames(p2m, 0x40, 0x77, 0x200, P2MType.RamRw, 3);
        Expect.Frames(p2m, 0x78, 0x7D, 0x238, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x7E, 0x81);
        Expect.Frames(p2m, 0x82, 0x87, 0x382, P2MType.RamRo, 0);
    }

    [Fact]
    public void A_whole_leaf_goes_with_nothing_left()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Unmap(0x30, 0x60), done: 0x60);
        Assert.Empty(p2m.MappedRuns());
    }

    [Fact]
    public void Removing_what_is_not_mapped_succeeds()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x10, 0x100, 8), done: 8);
        Ok(p2m, Unmap(0x100, 16), done: 16);
        Expect.Frames(p2m, 0x10, 0x17, 0x100, P2MType.RamRw, 3);
    }

    [Fact]
    public void Unmap_from_the_last_frame_of_the_space()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x7C0, 0x0, 64), done: 64);
        Ok(p2m, Unmap(0x7FF, 1), done: 1);
        Expect.Frames(p2m, 0x7C0, 0x7F7, 0x0, P2MType.RamRw, 3);
        Expect.Frames(p2m, 0x7F8, 0x7FE, 0x38, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x7FF);
    }

    [Fact]
    public void Real_one_frame_out_of_an_order_18_leaf()
    {
        var p2m = Real();
        Ok(p2m, Map(0, 0x40000, 1UL << 18), done: 1UL << 18);
        Ok(p2m, Unmap(0x201, 1), done: 1);
        Expect.Frames(p2m, 0x000, 0x1FF, 0x40000, P2MType.RamRw, 9);
        Expect.Frame(p2m, 0x200, 0x40200, P2MType.RamRw, 0);
        Expect.Unmapped(p2m, 0x201);
        Expect.Frames(p2m, 0x202, 0x3FF, 0x40202, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x400, 0x5FF, 0x40400, P2MType.RamRw, 9);
        Expect.Frame(p2m, 0x3FFFF, 0x7FFFF, P2MType.RamRw, 9);
    }
}
