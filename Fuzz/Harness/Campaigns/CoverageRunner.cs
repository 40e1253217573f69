using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Runs inputs engine against model with the engine's probes writing to one <see cref="CoverageMap"/>,
/// cleared before each run: what a fuzzing worker and a corpus merge both need.
/// </summary>
public sealed class CoverageRunner
{
    private readonly DifferentialRunner _runner;

    /// <summary>Engine (probed if it is an <see cref="ICoverageSource"/>) against model; the engine and oracle by default.</summary>
    public CoverageRunner(Func<P2MConfig, IP2M>? engine = null, Func<P2MConfig, IP2M>? model = null)
    {
        Func<P2MConfig, IP2M> make = engine ?? (c => new Engine.EngineP2M(c));
        _runner = new DifferentialRunner(
            config =>
            {
                IP2M p2m = make(config);
                if (p2m is ICoverageSource probed) probed.Coverage = Map;
                return p2m;
            },
            model ?? (c => new Oracle.OracleP2M(c)));
    }

    /// <summary>Told before each step which operation runs (a worker process's status page); null for nobody.</summary>
    public IStepObserver? Observer
    {
        get => _runner.Observer;
        init => _runner.Observer = value;
    }

    /// <summary>The counters of the last run.</summary>
    public CoverageMap Map { get; } = new();

    /// <summary>Runs <paramref name="input"/> with a cleared map; the map then holds its coverage.</summary>
    public Verdict Run(FuzzInput input)
    {
        Map.Clear();
        return _runner.Run(input.Config, input.Ops);
    }
}
