using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Regression;

/// <summary>
/// The binary form holds every committed script, <c>real</c> 1G chunks and whole ranges included: each
/// encodes and decodes back to its operations, and <c>p2mfuzz merge</c> takes the whole corpus.
/// </summary>
public sealed class CommittedScriptsEncodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-corpus-encode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<(string File, FuzzInput Input)> Committed() =>
        CommittedScripts.In("corpus").Concat(CommittedScripts.In("crashes")).Select(file =>
            (file, FuzzInput.FromScript(ScriptParser.ParseFile(Path.Combine(CommittedScripts.RepositoryRoot, file)))));

    [Fact]
    public void Every_committed_script_encodes_and_decodes_to_its_operations()
    {
        int scripts = 0, real = 0;
        foreach ((string file, FuzzInput input) in Committed())
        {
            byte[] bytes = OpCodec.Encode(input);
            FuzzInput back = OpCodec.Decode(bytes, out int used);
            Assert.True(input == back, $"{file} decodes to something else");
            Assert.Equal(bytes.Length, used);
            scripts++;
            if (input.Geometry == Contract.Geometry.Real) real++;
        }
        Assert.True(real >= 10, $"only {real} real scripts of {scripts}");
    }

    [Fact]
    public void Merging_the_corpus_keeps_entries_that_read_back_as_committed_scripts()
    {
        string output = Path.Combine(_dir, "merged");
        var log = new StringWriter();
        MergeResult result = CorpusMerge.Run(output, [Path.Combine(CommittedScripts.RepositoryRoot, "corpus")], log);

        Assert.Equal(CommittedScripts.In("corpus").Count(), result.Candidates);
        Assert.Equal(0, result.Failing);
        Assert.True(result.Added > 0, log.ToString());
        Assert.Equal("", log.ToString());
        var committed = Committed().Select(c => c.Input).ToList();
        IReadOnlyList<CorpusEntry> merged = CorpusStore.Load([output], log);
        Assert.Equal(result.Added, merged.Count);
        Assert.All(merged, entry => Assert.Contains(entry.Input, committed));
        Assert.Contains(merged, entry => entry.Input.Geometry == Contract.Geometry.Real);
    }
}
