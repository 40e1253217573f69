using System.Runtime.CompilerServices;
using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

/// <summary>
/// The fast P2M engine: three levels of packed 64-bit PTEs in a page pool, a 4-page root,
/// 4K/2M/1G leaves, superpage splitting, types beyond the PTE's 2 bits in lazily allocated
/// metadata pages, identity ranges sharing one static leaf table, foreign references and grant
/// frames in page_info. Operations are cut into chunks (p2m_mapping_order); each chunk counts the
/// pages it needs, reserves them all, and only then writes, so a failed allocation changes nothing.
/// This file holds construction, argument checks and the operation loop; the mechanisms live in
/// the other <c>EngineP2M.*.cs</c> files.
/// The few <c>private protected virtual</c> methods are each mechanism's critical step (flush,
/// break, split, release, un-share, teardown; the mapcache's map and unmap): the tests derive
/// doubles that plant each mechanism's typical bug there and check that the runner reports it at
/// the right step and field. None of them sits on the walk itself.
/// </summary>
public partial class EngineP2M : IP2M, IP2MSelfCheck, ICoverageSource, IResettable
{
    /// <summary>Returned by a chunk plan when the chunk has nothing to change.</summary>
    private const int NothingToDo = -1;
    private const int RootLevel = Geometry.Levels - 1;
    /// <summary>Mapcache slots: few, so that probing and reuse happen within a handful of operations.</summary>
    private protected const int MapcacheSlots = 8;
    /// <summary>Every entry of the shared identity table.</summary>
    private static readonly ulong IdentityLeaf = Pte.Leaf(0, P2MType.MmioDirectIo, identity: true);

    private readonly Geometry _geometry;
    private readonly int _b;      // entry bits
    private readonly int _e;      // entries per page
    private readonly ulong _mask; // E - 1
    private readonly PagePool _pool;
    private readonly TableAccess _access;
    private readonly MetadataPages _metadata;
    private readonly PageReservation _reservation;
    private readonly PageInfo _pageInfo;
    private readonly SoftTlb _tlb = new(16);
    private readonly BreakBeforeMake _bbm = new();
    private readonly WriteJournal _journal = new();
    private InvariantViolation? _breach;        // first BBM/TLB breach since the last audit
    private CoverageMap? _coverage;
    private OpKind _running;                    // the operation being applied, for probes that name it
    private ulong _flushLo = ulong.MaxValue;    // in-place changes not flushed yet: [lo, hi)
    private ulong _flushHi;

    /// <summary>Builds an empty P2M: the root's 4 pages and the shared identity table.</summary>
    public EngineP2M(P2MConfig config) : this(config, new Mapcache(MapcacheSlots))
    {
    }

    /// <summary>An engine whose pages are reached through <paramref name="mapcache"/> while the directmap is off (for doubles that plant a mapcache bug).</summary>
    private protected EngineP2M(P2MConfig config, Mapcache mapcache)
    {
        if (config.PoolPages < Geometry.RootPages) throw new ArgumentOutOfRangeException(nameof(config), "the pool must hold the 4 root pages");
        _geometry = config.Geometry;
        _b = _geometry.EntryBits;
        _e = _geometry.EntriesPerPage;
        _mask = (ulong)_e - 1;
        _pool = new PagePool(_b, config.PoolPages);
        _access = new TableAccess(_pool, _b, mapcache);
        _metadata = new MetadataPages(_pool, _access);
        _reservation = new PageReservation(_pool);
        _pageInfo = new PageInfo(_geometry);
        // The shared identity table: E identity leaves whose MFN is their GFN (the PPN is unused).
        _pool.Memory.AsSpan(PagePool.IdentityPage << _b, _e).Fill(IdentityLeaf);
    }

    /// <inheritdoc/>
    public string Name => "engine";

    /// <summary>The map the engine's probes fill; null (the default) costs one test per probe.</summary>
    public CoverageMap? Coverage
    {
        get => _coverage;
        set
        {
            _coverage = value;
            _pool.Coverage = value;
            _metadata.Coverage = value;
            _access.Mapcache.Coverage = value;
            _tlb.Coverage = value;
        }
    }

