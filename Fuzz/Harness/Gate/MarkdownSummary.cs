using System.Globalization;
using System.Text;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate for a person reading the pull request's checks (GitHub's job summary): the verdict, a table
/// of what ran, and for each failure its signature, step, field, both sides' values and the minimised
/// reproducer in a <c>```p2m</c> block, ready to save under <c>crashes/</c>.
/// </summary>
/// <example>
/// <code>
/// ## p2mfuzz gate: FAIL (1 failure)
///
/// | | |
/// |---|---:|
/// | scripts replayed | 83 |
/// …
/// ### 1. `divergence:map:refs` (campaign)
///
/// - step: 2, `map gfn=0x0 mfn=0x0 nr=8 type=ram_rw`
/// - field: `refs` at mfn 0x0
/// - engine: `1`
/// - oracle: `0`
///
/// ```p2m
/// # p2mfuzz gate finding: divergence:map:refs
/// …
/// ```
/// </code>
/// </example>
public static class MarkdownSummary
{
    /// <summary>The summary of <paramref name="result"/>.</summary>
    public static string Render(GateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        CampaignStatus campaign = result.Campaign.Final;
        GateOptions options = result.Options;
        var md = new StringBuilder();
        md.Append("## p2mfuzz ").Append(result.VerdictLine).Append("\n\n");
        md.Append("| | |\n|---|---:|\n");
        md.Append(inv, $"| scripts replayed | {result.Scripts.Count} |\n");
        md.Append(inv, $"| scripts passed | {result.ScriptsPassed} |\n");
        md.Append(inv, $"| scripts failed | {result.ScriptsFailed} |\n");
        md.Append(inv, $"| campaign execs | {campaign.Execs} |\n");
        md.Append(inv, $"| exec/s | {campaign.ExecsPerSecond:0} |\n");
        md.Append(inv, $"| features | {campaign.Features} |\n");
        md.Append(inv, $"| findings | {result.Findings.Count} |\n\n");
        string budget = options.Runs is long runs && options.TimeSeconds is null
            ? string.Create(inv, $"{runs} runs")
            : string.Create(inv, $"{options.TimeSeconds:0.#} s");
        md.Append(inv, $"Campaign: {budget}, seed {options.Seed}, {string.Join("+", options.Geometries)}, {options.Jobs} job(s), {campaign.Seconds:0.0} s; ");
        md.Append(inv, $"corpus `{options.CorpusDirectory}` (read only), findings under `{options.OutputDirectory}`.\n");

        for (int i = 0; i < result.Failures.Count; i++)
            AppendFailure(md, i + 1, result.Failures[i]);
        return md.ToString();
    }

    private static void AppendFailure(StringBuilder md, int number, GateFailure failure)
    {
        var inv = CultureInfo.InvariantCulture;
        string stage = failure.Stage == GateStage.Replay ? $"replay of `{failure.Name}`" : "campaign";
        md.Append(inv, $"\n### {number}. `{failure.Signature}` ({stage})\n\n");
        if (failure.Verdict is { } verdict)
        {
            string what = verdict.Expectation ?? (verdict.Op is { } op ? ScriptPrinter.Format(op) : "setup");
            md.Append(inv, $"- step: {verdict.Step}{(verdict.Line > 0 ? $" (line {verdict.Line})" : "")}, `{what}`\n");
            md.Append(inv, $"- field: `{verdict.Field}`");
            if (verdict.Gfn is { } gfn) md.Append(inv, $" at gfn {gfn}");
            if (verdict.Mfn is { } mfn) md.Append(inv, $" at mfn {mfn}");
            if (verdict.GrantFrame is { } frame) md.Append(inv, $" of grant frame {frame}");
            md.Append('\n');
            md.Append(inv, $"- {verdict.LeftName}: `{verdict.LeftValue}`\n");
            md.Append(inv, $"- {verdict.RightName}: `{verdict.RightValue}`\n");
            if (verdict.Message.Length > 0)
                md.Append(inv, $"- {verdict.Message}\n");
        }
        else
        {
            md.Append(inv, $"- {failure.Details}\n");
        }
        if (failure.ReproPath is not null)
            md.Append(inv, $"- file: `{failure.ReproPath}`\n");
        if (failure.Repro is not null)
            md.Append(inv, $"\n```p2m\n{failure.Repro.TrimEnd('\n')}\n```\n");
    }
}
