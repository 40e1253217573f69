using BenchmarkDotNet.Attributes;
using P2M.Contract;
using P2M.Engine;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// The operations that read, engine against oracle side by side (the ratio column), in both geometries:
/// a batch of lookups or translates of one frame in each of 32 4K-mapped leaf tables. Reads change no
/// mapping, so the state is built once and the batch runs as often as the default job likes. Translate's
/// 32 frames are more than the TLB's 16 lines, taken round robin, so every one misses. Times are per operation.
/// </summary>
[MemoryDiagnoser]
public class ReadKindBenchmarks
{
    /// <summary>The operation measured.</summary>
    public enum Kind { Lookup, Translate }

    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [ParamsAllValues]
    public Kind Case { get; set; }

    private Op[] _ops = [];
    private IP2M _engine = null!;
    private IP2M _oracle = null!;

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out Geometry geometry);
        var config = P2MConfig.Default(geometry);
        _ops = new Op[OperationBatch.Size];
        for (int i = 0; i < _ops.Length; i++)
        {
            var gfn = new Gfn(OperationBatch.FrameOf(geometry, i));
            _ops[i] = Case == Kind.Lookup ? Op.Lookup(gfn) : Op.Translate(gfn);
        }
        _engine = new EngineP2M(config);
        _oracle = new OracleP2M(config);
        _engine.Apply(OperationBatch.MappedLeafTables(geometry));
        _oracle.Apply(OperationBatch.MappedLeafTables(geometry));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationBatch.Size)]
    public ulong Oracle() => Run(_oracle);

    [Benchmark(OperationsPerInvoke = OperationBatch.Size)]
    public ulong Engine() => Run(_engine);

    private ulong Run(IP2M p2m)
    {
        ulong sum = 0;
        foreach (ref readonly Op op in _ops.AsSpan()) sum += p2m.Apply(op).Frame.Mfn.Value;
        return sum;
    }
}
