using System.Numerics;

namespace P2M.Coverage;

/// <summary>
/// The features seen so far: one bit per (counter, bucket) pair. An execution that sets a bit not
/// set before found something new, and its input joins the corpus.
/// </summary>
public sealed class FeatureSet
{
    private const int Buckets = 8;

    /// <summary>64-bit words in a set's bitmap (<see cref="Words"/>).</summary>
    public const int WordCount = CoverageMap.Size * Buckets / 64;

    private readonly ulong[] _bits = new ulong[WordCount];

    /// <summary>The bitmap itself, one bit per feature: what a worker process publishes for its supervisor to merge.</summary>
    public ReadOnlySpan<ulong> Words => _bits;

    /// <summary>Distinct features seen.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the features of <paramref name="map"/>; returns how many were new.</summary>
    public int Add(CoverageMap map)
    {
        int added = 0;
        ReadOnlySpan<byte> counters = map.Counters;
        for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0; i = NextHit(counters, i + 1))
        {
            int feature = i * Buckets + CoverageMap.Bucket(counters[i]) - 1;
            ref ulong word = ref _bits[feature >> 6];
            ulong bit = 1UL << (feature & 63);
            if ((word & bit) != 0) continue;
            word |= bit;
            added++;
        }
        Count += added;
        return added;
    }

    /// <summary>How many features of <paramref name="map"/> are not in this set, without adding them.</summary>
    public int CountNew(CoverageMap map)
    {
        int fresh = 0;
        ReadOnlySpan<byte> counters = map.Counters;
        for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0; i = NextHit(counters, i + 1))
        {
            int feature = i * Buckets + CoverageMap.Bucket(counters[i]) - 1;
            if ((_bits[feature >> 6] & (1UL << (feature & 63))) == 0) fresh++;
        }
        return fresh;
    }

    /// <summary>Adds every feature of <paramref name="other"/>.</summary>
    public void UnionWith(FeatureSet other) => UnionWith(other._bits);

    /// <summary>Adds every feature of a bitmap laid out as <see cref="Words"/>.</summary>
    public void UnionWith(ReadOnlySpan<ulong> words)
    {
        int count = 0;
        for (int i = 0; i < _bits.Length && i < words.Length; i++)
        {
            _bits[i] |= words[i];
            count += BitOperations.PopCount(_bits[i]);
        }
        Count = count;
    }

    private static int NextHit(ReadOnlySpan<byte> counters, int from)
    {
        if (from >= counters.Length) return -1;
        int next = counters[from..].IndexOfAnyExcept((byte)0);
        return next < 0 ? -1 : from + next;
    }
}