    /// <inheritdoc/>
    public Geometry Geometry => _geometry;

    /// <summary>Pages in use, root included (for tests and benchmarks).</summary>
    public int PoolPagesInUse => _pool.InUse;

    /// <summary>The page pool itself: for tests and planted-bug doubles that corrupt the tables on purpose.</summary>
    internal PagePool Pool => _pool;

    /// <summary>What the last operation wrote, as its write path recorded it (read-only; the next operation starts it afresh).</summary>
    public WriteJournal Journal => _journal;

    /// <inheritdoc/>
    public OpResult Apply(in Op op)
    {
        _running = op.Kind;
        _journal.Begin();
        OpResult result = Dispatch(op);
        if (result.Code == ResultCode.Einval) _coverage?.Hit(Probe.Einval, (int)op.Kind);
        // Like Xen's p2m_write_unlock: whatever changed in place is flushed before returning.
        FlushPendingTlb();
        _breach ??= _bbm.EndOperation();
        return result;
    }

    private OpResult Dispatch(in Op op) => op.Kind switch
    {
        OpKind.Map => Map(op.Gfn.Value, op.Mfn.Value, op.Nr, op.Type),
        OpKind.Unmap => Unmap(op.Gfn.Value, op.Nr),
        OpKind.Retype => Retype(op.Gfn.Value, op.Nr, op.From, op.To),
        OpKind.Identity => Identity(op.Start.Value, op.End.Value),
        OpKind.Foreign => Foreign(op.Gfn.Value, op.Mfn.Value, op.Type),
        OpKind.GrantSetup => GrantSetup(op.Frames),
        OpKind.GrantMap => GrantMap(op.Frame, op.Gfn.Value),
        OpKind.Lookup => Lookup(op.Gfn.Value),
        OpKind.Translate => Translate(op.Gfn.Value),
        OpKind.FailAllocs => FailAllocs(op.Count),
        OpKind.DirectMap => SetDirectMap(op.On),
        OpKind.Teardown => Teardown(),
        _ => OpResult.Of(ResultCode.Einval),
    };

    // ---- argument checks -------------------------------------------------------------------

    private bool RangeFits(ulong gfn, ulong nr) =>
        nr <= _geometry.MaxRangeFrames && gfn < _geometry.GfnLimit && nr <= _geometry.GfnLimit - gfn;

    private bool MfnRangeFits(ulong mfn, ulong nr) => mfn < _geometry.MfnLimit && nr <= _geometry.MfnLimit - mfn;

    /// <summary>True when [mfn, mfn+nr) meets an existing grant frame: those are mapped only by grant-map.</summary>
    private bool MeetsGrantFrames(ulong mfn, ulong nr)
    {
        // No frames created: the window is empty and meets nothing (a range may cross GrantBase).
        if (_pageInfo.GrantFrames == 0) return false;
        ulong first = _geometry.GrantBase.Value, end = first + (ulong)_pageInfo.GrantFrames;
        return mfn < end && mfn + nr > first;
    }

    // ---- operations ------------------------------------------------------------------------

    private OpResult Map(ulong gfn, ulong mfn, ulong nr, P2MType type)
    {
        if (!P2MTypes.IsRequestable(type) || !RangeFits(gfn, nr) || !MfnRangeFits(mfn, nr) || (nr > 0 && MeetsGrantFrames(mfn, nr)))
            return OpResult.Of(ResultCode.Einval);
        ulong done = 0;
        while (done < nr)
        {
            // p2m_mapping_order: the largest order gfn|mfn allow and the remaining count covers.
            int level = Chunking.Level((gfn + done) | (mfn + done), nr - done, _b, RootLevel);
            _coverage?.Hit(Probe.ChunkMap, level);
            var chunk = new ChunkWrite(Pte.Leaf(mfn + done, type, identity: false), gfn + done, advances: true, type);
            if (!WriteRun(gfn, nr, level, chunk, ref done)) return OpResult.Of(ResultCode.Enomem, done);
        }
        return OpResult.Of(ResultCode.Ok, nr);
    }

