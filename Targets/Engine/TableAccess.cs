using System.Runtime.CompilerServices;

namespace P2M.Engine;

/// <summary>A table or metadata page mapped for access: directly (<see cref="Slot"/> -1) or through a mapcache slot.</summary>
internal readonly record struct MappedPage(int Page, int Slot);

/// <summary>
/// The one way the engine reaches a table or metadata page's contents. With the directmap on,
/// a page is its place in the pool. With it off (<c>directmap off</c>), every page is mapped into
/// a mapcache slot first and every access resolves through the slot, as on a 32-bit Arm host
/// without a direct map: a slot unmapped too early or reused wrongly reads another page.
/// </summary>
internal sealed class TableAccess
{
    private readonly PagePool _pool;
    private readonly int _entryBits;

    public TableAccess(PagePool pool, int entryBits, Mapcache mapcache)
    {
        _pool = pool;
        _entryBits = entryBits;
        Mapcache = mapcache;
    }

    /// <summary>True while every page is reached directly.</summary>
    public bool DirectMap { get; set; } = true;

    /// <summary>The slots used while the directmap is off.</summary>
    public Mapcache Mapcache { get; }

    /// <summary>map_domain_page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MappedPage Map(int page) => DirectMap ? new MappedPage(page, -1) : new MappedPage(page, Mapcache.Map(page));

    /// <summary>unmap_domain_page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unmap(MappedPage mapped)
    {
        if (mapped.Slot >= 0) Mapcache.Unmap(mapped.Slot);
    }

    /// <summary>The page an access through <paramref name="mapped"/> reaches now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Target(MappedPage mapped) => mapped.Slot < 0 ? mapped.Page : Mapcache.PageIn(mapped.Slot);

    /// <summary>One entry, through the mapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ulong At(MappedPage mapped, int index) => ref _pool.Memory[(Target(mapped) << _entryBits) + index];

    /// <summary>All entries, through the mapping. Take it afresh after anything that may remap.</summary>
    public Span<ulong> Entries(MappedPage mapped) => _pool.Memory.AsSpan(Target(mapped) << _entryBits, 1 << _entryBits);

    /// <summary>One metadata slot, through the mapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Slot(MappedPage mapped, int index) => ref _pool.Slots[(Target(mapped) << _entryBits) + index];

    /// <summary>All slots of a metadata page, through the mapping.</summary>
    public Span<byte> Slots(MappedPage mapped) => _pool.Slots.AsSpan(Target(mapped) << _entryBits, 1 << _entryBits);

    /// <summary>A metadata page's slots straight from the pool, to clear as the page goes back.</summary>
    public Span<byte> RawSlotsToClear(int page) => _pool.Slots.AsSpan(page << _entryBits, 1 << _entryBits);

    /// <summary>A metadata page's slots straight from the pool, for audits.</summary>
    public ReadOnlySpan<byte> RawSlots(int page) => _pool.Slots.AsSpan(page << _entryBits, 1 << _entryBits);

    /// <summary>A page's entries read straight from the pool: for audits, which must not depend on the mapcache they check.</summary>
    public ReadOnlySpan<ulong> Raw(int page) => _pool.Memory.AsSpan(page << _entryBits, 1 << _entryBits);
}
