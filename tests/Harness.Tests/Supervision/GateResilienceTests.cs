using System.Text.Json.Nodes;
using System.Xml.Linq;
using P2M.Fuzz;
using P2M.Fuzz.Gate;
using P2M.Fuzz.Running;
using P2M.Harness.Tests.Gate;

namespace P2M.Harness.Tests.Supervision;

/// <summary>
/// The gate against engines that hang, crash or eat memory: it ends with exit 1 and every report (JUnit,
/// SARIF, the summary) written, each failure in it with its kind and a repro.
/// </summary>
public sealed class GateResilienceTests : IDisposable
{
    private readonly GateDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Theory]
    [InlineData("HangsOnForeignRelease", VerdictKind.Timeout, 80)]
    [InlineData("OverflowsStackOnSplit", VerdictKind.Crash, 80)]
    [InlineData("ThrowsOnWorkerThread", VerdictKind.Crash, 80)]
    [InlineData("HoardsMemoryOnGrantReset", VerdictKind.Oom, 80)]
    [InlineData("SplitLinksTableIntoItself", VerdictKind.Invariant, 80)]
    public void The_gate_reports_what_killed_its_workers_in_every_report(string type, VerdictKind kind, long runs)
    {
        // A committed script that maps a grant frame and then unmaps it: the hoarding double's trigger, for replay and seeds.
        GateDirectories.WriteScript(_dirs.Corpus, "grant-mini.p2m", PlantedLibrary.GrantScript);
        GateOptions options = _dirs.Options(runs: runs) with { Implementation = PlantedLibrary.Spec(type), InProcess = false, Supervision = PlantedLibrary.LimitsFor(type) };
        var output = new StringWriter();

        var error = new StringWriter();
        GateResult result = GateRunner.Run(options, output, error, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Failure, $"exit {result.ExitCode}\n{output}\n{error}");
        Assert.StartsWith("gate: FAIL (", output.ToString().TrimEnd().Split('\n')[^1]);
        string word = Verdict.KindWord(kind) + ":";
        GateFailure[] ofKind = result.Failures.Where(f => f.Signature.StartsWith(word, StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(ofKind);

        XDocument junit = XDocument.Load(_dirs.JUnit);
        JsonArray sarif = (JsonArray)JsonNode.Parse(File.ReadAllText(_dirs.Sarif))!["runs"]![0]!["results"]!;
        string markdown = File.ReadAllText(_dirs.Summary);
        // One failure per failing committed script, and one for the campaign's one test case whatever it found.
        Assert.Equal(result.Failures.Count(f => f.Stage == GateStage.Replay) + (result.Failures.Any(f => f.Stage == GateStage.Campaign) ? 1 : 0),
            junit.Descendants("failure").Count());
        foreach (GateFailure failure in ofKind)
        {
            Assert.Contains(junit.Descendants("failure"), f => ((string?)f.Attribute("message") ?? "").Contains(failure.Signature, StringComparison.Ordinal));
            Assert.Contains(sarif, r => (string?)r!["ruleId"] == failure.Signature);
            Assert.Contains(failure.Signature, markdown);
            Assert.NotNull(failure.Repro);
            Assert.Contains("```p2m\n" + failure.Repro!.TrimEnd('\n') + "\n```", markdown);
        }
    }
}
