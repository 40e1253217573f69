namespace P2M.Fuzz.Codec;

/// <summary>
/// Reads little-endian fields front to back. It does not check lengths: the decoder measures each
/// whole record against what is left before reading any of it, so a truncated record is never read.
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>The next byte, not consumed.</summary>
    public readonly byte Peek() => _data[_position];

    /// <summary>Moves past <paramref name="count"/> bytes without reading them.</summary>
    public void Skip(int count) => _position += count;

    /// <summary>The next byte.</summary>
    public byte ReadByte() => _data[_position++];

    /// <summary>An unsigned little-endian field of <paramref name="width"/> bytes (1 to 8).</summary>
    public ulong Read(int width)
    {
        ReadOnlySpan<byte> field = _data.Slice(_position, width);
        ulong value = 0;
        for (int i = width - 1; i >= 0; i--)
            value = (value << 8) | field[i];
        _position += width;
        return value;
    }
}
