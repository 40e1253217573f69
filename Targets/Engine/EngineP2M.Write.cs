using System.Runtime.CompilerServices;
using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// The one write path: every write to a reachable entry, the break of break-before-make, and the
// range cursor that takes each chunk of an operation from the root to its entry. A chunk's plan
// (counting the pages to reserve) and its write are the same visitor run twice over the cursor: the
// plan walks the tables that exist and imagines the ones the write would make, so the two cannot
// decide differently. The 4K chunks of one leaf table share one walk.
public partial class EngineP2M
{
    /// <summary>Writes a reachable entry; the break-before-make watcher and the journal see every such write (the journal with the caller's statement).</summary>
    private void WriteEntry(MappedPage table, int index, ulong pte, ulong gfnBase, int level,
        [CallerMemberName] string method = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        // A write into the shared identity table is a bug the audit reports (identity.shared-table).
        ref ulong entry = ref At(table, index);
        _bbm.OnWrite(table.Page, index, entry, pte, gfnBase, level * _b);
        _journal.Dirty(table.Page, level);
        _journal.Wrote(gfnBase, level * _b, method, file, line);
        entry = pte;
    }

    /// <summary>
    /// The "break" of break-before-make: the entry goes invalid. When another entry is made in its place
    /// (<paramref name="remade"/>) what it covered is flushed at once; a removal is flushed with the rest
    /// of the operation's, once, before the operation returns.
    /// </summary>
    private protected virtual void BreakEntry(MappedPage table, int index, ulong gfnBase, int level, bool remade)
    {
        WriteEntry(table, index, 0, gfnBase, level);
        _coverage?.Hit(Probe.BreakBeforeMake, level);
        if (remade) FlushTlb(gfnBase, level * _b);
        else FlushLater(gfnBase, level);
    }

    /// <summary>What one operation writes into each of its chunks: an entry (map, unmap, identity, foreign, grant-map) or new types (retype).</summary>
    private readonly struct ChunkWrite
    {
        private readonly ulong _pte;     // the entry of the chunk at _gfn: 0 to remove, a leaf, or the identity link
        private readonly ulong _gfn;
        private readonly bool _advances; // each next frame's leaf maps the next MFN

        /// <summary>Sets the entry of each chunk: <paramref name="pte"/> for the chunk at <paramref name="gfn"/>.</summary>
        public ChunkWrite(ulong pte, ulong gfn, bool advances, P2MType type)
        {
            (_pte, _gfn, _advances, Type) = (pte, gfn, advances, type);
        }

        /// <summary>Retypes the leaves of type <paramref name="from"/> in each chunk.</summary>
        public ChunkWrite(P2MType from, P2MType to)
        {
            (IsRetype, From, Type) = (true, from, to);
        }

        /// <summary>The type written: the entry's, or retype's <c>to</c>.</summary>
        public P2MType Type { get; }
        public bool IsRetype { get; }
        public P2MType From { get; }

        /// <summary>The entry the chunk at <paramref name="gfn"/> gets.</summary>
        public ulong PteAt(ulong gfn) => _advances ? _pte + ((gfn - _gfn) << Pte.PpnShift) : _pte;

        public bool Removes => !IsRetype && _pte == 0;

        /// <summary>The type written lives in a metadata slot.</summary>
        public bool NeedsSlot => Type > P2MType.ExtStorage;
    }

    /// <summary>What the walk to a chunk does at one level above the chunk's.</summary>
    private enum PathStep { Descend, LinkTable, Split, CopyIdentity, Stop }

    /// <summary>
    /// Where a chunk's walk stands: a real table page, or (planning only) the table the write would
    /// make there, every entry of which is <see cref="Entry"/> of <see cref="Type"/>: empty for a new
    /// table, the superpage's leaf for a split, an identity leaf for an identity copy.
    /// </summary>
    private struct PathCursor
    {
        public MappedPage Table;
        public bool Imagined;
        public ulong Entry;
        public P2MType Type;
        public bool HasMetadata;

        public readonly ulong EntryAt(EngineP2M engine, int index) => Imagined ? Entry : engine.At(Table, index);

