using P2M.Harness.Tests.Cli;

namespace P2M.Harness.Tests.Plugins;

/// <summary>A native plugin that cannot be used is a usage error (exit 2) that names what is wrong, never a finding.</summary>
[Collection(PluginCollection.Name)]
public sealed class NativePluginErrorTests
{
    private static readonly string Script = Path.Combine(NativeBuild.Root, "corpus", "map-4k-basic-mini.p2m");

    [Fact]
    public void A_missing_file_is_named()
    {
        CliRun.Of("replay", Script, "--impl", "native:/nonexistent/libnothing.so").AssertUsageError("no such file: /nonexistent/libnothing.so");
    }

    [Fact]
    public void A_wrong_abi_version_is_named()
    {
        CliRun.Of("replay", Script, "--impl", $"native:{NativeBuild.BrokenLibrary("version")}").AssertUsageError("speaks ABI version 2; this p2mfuzz speaks version 1");
    }

    [Fact]
    public void A_missing_symbol_is_named()
    {
        CliRun.Of("replay", Script, "--impl", $"native:{NativeBuild.BrokenLibrary("missing")}").AssertUsageError("does not export p2m_impl_apply");
    }

    [Fact]
    public void A_library_that_crashes_while_loading_is_a_usage_error_of_the_campaign_too()
    {
        CliRun.Of("replay", Script, "--impl", $"native:{NativeBuild.BrokenLibrary("crash")}").AssertUsageError("died while loading it");
        using var dir = new TempDirectory();
        // A campaign has printed its banner by the time its first worker dies.
        CliRun fuzz = CliRun.Of("fuzz", "--impl", $"native:{NativeBuild.BrokenLibrary("crash")}", "--runs", "10", "--crashes", Path.Combine(dir.Path, "c"),
            "--corpus", Path.Combine(dir.Path, "k"));
        Assert.True(fuzz.Code == 2, fuzz.Out + fuzz.Err);
        Assert.Contains("the worker process died while loading it: killed by signal SIGSEGV", fuzz.Err);
        Assert.DoesNotContain("   at ", fuzz.Err);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_undefined_behaviour_report_while_loading_is_named_by_its_summary()
    {
        CliRun.Of("replay", Script, "--impl", $"native:{NativeBuild.BrokenLibrary("ub")}")
            .AssertUsageError("died while loading it: UndefinedBehaviorSanitizer: undefined-behavior: signed integer overflow: ");
    }

    [Fact]
    public void A_sanitized_library_in_process_says_the_runtime_must_come_first()
    {
        CliRun.Of("replay", Script, "--in-process", "--impl", $"native:{NativeBuild.SampleLibrary}").AssertUsageError("run without --in-process");
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("p2m-native-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
