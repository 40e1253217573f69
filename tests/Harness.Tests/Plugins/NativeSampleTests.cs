using P2M.Harness.Tests.Cli;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// The sample native implementation (Targets/Native/sample) through the command line, as a developer runs it:
/// it passes every committed script, and each of its planted bugs is found and minimised by a campaign.
/// </summary>
[Collection(PluginCollection.Name)]
public sealed class NativeSampleTests : IDisposable
{
    /// <summary>Seconds a step may take: generous, so a loaded machine never turns the million-frame scripts into timeouts.</summary>
    private const string Timeout = "60";

    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-native-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_sample_passes_the_committed_corpus_and_crashes_three_ways_with_the_engine()
    {
        CliRun run = CliRun.Of("replay", Path.Combine(NativeBuild.Root, "corpus"), Path.Combine(NativeBuild.Root, "crashes"),
            "--impl", "engine", "--impl", $"native:{NativeBuild.SampleLibrary}", "--timeout", Timeout);

        Assert.True(run.Code == 0, run.Out + run.Err);
        int scripts = Directory.GetFiles(Path.Combine(NativeBuild.Root, "corpus"), "*.p2m").Length +
                      Directory.GetFiles(Path.Combine(NativeBuild.Root, "crashes"), "*.p2m").Length;
        Assert.Contains($"{scripts} scripts: {scripts} passed, 0 failed", run.Out);
    }

    [Fact]
    public void A_campaign_finds_and_minimises_the_planted_semantic_bug()
    {
        string crashes = Path.Combine(_dir, "crashes");
        CliRun run = CliRun.Of("fuzz", "--impl", $"native:{NativeBuild.PlantedSemanticLibrary}", "--runs", "3000", "--seed", "1",
            "--geometry", "mini", "--timeout", Timeout, "--crashes", crashes, "--corpus", Path.Combine(_dir, "corpus"));

        Assert.True(run.Code == 1, run.Out + run.Err);
        string repro = Assert.Single(Directory.GetFiles(crashes, "divergence-unmap-refs-*.p2m"), IsMinimised);
        string[] ops = OpLines(repro);
        // The least script showing it: a foreign entry, then an unmap over it.
        Assert.Equal(2, ops.Length);
        Assert.StartsWith("foreign ", ops[0]);
        Assert.StartsWith("unmap ", ops[1]);

        CliRun replay = CliRun.Of("replay", repro, "--impl", $"native:{NativeBuild.PlantedSemanticLibrary}");
        Assert.Equal(1, replay.Code);
        Assert.Equal(0, CliRun.Of("replay", repro, "--impl", $"native:{NativeBuild.SampleLibrary}").Code);
    }

    [Fact]
    public void The_planted_out_of_bounds_write_is_a_minimised_crash_finding_with_the_sanitizer_summary()
    {
        string crashes = Path.Combine(_dir, "crashes");
        CliRun run = FuzzFromSplitSeed(crashes, "--impl", $"native:{NativeBuild.PlantedOutOfBoundsLibrary}");

        Assert.True(run.Code == 1, run.Out + run.Err);
        string repro = Assert.Single(Directory.GetFiles(crashes, "crash-unmap-addresssanitizer-heap-buffer-overflow-*.p2m"), IsMinimised);
        // The sanitizer's summary, readable and without an address: the access and the sample's own frame.
        string summary = Assert.Single(File.ReadAllLines(repro), l => l.Contains("AddressSanitizer:", StringComparison.Ordinal) && l.StartsWith("#  ", StringComparison.Ordinal));
        Assert.Matches(@"AddressSanitizer: heap-buffer-overflow: WRITE of size \d+ in \w+ \(p2m_sample\.c:\d+\)$", summary);
        Assert.DoesNotContain("0x", summary);
        string[] ops = OpLines(repro);
        Assert.Equal(2, ops.Length);
        Assert.Equal("map gfn=0x0 mfn=0x0 nr=8 type=ram_ro", ops[0]);
        Assert.StartsWith("unmap gfn=0x", ops[1]);
    }

    [Fact]
    public void A_three_way_campaign_names_the_planted_implementation_in_the_crash_signature_and_file()
    {
        string crashes = Path.Combine(_dir, "crashes");
        CliRun run = FuzzFromSplitSeed(crashes, "--impl", "engine", "--impl", $"native:{NativeBuild.PlantedOutOfBoundsLibrary}",
            "--impl", $"native:{NativeBuild.SampleLibrary}");

        Assert.True(run.Code == 1, run.Out + run.Err);
        Assert.Contains("NEW   crash:unmap:addresssanitizer-heap-buffer-overflow@p2m_sample_planted_oob: minimised", run.Out);
        string repro = Assert.Single(Directory.GetFiles(crashes, "crash-unmap-addresssanitizer-heap-buffer-overflow-p2m_sample_planted_oob-*.p2m"), IsMinimised);
        Assert.Contains("# signature: crash:unmap:addresssanitizer-heap-buffer-overflow@p2m_sample_planted_oob", File.ReadAllText(repro));
        Assert.Equal(2, OpLines(repro).Length);
    }

    /// <summary>A short campaign seeded with a metadata-typed superpage and a split of it, behind steps the minimiser removes.</summary>
    private CliRun FuzzFromSplitSeed(string crashes, params string[] impl)
    {
        string seeds = Directory.CreateDirectory(Path.Combine(_dir, "seeds")).FullName;
        File.WriteAllText(Path.Combine(seeds, "split.p2m"), """
            geometry mini
            map gfn=0x100 mfn=0x100 nr=1 type=ram_rw
            lookup gfn=0x100
            map gfn=0x0 mfn=0x0 nr=8 type=ram_ro
            lookup gfn=0x3
            unmap gfn=0x1 nr=1
            """);
        return CliRun.Of(["fuzz", .. impl, "--runs", "20", "--seed", "1", "--geometry", "mini", "--timeout", Timeout,
            "--seed-corpus", seeds, "--crashes", crashes, "--corpus", Path.Combine(_dir, "corpus")]);
    }

    private static bool IsMinimised(string path) => !path.EndsWith(".orig.p2m", StringComparison.Ordinal);

    private static string[] OpLines(string script) =>
        File.ReadAllLines(script).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("geometry", StringComparison.Ordinal) &&
                                            !l.StartsWith("pool", StringComparison.Ordinal) && !l.StartsWith("expect", StringComparison.Ordinal)).ToArray();
}
