using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// A crash off the caller's thread: a teardown hands its work to a thread that throws, and an unhandled
/// exception on any thread ends a .NET process. Nothing the runner catches sees it.
/// </summary>
public sealed class ThrowsOnWorkerThread(P2MConfig config) : EngineP2M(config)
{
    private protected override OpResult Teardown()
    {
        var worker = new Thread(() => throw new InvalidOperationException("planted: teardown worker failed"));
        worker.Start();
        worker.Join();
        return base.Teardown();
    }
}
