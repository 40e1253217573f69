namespace P2M.Fuzz.Running;

/// <summary>How a differential run ended.</summary>
public enum VerdictKind
{
    /// <summary>Every step and every expectation agreed.</summary>
    Pass,
    /// <summary>The two implementations disagreed on a result, a frame, a reference or a grant.</summary>
    Divergence,
    /// <summary>An <c>expect…</c> line of the script did not hold on one side.</summary>
    ExpectationFailed,
    /// <summary>One side threw instead of answering.</summary>
    Exception,
    /// <summary>A side's own structure is broken: its type storage disagrees with the model, or its audit failed.</summary>
    Invariant,
    /// <summary>The process running the step died: a stack overflow, an abort, a signal, an unhandled exception on any thread.</summary>
    Crash,
    /// <summary>The step did not finish within the time limit (<c>--timeout</c>): a hang, as far as a fuzzer can tell.</summary>
    Timeout,
    /// <summary>The process running the step went over the memory limit (<c>--rss-limit-mb</c>), or ran out of memory.</summary>
    Oom,
}
