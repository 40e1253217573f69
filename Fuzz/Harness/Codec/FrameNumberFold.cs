using System.Globalization;

namespace P2M.Fuzz.Codec;

/// <summary>
/// How a GFN or MFN field reads. The field's low <see cref="ValueBits"/> bits are a frame inside the
/// space; the bits above them pick a region, so most raw values name a real frame while one in eight
/// names an edge that the argument checks must reject:
/// <list type="table">
/// <item><term>region 0-13</term><description>the frame itself, in <c>[0, limit)</c></description></item>
/// <item><term>region 14</term><description><c>limit + frame</c>: the first frame past the space, and values whose low bits alias a valid frame (a masking bug)</description></item>
/// <item><term>region 15</term><description><c>2^64 - 1 - frame</c>: the top of the 64-bit space, where <c>gfn + nr</c> wraps (an overflowing bounds check)</description></item>
/// </list>
/// The region is the low 4 bits of what lies above the frame bits, so the field is the smallest whole
/// number of bytes holding <c>ValueBits + 4</c> bits: <c>mini</c> GFN 2 and MFN 2, <c>real</c> GFN 5 and MFN 6.
/// </summary>
internal readonly struct FrameNumberFold
{
    private const int RegionBits = 4;
    private const ulong RegionMask = (1UL << RegionBits) - 1;
    private const ulong PastTheSpace = 14;
    private const ulong TopOf64Bits = 15;

    /// <summary>A fold for a space of 2^<paramref name="valueBits"/> frames (at most 2^59, so the region fits one 64-bit field).</summary>
    public FrameNumberFold(int valueBits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valueBits, 64 - RegionBits);
        ValueBits = valueBits;
        Width = (valueBits + RegionBits + 7) / 8;
    }

    /// <summary>Bits of the frame inside the space: <c>GfnBits</c> or <c>MfnBits</c>.</summary>
    public int ValueBits { get; }

    /// <summary>Bytes of the field.</summary>
    public int Width { get; }

    /// <summary>One past the last frame of the space.</summary>
    public ulong Limit => 1UL << ValueBits;

    /// <summary>Reads the field and folds it.</summary>
    public ulong Read(ref ByteReader reader) => Decode(reader.Read(Width));

    /// <summary>The frame number a raw field value stands for.</summary>
    public ulong Decode(ulong raw)
    {
        ulong frame = raw & (Limit - 1);
        return ((raw >> ValueBits) & RegionMask) switch
        {
            PastTheSpace => Limit + frame,
            TopOf64Bits => ulong.MaxValue - frame,
            _ => frame,
        };
    }

    /// <summary>
    /// The raw field value that decodes to <paramref name="frame"/>: inside the space, within one space
    /// past it, or within one space of 2^64. Other values are not expressible.
    /// </summary>
    public bool TryEncode(ulong frame, out ulong raw)
    {
        if (frame < Limit)
            raw = frame;
        else if (frame - Limit < Limit)
            raw = (PastTheSpace << ValueBits) | (frame - Limit);
        else if (ulong.MaxValue - frame < Limit)
            raw = (TopOf64Bits << ValueBits) | (ulong.MaxValue - frame);
        else
        {
            raw = 0;
            return false;
        }
        return true;
    }

    /// <summary>Writes the field for <paramref name="frame"/>; <see cref="ArgumentException"/> when it is not expressible.</summary>
    public void Write(ByteWriter writer, ulong frame, string key)
    {
        if (!TryEncode(frame, out ulong raw))
            throw new ArgumentException($"{key}={Hex(frame)} is not expressible: the codec folds it into " +
                                        $"[0, {Hex(Limit)}), [{Hex(Limit)}, {Hex(2 * Limit)}) or [{Hex(0UL - Limit)}, 2^64)");
        writer.Write(raw, Width);
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
