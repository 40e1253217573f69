using P2M.Contract;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Supervision;

/// <summary>
/// Campaigns against engines that hang, crash or eat memory: each failure is a stored, minimised finding of its
/// kind, the worker is started again, the campaign goes on and ends within its budget.
/// </summary>
public sealed class SupervisedCampaignTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-supervised-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Crashes => Path.Combine(_dir, "crashes");

    private CampaignOptions Options(string type, long runs) => new()
    {
        Runs = runs,
        Seed = 4,
        Geometries = [Geometry.Mini],
        MaxOps = 16,
        Implementation = PlantedLibrary.Spec(type),
        Supervision = PlantedLibrary.LimitsFor(type),
        CorpusDirectory = Path.Combine(_dir, "corpus"),
        CrashesDirectory = Crashes,
        StatusEverySeconds = 0.2,
    };

    [Theory]
    [InlineData("HangsOnForeignRelease", VerdictKind.Timeout, 150)]
    [InlineData("OverflowsStackOnSplit", VerdictKind.Crash, 150)]
    [InlineData("ThrowsOnWorkerThread", VerdictKind.Crash, 150)]
    [InlineData("HoardsMemoryOnGrantReset", VerdictKind.Oom, 150)]
    [InlineData("SplitLinksTableIntoItself", VerdictKind.Invariant, 2000)] // a cycle in the tables, under a 1G split: bounded walks report it, nothing dies
    public void A_failure_of_the_process_is_a_stored_minimised_finding_and_the_campaign_goes_on(string type, VerdictKind kind, long runs)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CampaignResult result = new Campaign(Options(type, runs)).Run(CancellationToken.None);

        // Every execution of the budget was done, across the restarts the failures caused.
        Assert.Equal(runs, result.Final.Execs);
        if (kind != VerdictKind.Invariant) Assert.True(result.Final.Restarts >= 1, "no worker was restarted");
        Finding[] findings = result.Findings.Where(f => f.Verdict.Kind == kind).ToArray();
        Assert.NotEmpty(findings);
        string word = Verdict.KindWord(kind);
        using var executor = new Fuzz.Supervision.SupervisedExecutor(PlantedLibrary.Spec(type), PlantedLibrary.LimitsFor(type));
        foreach (Finding finding in findings)
        {
            // Stored as found the moment it was seen, then minimised beside it, both named by their kind.
            Assert.NotNull(finding.FoundAt);
            Assert.StartsWith(word + "-", Path.GetFileName(finding.FoundAt));
            Assert.True(File.Exists(finding.FoundAt));
            Assert.True(finding.IsMinimized);
            Assert.NotNull(finding.StoredAt);
            Assert.StartsWith(word + "-", Path.GetFileName(finding.StoredAt));
            Assert.EndsWith(".p2m", finding.StoredAt);
            Assert.True(finding.Minimized.Ops.Length <= finding.Original.Ops.Length);
            Assert.Equal(finding.Signature, finding.MinimizedVerdict.Signature);
            // The minimised script still fails the same way when replayed alone.
            Assert.Equal(finding.Signature, executor.Run(ScriptParser.ParseFile(finding.StoredAt)).Signature);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_time_budget_ends_on_time_with_a_hang_in_every_other_input()
    {
        // Seeded with an input that hangs, so a hang is met however slowly the machine starts the worker.
        string seeds = Path.Combine(_dir, "seeds");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "hang.p2m"), "geometry mini\n" + PlantedLibrary.HangScript);
        var options = Options("HangsOnForeignRelease", runs: 0) with { Runs = null, TimeSeconds = 10, SeedDirectories = [seeds] };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CampaignResult result = new Campaign(options).Run(CancellationToken.None);

        // The budget, the grace for minimising (5 s at this budget) and the stop: nothing waits on the hang.
        // The bound is loose (a loaded machine starts processes slowly); a campaign that waited on every hang
        // would take the whole minimisation of each timeout, a timeout per candidate.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains(result.Findings, f => f.Verdict.Kind == VerdictKind.Timeout);
        Assert.False(result.Interrupted);
    }

    [Fact]
    public void Two_workers_with_a_run_budget_give_the_same_corpus_every_time()
    {
        CampaignResult Once(string name) => new Campaign(new CampaignOptions
        {
            Runs = 1600, Seed = 5, Jobs = 2, Geometries = [Geometry.Mini], MaxOps = 16,
            CorpusDirectory = Path.Combine(_dir, name),
        }).Run(CancellationToken.None);

        CampaignResult a = Once("a"), b = Once("b");

        Assert.Equal((a.Final.Execs, a.Final.Steps, a.Final.Features, a.Final.CorpusSize), (b.Final.Execs, b.Final.Steps, b.Final.Features, b.Final.CorpusSize));
        Assert.Equal(Directory.GetFiles(Path.Combine(_dir, "a")).Select(Path.GetFileName).Order(),
                     Directory.GetFiles(Path.Combine(_dir, "b")).Select(Path.GetFileName).Order());
        Assert.Equal(1600, a.Final.Execs);
    }

    [Fact]
    public void What_one_worker_finds_reaches_the_other()
    {
        // Two workers with the same corpus share everything at each meeting: after the campaign, each worker's
        // features include the other's, so the union is no bigger than what either worker restored would reach.
        var result = new Campaign(new CampaignOptions
        {
            Runs = 2000, Seed = 8, Jobs = 2, Geometries = [Geometry.Mini], MaxOps = 16,
            CorpusDirectory = Path.Combine(_dir, "shared"),
        }).Run(CancellationToken.None);
        string[] entries = Directory.GetFiles(Path.Combine(_dir, "shared"));

        // A fresh single worker seeded with the shared corpus reaches every feature the two did.
        var again = new Campaign(new CampaignOptions
        {
            Runs = entries.Length, Seed = 1, Geometries = [Geometry.Mini], MaxOps = 16, SeedDirectories = [Path.Combine(_dir, "shared")],
        }).Run(CancellationToken.None);
        Assert.True(again.Final.Features >= result.Final.Features, $"{again.Final.Features} < {result.Final.Features}");
        Assert.Equal(entries.Length, CorpusStore.Load([Path.Combine(_dir, "shared")], TextWriter.Null).Count);
    }

    [Fact]
    public void In_process_a_hang_is_reported_and_the_campaign_still_ends_on_time()
    {
        var options = new CampaignOptions
        {
            TimeSeconds = 4, Seed = 4, Geometries = [Geometry.Mini], MaxOps = 16, InProcess = true,
            Implementation = ImplementationSpec.InProcess("hang", c => new Planted.HangsOnForeignRelease(c)),
            Supervision = PlantedLibrary.LimitsFor("HangsOnForeignRelease"),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        CampaignResult result = new Campaign(options).Run(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains(result.Findings, f => f.Verdict.Kind == VerdictKind.Timeout);
    }
}
