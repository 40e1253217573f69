using System.Reflection;
using System.Runtime.Loader;
using P2M.Contract;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// Loads an <see cref="IP2M"/> implementation from a .NET assembly into its own
/// <see cref="AssemblyLoadContext"/>, so that its dependencies (its own copy of the engine, say) never
/// clash with the harness's. Only the contract and coverage assemblies are shared with the harness:
/// <see cref="IP2M"/> and the coverage map must be the same types on both sides; so is SharpFuzz's trace
/// map, which an instrumented implementation writes IL edges to and the harness reads.
/// </summary>
internal static class AssemblyImplementation
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal) { "P2M.Contract", "P2M.Coverage", "SharpFuzz.Common" };

    /// <summary>The factory of <paramref name="typeName"/> (or the one implementation) in the assembly at <paramref name="path"/>.</summary>
    public static Func<P2MConfig, IP2M> Load(string spec, string path, string? typeName)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ImplementationException($"--impl {spec}: no such file: {path}");
        Assembly assembly;
        try
        {
            assembly = new PluginContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new ImplementationException($"--impl {spec}: {path} is not a .NET assembly");
        }
        catch (Exception e) when (e is FileLoadException or IOException)
        {
            throw new ImplementationException($"--impl {spec}: {path} could not be loaded: {e.Message}");
        }

        Type type = FindType(spec, assembly, typeName);
        ConstructorInfo? constructor = type.GetConstructor([typeof(P2MConfig)]);
        if (constructor is null)
            throw new ImplementationException($"--impl {spec}: {type.FullName} has no public constructor taking a P2MConfig");
        Func<P2MConfig, IP2M> create = config => (IP2M)constructor.Invoke([config]);
        try
        {
            // One instance now: a constructor that throws is a broken plugin, not a finding of every run.
            create(new P2MConfig(Geometry.Mini, Geometry.Mini.DefaultPoolPages));
        }
        catch (TargetInvocationException e)
        {
            Exception cause = e.InnerException ?? e;
            throw new ImplementationException($"--impl {spec}: {type.FullName}'s constructor threw {cause.GetType().Name}: {cause.Message}", cause);
        }
        return config =>
        {
            try
            {
                return create(config);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // The runner reports what the constructor threw, not the reflection wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        };
    }

    private static Type FindType(string spec, Assembly assembly, string? typeName)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.OfType<Type>().ToArray();
        }
        var candidates = types
            .Where(t => t is { IsPublic: true, IsAbstract: false, IsClass: true } && typeof(IP2M).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        if (typeName is not null)
        {
            Type? named = candidates.FirstOrDefault(t => t.FullName == typeName) ?? candidates.FirstOrDefault(t => t.Name == typeName);
            if (named is not null) return named;
            throw new ImplementationException($"--impl {spec}: no public IP2M type named {typeName} in {assembly.GetName().Name}" +
                                              (candidates.Length == 0 ? "" : $" (it has: {string.Join(", ", candidates.Select(t => t.Name))})"));
        }
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new ImplementationException($"--impl {spec}: {assembly.GetName().Name} has no public type implementing IP2M"),
            _ => throw new ImplementationException($"--impl {spec}: {assembly.GetName().Name} has {candidates.Length} IP2M types; name one with :TYPE " +
                                                   $"({string.Join(", ", candidates.Select(t => t.Name))})"),
        };
    }

    /// <summary>Resolves a plugin's dependencies from its own folder (its deps.json), the shared contract from the harness.</summary>
    private sealed class PluginContext(string path) : AssemblyLoadContext($"impl:{System.IO.Path.GetFileName(path)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is { } simple && Shared.Contains(simple)) return null;
            string? resolved = _resolver.ResolveAssemblyToPath(name);
            return resolved is null ? null : LoadFromAssemblyPath(resolved);
        }
    }
}
