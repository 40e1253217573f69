using System.Diagnostics;
using P2M.Fuzz.Corpus;

namespace P2M.Harness.Tests.Cli;

/// <summary>A real p2mfuzz process, interrupted the way users and CI interrupt it, stops cleanly and keeps its files.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Interrupted_campaign_stops_cleanly_and_keeps_every_corpus_entry(string signal)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "p2mfuzz.dll");
        string corpus = Path.Combine(_dir, "corpus"), stats = Path.Combine(_dir, "stats.jsonl");
        var start = new ProcessStartInfo("dotnet", [cli, "fuzz", "--time", "120", "--geometry", "mini", "--corpus", corpus, "--crashes", Path.Combine(_dir, "crashes"), "--stats", stats])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        Task<string> reading = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        // Wait until the campaign has written something, then interrupt it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !(Directory.Exists(corpus) && Directory.GetFiles(corpus).Length > 3))
            await Task.Delay(100);
        Assert.True(Directory.GetFiles(corpus).Length > 3, "the campaign wrote no corpus entries in 60 s");
        await Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExitAsync();
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
}
