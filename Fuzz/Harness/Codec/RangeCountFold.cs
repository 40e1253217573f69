using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// How a range operation's frame count reads: the <c>nr</c> of <c>map</c>, <c>unmap</c> and <c>retype</c>,
/// and <c>identity</c>'s length. Every count up to the geometry's largest range is expressible (a whole
/// <c>real</c> range is 2^20 frames), and so are the two over-maximum edges every implementation rejects
/// before doing any work: one past the largest range, and 2^64 - 1 (where <c>gfn + nr</c> wraps, and
/// identity's <c>end = start - 1</c>).
/// </summary>
/// <remarks>
/// The oracle does work per frame, so a count's cost is its size: the field's raw value falls into one of
/// a few bands, each a fixed share of the field's codes, and costly counts get a sliver. Read in the
/// order of the raw value:
/// <list type="table">
/// <item><term>1/2</term><description>tiny: 0 to 16, where operations collide inside one leaf table</description></item>
/// <item><term>1/4</term><description>tables: 0 to 2E + 1, up to two leaf tables and one frame more</description></item>
/// <item><term>about 1/16</term><description>cheap: 0 to the largest range or <see cref="CheapFrames"/>, whichever is smaller</description></item>
/// <item><term>2^-16</term><description>costly edges: the leaf sizes, their neighbours and the largest range above <see cref="CheapFrames"/> (real: a 1G chunk and one either side, the whole range and one less)</description></item>
/// <item><term>2^-16</term><description>costly: 0 to the largest range</description></item>
/// <item><term>3/16</term><description>edges: the leaf sizes and their neighbours up to <see cref="CheapFrames"/>, and the two over-maximum edges</description></item>
/// </list>
/// A geometry whose largest range is cheap (mini) has no costly bands; its cheap band takes their share.
/// The field is the fewest whole bytes (at least 2) in which every band has a code for each of its
/// values. All ones reads as an edge, never as a costly count.
/// </remarks>
internal sealed class RangeCountFold
{
    /// <summary>
    /// Counts up to this many frames are cheap: eight <c>real</c> leaf tables, the per-operation bound the
    /// format had before it held whole ranges. A 1G chunk makes one execution about a hundred times dearer.
    /// </summary>
    public const ulong CheapFrames = 4096;

    private const int ShareBits = 16;
    private const ulong TinyMax = 16;

    private static readonly RangeCountFold MiniFold = new(Geometry.Mini);
    private static readonly RangeCountFold RealFold = new(Geometry.Real);

    private readonly Band[] _byRaw;        // bands in raw-value order, for decoding
    private readonly Band[] _byPreference; // the same, cheapest first: Encode writes the first band that holds a value

    private RangeCountFold(Geometry geometry)
    {
        ulong e = (ulong)geometry.EntriesPerPage, max = geometry.MaxRangeFrames;
        ulong[] edges = [e - 1, e, e + 1, e * e - 1, e * e, e * e + 1, max - 1, max, max + 1, ulong.MaxValue];
        ulong[] cheapEdges = edges.Where(v => v <= CheapFrames || v > max).ToArray();
        ulong[] costlyEdges = edges.Where(v => v > CheapFrames && v <= max).ToArray();
        bool costly = costlyEdges.Length > 0;

        // Shares in 1/2^16 of the field; they add up to 2^16.
        var tiny = new BandSpec("tiny", 1UL << 15, TinyMax, null);
        var tables = new BandSpec("tables", 1UL << 14, 2 * e + 1, null);
        var cheap = new BandSpec("cheap", (1UL << 12) - (costly ? 2UL : 0), Math.Min(max, CheapFrames), null);
        var costlyEdge = new BandSpec("costly edges", costly ? 1UL : 0, 0, costlyEdges);
        var costlyAny = new BandSpec("costly", costly ? 1UL : 0, max, null);
        var edge = new BandSpec("edges", 3UL << 12, 0, cheapEdges);
        BandSpec[] inRawOrder = [tiny, tables, cheap, costlyEdge, costlyAny, edge];

        Width = 2;
        while (!inRawOrder.All(b => b.Share == 0 || b.Share << (8 * Width - ShareBits) >= b.Values))
            Width++;
        int unitBits = 8 * Width - ShareBits;
        var bands = new List<Band>();
        ulong start = 0;
        foreach (BandSpec spec in inRawOrder)
        {
            if (spec.Share == 0) continue;
            bands.Add(new Band(spec.Name, start, spec.Share << unitBits, spec.Max, spec.Edges));
            start += spec.Share << unitBits;
        }
        _byRaw = bands.ToArray();
        string[] preference = ["tiny", "tables", "edges", "cheap", "costly edges", "costly"];
        _byPreference = preference.SelectMany(name => _byRaw.Where(b => b.Name == name)).ToArray();
        Max = max;
    }

    /// <summary>The fold for <paramref name="geometry"/> (cached for mini and real: decoding asks once per record).</summary>
    public static RangeCountFold For(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry == Geometry.Mini) return MiniFold;
        if (geometry == Geometry.Real) return RealFold;
        return new RangeCountFold(geometry);
    }

    /// <summary>Bytes of the field: mini 2, real 5.</summary>
    public int Width { get; }

    /// <summary>The geometry's largest range: every count up to it is expressible.</summary>
    public ulong Max { get; }

    /// <summary>Reads the field and folds it.</summary>
    public ulong Read(ref ByteReader reader) => Decode(reader.Read(Width));

    /// <summary>The count a raw field value stands for.</summary>
    public ulong Decode(ulong raw)
    {
        foreach (Band band in _byRaw)
            if (raw - band.Start < band.Codes) return band.Decode(raw - band.Start);
        return 0; // unreachable: the bands cover the field
    }

    /// <summary>The canonical raw field value for <paramref name="value"/>: its code in the cheapest band that holds it.</summary>
    public bool TryEncode(ulong value, out ulong raw)
    {
        foreach (Band band in _byPreference)
        {
            if (band.TryEncode(value, out ulong offset))
            {
                raw = band.Start + offset;
                return true;
            }
        }
        raw = 0;
        return false;
    }

    /// <summary>Writes the field for <paramref name="value"/>; <see cref="ArgumentException"/> when it is not expressible.</summary>
    public void Write(ByteWriter writer, ulong value, string key)
    {
        if (!TryEncode(value, out ulong raw))
            throw new ArgumentException($"{key}={Dec(value)} is not expressible: the codec folds counts into {Describe()}");
        writer.Write(raw, Width);
    }

    /// <summary>The values this fold can produce, e.g. <c>0..256 or 18446744073709551615</c>.</summary>
    public string Describe() => $"0..{Dec(Max + 1)} or {Dec(ulong.MaxValue)}";

    private static string Dec(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private readonly record struct BandSpec(string Name, ulong Share, ulong Max, ulong[]? Edges)
    {
        public ulong Values => Edges is null ? Max + 1 : (ulong)Edges.Length;
    }

    /// <summary>Codes <c>[Start, Start + Codes)</c> of the field, standing for 0..Max (when <see cref="Edges"/> is null) or for the edges, repeating.</summary>
    private readonly record struct Band(string Name, ulong Start, ulong Codes, ulong Max, ulong[]? Edges)
    {
        public ulong Decode(ulong offset) => Edges is null ? offset % (Max + 1) : Edges[offset % (ulong)Edges.Length];

        public bool TryEncode(ulong value, out ulong offset)
        {
            if (Edges is null)
            {
                offset = value;
                return value <= Max;
            }
            int index = Array.IndexOf(Edges, value);
            offset = index < 0 ? 0 : (ulong)index;
            return index >= 0;
        }
    }
}
