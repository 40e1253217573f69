using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>TLB: never flushes (Xen forgetting p2m->need_flush).</summary>
public sealed class SkipsTlbFlush(P2MConfig config) : EngineP2M(config)
{
    private protected override void FlushTlb(ulong gfn, int order) { }
}
