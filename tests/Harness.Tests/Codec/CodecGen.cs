using FsCheck;
using FsCheck.Fluent;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Codec;

/// <summary>
/// Generators for the codec's properties: raw byte strings of any shape, and inputs whose every value
/// lies in the codec's folds (inside the space, just past it, near 2^64; counts up to the largest range
/// or over the maximum), for either geometry. A fixed seed keeps every run the same.
/// </summary>
internal static class CodecGen
{
    /// <summary>The fixed seed of the codec's <c>[Property]</c> tests (0xc0dec0de, 0x9e3779b97f4a7c15), so every run checks the same inputs.</summary>
    public const string Replay = "(3235823838, 11400714819323198485)";

    /// <summary>
    /// Byte strings of 0 to 4096 bytes, mostly short. Filled from a seeded <see cref="System.Random"/> rather than
    /// byte by byte through FsCheck, so thousands of 4 KiB arrays stay cheap; some are biased toward 0x00
    /// and 0xff, the bytes mutators love.
    /// </summary>
    public static Gen<byte[]> Bytes { get; } =
        Gen.Frequency(
                (3, Gen.Choose(0, 64)),
                (2, Gen.Choose(0, 4096)))
            .SelectMany(_ => Gen.Choose(int.MinValue, int.MaxValue), (length, seed) => (length, seed))
            .SelectMany(_ => Gen.Elements(false, true), (x, biased) => Fill(x.length, x.seed, biased));

    private static byte[] Fill(int length, int seed, bool biased)
    {
        var random = new System.Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (biased)
            for (int i = 0; i < bytes.Length; i++)
                if (random.Next(3) == 0) bytes[i] = random.Next(2) == 0 ? (byte)0x00 : (byte)0xff;
        return bytes;
    }

    /// <summary>Limits anywhere in their allowed ranges, MaxOps kept moderate; frame budgets from none to several whole real ranges.</summary>
    public static Gen<CodecLimits> Limits { get; } =
        Gen.Choose(0, 300)
            .SelectMany(_ => Gen.Frequency(
                    (2, Gen.Choose(0, 300).Select(f => (ulong)f)),
                    (2, Gen.Choose(0, 1 << 20).Select(f => (ulong)f)),
                    (1, Gen.Elements(CodecLimits.FuzzFrameBudget, 1UL << 22, ulong.MaxValue))),
                (ops, frames) => (ops, frames))
            .SelectMany(_ => Gen.Choose(0, CodecLimits.LargestMaxFailAllocs),
                (x, fails) => new CodecLimits(x.ops, x.frames, fails));

    /// <summary>Inputs for either geometry whose values the codec expresses under the fuzzing limits (and so under the default ones).</summary>
    public static Gen<FuzzInput> AnyInputs { get; } =
        Gen.Elements(Geometry.Mini, Geometry.Real).SelectMany(g => Inputs(g, CodecLimits.Fuzz), (_, input) => input);

    /// <summary>
    /// Inputs for <paramref name="g"/> whose values lie in the folds of <paramref name="limits"/>: up to MaxOps
    /// operations, cut before the one that would pass the frame budget.
    /// </summary>
    public static Gen<FuzzInput> Inputs(Geometry g, CodecLimits limits) =>
        Gen.OneOf(Gen.Constant((int?)null), Gen.Choose(Geometry.RootPages, 64).Select(p => (int?)p), Gen.Choose(Geometry.RootPages, g.DefaultPoolPages).Select(p => (int?)p))
            .SelectMany(_ => Gen.Choose(0, limits.MaxOps).SelectMany(n => Ops(g, limits).ArrayOf(n)),
                (pool, ops) => new FuzzInput(g, pool, WithinFrames(ops, g, limits.MaxFrames)));

