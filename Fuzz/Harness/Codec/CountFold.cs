using System.Globalization;

namespace P2M.Fuzz.Codec;

/// <summary>
/// How a small number reads: a frame count, a grant frame index, <c>fail-allocs n</c>, the pool size,
/// an on/off flag. The field's value modulo the number of codes picks a code; codes <c>0..Max</c> are
/// themselves, and up to two codes after them stand for edge values far above <see cref="Max"/>
/// (e.g. one past a geometry's largest range, or 2^64 - 1), so an argument check that would need a
/// huge, costly value to trigger is still reachable from a few bytes.
/// </summary>
internal readonly struct CountFold
{
    private readonly ulong _firstEdge;
    private readonly ulong _secondEdge;
    private readonly int _edges;

    /// <summary>
    /// Codes <c>0..<paramref name="max"/></c> and then each of <paramref name="edges"/> not already among them,
    /// in a field of <paramref name="width"/> bytes (1 to 7) large enough for every code.
    /// </summary>
    public CountFold(ulong max, int width, params ReadOnlySpan<ulong> edges)
    {
        Max = max;
        Width = width;
        _firstEdge = _secondEdge = 0;
        _edges = 0;
        foreach (ulong edge in edges)
        {
            if (edge <= max || (_edges == 1 && edge == _firstEdge)) continue;
            if (_edges == 0) _firstEdge = edge;
            else if (_edges == 1) _secondEdge = edge;
            else throw new ArgumentException("at most two edge values", nameof(edges));
            _edges++;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 7);
        if (Codes > 1UL << (8 * width))
            throw new ArgumentOutOfRangeException(nameof(max), max, $"{Codes} codes do not fit {width} bytes");
    }

    /// <summary>Largest value read as itself.</summary>
    public ulong Max { get; }

    /// <summary>Bytes of the field.</summary>
    public int Width { get; }

    private ulong Codes => Max + 1 + (ulong)_edges;

    /// <summary>Reads the field and folds it.</summary>
    public ulong Read(ref ByteReader reader) => Decode(reader.Read(Width));

    /// <summary>The value a raw field value stands for.</summary>
    public ulong Decode(ulong raw)
    {
        ulong code = raw % Codes;
        if (code <= Max) return code;
        return code == Max + 1 ? _firstEdge : _secondEdge;
    }

    /// <summary>The raw field value that decodes to <paramref name="value"/>, when it is <c>0..Max</c> or an edge.</summary>
    public bool TryEncode(ulong value, out ulong raw)
    {
        if (value <= Max)
            raw = value;
        else if (_edges >= 1 && value == _firstEdge)
            raw = Max + 1;
        else if (_edges == 2 && value == _secondEdge)
            raw = Max + 2;
        else
        {
            raw = 0;
            return false;
        }
        return true;
    }

    /// <summary>Writes the field for <paramref name="value"/>; <see cref="ArgumentException"/> when it is not expressible.</summary>
    public void Write(ByteWriter writer, ulong value, string key)
    {
        if (!TryEncode(value, out ulong raw))
            throw new ArgumentException($"{key}={Dec(value)} is not expressible: the codec folds it into {Describe()}");
        writer.Write(raw, Width);
    }

    /// <summary>The values this fold can produce, e.g. <c>0..257 or 18446744073709551615</c>.</summary>
    public string Describe() => _edges switch
    {
        0 => $"0..{Dec(Max)}",
        1 => $"0..{Dec(Max)} or {Dec(_firstEdge)}",
        _ => $"0..{Dec(Max)}, {Dec(_firstEdge)} or {Dec(_secondEdge)}",
    };

    private static string Dec(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
