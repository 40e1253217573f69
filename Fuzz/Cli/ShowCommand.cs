using System.CommandLine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz show FILE...</c>: prints binary fuzz inputs as <c>.p2m</c> scripts, so a corpus entry or a
/// crashing input can be read, edited and replayed. The decoding is <see cref="OpCodec"/>'s.
/// </summary>
internal static class ShowCommand
{
    /// <summary>The <c>show</c> command, printing to <paramref name="output"/> and problems to <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Binary inputs to print, in order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var limits = new InputLimitOptions();
        var command = new Command("show",
            "Print binary fuzz inputs as .p2m scripts (any bytes decode; trailing bytes that form no whole " +
            "operation are ignored and counted in the header comment). Exit 0, or 2 if a file cannot be read.");
        command.Arguments.Add(files);
        limits.AddFileBytesTo(command);
        command.SetAction(parse => Run(parse.GetValue(files) ?? [], limits.From(parse), output, error));
        return command;
    }

    /// <summary>Prints each file (at most <see cref="InputLimits.MaxFileBytes"/>) as a script, a blank line between them; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> files, InputLimits limits, TextWriter output, TextWriter error)
    {
        int exitCode = P2MFuzzCommandLine.Pass;
        bool first = true;
        foreach (string path in files)
        {
            byte[] bytes;
            try
            {
                bytes = InputFile.ReadAllBytes(path, limits.MaxFileBytes, InputLimits.MaxFileBytesFlag);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"{path}: {e.Message}");
                exitCode = P2MFuzzCommandLine.Usage;
                continue;
            }

            FuzzInput input = OpCodec.Decode(bytes, out int used);
            if (!first) output.WriteLine();
            first = false;
            output.Write(ScriptPrinter.Print(input.ToScript(path, Header(path, bytes.Length, used, input.Ops.Length))));
        }
        return exitCode;
    }

    private static string[] Header(string path, int size, int used, int ops)
    {
        string header = $"decoded from {path} ({size} bytes) by p2mfuzz show: {ops} operation{(ops == 1 ? "" : "s")}";
        return used == size ? [header] : [header, $"{size - used} trailing bytes ignored (no whole operation, or past the operation limit)"];
    }
}
