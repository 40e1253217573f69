using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary><c>foreign</c>: a 4K entry that holds one reference on its MFN until removed or replaced.</summary>
public class ForeignTests
{
    [Fact]
    public void Foreign_maps_4K_and_takes_a_reference()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77, readOnly: true));
        Expect.Frame(p2m, 0x300, 0x77, P2MType.MapForeignRo, 0);
        Expect.Refs(p2m, 0x77, 1);
        Assert.Equal([new KeyValuePair<Mfn, int>(new Mfn(0x77), 1)], p2m.HeldReferences());

        Ok(p2m, Foreign(0x301, 0x78, readOnly: false));
        Expect.Frame(p2m, 0x301, 0x78, P2MType.MapForeignRw, 0);
        Expect.Refs(p2m, 0x78, 1);
    }

    [Fact]
    public void Each_foreign_entry_holds_its_own_reference()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Foreign(0x301, 0x77));
        Expect.Refs(p2m, 0x77, 2);
        Ok(p2m, Unmap(0x300, 1), done: 1);
        Expect.Refs(p2m, 0x77, 1);
        Ok(p2m, Unmap(0x300, 2), done: 2);
        Expect.Refs(p2m, 0x77, 0);
        Assert.Empty(p2m.HeldReferences());
    }

    [Fact]
    public void The_same_foreign_mapping_again_keeps_the_count()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Foreign(0x300, 0x77, readOnly: true));
        Expect.Refs(p2m, 0x77, 1);
        Expect.Frame(p2m, 0x300, 0x77, P2MType.MapForeignRo, 0);
    }

    [Fact]
    public void Foreign_over_foreign_moves_the_reference()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Foreign(0x300, 0x99));
        Expect.Refs(p2m, 0x77, 0);
        Expect.Refs(p2m, 0x99, 1);
    }

    [Fact]
    public void Map_over_foreign_drops_the_reference_even_with_the_same_mfn()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Map(0x300, 0x77, 1), done: 1);
        Expect.Refs(p2m, 0x77, 0);
        Expect.Frame(p2m, 0x300, 0x77, P2MType.RamRw, 0);
    }

    [Fact]
    public void Identity_over_foreign_drops_the_reference()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Identity(0x2F8, 0x308), done: 16);
        Expect.Refs(p2m, 0x77, 0);
        Expect.IdentityFrames(p2m, 0x2F8, 0x307);
    }

    [Fact]
    public void Grant_map_over_foreign_drops_the_reference()
    {
        var p2m = Mini();
        Ok(p2m, GrantSetup(1));
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, GrantMap(0, 0x300));
        Expect.Refs(p2m, 0x77, 0);
    }

    [Fact]
    public void Teardown_drops_every_reference()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x300, 0x77));
        Ok(p2m, Foreign(0x301, 0x77));
        Ok(p2m, Foreign(0x302, 0x10));
        Ok(p2m, Op.Teardown());
        Expect.Refs(p2m, 0x77, 0);
        Expect.Refs(p2m, 0x10, 0);
        Assert.Empty(p2m.HeldReferences());
        Assert.Empty(p2m.MappedRuns());
    }

    [Fact]
    public void Retype_never_touches_foreign_entries()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x300, 0x100, 8), done: 8);
        Ok(p2m, Foreign(0x302, 0x77));
        Ok(p2m, Retype(0x300, 8, P2MType.RamRw, P2MType.RamRo), done: 8);
        Expect.Frame(p2m, 0x302, 0x77, P2MType.MapForeignRw, 0);
        Expect.Refs(p2m, 0x77, 1);
        Expect.Frame(p2m, 0x301, 0x101, P2MType.RamRo, 0);
    }

    [Fact]
    public void Foreign_inside_a_superpage_splits_it()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Foreign(0x41, 0x77));
        Expect.Frame(p2m, 0x40, 0x200, P2MType.RamRw, 0);
        Expect.Frame(p2m, 0x41, 0x77, P2MType.MapForeignRw, 0);
        Expect.Frames(p2m, 0x42, 0x47, 0x202, P2MType.RamRw, 0);
        Expect.Frames(p2m, 0x48, 0x7F, 0x208, P2MType.RamRw, 3);
    }

    [Fact]
    public void Held_references_are_in_ascending_mfn_order()
    {
        var p2m = Mini();
        Ok(p2m, Foreign(0x1, 0x90));
        Ok(p2m, Foreign(0x2, 0x10));
        Ok(p2m, Foreign(0x3, 0x50));
        Ok(p2m, Foreign(0x4, 0x10));
        Assert.Equal(
            [
                new KeyValuePair<Mfn, int>(new Mfn(0x10), 2),
                new KeyValuePair<Mfn, int>(new Mfn(0x50), 1),
                new KeyValuePair<Mfn, int>(new Mfn(0x90), 1),
            ],
            p2m.HeldReferences());
    }

    [Fact]
    public void Real_foreign_of_a_high_mfn()
    {
        var p2m = Real();
        ulong mfn = (1UL << 44) - 257;
        Ok(p2m, Foreign(0x1FFFFFFF, mfn, readOnly: true));
        Expect.Frame(p2m, 0x1FFFFFFF, mfn, P2MType.MapForeignRo, 0);
        Expect.Refs(p2m, mfn, 1);
    }
}
