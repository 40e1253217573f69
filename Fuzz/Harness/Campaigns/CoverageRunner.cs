using P2M.Contract;
using P2M.Coverage;
using P2M.EdgeCoverage;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Runs inputs engine against model with the engine's probes writing to one <see cref="CoverageMap"/>,
/// and, when the mode reads IL edges, the process's <see cref="EdgeMap"/> cleared before each run too:
/// what a fuzzing worker and a corpus merge both need. IL edges are process-wide, so only one
/// runner reading them may run at a time in a process (one worker per process).
/// </summary>
public sealed class CoverageRunner
{
    private readonly ImplementationsRunner _runner;
    private P2MConfig? _config;

    /// <summary>Engine (probed if it is an <see cref="ICoverageSource"/>) against model; the engine and oracle by default.</summary>
    /// <param name="engine">The implementation under test; for IL edges it must be an instrumented build (see <see cref="Implementations.InstrumentedEngine"/>).</param>
    /// <param name="model">The model; the oracle by default.</param>
    /// <param name="coverage">Which coverage <see cref="AddFeatures"/> reads.</param>
    public CoverageRunner(Func<P2MConfig, IP2M>? engine = null, Func<P2MConfig, IP2M>? model = null, CoverageMode coverage = CoverageMode.Semantic)
        : this(engine is null ? ImplementationSpec.Engine : ImplementationSpec.InProcess("engine", engine), model, coverage)
    {
    }

    /// <summary>
    /// Every implementation of <paramref name="implementations"/> against the model, all probing one map: a run's
    /// coverage is the union of theirs.
    /// </summary>
    /// <exception cref="ImplementationException">An implementation cannot be loaded.</exception>
    public CoverageRunner(ImplementationSpec implementations, Func<P2MConfig, IP2M>? model, CoverageMode coverage)
    {
        Coverage = coverage;
        if (coverage.ReadsEdges()) EdgeMap.Install();
        _runner = new ImplementationsRunner(implementations, model, make => config =>
        {
            IP2M p2m = make(config);
            if (p2m is ICoverageSource probed) probed.Coverage = Map;
            return p2m;
        });
    }

    /// <summary>Told before each step which operation runs (a worker process's status page); null for nobody.</summary>
    public IStepObserver? Observer
    {
        get => _runner.Observer;
        init => _runner.Observer = value;
    }

    /// <summary>The coverage <see cref="AddFeatures"/> reads.</summary>
    public CoverageMode Coverage { get; }

    /// <summary>The probe counters of the last run.</summary>
    public CoverageMap Map { get; } = new();

    /// <summary>Runs <paramref name="input"/> with cleared maps; they then hold its coverage.</summary>
    public Verdict Run(FuzzInput input)
    {
        Map.Clear();
        if (Coverage.ReadsEdges()) EdgeMap.Reset();
        return _runner.Run(ConfigOf(input), input.Ops);
    }

    /// <summary>The input's configuration, the last one again when it is the same (no allocation per run).</summary>
    private P2MConfig ConfigOf(FuzzInput input)
    {
        int pool = input.PoolPages ?? input.Geometry.DefaultPoolPages;
        if (_config is not { } last || last.Geometry != input.Geometry || last.PoolPages != pool)
            _config = new P2MConfig(input.Geometry, pool);
        return _config;
    }

    /// <summary>Adds the last run's features, as <see cref="Coverage"/> says, to <paramref name="features"/>; returns how many were new.</summary>
    public int AddFeatures(FeatureSet features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int added = 0;
        if (Coverage.ReadsProbes()) added += features.Add(Map);
        if (Coverage.ReadsEdges()) added += features.AddEdges(EdgeMap.Counters);
        return added;
    }
}
