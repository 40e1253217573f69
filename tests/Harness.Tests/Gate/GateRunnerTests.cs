using System.Text.Json.Nodes;
using System.Xml.Linq;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Gate;
using P2M.Planted;
using P2M.Harness.Tests.Regression;

namespace P2M.Harness.Tests.Gate;

/// <summary>
/// The gate end to end, in-process: a clean engine passes with consistent reports; a planted bug, a
/// regressed crash script or an engine that throws fails it, and every report says where and how.
/// </summary>
public sealed class GateRunnerTests : IDisposable
{
    private readonly GateDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    private static (GateResult Result, string Output) Run(GateOptions options)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        GateResult result = GateRunner.Run(options, output, error);
        return (result, output.ToString());
    }

    private static XElement Suite(XDocument junit, string name) =>
        junit.Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == name);

    private static int Count(XElement element, string attribute) => int.Parse((string)element.Attribute(attribute)!);

    private static JsonArray SarifResults(string path) => (JsonArray)JsonNode.Parse(File.ReadAllText(path))!["runs"]![0]!["results"]!;

    [Fact]
    public void Clean_engine_passes_with_consistent_reports_and_leaves_the_corpus_alone()
    {
        string[] corpusBefore = Directory.GetFiles(_dirs.Corpus);

        var (result, output) = Run(_dirs.Options());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("gate: PASS", output.TrimEnd().Split('\n')[^1].TrimEnd('\r'));
        Assert.Equal((2, 2, 0), (result.Scripts.Count, result.ScriptsPassed, result.ScriptsFailed));
        Assert.Equal(200, result.Campaign.Final.Execs);
        Assert.Empty(result.Failures);

        XDocument junit = XDocument.Load(_dirs.JUnit);
        Assert.Equal((3, 0), (Count(junit.Root!, "tests"), Count(junit.Root!, "failures")));
        XElement replay = Suite(junit, "replay");
        Assert.Equal((2, 0), (Count(replay, "tests"), Count(replay, "failures")));
        Assert.Equal(2, replay.Elements("testcase").Count());
        XElement campaign = Suite(junit, "campaign");
        Assert.Equal((1, 0), (Count(campaign, "tests"), Count(campaign, "failures")));
        Assert.Empty(junit.Descendants("failure"));

        JsonNode sarif = JsonNode.Parse(File.ReadAllText(_dirs.Sarif))!;
        Assert.Equal("2.1.0", (string?)sarif["version"]);
        Assert.Equal("p2mfuzz", (string?)sarif["runs"]![0]!["tool"]!["driver"]!["name"]);
        Assert.Empty(SarifResults(_dirs.Sarif));

        string markdown = File.ReadAllText(_dirs.Summary);
        Assert.StartsWith("## p2mfuzz gate: PASS", markdown);
        Assert.Contains("| scripts replayed | 2 |", markdown);
        Assert.Contains("| campaign execs | 200 |", markdown);
        Assert.DoesNotContain("```p2m", markdown);

        // Read only: the corpus is as it was, and nothing was found to store.
        Assert.Equal(corpusBefore, Directory.GetFiles(_dirs.Corpus));
        Assert.False(Directory.Exists(Path.Combine(_dirs.Out, GateRunner.FindingsFolder)));
    }

    [Fact]
    public void Planted_foreign_reference_leak_fails_the_gate_and_every_report_shows_it()
    {
        var (result, output) = Run(_dirs.Options(c => new KeepsForeignReference(c), runs: 100));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gate: FAIL (", output.TrimEnd().Split('\n')[^1]);
        // The committed foreign script catches it on replay, and the campaign (seeded with it) finds it too.
        GateFailure replayed = Assert.Single(result.Failures, f => f.Stage == GateStage.Replay);
        Assert.Equal("divergence:map:refs", replayed.Signature);
        Assert.NotEmpty(result.Findings);
        Assert.All(result.Findings, f => Assert.EndsWith(":refs", f.Signature));

        XDocument junit = XDocument.Load(_dirs.JUnit);
        Assert.Equal(1, Count(Suite(junit, "replay"), "failures"));
        // One campaign case whatever it found, failing once for all the findings.
        XElement campaign = Suite(junit, "campaign");
        Assert.Equal((1, 1), (Count(campaign, "tests"), Count(campaign, "failures")));
        XElement campaignCase = Assert.Single(campaign.Elements("testcase"));
        Assert.Equal(JUnitReport.CampaignCase, (string?)campaignCase.Attribute("name"));
        Assert.Equal(2, junit.Descendants("failure").Count());
        Assert.Equal(2, Count(junit.Root!, "failures"));

        // The replay and the campaign meet the same bug: one alert, naming both.
        JsonArray sarif = SarifResults(_dirs.Sarif);
        string[] signatures = result.Failures.Select(f => f.Signature).Distinct().ToArray();
        Assert.Equal(signatures.Length, sarif.Count);
        foreach (JsonNode? sarifResult in sarif)
        {
            Assert.Contains((string?)sarifResult!["ruleId"], signatures);
            Assert.Equal("error", (string?)sarifResult["level"]);
            JsonNode physical = sarifResult["locations"]![0]!["physicalLocation"]!;
            string uri = (string)physical["artifactLocation"]!["uri"]!;
            int line = (int)physical["region"]!["startLine"]!;
            // The statement that wrote the entry whose reference was kept: a call of the engine's one write path.
            Assert.StartsWith("Targets/Engine/", uri);
            string statement = File.ReadAllLines(Path.Combine(CommittedScripts.RepositoryRoot, uri))[line - 1];
            Assert.Contains("WriteEntry(", statement);
        }
        JsonNode both = sarif.Single(r => (string?)r!["ruleId"] == "divergence:map:refs")!;
        Assert.Equal("ReplaceEntry", (string?)both["locations"]![0]!["logicalLocations"]![0]!["name"]);
        Assert.Equal(["replay", "campaign"], ((JsonArray)both["properties"]!["stages"]!).Select(n => (string?)n));

        string markdown = File.ReadAllText(_dirs.Summary);
        Assert.StartsWith("## p2mfuzz gate: FAIL", markdown);
        GateFailure finding = result.Failures.First(f => f.Stage == GateStage.Campaign);
        Assert.Contains("```p2m\n" + finding.Repro!.TrimEnd('\n') + "\n```", markdown);
        Assert.Contains("- engine: `1`", markdown);
        Assert.Contains("- oracle: `0`", markdown);
        // Minimised: the foreign entry and the operation that replaced it.
        Assert.Equal(2, result.Findings[0].Minimized.Ops.Length);
        Assert.True(File.Exists(result.Findings[0].StoredAt));
        Assert.StartsWith(Path.Combine(_dirs.Out, GateRunner.FindingsFolder), result.Findings[0].StoredAt);
    }

    [Fact]
    public void A_failing_script_in_crashes_fails_the_gate_from_replay_alone()
    {
        GateDirectories.WriteScript(_dirs.Crashes, "wrong-expectation-mini.p2m", GateDirectories.WrongExpectationScript);
        // A binary input is replayed as replay runs it (any bytes decode; these pass); notes are not inputs.
        File.WriteAllBytes(Path.Combine(_dirs.Crashes, "wrong-expectation-mini.bin"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(_dirs.Crashes, "README.md"), "notes");

        var (result, _) = Run(_dirs.Options(runs: 50));

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Findings);
        Assert.Equal(4, result.Scripts.Count);
        GateFailure failure = Assert.Single(result.Failures);
        Assert.Equal(GateStage.Replay, failure.Stage);
        Assert.Equal("expectation:expect:mfn", failure.Signature);
        Assert.EndsWith("wrong-expectation-mini.p2m", failure.Name);

        XElement replay = Suite(XDocument.Load(_dirs.JUnit), "replay");
        Assert.Equal((4, 1), (Count(replay, "tests"), Count(replay, "failures")));
        XElement failed = replay.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.EndsWith("wrong-expectation-mini.p2m", (string)failed.Attribute("name")!);
        Assert.Equal("expectation:expect:mfn", (string?)failed.Element("failure")!.Attribute("type"));

        // The reproducer is minimised as minimize does it: the failed expect line is kept, and still fails the same way.
        Assert.Contains("expect gfn=0x10 mfn=0x21 type=ram_rw order=0\n```", File.ReadAllText(_dirs.Summary));
        Assert.Contains("signature: expectation:expect:mfn", failure.Repro);
        // The script's own expect line is what failed: the alert and the test case point there.
        JsonNode location = SarifResults(_dirs.Sarif)[0]!["locations"]![0]!["physicalLocation"]!;
        Assert.EndsWith("/crashes/wrong-expectation-mini.p2m", (string?)location["artifactLocation"]!["uri"]);
        Assert.Equal(4, (int)location["region"]!["startLine"]!);
        Assert.EndsWith("wrong-expectation-mini.p2m", (string?)failed.Attribute("file"));
        Assert.Equal("4", (string?)failed.Attribute("line"));
    }

    [Fact]
    public void A_script_that_does_not_parse_is_a_junit_error_and_an_alert_at_its_line()
    {
        GateDirectories.WriteScript(_dirs.Crashes, "broken.p2m", "geometry mini\nmap gfn=0x10 mfn=0x20 nr=1 type=ram_rw\nmap gfn=0x10\n");

        var (result, _) = Run(_dirs.Options(runs: 0));

        Assert.Equal(2, result.ExitCode);
        XElement replay = Suite(XDocument.Load(_dirs.JUnit), "replay");
        Assert.Equal((3, 0, 1), (Count(replay, "tests"), Count(replay, "failures"), Count(replay, "errors")));
        XElement broken = replay.Elements("testcase").Single(c => c.Element("error") is not null);
        Assert.EndsWith("broken.p2m", (string?)broken.Attribute("file"));
        Assert.Equal("3", (string?)broken.Attribute("line"));
        Assert.Null(broken.Element("failure"));

        JsonNode physical = SarifResults(_dirs.Sarif)[0]!["locations"]![0]!["physicalLocation"]!;
        Assert.Equal(new Uri(Path.Combine(_dirs.Crashes, "broken.p2m")).AbsoluteUri, (string?)physical["artifactLocation"]!["uri"]);
        Assert.Null(physical["artifactLocation"]!["uriBaseId"]);
        Assert.Equal(3, (int)physical["region"]!["startLine"]!);
    }

    [Fact]
    public void Test_names_are_the_same_whether_the_gate_passes_or_fails()
    {
        static string[] Names(string junit) =>
            XDocument.Load(junit).Descendants("testcase").Select(c => $"{c.Attribute("classname")}/{c.Attribute("name")}").ToArray();
        Run(_dirs.Options(runs: 50));
        string[] passing = Names(_dirs.JUnit);

        var (failed, _) = Run(_dirs.Options(c => new KeepsForeignReference(c), runs: 50));

        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(passing, Names(_dirs.JUnit));
    }

    [Fact]
    public void Sarif_names_the_tool_version_and_where_to_read_about_it()
    {
        var environment = new Dictionary<string, string> { ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "xen/p2mfuzz" };
        Run(_dirs.Options(runs: 0) with { GetEnvironmentVariable = name => environment.GetValueOrDefault(name) });

        JsonNode driver = JsonNode.Parse(File.ReadAllText(_dirs.Sarif))!["runs"]![0]!["tool"]!["driver"]!;
        Assert.Equal(SarifReport.ToolVersion, (string?)driver["version"]);
        Assert.False(string.IsNullOrEmpty(SarifReport.ToolVersion));
        Assert.Equal("https://github.com/xen/p2mfuzz#readme", (string?)driver["informationUri"]);
    }

    [Fact]
    public void An_engine_that_throws_is_located_at_the_engine_frame_of_its_stack_trace()
    {
        var (result, _) = Run(_dirs.Options(c => new ThrowsWhenReleasingForeign(c), runs: 0));

        Assert.Equal(1, result.ExitCode);
        GateFailure failure = Assert.Single(result.Failures);
        Assert.Equal("exception:map:InvalidOperationException", failure.Signature);

        JsonNode sarifResult = SarifResults(_dirs.Sarif)[0]!;
        Assert.Equal(failure.Signature, (string?)sarifResult["ruleId"]);
        JsonNode physical = sarifResult["locations"]![0]!["physicalLocation"]!;
        string uri = (string)physical["artifactLocation"]!["uri"]!;
        int line = (int)physical["region"]!["startLine"]!;
        // Not the double's own override (in tests/), but the engine method that called it. An
        // optimised (Release) stack trace maps lines only roughly, so what is pinned is the method:
        // the line lies in its body, and that body is where ReleaseLeaf is called.
        Assert.StartsWith("Targets/Engine/", uri);
        string method = (string)sarifResult["locations"]![0]!["logicalLocations"]![0]!["name"]!;
        string[] source = File.ReadAllLines(Path.Combine(CommittedScripts.RepositoryRoot, uri));
        int declaration = Array.FindIndex(source, l => l.Contains($" {method}(") && (l.Contains("private ") || l.Contains("public ")));
        Assert.True(declaration >= 0, $"{method} is not declared in {uri}");
        int end = Array.FindIndex(source, declaration + 1, l => l.StartsWith("    private ") || l.StartsWith("    public ") || l == "}");
        Assert.InRange(line, declaration + 1, end < 0 ? source.Length : end);
        Assert.Contains(source[declaration..(end < 0 ? source.Length : end)], l => l.Contains("ReleaseLeaf("));
    }

    [Fact]
    public void Summary_is_appended_to_the_step_summary_file_when_the_variable_is_set()
    {
        string stepSummary = Path.Combine(_dirs.Root, "step-summary.md");
        File.WriteAllText(stepSummary, "earlier step\n");
        var asked = new List<string>();
        GateOptions options = _dirs.Options(runs: 0) with
        {
            SummaryPath = null,
            GetEnvironmentVariable = name =>
            {
                asked.Add(name);
                return name == GateRunner.StepSummaryVariable ? stepSummary : null;
            },
        };

        var (result, _) = Run(options);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(GateRunner.StepSummaryVariable, asked);
        string text = File.ReadAllText(stepSummary);
        Assert.StartsWith("earlier step\n## p2mfuzz gate: PASS", text);
    }

    [Fact]
    public void Without_the_variable_no_step_summary_is_written()
    {
        string stepSummary = Path.Combine(_dirs.Root, "step-summary.md");
        var (result, output) = Run(_dirs.Options(runs: 0) with { SummaryPath = null });

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(stepSummary));
        Assert.DoesNotContain("step summary:", output);
    }

    [Fact]
    public void Same_options_give_the_same_verdict()
    {
        GateOptions options = _dirs.Options(c => new KeepsForeignReference(c), runs: 60) with { JUnitPath = null, SarifPath = null, SummaryPath = null };
        var (first, _) = Run(options);
        var (second, _) = Run(options with { OutputDirectory = Path.Combine(_dirs.Root, "second") });

        Assert.NotEmpty(first.Failures);
        Assert.Equal(first.Failures.Select(f => (f.Stage, f.Signature, f.Repro)), second.Failures.Select(f => (f.Stage, f.Signature, f.Repro)));
        Assert.Equal(first.Campaign.Final.Features, second.Campaign.Final.Features);
    }
}

/// <summary>Throws where a foreign entry's reference would be dropped: an exception from inside the engine's call chain.</summary>
internal sealed class ThrowsWhenReleasingForeign(P2MConfig config) : EngineP2M(config)
{
    private protected override void ReleaseLeaf(ulong pte, P2MType type, int level, ulong gfn, bool mfnChanged)
    {
        if (P2MTypes.IsForeign(type))
            throw new InvalidOperationException("planted: foreign leaf released");
        base.ReleaseLeaf(pte, type, level, gfn, mfnChanged);
    }
}
