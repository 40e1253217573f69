using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>Where an operation names a type: <c>map</c>'s type, <c>retype</c>'s from and to, <c>foreign</c>'s access.</summary>
internal enum OpTypeSlot
{
    /// <summary>map type=, or foreign access= (as map_foreign_rw / map_foreign_ro).</summary>
    Type,
    /// <summary>retype from=.</summary>
    From,
    /// <summary>retype to=.</summary>
    To,
}

/// <summary>Reads and rewrites the types an operation names, through the <see cref="Op"/> factories.</summary>
internal static class OpTypes
{
    private static readonly OpTypeSlot[] None = [];
    private static readonly OpTypeSlot[] TypeOnly = [OpTypeSlot.Type];
    private static readonly OpTypeSlot[] RetypeSlots = [OpTypeSlot.From, OpTypeSlot.To];

    /// <summary>
    /// Types a <c>map</c> or <c>retype</c> may be simplified to, plainest first: the requestable ones in
    /// <see cref="InputSize.RankOf"/> order. Non-requestable types are never proposed (they would only
    /// turn the operation into <c>EINVAL</c>), though an input that already names one keeps it.
    /// </summary>
    public static readonly P2MType[] RequestableByRank = P2MTypes.All.ToArray()
        .Where(P2MTypes.IsRequestable)
        .OrderBy(InputSize.RankOf)
        .ToArray();

    private static readonly P2MType[] ForeignByRank = [P2MType.MapForeignRw, P2MType.MapForeignRo];

    /// <summary>The type slots of an operation of <paramref name="kind"/>.</summary>
    public static ReadOnlySpan<OpTypeSlot> Of(OpKind kind) => kind switch
    {
        OpKind.Map or OpKind.Foreign => TypeOnly,
        OpKind.Retype => RetypeSlots,
        _ => None,
    };

    /// <summary>The types worth trying in a type slot of an operation of <paramref name="kind"/>, plainest first.</summary>
    public static ReadOnlySpan<P2MType> Choices(OpKind kind) => kind == OpKind.Foreign ? ForeignByRank : RequestableByRank;

    /// <summary>The type in <paramref name="slot"/>.</summary>
    public static P2MType Get(in Op op, OpTypeSlot slot) => slot switch
    {
        OpTypeSlot.Type => op.Type,
        OpTypeSlot.From => op.From,
        OpTypeSlot.To => op.To,
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, null),
    };

    /// <summary><paramref name="op"/> with <paramref name="slot"/> set to <paramref name="type"/>.</summary>
    public static Op With(in Op op, OpTypeSlot slot, P2MType type) => (op.Kind, slot) switch
    {
        (OpKind.Map, OpTypeSlot.Type) => Op.Map(op.Gfn, op.Mfn, op.Nr, type),
        (OpKind.Foreign, OpTypeSlot.Type) => Op.Foreign(op.Gfn, op.Mfn, type == P2MType.MapForeignRo),
        (OpKind.Retype, OpTypeSlot.From) => Op.Retype(op.Gfn, op.Nr, type, op.To),
        (OpKind.Retype, OpTypeSlot.To) => Op.Retype(op.Gfn, op.Nr, op.From, type),
        _ => throw new ArgumentException($"{op.Kind} has no {slot} type", nameof(slot)),
    };
}
