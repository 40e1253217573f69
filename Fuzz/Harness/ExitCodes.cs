namespace P2M.Fuzz;

/// <summary>The exit codes of every <c>p2mfuzz</c> command, defined once: the command line and the gate's result both use them.</summary>
public static class ExitCodes
{
    /// <summary>Everything passed, nothing was found.</summary>
    public const int Pass = 0;

    /// <summary>A script diverged, failed an expectation, threw, broke an invariant, hung, crashed or ran out of memory; or a campaign hit a failing signature.</summary>
    public const int Failure = 1;

    /// <summary>A bad command line, a path that does not exist or cannot be written, an input over a limit, a script that does not parse, a broken plugin.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by SIGINT, SIGTERM or SIGHUP before the budget was spent, with nothing found (128 + SIGINT, as shells report Ctrl-C).</summary>
    public const int Interrupted = 130;
}
