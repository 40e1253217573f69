using System.CommandLine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Corpus;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Implementations.Native;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz merge OUT IN... [--impl SPEC]...</c>: keeps in OUT a small set of inputs covering every feature of OUT
/// and the INs, as the implementations under test cover them (the union of theirs, with several). It runs them in
/// this process: an AddressSanitizer build makes it start itself again with the runtime preloaded.
/// </summary>
internal static class MergeCommand
{
    /// <summary>The <c>merge</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Argument<string>("out") { Description = "Corpus directory to merge into (created if missing)." };
        var inDirs = new Argument<string[]>("in") { Description = "Directories of inputs (binary entries and .p2m scripts).", Arity = ArgumentArity.OneOrMore };
        var limits = new InputLimitOptions();
        Option<string[]> impl = ImplementationOption.Create();
        var command = new Command("merge", "Merge corpora, keeping only inputs that add coverage (libFuzzer's -merge=1) of the implementations under test. " +
            "Exit 0, or 2 on usage errors or a directory that cannot be read or written.");
        command.Arguments.Add(outDir);
        command.Arguments.Add(inDirs);
        limits.AddTo(command);
        command.Options.Add(impl);
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(inDirs) ?? [];
            string target = parse.GetValue(outDir)!;
            if (!inputs.All(d => CommandPaths.InputDirectory("merge IN", d, error)) || !CommandPaths.OutputDirectory("merge OUT", target, error))
                return P2MFuzzCommandLine.Usage;
            CoverageRunner runner;
            try
            {
                ImplementationSpec implementations = ImplementationSpec.Parse(parse.GetValue(impl));
                SanitizerPreload.Ensure(implementations, error);
                runner = new CoverageRunner(implementations, null, CoverageMode.Semantic);
            }
            catch (ImplementationException e)
            {
                error.WriteLine($"p2mfuzz: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            MergeResult result = CorpusMerge.Run(target, inputs, error, runner, limits.From(parse));
            output.WriteLine($"merge: {result.Candidates} candidates, {result.AlreadyInOutput} already in output, " +
                             $"{result.Added} added, {result.Failing} failing left out, {result.Features} features covered");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
