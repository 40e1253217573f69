using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// One committed script as the gate replayed it: its verdict, or why it could not run at all.
/// </summary>
/// <param name="Path">The script's path as found under the corpus or crashes directory.</param>
/// <param name="Verdict">The differential run's verdict; null when the script could not be read or parsed.</param>
/// <param name="Problem">Why the script did not run (e.g. <c>path:line: message</c> of a parse error); null when it ran.</param>
/// <param name="ProblemLine">The script line the problem is on, 0 when there is none.</param>
/// <param name="Seconds">Wall-clock time of the replay.</param>
public sealed record ScriptOutcome(string Path, Verdict? Verdict, string? Problem, int ProblemLine, double Seconds)
{
    /// <summary>True when the script ran and every step and expectation agreed.</summary>
    public bool Passed => Verdict is { IsPass: true };
}
