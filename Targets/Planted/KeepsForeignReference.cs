using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Foreign mappings: never drops the reference when the entry is removed or replaced (put_page missing).</summary>
public sealed class KeepsForeignReference(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (!P2MTypes.IsForeign(type)) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}
