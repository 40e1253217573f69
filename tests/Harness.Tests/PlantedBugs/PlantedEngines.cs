using P2M.Contract;
using P2M.Engine;

namespace P2M.Harness.Tests.PlantedBugs;

// Engines with one typical P2M bug each, planted at the engine's private protected hooks (or, for
// allocation failure, in a wrapper). Each is the bug the mechanism exists to get right.

/// <summary>TLB: never flushes (Xen forgetting p2m->need_flush).</summary>
internal sealed class SkipsTlbFlush(P2MConfig config) : EngineP2M(config)
{
    private protected override void FlushTlb(ulong gfn, int order) { }
}

/// <summary>Break-before-make: replaces valid entries in place, never through an invalid entry.</summary>
internal sealed class SkipsBreak(P2MConfig config) : EngineP2M(config)
{
    private protected override void BreakEntry(MappedPage table, int index, ulong gfnBase, int level) { }
}

/// <summary>
/// Splitting: the level-1 table a split makes links itself from its last entry (a PPN taken from the
/// wrong variable), a cycle that sent the old recursive whole-state walk down until the stack overflowed.
/// </summary>
internal sealed class SplitLinksTableIntoItself(P2MConfig config) : EngineP2M(config)
{
    private protected override int SplitSuperpage(MappedPage table, int index, int level, ulong gfnBase)
    {
        int page = base.SplitSuperpage(table, index, level, gfnBase);
        if (level == 2) Pool.Memory[((page + 1) << Geometry.EntryBits) - 1] = Pte.Table(page);
        return page;
    }
}

/// <summary>Grant frames: forgets to reset the recorded GFN when the entry goes (p2m_put_l3_page missing its xenheap branch).</summary>
internal sealed class KeepsGrantGfn(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (P2MTypes.IsForeign(type)) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}

/// <summary>Foreign mappings: never drops the reference when the entry is removed or replaced (put_page missing).</summary>
internal sealed class KeepsForeignReference(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (!P2MTypes.IsForeign(type)) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}

/// <summary>Identity ranges: writes through the shared identity table instead of giving the block a private copy.</summary>
internal sealed class WritesThroughSharedIdentity(P2MConfig config) : EngineP2M(config)
{
    private protected override bool UnsharesIdentityTables => false;
}

/// <summary>Mapcache: forgets unmap_domain_page, so slots keep their references.</summary>
internal sealed class LeaksMapcacheSlot(P2MConfig config) : EngineP2M(config)
{
    private protected override void UnmapTable(MappedPage table) { }
}

/// <summary>Mapcache: drops the slot's reference as soon as it maps, then keeps using the slot (a stale mapping).</summary>
internal sealed class UsesStaleMapcacheSlot(P2MConfig config) : EngineP2M(config)
{
    private protected override MappedPage MapTable(int page)
    {
        MappedPage mapped = base.MapTable(page);
        base.UnmapTable(mapped);
        return mapped;
    }

    private protected override void UnmapTable(MappedPage table) { }
}

/// <summary>Teardown: frees the tables but neither puts foreign pages nor resets grant GFNs.</summary>
internal sealed class TeardownForgetsPageInfo(P2MConfig config) : EngineP2M(config)
{
    private bool _tearingDown;

    private protected override OpResult Teardown()
    {
        _tearingDown = true;
        OpResult result = base.Teardown();
        _tearingDown = false;
        return result;
    }

    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (!_tearingDown) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}

/// <summary>
/// Allocation failure: when a chunk fails, the superpage it was splitting is lost, as when a split
/// unlinks the leaf before it has the new table page. Planted by wrapping the engine: after an
/// ENOMEM it removes the leaf that held the failing chunk's first frame.
/// </summary>
internal sealed class LosesSuperpageOnFailedSplit(P2MConfig config) : IP2M, IP2MSelfCheck
{
    private readonly EngineP2M _engine = new(config);

    public string Name => "engine";
    public Geometry Geometry => _engine.Geometry;

    public OpResult Apply(in Op op)
    {
        OpResult result = _engine.Apply(op);
        if (result.Code == ResultCode.Enomem && op.Kind is OpKind.Map or OpKind.Unmap or OpKind.Retype)
        {
            ulong failing = op.Gfn.Value + result.Done;
            FrameState leaf = _engine.Read(new Gfn(failing));
            if (leaf.IsMapped && leaf.Order > 0)
            {
                ulong first = failing & ~((1UL << leaf.Order) - 1);
                _engine.Apply(Op.Unmap(new Gfn(first), 1UL << leaf.Order));
            }
        }
        return result;
    }

    public FrameState Read(Gfn gfn) => _engine.Read(gfn);
    public void ReadRange(Gfn start, Span<FrameState> frames) => _engine.ReadRange(start, frames);
    public IEnumerable<MappedRun> MappedRuns() => _engine.MappedRuns();
    public int References(Mfn mfn) => _engine.References(mfn);
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _engine.HeldReferences();
    public int GrantFrames => _engine.GrantFrames;
    public Gfn GrantGfn(int frame) => _engine.GrantGfn(frame);
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage) => _engine.ReadTypeStorage(start, storage);
    public InvariantViolation? Audit() => _engine.Audit();
}
