using P2M.Fuzz.Campaigns;
using Spectre.Console;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The campaign's status while it runs: Spectre.Console's live line when standard error is a
/// terminal, otherwise (CI, a pipe) a plain libFuzzer-style line every few seconds.
/// </summary>
internal static class StatusDisplay
{
    public static CampaignResult Run(Campaign campaign, CancellationToken token, TextWriter error)
    {
        if (Console.IsErrorRedirected || !ReferenceEquals(error, Console.Error))
        {
            DateTime next = DateTime.UtcNow;
            campaign.Status += s =>
            {
                if (DateTime.UtcNow < next) return;
                next = DateTime.UtcNow.AddSeconds(5);
                error.WriteLine(s.ToString());
            };
            return campaign.Run(token);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        CampaignResult? result = null;
        console.Live(new Markup("[grey]starting...[/]")).Start(live =>
        {
            campaign.Status += s =>
            {
                live.UpdateTarget(new Markup(
                    $"[bold]#{s.Execs}[/] {s.Seconds:0}s  exec/s [green]{s.ExecsPerSecond:0}[/]  steps/s {s.StepsPerSecond:0}  " +
                    $"ft [blue]{s.Features}[/]  corp {s.CorpusSize}  findings [{(s.Findings > 0 ? "red" : "green")}]{s.Findings}[/]  last new {s.SecondsSinceNewFeature:0}s"));
                live.Refresh();
            };
            result = campaign.Run(token);
        });
        return result!;
    }
}
