using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Folds an operation into what the binary codec can express for its geometry (see
/// Fuzz/Harness/Codec/README.md): frame numbers inside the space, in the band just past it, or
/// within the space's size of 2^64; counts up to one past the largest range, or 2^64 - 1; an identity
/// range as a start and a length; and the operations within the fuzzing limits
/// (<see cref="CodecLimits.Fuzz"/>: operations and frames). Every input the campaign runs goes through it,
/// so every input it keeps can be written to the corpus and reproduces exactly, and its cost is bounded.
/// </summary>
public static class InputBounds
{
    /// <summary>
    /// The input with every operation folded, cut (as decoding cuts) before the operation that would pass
    /// <see cref="CodecLimits.MaxOps"/> operations or <see cref="CodecLimits.MaxFrames"/> frames of <see cref="CodecLimits.Fuzz"/>.
    /// </summary>
    public static FuzzInput Fit(FuzzInput input)
    {
        Op[] ops = input.Ops.ToArray();
        int kept = Fit(ops, input.Geometry);
        return new FuzzInput(input.Geometry, Pool(input.PoolPages, input.Geometry), kept == ops.Length ? ops : ops[..kept]);
    }

    /// <summary>
    /// Folds <paramref name="ops"/> in place as <see cref="Fit(FuzzInput)"/> does, on a buffer the caller
    /// reuses; returns how many of them fit, the prefix to keep.
    /// </summary>
    public static int Fit(Span<Op> ops, Geometry geometry)
    {
        CodecLimits limits = CodecLimits.Fuzz;
        int fitting = 0;
        ulong frames = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            Op folded = Fit(ops[i], geometry, limits);
            if (!limits.TryAdd(folded, geometry, ref fitting, ref frames)) return i;
            ops[i] = folded;
        }
        return ops.Length;
    }

    /// <summary>A pool size inside what the geometry can be built with; null (the default) stays null.</summary>
    public static int? Pool(int? pool, Geometry geometry) =>
        pool is int p ? Math.Clamp(p, Geometry.RootPages, geometry.DefaultPoolPages) : null;

    /// <summary>One operation folded into the codec's ranges for <paramref name="g"/>.</summary>
    public static Op Fit(Op op, Geometry g, CodecLimits limits) => op.Kind switch
    {
        OpKind.Map => Op.Map(Gfn(op.Gfn, g), Mfn(op.Mfn, g), Count(op.Nr, g), Type(op.Type)),
        OpKind.Unmap => Op.Unmap(Gfn(op.Gfn, g), Count(op.Nr, g)),
        OpKind.Retype => Op.Retype(Gfn(op.Gfn, g), Count(op.Nr, g), Type(op.From), Type(op.To)),
        OpKind.Identity => IdentityRange(op, g),
        OpKind.Foreign => Op.Foreign(Gfn(op.Gfn, g), Mfn(op.Mfn, g), op.ReadOnly),
        OpKind.GrantSetup => Op.GrantSetup(Math.Min(op.Frames, (ulong)g.MaxGrantFrames + 1)),
        OpKind.GrantMap => Op.GrantMap(op.Frame <= (ulong)g.MaxGrantFrames ? op.Frame : ulong.MaxValue, Gfn(op.Gfn, g)),
        OpKind.Lookup => Op.Lookup(Gfn(op.Gfn, g)),
        OpKind.Translate => Op.Translate(Gfn(op.Gfn, g)),
        OpKind.FailAllocs => Op.FailAllocs(Math.Min(op.Count, (ulong)limits.MaxFailAllocs)),
        _ => op,
    };

    private static Gfn Gfn(Gfn gfn, Geometry g) => new(Frame(gfn.Value, g.GfnLimit));

    private static Mfn Mfn(Mfn mfn, Geometry g) => new(Frame(mfn.Value, g.MfnLimit));

    /// <summary>Inside the space, or the band past it, or near 2^64 (where gfn + nr wraps); anything else wraps into the space.</summary>
    private static ulong Frame(ulong value, ulong limit) =>
        value < 2 * limit || value >= ulong.MaxValue - (limit - 1) ? value : value % limit;

    /// <summary>Up to one past the largest range, or all ones; any other over-maximum count becomes one past the range (<c>EINVAL</c> either way).</summary>
    private static ulong Count(ulong nr, Geometry g) => nr == ulong.MaxValue ? nr : Math.Min(nr, g.MaxRangeFrames + 1);

    private static P2MType Type(P2MType type) => P2MTypes.IsDefined(type) ? type : (P2MType)((int)type % 13);

    /// <summary>
    /// Identity is a start and a length (<c>end - start</c>, wrapping): a count as above, except that a long
    /// backwards range becomes "end one before start".
    /// </summary>
    private static Op IdentityRange(Op op, Geometry g)
    {
        ulong start = Frame(op.Start.Value, g.GfnLimit);
        ulong length = unchecked(op.End.Value - op.Start.Value);
        if (length > g.MaxRangeFrames + 1 && op.End.Value < op.Start.Value)
            length = ulong.MaxValue;
        return Op.Identity(new Gfn(start), new Gfn(unchecked(start + Count(length, g))));
    }
}
