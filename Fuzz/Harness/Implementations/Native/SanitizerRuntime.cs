using System.Runtime.InteropServices;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// A native library built with AddressSanitizer as a shared runtime (<c>clang -shared-libasan</c>, or gcc's
/// default) names the runtime in its <c>DT_NEEDED</c>, and the runtime must be the first library in the
/// process: a worker that loads such a library is started with it in <c>LD_PRELOAD</c>, and with options
/// a managed host needs. Whatever ASan reports then ends the worker, and its summary line becomes the
/// <c>crash</c> finding's verdict.
/// </summary>
internal static class SanitizerRuntime
{
    /// <summary>
    /// Options for ASan in a .NET process: the runtime's own allocations are not leaks, its signal handlers
    /// (null references, the GC's suspension) stay its own, and a report ends the process at once.
    /// </summary>
    public const string AsanOptions = "detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:use_sigaltstack=0:abort_on_error=0:print_legend=0";

    /// <summary>Overrides where the runtime is looked for (a full path to the runtime library).</summary>
    public const string RuntimeVariable = "P2MFUZZ_ASAN_RUNTIME";

    /// <summary>The runtime <paramref name="library"/> needs, by the name it needs it by; null when it needs none.</summary>
    public static string? NeededBy(string library)
    {
        ElfDependencies? elf = ElfDependencies.Read(library);
        return elf?.Needed.FirstOrDefault(IsAsanRuntime);
    }

    /// <summary>True when an ASan runtime is already in this process (preloaded), so an instrumented library may load.</summary>
    public static bool IsLoaded() =>
        NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "__asan_init", out _);

    /// <summary>
    /// The variables a worker process needs to load <paramref name="library"/>: none for an uninstrumented one.
    /// </summary>
    /// <exception cref="ImplementationException">The library needs an ASan runtime that cannot be found.</exception>
    public static IReadOnlyDictionary<string, string> ChildEnvironment(string spec, string library)
    {
        if (!File.Exists(library) || NeededBy(library) is not { } needed) return new Dictionary<string, string>();
        string runtime = Locate(spec, library, needed);
        string? preload = Environment.GetEnvironmentVariable("LD_PRELOAD");
        string? options = Environment.GetEnvironmentVariable("ASAN_OPTIONS");
        var environment = new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = string.IsNullOrEmpty(preload) ? runtime : $"{runtime}:{preload}",
            // The user's own options come last, so they win.
            ["ASAN_OPTIONS"] = string.IsNullOrEmpty(options) ? AsanOptions : $"{AsanOptions}:{options}",
        };
        // A report with file:line frames needs the symbolizer of the runtime's own LLVM (Debian keeps it off PATH).
        if (Environment.GetEnvironmentVariable("ASAN_SYMBOLIZER_PATH") is null && SymbolizerBeside(runtime) is { } symbolizer)
            environment["ASAN_SYMBOLIZER_PATH"] = symbolizer;
        return environment;
    }

    /// <summary>llvm-symbolizer in a bin/ folder above <paramref name="runtime"/> (/usr/lib/llvm-16/bin for Debian's clang-16).</summary>
    private static string? SymbolizerBeside(string runtime)
    {
        for (string? directory = Path.GetDirectoryName(runtime); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            string candidate = Path.Combine(directory, "bin", "llvm-symbolizer");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsAsanRuntime(string name) =>
        name.StartsWith("libclang_rt.asan", StringComparison.Ordinal) || name.StartsWith("libasan.so", StringComparison.Ordinal);

    /// <summary>The runtime's path: the override, the library's own RUNPATH, then where Debian's clang and gcc install it.</summary>
    private static string Locate(string spec, string library, string needed)
    {
        if (Environment.GetEnvironmentVariable(RuntimeVariable) is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new ImplementationException($"--impl {spec}: {RuntimeVariable}={given}: no such file");
        ElfDependencies elf = ElfDependencies.Read(library)!;
        string origin = Path.GetDirectoryName(Path.GetFullPath(library))!;
        IEnumerable<string> directories = elf.SearchPaths.Select(p => p.Replace("$ORIGIN", origin, StringComparison.Ordinal))
            .Concat(ClangRuntimeDirectories())
            .Concat(["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"]);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, needed);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ImplementationException($"--impl {spec}: {library} needs the AddressSanitizer runtime {needed}, which was not found: " +
                                          $"install the compiler it was built with (apt-get install -y clang-16) or set {RuntimeVariable}");
    }

    /// <summary>Where Debian's clang packages keep their runtimes, newest first.</summary>
    private static IEnumerable<string> ClangRuntimeDirectories()
    {
        if (!Directory.Exists("/usr/lib")) yield break;
        foreach (string llvm in Directory.GetDirectories("/usr/lib", "llvm-*").OrderDescending(StringComparer.Ordinal))
        {
            string clang = Path.Combine(llvm, "lib", "clang");
            if (!Directory.Exists(clang)) continue;
            foreach (string version in Directory.GetDirectories(clang).OrderDescending(StringComparer.Ordinal))
            {
                yield return Path.Combine(version, "lib", "linux");
                yield return Path.Combine(version, "lib", "x86_64-unknown-linux-gnu");
            }
        }
    }
}
