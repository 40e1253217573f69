using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Harness.Tests.Minimizing;
using static P2M.Harness.Tests.Minimizing.MinimizerFixture;

namespace P2M.Harness.Tests.Findings;

/// <summary>
/// The crash store: one finding per signature, across instances sharing a directory; whole files only
/// (no temporary files left behind); unreadable files reported and skipped; headers that parse back.
/// </summary>
public sealed class CrashStoreTests : IDisposable
{
    private const ulong Seed = 0xc0ffee;

    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-crashes-").FullName;
    private readonly StringWriter _warnings = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A real finding: the ram_ro order lie, hidden in a few operations, and its minimised form.
    private static readonly Func<FuzzInput, Verdict> Run = Against(c => new ForgetsRamRoOrderAfterUnmap(c));

    private static (Verdict Verdict, FuzzInput Original, MinimizeResult Minimized) OrderFinding()
    {
        FuzzInput original = Input("""
            pool pages=300
            lookup gfn=0x10
            map gfn=0x40 mfn=0x80 nr=64 type=ram_ro
            translate gfn=0x41
            unmap gfn=0x45 nr=1
            lookup gfn=0x46
            """);
        Verdict verdict = Run(original);
        return (verdict, original, new Minimizer(Run).Minimize(original, verdict.Signature));
    }

    private static readonly Func<FuzzInput, Verdict> GrantRun = Against(c => new DropsOddGrantGfn(c));

    private static (Verdict Verdict, FuzzInput Original, MinimizeResult Minimized) GrantFinding()
    {
        FuzzInput original = Input("""
            grant-setup frames=4
            map gfn=0x10 mfn=0x20 nr=2 type=ram_rw
            grant-map frame=3 gfn=0x33
            """);
        Verdict verdict = GrantRun(original);
        return (verdict, original, new Minimizer(GrantRun).Minimize(original, verdict.Signature));
    }

    private string[] Files() => Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string OriginalName(Verdict verdict, FuzzInput original) =>
        CrashFileName.Base(verdict.Signature, ScriptPrinter.Print(original.ToScript("x")));

    [Fact]
    public void A_new_finding_is_saved_as_found_then_as_minimised_script()
    {
        var (verdict, original, minimized) = OrderFinding();
        var store = new CrashStore(_dir, _warnings);

        StoredFinding? found = store.SaveFound(verdict, original, Seed);

        // As found, before any minimisation: readable and binary, and the signature is taken.
        string foundName = OriginalName(verdict, original);
        Assert.NotNull(found);
        Assert.Equal([foundName + ".bin", foundName + ".orig.p2m"], Files());
        Assert.Equal(Path.Combine(_dir, foundName + ".orig.p2m"), found.OriginalPath);
        Assert.Equal(original, OpCodec.Decode(File.ReadAllBytes(Path.Combine(_dir, foundName + ".bin"))));
        Script asFound = ScriptParser.ParseFile(found.OriginalPath);
        Assert.Equal(original, FuzzInput.FromScript(asFound));
        Assert.Equal(verdict.Signature, CrashHeader.ReadSignature(asFound.Header));
        Assert.True(store.IsKnown(verdict.Signature));
        Assert.Null(store.SaveFound(verdict, original, Seed));

        // Then the minimised script beside it.
        string? minimizedPath = store.SaveMinimized(found, verdict, minimized);
        string name = CrashFileName.Base(verdict.Signature, ScriptPrinter.Print(minimized.Minimized.ToScript("x")));
        Assert.StartsWith("divergence-unmap-order-", name);
        Assert.Equal(Path.Combine(_dir, name + ".p2m"), minimizedPath);
        Assert.Equal(new[] { foundName + ".bin", foundName + ".orig.p2m", name + ".p2m" }.Order(StringComparer.Ordinal), Files());
        Assert.Equal(minimizedPath, store.LastSavedPath);
        Assert.Equal([verdict.Signature], store.Signatures);
        Assert.True(store.IsKnown(verdict.Signature));
        Assert.Equal("", _warnings.ToString());
    }

