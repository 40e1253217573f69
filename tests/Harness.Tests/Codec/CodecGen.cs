using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Harness.Tests.Codec;

/// <summary>
/// Generators for the codec's properties: raw byte strings of any shape, and inputs whose every value
/// lies in the codec's folds (inside the space, just past it, near 2^64; counts up to the budget or
/// over the maximum), for either geometry. A fixed seed keeps every run the same.
/// </summary>
internal static class CodecGen
{
    /// <summary>Quick-check configuration with a fixed seed, failing the test on the first counterexample.</summary>
    public static Config Deterministic(int tests) => Config.QuickThrowOnFailure
        .WithMaxTest(tests)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0xc0de_c0deUL, 0x9e37_79b9_7f4a_7c15UL), FSharpOption<int>.None)));

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

    /// <summary>Limits anywhere in their allowed ranges, MaxOps kept moderate.</summary>
    public static Gen<CodecLimits> Limits { get; } =
        Gen.Choose(0, 300)
            .SelectMany(_ => Gen.Frequency((3, Gen.Choose(0, 300)), (1, Gen.Choose(0, (int)CodecLimits.LargestMaxFramesPerOp))),
                (ops, frames) => (ops, frames))
            .SelectMany(_ => Gen.Choose(0, CodecLimits.LargestMaxFailAllocs),
                (x, fails) => new CodecLimits(x.ops, (ulong)x.frames, fails));

    /// <summary>Inputs for either geometry whose values the codec expresses under the default limits.</summary>
    public static Gen<FuzzInput> AnyInputs { get; } =
        Gen.Elements(Geometry.Mini, Geometry.Real).SelectMany(g => Inputs(g, CodecLimits.For(g)), (_, input) => input);

    /// <summary>Inputs for <paramref name="g"/> whose values lie in the folds of <paramref name="limits"/>.</summary>
    public static Gen<FuzzInput> Inputs(Geometry g, CodecLimits limits) =>
        Gen.OneOf(Gen.Constant((int?)null), Gen.Choose(Geometry.RootPages, 64).Select(p => (int?)p), Gen.Choose(Geometry.RootPages, g.DefaultPoolPages).Select(p => (int?)p))
            .SelectMany(_ => Gen.Choose(0, limits.MaxOps).SelectMany(n => Ops(g, limits).ArrayOf(n)),
                (pool, ops) => new FuzzInput(g, pool, ops));

    /// <summary>One operation of any kind with values in the folds.</summary>
    public static Gen<Op> Ops(Geometry g, CodecLimits limits)
    {
        Gen<Gfn> gfn = Frames(g.GfnLimit).Select(v => new Gfn(v));
        Gen<Mfn> mfn = Frames(g.MfnLimit).Select(v => new Mfn(v));
        Gen<ulong> nr = Counts(g, limits);
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

    /// <summary>Counts up to the budget, the budget itself, and the two over-maximum edges.</summary>
    private static Gen<ulong> Counts(Geometry g, CodecLimits limits) =>
        Gen.Frequency(
            (6, Gen.Choose(0, (int)limits.MaxFramesPerOp).Select(n => (ulong)n)),
            (1, Gen.Elements<ulong>(0, limits.MaxFramesPerOp, g.MaxRangeFrames + 1, ulong.MaxValue)));
}
