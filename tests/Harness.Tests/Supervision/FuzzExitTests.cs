using P2M.Fuzz.Cli;

namespace P2M.Harness.Tests.Supervision;

/// <summary><c>p2mfuzz fuzz</c>'s exit code says whether a failing signature was hit, new or already stored.</summary>
public sealed class FuzzExitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-fuzz-exit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Fuzz()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(
            ["fuzz", "--runs", "400", "--seed", "2", "--geometry", "mini", "--max-ops", "16", "--timeout", "2",
             "--impl", $"assembly:{PlantedLibrary.Path}:OverflowsStackOnSplit", "--crashes", Path.Combine(_dir, "crashes")],
            output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_bug_still_there_fails_the_run_whether_its_signature_is_new_or_known()
    {
        var first = Fuzz();
        Assert.True(first.Code == P2MFuzzCommandLine.Failure, $"exit {first.Code}: {first.Out}{first.Err}");
        Assert.Contains("   NEW   crash:", first.Out);

        // Same crash store: nothing new to store, but the crash is still there, so the run still fails.
        var again = Fuzz();
        Assert.True(again.Code == P2MFuzzCommandLine.Failure, $"exit {again.Code}: {again.Out}{again.Err}");
        Assert.Contains("0 new finding(s)", again.Out);
        Assert.Contains("   KNOWN crash:", again.Out);
    }
}
