using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using P2M.Engine;

namespace P2M.Bench;

/// <summary>
/// The audits' and whole-state walks' inner loops over 512-entry table pages, vectorised against the
/// scalar loop side by side: counting marker entries, finding every valid entry, and a plain sum of the
/// same bytes as the memory-bandwidth baseline. One page stays in cache; 65,536 pages (256 MiB) are far
/// past the last-level cache. Times are per page.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ScanBenchmarks
{
    private const ulong Marker = Pte.Valid | Pte.TypeMask;
    private ulong[] _pages = [];

    /// <summary>Pages scanned: 1 in cache, 65,536 out of it.</summary>
    [Params(1, 65536)]
    public int Pages { get; set; }

    /// <summary>Valid entries in each 512-entry page.</summary>
    [Params(8, 128)]
    public int ValidEntries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _pages = new ulong[Pages * 512];
        for (int p = 0; p < Pages; p++)
            for (int i = 0; i < ValidEntries; i++)
                _pages[p * 512 + random.Next(512)] = Pte.Leaf((ulong)i, random.Next(2) == 0 ? Contract.P2MType.RamRo : Contract.P2MType.RamRw, identity: false);
    }

    private ReadOnlySpan<ulong> Page(int p) => _pages.AsSpan(p * 512, 512);

    [Benchmark(Baseline = true)]
    public int CountMarkersScalar()
    {
        int n = 0;
        for (int p = 0; p < Pages; p++) n += TableScan.CountMaskedScalar(Page(p), Marker, Marker);
        return n / Pages;
    }

    [Benchmark]
    public int CountMarkersVector()
    {
        int n = 0;
        for (int p = 0; p < Pages; p++) n += TableScan.CountMasked(Page(p), Marker, Marker);
        return n / Pages;
    }

    [Benchmark]
    public int FindValidScalar()
    {
        int found = 0;
        for (int p = 0; p < Pages; p++)
        {
            ReadOnlySpan<ulong> page = Page(p);
            for (int i = TableScan.IndexOfAnyBitScalar(page, 0, Pte.Valid); i >= 0; i = TableScan.IndexOfAnyBitScalar(page, i + 1, Pte.Valid)) found++;
        }
        return found / Pages;
    }

    [Benchmark]
    public int FindValidVector()
    {
        int found = 0;
        for (int p = 0; p < Pages; p++)
        {
            ReadOnlySpan<ulong> page = Page(p);
            var hits = new TableScan.Hits(0);
            while (hits.Next(page, Pte.Valid, TableScan.Widest) >= 0) found++;
        }
        return found / Pages;
    }

    /// <summary>The bandwidth baseline: the widest vector sum of the same bytes, nothing else done with them.</summary>
    [Benchmark]
    public ulong SumBandwidth()
    {
        ReadOnlySpan<ulong> all = _pages;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<ulong>.Zero;
            for (int i = 0; i < all.Length; i += Vector512<ulong>.Count) acc += Vector512.Create(all.Slice(i, Vector512<ulong>.Count));
            return Vector512.Sum(acc);
        }
        var acc256 = Vector256<ulong>.Zero;
        for (int i = 0; i < all.Length; i += Vector256<ulong>.Count) acc256 += Vector256.Create(all.Slice(i, Vector256<ulong>.Count));
        return Vector256.Sum(acc256);
    }
}
