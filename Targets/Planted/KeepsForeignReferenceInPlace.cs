using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// Foreign mappings: a <c>map</c> over a foreign entry to the same MFN rewrites the entry in place (same
/// output address, new type) and keeps the foreign reference; every other removal or replacement, a
/// <c>foreign</c> over it included, drops it as it should. Two operations: <c>foreign gfn=G mfn=M</c>,
/// then <c>map gfn=G mfn=M nr=1</c>.
/// </summary>
public sealed class KeepsForeignReferenceInPlace(P2MConfig config) : EngineP2M(config), IP2M
{
    private bool _mapping;

    // Re-implemented to learn which operation runs: the engine's own Apply does the work.
    OpResult IP2M.Apply(in Op op)
    {
        _mapping = op.Kind == OpKind.Map;
        return Apply(op);
    }

    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (_mapping && !mfnChanged && P2MTypes.IsForeign(type)) return;
        base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}
