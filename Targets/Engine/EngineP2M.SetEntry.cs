using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// Writing one chunk: the walk from the root to the chunk's level, allocating missing tables,
// splitting superpages and un-sharing identity tables on the way, then replacing the entry.
public partial class EngineP2M
{
    /// <summary>
    /// Writes <paramref name="newPte"/> (0 to remove, a leaf, or the identity-table link) as the entry
    /// of <paramref name="gfn"/> at <paramref name="level"/>. False, with nothing changed, when the
    /// pages it needs cannot all be had.
    /// </summary>
    private bool SetChunk(ulong gfn, int level, ulong newPte, P2MType newType)
    {
        int pages = PlanSetEntry(gfn, level, newPte, newType, out MappedPage? reached);
        if (reached is MappedPage target)
        {
            // The whole path exists and nothing needs allocating (the common case for 4K chunks
            // in a populated table): write where the plan stopped instead of walking again.
            ReplaceEntry(target, IndexAt(gfn, level), level, BlockBase(gfn, level), newPte, newType);
            UnmapTable(target);
            return true;
        }
        if (!Reserve(pages)) return pages == NothingToDo;
        WriteSetEntry(gfn, level, newPte, newType);
        EnsurePlanUsedUp();
        return true;
    }

    /// <summary>Reserves a chunk's pages; false for a chunk with nothing to do or whose pages cannot all be had.</summary>
    private bool Reserve(int pages)
    {
        if (pages == NothingToDo)
        {
            _coverage?.Hit(Probe.ChunkNothingToDo, (int)_running);
            return false;
        }
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
    /// Counts the pages <see cref="WriteSetEntry"/> will take, walking the same path without
    /// changing anything; <see cref="NothingToDo"/> when the chunk would change nothing. When the
    /// path is complete and needs no page, <paramref name="reached"/> is the target's table, still
    /// mapped, for the caller to write and unmap.
    /// </summary>
    private int PlanSetEntry(ulong gfn, int target, ulong newPte, P2MType newType, out MappedPage? reached)
    {
        reached = null;
        bool removing = newPte == 0;
        bool needsSlot = newType > P2MType.ExtStorage;
        _plannedSites = 0;
        MappedPage table = MapTable(RootPageOf(gfn));
        int pages = -2; // not decided on the way down
        for (int level = RootLevel; level > target && pages == -2; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = At(table, index);
            if (!Pte.IsValid(pte))
            {
                // Nothing mapped here: removing is done; mapping needs a table per level below.
                pages = removing ? NothingToDo : (level - target) + PlansSlot(needsSlot);
                Plans(AllocationSite.Table);
            }
            else if (Pte.IsLeaf(pte))
            {
                // A superpage over the chunk: one table per level split, each with a metadata
                // page when the superpage's type lives there; the target page may need one too.
                bool typeInMetadata = Pte.TypeBits(pte) == Pte.Marker;
                pages = (level - target) * (typeInMetadata ? 2 : 1) + PlansSlot(needsSlot && !typeInMetadata);
                Plans(AllocationSite.Split);
                if (typeInMetadata) Plans(AllocationSite.Metadata);
            }
            else if (Pte.Page(pte) == PagePool.IdentityPage && UnsharesIdentityTables)
            {
                // Writing an identity frame over the shared table changes nothing; anything else
                // first needs a private copy of the table (only level 1 links it, so target is 0).
                bool alreadyShared = newPte == Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true);
                if (alreadyShared) _coverage?.Hit(Probe.IdentityAlreadyShared);
                pages = alreadyShared ? NothingToDo : 1 + PlansSlot(needsSlot);
                Plans(AllocationSite.IdentityCopy);
            }
            else
            {
                table = Descend(table, FollowLink(table.Page, index, level, pte));
            }
        }
        if (pages == -2)
        {
            pages = PlansSlot(needsSlot && _metadata.PageOf(table.Page) == 0);
            if (pages == 0)
            {
                reached = table;
                return 0;
            }
        }
        UnmapTable(table);
        return pages;
    }

    /// <summary>Performs what <see cref="PlanSetEntry"/> counted, taking pages from the reservation.</summary>
    private void WriteSetEntry(ulong gfn, int target, ulong newPte, P2MType newType)
    {
        MappedPage table = MapTable(RootPageOf(gfn));
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = At(table, index);
            int next;
            if (!Pte.IsValid(pte))
            {
                if (newPte == 0)
                {
                    UnmapTable(table);
                    return;
                }
                // An empty slot: link a fresh table. Invalid to valid needs no break-before-make.
                next = _reservation.Take();
                WriteEntry(table, index, Pte.Table(next), BlockBase(gfn, level), level);
                _coverage?.Hit(Probe.TableLinked, level);
            }
            else if (Pte.IsLeaf(pte))
            {
                next = SplitSuperpage(table, index, level, BlockBase(gfn, level));
            }
            else
            {
                next = FollowLink(table.Page, index, level, pte);
                if (next == PagePool.IdentityPage && UnsharesIdentityTables)
                {
                    if (newPte == Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true))
                    {
                        UnmapTable(table);
                        return;
                    }
                    next = CopyIdentityTable(table, index, BlockBase(gfn, level));
                }
            }
            table = Descend(table, next);
        }
        ReplaceEntry(table, IndexAt(gfn, target), target, BlockBase(gfn, target), newPte, newType);
        UnmapTable(table);
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

        if (Pte.IsTable(old))
        {
            // Table to leaf (or to nothing): unlink and flush first, then free what hung below.
            _coverage?.Hit(Probe.TableReplaced, level);
            // A broken link is reported before anything changes, never followed.
            int child = FollowLink(table.Page, index, level, old);
            BreakEntry(table, index, gfnBase, level);
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
                BreakEntry(table, index, gfnBase, level);
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
