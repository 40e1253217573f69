using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

/// <summary>
/// A small fully associative software TLB in front of the tables, filled by <c>translate</c>
/// misses with whole leaves (a 2M leaf caches 2M), replaced round robin. It never checks the
/// tables on a hit: a missing flush shows up as a stale answer, which is the point.
/// </summary>
internal sealed class SoftTlb
{
    private struct Line
    {
        public bool Valid;
        public ulong Gfn;     // first frame the line covers, aligned to its order
        public int Order;
        public ulong Mfn;     // MFN of that first frame
        public P2MType Type;
        public bool Identity;
    }

    private readonly Line[] _lines;
    private int _next;

    public SoftTlb(int lines) => _lines = new Line[lines];

    /// <summary>Where TLB probes go; null when nobody is measuring.</summary>
    public CoverageMap? Coverage { get; set; }

    /// <summary>The cached translation of <paramref name="gfn"/>, if a line covers it.</summary>
    public bool TryTranslate(ulong gfn, out FrameState frame)
    {
        foreach (ref readonly Line line in _lines.AsSpan())
        {
            if (!line.Valid || (gfn >> line.Order) != (line.Gfn >> line.Order)) continue;
            ulong offset = gfn - line.Gfn;
            frame = new FrameState(new Mfn(line.Mfn + offset), line.Type, line.Identity ? 0 : line.Order, line.Identity);
            return true;
        }
        frame = default;
        return false;
    }

    /// <summary>Caches a leaf of 2^<paramref name="order"/> frames starting at <paramref name="gfn"/>.</summary>
    public void Insert(ulong gfn, int order, Mfn mfn, P2MType type, bool identity)
    {
        _lines[_next] = new Line { Valid = true, Gfn = gfn, Order = order, Mfn = mfn.Value, Type = type, Identity = identity };
        _next = (_next + 1) % _lines.Length;
    }

    /// <summary>Empties every line and starts replacing from the first again.</summary>
    public void Reset()
    {
        Array.Clear(_lines);
        _next = 0;
    }

    /// <summary>Invalidates every line that meets [gfn, gfn + 2^order).</summary>
    public void Flush(ulong gfn, int order)
    {
        ulong end = gfn + (1UL << order);
        bool any = false;
        foreach (ref Line line in _lines.AsSpan())
        {
            if (!line.Valid) continue;
            ulong lineEnd = line.Gfn + (1UL << line.Order);
            if (line.Gfn < end && gfn < lineEnd)
            {
                line.Valid = false;
                any = true;
            }
        }
        if (any) Coverage?.Hit(Probe.TlbFlushHit);
    }

    /// <summary>Every valid line as (first gfn, order), for the audit that compares them with the tables.</summary>
    public int CopyLines(Span<(ulong Gfn, FrameState Frame)> into)
    {
        int n = 0;
        foreach (ref readonly Line line in _lines.AsSpan())
            if (line.Valid) into[n++] = (line.Gfn, new FrameState(new Mfn(line.Mfn), line.Type, line.Identity ? 0 : line.Order, line.Identity));
        return n;
    }

    /// <summary>Lines in the TLB.</summary>
    public int Capacity => _lines.Length;
}
