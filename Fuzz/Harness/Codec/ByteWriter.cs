namespace P2M.Fuzz.Codec;

/// <summary>Writes little-endian fields front to back into a growing buffer: the mirror of <see cref="ByteReader"/>.</summary>
internal sealed class ByteWriter
{
    private readonly List<byte> _bytes = new(64);

    /// <summary>Appends one byte.</summary>
    public void WriteByte(byte value) => _bytes.Add(value);

    /// <summary>Appends <paramref name="value"/> as an unsigned little-endian field of <paramref name="width"/> bytes (1 to 8).</summary>
    public void Write(ulong value, int width)
    {
        for (int i = 0; i < width; i++, value >>= 8)
            _bytes.Add((byte)value);
    }

    /// <summary>Everything written so far.</summary>
    public byte[] ToArray() => _bytes.ToArray();
}
