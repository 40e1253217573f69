using System.Globalization;
using System.Net;
using System.Text;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// A self-contained HTML page (inline SVG, no scripts, nothing fetched) plotting a campaign's
/// features, corpus and findings over time, and its speed, with a table of the final numbers.
/// </summary>
public static class StatsReport
{
    private const int Width = 760, Height = 260, Margin = 48;

    /// <summary>The page for <paramref name="statuses"/>, titled after <paramref name="source"/>.</summary>
    public static string Html(IReadOnlyList<CampaignStatus> statuses, string source)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>p2mfuzz report: ")
            .Append(WebUtility.HtmlEncode(source))
            .Append("</title><style>body{font-family:sans-serif;margin:2em;color:#222}svg{background:#fafafa;border:1px solid #ddd}")
            .Append("td,th{padding:2px 12px;text-align:right}th{text-align:left}.legend span{margin-right:1.5em}</style></head><body>")
            .Append("<h1>p2mfuzz campaign: ").Append(WebUtility.HtmlEncode(source)).Append("</h1>");
        if (statuses.Count == 0)
            return html.Append("<p>The stats file holds no samples.</p></body></html>").ToString();

        CampaignStatus last = statuses[^1];
        html.Append("<table>")
            .Append(Row("time", $"{last.Seconds:0.0} s")).Append(Row("executions", $"{last.Execs}"))
            .Append(Row("exec/s", $"{last.ExecsPerSecond:0}")).Append(Row("steps/s", $"{last.StepsPerSecond:0}"))
            .Append(Row("features", $"{last.Features}")).Append(Row("corpus", $"{last.CorpusSize}"))
            .Append(Row("unique findings", $"{last.Findings}")).Append(Row("since last new feature", $"{last.SecondsSinceNewFeature:0} s"))
            .Append("</table>");
        html.Append("<h2>Coverage and findings over time</h2>")
            .Append(Plot(statuses, [("features", "#1f77b4", s => s.Features), ("corpus", "#2ca02c", s => s.CorpusSize), ("findings", "#d62728", s => s.Findings)]));
        html.Append("<h2>Speed</h2>")
            .Append(Plot(statuses, [("exec/s", "#9467bd", s => s.ExecsPerSecond)]));
        return html.Append("</body></html>").ToString();
    }

    private static string Row(string name, string value) => $"<tr><th>{name}</th><td>{value}</td></tr>";

    /// <summary>One SVG chart: every series against time, each scaled to its own maximum (the legend gives it).</summary>
    private static string Plot(IReadOnlyList<CampaignStatus> statuses, (string Name, string Color, Func<CampaignStatus, double> Value)[] series)
    {
        double maxTime = Math.Max(statuses[^1].Seconds, 1e-9);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Margin}\" y1=\"{Height - Margin}\" x2=\"{Width - 10}\" y2=\"{Height - Margin}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Margin}\" y1=\"10\" x2=\"{Margin}\" y2=\"{Height - Margin}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 12}\" font-size=\"12\">seconds (0 to {maxTime:0.#})</text>");
        var legend = new StringBuilder("<p class=\"legend\">");
        foreach (var (name, color, value) in series)
        {
            double max = Math.Max(statuses.Max(value), 1e-9);
            var points = string.Join(" ", statuses.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{Margin + s.Seconds / maxTime * (Width - Margin - 10):0.#},{Height - Margin - value(s) / max * (Height - Margin - 10):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>");
            legend.Append(CultureInfo.InvariantCulture, $"<span style=\"color:{color}\">&#9632; {name} (max {max:0.#})</span>");
        }
        return svg.Append("</svg>").Append(legend).Append("</p>").ToString();
    }
}
