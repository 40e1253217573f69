using P2M.Contract;

namespace P2M.Engine;

// Returning to the state the constructor builds, keeping every array's capacity: a campaign reuses
// one engine per worker instead of building one per input.
public partial class EngineP2M
{
    /// <inheritdoc/>
    public void Reset()
    {
        // Whatever the last input did, an exception halfway included: every part as the constructor left it.
        _pool.Reset();
        _metadata.Reset();
        _reservation.Reset();
        _pageInfo.Reset();
        _access.Mapcache.Reset();
        _access.DirectMap = true;
        _tlb.Reset();
        _bbm.Reset();
        _journal.Begin();
        _breach = null;
        _flushLo = ulong.MaxValue;
        _flushHi = 0;
        _plannedSites = 0;
        _running = default;
        AuditedPages = 0;
        _pool.Memory.AsSpan(PagePool.IdentityPage << _b, _e).Fill(IdentityLeaf);
    }
}
