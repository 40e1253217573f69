using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using P2M.Contract;
using P2M.Engine;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// One kind of operation at a time, engine against oracle side by side (the ratio column), in both
/// geometries. Each iteration starts from the same prepared state (built outside the measurement) and
/// applies a batch of operations of one kind to fresh parts of the guest; times are per operation.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class OperationKindBenchmarks
{
    /// <summary>The operation measured.</summary>
    public enum Kind { Map4K, Map2M, Map1G, Unmap4K, Unmap1G, Retype, Identity, Lookup, Translate }

    private const int Batch = 32; // mini has 32 1G blocks

    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [ParamsAllValues]
    public Kind Case { get; set; }

    private P2MConfig _config = P2MConfig.Default(Geometry.Mini);
    private Op[] _prepare = [];
    private Op[] _ops = [];
    private IP2M _engine = null!;
    private IP2M _oracle = null!;

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out Geometry geometry);
        _config = P2MConfig.Default(geometry);
        (_prepare, _ops) = Operations(geometry, Case);
    }

    [IterationSetup]
    public void Fresh()
    {
        _engine = Prepared(new EngineP2M(_config));
        _oracle = Prepared(new OracleP2M(_config));
    }

    private IP2M Prepared(IP2M p2m)
    {
        foreach (ref readonly Op op in _prepare.AsSpan()) p2m.Apply(op);
        return p2m;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public ulong Oracle() => Run(_oracle);

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong Engine() => Run(_engine);

    private ulong Run(IP2M p2m)
    {
        ulong sum = 0;
        foreach (ref readonly Op op in _ops.AsSpan()) sum += p2m.Apply(op).Done;
        return sum;
    }

    /// <summary>The state to start from and the batch to measure: each operation on its own part of the guest.</summary>
    private static (Op[] Prepare, Op[] Ops) Operations(Geometry geometry, Kind kind)
    {
        ulong e = (ulong)geometry.EntriesPerPage, block = e * e;
        // 4K chunks: an MFN one frame off the GFN's alignment; larger chunks: aligned.
        Op Map(ulong gfn, ulong nr, ulong skew = 0) => Op.Map(new Gfn(gfn), new Mfn(gfn + 0x100000 % geometry.MfnLimit + skew), nr, P2MType.RamRw);
        var ops = new Op[Batch];
        Op[] prepare = [];
        // Frames each batch element owns: a 4K frame per leaf table, or a whole 1G block.
        for (int i = 0; i < Batch; i++)
        {
            ulong at = (ulong)i * e + 1;        // a frame in the i-th leaf table
            ulong blockAt = (ulong)i * block;   // the i-th 1G block
            ops[i] = kind switch
            {
                Kind.Map4K => Map(at, 1, 1),
                Kind.Map2M => Map((ulong)i * e, e),
                Kind.Map1G => Map(blockAt, block),
                Kind.Unmap4K => Op.Unmap(new Gfn(at), 1),
                Kind.Unmap1G => Op.Unmap(new Gfn(blockAt), block),
                Kind.Retype => Op.Retype(new Gfn(at), 1, P2MType.RamRw, P2MType.RamRo),
                Kind.Identity => Op.Identity(new Gfn((ulong)i * e), new Gfn((ulong)(i + 1) * e)),
                Kind.Lookup => Op.Lookup(new Gfn(at)),
                _ => Op.Translate(new Gfn(at)),
            };
        }
        // What the removing, retyping and reading kinds find: 4K-mapped leaf tables, or 1G leaves.
        if (kind is Kind.Unmap4K or Kind.Retype or Kind.Lookup or Kind.Translate)
            prepare = [Map(1, (ulong)Batch * e, 1)];
        if (kind is Kind.Unmap1G)
            prepare = [.. Enumerable.Range(0, Batch).Select(i => Map((ulong)i * block, block))];
        return (prepare, ops);
    }
}
