using BenchmarkDotNet.Attributes;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// The differential loop per step, in both geometries, over one recorded stream of generated inputs of
/// exactly <see cref="Steps"/> operations: the runner with every per-step check and the scheduled full
/// checks (<see cref="Differential"/>, the baseline), the same with the coverage map as a campaign runs it,
/// and the two implementations' <c>Apply</c> alone over the same operations, each side reset (or built)
/// between inputs as the runner does. Times are per step, so steps/s is 10^9 / Mean (ns); the ratio of
/// <see cref="ImplementationsApply"/> to the baseline is the share of a step spent applying it on the two
/// sides, and what is left is the checks: the harness's own work plus the reads it asks the sides for.
/// </summary>
[MemoryDiagnoser]
public class DifferentialBenchmarks
{
    /// <summary>Operations in the recorded stream: every time is per one of them.</summary>
    private const int Steps = 4096;

    private FuzzInput[] _inputs = [];
    private P2MConfig[] _configs = [];
    private readonly DifferentialRunner _runner = new(c => new EngineP2M(c), c => new OracleP2M(c));
    private readonly CoverageRunner _covered = new();
    private readonly Dictionary<P2MConfig, (IP2M Engine, IP2M Oracle)> _pairs = new();

    /// <summary>mini or real.</summary>
    [Params("mini", "real")]
    public string GeometryName { get; set; } = "mini";

    [GlobalSetup]
    public void Setup()
    {
        Geometry.TryParse(GeometryName, out var geometry);
        var generator = new OpGenerator(new FuzzRandom(17));
        var inputs = new List<FuzzInput>();
        // Inputs as a campaign generates them, the last one cut so the stream is exactly Steps long.
        for (int left = Steps; left > 0;)
        {
            FuzzInput input = generator.Input([geometry], CampaignOptions.DefaultMaxOps);
            if (input.Ops.Length > left) input = input.WithOps(input.Ops[..left]);
            inputs.Add(input);
            left -= input.Ops.Length;
        }
        _inputs = inputs.ToArray();
        _configs = _inputs.Select(input => input.Config).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public int Differential()
    {
        int passed = 0;
        for (int i = 0; i < _inputs.Length; i++) passed += _runner.Run(_configs[i], _inputs[i].Ops).IsPass ? 1 : 0;
        return passed;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int DifferentialWithCoverage()
    {
        int passed = 0;
        foreach (FuzzInput input in _inputs) passed += _covered.Run(input).IsPass ? 1 : 0;
        return passed;
    }

    /// <summary>Only the two sides' <c>Apply</c>, as the runner calls it (the model replays the engine's <c>ENOMEM</c>).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int ImplementationsApply()
    {
        int agreed = 0;
        for (int i = 0; i < _inputs.Length; i++)
        {
            (IP2M engine, IP2M oracle) = Start(_configs[i]);
            foreach (ref readonly Op op in _inputs[i].Ops.AsSpan())
            {
                OpResult left = engine.Apply(op);
                OpResult right = left.Code == ResultCode.Enomem && oracle is IAllocationFailureModel failures
                    ? failures.ApplyFailedAt(op, left.Done)
                    : oracle.Apply(op);
                agreed += left.Code == right.Code ? 1 : 0;
            }
        }
        return agreed;
    }

    /// <summary>Both sides for <paramref name="config"/>: each reset when it can be (the runner keeps a pair per configuration), else built.</summary>
    private (IP2M Engine, IP2M Oracle) Start(P2MConfig config)
    {
        if (!_pairs.TryGetValue(config, out var pair))
        {
            pair = (new EngineP2M(config), new OracleP2M(config));
            _pairs[config] = pair;
            return pair;
        }
        return (ResetOrCreate(pair.Engine, () => new EngineP2M(config)), ResetOrCreate(pair.Oracle, () => new OracleP2M(config)));
    }

    private static IP2M ResetOrCreate(IP2M side, Func<IP2M> create)
    {
        if (side is not IResettable resettable) return create();
        resettable.Reset();
        return side;
    }
}
