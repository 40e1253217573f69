namespace P2M.Fuzz.Codec;

/// <summary>
/// Writes little-endian fields front to back into a growing buffer: the mirror of <see cref="ByteReader"/>.
/// Cleared and written again, it keeps its buffer: a campaign encodes every input into one.
/// </summary>
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

    /// <summary>Everything written so far, as a copy.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Everything written so far, in the buffer itself: valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes);

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Clear() => _bytes.Clear();
}
