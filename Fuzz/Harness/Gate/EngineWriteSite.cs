using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The engine statement that made a divergent write: the failure's input is run again on the implementation
/// under test alone, up to the step at fault, and that step's <see cref="EngineP2M.Journal"/> names the statement
/// of the last entry write covering the frame at fault (or, for a field not about one frame, the step's last write).
/// Known only for the engine and engines derived from it (the planted doubles), and only for divergences: a run
/// that diverged ran to its end, so running it again cannot hang. Native implementations are never loaded here.
/// </summary>
public static class EngineWriteSite
{
    /// <summary>The write site of <paramref name="failure"/>, or null when it is not known (see the type's remarks).</summary>
    public static SourceLocation? Locate(GateFailure failure, ImplementationSpec implementation)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(implementation);
        if (failure.Verdict is not { Kind: VerdictKind.Divergence, Step: > 0 } verdict || failure.Input is not { } input
            || verdict.Step > input.Ops.Length || implementation.Text.StartsWith(ImplementationSpec.NativePrefix, StringComparison.Ordinal))
            return null;
        try
        {
            if (implementation.Resolve()(input.Config) is not EngineP2M engine)
                return null;
            IP2M side = engine;
            for (int step = 0; step < verdict.Step; step++)
                side.Apply(input.Ops[step]);
            return Site(engine.Journal.Writes, verdict.Gfn);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A report's location is a convenience: an implementation that cannot be built or run here has none.
            return null;
        }
    }

    /// <summary>The last write covering <paramref name="gfn"/>, or the last write when there is no frame to match.</summary>
    private static SourceLocation? Site(ReadOnlySpan<JournalWrite> writes, Gfn? gfn)
    {
        for (int i = writes.Length - 1; i >= 0; i--)
        {
            JournalWrite write = writes[i];
            bool covers = gfn is not { } frame || (frame.Value >> write.Order) == (write.Gfn.Value >> write.Order);
            if (covers && Relative(write.File) is { } uri)
                return new SourceLocation(uri, write.Line, write.Method);
        }
        return null;
    }

    /// <summary>The compile-time path of an engine file from the engine folder on (build paths differ between machines).</summary>
    private static string? Relative(string file)
    {
        string normalized = "/" + file.Replace('\\', '/');
        int at = normalized.IndexOf("/" + SourceRoot.EngineFolder + "/", StringComparison.Ordinal);
        return at < 0 ? null : normalized[(at + 1)..];
    }
}
