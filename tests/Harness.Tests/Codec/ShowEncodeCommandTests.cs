using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2M.Contract;
using P2M.Fuzz.Cli;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Codec;

/// <summary><c>p2mfuzz show</c> and <c>p2mfuzz encode</c>: binary inputs to scripts and back, in a scratch folder.</summary>
public sealed class ShowEncodeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-codec-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = P2MFuzzCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteText(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Property(MaxTest = 200, Replay = CodecGen.Replay)]
    public Property Show_prints_a_script_that_parses_back_to_the_decoded_input()
    {
        int n = 0;
        return Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            string path = Write($"input-{n++}.bin", bytes);
            var (code, output, error) = Run("show", path);
            Assert.Equal(P2MFuzzCommandLine.Pass, code);
            Assert.Equal("", error);
            Script script = ScriptParser.Parse(output, path);
            Assert.Equal(OpCodec.Decode(bytes), FuzzInput.FromScript(script));
            Assert.Contains($"decoded from {path} ({bytes.Length} bytes)", script.Header[0]);
        });
    }

    [Fact]
    public void Show_says_how_many_trailing_bytes_it_ignored()
    {
        string path = Write("tail.bin", [0x00, 0x0b, 0x00, 0x40]);
        var (code, output, _) = Run("show", path);
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Equal(
            $"# decoded from {path} (4 bytes) by p2mfuzz show: 1 operation\n" +
            "# 2 trailing bytes ignored (no whole operation, or past the operation limit)\n" +
            "geometry mini\n" +
            "teardown\n",
            output);
    }

    [Fact]
    public void Show_prints_every_file_and_exits_2_when_one_is_missing()
    {
        string a = Write("a.bin", [0x00, 0x0b]);
        string b = Write("b.bin", [0x03, 0x04, 0x00, 0x07, 0x40, 0x00, 0x00, 0x00, 0x00]);
        string missing = Path.Combine(_dir, "missing.bin");

        var (code, output, error) = Run("show", a, missing, b);
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains($"{missing}: no such file", error);
        Assert.Contains("teardown", output);
        Assert.Contains("geometry real\npool pages=8\nlookup gfn=0x40\n", output);

        Assert.Equal(P2MFuzzCommandLine.Pass, Run("show", a, b).Code);
    }

    [Fact]
    public void Show_without_a_file_is_a_usage_error() => Assert.Equal(P2MFuzzCommandLine.Usage, Run("show").Code);

    [Fact]
    public void Encode_then_show_gives_back_the_scripts_operations()
    {
        string script = WriteText("seed.p2m",
            "# a seed\n" +
            "geometry mini\n" +
            "pool pages=12\n" +
            "map gfn=0x40 mfn=0x200 nr=64 type=ram_rw\n" +
            "expect gfn=0x40 mfn=0x200 type=ram_rw order=6\n" +
            "unmap gfn=0x45 nr=1\n" +
            "expect-rc ok done=1\n" +
            "identity start=0x10 end=0xf\n" +
            "grant-setup frames=33\n" +
            "foreign gfn=0x800 mfn=0xfe0 access=ro\n" +
            "teardown\n");
        string bin = Path.Combine(_dir, "seed.bin");

        var (code, output, error) = Run("encode", script, bin);
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("2 expectations dropped", error);
        Assert.Contains(bin, output);

        var shown = Run("show", bin);
        Assert.Equal(P2MFuzzCommandLine.Pass, shown.Code);
        Script back = ScriptParser.Parse(shown.Out, bin);
        Script original = ScriptParser.ParseFile(script);
        Assert.Equal(FuzzInput.FromScript(original), FuzzInput.FromScript(back));
        Assert.Equal(OpCodec.Encode(FuzzInput.FromScript(original)), File.ReadAllBytes(bin));
    }

    [Property(MaxTest = 100, Replay = CodecGen.Replay)]
    public Property Encode_round_trips_random_scripts_through_show()
    {
        int n = 0;
        return Prop.ForAll(Arb.From(CodecGen.AnyInputs), input =>
        {
            string script = WriteText($"random-{n}.p2m", ScriptPrinter.Print(input.ToScript("random.p2m")));
            string bin = Path.Combine(_dir, $"random-{n++}.bin");
            var (code, _, error) = Run("encode", script, bin);
            Assert.Equal(P2MFuzzCommandLine.Pass, code);
            Assert.Equal("", error);
            var shown = Run("show", bin);
            Assert.Equal(input, FuzzInput.FromScript(ScriptParser.Parse(shown.Out, bin)));
        });
    }

    [Fact]
    public void Encode_refuses_a_value_the_binary_form_cannot_express()
    {
        // Two past the largest range: EINVAL like one past it, which is the edge the format keeps.
        string script = WriteText("big.p2m", "geometry real\nmap gfn=0x0 mfn=0x0 nr=1048578 type=ram_rw\n");
        string bin = Path.Combine(_dir, "big.bin");
        var (code, _, error) = Run("encode", script, bin);
        Assert.Equal(P2MFuzzCommandLine.Usage, code);
        Assert.Contains("cannot encode: op 0 (map gfn=0x0 mfn=0x0 nr=1048578 type=ram_rw): nr=1048578", error);
        Assert.False(File.Exists(bin));
    }

    [Fact]
    public void Encode_reports_missing_and_malformed_scripts_as_usage_errors()
    {
        string bin = Path.Combine(_dir, "out.bin");
        var missing = Run("encode", Path.Combine(_dir, "nope.p2m"), bin);
        Assert.Equal(P2MFuzzCommandLine.Usage, missing.Code);
        Assert.Contains("no such file", missing.Err);

        string bad = WriteText("bad.p2m", "map gfn=0x0\n");
        var malformed = Run("encode", bad, bin);
        Assert.Equal(P2MFuzzCommandLine.Usage, malformed.Code);
        Assert.Contains($"{bad}:1:", malformed.Err);

        Assert.Equal(P2MFuzzCommandLine.Usage, Run("encode", bad).Code);
        Assert.False(File.Exists(bin));
    }

    [Fact]
    public void Help_lists_show_and_encode()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(P2MFuzzCommandLine.Pass, code);
        Assert.Contains("show", output);
        Assert.Contains("encode", output);
    }
}
