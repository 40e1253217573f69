using System.Text;
using P2M.Fuzz.Engines;

namespace P2M.Harness.Tests.Engines;

/// <summary>The .NET side names its repro after the artifact libFuzzer writes for the same bytes.</summary>
public class ArtifactNameTests
{
    [Fact]
    public void The_name_is_the_prefix_the_kind_and_the_inputs_sha1_as_libfuzzer_writes_it()
    {
        // SHA-1("abc"), the FIPS 180 example.
        Assert.Equal("out/crash-a9993e364706816aba3e25717850c26c9cd0d89d", ArtifactName.For(Encoding.ASCII.GetBytes("abc"), "crash", "out/", null));
        Assert.Equal("./timeout-da39a3ee5e6b4b0d3255bfef95601890afd80709", ArtifactName.For([], "timeout", null, null));
    }

    [Fact]
    public void An_exact_artifact_path_wins_over_the_prefix() =>
        Assert.Equal("min/x", ArtifactName.For([1, 2], "crash", "out/", "min/x"));
}
