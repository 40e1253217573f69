using BenchmarkDotNet.Attributes;
using P2M.Engine;

namespace P2M.Bench;

/// <summary>
/// The audits' and whole-state walks' inner loop: finding valid entries in a mostly empty table
/// page and counting marker entries, vectorised against the scalar reference, side by side.
/// </summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private ulong[] _page = [];

    /// <summary>Valid entries in a 512-entry page.</summary>
    [Params(0, 8, 128)]
    public int ValidEntries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _page = new ulong[512];
        for (int i = 0; i < ValidEntries; i++)
            _page[random.Next(512)] = Pte.Leaf((ulong)i, Contract.P2MType.RamRo, identity: false);
    }

    [Benchmark(Baseline = true)]
    public int FindValidScalar()
    {
        int found = 0;
        for (int i = TableScan.IndexOfAnyBitScalar(_page, 0, Pte.Valid); i >= 0; i = TableScan.IndexOfAnyBitScalar(_page, i + 1, Pte.Valid)) found++;
        return found;
    }

    [Benchmark]
    public int FindValidVector()
    {
        int found = 0;
        for (int i = TableScan.IndexOfAnyBit(_page, 0, Pte.Valid); i >= 0; i = TableScan.IndexOfAnyBit(_page, i + 1, Pte.Valid)) found++;
        return found;
    }

    [Benchmark]
    public int CountMarkersScalar() => TableScan.CountMaskedScalar(_page, Pte.Valid | Pte.TypeMask, Pte.Valid | Pte.TypeMask);

    [Benchmark]
    public int CountMarkersVector() => TableScan.CountMasked(_page, Pte.Valid | Pte.TypeMask, Pte.Valid | Pte.TypeMask);
}