    [Fact]
    public void The_same_signature_is_saved_once_per_store_and_across_stores()
    {
        var (verdict, original, minimized) = OrderFinding();
        var first = new CrashStore(_dir, _warnings);
        Assert.True(first.TrySave(verdict, original, minimized, Seed));
        string[] afterFirst = Files();

        // The same finding again, and another input with the same signature: neither is written.
        Assert.False(first.TrySave(verdict, original, minimized, Seed + 1));
        FuzzInput other = original.WithOps([.. original.Ops, Op.Lookup(new Gfn(0x99))]);
        Assert.False(first.TrySave(verdict, other, new MinimizeResult(other, verdict, 1, other.Ops.Length), Seed));

        // A second store on the directory (another run, another process) knows it from the header.
        var second = new CrashStore(_dir, _warnings);
        Assert.True(second.IsKnown(verdict.Signature));
        Assert.False(second.TrySave(verdict, original, minimized, Seed));
        Assert.Equal(afterFirst, Files());

        // A different signature is new to both.
        var (grantVerdict, grantOriginal, grantMinimized) = GrantFinding();
        Assert.NotEqual(verdict.Signature, grantVerdict.Signature);
        Assert.True(second.TrySave(grantVerdict, grantOriginal, grantMinimized, Seed));
        Assert.Equal(new[] { verdict.Signature, grantVerdict.Signature }.Order(StringComparer.Ordinal), new CrashStore(_dir).Signatures);
        Assert.Equal("", _warnings.ToString());
    }

    [Fact]
    public void Saving_leaves_no_temporary_files()
    {
        var store = new CrashStore(_dir, _warnings);
        var (verdict, original, minimized) = OrderFinding();
        var (grantVerdict, grantOriginal, grantMinimized) = GrantFinding();
        Assert.True(store.TrySave(verdict, original, minimized, Seed));
        Assert.True(store.TrySave(grantVerdict, grantOriginal, grantMinimized, Seed));

        Assert.Equal(6, Files().Length);
        Assert.All(Files(), f => Assert.True(f.EndsWith(".p2m", StringComparison.Ordinal) || f.EndsWith(".bin", StringComparison.Ordinal), f));
        Assert.DoesNotContain(Files(), f => f.StartsWith('.') || f.EndsWith(TemporaryName.Extension, StringComparison.Ordinal));
    }

    [Fact]
    public void The_header_round_trips_through_the_parser_and_says_what_failed()
    {
        var (verdict, original, minimized) = OrderFinding();
        var store = new CrashStore(_dir, _warnings);
        Assert.True(store.TrySave(verdict, original, minimized, Seed));

        Script script = ScriptParser.ParseFile(store.LastSavedPath!);
        Assert.Equal([.. CrashHeader.Lines(verdict, minimized, seed: Seed), $"as found: {OriginalName(verdict, original)}.orig.p2m"], script.Header);
        Assert.Equal(verdict.Signature, CrashHeader.ReadSignature(script.Header));
        Assert.Equal(minimized.Minimized, FuzzInput.FromScript(script));

        string header = string.Join("\n", script.Header);
        Verdict v = minimized.Verdict;
        Assert.Contains("signature: divergence:unmap:order", header);
        Assert.Contains($"verdict: divergence at step {v.Step}: unmap", header);
        Assert.Contains($"field: order at gfn {v.Gfn}", header);
        Assert.Contains($"  engine: {v.LeftValue}", header);
        Assert.Contains($"  oracle: {v.RightValue}", header);
        Assert.Contains("seed: 0xc0ffee", header);
        Assert.Contains($"original: {original.Ops.Length} ops, failed at step {verdict.Step}", header);
        Assert.Contains($"minimised: {minimized.MinimizedLength} ops in {minimized.Attempts} attempts", header);

        // Replaying the crash file gives the same verdict.
        Assert.Equal(verdict.Signature, Run(FuzzInput.FromScript(script)).Signature);
    }

