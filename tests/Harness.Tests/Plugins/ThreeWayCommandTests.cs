using System.Diagnostics;
using System.Text.RegularExpressions;
using P2M.Fuzz.Supervision;
using P2M.Harness.Tests.Cli;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// <c>--impl</c> given more than once on the command line: replay names the implementation that diverged, and
/// merge keeps what the union of the implementations covers and leaves out what any of them fails, an
/// AddressSanitizer build making p2mfuzz start itself again with the runtime preloaded.
/// </summary>
[Collection(PluginCollection.Name)]
public sealed partial class ThreeWayCommandTests : IDisposable
{
    private static readonly string Planted = Path.Combine(AppContext.BaseDirectory, "P2M.Planted.dll");

    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-three-way-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Corpus => Path.Combine(NativeBuild.Root, "corpus");

    [Fact]
    public void A_three_way_replay_names_the_planted_implementation_in_verdict_and_signature()
    {
        string script = Path.Combine(_dir, "foreign-unmap.p2m");
        File.WriteAllText(script, """
            geometry mini
            foreign gfn=0x5 mfn=0x77 access=rw
            unmap gfn=0x5 nr=1
            """);

        CliRun run = CliRun.Of("replay", script, "--impl", "engine", "--impl", $"native:{NativeBuild.PlantedSemanticLibrary}",
            "--impl", $"native:{NativeBuild.SampleLibrary}");

        Assert.True(run.Code == 1, run.Out + run.Err);
        Assert.Contains("FAIL  " + script + ": divergence:unmap:refs@p2m_sample_planted_semantic", run.Out);
        Assert.Contains("impl:   p2m_sample_planted_semantic", run.Out);
        Assert.Equal(0, CliRun.Of("replay", script, "--impl", "engine", "--impl", $"native:{NativeBuild.SampleLibrary}").Code);
    }

    [Fact]
    public void Merge_leaves_out_what_any_implementation_fails_and_names_it()
    {
        CliRun engine = CliRun.Of("merge", Path.Combine(_dir, "engine"), Corpus);
        CliRun both = CliRun.Of("merge", Path.Combine(_dir, "both"), Corpus, "--impl", "engine", "--impl", $"assembly:{Planted}:KeepsForeignReference");

        Assert.True(engine.Code == 0 && both.Code == 0, engine.Err + both.Err);
        Assert.Equal(0, Failing(engine.Out));
        Assert.True(Failing(both.Out) > 0, both.Out);
        Assert.Contains("fails (divergence:", both.Err);
        Assert.Contains("@KeepsForeignReference): left out", both.Err);
    }

    [Fact]
    public void Merge_with_a_sanitized_native_plugin_starts_again_preloaded_and_covers_the_union()
    {
        CliRun engine = CliRun.Of("merge", Path.Combine(_dir, "engine"), Corpus);
        (int code, string output, string error) = P2MFuzz("merge", Path.Combine(_dir, "union"), Corpus, "--impl", "engine", "--impl", $"native:{NativeBuild.SampleLibrary}");

        Assert.True(code == 0, output + error);
        Assert.Contains("is built with AddressSanitizer, whose runtime must be loaded first: starting again with LD_PRELOAD=", error);
        Assert.Equal(0, Failing(output));
        // The sample's own edges count beside the engine's probes.
        Assert.True(Features(output) > Features(engine.Out), $"{output} vs {engine.Out}");
    }

    private static int Failing(string mergeOutput) => int.Parse(MergeCounts().Match(mergeOutput).Groups["failing"].Value);

    private static int Features(string mergeOutput) => int.Parse(MergeCounts().Match(mergeOutput).Groups["features"].Value);

    /// <summary>p2mfuzz as its own process, as a shell starts it: what an in-place start again needs.</summary>
    private static (int Code, string Out, string Err) P2MFuzz(params string[] args)
    {
        ChildCommand command = ChildCommand.Locate();
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in command.Prefix.Concat(args)) start.ArgumentList.Add(argument);
        start.Environment.Remove(Fuzz.Implementations.Native.SanitizerPreload.RestartedVariable);
        start.Environment.Remove("LD_PRELOAD");
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    [GeneratedRegex(@"(?<failing>\d+) failing left out, (?<features>\d+) features covered")]
    private static partial Regex MergeCounts();
}
