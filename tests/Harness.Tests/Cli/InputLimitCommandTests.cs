using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Cli;

/// <summary>Each input limit through the command line: over it is exit 2 with a message naming the flag; the flag raises it.</summary>
public sealed class InputLimitCommandTests : IDisposable
{
    private const string Script = """
        geometry mini
        map gfn=0 mfn=0 nr=8 type=ram_rw
        lookup gfn=3
        expect gfn=3 mfn=3 type=ram_rw order=3
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-limitcli-").FullName;
    private readonly string _script;

    public InputLimitCommandTests()
    {
        _script = Path.Combine(_dir, "s.p2m");
        File.WriteAllText(_script, Script + "\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string, string> Limits => new()
    {
        // The script: 99 bytes, its longest line (the fourth) 38 characters, 2 operations, 8 frames.
        { InputLimits.MaxFileBytesFlag, "98", "file is larger than 98 bytes (raise with --max-input-bytes)" },
        { InputLimits.MaxLineLengthFlag, "37", ":4: line is longer than 37 characters (raise with --max-line-length)" },
        { InputLimits.MaxOpsFlag, "1", ":3: more than 1 operations (raise with --max-input-ops)" },
        { InputLimits.MaxFramesFlag, "7", ":2: operations name more than 7 frames (raise with --max-input-frames)" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Replay_over_a_limit_exits_2_naming_the_flag(string flag, string value, string message)
    {
        var run = CliRun.Of("replay", _script, flag, value);
        Assert.Equal(2, run.Code);
        Assert.Contains(_script + (message.StartsWith(':') ? "" : ": ") + message, run.Err);
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void Encode_minimize_and_the_gate_honour_the_same_flags(string flag, string value, string message)
    {
        Assert.Contains(message, CliRun.Of("encode", _script, Path.Combine(_dir, "s.bin"), flag, value).Err);
        Assert.Contains(message, CliRun.Of("minimize", _script, flag, value).Err);

        string corpus = Path.Combine(_dir, "corpus");
        Directory.CreateDirectory(corpus);
        File.Copy(_script, Path.Combine(corpus, "s.p2m"), overwrite: true);
        var gate = CliRun.Of("gate", "--runs", "0", "--corpus", corpus, "--crashes", Path.Combine(_dir, "none"), "--out", Path.Combine(_dir, "gate-out"), flag, value);
        // A committed script the gate cannot read is the pull request's own usage error, as in replay.
        Assert.Equal(2, gate.Code);
        Assert.Contains(message, gate.Out);
    }

    [Fact]
    public void At_the_limit_everything_passes()
    {
        var run = CliRun.Of("replay", _script, "--max-input-bytes", "99", "--max-line-length", "38", "--max-input-ops", "2", "--max-input-frames", "8");
        Assert.True(run.Code == 0, run.Err);
    }

    [Fact]
    public void A_binary_input_over_the_file_limit_is_refused_by_show_and_minimize()
    {
        string bin = Path.Combine(_dir, "x.bin");
        File.WriteAllBytes(bin, new byte[64]);

        Assert.Equal($"{bin}: file is larger than 63 bytes (raise with --max-input-bytes)\n", CliRun.Of("show", bin, "--max-input-bytes", "63").Err.ReplaceLineEndings("\n"));
        Assert.Contains("file is larger than 63 bytes", CliRun.Of("minimize", bin, "--max-input-bytes", "63").Err);
        Assert.Equal(0, CliRun.Of("show", bin, "--max-input-bytes", "64").Code);
    }

    [Fact]
    public void Fuzz_and_merge_skip_a_seed_over_a_limit_and_say_which()
    {
        string corpus = Path.Combine(_dir, "seeds");
        Directory.CreateDirectory(corpus);
        File.Copy(_script, Path.Combine(corpus, "s.p2m"));

        var fuzz = CliRun.Of("fuzz", "--runs", "0", "--seed-corpus", corpus, "--crashes", Path.Combine(_dir, "crashes"), "--max-input-ops", "1");
        var merge = CliRun.Of("merge", Path.Combine(_dir, "merged"), corpus, "--max-input-frames", "7");

        Assert.Contains("corpus: skipping " + Path.Combine(corpus, "s.p2m") + ":3: more than 1 operations (raise with --max-input-ops)", fuzz.Err);
        Assert.Contains("more than 7 frames (raise with --max-input-frames)", merge.Err);
        Assert.Contains("merge: 0 candidates", merge.Out);
    }

    [Fact]
    public void A_stats_file_over_the_file_limit_is_refused_by_report()
    {
        string stats = Path.Combine(_dir, "stats.jsonl");
        File.WriteAllText(stats, new string(' ', 200));
        var run = CliRun.Of("report", stats, "--max-input-bytes", "100");
        Assert.Equal(2, run.Code);
        Assert.Equal($"report: {stats}: file is larger than 100 bytes (raise with --max-input-bytes)\n", run.Err.ReplaceLineEndings("\n"));
    }
}
