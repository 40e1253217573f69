using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// How big an input is, for the minimiser: compared first by number of operations, then by the sum of
/// every numeric argument (GFNs, MFNs, counts, frame indexes, <c>fail-allocs</c> n), then by how unusual
/// the types are (<c>ram_rw</c> simplest), then by whether the pool is set explicitly. Every candidate the
/// minimiser keeps is strictly smaller under this order, which is what guarantees it never returns
/// something bigger and that its passes reach a fixpoint.
/// </summary>
/// <param name="Ops">Number of operations.</param>
/// <param name="Magnitude">Sum of every numeric argument (128 bits, so it never wraps).</param>
/// <param name="TypeRank">Sum of <see cref="RankOf"/> over every type an operation names.</param>
/// <param name="ExplicitPool">True when the input sets <c>pool pages=</c> rather than using the default.</param>
public readonly record struct InputSize(int Ops, UInt128 Magnitude, int TypeRank, bool ExplicitPool)
    : IComparable<InputSize>
{
    /// <summary>The size of <paramref name="input"/>.</summary>
    public static InputSize Of(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        UInt128 magnitude = 0;
        int typeRank = 0;
        foreach (Op op in input.Ops)
        {
            foreach (OpArgument argument in OpArguments.Of(op.Kind))
                magnitude += OpArguments.Get(op, argument);
            foreach (OpTypeSlot slot in OpTypes.Of(op.Kind))
                typeRank += RankOf(OpTypes.Get(op, slot));
        }
        return new InputSize(input.Ops.Length, magnitude, typeRank, input.PoolPages is not null);
    }

    /// <summary>
    /// How far a type is from the plainest one: <c>ram_rw</c> 0, then <c>ram_ro</c>, <c>mmio_direct_io</c>,
    /// the other MMIO, grant and IOMMU types, the foreign types (read-write before read-only), and last the
    /// values no caller may request (<c>ext_storage</c>, <c>invalid</c>, undefined codes).
    /// </summary>
    public static int RankOf(P2MType type) => type switch
    {
        P2MType.RamRw => 0,
        P2MType.RamRo => 1,
        P2MType.MmioDirectIo => 2,
        P2MType.MmioDirectC => 3,
        P2MType.MmioDirectNc => 4,
        P2MType.GrantMapRw => 5,
        P2MType.GrantMapRo => 6,
        P2MType.IommuMapRw => 7,
        P2MType.IommuMapRo => 8,
        P2MType.MapForeignRw => 9,
        P2MType.MapForeignRo => 10,
        P2MType.ExtStorage => 11,
        P2MType.Invalid => 12,
        _ => 13 + (int)type,
    };

    /// <summary>Operations first, then magnitude, type rank, explicit pool.</summary>
    public int CompareTo(InputSize other)
    {
        int byOps = Ops.CompareTo(other.Ops);
        if (byOps != 0) return byOps;
        int byMagnitude = Magnitude.CompareTo(other.Magnitude);
        if (byMagnitude != 0) return byMagnitude;
        int byTypes = TypeRank.CompareTo(other.TypeRank);
        return byTypes != 0 ? byTypes : ExplicitPool.CompareTo(other.ExplicitPool);
    }

    /// <summary>True when <paramref name="left"/> is strictly smaller.</summary>
    public static bool operator <(InputSize left, InputSize right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is strictly larger.</summary>
    public static bool operator >(InputSize left, InputSize right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is smaller or the same size.</summary>
    public static bool operator <=(InputSize left, InputSize right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is larger or the same size.</summary>
    public static bool operator >=(InputSize left, InputSize right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Ops} ops, magnitude {Magnitude}, type rank {TypeRank}{(ExplicitPool ? ", explicit pool" : "")}";
}
