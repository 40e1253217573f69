using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary>Grant frames: setup, grant-map, EBUSY, and the recorded GFN going back to INVALID.</summary>
public class GrantTests
{
    private const ulong MiniGrantBase = 4096 - 32; // 0xFE0

    private static OracleP2M MiniWithFrame2At0x310()
    {
        var p2m = Mini();
        Ok(p2m, GrantSetup(4));
        Ok(p2m, GrantMap(2, 0x310));
        return p2m;
    }

    [Fact]
    public void Setup_creates_frames_with_no_gfn()
    {
        var p2m = Mini();
        Assert.Equal(0, p2m.GrantFrames);
        Ok(p2m, GrantSetup(4));
        Assert.Equal(4, p2m.GrantFrames);
        for (int k = 0; k < 4; k++)
            Expect.Grant(p2m, k, null);
        Expect.Grant(p2m, 4, null);
        Expect.Grant(p2m, -1, null);
        Assert.Equal(MiniGrantBase, Geometry.Mini.GrantBase.Value);
    }

    [Fact]
    public void Setup_grows_to_the_maximum_and_keeps_gfns()
    {
        var p2m = Mini();
        Ok(p2m, GrantSetup(4));
        Ok(p2m, GrantMap(1, 0x10));
        Ok(p2m, GrantSetup(2));
        Assert.Equal(4, p2m.GrantFrames);
        Expect.Grant(p2m, 1, 0x10);
        Ok(p2m, GrantSetup(6));
        Assert.Equal(6, p2m.GrantFrames);
        Expect.Grant(p2m, 1, 0x10);
        Expect.Grant(p2m, 5, null);
        Ok(p2m, GrantSetup(0));
        Assert.Equal(6, p2m.GrantFrames);
    }

    [Fact]
    public void Grant_map_maps_the_frame_4K_ram_rw_and_records_the_gfn()
    {
        var p2m = MiniWithFrame2At0x310();
        Expect.Frame(p2m, 0x310, MiniGrantBase + 2, P2MType.RamRw, 0);
        Expect.Grant(p2m, 2, 0x310);
        Expect.Grant(p2m, 1, null);
    }

    [Fact]
    public void Grant_map_of_a_recorded_frame_is_EBUSY_and_changes_nothing()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Map(0x311, 0x5, 1), done: 1);
        string before = Expect.Snapshot(p2m);
        Expect.Result(p2m.Apply(GrantMap(2, 0x311)), ResultCode.Ebusy, 0);
        Expect.Result(p2m.Apply(GrantMap(2, 0x310)), ResultCode.Ebusy, 0);
        Assert.Equal(before, Expect.Snapshot(p2m));
        Expect.Frame(p2m, 0x311, 0x5, P2MType.RamRw, 0);
    }

    [Fact]
    public void Unmap_resets_the_gfn_and_the_frame_can_be_mapped_again()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Unmap(0x308, 16), done: 16);
        Expect.Grant(p2m, 2, null);
        Ok(p2m, GrantMap(2, 0x311));
        Expect.Grant(p2m, 2, 0x311);
        Expect.Frame(p2m, 0x311, MiniGrantBase + 2, P2MType.RamRw, 0);
    }

    [Fact]
    public void Retype_keeps_the_gfn()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Retype(0x310, 1, P2MType.RamRw, P2MType.RamRo), done: 1);
        Expect.Grant(p2m, 2, 0x310);
        Expect.Frame(p2m, 0x310, MiniGrantBase + 2, P2MType.RamRo, 0);
    }

    [Fact]
    public void Map_over_the_entry_resets_the_gfn()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Map(0x310, 0x100, 1), done: 1);
        Expect.Grant(p2m, 2, null);
    }

    [Fact]
    public void Identity_over_the_entry_resets_the_gfn()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Identity(0x310, 0x311), done: 1);
        Expect.Grant(p2m, 2, null);
    }

    [Fact]
    public void Foreign_over_the_entry_resets_the_gfn()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, Foreign(0x310, 0x77));
        Expect.Grant(p2m, 2, null);
    }

    [Fact]
    public void Another_frame_granted_at_the_same_gfn_takes_it_over()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, GrantMap(3, 0x310));
        Expect.Grant(p2m, 2, null);
        Expect.Grant(p2m, 3, 0x310);
        Expect.Frame(p2m, 0x310, MiniGrantBase + 3, P2MType.RamRw, 0);
    }

    [Fact]
    public void Teardown_resets_every_gfn_and_keeps_the_frames()
    {
        var p2m = MiniWithFrame2At0x310();
        Ok(p2m, GrantMap(0, 0x400));
        Ok(p2m, Op.Teardown());
        Assert.Equal(4, p2m.GrantFrames);
        Expect.Grant(p2m, 0, null);
        Expect.Grant(p2m, 2, null);
        Assert.Empty(p2m.MappedRuns());
    }

    [Fact]
    public void Grant_map_inside_a_superpage_splits_it()
    {
        var p2m = Mini();
        Ok(p2m, GrantSetup(1));
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, GrantMap(0, 0x7F));
        Expect.Frames(p2m, 0x40, 0x77, 0x200, P2MType.RamRw, 3);
        Expect.Frames(p2m, 0x78, 0x7E, 0x238, P2MType.RamRw, 0);
        Expect.Frame(p2m, 0x7F, MiniGrantBase, P2MType.RamRw, 0);
        Expect.Grant(p2m, 0, 0x7F);
    }

    [Fact]
    public void Only_the_entry_grant_map_made_resets_the_gfn()
    {
        // Before grant-setup the window's MFNs are ordinary: 0x10 maps the future frame 0's MFN.
        var p2m = Mini();
        Ok(p2m, Map(0x10, MiniGrantBase, 1), done: 1);
        Ok(p2m, GrantSetup(1));
        Ok(p2m, GrantMap(0, 0x30));
        Ok(p2m, Unmap(0x10, 1), done: 1);
        Expect.Grant(p2m, 0, 0x30);
        Ok(p2m, Unmap(0x30, 1), done: 1);
        Expect.Grant(p2m, 0, null);
    }

    [Fact]
    public void Real_grant_frames_sit_at_the_top_of_the_mfn_space()
    {
        var p2m = Real();
        Expect.Result(p2m.Apply(GrantSetup(257)), ResultCode.Einval, 0);
        Ok(p2m, GrantSetup(256));
        Ok(p2m, GrantMap(255, 0x1234));
        Expect.Frame(p2m, 0x1234, (1UL << 44) - 1, P2MType.RamRw, 0);
        Expect.Grant(p2m, 255, 0x1234);
    }
}
