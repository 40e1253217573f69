using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// retype: change the type of every mapped frame of type `from` in a chunk, in place where a
// leaf lies wholly inside it, splitting only leaves of type `from` that stick out of it.
public partial class EngineP2M
{
    /// <summary>Retypes one chunk atomically; false, with nothing changed, when its pages cannot be had.</summary>
    private bool RetypeChunk(ulong gfn, int level, P2MType from, P2MType to)
    {
        int pages = PlanRetype(gfn, level, from, to);
        if (!Reserve(pages)) return pages == NothingToDo;
        WriteRetype(gfn, level, from, to);
        EnsurePlanUsedUp();
        return true;
    }

    /// <summary>Pages the retype of this chunk takes: splits, identity copies, new metadata pages.</summary>
    private int PlanRetype(ulong gfn, int target, P2MType from, P2MType to)
    {
        bool toSlot = to > P2MType.ExtStorage, fromSlot = from > P2MType.ExtStorage;
        _plannedSites = 0;
        // Coverage only: which sites this plan may count (a subtree may hold both kinds).
        if (toSlot) Plans(AllocationSite.Metadata);
        if (from == P2MType.MmioDirectIo) Plans(AllocationSite.IdentityCopy);
        int copyPages = from == P2MType.MmioDirectIo ? 1 + (toSlot ? 1 : 0) : NothingToDo;
        MappedPage table = MapTable(RootPageOf(gfn));
        int pages = -2; // not decided on the way down
        for (int level = RootLevel; level > target && pages == -2; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = At(table, index);
            if (!Pte.IsValid(pte))
                pages = NothingToDo;
            else if (Pte.IsLeaf(pte))
                // Only a superpage of type `from` is split; any other is left whole.
                pages = TypeOf(table.Page, index, pte) != from
                    ? KeptWhole()
                    : SplitPages(level - target, fromSlot, toSlot);
            else if (Pte.Page(pte) == PagePool.IdentityPage && UnsharesIdentityTables)
                pages = copyPages;
            else
                table = Descend(table, FollowLink(table.Page, index, level, pte));
        }
        if (pages == -2)
        {
            int at = IndexAt(gfn, target);
            ulong entry = At(table, at);
            if (!Pte.IsValid(entry)) pages = NothingToDo;
            else if (Pte.IsLeaf(entry))
                pages = TypeOf(table.Page, at, entry) != from ? NothingToDo : toSlot && _metadata.PageOf(table.Page) == 0 ? 1 : 0;
            else
            {
                int child = FollowLink(table.Page, at, target, entry);
                pages = child == PagePool.IdentityPage && UnsharesIdentityTables ? copyPages : PlanRetypeSubtree(child, target - 1, from, toSlot);
            }
        }
        UnmapTable(table);
        return pages;
    }

    /// <summary>Pages to split a superpage of type <c>from</c> by <paramref name="levels"/> levels, then retype its frame.</summary>
    private int SplitPages(int levels, bool fromSlot, bool toSlot)
    {
        Plans(AllocationSite.Split);
        return levels * (fromSlot ? 2 : 1) + (toSlot && !fromSlot ? 1 : 0);
    }

    /// <summary>A leaf of another type met by a retype: left as it is, unsplit.</summary>
    private int KeptWhole()
    {
        _coverage?.Hit(Probe.RetypeOtherTypeKept);
        return NothingToDo;
    }

    /// <summary>Pages a whole subtree's retype takes: a metadata page for each table page that gains a slot type, identity copies.</summary>
    private int PlanRetypeSubtree(int page, int level, P2MType from, bool toSlot)
    {
        int pages = 0;
        int retypesAt = 0; // bit d: the page at depth d of the walk holds a leaf of type `from`
        var walk = new SubtreeWalk(this);
        walk.Start(page, level, 0);
        for (bool more = true; more;)
        {
            while (walk.NextEntry(out ulong pte))
            {
                if (Pte.IsLeaf(pte))
                {
                    if (TypeOf(walk.Page, walk.Index, pte) == from) retypesAt |= 1 << walk.Depth;
                    continue;
                }
                int child = walk.FollowLink(pte);
                if (child == PagePool.IdentityPage && UnsharesIdentityTables)
                    pages += from == P2MType.MmioDirectIo ? 1 + (toSlot ? 1 : 0) : 0;
                else
                    walk.Enter(child);
            }
            int done = walk.Page, depth = walk.Depth;
            bool retypesHere = (retypesAt & (1 << depth)) != 0;
            retypesAt &= ~(1 << depth);
            more = walk.Leave();
            if (retypesHere && toSlot && _metadata.PageOf(done) == 0) pages++;
        }
        return pages;
    }

