using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Mapcache: forgets unmap_domain_page, so slots keep their references.</summary>
public sealed class LeaksMapcacheSlot(P2MConfig config) : EngineP2M(config, new LeakingMapcache())
{
    private sealed class LeakingMapcache() : Mapcache(MapcacheSlots)
    {
        public override void Unmap(int slot) { }
    }
}
