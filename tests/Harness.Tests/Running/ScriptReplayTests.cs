using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;
using P2M.Planted;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// <c>p2mfuzz replay</c>'s work, in-process: what it finds, what it prints, and its exit codes
/// 0 (all pass), 1 (a failure), 2 (a missing path or a parse error).
/// </summary>
public sealed class ScriptReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-replay-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        string path = System.IO.Path.Combine(_dir, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ReplayResult Replay(params string[] paths) =>
        new ScriptReplay(new DifferentialRunner(Model, Model), _output, _error).Run(paths);

    private string[] OutputLines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.TrimEnd('\r')).ToArray();

    private const string Passing = "map gfn=0x0 mfn=0x0 nr=8 type=ram_rw\nexpect gfn=0x7 mfn=0x7 type=ram_rw order=3\n";
    private const string Failing = "map gfn=0x0 mfn=0x0 nr=8 type=ram_rw\nexpect gfn=0x7 mfn=0x8 type=ram_rw order=3\n";

    [Fact]
    public void All_passing_scripts_exit_0_in_path_order_recursively()
    {
        string b = Write("b.p2m", Passing);
        string a = Write("sub/a.p2m", Passing);
        string c = Write("a.p2m", Passing);
        Write(".gitkeep", "");
        Write("notes.txt", "not a script");

        ReplayResult result = Replay(_dir);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new ReplayResult(3, 3, 0, 0, 0), result);
        Assert.Equal(
        [
            $"pass  {c} (1 steps)",
            $"pass  {b} (1 steps)",
            $"pass  {a} (1 steps)",
            "3 scripts: 3 passed, 0 failed",
        ], OutputLines);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void A_failing_script_exits_1_and_prints_its_report()
    {
        string good = Write("good.p2m", Passing);
        string bad = Write("bad.p2m", Failing);

        ReplayResult result = Replay(good, bad);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new ReplayResult(2, 1, 1, 0, 0), result);
        string[] lines = OutputLines;
        Assert.Equal($"pass  {good} (1 steps)", lines[0]);
        Assert.Equal($"FAIL  {bad}: expectation:expect:mfn", lines[1]);
        Assert.Contains($"      file:   {bad}", lines);
        Assert.Contains("      step:   1 (line 2)", lines);
        Assert.Equal("2 scripts: 1 passed, 1 failed", lines[^1]);
    }

    [Fact]
    public void A_parse_error_is_reported_as_path_line_message_and_exits_2_while_the_rest_still_run()
    {
        string good = Write("a-good.p2m", Passing);
        string broken = Write("b-broken.p2m", "map gfn=0x0 mfn=0x0 nr=8 type=ram_rw\nmapp gfn=0x1\n");
        string bad = Write("c-bad.p2m", Failing);

        ReplayResult result = Replay(_dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(new ReplayResult(3, 1, 1, 1, 0), result);
        Assert.StartsWith($"{broken}:2: ", _error.ToString());
        string[] lines = OutputLines;
        Assert.Equal($"pass  {good} (1 steps)", lines[0]);
        Assert.Equal($"FAIL  {broken}: not parsed", lines[1]);
        Assert.Equal($"FAIL  {bad}: expectation:expect:mfn", lines[2]);
        Assert.Equal("3 scripts: 1 passed, 2 failed (1 could not be parsed)", lines[^1]);
    }

    [Fact]
    public void A_missing_path_exits_2()
    {
        string missing = System.IO.Path.Combine(_dir, "nope.p2m");

        ReplayResult result = Replay(missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(1, result.MissingPaths);
        Assert.Equal($"{missing}: no such file or directory", _error.ToString().TrimEnd());
    }

    [Fact]
    public void An_empty_replay_set_is_a_usage_error()
    {
        Write(".gitkeep", "");
        Write("notes.txt", "not a script");

        ReplayResult result = Replay(_dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["0 scripts: no .p2m or .bin input found, nothing replayed"], OutputLines);
    }

    [Fact]
    public void Binary_inputs_in_a_directory_run_beside_the_scripts_and_fail_as_the_script_does()
    {
        var input = new FuzzInput(Geometry.Mini, null, [Op.Foreign(new Gfn(0x21), new Mfn(0x7), true), Op.Map(new Gfn(0x21), new Mfn(0x7), 1, P2MType.RamRw)]);
        string bin = System.IO.Path.Combine(_dir, "finding.bin");
        File.WriteAllBytes(bin, OpCodec.Encode(input));
        string script = Write("finding.p2m", ScriptPrinter.Print(input.ToScript("finding.p2m")));
        var output = new StringWriter();

        ReplayResult honest = Replay(_dir);
        ReplayResult planted = new ScriptReplay(new DifferentialRunner(c => new KeepsForeignReferenceInPlace(c), c => new OracleP2M(c)), output, _error).Run([_dir]);

        Assert.Equal(new ReplayResult(2, 2, 0, 0, 0), honest);
        Assert.Equal(new ReplayResult(2, 0, 2, 0, 0), planted);
        Assert.Contains($"FAIL  {bin}: divergence:map:refs", output.ToString());
        Assert.Contains($"FAIL  {script}: divergence:map:refs", output.ToString());
    }

    [Fact]
    public void A_named_file_runs_whatever_its_extension()
    {
        string script = Write("regression.txt", Passing);

        ReplayResult result = Replay(script);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Passed);
    }
}