    /// <summary>Performs what <see cref="PlanRetype"/> counted.</summary>
    private void WriteRetype(ulong gfn, int target, P2MType from, P2MType to)
    {
        MappedPage table = MapTable(RootPageOf(gfn));
        for (int level = RootLevel; level > target; level--)
        {
            int index = IndexAt(gfn, level);
            ulong pte = At(table, index);
            int next;
            bool shared = Pte.IsTable(pte) && Pte.Page(pte) == PagePool.IdentityPage && UnsharesIdentityTables;
            if (!Pte.IsValid(pte) || (Pte.IsLeaf(pte) && TypeOf(table.Page, index, pte) != from)
                || (shared && from != P2MType.MmioDirectIo))
            {
                UnmapTable(table);
                return;
            }
            if (Pte.IsLeaf(pte)) next = SplitSuperpage(table, index, level, BlockBase(gfn, level));
            else if (shared) next = CopyIdentityTable(table, index, BlockBase(gfn, level));
            else next = FollowLink(table.Page, index, level, pte);
            table = Descend(table, next);
        }
        int at = IndexAt(gfn, target);
        ulong entry = At(table, at);
        if (Pte.IsLeaf(entry))
        {
            if (TypeOf(table.Page, at, entry) == from) RetypeLeaf(table, at, target, BlockBase(gfn, target), entry, to);
        }
        else if (Pte.IsTable(entry))
        {
            int child = FollowLink(table.Page, at, target, entry);
            if (child == PagePool.IdentityPage && UnsharesIdentityTables && from == P2MType.MmioDirectIo)
                child = CopyIdentityTable(table, at, BlockBase(gfn, target));
            if (child != PagePool.IdentityPage || !UnsharesIdentityTables) RetypeSubtree(child, target - 1, BlockBase(gfn, target), from, to);
        }
        UnmapTable(table);
    }

    /// <summary>Retypes every leaf of type <paramref name="from"/> under <paramref name="page"/>, un-sharing identity tables on the way.</summary>
    private void RetypeSubtree(int page, int level, ulong gfnBase, P2MType from, P2MType to)
    {
        _coverage?.Hit(Probe.RetypeSubtree, level);
        var walk = new SubtreeWalk(this);
        walk.Start(page, level, gfnBase);
        do
        {
            while (walk.NextEntry(out ulong pte))
            {
                if (Pte.IsLeaf(pte))
                {
                    if (TypeOf(walk.Page, walk.Index, pte) == from) RetypeLeaf(walk.Table, walk.Index, walk.Level, walk.Gfn, pte, to);
                    continue;
                }
                int child = walk.FollowLink(pte);
                if (child == PagePool.IdentityPage && UnsharesIdentityTables)
                {
                    if (from != P2MType.MmioDirectIo) continue;
                    child = CopyIdentityTable(walk.Table, walk.Index, walk.Gfn);
                }
                walk.Enter(child);
                _coverage?.Hit(Probe.RetypeSubtree, walk.Level);
            }
        }
        while (walk.Leave());
    }

    /// <summary>Same MFN, same identity flag, new type bits, permissions and slot.</summary>
    private void RetypeLeaf(MappedPage table, int index, int level, ulong gfnBase, ulong pte, P2MType to)
    {
        _coverage?.Hit(Probe.RetypeLeaf, level);
        ReplaceEntry(table, index, level, gfnBase, Pte.WithType(pte, to), to);
    }
}