    /// <summary>The longest prefix of <paramref name="ops"/> whose range operations name at most <paramref name="budget"/> frames.</summary>
    public static Op[] WithinFrames(Op[] ops, Geometry g, ulong budget)
    {
        ulong frames = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            ulong opFrames = OpFrames.Of(ops[i], g);
            if (opFrames > budget - frames) return ops[..i];
            frames += opFrames;
        }
        return ops;
    }

    /// <summary>One operation of any kind with values in the folds.</summary>
    public static Gen<Op> Ops(Geometry g, CodecLimits limits)
    {
        Gen<Gfn> gfn = Frames(g.GfnLimit).Select(v => new Gfn(v));
        Gen<Mfn> mfn = Frames(g.MfnLimit).Select(v => new Mfn(v));
        Gen<ulong> nr = Counts(g);
        Gen<P2MType> type = Gen.Elements(P2MTypes.All.ToArray());
        Gen<bool> flag = Gen.Elements(false, true);
        return Gen.OneOf(
            gfn.SelectMany(_ => mfn, (a, b) => (a, b)).SelectMany(_ => nr, (x, n) => (x.a, x.b, n))
                .SelectMany(_ => type, (x, t) => Op.Map(x.a, x.b, x.n, t)),
            gfn.SelectMany(_ => nr, (a, n) => Op.Unmap(a, n)),
            gfn.SelectMany(_ => nr, (a, n) => (a, n)).SelectMany(_ => type.Two(), (x, ft) => Op.Retype(x.a, x.n, ft.Item1, ft.Item2)),
            gfn.SelectMany(_ => nr, (a, n) => Op.Identity(a, new Gfn(unchecked(a.Value + n)))),
            gfn.SelectMany(_ => mfn, (a, b) => (a, b)).SelectMany(_ => flag, (x, ro) => Op.Foreign(x.a, x.b, ro)),
            Gen.Choose(0, g.MaxGrantFrames + 1).Select(k => Op.GrantSetup((ulong)k)),
            Gen.Frequency((9, Gen.Choose(0, g.MaxGrantFrames).Select(k => (ulong)k)), (1, Gen.Constant(ulong.MaxValue)))
                .SelectMany(_ => gfn, (k, a) => Op.GrantMap(k, a)),
            gfn.Select(Op.Lookup),
            gfn.Select(Op.Translate),
            Gen.Choose(0, limits.MaxFailAllocs).Select(k => Op.FailAllocs((ulong)k)),
            flag.Select(Op.DirectMap),
            Gen.Constant(Op.Teardown()));
    }

    /// <summary>Frame numbers in the three regions of the fold, and their ends.</summary>
    private static Gen<ulong> Frames(ulong limit)
    {
        Gen<ulong> inSpace = Below(limit);
        return Gen.Frequency(
            (6, inSpace),
            (1, inSpace.Select(f => limit + f)),
            (1, inSpace.Select(f => ulong.MaxValue - f)),
            (1, Gen.Elements<ulong>(0, limit - 1, limit, 2 * limit - 1, 0 - limit, ulong.MaxValue)));
    }

    /// <summary>Uniform in [0, limit) for a power-of-two limit up to 2^62.</summary>
    private static Gen<ulong> Below(ulong limit) =>
        Gen.Choose(0, int.MaxValue).SelectMany(_ => Gen.Choose(0, int.MaxValue), (hi, lo) => (((ulong)hi << 31) | (uint)lo) & (limit - 1));

    /// <summary>Counts: small ones, any up to the largest range, the leaf sizes and their neighbours, the two over-maximum edges.</summary>
    private static Gen<ulong> Counts(Geometry g)
    {
        ulong e = (ulong)g.EntriesPerPage, max = g.MaxRangeFrames;
        return Gen.Frequency(
            (4, Gen.Choose(0, (int)Math.Min(1100, max + 1)).Select(n => (ulong)n)),
            (1, Gen.Choose(0, (int)max).Select(n => (ulong)n)),
            (2, Gen.Elements<ulong>(0, e - 1, e, e + 1, e * e - 1, e * e, e * e + 1, max - 1, max, max + 1, ulong.MaxValue)));
    }
}
