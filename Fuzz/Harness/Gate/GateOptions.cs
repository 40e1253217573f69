using P2M.Contract;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Gate;

/// <summary>
/// What the PR gate replays, how long its campaign runs, and where it writes. The defaults are the
/// gate CI runs: every script of <c>corpus/</c> and <c>crashes/</c>, then a campaign of
/// <see cref="DefaultRuns"/> executions from the fixed <see cref="DefaultSeed"/> over both geometries on
/// one job, so the same commit always gets the same verdict.
/// </summary>
public sealed record GateOptions
{
    /// <summary>
    /// Executions of the campaign when no <c>--runs</c> is given: the gate CI runs (<c>.ci/gate</c>), about 150 s of
    /// campaign on a quiet two-core machine (both geometries, one job, supervised: some 200 executions a second, a
    /// real input costing some thirty mini ones), and a count, never a time, so the same commit and seeds always get
    /// the same verdict.
    /// </summary>
    public const long DefaultRuns = 30000;

    /// <summary>The campaign's seed when none is given: fixed, so a verdict never depends on the day.</summary>
    public const ulong DefaultSeed = 20261121;

    /// <summary>Committed scripts: replayed, then read (never written) as the campaign's seeds.</summary>
    public string CorpusDirectory { get; init; } = "corpus";

    /// <summary>
    /// More seeds of the campaign, read (never written) after <see cref="CorpusDirectory"/> and not replayed: e.g. the
    /// corpus a nightly campaign grew, restored by CI's cache. The verdict is then the commit's and that corpus's.
    /// </summary>
    public IReadOnlyList<string> SeedDirectories { get; init; } = [];

    /// <summary>Committed failing scripts, replayed as regressions; may be missing (git keeps no empty folder).</summary>
    public string CrashesDirectory { get; init; } = "crashes";

    /// <summary>Executions of the campaign (split over the jobs); null when only <see cref="TimeSeconds"/> bounds it. 0 skips the campaign.</summary>
    public long? Runs { get; init; } = DefaultRuns;

    /// <summary>Wall-clock bound of the campaign in seconds; null for none. A time budget makes the verdict depend on the machine.</summary>
    public double? TimeSeconds { get; init; }

    /// <summary>The campaign's base seed.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Campaign workers. Only one job makes the findings' order independent of thread timing.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Geometries the campaign makes inputs in.</summary>
    public IReadOnlyList<Geometry> Geometries { get; init; } = [Geometry.Mini, Geometry.Real];

    /// <summary>Most operations in one campaign input.</summary>
    public int MaxOps { get; init; } = Campaigns.CampaignOptions.DefaultMaxOps;

    /// <summary>
    /// The gate's own output: its findings go to <c>crashes/</c> under it, never to the repository's
    /// <see cref="CrashesDirectory"/>, so a gate run leaves the working tree as it found it.
    /// </summary>
    public string OutputDirectory { get; init; } = "gate-out";

    /// <summary>What each committed script and seed may cost to read (<c>--max-input-*</c>).</summary>
    public InputLimits Limits { get; init; } = InputLimits.Default;

    /// <summary>JUnit XML report to write; none when null.</summary>
    public string? JUnitPath { get; init; }

    /// <summary>SARIF 2.1.0 report to write; none when null.</summary>
    public string? SarifPath { get; init; }

    /// <summary>Markdown summary to write; none when null. It is also appended to <c>$GITHUB_STEP_SUMMARY</c> when that is set.</summary>
    public string? SummaryPath { get; init; }

    /// <summary>
    /// The repository root: where the engine's sources are looked up for SARIF locations, and what
    /// report paths are relative to. Null: the nearest folder above the current one holding <c>Targets/Engine</c>.
    /// </summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Seconds between the campaign's progress lines.</summary>
    public double StatusEverySeconds { get; init; } = 5;

    /// <summary>The implementation under test; the engine by default. A delegate (tests' doubles) needs <see cref="InProcess"/>.</summary>
    public ImplementationSpec Implementation { get; init; } = ImplementationSpec.Engine;

    /// <summary>The model; the oracle when null. In-process only (tests' lying models).</summary>
    public Func<P2MConfig, IP2M>? Model { get; init; }

    /// <summary>Replay and fuzz in this process, unsupervised (for a debugger): a hang or a crash is then not survived.</summary>
    public bool InProcess { get; init; }

    /// <summary>The time and memory limits of the supervised replay and campaign.</summary>
    public SupervisionOptions Supervision { get; init; } = SupervisionOptions.Default;


    /// <summary>
    /// Reads an environment variable (<c>GITHUB_STEP_SUMMARY</c>); the process environment by default.
    /// Injectable so tests need not change the process's own environment, which other tests share.
    /// </summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
