using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>The numeric arguments of an operation, by what they mean, so passes can read and rewrite them one at a time.</summary>
internal enum OpArgument
{
    /// <summary>First GFN: map, unmap, retype, foreign, grant-map, lookup, translate.</summary>
    Gfn,
    /// <summary>First MFN: map, foreign.</summary>
    Mfn,
    /// <summary>Frame count: map, unmap, retype.</summary>
    Nr,
    /// <summary>First GFN of an identity range.</summary>
    Start,
    /// <summary>One past the last GFN of an identity range.</summary>
    End,
    /// <summary>Grant frames to create: grant-setup.</summary>
    Frames,
    /// <summary>Grant frame index: grant-map.</summary>
    Frame,
    /// <summary>Allocations to fail: fail-allocs.</summary>
    FailCount,
}

/// <summary>
/// Reads and rewrites <see cref="OpArgument"/>s through the <see cref="Op"/> factories, so a rewritten
/// operation is always one a script could have said. <c>directmap</c>'s on/off is not a number here:
/// it is a mode, not a size, and the minimiser leaves it alone (or removes the operation).
/// </summary>
internal static class OpArguments
{
    private static readonly OpArgument[] None = [];
    private static readonly OpArgument[] MapArguments = [OpArgument.Gfn, OpArgument.Mfn, OpArgument.Nr];
    private static readonly OpArgument[] RangeArguments = [OpArgument.Gfn, OpArgument.Nr];
    private static readonly OpArgument[] IdentityArguments = [OpArgument.Start, OpArgument.End];
    private static readonly OpArgument[] ForeignArguments = [OpArgument.Gfn, OpArgument.Mfn];
    private static readonly OpArgument[] GrantSetupArguments = [OpArgument.Frames];
    private static readonly OpArgument[] GrantMapArguments = [OpArgument.Frame, OpArgument.Gfn];
    private static readonly OpArgument[] GfnOnly = [OpArgument.Gfn];
    private static readonly OpArgument[] FailAllocsArguments = [OpArgument.FailCount];

    /// <summary>The numeric arguments an operation of <paramref name="kind"/> carries, in script order.</summary>
    public static ReadOnlySpan<OpArgument> Of(OpKind kind) => kind switch
    {
        OpKind.Map => MapArguments,
        OpKind.Unmap or OpKind.Retype => RangeArguments,
        OpKind.Identity => IdentityArguments,
        OpKind.Foreign => ForeignArguments,
        OpKind.GrantSetup => GrantSetupArguments,
        OpKind.GrantMap => GrantMapArguments,
        OpKind.Lookup or OpKind.Translate => GfnOnly,
        OpKind.FailAllocs => FailAllocsArguments,
        _ => None,
    };

    /// <summary>The value of <paramref name="argument"/> in <paramref name="op"/>.</summary>
    public static ulong Get(in Op op, OpArgument argument) => argument switch
    {
        OpArgument.Gfn => op.Gfn.Value,
        OpArgument.Mfn => op.Mfn.Value,
        OpArgument.Nr => op.Nr,
        OpArgument.Start => op.Start.Value,
        OpArgument.End => op.End.Value,
        OpArgument.Frames => op.Frames,
        OpArgument.Frame => op.Frame,
        OpArgument.FailCount => op.Count,
        _ => throw new ArgumentOutOfRangeException(nameof(argument), argument, null),
    };

    /// <summary><paramref name="op"/> with <paramref name="argument"/> set to <paramref name="value"/>, everything else kept.</summary>
    public static Op With(in Op op, OpArgument argument, ulong value) => (op.Kind, argument) switch
    {
        (OpKind.Map, OpArgument.Gfn) => Op.Map(new Gfn(value), op.Mfn, op.Nr, op.Type),
        (OpKind.Map, OpArgument.Mfn) => Op.Map(op.Gfn, new Mfn(value), op.Nr, op.Type),
        (OpKind.Map, OpArgument.Nr) => Op.Map(op.Gfn, op.Mfn, value, op.Type),
        (OpKind.Unmap, OpArgument.Gfn) => Op.Unmap(new Gfn(value), op.Nr),
        (OpKind.Unmap, OpArgument.Nr) => Op.Unmap(op.Gfn, value),
        (OpKind.Retype, OpArgument.Gfn) => Op.Retype(new Gfn(value), op.Nr, op.From, op.To),
        (OpKind.Retype, OpArgument.Nr) => Op.Retype(op.Gfn, value, op.From, op.To),
        (OpKind.Identity, OpArgument.Start) => Op.Identity(new Gfn(value), op.End),
        (OpKind.Identity, OpArgument.End) => Op.Identity(op.Start, new Gfn(value)),
        (OpKind.Foreign, OpArgument.Gfn) => Op.Foreign(new Gfn(value), op.Mfn, op.ReadOnly),
        (OpKind.Foreign, OpArgument.Mfn) => Op.Foreign(op.Gfn, new Mfn(value), op.ReadOnly),
        (OpKind.GrantSetup, OpArgument.Frames) => Op.GrantSetup(value),
        (OpKind.GrantMap, OpArgument.Frame) => Op.GrantMap(value, op.Gfn),
        (OpKind.GrantMap, OpArgument.Gfn) => Op.GrantMap(op.Frame, new Gfn(value)),
        (OpKind.Lookup, OpArgument.Gfn) => Op.Lookup(new Gfn(value)),
        (OpKind.Translate, OpArgument.Gfn) => Op.Translate(new Gfn(value)),
        (OpKind.FailAllocs, OpArgument.FailCount) => Op.FailAllocs(value),
        _ => throw new ArgumentException($"{op.Kind} has no {argument} argument", nameof(argument)),
    };

    /// <summary>True for arguments that are frame numbers or frame counts, whose alignment to the geometry's orders matters.</summary>
    public static bool IsFrameValued(OpArgument argument) =>
        argument is OpArgument.Gfn or OpArgument.Mfn or OpArgument.Nr or OpArgument.Start or OpArgument.End;
}
