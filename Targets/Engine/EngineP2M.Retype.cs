using P2M.Contract;

namespace P2M.Engine;

// retype: change the type of every mapped frame of type `from` in a chunk, in place where a
// leaf lies wholly inside it, splitting only leaves of type `from` that stick out of it.
public sealed partial class EngineP2M
{
    /// <summary>Retypes one chunk atomically; false, with nothing changed, when its pages cannot be had.</summary>
    private bool RetypeChunk(ulong gfn, int level, P2MType from, P2MType to)
    {
        int pages = PlanRetype(gfn, level, from, to);
        if (pages == NothingToDo) return true;
        if (!_reservation.TryReserve(pages)) return false;
        WriteRetype(gfn, level, from, to);
        EnsurePlanUsedUp();
        return true;
    }

    /// <summary>Pages the retype of this chunk takes: splits, identity copies, new metadata pages.</summary>
    private int PlanRetype(ulong gfn, int target, P2MType from, P2MType to)
    {
        bool toSlot = to > P2MType.ExtStorage, fromSlot = from > P2MType.ExtStorage;
        int page = RootPageOf(gfn);
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = Entry(page, index);
            if (!Pte.IsValid(pte)) return NothingToDo;
            if (Pte.IsLeaf(pte))
            {
                // Only a superpage of type `from` is split; any other is left whole.
                if (TypeOf(page, index, pte) != from) return NothingToDo;
                int splits = level - target;
                return splits * (fromSlot ? 2 : 1) + (toSlot && !fromSlot ? 1 : 0);
            }
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
                return from == P2MType.MmioDirectIo ? 1 + (toSlot ? 1 : 0) : NothingToDo;
            page = child;
        }
        int at = IndexAt(gfn, target);
        ulong entry = Entry(page, at);
        if (!Pte.IsValid(entry)) return NothingToDo;
        if (Pte.IsLeaf(entry))
        {
            if (TypeOf(page, at, entry) != from) return NothingToDo;
            return toSlot && _metadata.PageOf(page) == 0 ? 1 : 0;
        }
        int table = Pte.Page(entry);
        if (table == PagePool.IdentityPage)
            return from == P2MType.MmioDirectIo ? 1 + (toSlot ? 1 : 0) : NothingToDo;
        return PlanRetypeSubtree(table, from, toSlot);
    }

    /// <summary>Pages a whole subtree's retype takes: a metadata page for each table page that gains a slot type, identity copies.</summary>
    private int PlanRetypeSubtree(int page, P2MType from, bool toSlot)
    {
        int pages = 0;
        bool retypesHere = false;
        ReadOnlySpan<ulong> entries = TablePage(page);
        for (int i = TableScan.IndexOfAnyBit(entries, 0, Pte.Valid); i >= 0; i = TableScan.IndexOfAnyBit(entries, i + 1, Pte.Valid))
        {
            ulong pte = entries[i];
            if (Pte.IsLeaf(pte))
            {
                retypesHere |= TypeOf(page, i, pte) == from;
                continue;
            }
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
            {
                if (from == P2MType.MmioDirectIo) pages += 1 + (toSlot ? 1 : 0);
            }
            else
            {
                pages += PlanRetypeSubtree(child, from, toSlot);
            }
        }
        if (retypesHere && toSlot && _metadata.PageOf(page) == 0) pages++;
        return pages;
    }

    /// <summary>Performs what <see cref="PlanRetype"/> counted.</summary>
    private void WriteRetype(ulong gfn, int target, P2MType from, P2MType to)
    {
        int page = RootPageOf(gfn);
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = Entry(page, index);
            if (!Pte.IsValid(pte)) return;
            if (Pte.IsLeaf(pte))
            {
                if (TypeOf(page, index, pte) != from) return;
                page = SplitSuperpage(page, index, level, BlockBase(gfn, level));
                continue;
            }
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
            {
                if (from != P2MType.MmioDirectIo) return;
                child = CopyIdentityTable(page, index, BlockBase(gfn, level));
            }
            page = child;
        }
        int at = IndexAt(gfn, target);
        ulong entry = Entry(page, at);
        if (!Pte.IsValid(entry)) return;
        if (Pte.IsLeaf(entry))
        {
            if (TypeOf(page, at, entry) == from) RetypeLeaf(page, at, target, BlockBase(gfn, target), entry, to);
            return;
        }
        int table = Pte.Page(entry);
        if (table == PagePool.IdentityPage)
        {
            if (from != P2MType.MmioDirectIo) return;
            table = CopyIdentityTable(page, at, BlockBase(gfn, target));
        }
        RetypeSubtree(table, target - 1, BlockBase(gfn, target), from, to);
    }

    private void RetypeSubtree(int page, int level, ulong gfnBase, P2MType from, P2MType to)
    {
        int childOrder = level * _b;
        for (int i = 0; i < _e; i++)
        {
            ulong pte = Entry(page, i);
            if (!Pte.IsValid(pte)) continue;
            ulong childGfn = gfnBase + ((ulong)i << childOrder);
            if (Pte.IsLeaf(pte))
            {
                if (TypeOf(page, i, pte) == from) RetypeLeaf(page, i, level, childGfn, pte, to);
                continue;
            }
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
            {
                if (from != P2MType.MmioDirectIo) continue;
                child = CopyIdentityTable(page, i, childGfn);
            }
            RetypeSubtree(child, level - 1, childGfn, from, to);
        }
    }

    /// <summary>Same MFN, same identity flag, new type bits, permissions and slot.</summary>
    private void RetypeLeaf(int page, int index, int level, ulong gfnBase, ulong pte, P2MType to) =>
        ReplaceEntry(page, index, level, gfnBase, Pte.WithType(pte, to), to);
}
