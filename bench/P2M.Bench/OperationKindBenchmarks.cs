using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using P2M.Contract;
using P2M.Engine;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// One kind of operation that changes the state at a time, engine against oracle side by side (the ratio
/// column), in both geometries. Each iteration starts from the same prepared state (built outside the
/// measurement) and applies a batch of operations of one kind to fresh parts of the guest; times are per
/// operation. Both sides are reset between iterations, as a campaign resets them, rather than built anew.
/// An iteration is one batch, so it is short: tiering is told to promote hot code at once
/// (<c>DOTNET_TC_CallCountingDelayMs=0</c>) and the warmup is long enough for both sides to run optimised
/// code, as they do in a campaign. With the default delay the batches ran tier-0 code, and the figures
/// measured the JIT more than the implementations.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OptimisedBatches))]
public class OperationKindBenchmarks
{
    /// <summary>The operation measured.</summary>
    public enum Kind { Map4K, Map2M, Map1G, Unmap4K, Unmap1G, Retype, Identity }

    private const int Batch = OperationBatch.Size;

    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [ParamsAllValues]
    public Kind Case { get; set; }

    private P2MConfig _config = P2MConfig.Default(Geometry.Mini);
    private Op[] _prepare = [];
    private Op[] _ops = [];
    private EngineP2M _engine = null!;
    private OracleP2M _oracle = null!;

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out Geometry geometry);
        _config = P2MConfig.Default(geometry);
        (_prepare, _ops) = OperationBatch.Make(geometry, Case);
        _engine = new EngineP2M(_config);
        _oracle = new OracleP2M(_config);
    }

    /// <summary>Both sides reset and prepared again, as a campaign resets them between inputs: their arrays keep their capacity.</summary>
    [IterationSetup]
    public void Fresh()
    {
        Prepare(_engine);
        Prepare(_oracle);
    }

    private void Prepare<T>(T p2m) where T : IP2M, IResettable
    {
        p2m.Reset();
        foreach (ref readonly Op op in _prepare.AsSpan()) p2m.Apply(op);
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

    /// <summary>One launch, batches timed one by one after a warmup that reaches optimised code.</summary>
    private sealed class OptimisedBatches : ManualConfig
    {
        public OptimisedBatches() =>
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(20).WithIterationCount(15)
                .WithInvocationCount(1).WithUnrollFactor(1).WithEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0"));
    }
}
