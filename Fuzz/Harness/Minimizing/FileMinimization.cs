using System.Diagnostics.CodeAnalysis;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// The work behind <c>p2mfuzz minimize</c>, kept here so tests can drive it in-process with any pair of
/// implementations: read one input, run it, and if it fails, minimise it keeping its signature and print
/// the minimised script with a <see cref="CrashHeader"/> (to the output, or atomically to a file), then a
/// one-line summary on the error writer.
/// </summary>
/// <remarks>
/// A <c>.p2m</c> script runs as <c>replay</c> runs it, expectations checked, so both agree on whether it fails;
/// it is minimised by <see cref="ScriptMinimization"/>, which keeps a failed expectation and drops the others
/// (with a note). A file ending in <c>.bin</c> is a binary input (<see cref="OpCodec"/>).
/// </remarks>
public sealed class FileMinimization
{
    private readonly IInputRunner _runner;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly int _maxAttempts;
    private readonly InputLimits _limits;

    /// <summary>Minimises with <paramref name="runner"/> (implementation under test left, model right).</summary>
    /// <param name="runner">Runs the input and every candidate.</param>
    /// <param name="output">Gets the minimised script (unless written to a file) or the pass message.</param>
    /// <param name="error">Gets notes, problems with the input, and the summary line.</param>
    /// <param name="maxAttempts">The minimiser's attempt budget.</param>
    /// <param name="limits">What the input may cost to read; the defaults when null.</param>
    public FileMinimization(IInputRunner runner, TextWriter output, TextWriter error, int maxAttempts = Minimizer.DefaultMaxAttempts,
        InputLimits? limits = null)
    {
        _limits = limits ?? InputLimits.Default;
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _error = error ?? throw new ArgumentNullException(nameof(error));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _maxAttempts = maxAttempts;
    }

    /// <summary>
    /// Runs the input at <paramref name="path"/> and minimises it if it fails. Returns the exit code:
    /// 0 when it passes, 1 when it fails (the minimised script was printed or written to
    /// <paramref name="outPath"/>), 2 when it cannot be read or parsed or the output cannot be written.
    /// </summary>
    public int Run(string path, string? outPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TryLoad(path, out Script? script))
            return 2;

        Verdict verdict = _runner.Run(script);
        int ops = script.Ops.Count();
        if (verdict.IsPass)
        {
            _output.WriteLine($"pass  {path} ({ops} ops): engine and oracle agree, nothing to minimise");
            return 0;
        }

        // The verdict is known: running a hang again would cost a whole timeout.
        ScriptMinimizeResult minimized = ScriptMinimization.Minimize(script, verdict, _runner, _maxAttempts);
        int dropped = script.Lines.Count(line => line is not OpLine) - (minimized.Expectation is null ? 0 : 1);
        if (dropped > 0)
            _error.WriteLine($"note: {path}: {dropped} expectation line(s) dropped; the failure does not depend on them");
        IReadOnlyList<string> header = CrashHeader.Lines(verdict, minimized.Result, source: path);
        string text = ScriptPrinter.Print(minimized.ToScript(outPath ?? path, header));
        if (outPath is null)
        {
            _output.Write(text);
        }
        else
        {
            try
            {
                AtomicFile.WriteAllText(outPath, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _error.WriteLine($"{outPath}: not written: {e.Message}");
                return 2;
            }
        }
        _error.WriteLine(minimized.Result.Summary);
        PrintPasses(minimized.Result);
        return 1;
    }

    /// <summary>libFuzzer-style per-strategy statistics: one line per reduction pass.</summary>
    private void PrintPasses(MinimizeResult result)
    {
        if (result.Passes.Count == 0) return;
        _error.WriteLine("  pass                      tries  kept  ops removed");
        foreach (PassStat pass in result.Passes)
            _error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {pass.Name,-24} {pass.Tries,6} {pass.Successes,5} {pass.OpsRemoved,12}"));
    }

    /// <summary>A script, or for <c>.bin</c> a binary input as a script of bare operations; problems go to the error writer.</summary>
    private bool TryLoad(string path, [NotNullWhen(true)] out Script? script)
    {
        script = null;
        try
        {
            script = ReplayInput.Load(path, _limits);
            return true;
        }
        catch (ScriptParseException e)
        {
            _error.WriteLine(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // FileNotFoundException and DirectoryNotFoundException are IOExceptions too.
            _error.WriteLine($"{path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }
        return false;
    }
}
