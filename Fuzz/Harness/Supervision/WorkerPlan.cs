namespace P2M.Fuzz.Supervision;

/// <summary>
/// A fuzz worker's share of a supervised campaign, in its <see cref="ChildPlan"/>: its seed, where its
/// executions start and end, what its corpus holds at start, and how it meets the other workers. A
/// restarted worker gets a new plan that resumes where the one before died, so a campaign with a run
/// budget does the same executions, in the same order, whatever crashed on the way.
/// </summary>
public sealed record WorkerPlan
{
    /// <summary>Which worker this is (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The worker's random seed (already derived from the campaign seed, the index and the restart).</summary>
    public ulong Seed { get; init; }

    /// <summary>Executions done before this process (by the processes it replaces): its counters start here.</summary>
    public long StartExec { get; init; }

    /// <summary>Differential steps done before this process.</summary>
    public long StartSteps { get; init; }

    /// <summary>Stop when this many executions are done in all (this process's and its predecessors'); null for no limit.</summary>
    public long? EndExec { get; init; }

    /// <summary>Geometries of new inputs, by name.</summary>
    public IReadOnlyList<string> Geometries { get; init; } = ["mini"];

    /// <summary>Which coverage the worker reads as features, by its <c>--coverage</c> word.</summary>
    public string Coverage { get; init; } = "semantic";

    /// <summary>Most operations in one new input.</summary>
    public int MaxOps { get; init; } = Campaigns.CampaignOptions.DefaultMaxOps;

    /// <summary>Where the worker writes the inputs it adds to the corpus (shared by every worker).</summary>
    public required string CorpusDirectory { get; init; }

    /// <summary>Seed inputs, in order: run once each, the first executions of every worker.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Corpus entries the worker had when its predecessor died, in order: restored without counting as executions.</summary>
    public IReadOnlyList<string> Restore { get; init; } = [];

    /// <summary>Executions between meetings with the other workers; 0 for none (one worker).</summary>
    public int SyncEvery { get; init; }

    /// <summary>True: at each meeting, wait until every worker has reached it (a run budget: deterministic). False: never wait.</summary>
    public bool WaitAtSync { get; init; }
}
