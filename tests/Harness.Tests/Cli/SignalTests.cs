using System.Diagnostics;
using P2M.Fuzz.Corpus;

namespace P2M.Harness.Tests.Cli;

/// <summary>
/// A real p2mfuzz process, interrupted the way users and CI interrupt it (Ctrl-C, a CI timeout's SIGTERM, a
/// closed terminal's SIGHUP): it stops cleanly, keeps its files, writes its reports and exits 130, never 0.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "p2mfuzz.dll");

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Cli, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        return Process.Start(start)!;
    }

    private static async Task Signal(Process process, string signal) =>
        await Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExitAsync();

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !condition())
            await Task.Delay(100);
        Assert.True(condition(), $"{what} within 60 s");
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task Interrupted_campaign_stops_cleanly_and_keeps_every_corpus_entry(string signal)
    {
        string corpus = Path.Combine(_dir, "corpus"), stats = Path.Combine(_dir, "stats.jsonl");
        using var process = Start("fuzz", "--time", "120", "--geometry", "mini", "--corpus", corpus, "--crashes", Path.Combine(_dir, "crashes"), "--stats", stats);
        Task<string> reading = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // Wait until the campaign has written something, then interrupt it.
        await WaitFor(() => Directory.Exists(corpus) && Directory.GetFiles(corpus).Length > 3, "the campaign wrote corpus entries");
        await Signal(process, signal);
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(stopped.Token);
        string stdout = await reading;
        // Interrupted with nothing found: the documented 130, never 0 (a stopped run did not pass).
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await errors}");
        Assert.Contains("== interrupted", stdout);
        // Every entry is whole (named by the hash of its bytes) and no temporary file is left.
        Assert.Empty(Directory.GetFiles(corpus, ".*"));
        foreach (string file in Directory.GetFiles(corpus))
            Assert.Equal(CorpusStore.NameOf(File.ReadAllBytes(file)), Path.GetFileName(file));
        Assert.NotEmpty(File.ReadAllLines(stats));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task An_interrupted_gate_writes_its_reports_and_never_passes(string signal)
    {
        string corpus = Path.Combine(_dir, "corpus"), output = Path.Combine(_dir, "gate-out");
        Directory.CreateDirectory(corpus);
        File.WriteAllText(Path.Combine(corpus, "map-mini.p2m"), "map gfn=0x40 mfn=0x200 nr=8 type=ram_rw\n");
        string junit = Path.Combine(output, "junit.xml"), summary = Path.Combine(output, "summary.md"), sarif = Path.Combine(output, "gate.sarif");
        using var process = Start("gate", "--runs", "1000000", "--corpus", corpus, "--crashes", Path.Combine(_dir, "crashes"), "--out", output,
            "--junit", junit, "--summary", summary, "--sarif", sarif);
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        Task<string> errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await WaitFor(() => { lock (lines) return lines.Any(l => l.StartsWith("campaign: #", StringComparison.Ordinal)); }, "the gate's campaign ran");
        await Signal(process, signal);
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(stopped.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await errors}");
        lock (lines)
        {
            Assert.StartsWith("gate: INTERRUPTED", lines[^1]);
            Assert.DoesNotContain("gate: PASS", lines);
        }
        Assert.True(File.Exists(junit) && File.Exists(summary) && File.Exists(sarif), "a report is missing");
        Assert.DoesNotContain("PASS", File.ReadAllText(summary).Split('\n')[0]);
        Assert.Contains("<error type=\"interrupted\"", File.ReadAllText(junit));
    }
}
