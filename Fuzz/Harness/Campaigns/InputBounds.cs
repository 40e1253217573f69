using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Folds an operation into what the binary codec can express for its geometry (see
/// Fuzz/Harness/Codec/README.md): frame numbers inside the space, in the band just past it, or
/// within the space's size of 2^64; counts up to <see cref="CodecLimits.MaxFramesPerOp"/>; an
/// identity range as a start and a length. Every input the campaign runs goes through it, so
/// every input it keeps can be written to the corpus and reproduces exactly, and its cost is bounded.
/// </summary>
public static class InputBounds
{
    /// <summary>The input with every operation folded, and at most <see cref="CodecLimits.MaxOps"/> operations.</summary>
    public static FuzzInput Fit(FuzzInput input)
    {
        CodecLimits limits = CodecLimits.For(input.Geometry);
        Op[] ops = input.Ops.Length > limits.MaxOps ? input.Ops[..limits.MaxOps] : (Op[])input.Ops.Clone();
        for (int i = 0; i < ops.Length; i++) ops[i] = Fit(ops[i], input.Geometry, limits);
        int? pool = input.PoolPages is int p ? Math.Clamp(p, Geometry.RootPages, input.Geometry.DefaultPoolPages) : null;
        return new FuzzInput(input.Geometry, pool, ops);
    }

    /// <summary>One operation folded into the codec's ranges for <paramref name="g"/>.</summary>
    public static Op Fit(Op op, Geometry g, CodecLimits limits) => op.Kind switch
    {
        OpKind.Map => Op.Map(Gfn(op.Gfn, g), Mfn(op.Mfn, g), Count(op.Nr, limits), Type(op.Type)),
        OpKind.Unmap => Op.Unmap(Gfn(op.Gfn, g), Count(op.Nr, limits)),
        OpKind.Retype => Op.Retype(Gfn(op.Gfn, g), Count(op.Nr, limits), Type(op.From), Type(op.To)),
        OpKind.Identity => IdentityRange(op, g, limits),
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

    private static ulong Count(ulong nr, CodecLimits limits) => Math.Min(nr, limits.MaxFramesPerOp);

    private static P2MType Type(P2MType type) => P2MTypes.IsDefined(type) ? type : (P2MType)((int)type % 13);

    /// <summary>Identity is a start and a length: up to the frame bound, or "end one before start".</summary>
    private static Op IdentityRange(Op op, Geometry g, CodecLimits limits)
    {
        ulong start = Frame(op.Start.Value, g.GfnLimit);
        ulong length = op.End.Value - op.Start.Value; // wraps when end < start
        if (length > limits.MaxFramesPerOp && length != ulong.MaxValue)
            length = op.End.Value < op.Start.Value ? ulong.MaxValue : limits.MaxFramesPerOp;
        return Op.Identity(new Gfn(start), new Gfn(start + length));
    }
}
