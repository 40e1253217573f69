using System.CommandLine;
using System.Runtime.InteropServices;
using P2M.Contract;
using P2M.Fuzz.Campaigns;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz fuzz</c>: a coverage-guided differential campaign, engine against oracle, with
/// libFuzzer's flags in spirit. A live status line on a terminal, a plain one every few seconds
/// otherwise; Ctrl-C stops cleanly, keeping every corpus entry and finding already written.
/// </summary>
internal static class FuzzCommand
{
    /// <summary>The <c>fuzz</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var budget = new CampaignBudget("Stop after this many seconds (60 when no --runs).",
            "Stop after this many executions (split over the jobs; deterministic).", defaultSeed: 1);
        var limits = new InputLimitOptions();
        var geometry = new Option<string>("--geometry") { Description = "mini, real or both.", DefaultValueFactory = _ => "both" };
        geometry.AcceptOnlyFromAmong("mini", "real", "both");
        var corpus = new Option<string?>("--corpus") { Description = "Corpus directory: read at start, new coverage written to it." };
        var seeds = new Option<string[]>("--seed-corpus") { Description = "Directories read at start only (e.g. the committed corpus/).", AllowMultipleArgumentsPerToken = true };
        var crashes = new Option<string?>("--crashes") { Description = "Where minimised findings go.", DefaultValueFactory = _ => "crashes" };
        var maxOps = OptionValues.Whole("--max-ops", $"Most operations in one generated input (1 to {Codec.CodecLimits.DefaultMaxOps}, what the binary form holds).",
            1, Codec.CodecLimits.DefaultMaxOps, 64);
        var stats = new Option<string?>("--stats") { Description = "JSON-lines stats file for 'p2mfuzz report'." };
        var command = new Command("fuzz", "Run a coverage-guided differential campaign, engine against oracle. Exit 0 when nothing was found, 1 when something was, 2 on usage errors.");
        budget.AddTo(command);
        limits.AddTo(command);
        foreach (Option option in new Option[] { geometry, corpus, seeds, crashes, maxOps, stats }) command.Options.Add(option);
        command.SetAction(parse =>
        {
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
            };
            if (options.TimeSeconds is null && options.Runs is null)
                options = options with { TimeSeconds = 60 };
            if (!CheckPaths(options, error))
                return P2MFuzzCommandLine.Usage;
            return Run(options, output, error);
        });
        return command;
    }

    /// <summary>The campaign's directories and files, checked before it starts (see <see cref="CommandPaths"/>).</summary>
    private static bool CheckPaths(CampaignOptions options, TextWriter error)
    {
        foreach (string seed in options.SeedDirectories)
        {
            if (!CommandPaths.InputDirectory("fuzz --seed-corpus", seed, error))
                return false;
        }
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
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl-C: stop cleanly (workers finish their execution, files are already written).
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (a CI timeout, `kill`) stops as cleanly as Ctrl-C.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });
        try
        {
            var campaign = new Campaign(options) { Warnings = error };
            campaign.NewFinding += f => error.WriteLine($"NEW FINDING {f.Signature}: {f.Original.Ops.Length} -> {f.Minimized.Ops.Length} ops{(f.StoredAt is null ? "" : $", stored as {f.StoredAt}")}");
            error.WriteLine($"== fuzzing {string.Join("+", options.Geometries)}, seed {options.Seed}, {options.Jobs} job(s), " +
                            (options.Runs is long r ? $"{r} runs" : $"{options.TimeSeconds:0} s") +
                            $"; corpus {options.CorpusDirectory ?? "(memory)"}, crashes {options.CrashesDirectory ?? "(memory)"}");
            CampaignResult result = StatusDisplay.Run(campaign, interrupt.Token, error);
            Summarize(result, options, output);
            if (result.HarnessErrors.Count > 0)
            {
                error.WriteLine($"p2mfuzz: {result.HarnessErrors.Count} worker(s) stopped on a harness bug (above); corpus and findings written so far are kept");
                return P2MFuzzCommandLine.Usage;
            }
            return result.Findings.Count > 0 ? P2MFuzzCommandLine.Failure : P2MFuzzCommandLine.Pass;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void Summarize(CampaignResult result, CampaignOptions options, TextWriter output)
    {
        CampaignStatus s = result.Final;
        output.WriteLine($"== {(result.Interrupted ? "interrupted" : "done")}: {s.Execs} execs in {s.Seconds:0.0} s ({s.ExecsPerSecond:0} exec/s, {s.StepsPerSecond:0} steps/s), " +
                         $"{s.Features} features, corpus {s.CorpusSize}, {result.Findings.Count} unique finding(s)");
        foreach (Finding f in result.Findings)
            output.WriteLine($"   {f.Signature}: minimised {f.Original.Ops.Length} -> {f.Minimized.Ops.Length} ops -> {f.StoredAt ?? "(not stored)"}");
        foreach (string known in result.KnownSignatures)
            output.WriteLine($"   {known}: hit again, already in {options.CrashesDirectory} (not fixed yet)");
        if (options.CorpusDirectory is not null) output.WriteLine($"   corpus:  {options.CorpusDirectory}");
        if (options.CrashesDirectory is not null) output.WriteLine($"   crashes: {options.CrashesDirectory}");
        if (options.StatsFile is not null) output.WriteLine($"   stats:   {options.StatsFile} (p2mfuzz report {options.StatsFile})");
    }
}
