using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary>Every EINVAL of docs/SEMANTICS.md, and the empty ranges that are <c>ok</c>.</summary>
public class ArgumentCheckTests
{
    private const ulong MiniGrantBase = 0xFE0;

    /// <summary>A mini oracle with something in every kind of state, so "nothing changed" means something.</summary>
    private static OracleP2M Populated()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Foreign(0x90, 0x77));
        Ok(p2m, GrantSetup(4));
        Ok(p2m, GrantMap(1, 0xA0));
        Ok(p2m, Identity(0xB0, 0xB4), done: 4);
        return p2m;
    }

    /// <summary>EINVAL, done=0, the unmapped frame, nothing changed; and the same through ApplyFailedAt.</summary>
    private static void Rejected(OracleP2M p2m, Op op)
    {
        string before = Expect.Snapshot(p2m);
        Assert.Equal(OpResult.Of(ResultCode.Einval), p2m.Apply(op));
        Assert.Equal(before, Expect.Snapshot(p2m));
        Assert.Equal(OpResult.Of(ResultCode.Einval), p2m.ApplyFailedAt(op, 0));
        Assert.Equal(before, Expect.Snapshot(p2m));
    }

    [Fact]
    public void Range_operations_above_the_maximum_count()
    {
        // mini: 4 x 2^6 = 256 frames at most, for every range operation.
        var p2m = Populated();
        Rejected(p2m, Map(0x0, 0x0, 257));
        Rejected(p2m, Unmap(0x0, 257));
        Rejected(p2m, Retype(0x0, 257, P2MType.RamRw, P2MType.RamRo));
        Rejected(p2m, Identity(0x100, 0x201));
        Ok(p2m, Map(0x100, 0x0, 256), done: 256);
        Ok(p2m, Identity(0x300, 0x400), done: 256);
    }

    [Fact]
    public void Ranges_past_the_gfn_space()
    {
        var p2m = Populated();
        Rejected(p2m, Map(0x7F8, 0x0, 9));
        Rejected(p2m, Unmap(0x7FF, 2));
        Rejected(p2m, Retype(0x7FF, 2, P2MType.RamRw, P2MType.RamRo));
        Rejected(p2m, Map(ulong.MaxValue - 1, 0x0, 4));
        Rejected(p2m, Unmap(ulong.MaxValue, 1));
        Ok(p2m, Map(0x7F8, 0x0, 8), done: 8);
        Ok(p2m, Unmap(0x7FF, 1), done: 1);
    }

    [Fact]
    public void Map_past_the_mfn_space()
    {
        var p2m = Populated();
        Rejected(p2m, Map(0x0, 0xFFA, 7));
        Rejected(p2m, Map(0x0, ulong.MaxValue, 1));
        Ok(p2m, Map(0x0, 0xFF9, 7), done: 7);
    }

    [Fact]
    public void Identity_with_end_below_start_or_past_the_space()
    {
        var p2m = Populated();
        Rejected(p2m, Identity(0x10, 0xF));
        Rejected(p2m, Identity(0x7F0, 0x801));
        Rejected(p2m, Identity(ulong.MaxValue, ulong.MaxValue));
        Ok(p2m, Identity(0x7F0, 0x800), done: 16);
    }

    [Theory]
    [InlineData(P2MType.Invalid)]
    [InlineData(P2MType.ExtStorage)]
    [InlineData(P2MType.MapForeignRw)]
    [InlineData(P2MType.MapForeignRo)]
    [InlineData((P2MType)13)]
    [InlineData((P2MType)255)]
    public void Types_that_cannot_be_requested(P2MType type)
    {
        var p2m = Populated();
        Rejected(p2m, Map(0x0, 0x0, 1, type));
        Rejected(p2m, Map(0x0, 0x0, 0, type));
        Rejected(p2m, Retype(0x40, 8, type, P2MType.RamRo));
        Rejected(p2m, Retype(0x40, 8, P2MType.RamRw, type));
        Rejected(p2m, Retype(0x40, 0, type, type));
    }

    [Fact]
    public void Map_meeting_an_existing_grant_frame()
    {
        var p2m = Populated(); // grant frames 0..3: MFNs 0xFE0..0xFE3
        Rejected(p2m, Map(0x0, MiniGrantBase - 2, 3));
        Rejected(p2m, Map(0x0, MiniGrantBase + 3, 1));
        Rejected(p2m, Map(0x0, MiniGrantBase, 32));
        Ok(p2m, Map(0x0, MiniGrantBase - 3, 3), done: 3);
        // Window MFNs no grant-setup has created yet are ordinary.
        Ok(p2m, Map(0x8, MiniGrantBase + 4, 28), done: 28);
        // An empty range meets nothing.
        Ok(p2m, Map(0x0, MiniGrantBase + 1, 0));
    }

    [Fact]
    public void Map_of_any_window_mfn_is_fine_before_grant_setup()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x0, MiniGrantBase, 32), done: 32);
        Expect.Frames(p2m, 0x0, 0x1F, MiniGrantBase, P2MType.RamRw, 3); // 0xFE0 is 8-aligned, not 64
    }

    [Fact]
    public void Foreign_outside_the_spaces_or_on_a_grant_frame()
    {
        var p2m = Populated();
        Rejected(p2m, Foreign(0x800, 0x1));
        Rejected(p2m, Foreign(ulong.MaxValue, 0x1));
        Rejected(p2m, Foreign(0x1, 0x1000));
        Rejected(p2m, Foreign(0x1, MiniGrantBase));
        Rejected(p2m, Foreign(0x1, MiniGrantBase + 3));
        Ok(p2m, Foreign(0x1, MiniGrantBase + 4));
        Ok(p2m, Foreign(0x7FF, 0xFFF));
    }

    [Fact]
    public void Grant_setup_above_the_maximum()
    {
        var p2m = Populated();
        Rejected(p2m, GrantSetup(33));
        Rejected(p2m, GrantSetup(ulong.MaxValue));
        Ok(p2m, GrantSetup(32));
        Assert.Equal(32, p2m.GrantFrames);
    }

    [Fact]
    public void Grant_map_of_a_frame_not_created_or_outside_the_space()
    {
        var p2m = Mini();
        Rejected(p2m, GrantMap(0, 0x10));
        Ok(p2m, GrantSetup(4));
        Rejected(p2m, GrantMap(4, 0x10));
        Rejected(p2m, GrantMap(ulong.MaxValue, 0x10));
        Rejected(p2m, GrantMap(0, 0x800));
    }

    [Fact]
    public void Argument_checks_come_before_EBUSY()
    {
        var p2m = Populated(); // frame 1 is recorded at 0xA0
        Rejected(p2m, GrantMap(1, 0x800));
        Expect.Result(p2m.Apply(GrantMap(1, 0x10)), ResultCode.Ebusy, 0);
    }

    [Fact]
    public void Lookup_and_translate_outside_the_space()
    {
        var p2m = Populated();
        Rejected(p2m, Lookup(0x800));
        Rejected(p2m, Translate(0x800));
        Rejected(p2m, Lookup(ulong.MaxValue));
    }

    [Fact]
    public void Real_limits()
    {
        var p2m = Real();
        Rejected(p2m, Map(0x0, 0x0, (1UL << 20) + 1));
        Rejected(p2m, Unmap(0x0, (1UL << 20) + 1));
        Rejected(p2m, Identity(0x0, (1UL << 20) + 1));
        Rejected(p2m, Unmap((1UL << 29) - 1, 2));
        Rejected(p2m, Map(0x0, (1UL << 44) - 1, 2));
        Rejected(p2m, Foreign(0x0, 1UL << 44));
        Rejected(p2m, Foreign(1UL << 29, 0x0));
        Rejected(p2m, Lookup(1UL << 29));
        Ok(p2m, Unmap(0x0, 1UL << 20), done: 1UL << 20);
        Ok(p2m, Map(0x0, (1UL << 44) - 1, 1), done: 1);
    }

    [Fact]
    public void Empty_ranges_are_ok_and_change_nothing()
    {
        var p2m = Populated();
        string before = Expect.Snapshot(p2m);
        Ok(p2m, Map(0x45, 0x300, 0));
        Ok(p2m, Unmap(0x45, 0));
        Ok(p2m, Retype(0x45, 0, P2MType.RamRw, P2MType.RamRo));
        Ok(p2m, Identity(0x45, 0x45));
        // An empty range still names a first GFN, and one outside the space is EINVAL.
        Rejected(p2m, Unmap(0x800, 0));
        Rejected(p2m, Identity(0x800, 0x800));
        Rejected(p2m, Map(0x0, 0x1000, 0));
        Assert.Equal(before, Expect.Snapshot(p2m));
        Expect.Frame(p2m, 0x45, 0x205, P2MType.RamRw, 6);
    }
}
