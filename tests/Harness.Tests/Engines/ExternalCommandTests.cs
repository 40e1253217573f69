using P2M.Contract;
using P2M.Fuzz.Cli;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Engines;
using P2M.Fuzz.Findings;

namespace P2M.Harness.Tests.Engines;

/// <summary>
/// The .NET commands around the external engines: triage of raw artifacts, seeds from scripts, the
/// libFuzzer side refusing to run without its driver, and the repro a restarted side writes after a death.
/// </summary>
public sealed class ExternalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-engines-").FullName;

    /// <summary>The planted doubles' assembly, built beside the tests (a project reference).</summary>
    private static readonly string Planted = Path.Combine(AppContext.BaseDirectory, "P2M.Planted.dll");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>map 8 frames then unmap one: the TLB double skips the flush between break and make.</summary>
    private static byte[] TlbFinding(ulong mfn) => OpCodec.Encode(new FuzzInput(Geometry.Mini, null,
    [
        Op.Map(new Gfn(0), new Mfn(mfn), 8, P2MType.RamRw),
        Op.Translate(new Gfn(1)),
        Op.Unmap(new Gfn(1), 1),
        Op.Translate(new Gfn(1)),
    ]));

    [Fact]
    public void Triage_writes_one_minimised_repro_per_signature_beside_the_artifacts()
    {
        File.WriteAllBytes(Path.Combine(_dir, "crash-a"), TlbFinding(0x100));
        File.WriteAllBytes(Path.Combine(_dir, "crash-b"), TlbFinding(0x200));
        var (code, output, _) = Run("triage", _dir, "--impl", $"assembly:{Planted}:SkipsTlbFlush");
        Assert.Equal(P2MFuzzCommandLine.Failure, code);
        string[] repros = Directory.GetFiles(_dir, "*.p2m");
        string repro = Assert.Single(repros);
        Assert.Equal(Path.Combine(_dir, "crash-a.p2m"), repro);
        Assert.Contains("# signature: invariant:", File.ReadAllText(repro));
        Assert.Contains("crash-b: invariant:", output);
        Assert.Contains("2 inputs: 0 passed, 2 failed (1 signatures)", output);
    }

    [Fact]
    public void Triage_of_the_honest_engine_passes()
    {
        File.WriteAllBytes(Path.Combine(_dir, "id:000000"), TlbFinding(0x100));
        var (code, output, _) = Run("triage", Path.Combine(_dir, "id:000000"));
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("1 inputs: 1 passed, 0 failed", output);
        Assert.Empty(Directory.GetFiles(_dir, "*.p2m"));
    }

    [Fact]
    public void Seeds_encode_what_the_binary_form_expresses_and_list_what_it_skips()
    {
        string scripts = Directory.CreateDirectory(Path.Combine(_dir, "scripts")).FullName;
        File.WriteAllText(Path.Combine(scripts, "small-mini.p2m"), "geometry mini\nmap gfn=0x40 mfn=0x200 nr=8 type=ram_rw\nexpect gfn=0x40 mfn=0x200 type=ram_rw order=3\n");
        File.WriteAllText(Path.Combine(scripts, "huge-real.p2m"), "geometry real\nmap gfn=0x40000 mfn=0x40000 nr=5000000 type=ram_rw\n");
        string seeds = Path.Combine(_dir, "seeds");
        var (code, output, error) = Run("seeds", scripts, "--out", seeds);
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("1 seeds written", output);
        Assert.Contains("skipped", error);
        Assert.Contains("huge-real.p2m", error);
        FuzzInput decoded = OpCodec.Decode(File.ReadAllBytes(Path.Combine(seeds, "small-mini")));
        Assert.Equal(Op.Map(new Gfn(0x40), new Mfn(0x200), 8, P2MType.RamRw), Assert.Single(decoded.Ops));
    }

    [Fact]
    public void The_libfuzzer_side_refuses_to_run_without_its_driver()
    {
        Assert.Null(Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID"));
        var (code, _, error) = Run("libfuzzer");
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("./run-fuzz.sh libfuzzer", error);
    }

    [Fact]
    public void A_restarted_side_writes_the_repro_and_for_an_out_of_memory_the_artifact_too()
    {
        byte[] input = TlbFinding(0x100);
        string prefix = Path.Combine(_dir, "art") + "/";
        string oom = ArtifactName.For(input, "oom", prefix, null);
        Environment.SetEnvironmentVariable(ArtifactName.PrefixVariable, prefix);
        try
        {
            string repro = new DeathReport("oom", "used 700 MB, over the 600 MB limit", input).WriteRepro();
            Assert.Equal(oom + ".p2m", repro);
            Assert.Equal(input, File.ReadAllBytes(oom));
            string text = File.ReadAllText(repro);
            Assert.Contains("# signature: oom:process", text);
            Assert.Contains("used 700 MB", text);
            Assert.Equal(OpCodec.Decode(input).Ops, FuzzInput.FromScript(Fuzz.Scripts.ScriptParser.Parse(text, repro)).Ops);

            string crash = new DeathReport("crash", "was killed by signal 6 (Aborted)", input).WriteRepro();
            Assert.False(File.Exists(crash[..^".p2m".Length]), "libFuzzer writes a crash artifact itself");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ArtifactName.PrefixVariable, null);
        }
    }
}
