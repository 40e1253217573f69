using P2M.Contract;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// Loads a native implementation (<c>native:PATH</c>, a shared library speaking <c>p2m_impl.h</c>) and
/// returns its factory. One instance is built while loading, so a library whose <c>create</c> fails is a
/// broken plugin, not a finding of every run. A library that crashes while loading takes its process with
/// it: the supervisor loads it in a worker first and reports that as a usage error too.
/// </summary>
internal static class NativeImplementation
{
    private static readonly Dictionary<string, NativeExports> Loaded = new(StringComparer.Ordinal);

    /// <summary>The factory of the library at <paramref name="path"/>.</summary>
    /// <exception cref="ImplementationException">A missing file, a failed load, a missing symbol, another ABI version, a failing create.</exception>
    public static Func<P2MConfig, IP2M> Load(string spec, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ImplementationException($"--impl {spec}: no such file: {path}");
        if (SanitizerRuntime.NeededBy(full) is { } runtime && !SanitizerRuntime.IsLoaded())
            throw new ImplementationException($"--impl {spec}: {path} is built with AddressSanitizer ({runtime}), whose runtime must be loaded " +
                                              "first: run without --in-process (worker processes preload it), or start this process with " +
                                              "LD_PRELOAD set to it");
        NativeExports exports;
        lock (Loaded)
        {
            // A library is loaded once per process; every spec naming it shares its functions.
            if (!Loaded.TryGetValue(full, out exports!)) Loaded[full] = exports = NativeExports.Load(spec, full);
        }
        Func<P2MConfig, IP2M> create = exports.HasSelfCheck
            ? config => new NativeSelfCheckP2M(exports, config)
            : config => new NativeP2M(exports, config);
        try
        {
            create(P2MConfig.Default(Geometry.Mini));
            create(P2MConfig.Default(Geometry.Real));
        }
        catch (InvalidOperationException e)
        {
            throw new ImplementationException($"--impl {spec}: {e.Message}", e);
        }
        return create;
    }
}
