using P2M.Harness.Tests.Cli;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// A .NET plugin through the command line, as a developer runs one: the tests' planted-doubles assembly
/// (Targets/Planted, copied beside the tests) is found by path, its type by name, loaded in a worker, fuzzed,
/// and its bug minimised; a type it does not have is a usage error naming the ones it has.
/// </summary>
[Collection(PluginCollection.Name)]
public sealed class AssemblyPluginTests : IDisposable
{
    private static readonly string Library = Path.Combine(AppContext.BaseDirectory, "P2M.Planted.dll");

    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-assembly-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_campaign_loads_a_named_type_and_minimises_its_bug()
    {
        string crashes = Path.Combine(_dir, "crashes");
        CliRun run = CliRun.Of("fuzz", "--impl", $"assembly:{Library}:KeepsForeignReference", "--runs", "3000", "--seed", "1",
            "--geometry", "mini", "--crashes", crashes, "--corpus", Path.Combine(_dir, "corpus"));

        Assert.True(run.Code == 1, run.Out + run.Err);
        // Every operation that drops a foreign entry shows it: one minimised repro per operation.
        string[] repros = Directory.GetFiles(crashes, "divergence-*-refs-*.p2m").Where(f => !f.EndsWith(".orig.p2m", StringComparison.Ordinal)).Order().ToArray();
        Assert.NotEmpty(repros);
        string repro = repros[0];
        // The bug is the plugin's: the repro fails with it and passes with the engine.
        Assert.Equal(1, CliRun.Of("replay", repro, "--impl", $"assembly:{Library}:KeepsForeignReference").Code);
        Assert.Equal(0, CliRun.Of("replay", repro).Code);
    }

    [Fact]
    public void A_type_the_assembly_lacks_is_a_usage_error_naming_what_it_has()
    {
        CliRun.Of("replay", Path.Combine(NativeBuild.Root, "corpus", "map-4k-basic-mini.p2m"), "--impl", $"assembly:{Library}:NoSuchDouble")
            .AssertUsageError("no public IP2M type named NoSuchDouble");
    }
}
