using System.CommandLine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Cli.Report;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz report STATS [--out FILE]</c>: turns a stats file (one or more campaigns) into an HTML page:
/// every run's summary, charts over time, mutator statistics and the engine's probes (<see cref="CampaignReport"/>).
/// </summary>
internal static class ReportCommand
{
    /// <summary>The <c>report</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var stats = new Argument<string>("stats") { Description = "A stats file written by 'p2mfuzz fuzz --stats'." };
        var outFile = new Option<string?>("--out") { Description = "HTML file to write (default: the stats file with .html)." };
        var limits = new InputLimitOptions();
        var command = new Command("report", "Write a stats file's campaigns as an HTML page: each run's summary, charts over time, " +
            "mutator statistics, and every engine probe with its hits (the ones never reached marked). " +
            "Exit 0, or 2 if the stats file cannot be read or the page cannot be written.");
        command.Arguments.Add(stats);
        command.Options.Add(outFile);
        limits.AddFileBytesTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(stats)!;
            string target = parse.GetValue(outFile) ?? Path.ChangeExtension(path, ".html");
            if (!CommandPaths.OutputFile("report --out", target, error))
                return P2MFuzzCommandLine.Usage;
            IReadOnlyList<CampaignRun> runs;
            int skipped;
            try
            {
                runs = StatsFile.Read(path, out skipped, limits.From(parse));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"report: {path}: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            if (skipped > 0) error.WriteLine($"report: skipped {skipped} unreadable line(s) of {path}");
            string html = CampaignReport.Html(runs, Path.GetFileName(path));
            try
            {
                File.WriteAllText(target, html);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"report: {target}: not written: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            output.WriteLine($"report: {runs.Count} run(s), {runs.Sum(r => r.Statuses.Count)} samples -> {target}");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
