using P2M.Fuzz.Inputs;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// Replays <c>.p2m</c> scripts and <c>.bin</c> binary inputs (<see cref="ReplayInput"/>) through an <see cref="IInputRunner"/> (in-process or supervised): the work behind
/// <c>p2mfuzz replay</c>, kept here so tests can drive it in-process. Prints one line per script,
/// the verdict report of each failure, parse errors as <c>path:line: message</c>, and a summary.
/// </summary>
public sealed class ScriptReplay
{
    private readonly IInputRunner _runner;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly InputLimits _limits;

    /// <summary>
    /// Replays with <paramref name="runner"/>, reporting to <paramref name="output"/> and problems with
    /// inputs to <paramref name="error"/>; each script read within <paramref name="limits"/> (the defaults when null).
    /// </summary>
    public ScriptReplay(IInputRunner runner, TextWriter output, TextWriter error, InputLimits? limits = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _error = error ?? throw new ArgumentNullException(nameof(error));
        _limits = limits ?? InputLimits.Default;
    }

    /// <summary>
    /// Every file named, and every <c>*.p2m</c> and <c>*.bin</c> under every directory named (recursively, sorted by path
    /// so runs are deterministic; links to directories inside are reported and not followed), in argument
    /// order. A path that does not exist is reported and counted.
    /// </summary>
    public static IReadOnlyList<string> FindScripts(IEnumerable<string> paths, TextWriter error, out int missing)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var scripts = new List<string>();
        missing = 0;
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                scripts.Add(path);
            }
            else if (Directory.Exists(path))
            {
                scripts.AddRange(InputDirectory.Files(path, ReplayInput.IsReplayable, error));
            }
            else
            {
                error.WriteLine($"{path}: no such file or directory");
                missing++;
            }
        }
        return scripts;
    }

    /// <summary>Finds, parses and runs the scripts under <paramref name="paths"/>; prints as it goes, then the summary.</summary>
    public ReplayResult Run(IEnumerable<string> paths)
    {
        IReadOnlyList<string> scripts = FindScripts(paths, _error, out int missing);
        int passed = 0, failed = 0, unreadable = 0;
        foreach (string path in scripts)
        {
            Script script;
            try
            {
                script = ReplayInput.Load(path, _limits);
            }
            catch (ScriptParseException e)
            {
                // The message already reads path:line: what was expected.
                _error.WriteLine(e.Message);
                _output.WriteLine($"FAIL  {path}: not parsed");
                unreadable++;
                continue;
            }
            catch (IOException e)
            {
                _error.WriteLine($"{path}: {e.Message}");
                _output.WriteLine($"FAIL  {path}: not read");
                unreadable++;
                continue;
            }
            catch (UnauthorizedAccessException e)
            {
                _error.WriteLine($"{path}: {e.Message}");
                _output.WriteLine($"FAIL  {path}: not read");
                unreadable++;
                continue;
            }

            Verdict verdict = _runner.Run(script);
            if (verdict.IsPass)
            {
                _output.WriteLine($"pass  {path} ({verdict.Step} steps)");
                passed++;
            }
            else
            {
                _output.WriteLine($"FAIL  {path}: {verdict.Signature}");
                _output.WriteLine(Indent(verdict.ToString()));
                failed++;
            }
        }

        var result = new ReplayResult(scripts.Count, passed, failed, unreadable, missing);
        _output.WriteLine(result.Summary);
        return result;
    }

    private static string Indent(string report) => "    " + report.Replace("\n", "\n    ", StringComparison.Ordinal);
}
