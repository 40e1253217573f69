using P2M.Coverage;

namespace P2M.Engine;

/// <summary>
/// The pages every table and metadata page comes from: one flat <c>ulong[]</c> of E-entry pages,
/// a free list, and a capacity counted in pages with the root included (as Xen's P2M pool).
/// Page 0 is the shared identity table, the engine's own static page outside the capacity;
/// pages 1-4 are the root. Backing memory grows on demand so a big capacity costs nothing unused.
/// </summary>
internal sealed class PagePool
{
    /// <summary>The static shared identity leaf table.</summary>
    public const int IdentityPage = 0;
    /// <summary>First of the root's 4 contiguous pages.</summary>
    public const int RootPage = 1;

    private readonly int _entryBits;
    private ulong[] _memory;
    private byte[] _slots = [];
    private bool[] _allocated;
    private int[] _free;
    private int _freeCount;
    private int _nextNew; // next never-used page number

    public PagePool(int entryBits, int capacity)
    {
        _entryBits = entryBits;
        Capacity = capacity;
        // Start with the identity page, the root and a little room: a fuzz input builds a fresh
        // engine every execution, and zeroing a full-capacity pool was most of that cost.
        int initialPages = Math.Min(capacity + 1, InitialPages);
        _memory = new ulong[initialPages << entryBits];
        _allocated = new bool[initialPages];
        _free = new int[initialPages];
        _nextNew = RootPage + Contract.Geometry.RootPages;
        for (int p = RootPage; p < _nextNew; p++) _allocated[p] = true;
        InUse = Contract.Geometry.RootPages;
    }

    private const int InitialPages = 8;

    /// <summary>Page numbers the backing store holds now (it grows towards Capacity + 1).</summary>
    public int PageSlots => _allocated.Length;

    /// <summary>Pages that may be in use at once, root included.</summary>
    public int Capacity { get; }

    /// <summary>Pages in use now, root included.</summary>
    public int InUse { get; private set; }

    /// <summary>Where failure probes go; null when nobody is measuring.</summary>
    public CoverageMap? Coverage { get; set; }

    /// <summary>Allocations still to fail on purpose (<c>fail-allocs</c>).</summary>
    public ulong FailNext { get; set; }

    /// <summary>The whole backing store; page p's entries are at [p &lt;&lt; b, (p+1) &lt;&lt; b).</summary>
    public ulong[] Memory => _memory;

    /// <summary>
    /// The one-byte slots of every page used as a metadata page: slot i of page p at (p &lt;&lt; b) + i.
    /// Empty until the first metadata page (<see cref="EnsureSlots"/>), then grown with the pool.
    /// </summary>
    public byte[] Slots => _slots;

    /// <summary>Backs every page number with slots, before a page first becomes a metadata page.</summary>
    public void EnsureSlots()
    {
        if (_slots.Length == 0) _slots = new byte[_allocated.Length << _entryBits];
    }

    /// <summary>True for a page handed out and not freed (root pages included).</summary>
    public bool IsAllocated(int page) => (uint)page < (uint)_allocated.Length && _allocated[page];

    /// <summary><see cref="IsAllocated(int)"/> for a page number read from an entry, which may be any PPN.</summary>
    public bool IsAllocated(ulong page)
    {
        bool[] allocated = _allocated;
        return page < (ulong)allocated.Length && allocated[(int)page];
    }

    /// <summary>A zeroed page, or -1 when an injected failure is due or the pool is full.</summary>
    public int Allocate()
    {
        if (FailNext > 0)
        {
            FailNext--;
            Coverage?.Hit(Probe.AllocationInjectedFailure);
            return -1;
        }
        if (InUse >= Capacity)
        {
            Coverage?.Hit(Probe.AllocationPoolFull);
            return -1;
        }
        int page = _freeCount > 0 ? _free[--_freeCount] : _nextNew++;
        if (page >= _allocated.Length) Grow(page + 1);
        _allocated[page] = true;
        InUse++;
        return page;
    }

    /// <summary>Back to the state it was built in (only the root in use, nothing failing), keeping the backing store.</summary>
    public void Reset()
    {
        Array.Clear(_memory, 0, Math.Min(_nextNew, _allocated.Length) << _entryBits);
        Array.Clear(_slots);
        Array.Clear(_allocated);
        _nextNew = RootPage + Contract.Geometry.RootPages;
        for (int p = RootPage; p < _nextNew; p++) _allocated[p] = true;
        _freeCount = 0;
        InUse = Contract.Geometry.RootPages;
        FailNext = 0;
    }

    /// <summary>Backing store past which it grows by sixteenths rather than doubling: 1 MiB of entries.</summary>
    private const int DoublingLimit = 1 << 17;

    /// <summary>
    /// Grows the backing store (never past the capacity) so that <paramref name="pages"/> page numbers fit:
    /// doubling while small, then by a sixteenth, so a large P2M holds at most about 6% more than it uses.
    /// </summary>
    private void Grow(int pages)
    {
        int step = _memory.Length < DoublingLimit ? _allocated.Length : Math.Max(8, _allocated.Length / 16);
        int slots = Math.Min(Math.Max(pages, _allocated.Length + step), Capacity + 1);
        Array.Resize(ref _memory, slots << _entryBits);
        if (_slots.Length != 0) Array.Resize(ref _slots, slots << _entryBits);
        Array.Resize(ref _allocated, slots);
        Array.Resize(ref _free, slots);
    }

    /// <summary>
    /// Returns a page. Pages are handed out zeroed, so a page still holding anything is zeroed here;
    /// callers that emptied it already say so and save the 4 KiB clear (most frees, measured).
    /// </summary>
    public void Free(int page, bool alreadyZero = false)
    {
        if (page <= RootPage + Contract.Geometry.RootPages - 1 || !IsAllocated(page))
            throw new InvalidOperationException($"pool: free of page {page} that is not an allocated table or metadata page");
        if (!alreadyZero) Array.Clear(_memory, page << _entryBits, 1 << _entryBits);
        _allocated[page] = false;
        _free[_freeCount++] = page;
        InUse--;
    }
}
