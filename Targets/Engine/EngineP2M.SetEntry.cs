using P2M.Contract;

namespace P2M.Engine;

// Writing one chunk: the walk from the root to the chunk's level, allocating missing tables,
// splitting superpages and un-sharing identity tables on the way, then replacing the entry.
public sealed partial class EngineP2M
{
    /// <summary>
    /// Writes <paramref name="newPte"/> (0 to remove, a leaf, or the identity-table link) as the entry
    /// of <paramref name="gfn"/> at <paramref name="level"/>. False, with nothing changed, when the
    /// pages it needs cannot all be had.
    /// </summary>
    private bool SetChunk(ulong gfn, int level, ulong newPte, P2MType newType)
    {
        int pages = PlanSetEntry(gfn, level, newPte, newType);
        if (pages == NothingToDo) return true;
        if (!_reservation.TryReserve(pages)) return false;
        WriteSetEntry(gfn, level, newPte, newType);
        EnsurePlanUsedUp();
        return true;
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
    /// changing anything; <see cref="NothingToDo"/> when the chunk would change nothing.
    /// </summary>
    private int PlanSetEntry(ulong gfn, int target, ulong newPte, P2MType newType)
    {
        bool removing = newPte == 0;
        bool needsSlot = newType > P2MType.ExtStorage;
        int page = RootPageOf(gfn);
        for (int level = RootLevel; level > target; level--)
        {
            ulong pte = Entry(page, IndexAt(gfn, level));
            if (!Pte.IsValid(pte))
            {
                // Nothing mapped here: removing is done; mapping needs a table per level below.
                if (removing) return NothingToDo;
                return (level - target) + (needsSlot ? 1 : 0);
            }
            if (Pte.IsLeaf(pte))
            {
                // A superpage over the chunk: one table per level split, each with a metadata
                // page when the superpage's type lives there; the target page may need one too.
                bool typeInMetadata = Pte.TypeBits(pte) == Pte.Marker;
                int splits = level - target;
                return splits * (typeInMetadata ? 2 : 1) + (needsSlot && !typeInMetadata ? 1 : 0);
            }
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
            {
                // Writing an identity frame over the shared table changes nothing; anything else
                // first needs a private copy of the table (only level 1 links it, so target is 0).
                if (newPte == Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true)) return NothingToDo;
                return 1 + (needsSlot ? 1 : 0);
            }
            page = child;
        }
        return needsSlot && _metadata.PageOf(page) == 0 ? 1 : 0;
    }

    /// <summary>Performs what <see cref="PlanSetEntry"/> counted, taking pages from the reservation.</summary>
    private void WriteSetEntry(ulong gfn, int target, ulong newPte, P2MType newType)
    {
        int page = RootPageOf(gfn);
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = Entry(page, index);
            if (!Pte.IsValid(pte))
            {
                if (newPte == 0) return;
                // An empty slot: link a fresh table. Invalid to valid needs no break-before-make.
                int table = _reservation.Take();
                WriteEntry(page, index, Pte.Table(table), BlockBase(gfn, level), level);
                page = table;
            }
            else if (Pte.IsLeaf(pte))
            {
                page = SplitSuperpage(page, index, level, BlockBase(gfn, level));
            }
            else
            {
                int child = Pte.Page(pte);
                if (child == PagePool.IdentityPage)
                {
                    if (newPte == Pte.Leaf(gfn, P2MType.MmioDirectIo, identity: true)) return;
                    child = CopyIdentityTable(page, index, BlockBase(gfn, level));
                }
                page = child;
            }
        }
        ReplaceEntry(page, IndexAt(gfn, target), target, BlockBase(gfn, target), newPte, newType);
    }

    /// <summary>
    /// Replaces one entry in place: frees a table it pointed at, releases what an old leaf held
    /// (foreign reference, grant GFN), keeps the metadata slot in step, then writes the new PTE.
    /// </summary>
    private void ReplaceEntry(int page, int index, int level, ulong gfnBase, ulong newPte, P2MType newType)
    {
        ulong old = Entry(page, index);
        P2MType oldType = TypeOf(page, index, old);
        // Same PTE and same type: nothing to do. A foreign entry is the exception: replacing it,
        // even by itself, drops its reference (the caller takes the new one).
        if (old == newPte && oldType == newType && !P2MTypes.IsForeign(oldType)) return;

        if (Pte.IsTable(old))
        {
            // Table to leaf (or to nothing): unlink and flush first, then free what hung below.
            BreakEntry(page, index, gfnBase, level);
            int child = Pte.Page(old);
            if (child != PagePool.IdentityPage) FreeSubtree(child, level - 1, gfnBase);
        }
        bool inPlace = false;
        if (Pte.IsLeaf(old))
        {
            bool sameOutput = Pte.IsLeaf(newPte) && (old & (Pte.PpnMask | Pte.IdentityBit)) == (newPte & (Pte.PpnMask | Pte.IdentityBit));
            if (!sameOutput)
            {
                // Another output address (or none): break the old entry, then release what it held.
                BreakEntry(page, index, gfnBase, level);
                ReleaseLeaf(old, oldType, level, gfnBase, mfnChanged: true);
            }
            else
            {
                inPlace = true;
                if (P2MTypes.IsForeign(oldType)) ReleaseLeaf(old, oldType, level, gfnBase, mfnChanged: false);
            }
        }
        // The slot follows the new type: set for types from 4 up, cleared (maybe freeing the page) otherwise.
        _metadata.Set(page, index, Pte.IsLeaf(newPte) ? newType : P2MType.Invalid, _reservation);
        WriteEntry(page, index, newPte, gfnBase, level);
        // Same output address, new type or permissions: no break needed, but a flush before returning.
        if (inPlace) FlushLater(gfnBase, level);
    }
}
