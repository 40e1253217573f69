using System.Runtime.CompilerServices;

namespace P2M.Coverage;

/// <summary>
/// A plain byte map of saturating hit counters, one per feature, filled by probes at an engine's
/// decision points (<see cref="Probe"/>) and by the harness. The in-process campaign reads it
/// after each execution; a libFuzzer or AFL bridge copies the same bytes into its own map. One map
/// per worker: engines never share one, so workers stay deterministic.
/// </summary>
public sealed class CoverageMap
{
    /// <summary>Counters in a map.</summary>
    public const int Size = 1024;

    private readonly byte[] _counters = new byte[Size];

    /// <summary>The raw counters, for bridges that hand them to another fuzzer.</summary>
    public ReadOnlySpan<byte> Counters => _counters;

    /// <summary>Counts one hit of <paramref name="probe"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Hit(Probe probe) => Hit((int)probe);

    /// <summary>Counts one hit of counter <paramref name="index"/> (saturating at 255, as libFuzzer's 8-bit counters).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Hit(int index)
    {
        ref byte counter = ref _counters[index & (Size - 1)];
        if (counter != byte.MaxValue) counter++;
    }

    /// <summary>Counts one hit of <paramref name="probe"/> + <paramref name="offset"/> (a level, a kind): probes come in small families.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Hit(Probe probe, int offset) => Hit((int)probe + offset);

    /// <summary>Zeroes every counter before the next execution.</summary>
    public void Clear() => Array.Clear(_counters);

    /// <summary>
    /// libFuzzer's bucket of a hit count: 0 for none, then 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+
    /// as buckets 1..8. A feature is (counter, bucket): hitting something 5 times instead of once is new.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bucket(byte count) => count switch
    {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        < 8 => 4,
        < 16 => 5,
        < 32 => 6,
        < 128 => 7,
        _ => 8,
    };
}