        public readonly P2MType TypeAt(EngineP2M engine, int index, ulong pte) =>
            Imagined ? (Pte.IsLeaf(pte) ? Type : P2MType.Invalid) : engine.TypeOf(Table.Page, index, pte);

        public readonly bool HasMetadataPage(EngineP2M engine) => Imagined ? HasMetadata : engine._metadata.PageOf(Table.Page) != 0;

        /// <summary>Maps the child, then drops the page the walk was in, as a walk goes down a level (p2m_next_level).</summary>
        public void Enter(EngineP2M engine, int page)
        {
            MappedPage next = engine.MapTable(page);
            Leave(engine);
            (Table, Imagined) = (next, false);
        }

        /// <summary>Goes on in a table the write would make.</summary>
        public void Imagine(EngineP2M engine, ulong entry, P2MType type, bool hasMetadata)
        {
            Leave(engine);
            (Imagined, Entry, Type, HasMetadata) = (true, entry, type, hasMetadata);
        }

        /// <summary>Drops the page the walk is in; nothing stays mapped.</summary>
        public void Leave(EngineP2M engine)
        {
            if (!Imagined) engine.UnmapTable(Table);
            Imagined = true;
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> consecutive chunks at <paramref name="level"/> from
    /// <paramref name="gfn"/> (more than one only for 4K chunks of one leaf table): one walk to their
    /// table, then each chunk's entry, each chunk reserving what it needs before it changes anything.
    /// Returns the chunks done: fewer than <paramref name="count"/> when the next one's pages cannot all
    /// be had, and that chunk changed nothing.
    /// </summary>
    private int WriteChunks(ulong gfn, int level, int count, in ChunkWrite chunk)
    {
        _plannedSites = 0;
        if (chunk.IsRetype)
        {
            // Coverage only: which sites a retype's plan may count (a subtree may hold both kinds).
            if (chunk.NeedsSlot) Plans(AllocationSite.Metadata);
            if (chunk.From == P2MType.MmioDirectIo) Plans(AllocationSite.IdentityCopy);
        }
        int pathPages = 0;
        var at = new PathCursor();
        if (!WalkPath(ref at, gfn, level, chunk, write: false, ref pathPages))
        {
            _coverage?.Hit(Probe.ChunkNothingToDo, (int)_running);
            return count;
        }
        for (int k = 0; k < count; k++)
        {
            ulong chunkGfn = gfn + (ulong)k; // count > 1 only at level 0
            int pages = VisitEntry(ref at, chunkGfn, level, chunk, write: false);
            if (pages == NothingToDo)
            {
                _coverage?.Hit(Probe.ChunkNothingToDo, (int)_running);
                continue;
            }
            pages += k == 0 ? pathPages : 0;
            if (pages > 0 && !Reserve(pages))
            {
                at.Leave(this);
                return k;
            }
            // Only the first chunk can find the path incomplete: write it, taking the pages reserved.
            if (at.Imagined && !WalkPath(ref at, gfn, level, chunk, write: true, ref pathPages))
            {
                EnsurePlanUsedUp();
                return count;
            }
            VisitEntry(ref at, chunkGfn, level, chunk, write: true);
            EnsurePlanUsedUp();
        }
        at.Leave(this);
        return count;
    }

    /// <summary>
    /// Takes the cursor from the root to the table holding the chunk's entry at <paramref name="target"/>.
    /// Planning, it counts into <paramref name="pages"/> what the write will take; writing, it takes them.
    /// False (nothing left mapped) when the chunk has nothing to do.
    /// </summary>
    private bool WalkPath(ref PathCursor at, ulong gfn, int target, in ChunkWrite chunk, bool write, ref int pages)
    {
        at = new PathCursor { Table = MapTable(RootPageOf(gfn)) };
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = at.EntryAt(this, index);
            // A broken link is reported before anything changes, never followed.
            int child = !at.Imagined && Pte.IsTable(pte) ? FollowLink(at.Table.Page, index, level, pte) : -1;
            ulong blockGfn = BlockBase(gfn, level);
            switch (PathStepOf(at, index, pte, child, chunk, gfn, write))
            {
                case PathStep.Stop:
                    at.Leave(this);
                    return false;
                case PathStep.Descend:
                    at.Enter(this, child);
                    break;
                case PathStep.LinkTable:
                    Plans(AllocationSite.Table);
                    if (write) at.Enter(this, LinkTable(at.Table, index, level, blockGfn));
                    else
                    {
                        pages++;
                        at.Imagine(this, 0, P2MType.Invalid, hasMetadata: false);
                    }
                    break;
                case PathStep.Split:
                    // One table per level split, with a metadata page when the superpage's type lives there.
                    P2MType type = at.TypeAt(this, index, pte);
                    bool typeInMetadata = Pte.TypeBits(pte) == Pte.Marker;
                    Plans(AllocationSite.Split);
                    if (typeInMetadata) Plans(AllocationSite.Metadata);
                    if (write) at.Enter(this, SplitSuperpage(at.Table, index, level, blockGfn));
                    else
                    {
                        pages += typeInMetadata ? 2 : 1;
                        at.Imagine(this, Pte.Leaf(0, type, identity: false), type, typeInMetadata);
                    }
                    break;
                case PathStep.CopyIdentity:
                    Plans(AllocationSite.IdentityCopy);
                    if (write) at.Enter(this, CopyIdentityTable(at.Table, index, blockGfn));
                    else
                    {
                        pages++;
                        at.Imagine(this, IdentityLeaf, P2MType.MmioDirectIo, hasMetadata: false);
                    }
                    break;
            }
        }
        return true;
    }

