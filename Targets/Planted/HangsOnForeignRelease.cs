using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// A hang: dropping a foreign entry's reference spins forever, as a chunk loop that stops advancing on
/// one path does. Found by a <c>foreign</c> entry that a later operation removes or replaces.
/// </summary>
public sealed class HangsOnForeignRelease(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (P2MTypes.IsForeign(type))
            Spin();
        base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }

    // Not inlined, no allocation: the loop only ends when the process is killed.
    private static void Spin()
    {
        ulong n = 0;
        while (n != ulong.MaxValue) n = (n * 3) % 7 + 1;
    }
}
