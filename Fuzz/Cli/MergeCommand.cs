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
        var limits = new InputLimitOptions();
        var command = new Command("merge", "Merge corpora, keeping only inputs that add coverage (libFuzzer's -merge=1). " +
            "Exit 0, or 2 on usage errors or a directory that cannot be read or written.");
        command.Arguments.Add(outDir);
        command.Arguments.Add(inDirs);
        limits.AddTo(command);
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(inDirs) ?? [];
            string target = parse.GetValue(outDir)!;
            if (!inputs.All(d => CommandPaths.InputDirectory("merge IN", d, error)) || !CommandPaths.OutputDirectory("merge OUT", target, error))
                return P2MFuzzCommandLine.Usage;
            MergeResult result = CorpusMerge.Run(target, inputs, error, limits: limits.From(parse));
            output.WriteLine($"merge: {result.Candidates} candidates, {result.AlreadyInOutput} already in output, " +
                             $"{result.Added} added, {result.Failing} failing left out, {result.Features} features covered");
            return P2MFuzzCommandLine.Pass;
        });
        return command;
    }
}
