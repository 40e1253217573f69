using System.Diagnostics;
using System.Text.RegularExpressions;
using P2M.Harness.Tests.Supervision;

namespace P2M.Harness.Tests.Cli;

/// <summary>
/// The campaign's lines and status line, as a person sees them: plain when the output is not a terminal, and on a
/// real terminal (a tmux pane, read back with <c>capture-pane</c>) every line that must stay intact.
/// </summary>
public sealed partial class StatusDisplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^#\d+ NEW ft: \d+ corp: \d+ exec/s: \d+ rss: \d+Mb MS: \d (?:[A-Za-z]+-)+$")]
    private static partial Regex NewLine();

    [GeneratedRegex(@"^NEW FINDING [a-z-]+:[a-z-]+:[a-z.-]+: \d+ ops, stored as found in \S+\.orig\.p2m; minimising$")]
    private static partial Regex FindingLine();

    [GeneratedRegex(@"^#(\d+) \d+s exec/s: \d+ steps/s: \d+ ft: \d+ corp: \d+ findings: \d+ rss: \d+Mb workers: \d+/1 0 runs left last-new: \d+s")]
    private static partial Regex FinalStatus();

    [Fact]
    public void Redirected_output_is_plain_lines_with_new_inputs_and_the_final_status()
    {
        var run = CliRun.Of("fuzz", "--runs", "600", "--geometry", "mini", "--in-process", "--crashes", Path.Combine(_dir, "crashes"));
        Assert.Equal(0, run.Code);
        Assert.DoesNotContain('\u001b', run.Err);
        string[] lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("== fuzzing mini", lines[0]);
        Assert.Contains(lines, line => NewLine().IsMatch(line));
        Match final = FinalStatus().Match(lines[^1]);
        Assert.True(final.Success, lines[^1]);
        Assert.Equal("600", final.Groups[1].Value);
    }

    [Fact]
    public void In_tmux_the_startup_line_new_lines_and_findings_stay_and_no_status_line_is_left_behind()
    {
        Assert.True(Tmux("-V", out _) == 0, "tmux is needed for this test: apt-get install -y tmux");
        string socket = $"p2mfuzz-test-{Environment.ProcessId}";
        string dll = Path.Combine(AppContext.BaseDirectory, "p2mfuzz.dll");
        string crashes = Path.Combine(_dir, "crashes");
        string command = $"cd {_dir} && dotnet {dll} fuzz --runs 3000 --geometry mini --crashes {crashes} " +
                         $"--impl assembly:{PlantedLibrary.Path}:P2M.Planted.SkipsTlbFlush; echo EXIT=$?; sleep 600";
        try
        {
            Assert.Equal(0, Tmux($"-L {socket} new-session -d -s fuzz -x 120 -y 40 '{command}'", out string started));
            string pane = "";
            // A safety net only: the campaign is bounded by --runs, never by the clock.
            var clock = Stopwatch.StartNew();
            while (!pane.Contains("EXIT=", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                Thread.Sleep(500);
                Tmux($"-L {socket} capture-pane -p -J -S - -t fuzz", out pane);
            }
            string[] lines = [.. pane.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
            Assert.Contains("EXIT=1", lines);
            Assert.StartsWith("== fuzzing mini, seed 1, 1 job(s) supervised", lines[0]);
            Assert.Contains(lines, line => NewLine().IsMatch(line));
            Assert.Contains(lines, line => FindingLine().IsMatch(line));
            Assert.Contains(lines, line => line.StartsWith("MINIMISED ", StringComparison.Ordinal));
            // The live line ("last new", no colons) is gone; the final status is there once, as a line of its own.
            Assert.DoesNotContain(lines, line => line.Contains("last new", StringComparison.Ordinal));
            string status = Assert.Single(lines, line => line.Contains("last-new:", StringComparison.Ordinal));
            Match final = FinalStatus().Match(status);
            Assert.True(final.Success, status);
            Assert.Equal("3000", final.Groups[1].Value);
            // Every line that is not a status, a summary or a minimisation is whole: it starts as one of the display's lines do.
            Assert.All(lines, line => Assert.Matches(@"^(== |#\d+ |NEW FINDING |MINIMISED |   |EXIT=)", line));
        }
        finally
        {
            Tmux($"-L {socket} kill-server", out _);
        }
    }

    private static int Tmux(string arguments, out string output)
    {
        var start = new ProcessStartInfo("sh", ["-c", "tmux " + arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using Process process = Process.Start(start)!;
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            output = "";
            return -1;
        }
    }
}
