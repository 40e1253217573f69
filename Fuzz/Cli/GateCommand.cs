using System.CommandLine;
using P2M.Fuzz.Gate;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz gate [--runs N] [--time SECONDS] [--seed N] [--jobs N] [--junit FILE] [--sarif FILE]
/// [--summary FILE] [--out DIR] [--corpus DIR] [--seed-corpus DIR]... [--crashes DIR]</c>: the pull-request gate. Replays
/// every committed script, then runs a bounded deterministic campaign, and writes the reports asked
/// for. The work is <see cref="GateRunner"/>; this is only the command line around it.
/// </summary>
internal static class GateCommand
{
    /// <summary>The <c>gate</c> command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var budget = new CampaignBudget(
            "A wall-clock ceiling on the campaign's runs (given or default): a campaign it stops before its runs are done " +
            "is INCOMPLETE, never a pass, so the verdict never depends on the machine's speed.",
            $"Campaign executions (default {GateOptions.DefaultRuns}; deterministic).",
            GateOptions.DefaultSeed);
        var limits = new InputLimitOptions();
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to FILE." };
        var sarif = new Option<string?>("--sarif") { Description = "Write a SARIF 2.1.0 report to FILE." };
        var summary = new Option<string?>("--summary") { Description = "Write a Markdown summary to FILE (also appended to $GITHUB_STEP_SUMMARY when set)." };
        var outDir = new Option<string>("--out") { Description = "The gate's own output: its findings go under DIR/crashes.", DefaultValueFactory = _ => "gate-out" };
        var corpus = new Option<string>("--corpus") { Description = "Committed scripts: replayed, and read as the campaign's seeds.", DefaultValueFactory = _ => "corpus" };
        var seeds = SeedCorpusOption.Create();
        var crashes = new Option<string>("--crashes") { Description = "Committed failing scripts, replayed as regressions (may be missing).", DefaultValueFactory = _ => "crashes" };

        var command = new Command("gate",
            "The pull-request gate: replay corpus/ and crashes/ engine against oracle, then run a bounded deterministic " +
            "campaign seeded from the corpus and any --seed-corpus; write JUnit, SARIF and Markdown reports on request. " +
            "Exit 0 when clean, 1 when a script fails or the campaign finds anything, 2 on usage errors.");
        budget.AddTo(command);
        var supervision = new SupervisionFlags();
        supervision.AddTo(command);
        limits.AddTo(command);
        foreach (Option option in new Option[] { junit, sarif, summary, outDir, corpus, seeds, crashes })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            double? seconds = parse.GetValue(budget.Time);
            var options = new GateOptions
            {
                TimeSeconds = seconds,
                // A gate's budget is always a run count, so the same commit gets the same verdict; a time only caps it.
                Runs = parse.GetValue(budget.Runs) ?? GateOptions.DefaultRuns,
                Seed = parse.GetValue(budget.Seed),
                Jobs = parse.GetValue(budget.Jobs),
                JUnitPath = parse.GetValue(junit),
                SarifPath = parse.GetValue(sarif),
                SummaryPath = parse.GetValue(summary),
                OutputDirectory = parse.GetValue(outDir) ?? "gate-out",
                CorpusDirectory = parse.GetValue(corpus) ?? "corpus",
                SeedDirectories = parse.GetValue(seeds) ?? [],
                CrashesDirectory = parse.GetValue(crashes) ?? "crashes",
                Limits = limits.From(parse),
                GetEnvironmentVariable = environment,
            };
            try
            {
                options = options with
                {
                    Implementation = supervision.ImplementationOf(parse),
                    InProcess = supervision.IsInProcess(parse),
                    Supervision = supervision.OptionsOf(parse),
                };
            }
            catch (Implementations.ImplementationException e)
            {
                error.WriteLine($"p2mfuzz: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            return Run(options, output, error);
        });
        return command;
    }

    /// <summary>
    /// Runs the gate; returns its exit code (2 when the corpus directory is not there, or an output
    /// cannot be written: found before anything runs).
    /// </summary>
    public static int Run(GateOptions options, TextWriter output, TextWriter error)
    {
        // A mistyped --corpus would otherwise replay nothing, seed nothing, and pass.
        string? stepSummary = options.GetEnvironmentVariable(GateRunner.StepSummaryVariable);
        bool usable = CommandPaths.InputDirectory("gate --corpus", options.CorpusDirectory, error)
            && SeedCorpusOption.Check("gate", options.SeedDirectories, error)
            && CommandPaths.InputDirectory("gate --crashes", options.CrashesDirectory, error, mayBeMissing: true)
            && CommandPaths.OutputDirectory("gate --out", Path.Combine(options.OutputDirectory, GateRunner.FindingsFolder), error)
            && CommandPaths.OutputFile("gate --junit", options.JUnitPath, error)
            && CommandPaths.OutputFile("gate --sarif", options.SarifPath, error)
            && CommandPaths.OutputFile("gate --summary", options.SummaryPath, error)
            && CommandPaths.OutputFile("$" + GateRunner.StepSummaryVariable, string.IsNullOrEmpty(stepSummary) ? null : stepSummary, error);
        if (!usable)
            return P2MFuzzCommandLine.Usage;

        using var signals = new StopSignals();
        try
        {
            return GateRunner.Run(options, output, error, signals.Token).ExitCode;
        }
        catch (Implementations.ImplementationException e)
        {
            error.WriteLine($"p2mfuzz: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }
    }
}
