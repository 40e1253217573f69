using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// The TLB in front of the tables, and the flushes that keep the two in step.
public partial class EngineP2M
{
    /// <summary>Remembers an in-place change or a removal to flush before the operation returns.</summary>
    private void FlushLater(ulong gfnBase, int level)
    {
        _flushLo = Math.Min(_flushLo, gfnBase);
        _flushHi = Math.Max(_flushHi, gfnBase + (1UL << (level * _b)));
    }

    /// <summary>One flush covering every in-place change of the operation (over-flushing is allowed, missing one is not).</summary>
    private void FlushPendingTlb()
    {
        if (_flushLo >= _flushHi) return;
        // The smallest aligned block holding [lo, hi): a single ranged flush.
        ulong span = _flushHi - _flushLo;
        int order = span <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(span - 1);
        while ((_flushLo >> order) != ((_flushHi - 1) >> order)) order++;
        FlushTlb(_flushLo & ~((1UL << order) - 1), order);
        _coverage?.Hit(Probe.TlbDeferredFlush);
        _flushLo = ulong.MaxValue;
        _flushHi = 0;
    }

    /// <summary>Invalidates the TLB over [gfn, gfn + 2^order) (Xen's p2m_force_tlb_flush_sync, ranged).</summary>
    private protected virtual void FlushTlb(ulong gfn, int order)
    {
        _journal.Flushed(gfn, order);
        _tlb.Flush(gfn, order);
        _bbm.OnFlush(gfn, order);
    }

    /// <summary>A guest access: the TLB answers if it can, otherwise the walk does and fills a line.</summary>
    private OpResult Translate(ulong gfn)
    {
        if (gfn >= _geometry.GfnLimit) return OpResult.Of(ResultCode.Einval);
        if (_tlb.TryTranslate(gfn, out FrameState cached))
        {
            _coverage?.Hit(Probe.TlbHit);
            return new OpResult(ResultCode.Ok, 0, cached);
        }
        ulong pte = Locate(gfn, out int page, out int index, out int level);
        if (!Pte.IsLeaf(pte)) return new OpResult(ResultCode.Ok, 0, FrameState.Unmapped);
        FrameState frame = LeafFrame(gfn, page, index, level, pte);
        _coverage?.Hit(Probe.TlbFill, level);
        if (frame.Identity) _tlb.Insert(gfn, 0, frame.Mfn, frame.Type, identity: true);
        else
        {
            ulong first = BlockBase(gfn, level);
            _tlb.Insert(first, level * _b, new Mfn(frame.Mfn.Value - (gfn - first)), frame.Type, identity: false);
        }
        return new OpResult(ResultCode.Ok, 0, frame);
    }

    private (ulong Gfn, FrameState Frame)[]? _tlbLines; // reused by every audit

    /// <summary>Every TLB line must still be what the tables say for the frames it covers.</summary>
    private InvariantViolation? AuditTlb()
    {
        _tlbLines ??= new (ulong, FrameState)[_tlb.Capacity];
        Span<(ulong Gfn, FrameState Frame)> lines = _tlbLines;
        int n = _tlb.CopyLines(lines);
        for (int i = 0; i < n; i++)
        {
            var (gfn, cached) = lines[i];
            FrameState actual = Read(new Gfn(gfn));
            if (actual != cached)
                return new InvariantViolation("tlb.stale", $"gfn 0x{gfn:x}: {actual}", $"TLB line {cached}");
        }
        return null;
    }
}
