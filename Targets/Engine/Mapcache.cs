using P2M.Coverage;

namespace P2M.Engine;

/// <summary>
/// Arm32's domheap mapcache as <c>map_domain_page</c> runs it: a few slots, each mapping one page
/// with a reference count of at most 15 kept in the slot (the PTE's avail bits in Xen). Mapping a
/// page hashes it to a slot and probes linearly: a slot already mapping that page with room is
/// reused, the first slot with no reference is commandeered (it may still map an old page: that
/// stale mapping is simply replaced). Running out of slots is Xen's BUG(), here an exception.
/// Map and unmap are the mechanism's critical steps, where doubles plant its bugs.
/// </summary>
internal class Mapcache
{
    /// <summary>References one slot can hold (4 avail bits, 0xf).</summary>
    public const int MaxReferences = 15;

    private readonly int[] _page;       // page a slot maps, -1 never used
    private readonly byte[] _references;

    public Mapcache(int slots)
    {
        _page = new int[slots];
        _references = new byte[slots];
        Array.Fill(_page, -1);
    }

    /// <summary>Where mapcache probes go; null when nobody is measuring.</summary>
    public CoverageMap? Coverage { get; set; }

    /// <summary>Slots in the cache.</summary>
    public int Slots => _page.Length;

    /// <summary>The page slot <paramref name="slot"/> maps now: what an access through it reaches.</summary>
    public int PageIn(int slot) => _page[slot];

    /// <summary>References the slot holds.</summary>
    public int References(int slot) => _references[slot];

    /// <summary>Maps <paramref name="page"/>; returns the slot to access it through.</summary>
    public virtual int Map(int page)
    {
        int slot = (int)((uint)page % (uint)_page.Length);
        for (int i = 0; i < _page.Length; i++)
        {
            if (_page[slot] == page && _references[slot] < MaxReferences)
            {
                // Already mapped (maybe with no reference left): take another.
                _references[slot]++;
                Coverage?.Hit(i > 0 ? Probe.MapcacheCollision : Probe.MapcacheReuse);
                return slot;
            }
            if (_references[slot] == 0)
            {
                // Commandeer: point the slot at the page (Xen rewrites the slot's PTE and flushes it).
                _page[slot] = page;
                _references[slot] = 1;
                Coverage?.Hit(i > 0 ? Probe.MapcacheCollision : Probe.MapcacheCommandeer);
                return slot;
            }
            if (_page[slot] == page) Coverage?.Hit(Probe.MapcacheSlotFull);
            slot = (slot + 1) % _page.Length;
        }
        throw new InvalidOperationException($"mapcache: no free slot for page {page} ({_page.Length} slots all referenced)");
    }

    /// <summary>Drops one reference (unmap_domain_page). The mapping itself stays until commandeered.</summary>
    public virtual void Unmap(int slot)
    {
        if (_references[slot] == 0)
            throw new InvalidOperationException($"mapcache: unmap of slot {slot} that holds no reference");
        _references[slot]--;
    }

    /// <summary>Every slot unused, as built.</summary>
    public void Reset()
    {
        Array.Fill(_page, -1);
        Array.Clear(_references);
    }

    /// <summary>First slot still holding a reference, or -1: after an operation there must be none.</summary>
    public int FirstReferencedSlot()
    {
        for (int s = 0; s < _references.Length; s++)
            if (_references[s] != 0) return s;
        return -1;
    }
}
