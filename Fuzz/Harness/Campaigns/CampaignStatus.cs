using System.Globalization;
using System.Text;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// One snapshot of a running campaign, for the live status line, the stats file and the final
/// summary: libFuzzer's stats line in a record.
/// </summary>
public sealed record CampaignStatus(
    double Seconds,
    long Execs,
    long Steps,
    int Features,
    int CorpusSize,
    int Findings,
    double SecondsSinceNewFeature)
{
    /// <summary>Which campaign this snapshot belongs to (its start time and seed), so that runs appended to one stats file stay apart.</summary>
    public string? Run { get; init; }

    /// <summary>Worker processes started again after a crash, a timeout or the memory limit.</summary>
    public int Restarts { get; init; }

    /// <summary>Peak resident memory of the workers together (in-process: of this process), in MiB, as libFuzzer's <c>rss:</c>.</summary>
    public long RssMb { get; init; }

    /// <summary>Workers the campaign runs.</summary>
    public int Workers { get; init; }

    /// <summary>Workers running now (not finished, not dead and waiting for a restart).</summary>
    public int WorkersAlive { get; init; }

    /// <summary>Executions left of a <c>--runs</c> budget; null without one.</summary>
    public long? RunsLeft { get; init; }

    /// <summary>Seconds left of a <c>--time</c> budget; null without one.</summary>
    public double? SecondsLeft { get; init; }

    /// <summary>Per-mutator counts so far (see <see cref="MutationStats"/>); null when not taken.</summary>
    public IReadOnlyList<MutatorStat>? Mutators { get; init; }

    /// <summary>Hits per probe counter so far, by counter index (see <see cref="ProbeHits"/>); null when not taken.</summary>
    public IReadOnlyDictionary<int, long>? Probes { get; init; }

    /// <summary>Executions per second since the start.</summary>
    public double ExecsPerSecond => Seconds > 0 ? Execs / Seconds : 0;

    /// <summary>Operations (differential steps) per second since the start.</summary>
    public double StepsPerSecond => Seconds > 0 ? Steps / Seconds : 0;

    /// <summary>What is left of the budget, e.g. <c>41s left</c>, <c>1200 runs left</c>, or both; empty without a budget.</summary>
    public string Left()
    {
        var parts = new List<string>(2);
        if (RunsLeft is long runs) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(runs, 0)} runs"));
        if (SecondsLeft is double seconds) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(seconds, 0):0}s"));
        return parts.Count == 0 ? "" : string.Join(" or ", parts) + " left";
    }

    /// <summary>
    /// The one-line form, libFuzzer's <c>pulse</c> line with this campaign's fields:
    /// <c>#execs time exec/s steps/s ft corp findings rss workers left last-new [restarts]</c>.
    /// </summary>
    public override string ToString()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"#{Execs} {Seconds:0}s exec/s: {ExecsPerSecond:0} steps/s: {StepsPerSecond:0} ft: {Features} corp: {CorpusSize} findings: {Findings} rss: {RssMb}Mb");
        if (Workers > 0) line.Append(CultureInfo.InvariantCulture, $" workers: {WorkersAlive}/{Workers}");
        string left = Left();
        if (left.Length > 0) line.Append(' ').Append(left);
        line.Append(CultureInfo.InvariantCulture, $" last-new: {SecondsSinceNewFeature:0}s");
        if (Restarts > 0) line.Append(CultureInfo.InvariantCulture, $" restarts: {Restarts}");
        return line.ToString();
    }
}

/// <summary>
/// An input that reached new coverage and joined the corpus, as libFuzzer's <c>#N NEW</c> line tells it.
/// </summary>
/// <param name="Exec">The execution that ran it (the worker's count).</param>
/// <param name="Features">Features with it (at least; a worker's own count before the next snapshot merges the others').</param>
/// <param name="CorpusSize">The corpus with it.</param>
/// <param name="Mutation">The mutators that made it, <c>MS: 2 InsertOp-ChangeArg-</c>.</param>
public sealed record NewCoverage(long Exec, int Features, int CorpusSize, string Mutation)
{
    /// <summary>The corpus file it was stored as; null when the corpus is kept in memory.</summary>
    public string? Entry { get; init; }

    /// <summary>The campaign it belongs to (see <see cref="CampaignStatus.Run"/>).</summary>
    public string? Run { get; init; }
}
