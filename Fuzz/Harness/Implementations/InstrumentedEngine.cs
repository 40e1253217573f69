using System.Reflection;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// The engine instrumented by <c>sharpfuzz</c> for IL edge coverage: a separate artifact, never the
/// default build. It is the engine's and the planted doubles' assemblies built with
/// <c>-p:P2MInstrumentEngine=true</c>, in a folder of their own, loaded like any <c>assembly:</c>
/// implementation (its own load context), so the harness, the oracle and the default engine stay as compiled.
/// </summary>
/// <remarks>
/// Looked for in <c>instrumented/</c> beside the running p2mfuzz (a published p2mfuzz, as ClusterFuzzLite's
/// build.sh lays it out), then where a source tree builds it (<c>Targets/Planted/bin-il/…</c>, built by
/// <see cref="BuildCommand"/>).
/// </remarks>
public static class InstrumentedEngine
{
    /// <summary>The folder beside a published p2mfuzz that holds the instrumented assemblies.</summary>
    public const string PublishedFolder = "instrumented";

    /// <summary>The engine's assembly file.</summary>
    public const string EngineFile = "P2M.Engine.dll";

    /// <summary>The planted doubles' assembly file (derived from the engine, so they run instrumented engine code).</summary>
    public const string PlantedFile = "P2M.Planted.dll";

    /// <summary>The command that builds it in a source tree.</summary>
    public const string BuildCommand = "dotnet build Targets/Planted -c Release -p:P2MInstrumentEngine=true";

    /// <summary>The folder holding the instrumented engine, or null when it is not built.</summary>
    public static string? Directory
    {
        get
        {
            string published = Path.Combine(AppContext.BaseDirectory, PublishedFolder);
            if (File.Exists(Path.Combine(published, EngineFile))) return published;
            string? built = typeof(InstrumentedEngine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "InstrumentedEngineDirectory")?.Value;
            return built is not null && File.Exists(Path.Combine(built, EngineFile)) ? built : null;
        }
    }

    /// <summary>
    /// The implementation to run when IL edges are read: the instrumented engine for <c>engine</c>; any other
    /// spec as given (an <c>assembly:</c> is taken to be instrumented already, e.g. <c>P2M.Planted.dll</c> in <see cref="Directory"/>).
    /// </summary>
    /// <exception cref="ImplementationException">The spec is the engine and no instrumented engine is built.</exception>
    public static ImplementationSpec For(ImplementationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IsSeveral) return ImplementationSpec.Several([.. spec.Members.Select(For)]);
        if (!ReferenceEquals(spec, ImplementationSpec.Engine)) return spec;
        string directory = Directory ?? throw new ImplementationException(
            $"IL coverage needs the instrumented engine, which is not built: run '{BuildCommand}' (./run-fuzz.sh does)");
        return ImplementationSpec.Assembly(Path.Combine(directory, EngineFile));
    }
}
