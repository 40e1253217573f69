using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Inputs;

/// <summary>Binary corpus entries: one named by a hash must hold what the hash names, and none may exceed the entry size.</summary>
public sealed class CorpusIntegrityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-integrity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FuzzInput Input(ulong gfn) => new(Geometry.Mini, null, [Op.Lookup(new Gfn(gfn))]);

    [Fact]
    public void An_entry_whose_content_does_not_match_its_name_is_reported_and_skipped()
    {
        var store = new CorpusStore(_dir);
        string kept = store.Save(Input(1), out _);
        string damaged = store.Save(Input(2), out _);
        File.WriteAllBytes(damaged, OpCodec.Encode(Input(3)));
        var warnings = new StringWriter();

        var entries = CorpusStore.Load([_dir], warnings);

        Assert.Equal([kept], entries.Select(e => e.Path));
        Assert.Contains($"corpus: skipping {damaged}: its content does not match its name", warnings.ToString());
    }

    [Fact]
    public void A_binary_seed_named_by_hand_is_read_as_it_is()
    {
        string seed = Path.Combine(_dir, "hand-made.bin");
        File.WriteAllBytes(seed, OpCodec.Encode(Input(5)));

        var entries = CorpusStore.Load([_dir], TextWriter.Null);

        Assert.Equal(Input(5).Ops, Assert.Single(entries).Input.Ops);
    }

    [Fact]
    public void A_binary_entry_over_the_entry_size_or_the_input_limit_is_skipped()
    {
        File.WriteAllBytes(Path.Combine(_dir, "big.bin"), new byte[CorpusStore.MaxFileBytes + 1]);
        File.WriteAllBytes(Path.Combine(_dir, "small.bin"), new byte[100]);
        var defaults = new StringWriter();
        var lowered = new StringWriter();

        // The entry size holds whatever --max-input-bytes says; a lower limit lowers it.
        var entries = CorpusStore.Load([_dir], defaults, InputLimits.Default with { MaxFileBytes = 1L << 30 });
        Assert.Equal(Path.Combine(_dir, "small.bin"), Assert.Single(entries).Path);
        Assert.Equal($"corpus: skipping {Path.Combine(_dir, "big.bin")}: file is larger than {CorpusStore.MaxFileBytes} bytes",
            defaults.ToString().Trim());

        Assert.Empty(CorpusStore.Load([_dir], lowered, InputLimits.Default with { MaxFileBytes = 50 }));
        Assert.Contains("small.bin: file is larger than 50 bytes (raise with --max-input-bytes)", lowered.ToString());
    }
}
