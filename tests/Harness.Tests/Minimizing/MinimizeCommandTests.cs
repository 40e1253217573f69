using P2M.Contract;
using P2M.Fuzz.Cli;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Minimizing;

/// <summary>
/// <c>p2mfuzz minimize</c>: exit 0 and a pass line for a passing input, 1 with the minimised script
/// (header included) and a summary line for a failing one, 2 for usage errors and unreadable inputs.
/// The honest engine has no known divergence, so failing inputs go through <see cref="FileMinimization"/>
/// (the command's whole work) with a lying engine.
/// </summary>
public sealed class MinimizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-minimize-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private int Cli(params string[] args) => P2MFuzzCommandLine.Run(args, _output, _error);

    private int MinimizeWithLyingEngine(string path, string? outPath = null) =>
        new FileMinimization(new DifferentialRunner(c => new ForgetsRamRoOrderAfterUnmap(c), c => new OracleP2M(c)), _output, _error)
            .Run(path, outPath);

    private const string Failing = """
        # the ram_ro order lie, among other operations
        geometry mini
        pool pages=100
        lookup gfn=0x7
        map gfn=0x140 mfn=0x2c0 nr=64 type=ram_ro
        expect gfn=0x140 mfn=0x2c0 type=ram_ro order=6
        map gfn=0x10 mfn=0x20 nr=8 type=ram_rw
        translate gfn=0x11
        unmap gfn=0x150 nr=1
        lookup gfn=0x151
        """;

    [Fact]
    public void A_passing_script_exits_0_and_says_so()
    {
        string path = Write("pass.p2m", "map gfn=0x0 mfn=0x0 nr=8 type=ram_rw\nunmap gfn=0x3 nr=1\n");

        Assert.Equal(P2MFuzzCommandLine.Pass, Cli("minimize", path));
        Assert.Equal($"pass  {path} (2 ops): engine and oracle agree, nothing to minimise", _output.ToString().TrimEnd());
    }

    [Fact]
    public void A_passing_binary_input_exits_0()
    {
        string path = Path.Combine(_dir, "input.bin");
        File.WriteAllBytes(path, OpCodec.Encode(new FuzzInput(Geometry.Mini, null, [Op.Map(new Gfn(8), new Mfn(16), 8, P2MType.RamRw), Op.Lookup(new Gfn(9))])));

        Assert.Equal(P2MFuzzCommandLine.Pass, Cli("minimize", path));
        Assert.StartsWith($"pass  {path} (2 ops)", _output.ToString());
    }

    [Fact]
    public void Usage_errors_and_unreadable_inputs_exit_2()
    {
        Assert.Equal(P2MFuzzCommandLine.Usage, Cli("minimize"));
        Assert.Equal(P2MFuzzCommandLine.Usage, Cli("minimize", Path.Combine(_dir, "missing.p2m")));
        Assert.Contains("missing.p2m: no such file", _error.ToString());

        string bad = Write("bad.p2m", "map gfn=0x0\n");
        Assert.Equal(P2MFuzzCommandLine.Usage, Cli("minimize", bad));
        Assert.Contains($"{bad}:1:", _error.ToString());

        Assert.Equal(P2MFuzzCommandLine.Usage, Cli("minimize", bad, "--max-attempts", "0"));
    }

    [Fact]
    public void Help_lists_the_minimize_command()
    {
        Assert.Equal(P2MFuzzCommandLine.Pass, Cli("--help"));
        Assert.Contains("minimize", _output.ToString());
    }

    [Fact]
    public void A_failing_script_exits_1_and_prints_the_minimised_script_with_its_header()
    {
        string path = Write("fail.p2m", Failing);

        Assert.Equal(1, MinimizeWithLyingEngine(path));

        Script printed = ScriptParser.Parse(_output.ToString(), "stdout");
        Assert.Equal(
            [Op.Map(new Gfn(0), new Mfn(0), 64, P2MType.RamRo), Op.Unmap(new Gfn(0), 1)],
            printed.Ops);
        Assert.Null(printed.PoolPages);
        Assert.Equal("divergence:unmap:order", CrashHeader.ReadSignature(printed.Header));
        Assert.Contains($"source: {path}", printed.Header);
        Assert.Contains("original: 6 ops, failed at step 5", printed.Header);

        string[] errors = _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"note: {path}: 1 expectation line(s) dropped; the failure does not depend on them", errors[0].TrimEnd('\r'));
        Assert.Matches(@"^minimised 6 -> 2 ops, signature divergence:unmap:order, \d+ attempts$", errors[1].TrimEnd('\r'));
        // Then one row per pass: tries, kept, operations removed; the removals add up to what was cut.
        Assert.Equal(3 + Minimizer.PassNames.Count, errors.Length);
        Assert.Matches(@"^\s+pass\s+tries\s+kept\s+ops removed$", errors[2]);
        int removed = errors.Skip(3).Sum(row => int.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]));
        Assert.Equal(6 - 2, removed);
        Assert.Contains(printed.Header, line => line.StartsWith("passes (tries/kept, ops removed): cut-after-failing-step ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_script_replay_fails_on_its_expect_line_is_minimised_keeping_that_line_and_fails_the_same_way()
    {
        // Engine and oracle agree; the script is wrong about 0x41's MFN. Replay fails it, so minimize must too.
        string path = Write("wrong.p2m", """
            geometry mini
            map gfn=0x10 mfn=0x20 nr=8 type=ram_rw
            lookup gfn=0x11
            map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
            expect gfn=0x12 mfn=0x22 type=ram_rw order=3
            unmap gfn=0x13 nr=1
            expect gfn=0x41 mfn=0x209 type=ram_rw order=6
            map gfn=0x80 mfn=0x300 nr=1 type=ram_ro
            """);
        var runner = new DifferentialRunner(c => new P2M.Engine.EngineP2M(c), c => new OracleP2M(c));
        Verdict replayed = runner.Run(ScriptParser.ParseFile(path));
        Assert.Equal("expectation:expect:mfn", replayed.Signature);

        Assert.Equal(1, new FileMinimization(runner, _output, _error).Run(path));

        Script minimized = ScriptParser.Parse(_output.ToString(), "stdout");
        // Only the map that puts 0x201 at 0x41 is needed (its arguments may shrink while 0x41 still holds 0x201).
        Assert.Equal(OpKind.Map, Assert.Single(minimized.Ops).Kind);
        Assert.IsType<ExpectFrame>(minimized.Lines[^1]);
        Verdict again = runner.Run(minimized);
        Assert.Equal((replayed.Signature, replayed.LeftName, replayed.LeftValue, replayed.RightValue),
            (again.Signature, again.LeftName, again.LeftValue, again.RightValue));
        Assert.Contains("note: " + path + ": 1 expectation line(s) dropped", _error.ToString());
        Assert.Contains("minimised 4 -> 1 ops, signature expectation:expect:mfn", _error.ToString());
    }

    [Fact]
    public void With_out_the_script_goes_to_the_file_and_stdout_stays_empty()
    {
        string path = Write("fail.p2m", Failing);
        string outPath = Path.Combine(_dir, "min.p2m");

        Assert.Equal(1, MinimizeWithLyingEngine(path, outPath));

        Assert.Equal("", _output.ToString());
        Script written = ScriptParser.ParseFile(outPath);
        Assert.Equal(2, written.Ops.Count());
        Assert.Equal("divergence:unmap:order", CrashHeader.ReadSignature(written.Header));
        Assert.Contains("minimised 6 -> 2 ops", _error.ToString());
        Assert.Equal(["fail.p2m", "min.p2m"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_minimised_output_is_the_same_every_run()
    {
        string path = Write("fail.p2m", Failing);
        Assert.Equal(1, MinimizeWithLyingEngine(path));
        string first = _output.ToString();
        _output.GetStringBuilder().Clear();
        Assert.Equal(1, MinimizeWithLyingEngine(path));
        Assert.Equal(first, _output.ToString());
    }
}
