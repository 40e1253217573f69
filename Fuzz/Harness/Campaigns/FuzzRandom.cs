using System.Numerics;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the campaign's only source of randomness. Written out
/// rather than System.Random so that a seed means the same inputs on every machine and runtime.
/// </summary>
public sealed class FuzzRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose whole sequence follows from <paramref name="seed"/>.</summary>
    public FuzzRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>64 random bits.</summary>
    public ulong Next()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>); 0 when the bound is 0.</summary>
    public ulong Below(ulong bound) => bound == 0 ? 0 : (ulong)((UInt128)Next() * bound >> 64);

    /// <summary>Uniform in [0, <paramref name="bound"/>).</summary>
    public int Below(int bound) => (int)Below((ulong)Math.Max(bound, 0));

    /// <summary>True with probability 1 in <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Below(n) == 0;

    /// <summary>One element of <paramref name="items"/>.</summary>
    public T Pick<T>(ReadOnlySpan<T> items) => items[Below(items.Length)];

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
