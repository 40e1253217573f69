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
    /// <summary>Worker processes started again after a crash, a timeout or the memory limit.</summary>
    public int Restarts { get; init; }

    /// <summary>Executions per second since the start.</summary>
    public double ExecsPerSecond => Seconds > 0 ? Execs / Seconds : 0;

    /// <summary>Operations (differential steps) per second since the start.</summary>
    public double StepsPerSecond => Seconds > 0 ? Steps / Seconds : 0;

    /// <summary>The one-line form: <c>#execs exec/s steps/s ft corp findings last-new</c>.</summary>
    public override string ToString() =>
        $"#{Execs} {Seconds:0}s exec/s: {ExecsPerSecond:0} steps/s: {StepsPerSecond:0} ft: {Features} corp: {CorpusSize} findings: {Findings} last-new: {SecondsSinceNewFeature:0}s" + (Restarts > 0 ? $" restarts: {Restarts}" : "");
}
