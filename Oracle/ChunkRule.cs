using P2M.Contract;

namespace P2M.Oracle;

/// <summary>
/// How a range operation is cut into chunks, the units that are atomic under <c>ENOMEM</c>
/// (docs/SEMANTICS.md, "Chunks"). Each chunk is the largest of the rule's orders for which
/// the chunk's first GFN (and for <c>map</c> its first MFN too: <c>gfn|mfn</c>) is aligned and the
/// remaining count is at least the chunk's size, as Xen's <c>p2m_mapping_order</c>.
/// </summary>
internal sealed class ChunkRule
{
    private readonly int[] _orders; // candidate orders, largest first; always ends with 0
    private readonly bool _alignsMfn;

    private ChunkRule(int[] orders, bool alignsMfn)
    {
        _orders = orders;
        _alignsMfn = alignsMfn;
    }

    /// <summary>
    /// The rule of a range operation: <c>map</c> aligns <c>gfn|mfn</c> over orders {2b, b, 0};
    /// <c>unmap</c> and <c>retype</c> align <c>gfn</c> alone over {2b, b, 0}; <c>identity</c> aligns
    /// <c>gfn</c> alone over {b, 0} (a whole leaf-table block is one chunk, pointed at the shared table).
    /// Single-frame operations are one chunk of order 0.
    /// </summary>
    public static ChunkRule For(OpKind kind, Geometry geometry)
    {
        int b = geometry.Order(1), b2 = geometry.Order(2);
        return kind switch
        {
            OpKind.Map => new ChunkRule([b2, b, 0], alignsMfn: true),
            OpKind.Unmap or OpKind.Retype => new ChunkRule([b2, b, 0], alignsMfn: false),
            OpKind.Identity => new ChunkRule([b, 0], alignsMfn: false),
            _ => new ChunkRule([0], alignsMfn: false),
        };
    }

    /// <summary>
    /// The chunks of an operation over <paramref name="nr"/> frames from <paramref name="gfn"/>
    /// (and <paramref name="mfn"/>, ignored unless the rule aligns MFNs), in ascending order.
    /// </summary>
    public IEnumerable<Chunk> Chunks(ulong gfn, ulong mfn, ulong nr)
    {
        ulong offset = 0;
        while (offset < nr)
        {
            var chunk = new Chunk(offset, OrderAt(gfn + offset, mfn + offset, nr - offset));
            yield return chunk;
            offset += chunk.Frames;
        }
    }

    /// <summary>
    /// The chunk an allocation failure reported after <paramref name="done"/> frames belongs to: the
    /// chunk starting at <paramref name="done"/> when there is one, otherwise the last chunk starting
    /// below it (a <c>done</c> inside a chunk, or at or beyond the end, is rounded down). Only for
    /// <paramref name="nr"/> &gt; 0, where at least one chunk exists.
    /// </summary>
    public Chunk FailedChunk(ulong gfn, ulong mfn, ulong nr, ulong done)
    {
        Chunk failed = default;
        foreach (Chunk chunk in Chunks(gfn, mfn, nr))
        {
            if (chunk.Offset > done)
                break;
            failed = chunk;
        }
        return failed;
    }

    private int OrderAt(ulong gfn, ulong mfn, ulong remaining)
    {
        ulong alignment = _alignsMfn ? gfn | mfn : gfn;
        foreach (int order in _orders)
        {
            ulong size = 1UL << order;
            if ((alignment & (size - 1)) == 0 && remaining >= size)
                return order;
        }
        return 0;
    }
}

/// <summary>One chunk: <see cref="Frames"/> frames starting <see cref="Offset"/> frames into the operation.</summary>
internal readonly record struct Chunk(ulong Offset, int Order)
{
    /// <summary>Frames in the chunk: 2^<see cref="Order"/>.</summary>
    public ulong Frames => 1UL << Order;
}
