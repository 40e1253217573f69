using BenchmarkDotNet.Attributes;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// What a campaign pays per differential step: the same generated inputs run engine against oracle
/// with every per-step comparison and audit, with and without the coverage map, against the bare
/// engine and the bare oracle. Times are per step (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class DifferentialBenchmarks
{
    private FuzzInput[] _inputs = [];
    private int _steps;
    private readonly DifferentialRunner _runner = new(c => new EngineP2M(c), c => new OracleP2M(c));
    private readonly CoverageRunner _covered = new();

    /// <summary>mini or real.</summary>
    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out var geometry);
        var generator = new OpGenerator(new FuzzRandom(17));
        _inputs = Enumerable.Range(0, 100).Select(_ => generator.Input([geometry], 64)).ToArray();
        _steps = _inputs.Sum(i => i.Ops.Length);
    }

    private const int Steps = 3300; // about 100 inputs of 1..64 operations: reported per step

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public int EngineAlone()
    {
        int ok = 0;
        foreach (var input in _inputs)
        {
            var engine = new EngineP2M(input.Config);
            foreach (ref readonly Op op in input.Ops.AsSpan()) ok += engine.Apply(op).Code == ResultCode.Ok ? 1 : 0;
        }
        return ok;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int OracleAlone()
    {
        int ok = 0;
        foreach (var input in _inputs)
        {
            var oracle = new OracleP2M(input.Config);
            foreach (ref readonly Op op in input.Ops.AsSpan()) ok += oracle.Apply(op).Code == ResultCode.Ok ? 1 : 0;
        }
        return ok;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int Differential()
    {
        int passed = 0;
        foreach (var input in _inputs) passed += _runner.Run(input.Config, input.Ops).IsPass ? 1 : 0;
        return passed;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int DifferentialWithCoverage()
    {
        int passed = 0;
        foreach (var input in _inputs) passed += _covered.Run(input).IsPass ? 1 : 0;
        return passed;
    }

    /// <summary>The real step count of the inputs, for converting the per-"step" times exactly.</summary>
    public int ActualSteps => _steps;
}
