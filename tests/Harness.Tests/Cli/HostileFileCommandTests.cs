using System.Xml.Linq;
using P2M.Harness.Tests.Inputs;

namespace P2M.Harness.Tests.Cli;

/// <summary>
/// Every command that reads a corpus meets the hostile tree (<see cref="HostileTree"/>) and finishes,
/// reporting each bad file in a short line and quoting none of it.
/// </summary>
public sealed class HostileFileCommandTests : IDisposable
{
    private readonly HostileTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static CliRun Run(params string[] args) => Liveness.Within(() => CliRun.Of(args), $"p2mfuzz {args[0]}");

    /// <summary>Nothing of /etc/passwd's first line and no long run of the token's digits, anywhere in <paramref name="texts"/>.</summary>
    private static void AssertNothingQuoted(params string[] texts)
    {
        string passwd = HostileTree.PasswdFirstLine;
        foreach (string text in texts)
        {
            Assert.DoesNotContain(passwd, text);
            Assert.DoesNotContain(new string('7', 100), text);
        }
    }

    [Fact]
    public void Replay_finishes_and_says_why_each_bad_file_was_not_run()
    {
        var run = Run("replay", _tree.Corpus);

        Assert.Equal(2, run.Code);
        Assert.Contains("pass  " + Path.Combine(_tree.Corpus, "honest-mini.p2m"), run.Out);
        Assert.Contains($"{Path.Combine(_tree.Corpus, "sub", "loop")}: skipped: a symbolic link to a directory", run.Err);
        Assert.Contains($"{Path.Combine(_tree.Corpus, "zero.p2m")}: not a regular file (a character device)", run.Err);
        Assert.Contains($"{Path.Combine(_tree.Corpus, "fifo.p2m")}: not a regular file (a FIFO)", run.Err);
        Assert.Contains($"{Path.Combine(_tree.Corpus, "token.p2m")}:2: line is longer than 4096 characters (raise with --max-line-length)", run.Err);
        Assert.Contains("5 scripts: 1 passed, 4 failed", run.Out);
        AssertNothingQuoted(run.Out, run.Err);
        Assert.True(run.Out.Length + run.Err.Length < 4096, $"{run.Out.Length + run.Err.Length} characters of output");
    }

    [Fact]
    public void A_huge_token_read_in_full_is_still_quoted_short()
    {
        var run = Run("replay", Path.Combine(_tree.Corpus, "token.p2m"), "--max-line-length", "2000000");

        Assert.Equal(2, run.Code);
        Assert.Contains("found '777777777777777777777777...' (1048577 characters)", run.Err);
        Assert.True(run.Err.Length < 1024, $"{run.Err.Length} characters of error");
    }

    [Fact]
    public void Merge_finishes_and_keeps_the_one_good_input()
    {
        var run = Run("merge", _tree.Under("merged"), _tree.Corpus);

        Assert.Equal(0, run.Code);
        Assert.Contains("merge: 1 candidates", run.Out);
        AssertNothingQuoted(run.Out, run.Err);
    }

    [Fact]
    public void Fuzz_loads_its_seeds_past_every_bad_file()
    {
        var run = Run("fuzz", "--runs", "5", "--geometry", "mini", "--seed-corpus", _tree.Corpus, "--crashes", _tree.Under("crashes"));

        Assert.Equal(0, run.Code);
        Assert.Contains("sub/loop: skipped", run.Err);
        Assert.Contains("corpus: skipping " + Path.Combine(_tree.Corpus, "fifo.p2m"), run.Err);
        AssertNothingQuoted(run.Out, run.Err);
    }

    [Fact]
    public void The_gate_finishes_and_its_reports_quote_nothing_of_the_bad_files()
    {
        string junit = _tree.Under("gate-out/junit.xml"), summary = _tree.Under("gate-out/summary.md"), sarif = _tree.Under("gate-out/gate.sarif");
        var run = Run("gate", "--runs", "20", "--corpus", _tree.Corpus, "--crashes", _tree.Under("no-crashes"), "--out", _tree.Under("gate-out"),
            "--junit", junit, "--summary", summary, "--sarif", sarif);

        // Scripts it cannot read are the pull request's usage error (exit 2), as in replay; the reports are still written.
        Assert.Equal(2, run.Code);
        var cases = XDocument.Load(junit).Descendants("testcase").Where(c => (string?)c.Attribute("classname") == "replay").ToArray();
        Assert.Equal(5, cases.Length);
        Assert.Equal(4, cases.Count(c => c.Element("error") is not null));
        string[] reports = [File.ReadAllText(junit), File.ReadAllText(summary), File.ReadAllText(sarif)];
        AssertNothingQuoted([run.Out, run.Err, .. reports]);
        Assert.All(reports, text => Assert.True(text.Length < 32 << 10, $"a report of {text.Length} characters"));
    }

    [Fact]
    public void Show_minimize_encode_and_report_refuse_a_file_that_is_not_regular_without_blocking()
    {
        string fifo = Path.Combine(_tree.Corpus, "fifo.p2m"), zero = Path.Combine(_tree.Corpus, "zero.p2m");

        Assert.Equal($"{zero}: not a regular file (a character device)\n", Run("show", zero).Err.ReplaceLineEndings("\n"));
        Assert.Equal($"{fifo}: not a regular file (a FIFO)\n", Run("minimize", fifo).Err.ReplaceLineEndings("\n"));
        Assert.Equal($"{fifo}: not a regular file (a FIFO)\n", Run("encode", fifo, _tree.Under("x.bin")).Err.ReplaceLineEndings("\n"));
        Assert.Equal($"report: {fifo}: not a regular file (a FIFO)\n", Run("report", fifo, "--out", _tree.Under("r.html")).Err.ReplaceLineEndings("\n"));
        Assert.Equal(2, Run("show", zero).Code);
    }

    [Fact]
    public void A_link_to_passwd_named_directly_is_reported_without_its_content()
    {
        string passwd = Path.Combine(_tree.Corpus, "passwd.p2m");
        var replay = Run("replay", passwd);
        var minimize = Run("minimize", passwd);
        var encode = Run("encode", passwd, _tree.Under("p.bin"));

        Assert.All(new[] { replay, minimize, encode }, run => Assert.Equal(2, run.Code));
        Assert.Contains($"{passwd}:1: expected an operation or expectation", replay.Err);
        AssertNothingQuoted(replay.Out, replay.Err, minimize.Out, minimize.Err, encode.Out, encode.Err);
    }
}
