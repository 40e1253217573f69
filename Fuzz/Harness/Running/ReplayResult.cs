namespace P2M.Fuzz.Running;

/// <summary>What a replay of <c>.p2m</c> files came to, and the exit code it stands for.</summary>
/// <param name="Scripts">Scripts found (parsed or not).</param>
/// <param name="Passed">Scripts that ran and passed.</param>
/// <param name="Failed">Scripts that ran and failed: a divergence, a failed expectation, an exception or an invariant.</param>
/// <param name="Unreadable">Scripts that could not be read or parsed; nothing of them ran.</param>
/// <param name="MissingPaths">Arguments naming neither a file nor a directory.</param>
public sealed record ReplayResult(int Scripts, int Passed, int Failed, int Unreadable, int MissingPaths)
{
    /// <summary>
    /// Exit code: 0 when every script passed, 1 when any failed, 2 when an argument or a script was unusable (this
    /// wins), or when nothing was found to replay: a mistyped folder must not pass.
    /// </summary>
    public int ExitCode => Unreadable > 0 || MissingPaths > 0 || Scripts == 0 ? 2 : Failed > 0 ? 1 : 0;

    /// <summary>The closing line, e.g. <c>3 scripts: 2 passed, 1 failed</c>, naming unreadable scripts when there are any.</summary>
    public string Summary => Scripts == 0 ? "0 scripts: no .p2m or .bin input found, nothing replayed" :
        $"{Scripts} scripts: {Passed} passed, {Failed + Unreadable} failed" +
        (Unreadable > 0 ? $" ({Unreadable} could not be parsed)" : "");
}
