using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Teardown: frees the tables but neither puts foreign pages nor resets grant GFNs.</summary>
public sealed class TeardownForgetsPageInfo(P2MConfig config) : EngineP2M(config)
{
    private bool _tearingDown;

    private protected override OpResult Teardown()
    {
        _tearingDown = true;
        try
        {
            return base.Teardown();
        }
        finally
        {
            _tearingDown = false;
        }
    }

    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (!_tearingDown) base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}
