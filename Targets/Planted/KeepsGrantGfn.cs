using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Grant frames: forgets to reset the recorded GFN when the entry goes (p2m_put_l3_page missing its xenheap branch).</summary>
public sealed class KeepsGrantGfn(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (P2MTypes.IsForeign(type)) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}
