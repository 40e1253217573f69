using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// retype: change the type of every mapped frame of type `from` in a chunk, in place where a
// leaf lies wholly inside it, splitting only leaves of type `from` that stick out of it (the walk
// down to the chunk is the write path's cursor; this is what retype does at the chunk's entry).
public partial class EngineP2M
{
    /// <summary>
    /// Retypes the chunk's entry where the cursor stands, a leaf or a whole subtree: planning, the
    /// pages it takes (metadata pages, identity copies) or <see cref="NothingToDo"/>; writing, the change.
    /// </summary>
    private int RetypeEntry(ref PathCursor at, ulong gfn, int level, in ChunkWrite chunk, bool write)
    {
        int index = IndexAt(gfn, level);
        ulong entry = at.EntryAt(this, index);
        if (!Pte.IsValid(entry)) return NothingToDo;
        if (Pte.IsLeaf(entry))
        {
            if (at.TypeAt(this, index, entry) != chunk.From) return NothingToDo;
            if (!write) return chunk.NeedsSlot && !at.HasMetadataPage(this) ? 1 : 0;
            RetypeLeaf(at.Table, index, level, gfn, entry, chunk.Type);
            return 0;
        }
        // Only a real table links: an imagined one holds leaves.
        int child = FollowLink(at.Table.Page, index, level, entry);
        if (child == PagePool.IdentityPage && UnsharesIdentityTables)
        {
            if (IdentityStep(chunk, gfn, write) == PathStep.Stop) return NothingToDo;
            if (!write) return IdentityCopyPages(chunk.NeedsSlot);
            child = CopyIdentityTable(at.Table, index, gfn);
        }
        return RetypeSubtree(child, level - 1, gfn, chunk.From, chunk.Type, write);
    }

    /// <summary>
    /// Every leaf of type <paramref name="from"/> under <paramref name="page"/>, un-sharing identity
    /// tables on the way. Planning, counts a metadata page for each table page that gains a slot type and
    /// has none, and each identity copy; writing, retypes.
    /// </summary>
    private int RetypeSubtree(int page, int level, ulong gfnBase, P2MType from, P2MType to, bool write)
    {
        bool toSlot = to > P2MType.ExtStorage;
        int pages = 0;
        int retypesAt = 0; // bit d: the page at depth d of the walk holds a leaf of type `from`
        if (write) _coverage?.Hit(Probe.RetypeSubtree, level);
        var walk = new SubtreeWalk(this);
        walk.Start(page, level, gfnBase);
        for (bool more = true; more;)
        {
            while (walk.NextEntry(out ulong pte))
            {
                if (Pte.IsLeaf(pte))
                {
                    if (TypeOf(walk.Page, walk.Index, pte) != from) continue;
                    if (write) RetypeLeaf(walk.Table, walk.Index, walk.Level, walk.Gfn, pte, to);
                    else retypesAt |= 1 << walk.Depth;
                    continue;
                }
                int child = walk.FollowLink(pte);
                if (child == PagePool.IdentityPage && UnsharesIdentityTables)
                {
                    if (from != P2MType.MmioDirectIo) continue;
                    if (!write)
                    {
                        pages += IdentityCopyPages(toSlot);
                        continue;
                    }
                    child = CopyIdentityTable(walk.Table, walk.Index, walk.Gfn);
                }
                walk.Enter(child);
                if (write) _coverage?.Hit(Probe.RetypeSubtree, walk.Level);
            }
            int done = walk.Page, depth = walk.Depth;
            bool retypesHere = (retypesAt & (1 << depth)) != 0;
            retypesAt &= ~(1 << depth);
            more = walk.Leave();
            if (retypesHere && toSlot && _metadata.PageOf(done) == 0) pages++;
        }
        return pages;
    }

    /// <summary>Same MFN, same identity flag, new type bits, permissions and slot.</summary>
    private void RetypeLeaf(MappedPage table, int index, int level, ulong gfnBase, ulong pte, P2MType to)
    {
        _coverage?.Hit(Probe.RetypeLeaf, level);
        ReplaceEntry(table, index, level, gfnBase, Pte.WithType(pte, to), to);
    }
}