    private OpResult Unmap(ulong gfn, ulong nr)
    {
        if (!RangeFits(gfn, nr)) return OpResult.Of(ResultCode.Einval);
        ulong done = 0;
        while (done < nr)
        {
            int level = Chunking.Level(gfn + done, nr - done, _b, RootLevel);
            _coverage?.Hit(Probe.ChunkUnmap, level);
            if (!WriteRun(gfn, nr, level, new ChunkWrite(0, gfn + done, advances: false, P2MType.Invalid), ref done))
                return OpResult.Of(ResultCode.Enomem, done);
        }
        return OpResult.Of(ResultCode.Ok, nr);
    }

    /// <summary>
    /// Writes the chunk at <paramref name="done"/> frames into [gfn, gfn + nr) and, for a 4K chunk, the
    /// 4K chunks after it in the same leaf table (they are all 4K: the next larger chunk starts a table).
    /// Advances <paramref name="done"/>; false when a chunk's pages cannot be had.
    /// </summary>
    private bool WriteRun(ulong gfn, ulong nr, int level, in ChunkWrite chunk, ref ulong done)
    {
        ulong at = gfn + done;
        int count = level == 0 ? (int)Math.Min(nr - done, (ulong)_e - (at & _mask)) : 1;
        int written = WriteChunks(at, level, count, chunk);
        done += (ulong)written << (level * _b);
        return written == count;
    }

    private OpResult Retype(ulong gfn, ulong nr, P2MType from, P2MType to)
    {
        if (!P2MTypes.IsRequestable(from) || !P2MTypes.IsRequestable(to) || !RangeFits(gfn, nr))
            return OpResult.Of(ResultCode.Einval);
        // Nothing would change, so nothing is split either.
        if (from == to) return OpResult.Of(ResultCode.Ok, nr);
        ulong done = 0;
        var chunk = new ChunkWrite(from, to);
        while (done < nr)
        {
            int level = Chunking.Level(gfn + done, nr - done, _b, RootLevel);
            _coverage?.Hit(Probe.ChunkRetype, level);
            if (!WriteRun(gfn, nr, level, chunk, ref done)) return OpResult.Of(ResultCode.Enomem, done);
        }
        return OpResult.Of(ResultCode.Ok, nr);
    }

