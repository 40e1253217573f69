using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using P2M.EdgeCoverage;

namespace P2M.Tests.Shared;

/// <summary>
/// Points SharpFuzz's trace map at a map of the test process's own before any test code runs, so the
/// suite also passes against the sharpfuzz-instrumented engine (dotnet test Fuzz.sln -p:P2MInstrumentEngine=true),
/// whose every edge writes through that map. Harmless with the default, uninstrumented engine.
/// </summary>
internal static class EdgeMapSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before tests construct an instrumented engine directly.")]
    internal static void Install() => EdgeMap.Install();
}
