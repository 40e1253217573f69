using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// How the header's 16-bit pool size reads. Small pools are where allocations run out mid-operation
/// (<c>ENOMEM</c>, failed splits, leaks), yet they are a sliver of the full range, so half the codes go
/// to them: below 0x8000 the pool is <c>4 + v mod 61</c> (4 to 64 pages); from 0x8000 up it is
/// <c>4 + (v - 0x8000) mod (default - 3)</c>, anything from the root's 4 pages to the geometry's default.
/// </summary>
internal readonly struct PoolFold
{
    /// <summary>Smallest pool: the root's pages.</summary>
    public const int MinPages = Geometry.RootPages;

    /// <summary>Largest pool of the small band.</summary>
    public const int SmallBandMaxPages = 64;

    private const ulong AnyBandStart = 0x8000;

    private readonly CountFold _small;
    private readonly CountFold _any;

    public PoolFold(Geometry geometry)
    {
        MaxPages = geometry.DefaultPoolPages;
        _small = new CountFold(SmallBandMaxPages - MinPages, width: 2);
        _any = new CountFold((ulong)(MaxPages - MinPages), width: 2);
    }

    /// <summary>Largest pool: the geometry's default.</summary>
    public int MaxPages { get; }

    /// <summary>Bytes of the field.</summary>
    public int Width => 2;

    /// <summary>Reads the field and folds it.</summary>
    public int Read(ref ByteReader reader)
    {
        ulong raw = reader.Read(Width);
        ulong above = raw < AnyBandStart ? _small.Decode(raw) : _any.Decode(raw - AnyBandStart);
        return MinPages + (int)above;
    }

    /// <summary>
    /// Writes the canonical field for <paramref name="pages"/>: the small band up to 64 pages, the full band
    /// above; <see cref="ArgumentException"/> outside 4 to the geometry's default.
    /// </summary>
    public void Write(ByteWriter writer, int pages)
    {
        if (pages < MinPages || pages > MaxPages)
            throw new ArgumentException($"pool pages={pages} is not expressible: the codec folds it into {MinPages}..{MaxPages}");
        ulong above = (ulong)(pages - MinPages);
        writer.Write(pages <= SmallBandMaxPages ? above : AnyBandStart + above, Width);
    }
}
