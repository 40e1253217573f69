using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// How a type byte reads. Below 128 it names one of the types <c>map</c> and <c>retype</c> accept
/// (<c>b mod 9</c>, in code order), so most operations get past the type check; from 128 up it names
/// any defined code (<c>(b - 128) mod 13</c>), which keeps <c>invalid</c>, the <c>ext_storage</c>
/// marker and the foreign types reachable for the <c>EINVAL</c> paths. Codes above 12 are not produced:
/// the script format has no name for them.
/// </summary>
internal static class TypeFold
{
    private const int AnyCodeBand = 128;

    private static readonly P2MType[] Requestable = P2MTypes.All.ToArray().Where(P2MTypes.IsRequestable).ToArray();

    private static readonly int DefinedCodes = (int)P2MTypes.Max + 1;

    /// <summary>Reads a type byte.</summary>
    public static P2MType Read(ref ByteReader reader) => Decode(reader.ReadByte());

    /// <summary>The type a type byte stands for.</summary>
    public static P2MType Decode(byte raw) =>
        raw < AnyCodeBand ? Requestable[raw % Requestable.Length] : (P2MType)((raw - AnyCodeBand) % DefinedCodes);

    /// <summary>
    /// Writes the canonical byte for <paramref name="type"/>: its index among the requestable types, or
    /// 128 + its code for the others; <see cref="ArgumentException"/> for a code above 12.
    /// </summary>
    public static void Write(ByteWriter writer, P2MType type, string key)
    {
        int requestable = Array.IndexOf(Requestable, type);
        if (requestable >= 0)
            writer.WriteByte((byte)requestable);
        else if (P2MTypes.IsDefined(type))
            writer.WriteByte((byte)(AnyCodeBand + (int)type));
        else
            throw new ArgumentException($"{key}={P2MTypes.Name(type)} is not expressible: the codec folds types into the defined codes 0..{DefinedCodes - 1}");
    }
}
