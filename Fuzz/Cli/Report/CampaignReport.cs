using System.Globalization;
using System.Net;
using System.Text;
using P2M.Fuzz.Campaigns;

namespace P2M.Fuzz.Cli.Report;

/// <summary>
/// <c>p2mfuzz report</c>'s page: self-contained HTML (inline SVG charts, no scripts, nothing fetched) with a
/// summary row for every run in the stats file, charts of features, corpus, findings and speed over time (one
/// line per run), the mutators' statistics, the last inputs added with their mutation sequences, and every
/// engine probe with its hits, the ones never reached marked.
/// </summary>
public static class CampaignReport
{
    /// <summary>New inputs listed per run (the most recent).</summary>
    private const int NewInputsShown = 20;

    /// <summary>The page for <paramref name="runs"/>, titled after <paramref name="source"/>.</summary>
    public static string Html(IReadOnlyList<CampaignRun> runs, string source)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>p2mfuzz report: ").Append(Encode(source)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}table{border-collapse:collapse;margin:0.5em 0 1.5em}")
            .Append("td,th{padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}td.n{white-space:nowrap}")
            .Append("tr.never td{color:#b00}figure{margin:0 0 1.5em}svg{border:1px solid #ddd}code{font-size:0.95em}</style></head><body>")
            .Append("<h1>p2mfuzz campaign report: ").Append(Encode(source)).Append("</h1>");
        List<CampaignRun> sampled = [.. runs.Where(r => r.Statuses.Count > 0)];
        if (sampled.Count == 0)
            return html.Append("<p>The stats file holds no samples.</p></body></html>").ToString();

        html.Append("<h2>Runs</h2>").Append(Summary(sampled));
        html.Append("<h2>Over time</h2>");
        foreach ((string title, string unit, Func<IReadOnlyList<CampaignStatus>, int, double> value, bool integer) in
                 new (string, string, Func<IReadOnlyList<CampaignStatus>, int, double>, bool)[]
        {
            ("features (probe counter and hit-count bucket pairs)", "features", (s, i) => s[i].Features, true),
            ("corpus", "inputs", (s, i) => s[i].CorpusSize, true),
            ("unique findings", "signatures", (s, i) => s[i].Findings, true),
            ("speed: executions per second between two samples", "executions / s", ExecsPerSecond, false),
        })
            html.Append("<figure>").Append(CampaignPlots.Svg(sampled, title, unit, value, integer)).Append("</figure>");

        for (int r = 0; r < sampled.Count; r++)
        {
            CampaignRun run = sampled[r];
            html.Append(CultureInfo.InvariantCulture, $"<h2>Run {r + 1}: {Encode(run.Name)}</h2>");
            html.Append(Mutators(run.Statuses[^1].Mutators));
            html.Append(NewInputs(run.NewInputs));
        }
        html.Append(Probes(sampled));
        return html.Append("</body></html>").ToString();
    }

    /// <summary>The rate between sample <paramref name="i"/> and the one before (since the start for the first).</summary>
    private static double ExecsPerSecond(IReadOnlyList<CampaignStatus> s, int i)
    {
        if (i == 0) return s[0].ExecsPerSecond;
        double seconds = s[i].Seconds - s[i - 1].Seconds;
        return seconds > 0 ? (s[i].Execs - s[i - 1].Execs) / seconds : s[i].ExecsPerSecond;
    }

    private static string Summary(List<CampaignRun> runs)
    {
        var table = new StringBuilder("<table><tr><th class=\"l\">run</th><th>time (s)</th><th>executions</th><th>exec/s</th><th>steps/s</th>" +
            "<th>features</th><th>corpus</th><th>unique findings</th><th>peak rss (MiB)</th><th>workers</th><th>restarts</th><th>last new feature (s ago)</th></tr>");
        for (int r = 0; r < runs.Count; r++)
        {
            CampaignStatus s = runs[r].Statuses[^1];
            table.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"l\">{r + 1}: {Encode(runs[r].Name)}</td><td>{s.Seconds:0.0}</td><td>{s.Execs:N0}</td><td>{s.ExecsPerSecond:N0}</td><td>{s.StepsPerSecond:N0}</td>" +
                $"<td>{s.Features:N0}</td><td>{s.CorpusSize:N0}</td><td>{s.Findings}</td><td>{s.RssMb:N0}</td><td>{s.Workers}</td><td>{s.Restarts}</td><td>{s.SecondsSinceNewFeature:0}</td></tr>");
        }
        return table.Append("</table>").ToString();
    }

    private static string Mutators(IReadOnlyList<MutatorStat>? mutators)
    {
        if (mutators is null || mutators.Count == 0) return "<p>No mutator statistics in this run's lines.</p>";
        var table = new StringBuilder("<h3>Mutators</h3><p>A try is one use of the mutator in an executed input (an input stacks one to four); " +
            "new inputs reached a new feature and joined the corpus; findings are failing executions, before deduplication. " +
            "<code>Generate</code> is a fresh input from the generators.</p>" +
            "<table><tr><th class=\"l\">mutator</th><th>tries</th><th>new inputs</th><th>new per 1,000 tries</th><th>findings</th></tr>");
        foreach (MutatorStat m in mutators)
        {
            string rate = m.Tries > 0 ? (1000.0 * m.NewInputs / m.Tries).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            table.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"l\">{Encode(m.Name)}</td><td>{m.Tries:N0}</td><td>{m.NewInputs:N0}</td><td>{rate}</td><td>{m.Findings:N0}</td></tr>");
        }
        return table.Append("</table>").ToString();
    }

    private static string NewInputs(List<NewCoverage> added)
    {
        if (added.Count == 0) return "";
        var table = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"<h3>Inputs added ({added.Count:N0}; the last {Math.Min(added.Count, NewInputsShown)})</h3>" +
            $"<table><tr><th>execution</th><th>features</th><th>corpus</th><th class=\"l\">mutation sequence</th><th class=\"l\">corpus file</th></tr>"));
        foreach (NewCoverage n in added.Skip(Math.Max(0, added.Count - NewInputsShown)))
        {
            table.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{n.Exec:N0}</td><td>{n.Features:N0}</td><td>{n.CorpusSize:N0}</td><td class=\"l\"><code>{Encode(n.Mutation)}</code></td>" +
                $"<td class=\"l\"><code>{Encode(n.Entry is null ? "(memory)" : Path.GetFileName(n.Entry))}</code></td></tr>");
        }
        return table.Append("</table>").ToString();
    }

    /// <summary>Every probe family with its hits over all runs (each run's last snapshot that carries them).</summary>
    private static string Probes(List<CampaignRun> runs)
    {
        var hits = new ProbeHits();
        int withProbes = 0;
        foreach (CampaignRun run in runs)
        {
            if (run.Statuses.LastOrDefault(s => s.Probes is not null)?.Probes is not { } probes) continue;
            hits.Add(probes);
            withProbes++;
        }
        var html = new StringBuilder("<h2>Engine probes</h2>");
        if (withProbes == 0) return html.Append("<p>No probe hits in this stats file (written by an older p2mfuzz).</p>").ToString();
        IReadOnlyList<ProbeTable.Row> rows = ProbeTable.Rows(hits.Snapshot());
        int never = rows.Count(r => r.NeverReached);
        html.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p>Every decision point of the engine (<code>Targets/Coverage/Probe.cs</code>), over {withProbes} run(s): {rows.Count - never} reached, " +
            $"<b>{never} never reached</b>. A hit is one count of the probe's counter in one execution (each execution adds at most 255 a counter); " +
            $"an offset is a level, an allocation site or an operation kind, as the probe's documentation says.</p>" +
            $"<table><tr><th class=\"l\">probe</th><th>counter</th><th>hits</th><th class=\"l\">hits by offset</th><th class=\"l\">reached</th></tr>"));
        foreach (ProbeTable.Row row in rows)
        {
            string offsets = string.Join(", ", row.Hits.Where(h => h.Offset.Length > 0).Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Offset}: {h.Hits:N0}")));
            string counters = row.Span == 1 ? $"{row.First}" : $"{row.First}-{row.First + row.Span - 1}";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(row.NeverReached ? " class=\"never\"" : "")}><td class=\"l\">{Encode(row.Name)}</td><td class=\"n\">{counters}</td><td>{row.Total:N0}</td>" +
                $"<td class=\"l\">{Encode(offsets)}</td><td class=\"l\">{(row.NeverReached ? "never reached" : "yes")}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
