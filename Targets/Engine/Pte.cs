using System.Runtime.CompilerServices;

namespace P2M.Engine;

/// <summary>
/// Packing of one 64-bit P2M entry, laid out as a RISC-V Sv39 PTE:
/// bit 0 V, bits 1-3 R/W/X (all clear means "points at the next table"), bits 8-9 the P2M type
/// (Xen RISC-V keeps it in the RSW bits), bits 10-53 the PPN (an MFN, or a pool page for a table),
/// and bit 60 the identity flag (Linux's <c>IDENTITY_FRAME_BIT</c>): when set the MFN is the GFN.
/// </summary>
internal static class Pte
{
    public const ulong Valid = 1UL << 0;
    public const ulong Read = 1UL << 1;
    public const ulong Write = 1UL << 2;
    public const ulong Exec = 1UL << 3;
    public const ulong Perms = Read | Write | Exec;
    public const int TypeShift = 8;
    public const ulong TypeMask = 3UL << TypeShift;
    public const int PpnShift = 10;
    public const ulong PpnMask = ((1UL << 44) - 1) << PpnShift;
    public const ulong IdentityBit = 1UL << 60;

    /// <summary>The type value that says "look in the metadata page" (code 3, ext_storage).</summary>
    public const int Marker = 3;

    /// <summary>An entry pointing at the table in pool page <paramref name="page"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Table(int page) => Valid | ((ulong)page << PpnShift);

    /// <summary>A leaf mapping <paramref name="mfn"/> with the 2 type bits and permissions of <paramref name="type"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Leaf(ulong mfn, Contract.P2MType type, bool identity) =>
        Valid | PermissionsOf(type) | ((ulong)TypeBitsOf(type) << TypeShift) | (mfn << PpnShift) | (identity ? IdentityBit : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(ulong pte) => (pte & Valid) != 0;

    /// <summary>Valid with any of R/W/X set: a leaf. Every P2M type grants at least R.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLeaf(ulong pte) => (pte & Valid) != 0 && (pte & Perms) != 0;

    /// <summary>Valid with R/W/X clear: a pointer to the next level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTable(ulong pte) => (pte & (Valid | Perms)) == Valid;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Ppn(ulong pte) => (pte & PpnMask) >> PpnShift;

    /// <summary>The pool page a table entry links. A PPN past any page number (a corrupt entry) reads as int.MaxValue, never as a real page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Page(ulong pte) => (int)Math.Min(Ppn(pte), int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TypeBits(ulong pte) => (int)((pte & TypeMask) >> TypeShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsIdentity(ulong pte) => (pte & IdentityBit) != 0;

    /// <summary>The same leaf with another type (bits and permissions); MFN and identity flag kept.</summary>
    public static ulong WithType(ulong pte, Contract.P2MType type) =>
        (pte & ~(TypeMask | Perms)) | PermissionsOf(type) | ((ulong)TypeBitsOf(type) << TypeShift);

    /// <summary>Types 0-2 are stored as themselves; every other type as the marker.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TypeBitsOf(Contract.P2MType type) => type <= Contract.P2MType.MmioDirectIo ? (int)type : Marker;

    /// <summary>Permissions of the semantics table: RWX for RAM, RX read-only RAM, RW or R for the rest.</summary>
    public static ulong PermissionsOf(Contract.P2MType type) => type switch
    {
        Contract.P2MType.RamRw => Read | Write | Exec,
        Contract.P2MType.RamRo => Read | Exec,
        Contract.P2MType.MapForeignRo or Contract.P2MType.GrantMapRo or Contract.P2MType.IommuMapRo => Read,
        Contract.P2MType.Invalid => 0,
        _ => Read | Write,
    };
}
