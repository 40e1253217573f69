using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Mapcache: drops the slot's reference as soon as it maps, then keeps using the slot (a stale mapping).</summary>
public sealed class UsesStaleMapcacheSlot(P2MConfig config) : EngineP2M(config, new StaleMapcache())
{
    private sealed class StaleMapcache() : Mapcache(MapcacheSlots)
    {
        public override int Map(int page)
        {
            int slot = base.Map(page);
            base.Unmap(slot);
            return slot;
        }

        public override void Unmap(int slot) { }
    }
}
