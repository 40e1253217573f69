namespace P2M.Harness.Tests.Cli;

/// <summary>
/// Every bad, out-of-range or conflicting option value, and every unusable path, is a usage error:
/// exit 2, one line, no stack trace, found before anything runs.
/// </summary>
public sealed class OptionValueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-options-").FullName;
    private readonly string _file;
    private readonly string _script;

    public OptionValueTests()
    {
        _file = Path.Combine(_dir, "afile");
        File.WriteAllText(_file, "");
        _script = Path.Combine(_dir, "s.p2m");
        File.WriteAllText(_script, "geometry mini\nlookup gfn=1\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Where a command would write if a test got past the check by mistake: never the working tree.
    private string Crashes => Path.Combine(_dir, "crashes");

    public static TheoryData<string, string> BadNumbers => new()
    {
        { "--time", "abc" }, { "--time", "0" }, { "--time", "-3" }, { "--time", "nan" }, { "--time", "Infinity" },
        { "--time", "1e400" }, { "--time", "31536001" },
        { "--runs", "99999999999999999999" }, { "--runs", "-1" }, { "--runs", "1.5" }, { "--runs", "x" },
        { "--seed", "-1" }, { "--seed", "0x10000000000000000" }, { "--seed", "0x" }, { "--seed", "seven" },
        { "--jobs", "x" }, { "--jobs", "0" }, { "--jobs", "10000" }, { "--jobs", "65" },
        { "--max-ops", "100000" }, { "--max-ops", "129" }, { "--max-ops", "0" },
        { "--max-input-bytes", "0" }, { "--max-input-bytes", "1073741825" }, { "--max-input-bytes", "1k" },
        { "--max-line-length", "0" }, { "--max-line-length", "2147483648" },
        { "--max-input-ops", "-5" }, { "--max-input-frames", "0" }, { "--max-input-frames", "18446744073709551616" },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public void Fuzz_refuses_a_bad_number(string option, string value) =>
        CliRun.Of("fuzz", option, value, "--crashes", Crashes).AssertUsageError(option + ":");

    public static TheoryData<string, string, string> BadNumbersOfOtherCommands => new()
    {
        { "gate", "--time", "abc" }, { "gate", "--runs", "99999999999999999999" }, { "gate", "--jobs", "x" }, { "gate", "--seed", "-2" },
        { "gate", "--max-input-ops", "0" },
        { "minimize", "--max-attempts", "x" }, { "minimize", "--max-attempts", "0" }, { "minimize", "--max-input-bytes", "-1" },
        { "replay", "--max-line-length", "x" }, { "replay", "--max-input-frames", "-1" },
        { "merge", "--max-input-bytes", "abc" },
        { "encode", "--max-input-ops", "0" },
        { "show", "--max-input-bytes", "0" },
        { "report", "--max-input-bytes", "99999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(BadNumbersOfOtherCommands))]
    public void Every_command_refuses_a_bad_number(string command, string option, string value)
    {
        string[] positional = command switch
        {
            "gate" => ["--corpus", _dir, "--out", Path.Combine(_dir, "gate-out")],
            "merge" => [Path.Combine(_dir, "merged"), _dir],
            "encode" => [_script, Path.Combine(_dir, "s.bin")],
            "report" => [_file],
            _ => [_script],
        };
        CliRun.Of([command, .. positional, option, value]).AssertUsageError(option + ":");
    }

    [Fact]
    public void An_out_of_range_value_is_refused_not_clamped()
    {
        var run = CliRun.Of("fuzz", "--max-ops", "100000", "--runs", "1", "--crashes", Crashes);
        run.AssertUsageError("--max-ops: expected a whole number from 1 to 128, found '100000'");
        Assert.False(Directory.Exists(Crashes));
    }

    [Fact]
    public void A_huge_value_is_quoted_as_an_excerpt()
    {
        var run = CliRun.Of("fuzz", "--runs", new string('9', 1 << 20), "--crashes", Crashes);
        Assert.True(run.Err.Length < 500, $"{run.Err.Length} characters of error");
    }

    [Fact]
    public void Whole_numbers_may_be_hexadecimal_as_crash_headers_print_seeds()
    {
        var run = CliRun.Of("fuzz", "--seed", "0x2a", "--runs", "0", "--crashes", Crashes);
        Assert.Equal(0, run.Code);
        Assert.Contains("seed 42", run.Err);
    }

    [Fact]
    public void An_unknown_word_is_one_line_too()
    {
        CliRun.Of("fuzz", "--geometry", "huge", "--crashes", Crashes).AssertUsageError("huge");
        CliRun.Of("explode", new string('x', 1 << 16)).AssertUsageError("explode");
    }

    [Fact]
    public void Conflicting_values_are_refused()
    {
        string same = Path.Combine(_dir, "same");
        CliRun.Of("fuzz", "--runs", "1", "--corpus", same, "--crashes", same + "/").AssertUsageError("--corpus and --crashes are the same directory");
        CliRun.Of("encode", _script, _script).AssertUsageError("OUT is the script itself");
    }

    public static TheoryData<string[], string> UnusablePaths => new()
    {
        // {0} is a regular file, {1} a fresh directory name under the test's folder.
        { ["fuzz", "--runs", "1", "--corpus", "{0}"], "fuzz --corpus {0}: not a directory" },
        { ["fuzz", "--runs", "1", "--crashes", "{0}"], "fuzz --crashes {0}: not a directory" },
        { ["fuzz", "--runs", "1", "--crashes", "/proc/p2mfuzz-crashes"], "fuzz --crashes /proc/p2mfuzz-crashes: cannot create the directory" },
        { ["fuzz", "--runs", "1", "--crashes", "{0}/below"], "fuzz --crashes {0}/below: cannot create the directory" },
        { ["fuzz", "--runs", "1", "--crashes", "/proc/self"], "fuzz --crashes /proc/self: cannot write in /proc/self" },
        { ["fuzz", "--runs", "1", "--stats", "/proc/x"], "fuzz --stats /proc/x: cannot write in /proc" },
        { ["fuzz", "--runs", "1", "--stats", "{1}"], "fuzz --stats {1}: a directory, not a file" },
        { ["fuzz", "--runs", "1", "--seed-corpus", "{1}/missing"], "fuzz --seed-corpus {1}/missing: no such directory" },
        { ["merge", "{0}", "{1}"], "merge OUT {0}: not a directory" },
        { ["merge", "/proc/self/fdinfo", "{1}"], "merge OUT /proc/self/fdinfo: cannot write in /proc/self/fdinfo" },
        { ["merge", "{1}/out", "{0}"], "merge IN {0}: not a directory" },
        { ["merge", "{1}/out", "{1}/missing"], "merge IN {1}/missing: no such directory" },
        { ["gate", "--runs", "0", "--corpus", "{0}"], "gate --corpus {0}: not a directory" },
        { ["gate", "--runs", "0", "--corpus", "{1}", "--out", "{0}"], "gate --out {0}/crashes: cannot create the directory" },
        { ["gate", "--runs", "0", "--corpus", "{1}", "--out", "{1}/o", "--junit", "{0}/j.xml"], "gate --junit {0}/j.xml: {0} is not a directory" },
        { ["gate", "--runs", "0", "--corpus", "{1}", "--out", "{1}/o", "--summary", "/proc/s.md"], "gate --summary /proc/s.md: cannot write in /proc" },
        { ["report", "{0}", "--out", "/proc/r.html"], "report --out /proc/r.html: cannot write in /proc" },
        { ["encode", "{2}", "/proc/s.bin"], "encode OUT /proc/s.bin: cannot write in /proc" },
        { ["minimize", "{2}", "--out", "/proc/m.p2m"], "minimize --out /proc/m.p2m: cannot write in /proc" },
    };

    [Theory]
    [MemberData(nameof(UnusablePaths))]
    public void An_unusable_path_is_refused_before_any_work(string[] args, string message)
    {
        string directory = Path.Combine(_dir, "d");
        Directory.CreateDirectory(directory);
        string Fill(string text) => string.Format(text, _file, directory, _script);
        CliRun.Of(args.Select(Fill).ToArray()).AssertUsageError(Fill(message));
    }

    [Fact]
    public void A_full_disk_is_one_line_and_keeps_what_was_written()
    {
        // /dev/full accepts the open and fails every write with ENOSPC.
        // When the stats line fails depends on how far the campaign got; what was in the corpus before stays whole.
        string corpus = Path.Combine(_dir, "corpus");
        Directory.CreateDirectory(corpus);
        string kept = Path.Combine(corpus, "kept.p2m");
        File.Copy(_script, kept);
        var run = CliRun.Of("fuzz", "--runs", "20", "--geometry", "mini", "--corpus", corpus, "--crashes", Crashes, "--stats", "/dev/full");
        Assert.Equal(2, run.Code);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Contains("p2mfuzz: No space left on device", run.Err);
        Assert.Equal(File.ReadAllText(_script), File.ReadAllText(kept));
        Assert.DoesNotContain(Directory.GetFiles(corpus), f => Path.GetFileName(f).StartsWith('.'));

        var encode = CliRun.Of("encode", _script, "/dev/full");
        Assert.Equal(2, encode.Code);
        Assert.Equal(1, encode.Err.Count(c => c == '\n'));
        Assert.Contains("/dev/full: No space left on device", encode.Err);
    }
}
