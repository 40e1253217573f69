using System.Numerics;

namespace P2M.Coverage;

/// <summary>
/// The features seen so far: one bit per (counter, bucket) pair, over two maps side by side: the
/// engine's semantic probes (<see cref="CoverageMap"/>, features from 0) and, when a campaign reads
/// them, the IL edges of an instrumented engine (<see cref="EdgeCounters"/> bytes, features after the
/// semantic ones). An execution that sets a bit not set before found something new, and its input joins the corpus.
/// </summary>
public sealed class FeatureSet
{
    /// <summary>Counters of the IL edge map a set has room for (SharpFuzz's trace map, AFL's <c>MAP_SIZE</c>).</summary>
    public const int EdgeCounters = 1 << 16;

    private const int Buckets = 8;
    private const int Counters = CoverageMap.Size + EdgeCounters;

    /// <summary>64-bit words in a set's bitmap (<see cref="Words"/>).</summary>
    public const int WordCount = Counters * Buckets / 64;

    private readonly ulong[] _bits = new ulong[WordCount];

    /// <summary>The bitmap itself, one bit per feature: what a worker process publishes for its supervisor to merge.</summary>
    public ReadOnlySpan<ulong> Words => _bits;

    /// <summary>Distinct features seen.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the features of <paramref name="map"/>; returns how many were new.</summary>
    public int Add(CoverageMap map) => Add(map.Counters, first: 0);

    /// <summary>Adds the features of an IL edge map (at most <see cref="EdgeCounters"/> bytes); returns how many were new.</summary>
    public int AddEdges(ReadOnlySpan<byte> edges) => Add(Edges(edges), first: CoverageMap.Size);

    /// <summary>How many features of <paramref name="map"/> are not in this set, without adding them.</summary>
    public int CountNew(CoverageMap map) => CountNew(map.Counters, first: 0);

    /// <summary>How many features of an IL edge map are not in this set, without adding them.</summary>
    public int CountNewEdges(ReadOnlySpan<byte> edges) => CountNew(Edges(edges), first: CoverageMap.Size);

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

    private int Add(ReadOnlySpan<byte> counters, int first)
    {
        int added = 0;
        for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0; i = NextHit(counters, i + 1))
        {
            int feature = Feature(first + i, counters[i]);
            ref ulong word = ref _bits[feature >> 6];
            ulong bit = 1UL << (feature & 63);
            if ((word & bit) != 0) continue;
            word |= bit;
            added++;
        }
        Count += added;
        return added;
    }

    private int CountNew(ReadOnlySpan<byte> counters, int first)
    {
        int fresh = 0;
        for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0; i = NextHit(counters, i + 1))
        {
            int feature = Feature(first + i, counters[i]);
            if ((_bits[feature >> 6] & (1UL << (feature & 63))) == 0) fresh++;
        }
        return fresh;
    }

    private static int Feature(int counter, byte count) => counter * Buckets + CoverageMap.Bucket(count) - 1;

    private static ReadOnlySpan<byte> Edges(ReadOnlySpan<byte> edges) =>
        edges.Length <= EdgeCounters ? edges : throw new ArgumentException($"an edge map has at most {EdgeCounters} counters", nameof(edges));

    private static int NextHit(ReadOnlySpan<byte> counters, int from)
    {
        if (from >= counters.Length) return -1;
        int next = counters[from..].IndexOfAnyExcept((byte)0);
        return next < 0 ? -1 : from + next;
    }
}
