using System.CommandLine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz seeds DIR... --out DIR</c>: the seed corpus of a byte-level fuzzer (libFuzzer, AFL++,
/// ClusterFuzzLite's <c>p2m_fuzzer_seed_corpus.zip</c>) from <c>.p2m</c> scripts: each script's operations
/// in the binary form, as <c>p2mfuzz encode</c> writes them. A script holding a value the binary form cannot
/// express is reported and skipped, never clamped.
/// </summary>
internal static class SeedsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dirs = new Argument<string[]>("dirs") { Description = "Directories of .p2m scripts (searched recursively), e.g. corpus.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Where the binary seeds go (created).", Required = true };
        var command = new Command("seeds",
            "Encode every .p2m script under DIRS as a binary seed input in --out (named after the script). Scripts the binary form " +
            "cannot express are listed and skipped. Exit 0 when at least one seed was written, 2 otherwise or on unreadable files.");
        command.Arguments.Add(dirs);
        command.Options.Add(outDir);
        command.SetAction(parse => Run(parse.GetValue(dirs)!, parse.GetValue(outDir)!, output, error));
        return command;
    }

    private static int Run(string[] dirs, string outDir, TextWriter output, TextWriter error)
    {
        int written = 0, skipped = 0, broken = 0;
        Directory.CreateDirectory(outDir);
        foreach (string dir in dirs)
        {
            if (!Directory.Exists(dir))
            {
                error.WriteLine($"{dir}: no such directory");
                broken++;
                continue;
            }
            foreach (string script in Directory.GetFiles(dir, "*.p2m", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                byte[] bytes;
                try
                {
                    bytes = OpCodec.Encode(FuzzInput.FromScript(ScriptParser.ParseFile(script)));
                }
                catch (ArgumentException e)
                {
                    error.WriteLine($"skipped {script}: {e.Message}");
                    skipped++;
                    continue;
                }
                catch (Exception e) when (e is ScriptParseException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"{script}: {e.Message}");
                    broken++;
                    continue;
                }
                File.WriteAllBytes(Path.Combine(outDir, Path.GetFileNameWithoutExtension(script)), bytes);
                written++;
            }
        }
        output.WriteLine($"{written} seeds written to {outDir}, {skipped} scripts not expressible in the binary form (skipped)" +
                         (broken > 0 ? $", {broken} unreadable" : ""));
        return written > 0 && broken == 0 ? P2MFuzzCommandLine.Pass : P2MFuzzCommandLine.Usage;
    }
}
