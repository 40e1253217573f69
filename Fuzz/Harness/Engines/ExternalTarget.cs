using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Engines;

/// <summary>
/// The target an external fuzzer (libFuzzer, AFL++) runs: bytes decoded by <see cref="OpCodec"/>, run
/// engine against oracle with the engine's probes on, and, when the run fails, the finding minimised
/// (same signature) and written as a <c>.p2m</c> with its <see cref="CrashHeader"/>. The IL edges go
/// wherever SharpFuzz's entry point pointed the trace map; the probes are in <see cref="Map"/>, for the
/// caller to hand on.
/// </summary>
public sealed class ExternalTarget
{
    private readonly CoverageRunner _runner;
    private readonly ImplementationsRunner _plain;

    /// <summary>A target running every implementation of <paramref name="implementations"/> against the oracle.</summary>
    /// <param name="implementations">What is under test (instrumented, for IL edges).</param>
    /// <param name="coverage">Which maps are filled; IL edges only count for an instrumented implementation.</param>
    /// <exception cref="ImplementationException">An implementation cannot be loaded.</exception>
    public ExternalTarget(ImplementationSpec implementations, CoverageMode coverage)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        _runner = new CoverageRunner(implementations, null, coverage);
        _plain = new ImplementationsRunner(implementations);
    }

    /// <summary>The probe counters of the last run.</summary>
    public CoverageMap Map => _runner.Map;

    /// <summary>Decodes and runs <paramref name="data"/>; the maps then hold its coverage.</summary>
    public Verdict Run(ReadOnlySpan<byte> data, out FuzzInput input)
    {
        input = OpCodec.Decode(data);
        return _runner.Run(input);
    }

    /// <summary>
    /// Minimises a failing input (keeping <paramref name="verdict"/>'s signature) and writes it to
    /// <paramref name="path"/> as a crash script; returns the minimiser's result.
    /// </summary>
    public MinimizeResult WriteRepro(string path, FuzzInput input, Verdict verdict, string? source = null)
    {
        MinimizeResult minimized = new Minimizer(candidate => _plain.Run(candidate.Config, candidate.Ops)).Minimize(input, verdict.Signature);
        IReadOnlyList<string> header = CrashHeader.Lines(verdict, minimized, source: source);
        WriteScript(path, minimized.Minimized, header);
        return minimized;
    }

    /// <summary>
    /// Writes the repro of an input that killed, hung or exhausted the .NET side before it could answer:
    /// the input as found (running it again here would do the same), with a header saying what happened.
    /// </summary>
    public static void WriteDeathRepro(string path, ReadOnlySpan<byte> data, string kind, string detail)
    {
        FuzzInput input = OpCodec.Decode(data);
        string[] header =
        [
            $"p2mfuzz finding: {kind} of the .NET side ({detail})",
            CrashHeader.SignaturePrefix + $"{kind}:process",
            $"verdict: the .NET side {detail} while running this input; not minimised (each run would do it again)",
            $"original: {input.Ops.Length} ops",
        ];
        WriteScript(path, input, header);
    }

    private static void WriteScript(string path, FuzzInput input, IReadOnlyList<string> header)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(path, ScriptPrinter.Print(input.ToScript(path, header)));
    }
}
