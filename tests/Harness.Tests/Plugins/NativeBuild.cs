using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// The native libraries the plugin tests load, built on first use with clang-16 into a folder of the temp
/// directory named by a hash of their sources (so a change rebuilds, and concurrent test runs share a build).
/// Without clang-16 every test that needs them fails, saying how to install it: they never pass unbuilt.
/// </summary>
internal static class NativeBuild
{
    private const string Compiler = "clang-16";

    private static readonly Lazy<string> Sample = new(() => Build("sample", BuildSample), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> Broken = new(() => Build("broken", BuildBroken), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository's root (corpus/, Targets/).</summary>
    public static string Root { get; } = typeof(NativeBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The correct sample.</summary>
    public static string SampleLibrary => Path.Combine(Sample.Value, "libp2m_sample.so");

    /// <summary>The sample with its planted semantic bug (unmap keeps a foreign entry's reference).</summary>
    public static string PlantedSemanticLibrary => Path.Combine(Sample.Value, "libp2m_sample_planted_semantic.so");

    /// <summary>The sample with its planted out-of-bounds write (splitting a metadata superpage).</summary>
    public static string PlantedOutOfBoundsLibrary => Path.Combine(Sample.Value, "libp2m_sample_planted_oob.so");

    /// <summary>A broken plugin of tests/Harness.Tests/Plugins/broken_plugin.c: <c>version</c>, <c>missing</c>, <c>crash</c> or <c>ub</c>.</summary>
    public static string BrokenLibrary(string kind) => Path.Combine(Broken.Value, $"libbroken_{kind}.so");

    private static string Build(string name, Action<string> build)
    {
        string sources = Path.Combine(Root, "Targets", "Native");
        string tests = Path.Combine(Root, "tests", "Harness.Tests", "Plugins");
        var hash = new StringBuilder();
        foreach (string file in Directory.GetFiles(sources, "*.*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}out{Path.DirectorySeparatorChar}"))
                     .Concat(Directory.GetFiles(tests, "*.c")).OrderBy(f => f, StringComparer.Ordinal))
            hash.Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        string folder = Path.Combine(Path.GetTempPath(), $"p2mfuzz-native-{name}-{key}");
        if (Directory.Exists(folder)) return folder;

        string building = $"{folder}.{Environment.ProcessId}";
        Directory.CreateDirectory(building);
        build(building);
        try
        {
            Directory.Move(building, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another test run built the same sources first.
            Directory.Delete(building, recursive: true);
        }
        return folder;
    }

    private static void BuildSample(string output) => Run("bash", [Path.Combine(Root, "Targets", "Native", "build.sh"), output]);

    private static void BuildBroken(string output)
    {
        string source = Path.Combine(Root, "tests", "Harness.Tests", "Plugins", "broken_plugin.c");
        string include = Path.Combine(Root, "Targets", "Native", "include");
        string[] common = ["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-fvisibility=hidden", $"-I{include}", source];
        foreach ((string kind, string define) in new[] { ("version", "BROKEN_VERSION"), ("missing", "BROKEN_MISSING"), ("crash", "BROKEN_CRASH") })
            Run(Compiler, [.. common, $"-D{define}", "-o", Path.Combine(output, $"libbroken_{kind}.so")]);
        // As the sample is built: the ASan runtime shared (preloaded by the supervisor), UBSan reporting through it.
        Run(Compiler, [.. common, "-DBROKEN_UB", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-shared-libasan",
            "-o", Path.Combine(output, "libbroken_ub.so")]);
    }

    private static void Run(string program, string[] arguments)
    {
        if (!OnPath(Compiler))
            throw new InvalidOperationException($"{Compiler} is needed to build the native plugins these tests load: install it (apt-get install -y {Compiler})");
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
