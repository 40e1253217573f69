using FsCheck;
using FsCheck.Fluent;
using P2M.Contract;

namespace P2M.Harness.Tests.Properties;

/// <summary>
/// FsCheck generators for operation streams, weighted toward where P2M bugs live: aligned and
/// just-misaligned GFNs, chunk-sized counts and one either side, the grant window, tiny pools,
/// and every operation kind including allocation failure. Values are scaled to the geometry.
/// </summary>
internal static class OpStreamGen
{
    /// <summary>A configuration and a stream of up to <paramref name="maxOps"/> operations for it.</summary>
    public static Gen<(P2MConfig Config, Op[] Ops)> Streams(Geometry geometry, int maxOps) =>
        Gen.Frequency(
                (3, Gen.Constant(geometry.DefaultPoolPages)),
                (2, Gen.Choose(Geometry.RootPages, Geometry.RootPages + 24)))
            .SelectMany(pool => Gen.Choose(1, maxOps).SelectMany(n => Ops(geometry).ArrayOf(n)),
                (pool, ops) => (new P2MConfig(geometry, pool), ops));

    private static Gen<Op> Ops(Geometry g)
    {
        Gen<Gfn> gfn = Frames(g, window: (ulong)g.EntriesPerPage * 8, limit: g.GfnLimit).Select(v => new Gfn(v));
        Gen<Mfn> mfn = Gen.Frequency(
            (6, Frames(g, window: (ulong)g.EntriesPerPage * 16, limit: g.MfnLimit)),
            (1, Gen.Choose(0, g.MaxGrantFrames + 2).Select(k => g.GrantBase.Value - 1 + (ulong)k)),
            (1, Gen.Elements(g.MfnLimit - 1, g.MfnLimit))).Select(v => new Mfn(v));
        Gen<ulong> nr = Counts(g);
        Gen<P2MType> type = Gen.Frequency(
            (12, Gen.Elements(P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.MmioDirectC, P2MType.GrantMapRw, P2MType.IommuMapRo)),
            (1, Gen.Elements(P2MTypes.All.ToArray())));
        Gen<ulong> frame = Gen.Choose(0, 5).Select(k => (ulong)k);
        Gen<bool> flag = Gen.Elements(false, true);
        return Gen.Frequency(
            (8, gfn.SelectMany(_ => mfn, (a, b) => (a, b)).SelectMany(_ => nr, (x, n) => (x.a, x.b, n))
                .SelectMany(_ => type, (x, t) => Op.Map(x.a, x.b, x.n, t))),
            (4, gfn.SelectMany(_ => nr, (a, n) => Op.Unmap(a, n))),
            (4, gfn.SelectMany(_ => nr, (a, n) => (a, n)).SelectMany(_ => type.Two(), (x, ft) => Op.Retype(x.a, x.n, ft.Item1, ft.Item2))),
            (2, gfn.SelectMany(_ => nr, (a, n) => Op.Identity(a, a + n))),
            (2, gfn.SelectMany(_ => mfn, (a, b) => (a, b)).SelectMany(_ => flag, (x, ro) => Op.Foreign(x.a, x.b, ro))),
            (1, Gen.Choose(0, g.MaxGrantFrames + 1).Select(k => Op.GrantSetup((ulong)k))),
            (2, frame.SelectMany(_ => gfn, (k, a) => Op.GrantMap(k, a))),
            (2, gfn.Select(Op.Lookup)),
            (3, gfn.Select(Op.Translate)),
            (2, Gen.Choose(0, 3).Select(k => Op.FailAllocs((ulong)k))),
            (1, flag.Select(Op.DirectMap)),
            (1, Gen.Constant(Op.Teardown())));
    }

    /// <summary>Frame numbers: mostly in a small window (so operations collide), aligned or one off, plus the space's edges.</summary>
    private static Gen<ulong> Frames(Geometry g, ulong window, ulong limit)
    {
        ulong e = (ulong)g.EntriesPerPage;
        Gen<ulong> inWindow = Gen.Choose(0, (int)Math.Min(window, int.MaxValue) - 1).Select(v => (ulong)v);
        return Gen.Frequency(
            (4, inWindow),
            (3, inWindow.Select(v => v & ~(e - 1))),                      // 2M-aligned
            (1, inWindow.Select(v => v & ~(e * e - 1))),                  // 1G-aligned
            (2, inWindow.SelectMany(_ => Gen.Elements(-1L, 1L), (v, d) => (ulong)Math.Max(0, (long)(v & ~(e - 1)) + d))),
            (1, Gen.Elements(limit - 1, limit, limit - e, 0UL)));
    }

    /// <summary>Counts: chunk sizes and one either side, small ones, the maximum and one past it.</summary>
    private static Gen<ulong> Counts(Geometry g)
    {
        ulong e = (ulong)g.EntriesPerPage;
        // Whole 1G chunks cost the oracle 2^(2b) dictionary entries: fine in mini, rare in real.
        var sizes = new List<ulong> { 0, 1, 2, e - 1, e, e + 1, 2 * e + 3 };
        if (g.EntryBits <= 3) sizes.AddRange([e * e - 1, e * e, e * e + 1, g.MaxRangeFrames, g.MaxRangeFrames + 1]);
        return Gen.Frequency(
            (3, Gen.Choose(1, 2 * (int)e).Select(v => (ulong)v)),
            (3, Gen.Elements(sizes.ToArray())));
    }
}
