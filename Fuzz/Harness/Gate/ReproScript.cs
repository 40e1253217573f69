using System.Globalization;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The <c>.p2m</c> text a report shows with each failure: the smallest script that fails the same way,
/// so a reviewer can paste it into <c>crashes/</c> and replay it. Its header carries the
/// <c>signature:</c> line a <see cref="CrashStore"/> reads.
/// </summary>
public static class ReproScript
{
    /// <summary>
    /// Candidates the minimiser may run for one failing committed script: enough for the scripts of
    /// <c>corpus/</c>, small enough that a gate with several failures stays quick.
    /// </summary>
    public const int ScriptMinimizeAttempts = 2000;

    /// <summary>
    /// Most seconds one failing committed script is minimised for: an input that hangs costs a whole timeout
    /// per candidate, and the gate must end on time. The smallest failing input found by then is shown.
    /// </summary>
    public const double ScriptMinimizeSeconds = 10;

    /// <summary>
    /// Largest committed script shown as it is: a report holds a reproducer a reviewer can paste, not a
    /// file of any size (GitHub cuts a job summary at 1 MiB). A larger one is named by its path only.
    /// </summary>
    public const int MaxInlineBytes = 16 << 10;

    /// <summary>A campaign finding's minimised input, as a script.</summary>
    public static string ForFinding(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        string[] header =
        [
            $"p2mfuzz gate finding: {finding.Signature}",
            CrashHeader.SignaturePrefix + finding.Signature,
            string.Create(CultureInfo.InvariantCulture, $"seed: 0x{finding.Seed:x}"),
            string.Create(CultureInfo.InvariantCulture, $"minimised: {finding.Original.Ops.Length} -> {finding.Minimized.Ops.Length} ops"),
        ];
        return ScriptPrinter.Print(finding.Minimized.ToScript(finding.StoredAt ?? "finding.p2m", header));
    }

    /// <summary>
    /// A failing committed script's reproducer: the script minimised as <c>minimize</c> does it
    /// (<see cref="ScriptMinimization"/>: a failed expectation is kept), when the minimised script still fails
    /// the same way; otherwise the file as it is when it is at most <see cref="MaxInlineBytes"/>. Null when
    /// there is none to show: a script that did not parse (its error says where; its text may be anything,
    /// even another file behind a link), one too large, or one that can no longer be read.
    /// </summary>
    /// <param name="outcome">The script's replay.</param>
    /// <param name="script">The parsed script; null when it did not parse.</param>
    /// <param name="runner">Runs each candidate, engine against oracle.</param>
    /// <param name="limits">The limits the script was read within.</param>
    /// <param name="token">Stops the minimisation (the gate's time for it is spent): the smallest input found so far is shown.</param>
    public static string? ForScript(ScriptOutcome outcome, Script? script, IInputRunner runner, InputLimits limits, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(limits);
        if (script is null)
            return null;
        if (outcome.Verdict is { IsPass: false } verdict)
        {
            string signature = verdict.Signature;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            limit.CancelAfter(TimeSpan.FromSeconds(ScriptMinimizeSeconds));
            ScriptMinimizeResult minimized = ScriptMinimization.Minimize(script, verdict, runner, ScriptMinimizeAttempts, limit.Token);
            if (minimized.Result.Verdict.Signature == signature)
            {
                string[] header =
                [
                    $"p2mfuzz gate: {outcome.Path} minimised ({minimized.Result.OriginalLength} -> {minimized.Result.MinimizedLength} ops)",
                    CrashHeader.SignaturePrefix + signature,
                ];
                return ScriptPrinter.Print(minimized.ToScript(outcome.Path, header));
            }
        }
        try
        {
            return InputFile.ReadAllText(outcome.Path, limits with { MaxFileBytes = Math.Min(limits.MaxFileBytes, MaxInlineBytes) });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
