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
        var command = new Command("report", "Plot a campaign's features and findings over time as an HTML page.");
        command.Arguments.Add(stats);
        command.Options.Add(outFile);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(stats)!;
            if (!File.Exists(path))
            {
                error.WriteLine($"report: no such file: {path}");
                return P2MFuzzCommandLine.Usage;
            }
            var statuses = StatsFile.Read(path, out int skipped);
            if (skipped > 0) error.WriteLine($"report: skipped {skipped} unreadable line(s) of {path}");
            string html = StatsReport.Html(statuses, Path.GetFileName(path));
            string target = parse.GetValue(outFile) ?? Path.ChangeExtension(path, ".html");
            File.WriteAllText(target, html);
            output.WriteLine($"report: {statuses.Count} samples -> {target}");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
