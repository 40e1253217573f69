using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// Unbounded memory: when a grant frame's entry goes away, the engine starts keeping copies "for later"
/// and never stops, touching every page so the memory is really used. Found by a <c>grant-map</c> whose
/// entry a later operation removes or replaces.
/// </summary>
public sealed class HoardsMemoryOnGrantReset(P2MConfig config) : EngineP2M(config)
{
    private static readonly List<byte[]> Hoard = new();

    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        int frame = GrantFrameAt(gfn);
        base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
        if (frame >= 0 && GrantGfn(frame) == Gfn.Invalid)
            HoardForever();
    }

    /// <summary>The grant frame recorded at <paramref name="gfn"/>, or -1.</summary>
    private int GrantFrameAt(ulong gfn)
    {
        for (int frame = 0; frame < GrantFrames; frame++)
            if (GrantGfn(frame) == new Gfn(gfn)) return frame;
        return -1;
    }

    private static void HoardForever()
    {
        while (true)
        {
            var chunk = new byte[16 << 20];
            for (int i = 0; i < chunk.Length; i += 4096) chunk[i] = 1;
            lock (Hoard) Hoard.Add(chunk);
        }
    }
}
