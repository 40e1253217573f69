using System.CommandLine;
using P2M.Fuzz.Corpus;

namespace P2M.Fuzz.Cli;

/// <summary><c>p2mfuzz merge OUT IN...</c>: keeps in OUT a small set of inputs covering every feature of OUT and the INs.</summary>
internal static class MergeCommand
{
    /// <summary>The <c>merge</c> command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Argument<string>("out") { Description = "Corpus directory to merge into (created if missing)." };
        var inDirs = new Argument<string[]>("in") { Description = "Directories of inputs (binary entries and .p2m scripts).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Merge corpora, keeping only inputs that add coverage (libFuzzer's -merge=1).");
        command.Arguments.Add(outDir);
        command.Arguments.Add(inDirs);
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(inDirs) ?? [];
            foreach (string missing in inputs.Where(d => !Directory.Exists(d)))
            {
                error.WriteLine($"merge: no such directory: {missing}");
                return P2MFuzzCommandLine.Usage;
            }
            MergeResult result = CorpusMerge.Run(parse.GetValue(outDir)!, inputs, error);
            output.WriteLine($"merge: {result.Candidates} candidates, {result.AlreadyInOutput} already in output, " +
                             $"{result.Added} added, {result.Failing} failing left out, {result.Features} features covered");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
