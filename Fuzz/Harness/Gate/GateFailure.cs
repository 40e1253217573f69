using System.Globalization;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Gate;

/// <summary>
/// One reason the gate fails, in the one shape every report reads: a committed script that failed,
/// or a finding of the campaign, with its signature, the verdict it is described by, a one-line
/// summary and the <c>.p2m</c> text that reproduces it.
/// </summary>
public sealed record GateFailure
{
    /// <summary>Replay or campaign.</summary>
    public required GateStage Stage { get; init; }

    /// <summary>What failed, for test names: the script's path, or the finding's signature.</summary>
    public required string Name { get; init; }

    /// <summary>The verdict's signature (<c>kind:operation:field</c>), or <see cref="UnreadableSignature"/>.</summary>
    public required string Signature { get; init; }

    /// <summary>
    /// The verdict the failure is described by: the script's own for a replay (its steps and lines are the
    /// file's), the minimised input's for a finding (its steps are those of <see cref="Repro"/>).
    /// Null for a script that could not be read or parsed.
    /// </summary>
    public Verdict? Verdict { get; init; }

    /// <summary>The operations <see cref="Verdict"/>'s steps count: the script's, or the finding's minimised input; null for a script that did not parse.</summary>
    public FuzzInput? Input { get; init; }

    /// <summary>One line: signature, step, operation, field and both values.</summary>
    public required string Summary { get; init; }

    /// <summary>The full report: the verdict's multi-line text, or the parse error.</summary>
    public required string Details { get; init; }

    /// <summary>A <c>.p2m</c> script that shows the failure, minimised when the minimiser could keep the signature.</summary>
    public string? Repro { get; init; }

    /// <summary>A file holding a reproducer: the committed script, or the finding as stored under the gate's output; null when none was written.</summary>
    public string? ReproPath { get; init; }

    /// <summary>The line of <see cref="ReproPath"/> at fault; 0 when unknown.</summary>
    public int ReproLine { get; init; }

    /// <summary>The signature of a script that could not be read or parsed: nothing of it ran.</summary>
    public const string UnreadableSignature = "unreadable:script";

    /// <summary>
    /// A committed script that did not pass, with the reproducer <paramref name="repro"/> (see <see cref="ReproScript.ForScript"/>)
    /// and the script's operations <paramref name="input"/> (null when it did not parse).
    /// </summary>
    public static GateFailure OfScript(ScriptOutcome outcome, string? repro, FuzzInput? input = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Passed)
            throw new ArgumentException("a passing script is not a failure", nameof(outcome));
        if (outcome.Verdict is not { } verdict)
        {
            string problem = outcome.Problem ?? $"{outcome.Path}: did not run";
            return new GateFailure
            {
                Stage = GateStage.Replay,
                Name = outcome.Path,
                Signature = UnreadableSignature,
                Summary = $"{outcome.Path} could not be replayed: {problem}",
                Details = problem,
                Repro = repro,
                ReproPath = outcome.Path,
                ReproLine = outcome.ProblemLine,
            };
        }
        return new GateFailure
        {
            Stage = GateStage.Replay,
            Name = outcome.Path,
            Signature = verdict.Signature,
            Verdict = verdict,
            Input = input,
            Summary = SummaryOf(verdict) + $" in {outcome.Path}",
            Details = verdict.ToString(),
            Repro = repro,
            ReproPath = outcome.Path,
            ReproLine = verdict.Line,
        };
    }

    /// <summary>A unique finding of the campaign, described by its minimised input.</summary>
    public static GateFailure OfFinding(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Verdict verdict = finding.MinimizedVerdict;
        string found = string.Create(CultureInfo.InvariantCulture,
            $"found by seed 0x{finding.Seed:x}: {finding.Original.Ops.Length} ops, minimised to {finding.Minimized.Ops.Length}");
        return new GateFailure
        {
            Stage = GateStage.Campaign,
            Name = finding.Signature,
            Signature = finding.Signature,
            Verdict = verdict,
            Input = finding.Minimized,
            Summary = SummaryOf(verdict),
            Details = verdict + "\n  " + found,
            Repro = ReproScript.ForFinding(finding),
            ReproPath = finding.StoredAt,
        };
    }

    /// <summary>
    /// E.g. <c>divergence:map:refs at step 2 (map gfn=0x0 mfn=0x100 nr=64 type=ram_rw): refs at mfn 0x7: engine 1, oracle 0</c>.
    /// </summary>
    private static string SummaryOf(Verdict verdict)
    {
        var inv = CultureInfo.InvariantCulture;
        string where = string.Create(inv, $"step {verdict.Step}{(verdict.Line > 0 ? $" (line {verdict.Line})" : "")}");
        string what = verdict.Expectation ?? (verdict.Op is { } op ? ScriptPrinter.Format(op) : "setup");
        string subject = verdict.Field
            + (verdict.Gfn is { } gfn ? $" at gfn {gfn}" : "")
            + (verdict.Mfn is { } mfn ? $" at mfn {mfn}" : "")
            + (verdict.GrantFrame is { } frame ? string.Create(inv, $" of grant frame {frame}") : "");
        return $"{verdict.Signature} at {where}, {what}: {subject}: {verdict.LeftName} {verdict.LeftValue}, {verdict.RightName} {verdict.RightValue}";
    }
}
