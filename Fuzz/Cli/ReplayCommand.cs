using System.CommandLine;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz replay FILE|DIR...</c>: runs <c>.p2m</c> scripts and <c>.bin</c> binary inputs through the implementation under test (left) and
/// the oracle (right) step by step, in a supervised worker process unless <c>--in-process</c>. The work is
/// <see cref="ScriptReplay"/>; this is only the command line around it.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>The <c>replay</c> command, reporting to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Input files (.bin: binary; anything else: a script), or directories searched recursively for *.p2m and *.bin (sorted by path).",
            Arity = ArgumentArity.OneOrMore,
        };
        var limits = new InputLimitOptions();
        var command = new Command("replay",
            "Run .p2m scripts and .bin inputs (the raw bytes kept beside each finding) through the engine and the oracle step by step. " +
            "Exit 0 when all pass, 1 when any diverges, fails an expectation or throws, 2 on usage or parse errors or when nothing was found to replay.");
        command.Arguments.Add(paths);
        var supervision = new SupervisionFlags();
        supervision.AddTo(command);
        limits.AddTo(command);
        command.SetAction(parse =>
        {
            InputLimits inputLimits = limits.From(parse);
            IInputRunner runner;
            try
            {
                runner = supervision.CreateRunner(parse, inputLimits);
            }
            catch (ImplementationException e)
            {
                error.WriteLine($"p2mfuzz: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
            return Run(parse.GetValue(paths) ?? [], runner, output, error, inputLimits);
        });
        return command;
    }

    /// <summary>Replays <paramref name="paths"/> with <paramref name="runner"/> (disposed after), each script within <paramref name="limits"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, IInputRunner runner, TextWriter output, TextWriter error, InputLimits limits)
    {
        try
        {
            return new ScriptReplay(runner, output, error, limits).Run(paths).ExitCode;
        }
        catch (ImplementationException e)
        {
            // A plugin that dies while it loads in the worker process.
            error.WriteLine($"p2mfuzz: {e.Message}");
            return P2MFuzzCommandLine.Usage;
        }
        finally
        {
            (runner as IDisposable)?.Dispose();
        }
    }
}
