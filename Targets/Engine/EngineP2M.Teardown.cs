using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// Taking mappings away: teardown, freeing subtrees, and what a leaf gives up when it goes.
public partial class EngineP2M
{
    /// <summary>
    /// Frees a table page and everything below it: leaves release what they hold, tables below are
    /// freed after their own entries, each page's metadata page goes with it. The shared identity
    /// table is never freed. Entries are cleared as they go (the page is unreachable already), so
    /// every page goes back to the pool zeroed.
    /// </summary>
    private void FreeSubtree(int page, int level, ulong gfnBase)
    {
        // With no foreign reference held and no grant GFN recorded, leaves give nothing back:
        // a leaf table is then just cleared (vectorised), without visiting its E entries one by one.
        if (level == 0 && !_pageInfo.AnyLeafHoldsSomething)
        {
            FreeLeafTable(page);
            return;
        }
        _coverage?.Hit(Probe.SubtreeFreed, level);
        var walk = new SubtreeWalk(this);
        walk.Start(page, level, gfnBase);
        for (bool more = true; more;)
        {
            while (walk.NextEntry(out ulong pte))
            {
                if (!Pte.IsTable(pte))
                {
                    ReleaseLeaf(pte, TypeOf(walk.Page, walk.Index, pte), walk.Level, walk.Gfn, mfnChanged: true);
                    At(walk.Table, walk.Index) = 0;
                    continue;
                }
                int child = walk.FollowLink(pte);
                At(walk.Table, walk.Index) = 0;
                if (child == PagePool.IdentityPage) continue;
                if (walk.Level == 1 && !_pageInfo.AnyLeafHoldsSomething)
                {
                    FreeLeafTable(child);
                    continue;
                }
                walk.Enter(child);
                _coverage?.Hit(Probe.SubtreeFreed, walk.Level);
            }
            int done = walk.Page;
            more = walk.Leave();
            FreeTablePage(done);
        }
    }

    /// <summary>Frees a leaf table whose leaves hold nothing to give back: one clear of the page.</summary>
    private void FreeLeafTable(int page)
    {
        _coverage?.Hit(Probe.SubtreeFreed, 0);
        MappedPage table = MapTable(page);
        Span<ulong> entries = _access.Entries(table);
        // A table pointer here would vanish with the clear, its subtree leaked unseen: report it instead.
        if (LeafTableLinks(page, entries) is { } broken) throw new InvariantViolationException(broken);
        entries.Clear();
        UnmapTable(table);
        FreeTablePage(page);
    }

    /// <summary>Gives an emptied table page back to the pool, with its metadata page.</summary>
    private void FreeTablePage(int page)
    {
        if (_metadata.PageOf(page) != 0) _coverage?.Hit(Probe.MetadataPageFreed, 1);
        _metadata.FreeWith(page);
        _pool.Free(page, alreadyZero: true);
        _journal.Freed(page);
    }

    /// <summary>
    /// What a leaf gives up when it is removed or replaced (Xen's p2m_put_l3_page): a foreign
    /// mapping drops its reference; a grant frame mapped at this GFN gets INVALID back, but only
    /// when the entry goes away or changes MFN.
    /// </summary>
    private protected virtual void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        _journal.Released(gfn, level * _b);
        if (P2MTypes.IsForeign(type))
        {
            _pageInfo.Put(Pte.Ppn(pte));
            _journal.ReferenceChanged(Pte.Ppn(pte));
            _coverage?.Hit(Probe.ForeignReferenceDropped);
            return;
        }
        if (mfnChanged && level == 0 && !Pte.IsIdentity(pte)
            && _pageInfo.IsGrantFrame(Pte.Ppn(pte), out int frame) && _pageInfo.GrantGfn(frame) == new Gfn(gfn))
        {
            _pageInfo.SetGrantGfn(frame, Gfn.Invalid);
            _journal.GrantTouched(frame);
            _coverage?.Hit(Probe.GrantReset);
        }
    }

    /// <summary>Removes every mapping and frees every table; only the root's pages stay in use.</summary>
    private protected virtual OpResult Teardown()
    {
        for (int root = 0; root < Geometry.RootPages; root++)
        {
            int page = PagePool.RootPage + root;
            ulong rootGfn = (ulong)root << (3 * _b);
            MappedPage table = MapTable(page);
            for (int i = 0; i < _e; i++)
            {
                ulong pte = At(table, i);
                if (!Pte.IsValid(pte)) continue;
                ulong gfn = rootGfn + ((ulong)i << (RootLevel * _b));
                P2MType type = TypeOf(page, i, pte);
                // A broken link is reported before anything changes, never followed.
                int child = Pte.IsTable(pte) ? FollowLink(page, i, RootLevel, pte) : PagePool.IdentityPage;
                BreakEntry(table, i, gfn, RootLevel, remade: false);
                _coverage?.Hit(Probe.Teardown, Pte.IsTable(pte) ? 0 : 1);
                if (!Pte.IsTable(pte)) ReleaseLeaf(pte, type, RootLevel, gfn, mfnChanged: true);
                else if (child != PagePool.IdentityPage) FreeSubtree(child, RootLevel - 1, gfn);
            }
            UnmapTable(table);
            _metadata.FreeWith(page);
        }
        return OpResult.Of(ResultCode.Ok);
    }
}