    /// <summary>The one decision at each level above a chunk's: what the entry there needs for the walk to go on.</summary>
    private PathStep PathStepOf(in PathCursor at, int index, ulong pte, int child, in ChunkWrite chunk, ulong gfn, bool write)
    {
        // Nothing mapped here: removing or retyping is done; mapping needs a table per level below.
        if (!Pte.IsValid(pte)) return chunk.IsRetype || chunk.Removes ? PathStep.Stop : PathStep.LinkTable;
        if (Pte.IsLeaf(pte))
        {
            // A superpage over the chunk is split; retype splits only one of type `from`, keeping any other whole.
            if (!chunk.IsRetype || at.TypeAt(this, index, pte) == chunk.From) return PathStep.Split;
            if (!write) _coverage?.Hit(Probe.RetypeOtherTypeKept);
            return PathStep.Stop;
        }
        if (child != PagePool.IdentityPage || !UnsharesIdentityTables) return PathStep.Descend;
        return IdentityStep(chunk, gfn, write);
    }

    /// <summary>
    /// A chunk under the shared identity table: writing an identity frame over it, or retyping anything
    /// but identity frames, changes nothing; anything else first needs a private copy of the table.
    /// </summary>
    private PathStep IdentityStep(in ChunkWrite chunk, ulong gfn, bool write)
    {
        bool unchanged = chunk.IsRetype ? chunk.From != P2MType.MmioDirectIo : chunk.PteAt(gfn) == Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true);
        if (!unchanged) return PathStep.CopyIdentity;
        if (!write && !chunk.IsRetype) _coverage?.Hit(Probe.IdentityAlreadyShared);
        return PathStep.Stop;
    }

    /// <summary>Pages a private identity copy takes: the copy, and its metadata page when every frame gets a slot type.</summary>
    private static int IdentityCopyPages(bool slotType) => 1 + (slotType ? 1 : 0);

    /// <summary>
    /// The chunk's own entry, where the cursor stands: planning, the pages it needs (or
    /// <see cref="NothingToDo"/>); writing, the change.
    /// </summary>
    private int VisitEntry(ref PathCursor at, ulong gfn, int level, in ChunkWrite chunk, bool write)
    {
        if (chunk.IsRetype) return RetypeEntry(ref at, gfn, level, chunk, write);
        if (!write) return PlansSlot(chunk.NeedsSlot && !at.HasMetadataPage(this));
        ReplaceEntry(at.Table, IndexAt(gfn, level), level, gfn, chunk.PteAt(gfn), chunk.Type);
        return 0;
    }

    /// <summary>An empty slot gets a fresh table from the reservation. Invalid to valid needs no break-before-make.</summary>
    private int LinkTable(MappedPage table, int index, int level, ulong gfnBase)
    {
        int page = _reservation.Take();
        WriteEntry(table, index, Pte.Table(page), gfnBase, level);
        _coverage?.Hit(Probe.TableLinked, level);
        return page;
    }

