using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Codec;

/// <summary>
/// The binary form of a <see cref="FuzzInput"/>, the one byte-level fuzzers mutate (the layout is in
/// <c>README.md</c> beside this file). Every byte string decodes to a valid input, in bounded time:
/// there is no magic and no rejection; opcodes wrap around the 12 kinds, every field is folded into
/// its geometry's ranges (most values valid, a reserved few at the edges the argument checks must
/// reject), and a truncated last record is dropped.
/// </summary>
public static class OpCodec
{
    /// <summary>Header bit 0: the <c>real</c> geometry (clear: <c>mini</c>).</summary>
    public const byte RealGeometryBit = 0x01;

    /// <summary>Header bit 1: a 16-bit pool size follows the header (clear: the geometry's default pool).</summary>
    public const byte PoolFollowsBit = 0x02;

    /// <summary>Decodes <paramref name="data"/>; see <see cref="Decode(ReadOnlySpan{byte}, out int, CodecLimits?)"/>.</summary>
    public static FuzzInput Decode(ReadOnlySpan<byte> data, CodecLimits? limits = null) => Decode(data, out _, limits);

    /// <summary>
    /// Decodes any bytes into a valid input; never throws. The first byte is the header (geometry,
    /// whether a pool size follows), then come whole operation records until the data runs out, or
    /// <see cref="CodecLimits.MaxOps"/> are read, or the next record would take the frames the range
    /// operations name past <see cref="CodecLimits.MaxFrames"/>. A record cut short by the end of the data
    /// is dropped, as is a pool size cut short (the input then has no operations). Empty data is an empty
    /// <c>mini</c> input.
    /// </summary>
    /// <param name="data">The bytes, e.g. one fuzzer input.</param>
    /// <param name="bytesUsed">How many leading bytes the input came from; the rest were ignored.</param>
    /// <param name="limits">Bounds of the decoded input; null for <see cref="CodecLimits.Files"/>. A fuzzer's fresh bytes take <see cref="CodecLimits.Fuzz"/>.</param>
    public static FuzzInput Decode(ReadOnlySpan<byte> data, out int bytesUsed, CodecLimits? limits = null)
    {
        var reader = new ByteReader(data);
        if (reader.Remaining == 0)
        {
            bytesUsed = 0;
            return new FuzzInput(Geometry.Mini, null, []);
        }

        byte header = reader.ReadByte();
        Geometry geometry = (header & RealGeometryBit) != 0 ? Geometry.Real : Geometry.Mini;
        limits ??= CodecLimits.Files;
        var folds = new FieldFolds(geometry, limits);

        int? poolPages = null;
        if ((header & PoolFollowsBit) != 0)
        {
            if (reader.Remaining < folds.Pool.Width)
            {
                bytesUsed = reader.Position;
                return new FuzzInput(geometry, null, []);
            }
            poolPages = folds.Pool.Read(ref reader);
        }

        // Measure first, so the one allocation is the exact array.
        var ops = new Op[WholeRecords(reader, folds, geometry, limits)];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = OpRecords.Read(ref reader, folds);

        bytesUsed = reader.Position;
        return new FuzzInput(geometry, poolPages, ops);
    }

    /// <summary>
    /// How many whole records follow within the limits. Takes the reader by value: it reads records
    /// only to measure them, leaving the caller's position where it was.
    /// </summary>
    private static int WholeRecords(ByteReader reader, in FieldFolds folds, Geometry geometry, CodecLimits limits)
    {
        int records = 0;
        ulong frames = 0;
        while (reader.Remaining > 0 && OpRecords.Size(OpRecords.KindOf(reader.Peek()), folds) <= reader.Remaining)
        {
            if (!limits.TryAdd(OpRecords.Read(ref reader, folds), geometry, ref records, ref frames)) break;
        }
        return records;
    }

    /// <summary>
    /// The bytes <see cref="Decode(ReadOnlySpan{byte}, CodecLimits?)"/> reads back as <paramref name="input"/>
    /// under the same <paramref name="limits"/>. Values outside the folds are not clamped: they throw, so
    /// an encoded input always means what it says. Expressible are:
    /// <list type="bullet">
    /// <item>at most <see cref="CodecLimits.MaxOps"/> operations naming at most <see cref="CodecLimits.MaxFrames"/> frames; a pool of 4 up to the geometry's default pages, or none;</item>
    /// <item>GFNs, MFNs and identity starts inside their space, within one space past it, or within one space of 2^64;</item>
    /// <item>range counts (identity: <c>end - start</c>, wrapping) up to <c>MaxRangeFrames + 1</c>, or 2^64 - 1;</item>
    /// <item>grant-setup frames up to the geometry's maximum + 1; grant-map frames up to the maximum, or 2^64 - 1;</item>
    /// <item>fail-allocs up to <see cref="CodecLimits.MaxFailAllocs"/>; every defined type (0..12).</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">A value the format cannot express; the message names the operation and key.</exception>
    public static byte[] Encode(FuzzInput input, CodecLimits? limits = null)
    {
        var writer = new ByteWriter();
        Encode(input, writer, limits);
        return writer.ToArray();
    }

    /// <summary>
    /// <see cref="Encode(FuzzInput, CodecLimits?)"/> into <paramref name="writer"/>, cleared first: the bytes are its
    /// <see cref="ByteWriter.Written"/> until it is written again. A caller encoding every input keeps one writer.
    /// </summary>
    /// <exception cref="ArgumentException">A value the format cannot express; the message names the operation and key.</exception>
    internal static ReadOnlySpan<byte> Encode(FuzzInput input, ByteWriter writer, CodecLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        writer.Clear();
        limits ??= CodecLimits.Files;
        var folds = new FieldFolds(input.Geometry, limits);
        if (input.Ops.Length > limits.MaxOps)
            throw new ArgumentException($"{input.Ops.Length} operations are not expressible: decoding stops after {limits.MaxOps}");
        int fitting = 0;
        ulong frames = 0;
        while (fitting < input.Ops.Length && limits.TryAdd(input.Ops[fitting], input.Geometry, ref fitting, ref frames)) { }
        if (fitting < input.Ops.Length)
            throw new ArgumentException($"op {fitting} ({ScriptPrinter.Format(input.Ops[fitting])}): more than {limits.MaxFrames} frames " +
                                        "in one input are not expressible: decoding stops before this operation");

        writer.WriteByte((byte)((input.Geometry == Geometry.Real ? RealGeometryBit : 0) | (input.PoolPages is null ? 0 : PoolFollowsBit)));
        if (input.PoolPages is { } pages)
            folds.Pool.Write(writer, pages);

        for (int i = 0; i < input.Ops.Length; i++)
        {
            try
            {
                OpRecords.Write(writer, input.Ops[i], folds);
            }
            catch (ArgumentException e)
            {
                // The fold names the key and its range; add which operation, as a script line.
                throw new ArgumentException($"op {i} ({ScriptPrinter.Format(input.Ops[i])}): {e.Message}", e);
            }
        }
        return writer.Written;
    }
}