    private OpResult Identity(ulong start, ulong end)
    {
        if (end < start || !RangeFits(start, end - start)) return OpResult.Of(ResultCode.Einval);
        ulong nr = end - start, done = 0;
        while (done < nr)
        {
            // Whole aligned leaf-table blocks link the shared table; edges get private 4K leaves.
            ulong gfn = start + done;
            int level = Chunking.Level(gfn, nr - done, _b, maxLevel: 1);
            _coverage?.Hit(Probe.ChunkIdentity, level);
            var chunk = level == 1
                ? new ChunkWrite(Pte.Table(PagePool.IdentityPage), gfn, advances: false, P2MType.Invalid)
                : new ChunkWrite(Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true), gfn, advances: true, P2MType.MmioDirectIo);
            if (!WriteRun(start, nr, level, chunk, ref done)) return OpResult.Of(ResultCode.Enomem, done);
        }
        return OpResult.Of(ResultCode.Ok, nr);
    }

    private OpResult Foreign(ulong gfn, ulong mfn, P2MType type)
    {
        if (!P2MTypes.IsForeign(type) || !RangeFits(gfn, 1) || !MfnRangeFits(mfn, 1) || MeetsGrantFrames(mfn, 1))
            return OpResult.Of(ResultCode.Einval);
        if (!SetChunk(gfn, Pte.Leaf(mfn, type, identity: false), type))
            return OpResult.Of(ResultCode.Enomem);
        // The entry is in place: take the reference it holds (any reference of the entry it replaced was dropped).
        _pageInfo.Get(mfn);
        _journal.ReferenceChanged(mfn);
        _coverage?.Hit(Probe.ForeignReferenceTaken);
        return OpResult.Of(ResultCode.Ok);
    }

    private OpResult GrantSetup(ulong frames)
    {
        if (frames > (ulong)_geometry.MaxGrantFrames) return OpResult.Of(ResultCode.Einval);
        if ((int)frames > _pageInfo.GrantFrames) _coverage?.Hit(Probe.GrantTableGrown);
        _pageInfo.GrowGrantTable((int)frames);
        return OpResult.Of(ResultCode.Ok);
    }

    private OpResult GrantMap(ulong frame, ulong gfn)
    {
        if (frame >= (ulong)_pageInfo.GrantFrames || !RangeFits(gfn, 1)) return OpResult.Of(ResultCode.Einval);
        // xenmem_add_to_physmap_one: a frame already recorded at a GFN is busy.
        if (_pageInfo.GrantGfn((int)frame).IsValid)
        {
            _coverage?.Hit(Probe.GrantBusy);
            return OpResult.Of(ResultCode.Ebusy);
        }
        ulong mfn = _pageInfo.GrantMfn((int)frame);
        if (!SetChunk(gfn, Pte.Leaf(mfn, P2MType.RamRw, identity: false), P2MType.RamRw))
            return OpResult.Of(ResultCode.Enomem);
        _pageInfo.SetGrantGfn((int)frame, new Gfn(gfn));
        _journal.GrantTouched((int)frame);
        _coverage?.Hit(Probe.GrantMapped);
        return OpResult.Of(ResultCode.Ok);
    }

    /// <summary>Writes the 4K entry of one frame (foreign, grant-map); false, with nothing changed, when its pages cannot be had.</summary>
    private bool SetChunk(ulong gfn, ulong pte, P2MType type) => WriteChunks(gfn, 0, 1, new ChunkWrite(pte, gfn, advances: false, type)) == 1;

    private OpResult Lookup(ulong gfn) =>
        gfn < _geometry.GfnLimit
            ? new OpResult(ResultCode.Ok, 0, Read(new Gfn(gfn)))
            : OpResult.Of(ResultCode.Einval);

    private OpResult SetDirectMap(bool on)
    {
        _access.DirectMap = on;
        return OpResult.Of(ResultCode.Ok);
    }

    private OpResult FailAllocs(ulong n)
    {
        _pool.FailNext = n;
        return OpResult.Of(ResultCode.Ok);
    }

    // ---- addressing ------------------------------------------------------------------------

    /// <summary>map_domain_page: reach a table page (through the mapcache when the directmap is off).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private MappedPage MapTable(int page) => _access.Map(page);

    /// <summary>unmap_domain_page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UnmapTable(MappedPage table) => _access.Unmap(table);

    /// <summary>Maps the child, then drops the parent, as a walk goes down a level (p2m_next_level).</summary>
    private MappedPage Descend(MappedPage parent, int child)
    {
        MappedPage next = MapTable(child);
        UnmapTable(parent);
        return next;
    }

    /// <summary>One entry through its page's mapping. Never held across an allocation: the pool may grow its array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong At(MappedPage table, int index) => ref _access.At(table, index);

    /// <summary>Which of the root's 4 pages holds the level-2 entry of <paramref name="gfn"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RootPageOf(ulong gfn) => PagePool.RootPage + (int)(gfn >> (3 * _b));

    /// <summary>Index of <paramref name="gfn"/>'s entry in its table page at <paramref name="level"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexAt(ulong gfn, int level) => (int)((gfn >> (level * _b)) & _mask);

    /// <summary>First GFN of the <paramref name="level"/>-sized block holding <paramref name="gfn"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong BlockBase(ulong gfn, int level) => gfn & ~((1UL << (level * _b)) - 1);

    /// <summary>The P2M type of a leaf: its 2 bits, or the metadata slot when they hold the marker.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private P2MType TypeOf(int page, int index, ulong pte)
    {
        if (!Pte.IsLeaf(pte)) return P2MType.Invalid;
        int bits = Pte.TypeBits(pte);
        return bits == Pte.Marker ? _metadata.Get(page, index) : (P2MType)bits;
    }
}
