using System.Reflection;
using System.Runtime.InteropServices;
using SharpFuzz.Common;

namespace P2M.EdgeCoverage;

/// <summary>
/// The IL edge map of this process: the bytes that code instrumented by <c>sharpfuzz</c> counts its
/// branch edges in (AFL-style, <c>map[cur ^ prev]++</c> through <see cref="Trace.SharedMem"/>).
/// Under libFuzzer or AFL++ SharpFuzz's entry points point it at the fuzzer's shared memory; everywhere
/// else (the in-process campaign, the tests) <see cref="Install"/> points it at a map of the process's
/// own first, or instrumented code dereferences a null pointer on its first edge.
/// </summary>
public static unsafe class EdgeMap
{
    /// <summary>Bytes in the map: SharpFuzz's <c>MapSize</c> (1 &lt;&lt; 16, AFL's <c>MAP_SIZE</c>); edge ids are taken modulo it.</summary>
    public const int Size = 1 << 16;

    private static readonly object Gate = new();

    /// <summary>True once <see cref="Trace.SharedMem"/> points at a map (this process's own or a fuzzer's).</summary>
    public static bool IsInstalled => Trace.SharedMem != null;

    /// <summary>
    /// Points <see cref="Trace.SharedMem"/> at a zeroed map owned by this process, unless something (a
    /// SharpFuzz entry point, an earlier call) already did. Safe to call any number of times, from any thread.
    /// </summary>
    public static void Install()
    {
        if (IsInstalled) return;
        lock (Gate)
        {
            // Never freed: instrumented code may run until the process ends.
            if (!IsInstalled) Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(Size);
        }
    }

    /// <summary>The counters as they are now (the map installed, or the fuzzer's).</summary>
    /// <exception cref="InvalidOperationException">Nothing installed a map yet.</exception>
    public static ReadOnlySpan<byte> Counters => new(Require(), Size);

    /// <summary>Zeroes the counters and the previous-location register before an execution, so each run's edges are its own.</summary>
    public static void Reset()
    {
        new Span<byte>(Require(), Size).Clear();
        Trace.PrevLocation = 0;
    }

    /// <summary>
    /// Copies <paramref name="counters"/> into the bytes right after the edge map, for a fuzzer whose shared
    /// memory was sized for both (AFL++ with <c>AFL_MAP_SIZE</c> = <see cref="Size"/> + the counters): the
    /// engine's probes then count as AFL features beside the IL edges. The caller checks the size.
    /// </summary>
    public static void WriteAfter(ReadOnlySpan<byte> counters) => counters.CopyTo(new Span<byte>(Require() + Size, counters.Length));

    /// <summary>True when <paramref name="assembly"/> was instrumented by <c>sharpfuzz</c> (it references SharpFuzz's trace type's assembly).</summary>
    public static bool IsInstrumented(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string common = typeof(Trace).Assembly.GetName().Name!;
        foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            if (reference.Name == common) return true;
        return false;
    }

    private static byte* Require() =>
        Trace.SharedMem != null ? Trace.SharedMem : throw new InvalidOperationException("no IL edge map installed: call EdgeMap.Install() first");
}
