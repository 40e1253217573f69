using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary><c>retype</c>: the inside order rule, the split of crossing leaves of type <c>from</c> only.</summary>
public class RetypeTests
{
    [Fact]
    public void A_range_inside_a_superpage_gets_the_largest_blocks_wholly_inside()
    {
        // R = [0x44, 0x50) in the order-6 leaf [0x40, 0x80).
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Retype(0x44, 12, P2MType.RamRw, P2MType.RamRo), done: 12);
        Expect.Frames(p2m, 0x40, 0x43, 0x200, P2MType.RamRw, 0);  // outside: [0x40, 0x48) meets R
        Expect.Frames(p2m, 0x44, 0x47, 0x204, P2MType.RamRo, 0);  // inside: [0x40, 0x48) is not wholly inside R
        Expect.Frames(p2m, 0x48, 0x4F, 0x208, P2MType.RamRo, 3);  // inside: [0x48, 0x50) is
        Expect.Frames(p2m, 0x50, 0x7F, 0x210, P2MType.RamRw, 3);  // outside: their 8-blocks do not meet R
    }

    [Fact]
    public void A_whole_leaf_keeps_its_order()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Retype(0x30, 0x60, P2MType.RamRw, P2MType.IommuMapRo), done: 0x60);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.IommuMapRo, 6);
        Ok(p2m, Retype(0x40, 64, P2MType.IommuMapRo, P2MType.RamRw), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
    }

    [Fact]
    public void Frames_of_another_type_are_untouched_and_unsplit()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Retype(0x44, 4, P2MType.MmioDirectIo, P2MType.RamRo), done: 4);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
    }

    [Fact]
    public void Only_the_crossing_leaf_of_type_from_is_split()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x0, 0x100, 8), done: 8);
        Ok(p2m, Map(0x8, 0x108, 8, P2MType.MmioDirectIo), done: 8);
        Ok(p2m, Retype(0x4, 8, P2MType.RamRw, P2MType.RamRo), done: 8);   // R = [4, 12)
        Expect.Frames(p2m, 0x0, 0x3, 0x100, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x4, 0x7, 0x104, P2MType.RamRo, 0);
        Expect.Frames(p2m, 0x8, 0xF, 0x108, P2MType.MmioDirectIo, 3);
    }

    [Fact]
    public void From_equal_to_to_changes_nothing_not_even_a_split()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Retype(0x45, 1, P2MType.RamRw, P2MType.RamRw), done: 1);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
    }

    [Fact]
    public void Unmapped_frames_in_the_range_stay_unmapped()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x10, 0x100, 2), done: 2);
        Ok(p2m, Retype(0x0, 0x40, P2MType.RamRw, P2MType.RamRo), done: 0x40);
        Expect.Frames(p2m, 0x10, 0x11, 0x100, P2MType.RamRo, 0);
        Expect.Unmapped(p2m, 0x0, 0xF);
        Expect.Unmapped(p2m, 0x12, 0x3F);
    }

    [Fact]
    public void Identity_frames_keep_the_flag_and_order_0()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x100, 0x108), done: 8);
        Ok(p2m, Retype(0x100, 8, P2MType.MmioDirectIo, P2MType.MmioDirectNc), done: 8);
        Expect.IdentityFrames(p2m, 0x100, 0x107, P2MType.MmioDirectNc);
    }

    [Fact]
    public void Real_retype_of_one_2M_block_of_a_1G_leaf()
    {
        var p2m = Real();
        Ok(p2m, Map(0, 0x40000, 1UL << 18), done: 1UL << 18);
        Ok(p2m, Retype(0x200, 0x200, P2MType.RamRw, P2MType.RamRo), done: 0x200);
        Expect.Frames(p2m, 0x000, 0x1FF, 0x40000, P2MType.RamRw, 9);
        Expect.Frames(p2m, 0x200, 0x3FF, 0x40200, P2MType.RamRo, 9);
        Expect.Frames(p2m, 0x400, 0x5FF, 0x40400, P2MType.RamRw, 9);
        Expect.Frame(p2m, 0x3FFFF, 0x7FFFF, P2MType.RamRw, 9);
    }

    [Fact]
    public void Real_retype_crossing_a_2M_boundary()
    {
        // R = [0x1FF, 0x401): the 2M block [0x200, 0x400) lies wholly inside R and keeps order 9.
        var p2m = Real();
        Ok(p2m, Map(0, 0x40000, 1UL << 18), done: 1UL << 18);
        Ok(p2m, Retype(0x1FF, 0x202, P2MType.RamRw, P2MType.MmioDirectC), done: 0x202);
        Expect.Frames(p2m, 0x000, 0x1FE, 0x40000, P2MType.RamRw, 0);
        Expect.Frame(p2m, 0x1FF, 0x401FF, P2MType.MmioDirectC, 0);
        Expect.Frames(p2m, 0x200, 0x3FF, 0x40200, P2MType.MmioDirectC, 9);
        Expect.Frame(p2m, 0x400, 0x40400, P2MType.MmioDirectC, 0);
        Expect.Frames(p2m, 0x401, 0x5FF, 0x40401, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x600, 0x7FF, 0x40600, P2MType.RamRw, 9);
    }
}
