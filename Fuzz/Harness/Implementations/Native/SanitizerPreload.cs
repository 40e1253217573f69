using System.Collections;
using System.Runtime.InteropServices;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// For the commands that load the implementation into their own process (<c>merge</c>, and the <c>libfuzzer</c>,
/// <c>afl</c> and <c>triage</c> targets, which an external fuzzer starts): a native library built with
/// AddressSanitizer needs its runtime loaded first, which only the environment a process starts with can do.
/// Such a p2mfuzz starts itself again, in place (<c>execve</c>: the same process id, open descriptors and
/// arguments, so a fuzzer driving it notices nothing), with the variables a supervised worker gets
/// (<see cref="SanitizerRuntime.ChildEnvironment"/>), and says so on standard error.
/// </summary>
public static class SanitizerPreload
{
    /// <summary>Set in the environment of the process started again, so that it never starts itself a second time.</summary>
    public const string RestartedVariable = "P2MFUZZ_ASAN_PRELOADED";

    /// <summary>
    /// Returns when this process can load <paramref name="implementations"/>: none needs a sanitizer runtime, it
    /// is loaded already, or this is not p2mfuzz (a test host), which loading then reports. Otherwise starts
    /// p2mfuzz again with the runtime preloaded, and does not return.
    /// </summary>
    /// <exception cref="ImplementationException">The runtime cannot be found, or preloading it did not load it.</exception>
    public static void Ensure(ImplementationSpec implementations, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        ArgumentNullException.ThrowIfNull(error);
        if (SanitizerRuntime.IsLoaded()) return;
        IReadOnlyDictionary<string, string> environment = implementations.ChildEnvironment();
        if (!environment.TryGetValue("LD_PRELOAD", out string? preload)) return;
        if (Environment.GetEnvironmentVariable(RestartedVariable) is not null)
            throw new ImplementationException($"--impl {implementations}: started again with LD_PRELOAD={preload}, and still no AddressSanitizer runtime is loaded");
        if (CommandLine() is not { } argv) return;

        ImplementationSpec instrumented = implementations.Members.First(m => m.ChildEnvironment().ContainsKey("LD_PRELOAD"));
        error.WriteLine($"p2mfuzz: --impl {instrumented} is built with AddressSanitizer, whose runtime must be loaded first: " +
                        $"starting again with LD_PRELOAD={preload.Split(':')[0]}");
        error.Flush();
        Console.Out.Flush();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach ((string name, string value) in environment) variables[name] = value;
        variables[RestartedVariable] = "1";
        string?[] envp = [.. variables.Select(v => $"{v.Key}={v.Value}"), null];
        Execve(argv[0]!, argv, envp);
        throw new ImplementationException($"--impl {implementations}: could not start p2mfuzz again with the AddressSanitizer runtime " +
                                          $"(execve: {Marshal.GetLastPInvokeErrorMessage()}); set LD_PRELOAD={preload} yourself");
    }

    /// <summary>This process's command line as <c>execve</c> takes it (null-terminated), or null when this is not p2mfuzz.</summary>
    private static string?[]? CommandLine()
    {
        string? process = Environment.ProcessPath;
        string[] args = Environment.GetCommandLineArgs();
        if (process is null || args.Length == 0 || Path.GetFileName(args[0]) != Supervision.ChildCommand.EntryAssembly) return null;
        return Path.GetFileNameWithoutExtension(process) switch
        {
            // dotnet p2mfuzz.dll ARGS: the host, then the entry assembly and the arguments.
            "dotnet" => [process, .. args, null],
            // An apphost: the executable, then the arguments (args[0] is the entry assembly).
            "p2mfuzz" => [process, .. args[1..], null],
            _ => null,
        };
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
