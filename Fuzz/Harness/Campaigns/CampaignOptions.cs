using P2M.Contract;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Campaigns;

/// <summary>What a campaign runs, for how long, and where it keeps what it finds (libFuzzer's flags in spirit).</summary>
public sealed record CampaignOptions
{
    /// <summary>Stop after this many seconds (wall clock); null for no time limit.</summary>
    public double? TimeSeconds { get; init; }

    /// <summary>Stop after this many executions in all, split evenly over the workers; null for no limit.</summary>
    public long? Runs { get; init; }

    /// <summary>Base seed; worker k uses a seed derived from it and k, so each worker's run is reproducible.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Workers: supervised child processes sharing one corpus (what one finds reaches the others at their next
    /// meeting), or, with <see cref="InProcess"/>, threads of this process, each with a corpus of its own.
    /// </summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Geometries new inputs are made in.</summary>
    public IReadOnlyList<Geometry> Geometries { get; init; } = [Geometry.Mini];

    /// <summary>The corpus read at start and written to as new coverage is found; null keeps it in memory.</summary>
    public string? CorpusDirectory { get; init; }

    /// <summary>More directories read at start only (e.g. the committed hand-written scripts).</summary>
    public IReadOnlyList<string> SeedDirectories { get; init; } = [];

    /// <summary>Where unique findings are stored, minimised; null keeps them in memory only.</summary>
    public string? CrashesDirectory { get; init; }

    /// <summary>
    /// Operations in a new input when nothing else is said: long enough for stale state to bite several
    /// steps later, short enough that a campaign runs thousands of inputs a second. Every default of a
    /// campaign's input size (gate, workers, command line) is this one.
    /// </summary>
    public const int DefaultMaxOps = 64;

    /// <summary>Most operations in one input.</summary>
    public int MaxOps { get; init; } = DefaultMaxOps;

    /// <summary>What each seed, corpus entry and stored finding may cost to read (<c>--max-input-*</c>).</summary>
    public InputLimits Limits { get; init; } = InputLimits.Default;

    /// <summary>JSON-lines file of periodic stats (for <c>p2mfuzz report</c>); null for none.</summary>
    public string? StatsFile { get; init; }

    /// <summary>Seconds between status reports and stats lines.</summary>
    public double StatusEverySeconds { get; init; } = 1;

    /// <summary>The implementation under test; the engine by default. A delegate (tests' doubles) needs <see cref="InProcess"/>.</summary>
    public ImplementationSpec Implementation { get; init; } = ImplementationSpec.Engine;

    /// <summary>The model; the oracle when null. Only in-process (tests' lying models).</summary>
    public Func<P2MConfig, IP2M>? Model { get; init; }

    /// <summary>
    /// Which coverage workers read as features. IL edges (<see cref="CoverageMode.IL"/>, <see cref="CoverageMode.Both"/>)
    /// need <see cref="Implementation"/> to be an instrumented build (<see cref="Implementations.InstrumentedEngine"/>), and are
    /// process-wide: one worker per process (the supervised mode gives each worker a process of its own).
    /// </summary>
    public CoverageMode Coverage { get; init; } = CoverageMode.Semantic;

    /// <summary>Minimise each new finding after storing it as found (on by default).</summary>
    public bool Minimize { get; init; } = true;

    /// <summary>
    /// Run the workers as threads of this process, unsupervised: today's mode, for a debugger. A hang then
    /// stops only its worker (reported as a timeout, not minimised), and a crash ends the whole process.
    /// </summary>
    public bool InProcess { get; init; }

    /// <summary>The time and memory limits the workers are held to, and how they are started.</summary>
    public SupervisionOptions Supervision { get; init; } = SupervisionOptions.Default;

}
