using BenchmarkDotNet.Attributes;
using P2M.Contract;
using P2M.Engine;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// The same deterministic operation stream through the engine and through the oracle, from an
/// empty P2M each time: the ratio is what the engine buys over the obviously-right model.
/// </summary>
[MemoryDiagnoser]
public class OperationBenchmarks
{
    private Op[] _ops = [];
    private P2MConfig _config = P2MConfig.Default(Geometry.Mini);

    /// <summary>mini or real.</summary>
    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out var geometry);
        _config = P2MConfig.Default(geometry);
        _ops = OperationStream.Make(geometry, seed: 7, count: 2000);
    }

    [Benchmark(Baseline = true)]
    public ulong Oracle() => Run(new OracleP2M(_config));

    [Benchmark]
    public ulong Engine() => Run(new EngineP2M(_config));

    private ulong Run(IP2M p2m)
    {
        ulong sum = 0;
        foreach (ref readonly Op op in _ops.AsSpan()) sum += p2m.Apply(op).Done;
        return sum;
    }
}

/// <summary>A reproducible mix of every mapping operation, scaled to the geometry, for benchmarks.</summary>
internal static class OperationStream
{
    public static Op[] Make(Geometry geometry, int seed, int count)
    {
        var random = new Random(seed);
        P2MType[] types = [P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.MmioDirectC];
        ulong e = (ulong)geometry.EntriesPerPage;
        ulong window = Math.Min(geometry.GfnLimit, 64 * e);
        var ops = new Op[count];
        for (int i = 0; i < count; i++)
        {
            ulong gfn = (ulong)random.NextInt64((long)window) & ~(random.Next(2) == 0 ? e - 1 : 0);
            ulong nr = random.Next(3) switch { 0 => 1, 1 => (ulong)random.Next(1, (int)e * 2), _ => e };
            gfn = Math.Min(gfn, geometry.GfnLimit - nr);
            ops[i] = random.Next(6) switch
            {
                0 or 1 => Op.Map(new Gfn(gfn), new Mfn(gfn + 0x1000), nr, types[random.Next(types.Length)]),
                2 => Op.Unmap(new Gfn(gfn), nr),
                3 => Op.Retype(new Gfn(gfn), nr, types[random.Next(types.Length)], types[random.Next(types.Length)]),
                4 => Op.Identity(new Gfn(gfn), new Gfn(gfn + nr)),
                _ => Op.Lookup(new Gfn(gfn)),
            };
        }
        return ops;
    }
}
