using P2M.Contract;
using P2M.Coverage;
using P2M.Engine;

namespace P2M.Engine.Tests;

public class CoverageTests
{
    private static byte Count(CoverageMap map, Probe probe, int offset = 0) => map.Counters[(int)probe + offset];

    [Fact]
    public void Probes_fire_at_the_decision_points_they_name()
    {
        var map = new CoverageMap();
        var e = new EngineP2M(P2MConfig.Default(Geometry.Mini)) { Coverage = map };
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRo));
        Assert.Equal(1, Count(map, Probe.ChunkMap, 2));
        Assert.Equal(1, Count(map, Probe.MetadataPageAllocated, 0)); // the root page's metadata page
        e.Apply(Op.Unmap(new Gfn(0x45), 1));
        Assert.Equal(1, Count(map, Probe.SplitMetadataSuperpage, 2));
        Assert.Equal(1, Count(map, Probe.SplitMetadataSuperpage, 1));
        Assert.Equal(0, Count(map, Probe.SplitSuperpage, 1));
        Assert.Equal(1, Count(map, Probe.MetadataPageFreed, 0));     // the root slot emptied
        Assert.Equal(2, Count(map, Probe.BreakBeforeMake, 2) + Count(map, Probe.BreakBeforeMake, 1));
        e.Apply(Op.FailAllocs(1));
        e.Apply(Op.Unmap(new Gfn(0x52), 1));
        Assert.Equal(1, Count(map, Probe.AllocationInjectedFailure));
        Assert.Equal(1, Count(map, Probe.ReservationFailed, (int)OpKind.Unmap));
        Assert.Equal(1, Count(map, Probe.AllocationSiteFailed, 1)); // a split table ...
        Assert.Equal(1, Count(map, Probe.AllocationSiteFailed, 2)); // ... with a metadata page (ram_ro)
        Assert.Equal(0, Count(map, Probe.AllocationSiteFailed, 0));
        e.Apply(Op.Map(new Gfn(0x800), new Mfn(0), 1, P2MType.RamRw));
        Assert.Equal(1, Count(map, Probe.Einval, (int)OpKind.Map));
        e.Apply(Op.DirectMap(false));
        e.Apply(Op.Lookup(new Gfn(0x46)));
        Assert.True(Count(map, Probe.MapcacheCommandeer) + Count(map, Probe.MapcacheReuse) > 0);
    }

    [Fact]
    public void Without_a_map_nothing_is_counted_and_nothing_breaks()
    {
        var e = new EngineP2M(P2MConfig.Default(Geometry.Mini));
        Assert.Null(e.Coverage);
        Assert.Equal(ResultCode.Ok, e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRo)).Code);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(7, 4)]
    [InlineData(8, 5)]
    [InlineData(31, 6)]
    [InlineData(127, 7)]
    [InlineData(255, 8)]
    public void Hit_counts_fall_in_libfuzzer_buckets(int hits, int bucket) => Assert.Equal(bucket, CoverageMap.Bucket((byte)hits));

    [Fact]
    public void A_feature_is_new_once_per_bucket()
    {
        var map = new CoverageMap();
        var seen = new FeatureSet();
        map.Hit(Probe.TlbHit);
        Assert.Equal(1, seen.Add(map));
        Assert.Equal(0, seen.Add(map));
        map.Hit(Probe.TlbHit);   // 2 hits: bucket 2, a new feature
        Assert.Equal(1, seen.CountNew(map));
        Assert.Equal(1, seen.Add(map));
        Assert.Equal(2, seen.Count);
        for (int i = 0; i < 300; i++) map.Hit(Probe.TlbHit);
        Assert.Equal(255, map.Counters[(int)Probe.TlbHit]); // saturates
        map.Clear();
        Assert.Equal(0, seen.CountNew(map));
    }

    [Fact]
    public void Edge_features_sit_beside_probe_features_and_never_alias_them()
    {
        var map = new CoverageMap();
        var seen = new FeatureSet();
        var edges = new byte[FeatureSet.EdgeCounters];
        map.Hit(0);
        edges[0] = 1;                      // the same index in the other map: another feature
        edges[FeatureSet.EdgeCounters - 1] = 200;
        Assert.Equal(1, seen.Add(map));
        Assert.Equal(2, seen.CountNewEdges(edges));
        Assert.Equal(2, seen.AddEdges(edges));
        Assert.Equal(0, seen.AddEdges(edges));
        Assert.Equal(0, seen.Add(map));
        edges[0] = 2;                      // a new bucket of an edge
        Assert.Equal(1, seen.AddEdges(edges));
        Assert.Equal(4, seen.Count);
        var union = new FeatureSet();
        union.UnionWith(seen);
        Assert.Equal(4, union.Count);
        Assert.Throws<ArgumentException>(() => seen.AddEdges(new byte[FeatureSet.EdgeCounters + 1]));
    }
}