    [Fact]
    public void Saved_files_are_the_same_bytes_every_time_no_date()
    {
        var (verdict, original, minimized) = OrderFinding();
        string other = Directory.CreateTempSubdirectory("p2m-crashes-again-").FullName;
        try
        {
            Assert.True(new CrashStore(_dir).TrySave(verdict, original, minimized, Seed));
            var (verdict2, original2, minimized2) = OrderFinding();
            Assert.True(new CrashStore(other).TrySave(verdict2, original2, minimized2, Seed));
            string[] names = Files();
            Assert.Equal(names, Directory.GetFiles(other).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
            foreach (string name in names)
                Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, name)), File.ReadAllBytes(Path.Combine(other, name)));
            foreach (string script in names.Where(n => n.EndsWith(".p2m", StringComparison.Ordinal)))
                Assert.DoesNotContain(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_dir, script)));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Corrupt_and_unsigned_files_are_reported_and_skipped()
    {
        var (verdict, original, minimized) = OrderFinding();
        Assert.True(new CrashStore(_dir).TrySave(verdict, original, minimized, Seed));
        File.WriteAllText(Path.Combine(_dir, "corrupt.p2m"), "# signature: divergence:map:mfn\nmap gfn=zzz\n");
        File.WriteAllBytes(Path.Combine(_dir, "binary-junk.p2m"), [0xff, 0x00, 0x13, 0x37, 0x0a, 0x80]);
        File.WriteAllText(Path.Combine(_dir, "hand-written.p2m"), "# no signature here\nlookup gfn=0x1\n");

        var store = new CrashStore(_dir, _warnings);

        string warnings = _warnings.ToString();
        Assert.Contains("corrupt.p2m", warnings);
        Assert.Contains("binary-junk.p2m", warnings);
        Assert.Contains("hand-written.p2m", warnings);
        Assert.Equal([verdict.Signature], store.Signatures);
        // The corrupt file's would-be signature was not believed; the store still saves.
        var (grantVerdict, grantOriginal, grantMinimized) = GrantFinding();
        Assert.True(store.TrySave(grantVerdict, grantOriginal, grantMinimized, Seed));
    }

    [Fact]
    public void A_finding_stored_as_found_is_known_before_it_is_minimised()
    {
        // As if the process was killed while minimising: the input as found is there, the minimised script is not.
        var (verdict, original, _) = OrderFinding();
        Assert.NotNull(new CrashStore(_dir).SaveFound(verdict, original, Seed));

        var store = new CrashStore(_dir, _warnings);

        Assert.True(store.IsKnown(verdict.Signature));
        Assert.Null(store.SaveFound(verdict, original, Seed));
    }

    [Fact]
    public void An_original_the_codec_cannot_express_is_kept_as_a_script()
    {
        // An MFN far outside the geometry is EINVAL to both sides, and outside every codec fold.
        FuzzInput original = Input("""
            map gfn=0x0 mfn=0x123456789abc nr=1 type=ram_rw
            grant-setup frames=1
            grant-map frame=0 gfn=0x5
            """);
        Verdict verdict = GrantRun(original);
        Assert.Throws<ArgumentException>(() => OpCodec.Encode(original));
        MinimizeResult minimized = new Minimizer(GrantRun).Minimize(original, verdict.Signature, TestContext.Current.CancellationToken);
        var store = new CrashStore(_dir, _warnings);

        Assert.True(store.TrySave(verdict, original, minimized, Seed));

        string orig = Assert.Single(Directory.GetFiles(_dir, "*.orig.p2m"));
        Script kept = ScriptParser.ParseFile(orig);
        Assert.Equal(original, FuzzInput.FromScript(kept));
        Assert.Equal(verdict.Signature, CrashHeader.ReadSignature(kept.Header));
        Assert.Empty(Directory.GetFiles(_dir, "*.bin"));
    }

    [Fact]
    public void A_directory_that_cannot_be_written_is_reported_and_the_signature_stays_new()
    {
        string notADirectory = Path.Combine(_dir, "a-file");
        File.WriteAllText(notADirectory, "");
        var (verdict, original, minimized) = OrderFinding();
        var store = new CrashStore(notADirectory, _warnings);

        Assert.False(store.TrySave(verdict, original, minimized, Seed));
        Assert.Contains("not saved", _warnings.ToString());
        Assert.False(store.IsKnown(verdict.Signature));
    }

    [Fact]
    public void A_missing_directory_is_created_on_the_first_save()
    {
        string nested = Path.Combine(_dir, "deeper", "crashes");
        var (verdict, original, minimized) = OrderFinding();
        var store = new CrashStore(nested, _warnings);
        Assert.Empty(store.Signatures);

        Assert.True(store.TrySave(verdict, original, minimized, Seed));
        Assert.Equal(3, Directory.GetFiles(nested).Length);
    }

    [Fact]
    public void A_passing_verdict_is_not_a_finding()
    {
        FuzzInput input = Input("lookup gfn=0x1");
        Verdict pass = Verdict.Pass(1);
        Assert.Throws<ArgumentException>(() =>
            new CrashStore(_dir).TrySave(pass, input, new MinimizeResult(input, pass, 1, 1), Seed));
    }

    [Theory]
    [InlineData("divergence:unmap:order", "divergence-unmap-order")]
    [InlineData("exception:map:NullReferenceException", "exception-map-NullReferenceException")]
    [InlineData("invariant:grant-map:bbm.no-flush", "invariant-grant-map-bbm.no-flush")]
    [InlineData("invariant:map:a/b\\c d*e?", "invariant-map-a-b-c-d-e-")]
    [InlineData("..", "finding")]
    public void Signatures_become_safe_file_names(string signature, string expected) =>
        Assert.Equal(expected, CrashFileName.SafeSignature(signature));
}
