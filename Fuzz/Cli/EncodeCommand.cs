using System.CommandLine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz encode SCRIPT OUT</c>: writes a <c>.p2m</c> script's operations in the binary form, so a
/// corpus for byte-level fuzzers can be seeded from hand-written scripts. Expectations and header
/// comments have no binary form and are dropped; values the codec cannot express are an error, never clamped.
/// </summary>
internal static class EncodeCommand
{
    /// <summary>The <c>encode</c> command, reporting to <paramref name="output"/> and problems to <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var script = new Argument<string>("script") { Description = "The .p2m script to encode." };
        var outPath = new Argument<string>("out") { Description = "Where to write the binary input (overwritten)." };
        var limits = new InputLimitOptions();
        var command = new Command("encode",
            "Write a .p2m script's operations as a binary fuzz input (expectations are dropped). " +
            "Exit 0, or 2 if the script cannot be read or parsed, or holds a value the binary form cannot express.");
        command.Arguments.Add(script);
        command.Arguments.Add(outPath);
        limits.AddTo(command);
        command.SetAction(parse => Run(parse.GetValue(script)!, parse.GetValue(outPath)!, limits.From(parse), output, error));
        return command;
    }

    /// <summary>Encodes <paramref name="scriptPath"/> (read within <paramref name="limits"/>) into <paramref name="outPath"/>; returns the exit code.</summary>
    public static int Run(string scriptPath, string outPath, InputLimits limits, TextWriter output, TextWriter error)
    {
        if (CommandPaths.SamePath(scriptPath, outPath))
        {
            error.WriteLine($"encode: OUT is the script itself ({outPath}): it would be overwritten");
            return P2MFuzzCommandLine.Usage;
        }
        if (!CommandPaths.OutputFile("encode OUT", outPath, error))
            return P2MFuzzCommandLine.Usage;
        Script script;
        byte[] bytes;
        try
        {
            script = ScriptParser.ParseFile(scriptPath, limits);
            bytes = OpCodec.Encode(FuzzInput.FromScript(script));
        }
        catch (ScriptParseException e)
        {
            error.WriteLine(e.Message);
            return P2MFuzzCommandLine.Usage;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"{scriptPath}: cannot encode: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{scriptPath}: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }

        int expectations = script.Lines.Count(line => line is not OpLine);
        if (expectations > 0)
            error.WriteLine($"{scriptPath}: {expectations} expectation{(expectations == 1 ? "" : "s")} dropped (the binary form holds operations only)");

        try
        {
            File.WriteAllBytes(outPath, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{outPath}: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }
        output.WriteLine($"wrote {outPath}: {bytes.Length} bytes, {script.Ops.Count()} operations ({script.Geometry.Name})");
        return P2MFuzzCommandLine.Pass;
    }
}
