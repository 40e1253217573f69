using System.Globalization;
using P2M.Contract;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Running;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The PR gate: replays every committed script (<c>corpus/</c>, <c>crashes/</c>) engine against oracle,
/// then runs a bounded, deterministic campaign seeded from the corpus, then writes the reports asked for
/// (JUnit, SARIF, Markdown). Any failing script or any finding fails the gate. The work behind
/// <c>p2mfuzz gate</c>, kept here so tests can drive it in-process.
/// </summary>
/// <remarks>
/// The gate never writes to the repository: the corpus is read only (the campaign keeps its own in
/// memory) and findings go under <see cref="GateOptions.OutputDirectory"/>. Progress goes to the
/// output writer, ending with <see cref="GateResult.VerdictLine"/>; warnings (unreadable corpus files,
/// reports that could not be written) go to the error writer.
/// </remarks>
public static class GateRunner
{
    /// <summary>The folder under <see cref="GateOptions.OutputDirectory"/> the campaign's findings are stored in.</summary>
    public const string FindingsFolder = "crashes";

    /// <summary>The variable GitHub Actions sets to the file a job's Markdown summary is appended to.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    /// <summary>Runs the gate with <paramref name="options"/>; <paramref name="token"/> stops the campaign early (Ctrl-C).</summary>
    public static GateResult Run(GateOptions options, TextWriter output, TextWriter error, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Runs is null && options.TimeSeconds is null)
            throw new ArgumentException("the gate's campaign needs a budget: runs or seconds", nameof(options));
        // The campaign reports from its worker threads while the coordinator prints status.
        output = TextWriter.Synchronized(output);
        error = TextWriter.Synchronized(error);

        IInputRunner runner = options.InProcess
            ? new Implementations.ImplementationsRunner(options.Implementation, options.Model)
            : new SupervisedExecutor(options.Implementation, options.Supervision, options.Limits);
        IReadOnlyList<ScriptOutcome> scripts;
        IReadOnlyList<GateFailure> replayFailures;
        try
        {
            output.WriteLine($"== gate: replaying {options.CorpusDirectory} and {options.CrashesDirectory}");
            (scripts, replayFailures) = new CommittedScriptReplay(runner, output, options.Limits).Run([options.CorpusDirectory, options.CrashesDirectory], token);
        }
        finally
        {
            (runner as IDisposable)?.Dispose();
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: {scripts.Count} scripts: {scripts.Count(s => s.Passed)} passed, {replayFailures.Count} failed"));

        CampaignResult campaign = RunCampaign(options, output, error, token);
        var failures = replayFailures.Concat(campaign.Findings.Concat(campaign.KnownFindings).Select(GateFailure.OfFinding)).ToArray();

        var result = new GateResult(options, scripts, campaign, failures) { Interrupted = token.IsCancellationRequested };
        result = result with { ReportProblems = WriteReports(result, output, error) };
        output.WriteLine(result.VerdictLine);
        return result;
    }

    private static CampaignResult RunCampaign(GateOptions options, TextWriter output, TextWriter error, CancellationToken token)
    {
        string findings = Path.Combine(options.OutputDirectory, FindingsFolder);
        // The gate's findings are this run's: what an earlier gate run left there must not count as known.
        CrashStore.Clear(findings);
        var campaignOptions = new CampaignOptions
        {
            Runs = options.Runs,
            TimeSeconds = options.TimeSeconds,
            Seed = options.Seed,
            Jobs = options.Jobs,
            Geometries = options.Geometries,
            // Corpus growth stays in memory: the gate must leave corpus/ as the pull request has it.
            CorpusDirectory = null,
            SeedDirectories = [.. Directory.Exists(options.CorpusDirectory) ? [options.CorpusDirectory] : Array.Empty<string>(), .. options.SeedDirectories],
            CrashesDirectory = findings,
            MaxOps = options.MaxOps,
            Limits = options.Limits,
            StatusEverySeconds = options.StatusEverySeconds,
            Implementation = options.Implementation,
            Model = options.Model,
            InProcess = options.InProcess,
            Supervision = options.Supervision,
        };
        string budget = options.TimeSeconds is double seconds
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s") + (options.Runs is long most ? $" or {most} runs" : "")
            : string.Create(CultureInfo.InvariantCulture, $"{options.Runs} runs");
        output.WriteLine($"== gate: campaign of {budget}, seed {options.Seed}, {string.Join("+", options.Geometries)}, {options.Jobs} job(s), " +
                         $"seeded from {string.Join(" and ", campaignOptions.SeedDirectories)}; findings under {findings}");

        var campaign = new Campaign(campaignOptions) { Warnings = error };
        campaign.Status += status => output.WriteLine($"campaign: {status}");
        campaign.NewFinding += finding => output.WriteLine(
            $"campaign: NEW FINDING {finding.Signature}: {finding.Original.Ops.Length} ops" +
            (finding.FoundAt is null ? "" : $", stored as found in {finding.FoundAt}") + "; minimising");
        campaign.FindingMinimized += finding => output.WriteLine(
            $"campaign: minimised {finding.Signature}: {finding.Original.Ops.Length} -> {finding.Minimized.Ops.Length} ops" +
            (finding.StoredAt is null ? "" : $", {finding.StoredAt}"));
        CampaignResult result = campaign.Run(token);
        CampaignStatus final = result.Final;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"campaign: {final.Execs} execs in {final.Seconds:0.0} s ({final.ExecsPerSecond:0} exec/s), {final.Features} features, " +
            $"{result.Findings.Count} finding(s){(result.Interrupted ? ", interrupted" : "")}"));
        return result;
    }

    /// <summary>Writes each report asked for; returns what could not be written (each also told on <paramref name="error"/>).</summary>
    private static IReadOnlyList<string> WriteReports(GateResult result, TextWriter output, TextWriter error)
    {
        GateOptions options = result.Options;
        var problems = new List<string>();
        void Write(string what, string? path, Func<string> render, bool append = false)
        {
            if (path is null)
                return;
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
                    Directory.CreateDirectory(directory);
                if (append)
                    File.AppendAllText(path, render());
                else
                    File.WriteAllText(path, render());
                output.WriteLine($"{what}: {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                string problem = $"gate: {what} not written to {path}: {e.Message}";
                error.WriteLine(problem);
                problems.Add(problem);
            }
        }

        var sources = new EngineSourceIndex(SourceRoot.Find(options.RepositoryRoot));
        // Placed once for every report: the write site runs the failure's input again.
        FailureLocation[] locations = result.Failures.Select(f => FailureLocation.Of(f, options.Implementation, sources)).ToArray();
        Write("junit", options.JUnitPath, () => JUnitReport.Render(result, locations));
        Write("sarif", options.SarifPath, () => SarifReport.Render(result, locations, sources.Root));
        string markdown = MarkdownSummary.Render(result);
        Write("summary", options.SummaryPath, () => markdown);
        string? stepSummary = options.GetEnvironmentVariable(StepSummaryVariable);
        Write("step summary", string.IsNullOrEmpty(stepSummary) ? null : stepSummary, () => markdown + "\n", append: true);
        return problems;
    }
}
