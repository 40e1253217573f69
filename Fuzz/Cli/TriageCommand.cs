using System.CommandLine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Engines;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz triage FILE... [--out DIR]</c>: runs raw inputs an external fuzzer saved (libFuzzer's
/// <c>crash-*</c>, AFL++'s <c>crashes/id:*</c>), decoded as fuzz bytes, engine against oracle; for each
/// that fails it prints the signature and, for the first input of each signature, writes the minimised
/// <c>.p2m</c> (same signature, with its header) beside the file or in <c>--out</c>: a fuzzer saves many
/// inputs of one bug (AFL++ one per new path), and one repro per bug is what a person reads.
/// </summary>
internal static class TriageCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("files") { Description = "Raw inputs (any name), or directories of them.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { Description = "Write the .p2m repros here instead of beside each input." };
        var target = new ExternalTargetOptions(CoverageMode.Semantic);
        var command = new Command("triage",
            "Run raw fuzzer artifacts (libFuzzer crash-*, AFL++ crashes/id:*) engine against oracle and write each failing one's minimised " +
            ".p2m beside it (or in --out). Exit 0 when all pass, 1 when any fails, 2 on usage errors or unreadable files.");
        command.Arguments.Add(files);
        command.Options.Add(outDir);
        target.AddTo(command);
        command.SetAction(parse =>
        {
            ExternalTarget? resolved = target.Resolve(parse, error, out _);
            return resolved is null ? P2MFuzzCommandLine.Usage : Run(resolved, parse.GetValue(files)!, parse.GetValue(outDir), output, error);
        });
        return command;
    }

    private static int Run(ExternalTarget target, string[] paths, string? outDir, TextWriter output, TextWriter error)
    {
        int failed = 0, passed = 0, unreadable = 0;
        var reproOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Expand(paths, error, ref unreadable))
        {
            byte[] data;
            try
            {
                data = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"{file}: {e.Message}");
                unreadable++;
                continue;
            }
            Verdict verdict = target.Run(data, out var input);
            if (verdict.IsPass)
            {
                output.WriteLine($"pass  {file}");
                passed++;
                continue;
            }
            failed++;
            if (reproOf.TryGetValue(verdict.Signature, out string? known))
            {
                output.WriteLine($"FAIL  {file}: {verdict.Signature}, as {known}");
                continue;
            }
            string repro = outDir is null ? file + ".p2m" : Path.Combine(outDir, Path.GetFileName(file) + ".p2m");
            var minimized = target.WriteRepro(repro, input, verdict, source: file);
            reproOf.Add(verdict.Signature, repro);
            output.WriteLine($"FAIL  {file}: {verdict.Signature}, {minimized.Summary} -> {repro}");
        }
        output.WriteLine($"{passed + failed} inputs: {passed} passed, {failed} failed ({reproOf.Count} signatures){(unreadable > 0 ? $", {unreadable} unreadable" : "")}");
        if (unreadable > 0 || passed + failed == 0) return P2MFuzzCommandLine.Usage;
        return failed > 0 ? P2MFuzzCommandLine.Failure : P2MFuzzCommandLine.Pass;
    }

    /// <summary>Files as given, directories as their files (not recursive, sorted, repros and dot-files skipped).</summary>
    private static IEnumerable<string> Expand(string[] paths, TextWriter error, ref int missing)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.GetFiles(path)
                    .Where(f => !f.EndsWith(".p2m", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "README.txt")
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(path))
                files.Add(path);
            else
            {
                error.WriteLine($"{path}: no such file or directory");
                missing++;
            }
        }
        return files;
    }
}
