namespace P2M.Contract;

/// <summary>
/// P2M entry types with the codes of the semantics table. Codes 0-2 fit the PTE's 2 type bits;
/// 3 is the marker saying "the real type is in the metadata page"; 4 and up live only there.
/// </summary>
public enum P2MType : byte
{
    /// <summary>Not mapped.</summary>
    Invalid = 0,
    /// <summary>Ordinary guest RAM, RWX.</summary>
    RamRw = 1,
    /// <summary>Device MMIO passed through, RW. Also the type of identity frames.</summary>
    MmioDirectIo = 2,
    /// <summary>PTE marker only: the real type is in the metadata slot. Never a requested type.</summary>
    ExtStorage = 3,
    /// <summary>Read-only RAM, RX.</summary>
    RamRo = 4,
    /// <summary>Another domain's page, RW; holds a reference on the MFN.</summary>
    MapForeignRw = 5,
    /// <summary>Another domain's page, R; holds a reference on the MFN.</summary>
    MapForeignRo = 6,
    /// <summary>Grant mapping, RW.</summary>
    GrantMapRw = 7,
    /// <summary>Grant mapping, R.</summary>
    GrantMapRo = 8,
    /// <summary>MMIO, non-cacheable, RW.</summary>
    MmioDirectNc = 9,
    /// <summary>MMIO, cacheable, RW.</summary>
    MmioDirectC = 10,
    /// <summary>IOMMU mapping, RW.</summary>
    IommuMapRw = 11,
    /// <summary>IOMMU mapping, R.</summary>
    IommuMapRo = 12,
}

/// <summary>Names and value checks for <see cref="P2MType"/>; the rules of the semantics table, nothing more.</summary>
public static class P2MTypes
{
    /// <summary>Highest defined code.</summary>
    public const P2MType Max = P2MType.IommuMapRo;

    private static readonly string[] Names =
    [
        "invalid", "ram_rw", "mmio_direct_io", "ext_storage", "ram_ro", "map_foreign_rw", "map_foreign_ro",
        "grant_map_rw", "grant_map_ro", "mmio_direct_nc", "mmio_direct_c", "iommu_map_rw", "iommu_map_ro",
    ];

    /// <summary>The script-format name, e.g. <c>ram_rw</c>.</summary>
    public static string Name(P2MType type) =>
        (int)type < Names.Length ? Names[(int)type] : $"type{(int)type}";

    /// <summary>Parses a script-format name; a <c>p2m_</c> prefix is not accepted.</summary>
    public static bool TryParse(string name, out P2MType type)
    {
        int i = Array.IndexOf(Names, name);
        type = i < 0 ? P2MType.Invalid : (P2MType)i;
        return i >= 0;
    }

    /// <summary>True for a defined code (0..12).</summary>
    public static bool IsDefined(P2MType type) => type <= Max;

    /// <summary>True for the foreign types, which only <c>foreign</c> creates.</summary>
    public static bool IsForeign(P2MType type) => type is P2MType.MapForeignRw or P2MType.MapForeignRo;

    /// <summary>
    /// Types a caller may request in <c>map</c> and name in <c>retype</c>: any defined type but invalid,
    /// the marker and the foreign types.
    /// </summary>
    public static bool IsRequestable(P2MType type) =>
        IsDefined(type) && type != P2MType.Invalid && type != P2MType.ExtStorage && !IsForeign(type);

    /// <summary>All defined types in code order.</summary>
    public static ReadOnlySpan<P2MType> All =>
    [
        P2MType.Invalid, P2MType.RamRw, P2MType.MmioDirectIo, P2MType.ExtStorage, P2MType.RamRo,
        P2MType.MapForeignRw, P2MType.MapForeignRo, P2MType.GrantMapRw, P2MType.GrantMapRo,
        P2MType.MmioDirectNc, P2MType.MmioDirectC, P2MType.IommuMapRw, P2MType.IommuMapRo,
    ];
}
