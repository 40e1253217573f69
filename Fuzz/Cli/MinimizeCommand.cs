using System.CommandLine;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz minimize FILE [--out FILE] [--max-attempts N]</c>: runs one input, engine (left) against
/// oracle (right), and if it fails prints it minimised, same signature, with a crash header. The work is
/// <see cref="FileMinimization"/>; this is only the command line around it.
/// </summary>
internal static class MinimizeCommand
{
    /// <summary>The <c>minimize</c> command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A .p2m script, or a binary input ending in .bin." };
        var outFile = new Option<string?>("--out") { Description = "Write the minimised script to this file instead of standard output." };
        var maxAttempts = OptionValues.Whole("--max-attempts", "Most candidate inputs to run while minimising.",
            1, int.MaxValue, Minimizer.DefaultMaxAttempts);
        var limits = new InputLimitOptions();
        var command = new Command("minimize",
            "Run an input engine against oracle, expect lines checked as replay checks them; if it fails, shrink it to a " +
            "small input failing the same way (same signature; a failed expect line is kept and must fail with the same " +
            "values) and print that script with a header saying what fails (summary on stderr). Exit 0 when the input " +
            "passes, 1 when it fails (a finding), 2 on usage errors or an input that cannot be read.");
        command.Arguments.Add(file);
        command.Options.Add(outFile);
        command.Options.Add(maxAttempts);
        var supervision = new SupervisionFlags();
        supervision.AddTo(command);
        limits.AddTo(command);
        command.SetAction(parse =>
        {
            string? outPath = parse.GetValue(outFile);
            if (!CommandPaths.OutputFile("minimize --out", outPath, error))
                return P2MFuzzCommandLine.Usage;
            InputLimits inputLimits = limits.From(parse);
            try
            {
                IInputRunner runner = supervision.CreateRunner(parse, inputLimits);
                try
                {
                    return new FileMinimization(runner, output, error, parse.GetValue(maxAttempts), inputLimits).Run(parse.GetValue(file)!, outPath);
                }
                finally
                {
                    (runner as IDisposable)?.Dispose();
                }
            }
            catch (ImplementationException e)
            {
                error.WriteLine($"p2mfuzz: {e.Message}");
                return P2MFuzzCommandLine.Usage;
            }
        });
        return command;
    }
}
