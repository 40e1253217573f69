using P2M.Fuzz.Campaigns;

namespace P2M.Fuzz.Gate;

/// <summary>What a gate run came to: each committed script's outcome, the campaign's stats and findings, and every failure.</summary>
/// <param name="Options">The options the gate ran with.</param>
/// <param name="Scripts">Every committed script replayed, in the order run.</param>
/// <param name="Campaign">The campaign's final stats and unique findings.</param>
/// <param name="Failures">Every reason to fail: failing scripts first, in replay order, then the campaign's findings in the order found.</param>
public sealed record GateResult(GateOptions Options, IReadOnlyList<ScriptOutcome> Scripts, CampaignResult Campaign, IReadOnlyList<GateFailure> Failures)
{
    /// <summary>Scripts that ran and passed.</summary>
    public int ScriptsPassed => Scripts.Count(s => s.Passed);

    /// <summary>Scripts that failed or could not be run.</summary>
    public int ScriptsFailed => Scripts.Count - ScriptsPassed;

    /// <summary>The campaign's unique findings.</summary>
    public IReadOnlyList<Finding> Findings => Campaign.Findings;

    /// <summary>Reports that could not be written (a bad path, a full disk); empty when all were.</summary>
    public IReadOnlyList<string> ReportProblems { get; init; } = [];

    /// <summary>True when a signal stopped the gate before its budget was spent: then it never passes.</summary>
    public bool Interrupted { get; init; }

    /// <summary>
    /// True when the campaign had a run count and its <c>--time</c> ceiling ended it first (an engine that hangs on
    /// many inputs, or a much slower one): the runs that make the verdict reproducible were not all done, so it
    /// never passes.
    /// </summary>
    public bool CutShort => !Interrupted && Options is { Runs: long runs, TimeSeconds: not null } && Campaign.Final.Execs < runs;

    /// <summary>Committed scripts that could not be read or parsed: a usage problem of the pull request itself.</summary>
    public int ScriptsUnreadable => Scripts.Count(s => s.Verdict is null);

    /// <summary>True when no script failed, the campaign found nothing, and the gate ran to the end of its budget.</summary>
    public bool IsPass => Failures.Count == 0 && !Interrupted && !CutShort;

    /// <summary>
    /// 2 when a committed script does not parse (as <c>replay</c>); 1 when anything else failed;
    /// 130 when interrupted with nothing found; 1 when the time ceiling cut the campaign short; 2 when a report asked for could not be written (CI would lose it);
    /// 0 when clean.
    /// </summary>
    public int ExitCode =>
        ScriptsUnreadable > 0 ? ExitCodes.Usage
        : Failures.Count > 0 ? ExitCodes.Failure
        : Interrupted ? ExitCodes.Interrupted
        : CutShort ? ExitCodes.Failure
        : ReportProblems.Count > 0 ? ExitCodes.Usage
        : ExitCodes.Pass;

    /// <summary>The closing line: <c>gate: PASS</c>, <c>gate: FAIL (N failures)</c>, <c>gate: INTERRUPTED</c> or <c>gate: INCOMPLETE</c>.</summary>
    public string VerdictLine =>
        Failures.Count > 0 ? $"gate: FAIL ({Failures.Count} failure{(Failures.Count == 1 ? "" : "s")}{(Interrupted ? ", interrupted" : CutShort ? ", campaign cut short by --time" : "")})"
        : Interrupted ? "gate: INTERRUPTED (stopped by a signal before its budget was spent; not a pass)"
        : CutShort ? $"gate: INCOMPLETE (--time ended the campaign after {Campaign.Final.Execs} of {Options.Runs} runs; not a pass)"
        : "gate: PASS";
}
