using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// Where every report places one failure, so SARIF's location and JUnit's <c>file</c>/<c>line</c> agree: a script
/// that did not parse, or whose <c>expect</c> line failed, at that script line; a divergence at the engine statement
/// that made the divergent write (<see cref="EngineWriteSite"/>); otherwise where <see cref="DivergenceSite"/> blames
/// it (an exception's engine frame, an invariant's check, the operation's handler); failing all those, the reproducer.
/// </summary>
/// <param name="Uri">Relative to the repository root with <c>/</c> separators when <paramref name="InRoot"/>; otherwise an absolute <c>file:</c> URI.</param>
/// <param name="InRoot">True when <paramref name="Uri"/> is relative to the repository root.</param>
/// <param name="Line">1-based line; 0 when unknown.</param>
/// <param name="Method">The engine method, when the location is in the engine.</param>
public sealed record FailureLocation(string Uri, bool InRoot, int Line, string? Method)
{
    /// <summary>The location of <paramref name="failure"/>, found with the gate's <paramref name="implementation"/> and <paramref name="sources"/>.</summary>
    public static FailureLocation Of(GateFailure failure, ImplementationSpec implementation, EngineSourceIndex sources)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentNullException.ThrowIfNull(sources);
        bool inScript = failure.Verdict is null or { Kind: VerdictKind.ExpectationFailed };
        if (inScript && failure.ReproPath is { } script)
            return File(script, failure.ReproLine, sources.Root);
        if (failure.Verdict is { } verdict &&
            (EngineWriteSite.Locate(failure, implementation) ?? DivergenceSite.Locate(verdict, sources)) is { } site)
            return new FailureLocation(site.Uri, true, site.Line, site.Method.Length == 0 ? null : site.Method);
        if (failure.ReproPath is { } repro)
            return File(repro, failure.ReproLine, sources.Root);
        // Code scanning wants a location on every result: the engine as a whole.
        return new FailureLocation($"{SourceRoot.EngineFolder}/EngineP2M.cs", true, 0, null);
    }

    /// <summary>The file's path as JUnit's <c>file</c> attribute takes it: relative to the root, or the full path outside it.</summary>
    public string FilePath => InRoot ? Uri : new Uri(Uri).LocalPath;

    private static FailureLocation File(string path, int line, SourceRoot root) =>
        root.Relative(path) is { } relative
            ? new FailureLocation(relative, true, line, null)
            : new FailureLocation(new Uri(Path.GetFullPath(path)).AbsoluteUri, false, line, null);
}
