using System.CommandLine;
using P2M.Contract;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Implementations;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz fuzz</c>: a coverage-guided differential campaign, engine against oracle, with
/// libFuzzer's flags in spirit. A live status line on a terminal, a plain one every few seconds
/// otherwise; Ctrl-C stops cleanly, keeping every corpus entry and finding already written.
/// </summary>
internal static class FuzzCommand
{
    /// <summary>Seconds a campaign runs when given neither <c>--time</c> nor <c>--runs</c>.</summary>
    private const double DefaultSeconds = 60;

    /// <summary>Where a campaign's findings go when <c>--crashes</c> is not given.</summary>
    public const string DefaultCrashes = "fuzz-out/crashes";

    /// <summary>The <c>fuzz</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var budget = new CampaignBudget($"Stop after this many seconds ({DefaultSeconds} when no --runs).",
            "Stop after this many executions (split over the jobs; deterministic).", defaultSeed: 1);
        var limits = new InputLimitOptions();
        var geometry = new Option<string>("--geometry") { Description = "mini, real or both.", DefaultValueFactory = _ => "both" };
        geometry.AcceptOnlyFromAmong("mini", "real", "both");
        var corpus = new Option<string?>("--corpus") { Description = "Corpus directory: read at start, new coverage written to it." };
        var seeds = SeedCorpusOption.Create();
        // Findings go beside the corpus, never into the committed crashes/: promoting one to a regression is a decision (README).
        var crashes = new Option<string?>("--crashes") { Description = "Where findings go, as found and minimised.", DefaultValueFactory = _ => DefaultCrashes };
        var maxOps = OptionValues.Whole("--max-ops", $"Most operations in one generated input (1 to {Codec.CodecLimits.DefaultMaxOps}, what the binary form holds).",
            1, Codec.CodecLimits.DefaultMaxOps, Campaigns.CampaignOptions.DefaultMaxOps);
        var stats = new Option<string?>("--stats") { Description = "JSON-lines stats file for 'p2mfuzz report' (appended to: each campaign is a run of its own)." };
        var coverage = new Option<string>("--coverage")
        {
            Description = "Features read: the engine's probes (semantic), the IL edges of the sharpfuzz-instrumented engine (il), or both.",
            DefaultValueFactory = _ => CoverageMode.Semantic.Name(),
        };
        coverage.AcceptOnlyFromAmong([.. CoverageModes.Names]);
        var supervision = new SupervisionFlags();
        var command = new Command("fuzz",
            "Run a coverage-guided differential campaign, engine against oracle, in supervised worker processes. " +
            "Exit 0 when nothing failed, 1 when a failing signature was hit (new or already in --crashes), " +
            "2 on usage errors, 130 when stopped by a signal with nothing found.");
        budget.AddTo(command);
        supervision.AddTo(command);
        limits.AddTo(command);
        foreach (Option option in new Option[] { geometry, corpus, seeds, crashes, maxOps, stats, coverage }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            ImplementationSpec implementation;
            try
            {
                implementation = supervision.ImplementationOf(parse);
            }
            catch (ImplementationException e)
            {
                error.WriteLine($"p2mfuzz: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            var options = new CampaignOptions
            {
                TimeSeconds = parse.GetValue(budget.Time),
                Runs = parse.GetValue(budget.Runs),
                Seed = parse.GetValue(budget.Seed),
                Jobs = parse.GetValue(budget.Jobs),
                Geometries = Geometries(parse.GetValue(geometry) ?? "both"),
                CorpusDirectory = parse.GetValue(corpus),
                SeedDirectories = parse.GetValue(seeds) ?? [],
                CrashesDirectory = parse.GetValue(crashes),
                MaxOps = parse.GetValue(maxOps),
                Limits = limits.From(parse),
                StatsFile = parse.GetValue(stats),
                Implementation = implementation,
                InProcess = supervision.IsInProcess(parse),
                Supervision = supervision.OptionsOf(parse),
                Coverage = CoverageModes.Parse(parse.GetValue(coverage)!),
            };
            if (options.TimeSeconds is null && options.Runs is null)
                options = options with { TimeSeconds = DefaultSeconds };
            if (options.Coverage.ReadsEdges())
            {
                // IL edges are counted in one map per process: in-process worker threads would mix theirs.
                if (options.InProcess && options.Jobs > 1)
                {
                    error.WriteLine($"--coverage {options.Coverage.Name()} --in-process reads the process's one IL edge map: use --jobs 1, or drop --in-process");
                    return P2MFuzzCommandLine.Usage;
                }
                try
                {
                    options = options with { Implementation = InstrumentedEngine.For(options.Implementation) };
                }
                catch (ImplementationException e)
                {
                    error.WriteLine($"p2mfuzz: {e.Message}");
                    return P2MFuzzCommandLine.Usage;
                }
            }
            if (!CheckPaths(options, error))
                return P2MFuzzCommandLine.Usage;
            return Run(options, output, error);
        });
        return command;
    }

    /// <summary>The campaign's directories and files, checked before it starts (see <see cref="CommandPaths"/>).</summary>
    private static bool CheckPaths(CampaignOptions options, TextWriter error)
    {
        if (!SeedCorpusOption.Check("fuzz", options.SeedDirectories, error))
            return false;
        if (options.CorpusDirectory is string corpus && options.CrashesDirectory is string crashes && CommandPaths.SamePath(corpus, crashes))
        {
            error.WriteLine($"fuzz: --corpus and --crashes are the same directory ({corpus}): findings would be read back as corpus entries");
            return false;
        }
        return CommandPaths.OutputDirectory("fuzz --corpus", options.CorpusDirectory, error)
            && CommandPaths.OutputDirectory("fuzz --crashes", options.CrashesDirectory, error)
            && CommandPaths.OutputFile("fuzz --stats", options.StatsFile, error);
    }

    /// <summary>The geometries a <c>--geometry</c> value names.</summary>
    public static IReadOnlyList<Geometry> Geometries(string name) => name switch
    {
        "mini" => [Geometry.Mini],
        "real" => [Geometry.Real],
        _ => [Geometry.Mini, Geometry.Real],
    };

    /// <summary>Runs the campaign, reporting as it goes; returns the exit code.</summary>
    public static int Run(CampaignOptions options, TextWriter output, TextWriter error)
    {
        using var signals = new StopSignals();
        // Redrawn in place only on the process's own standard error, on a terminal.
        bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        try
        {
            error.WriteLine($"== fuzzing {string.Join("+", options.Geometries)}, seed {options.Seed}, {options.Jobs} job(s) " +
                            (options.InProcess ? "in-process" : $"supervised (timeout {options.Supervision.TimeoutSeconds} s, rss limit {options.Supervision.RssLimitMb} MiB)") + ", " +
                            string.Join(" or ", new[] { options.Runs is long r ? $"{r} runs" : null, options.TimeSeconds is double t ? $"{t:0.#} s" : null }.OfType<string>()) +
                            $"; corpus {options.CorpusDirectory ?? "(memory)"}, crashes {options.CrashesDirectory ?? "(memory)"}");
            CampaignResult result;
            using (var display = StatusDisplay.For(error, terminal))
            {
                // Everything written while the campaign runs goes above its status line.
                error = display.Lines;
                var campaign = new Campaign(options) { Warnings = error };
                campaign.NewFinding += f => error.WriteLine(
                    $"NEW FINDING {f.Signature}: {f.Original.Ops.Length} ops{(f.FoundAt is null ? "" : $", stored as found in {f.FoundAt}")}; minimising");
                campaign.FindingMinimized += f => error.WriteLine(
                    $"MINIMISED {f.Signature}: {f.Original.Ops.Length} -> {f.Minimized.Ops.Length} ops{(f.StoredAt is null ? "" : $": {f.StoredAt}")}");
                result = display.Run(campaign, signals.Token);
            }
            Summarize(result, options, output);
            if (result.HarnessErrors.Count > 0)
            {
                error.WriteLine($"p2mfuzz: {result.HarnessErrors.Count} worker(s) stopped on a harness bug (above); corpus and findings written so far are kept");
                return P2MFuzzCommandLine.Usage;
            }
            // A failing signature already in the crash store is a bug still there: it fails the run too.
            if (result.HitFailures) return P2MFuzzCommandLine.Failure;
            return result.Interrupted ? P2MFuzzCommandLine.Interrupted : P2MFuzzCommandLine.Pass;
        }
        catch (Implementations.ImplementationException e)
        {
            error.WriteLine($"p2mfuzz: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }
    }

    private static void Summarize(CampaignResult result, CampaignOptions options, TextWriter output)
    {
        CampaignStatus s = result.Final;
        output.WriteLine($"== {(result.Interrupted ? "interrupted" : "done")}: {s.Execs} execs in {s.Seconds:0.0} s ({s.ExecsPerSecond:0} exec/s, {s.StepsPerSecond:0} steps/s), " +
                         $"{s.Features} features, corpus {s.CorpusSize}, {result.Findings.Count} new finding(s), {result.KnownFindings.Count} known" +
                         (s.Restarts > 0 ? $", {s.Restarts} worker restart(s)" : ""));
        foreach (Finding f in result.Findings)
            output.WriteLine($"   NEW   {f.Signature}: {(f.IsMinimized ? $"minimised {f.Original.Ops.Length} -> {f.Minimized.Ops.Length} ops" : $"{f.Original.Ops.Length} ops, not minimised")} -> {f.StoredAt ?? "(not stored)"}");
        foreach (Finding known in result.KnownFindings)
            output.WriteLine($"   KNOWN {known.Signature}: hit again, already in {options.CrashesDirectory} (not fixed yet)");
        if (options.CorpusDirectory is not null) output.WriteLine($"   corpus:  {options.CorpusDirectory}");
        if (options.CrashesDirectory is not null) output.WriteLine($"   crashes: {options.CrashesDirectory}");
        if (options.StatsFile is not null) output.WriteLine($"   stats:   {options.StatsFile} (p2mfuzz report {options.StatsFile})");
    }
}
