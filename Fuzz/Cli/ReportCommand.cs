using System.CommandLine;
using P2M.Fuzz.Campaigns;

namespace P2M.Fuzz.Cli;

/// <summary><c>p2mfuzz report STATS [--out FILE]</c>: turns a campaign's stats file into an HTML page with its plots.</summary>
internal static class ReportCommand
{
    /// <summary>The <c>report</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var stats = new Argument<string>("stats") { Description = "A stats file written by 'p2mfuzz fuzz --stats'." };
        var outFile = new Option<string?>("--out") { Description = "HTML file to write (default: the stats file with .html)." };
        var limits = new InputLimitOptions();
        var command = new Command("report", "Plot a campaign's features and findings over time as an HTML page. " +
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
            IReadOnlyList<CampaignStatus> statuses;
            int skipped;
            try
            {
                statuses = StatsFile.Read(path, out skipped, limits.From(parse));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"report: {path}: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            if (skipped > 0) error.WriteLine($"report: skipped {skipped} unreadable line(s) of {path}");
            string html = StatsReport.Html(statuses, Path.GetFileName(path));
            try
            {
                File.WriteAllText(target, html);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"report: {target}: not written: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            output.WriteLine($"report: {statuses.Count} samples -> {target}");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