    /// <summary>Reserves a chunk's pages; false when they cannot all be had.</summary>
    private bool Reserve(int pages)
    {
        _coverage?.Hit(Probe.ReservationSize, Math.Min(pages, 7));
        if (_reservation.TryReserve(pages)) return true;
        if (_coverage is not null)
        {
            _coverage.Hit(Probe.ReservationFailed, (int)_running);
            for (int site = 0; site < 4; site++)
                if ((_plannedSites & (1 << site)) != 0) _coverage.Hit(Probe.AllocationSiteFailed, site);
        }
        return false;
    }

    // What the last plan's pages were for, as bits of AllocationSite: probes of the failure path per site.
    private int _plannedSites;

    /// <summary>The allocation sites a chunk's plan can count pages for.</summary>
    private enum AllocationSite { Table = 0, Split = 1, Metadata = 2, IdentityCopy = 3 }

    private void Plans(AllocationSite site) => _plannedSites |= 1 << (int)site;

    /// <summary>One metadata page when <paramref name="needed"/>, recorded as planned.</summary>
    private int PlansSlot(bool needed)
    {
        if (!needed) return 0;
        Plans(AllocationSite.Metadata);
        return 1;
    }

    /// <summary>A plan that reserved more than the write took is as much a bug as one that took too few.</summary>
    private void EnsurePlanUsedUp()
    {
        if (_reservation.Count == 0) return;
        _reservation.Release();
        throw new InvalidOperationException("reservation: chunk planned more pages than it used");
    }

    /// <summary>
    /// Replaces one entry in place: frees a table it pointed at, releases what an old leaf held
    /// (foreign reference, grant GFN), keeps the metadata slot in step, then writes the new PTE.
    /// </summary>
    private void ReplaceEntry(MappedPage table, int index, int level, ulong gfnBase, ulong newPte, P2MType newType)
    {
        ulong old = At(table, index);
        P2MType oldType = TypeOf(table.Page, index, old);
        // Same PTE and same type: nothing to do. A foreign entry is the exception: replacing it,
        // even by itself, drops its reference (the caller takes the new one).
        if (old == newPte && oldType == newType && !P2MTypes.IsForeign(oldType)) return;

        bool remade = newPte != 0;
        if (Pte.IsTable(old))
        {
            // Table to leaf (or to nothing): unlink and flush first, then free what hung below.
            _coverage?.Hit(Probe.TableReplaced, level);
            // A broken link is reported before anything changes, never followed.
            int child = FollowLink(table.Page, index, level, old);
            BreakEntry(table, index, gfnBase, level, remade);
            if (child != PagePool.IdentityPage) FreeSubtree(child, level - 1, gfnBase);
        }
        bool inPlace = false;
        if (Pte.IsLeaf(old))
        {
            bool sameOutput = Pte.IsLeaf(newPte) && (old & (Pte.PpnMask | Pte.IdentityBit)) == (newPte & (Pte.PpnMask | Pte.IdentityBit));
            if (!sameOutput)
            {
                // Another output address (or none): break the old entry, then release what it held.
                _coverage?.Hit(Probe.LeafReplaced, level);
                BreakEntry(table, index, gfnBase, level, remade);
                ReleaseLeaf(old, oldType, level, gfnBase, mfnChanged: true);
            }
            else
            {
                inPlace = true;
                _coverage?.Hit(Probe.LeafUpdatedInPlace, level);
                if (P2MTypes.IsForeign(oldType)) ReleaseLeaf(old, oldType, level, gfnBase, mfnChanged: false);
            }
        }
        // The slot follows the new type: set for types from 4 up, cleared (maybe freeing the page) otherwise.
        _metadata.Set(table.Page, index, Pte.IsLeaf(newPte) ? newType : P2MType.Invalid, _reservation);
        WriteEntry(table, index, newPte, gfnBase, level);
        if (Pte.IsTable(newPte)) _coverage?.Hit(Probe.IdentityShared);
        // Same output address, new type or permissions: no break needed, but a flush before returning.
        if (inPlace) FlushLater(gfnBase, level);
    }
}
