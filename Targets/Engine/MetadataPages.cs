using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

/// <summary>
/// The metadata table of Xen RISC-V: each table page (and each of the root's 4 pages on its own)
/// may own one metadata page, from the same pool, holding the real type of every entry whose PTE
/// carries the marker. Allocated lazily, the first time a slot needs a type from 4 up; counts its
/// non-invalid slots and goes back to the pool when that count returns to 0 or with its table page.
/// Which metadata page a table page owns is kept beside the page (Xen keeps it in page_info).
/// A slot is one byte (the types fit in 4 bits), so one vector compares 64 of them.
/// </summary>
internal sealed class MetadataPages
{
    private readonly PagePool _pool;
    private readonly TableAccess _access;
    private int[] _metadataOf; // table page -> its metadata page, 0 for none (page 0 is never one)
    private int[] _used;       // table page -> non-invalid slots in its metadata page; both grow with the pool

    public MetadataPages(PagePool pool, TableAccess access)
    {
        _pool = pool;
        _access = access;
        _metadataOf = new int[pool.PageSlots];
        _used = new int[pool.PageSlots];
    }

    /// <summary>Where metadata probes go; null when nobody is measuring.</summary>
    public CoverageMap? Coverage { get; set; }

    /// <summary>The metadata page of <paramref name="tablePage"/>, or 0.</summary>
    public int PageOf(int tablePage) => (uint)tablePage < (uint)_metadataOf.Length ? _metadataOf[tablePage] : 0;

    /// <summary>Non-invalid slots the page's metadata page claims to hold.</summary>
    public int UsedSlots(int tablePage) => (uint)tablePage < (uint)_used.Length ? _used[tablePage] : 0;

    /// <summary>The slot's type; invalid when the page has no metadata page.</summary>
    public P2MType Get(int tablePage, int index)
    {
        int meta = PageOf(tablePage);
        if (meta == 0) return P2MType.Invalid;
        MappedPage slots = _access.Map(meta);
        var type = (P2MType)_access.Slot(slots, index);
        _access.Unmap(slots);
        return type;
    }

    /// <summary>
    /// Sets the slot. A type from 4 up may take the page's metadata page from
    /// <paramref name="reservation"/>; a PTE-stored type or invalid clears the slot and may free the page.
    /// </summary>
    public void Set(int tablePage, int index, P2MType type, PageReservation reservation)
    {
        int meta = PageOf(tablePage);
        bool stored = type > P2MType.ExtStorage;
        if (!stored && meta == 0) return;
        if (meta == 0)
        {
            if (tablePage >= _metadataOf.Length)
            {
                Array.Resize(ref _metadataOf, _pool.PageSlots);
                Array.Resize(ref _used, _pool.PageSlots);
            }
            meta = reservation.Take();
            _pool.EnsureSlots();
            _metadataOf[tablePage] = meta;
            Coverage?.Hit(Probe.MetadataPageAllocated, tablePage <= Contract.Geometry.RootPages ? 0 : 1);
        }
        MappedPage slots = _access.Map(meta);
        ref byte slot = ref _access.Slot(slots, index);
        byte newValue = stored ? (byte)type : (byte)0;
        if (slot == 0 && newValue != 0)
        {
            _used[tablePage]++;
            Coverage?.Hit(Probe.MetadataSlotSet);
        }
        else if (slot != 0 && newValue == 0)
        {
            _used[tablePage]--;
            Coverage?.Hit(Probe.MetadataSlotCleared);
        }
        else if (slot != newValue)
        {
            Coverage?.Hit(Probe.MetadataSlotChanged);
        }
        slot = newValue;
        _access.Unmap(slots);
        if (_used[tablePage] == 0)
        {
            Coverage?.Hit(Probe.MetadataPageFreed, 0);
            FreeWith(tablePage);
        }
    }

    /// <summary>
    /// Gives a table page that has no metadata page yet one with every slot set to
    /// <paramref name="type"/> (a superpage of that type split into E children), in one fill.
    /// </summary>
    public void FillNew(int tablePage, P2MType type, PageReservation reservation)
    {
        if (tablePage >= _metadataOf.Length)
        {
            Array.Resize(ref _metadataOf, _pool.PageSlots);
            Array.Resize(ref _used, _pool.PageSlots);
        }
        int meta = reservation.Take();
        _pool.EnsureSlots();
        _metadataOf[tablePage] = meta;
        MappedPage slots = _access.Map(meta);
        Span<byte> entries = _access.Slots(slots);
        entries.Fill((byte)type);
        _access.Unmap(slots);
        _used[tablePage] = entries.Length;
        Coverage?.Hit(Probe.MetadataPageAllocated, 1);
    }

    /// <summary>No table page owns a metadata page (the pool is reset with it).</summary>
    public void Reset()
    {
        Array.Clear(_metadataOf);
        Array.Clear(_used);
    }

    /// <summary>Frees the table page's metadata page, if any (the table page is going away or its count hit 0).</summary>
    public void FreeWith(int tablePage)
    {
        int meta = PageOf(tablePage);
        if (meta == 0) return;
        // A count of 0 means every slot is invalid (0) already: nothing to clear. The page's own
        // entries are never written: slots live apart.
        if (_used[tablePage] != 0) _access.RawSlotsToClear(meta).Clear();
        _pool.Free(meta, alreadyZero: true);
        _metadataOf[tablePage] = 0;
        _used[tablePage] = 0;
    }
}
