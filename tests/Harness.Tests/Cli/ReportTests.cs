using P2M.Coverage;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Cli.Report;

namespace P2M.Harness.Tests.Cli;

/// <summary>The stats file keeps campaigns apart, and the report shows every one of them, its mutators and every probe.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Two_campaigns_in_one_stats_file_are_two_runs_in_the_report()
    {
        string stats = Path.Combine(_dir, "stats.jsonl");
        new Campaign(new CampaignOptions { Runs = 300, Seed = 1, StatsFile = stats, StatusEverySeconds = 0.05, InProcess = true }).Run(CancellationToken.None);
        new Campaign(new CampaignOptions { Runs = 200, Seed = 2, StatsFile = stats, StatusEverySeconds = 0.05, InProcess = true }).Run(CancellationToken.None);

        IReadOnlyList<CampaignRun> runs = StatsFile.Read(stats, out int skipped);
        Assert.Equal(0, skipped);
        Assert.Equal(2, runs.Count);
        Assert.Equal([300L, 200L], runs.Select(r => r.Statuses[^1].Execs));
        Assert.Contains("seed 1", runs[0].Name);
        Assert.Contains("seed 2", runs[1].Name);
        // Within a run time never goes back: nothing joins the end of one run to the start of the next.
        Assert.All(runs, r => Assert.True(r.Statuses.Zip(r.Statuses.Skip(1)).All(p => p.Second.Seconds >= p.First.Seconds)));
        Assert.All(runs, r => Assert.NotEmpty(r.NewInputs));

        var cli = CliRun.Of("report", stats, "--out", Path.Combine(_dir, "report.html"));
        Assert.Equal(0, cli.Code);
        Assert.Contains("2 run(s)", cli.Out);
        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        // Every run has its summary row and its mutator table; the charts have real axes with labels and units.
        Assert.Contains(runs[0].Name, html);
        Assert.Contains(runs[1].Name, html);
        Assert.Equal(2, Count(html, "<h3>Mutators</h3>"));
        Assert.Equal(4, Count(html, "<svg"));
        Assert.Contains("time since the run started (s)", html);
        Assert.Contains("executions / s", html);
        Assert.Contains("ChangeArg", html);
        Assert.Contains("MS: ", html);
        Assert.Contains("Engine probes", html);
    }

    [Fact]
    public void Lines_without_a_run_are_split_where_time_goes_back()
    {
        string stats = Path.Combine(_dir, "old.jsonl");
        File.WriteAllLines(stats,
        [
            """{"seconds":1,"execs":10,"steps":100,"features":5,"corpus_size":2,"findings":0,"seconds_since_new_feature":0}""",
            """{"seconds":2,"execs":20,"steps":200,"features":6,"corpus_size":3,"findings":0,"seconds_since_new_feature":0}""",
            """{"seconds":1,"execs":15,"steps":150,"features":4,"corpus_size":1,"findings":1,"seconds_since_new_feature":0}""",
        ]);
        IReadOnlyList<CampaignRun> runs = StatsFile.Read(stats, out _);
        Assert.Equal([2, 1], runs.Select(r => r.Statuses.Count));
        string html = CampaignReport.Html(runs, "old.jsonl");
        Assert.Contains("run 1", html);
        Assert.Contains("run 2", html);
    }

    [Fact]
    public void The_probe_table_names_every_probe_and_marks_those_never_reached()
    {
        var hits = new Dictionary<int, long> { [(int)Probe.ChunkMap + 1] = 7, [(int)Probe.Einval + (int)P2M.Contract.OpKind.Unmap] = 3 };
        IReadOnlyList<ProbeTable.Row> rows = ProbeTable.Rows(hits);
        Assert.Equal(Enum.GetNames<Probe>().Length, rows.Count);
        ProbeTable.Row map = rows.Single(r => r.Name == "ChunkMap");
        Assert.Equal(7, map.Total);
        Assert.Equal([("+1", 7L)], map.Hits);
        Assert.Equal([("Unmap", 3L)], rows.Single(r => r.Name == "Einval").Hits);
        Assert.True(rows.Single(r => r.Name == "MapcacheSlotFull").NeverReached);
        Assert.Equal(rows.Count - 2, rows.Count(r => r.NeverReached));
    }

    private static int Count(string text, string part)
    {
        int n = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
