using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// Splitting: the level-1 table a split makes links itself from its last entry (a PPN taken from the
/// wrong variable), a cycle that sent the old recursive whole-state walk down until the stack overflowed.
/// Found by any split of a 1G superpage; the engine's bounded walks report it as
/// <c>invariant:&lt;op&gt;:structure.table-reached-twice</c>.
/// </summary>
public sealed class SplitLinksTableIntoItself(P2MConfig config) : EngineP2M(config)
{
    private protected override int SplitSuperpage(MappedPage table, int index, int level, ulong gfnBase)
    {
        int page = base.SplitSuperpage(table, index, level, gfnBase);
        if (level == 2) Pool.Memory[((page + 1) << Geometry.EntryBits) - 1] = Pte.Table(page);
        return page;
    }
}
