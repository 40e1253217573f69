using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests;

public class PteTests
{
    [Theory]
    [InlineData(P2MType.RamRw, 1)]
    [InlineData(P2MType.MmioDirectIo, 2)]
    [InlineData(P2MType.RamRo, 3)]
    [InlineData(P2MType.MapForeignRo, 3)]
    [InlineData(P2MType.IommuMapRo, 3)]
    public void Leaf_keeps_mfn_type_bits_and_identity(P2MType type, int bits)
    {
        ulong mfn = (1UL << 44) - 5;
        ulong pte = Pte.Leaf(mfn, type, identity: true);
        Assert.True(Pte.IsValid(pte));
        Assert.True(Pte.IsLeaf(pte));
        Assert.False(Pte.IsTable(pte));
        Assert.Equal(mfn, Pte.Ppn(pte));
        Assert.Equal(bits, Pte.TypeBits(pte));
        Assert.True(Pte.IsIdentity(pte));
    }

    [Fact]
    public void Table_entry_has_no_permissions_and_points_at_the_page()
    {
        ulong pte = Pte.Table(1234);
        Assert.True(Pte.IsTable(pte));
        Assert.False(Pte.IsLeaf(pte));
        Assert.Equal(1234, Pte.Page(pte));
        Assert.Equal(0, Pte.TypeBits(pte));
    }

    [Fact]
    public void Permissions_follow_the_semantics_table()
    {
        Assert.Equal(Pte.Read | Pte.Write | Pte.Exec, Pte.PermissionsOf(P2MType.RamRw));
        Assert.Equal(Pte.Read | Pte.Exec, Pte.PermissionsOf(P2MType.RamRo));
        Assert.Equal(Pte.Read | Pte.Write, Pte.PermissionsOf(P2MType.MmioDirectIo));
        Assert.Equal(Pte.Read, Pte.PermissionsOf(P2MType.GrantMapRo));
        Assert.Equal(Pte.Read | Pte.Write, Pte.PermissionsOf(P2MType.IommuMapRw));
    }

    [Fact]
    public void WithType_keeps_mfn_and_identity_and_changes_bits_and_permissions()
    {
        ulong pte = Pte.Leaf(0x77, P2MType.MmioDirectIo, identity: true);
        ulong retyped = Pte.WithType(pte, P2MType.RamRo);
        Assert.Equal(0x77UL, Pte.Ppn(retyped));
        Assert.True(Pte.IsIdentity(retyped));
        Assert.Equal(Pte.Marker, Pte.TypeBits(retyped));
        Assert.Equal(Pte.Read | Pte.Exec, retyped & Pte.Perms);
    }
}

public class ChunkingTests
{
    [Theory]
    // mini: b = 3, orders 0/3/6
    [InlineData(0x40UL, 64UL, 3, 2, 2)]
    [InlineData(0x40UL, 63UL, 3, 2, 1)]
    [InlineData(0x48UL, 64UL, 3, 2, 1)]
    [InlineData(0x41UL, 64UL, 3, 2, 0)]
    [InlineData(0x40UL, 7UL, 3, 2, 0)]
    [InlineData(0x40UL, 64UL, 3, 1, 1)]   // identity stops at level 1
    // real: b = 9
    [InlineData(0x40000UL, 0x40000UL, 9, 2, 2)]
    [InlineData(0x40200UL, 0x40000UL, 9, 2, 1)]
    public void Level_is_the_largest_aligned_order_the_count_covers(ulong alignment, ulong remaining, int b, int maxLevel, int expected) =>
        Assert.Equal(expected, Chunking.Level(alignment, remaining, b, maxLevel));
}
