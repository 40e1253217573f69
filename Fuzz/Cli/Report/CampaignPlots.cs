using P2M.Fuzz.Campaigns;
using ScottPlot;

namespace P2M.Fuzz.Cli.Report;

/// <summary>
/// The report's charts, drawn by ScottPlot as SVG: one quantity a chart, against seconds since each run's
/// start, one line per run (so two campaigns in one stats file are never joined), with ticks, values and
/// units on both axes.
/// </summary>
internal static class CampaignPlots
{
    private const int Width = 860, Height = 300;

    /// <summary>A chart of <paramref name="value"/> over time for every run, in SVG.</summary>
    /// <param name="runs">The runs, each a line.</param>
    /// <param name="title">What is plotted.</param>
    /// <param name="unit">The y axis's label, with its unit.</param>
    /// <param name="value">The quantity at snapshot <c>i</c> of a run's snapshots (a rate may look at the one before).</param>
    /// <param name="integer">True for a count: ticks at whole numbers only.</param>
    public static string Svg(IReadOnlyList<CampaignRun> runs, string title, string unit, Func<IReadOnlyList<CampaignStatus>, int, double> value, bool integer)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel("time since the run started (s)");
        plot.YLabel(unit);
        bool any = false;
        for (int r = 0; r < runs.Count; r++)
        {
            List<CampaignStatus> statuses = runs[r].Statuses;
            if (statuses.Count == 0) continue;
            double[] xs = [.. statuses.Select(s => s.Seconds)];
            double[] ys = [.. statuses.Select((_, i) => value(statuses, i))];
            var line = plot.Add.Scatter(xs, ys);
            line.MarkerSize = statuses.Count == 1 ? 6 : 0;
            line.LineWidth = 2;
            line.LegendText = runs.Count == 1 ? title : $"{r + 1}: {runs[r].Name}";
            any = true;
        }
        if (!any) plot.Add.Annotation("no samples");
        // Counts start at 0: a line scaled to its own range would make 500 to 510 features look like a leap.
        plot.Axes.AutoScale();
        AxisLimits limits = plot.Axes.GetLimits();
        plot.Axes.SetLimits(0, Math.Max(limits.Right, 1), 0, Math.Max(limits.Top * 1.05, 1));
        if (integer) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (runs.Count > 1) plot.ShowLegend(Alignment.LowerRight);
        return plot.GetSvgXml(Width, Height);
    }
}
