using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary><c>identity start end</c>: MFN = GFN, mmio_direct_io, identity flag, order 0.</summary>
public class IdentityTests
{
    [Fact]
    public void Every_frame_maps_itself_with_the_flag_at_order_0()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x100, 0x118), done: 0x18);
        Expect.IdentityFrames(p2m, 0x100, 0x117);
        Expect.Unmapped(p2m, 0xFF);
        Expect.Unmapped(p2m, 0x118);
    }

    [Fact]
    public void Identity_inside_a_superpage_splits_it()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Identity(0x48, 0x50), done: 8);
        Expect.Frames(p2m, 0x40, 0x47, 0x200, P2MType.RamRw, 3);
        Expect.IdentityFrames(p2m, 0x48, 0x4F);
        Expect.Frames(p2m, 0x50, 0x7F, 0x210, P2MType.RamRw, 3);
    }

    [Fact]
    public void Map_over_identity_clears_the_flag()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x100, 0x108), done: 8);
        Ok(p2m, Map(0x103, 0x103, 1, P2MType.MmioDirectIo), done: 1);
        Expect.Frame(p2m, 0x103, 0x103, P2MType.MmioDirectIo, 0, identity: false);
        Expect.IdentityFrames(p2m, 0x100, 0x102);
        Expect.IdentityFrames(p2m, 0x104, 0x107);

        Ok(p2m, Map(0x100, 0x100, 8), done: 8);
        Expect.Frames(p2m, 0x100, 0x107, 0x100, P2MType.RamRw, 3);
    }

    [Fact]
    public void Identity_again_restores_the_type_of_a_retyped_identity_frame()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x100, 0x102), done: 2);
        Ok(p2m, Retype(0x100, 2, P2MType.MmioDirectIo, P2MType.RamRo), done: 2);
        Expect.IdentityFrames(p2m, 0x100, 0x101, P2MType.RamRo);
        Ok(p2m, Identity(0x101, 0x102), done: 1);
        Expect.Frame(p2m, 0x100, 0x100, P2MType.RamRo, 0, identity: true);
        Expect.Frame(p2m, 0x101, 0x101, P2MType.MmioDirectIo, 0, identity: true);
    }

    [Fact]
    public void Unmap_removes_identity_frames()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x40, 0x80), done: 64);
        Ok(p2m, Unmap(0x44, 2), done: 2);
        Expect.IdentityFrames(p2m, 0x40, 0x43);
        Expect.Unmapped(p2m, 0x44, 0x45);
        Expect.IdentityFrames(p2m, 0x46, 0x7F);
    }

    [Fact]
    public void Identity_up_to_the_top_of_the_space()
    {
        var p2m = Mini();
        Ok(p2m, Identity(0x7F0, 0x800), done: 16);
        Expect.IdentityFrames(p2m, 0x7F0, 0x7FF);
    }

    [Fact]
    public void Real_identity_across_a_2M_block()
    {
        var p2m = Real();
        Ok(p2m, Identity(0x1FE, 0x402), done: 0x204);
        Expect.IdentityFrames(p2m, 0x1FE, 0x401);
        Expect.Unmapped(p2m, 0x1FD);
        Expect.Unmapped(p2m, 0x402);
    }
}
