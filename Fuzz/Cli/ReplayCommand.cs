using System.CommandLine;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Oracle;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz replay FILE|DIR...</c>: runs <c>.p2m</c> scripts through the engine (left) and the oracle
/// (right) step by step. The work is <see cref="ScriptReplay"/>; this is only the command line around it.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>The <c>replay</c> command, reporting to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Script files, or directories searched recursively for *.p2m (sorted by path).",
            Arity = ArgumentArity.OneOrMore,
        };
        var limits = new InputLimitOptions();
        var command = new Command("replay",
            "Run .p2m scripts through the engine and the oracle step by step. " +
            "Exit 0 when all pass, 1 when any diverges, fails an expectation or throws, 2 on usage or parse errors.");
        command.Arguments.Add(paths);
        limits.AddTo(command);
        command.SetAction(parse => Run(parse.GetValue(paths) ?? [], output, error, limits.From(parse)));
        return command;
    }

    /// <summary>Replays <paramref name="paths"/> engine against oracle, each script within <paramref name="limits"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error, InputLimits limits)
    {
        var runner = new DifferentialRunner(CreateEngine, CreateOracle);
        return new ScriptReplay(runner, output, error, limits).Run(paths).ExitCode;
    }

    private static IP2M CreateEngine(P2MConfig config) => new EngineP2M(config);

    private static IP2M CreateOracle(P2MConfig config) => new OracleP2M(config);
}
