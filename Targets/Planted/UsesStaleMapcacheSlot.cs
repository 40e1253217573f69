using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Mapcache: drops the slot's reference as soon as it maps, then keeps using the slot (a stale mapping).</summary>
public sealed class UsesStaleMapcacheSlot(P2MConfig config) : EngineP2M(config)
{
    private protected override MappedPage MapTable(int page)
    {
        MappedPage mapped = base.MapTable(page);
        base.UnmapTable(mapped);
        return mapped;
    }

    private protected override void UnmapTable(MappedPage table) { }
}
