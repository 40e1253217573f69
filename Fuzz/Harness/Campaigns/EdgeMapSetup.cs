using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using P2M.EdgeCoverage;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Points SharpFuzz's trace map at a map of this process's own as soon as harness code first runs, so an
/// instrumented engine (loaded by the harness, or built into the whole tree with P2MInstrumentEngine) never
/// meets a null map. SharpFuzz's libFuzzer and AFL entry points re-point it at the fuzzer's shared memory.
/// </summary>
internal static class EdgeMapSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before any instrumented engine code, whichever harness type is touched first.")]
    internal static void Install() => EdgeMap.Install();
}
