using P2M.Contract;
using P2M.Coverage;
using P2M.EdgeCoverage;
using P2M.Engine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using SharpFuzz.Common;

namespace P2M.Harness.Tests.Engines;

/// <summary>
/// The in-process campaign reads the same trace map instrumented code writes: each run starts from a
/// cleared map, and the coverage mode decides which map's features count.
/// </summary>
[Collection(EdgeMapCollection.Name)]
public class CoverageRunnerEdgeTests
{
    private static readonly FuzzInput Input = new(Geometry.Mini, null,
        [Op.Map(new Gfn(0x40), new Mfn(0x200), 8, P2MType.RamRw), Op.Unmap(new Gfn(0x40), 1)]);

    /// <summary>The engine, marking IL edge 7 whenever it flushes the TLB, as instrumented code writes its edges.</summary>
    private sealed unsafe class EdgeWritingEngine(P2MConfig config) : EngineP2M(config)
    {
        private protected override void FlushTlb(ulong gfn, int order)
        {
            Trace.SharedMem[7] = 1;
            base.FlushTlb(gfn, order);
        }
    }

    private static CoverageRunner Runner(CoverageMode mode) => new(c => new EdgeWritingEngine(c), coverage: mode);

    [Fact]
    public unsafe void A_run_starts_from_a_cleared_edge_map()
    {
        CoverageRunner runner = Runner(CoverageMode.IL);
        Trace.SharedMem[9] = 5;            // left over from anything before the run
        Assert.True(runner.Run(Input).IsPass);
        Assert.Equal(0, EdgeMap.Counters[9]);
        Assert.Equal(1, EdgeMap.Counters[7]);
        Assert.True(runner.Run(Input).IsPass);
        Assert.Equal(1, EdgeMap.Counters[7]);
    }

    [Theory]
    [InlineData(CoverageMode.Semantic, false, true)]
    [InlineData(CoverageMode.IL, true, false)]
    [InlineData(CoverageMode.Both, true, true)]
    public void The_mode_decides_which_maps_count(CoverageMode mode, bool edges, bool probes)
    {
        CoverageRunner runner = Runner(mode);
        Assert.True(runner.Run(Input).IsPass);
        Assert.Equal(1, EdgeMap.Counters[7]);
        // Counted apart: the probes of the run, and its edges (ours, and the engine's own when the suite
        // runs against the instrumented engine).
        int probeFeatures = new FeatureSet().Add(runner.Map);
        int edgeFeatures = new FeatureSet().AddEdges(EdgeMap.Counters);
        Assert.True(probeFeatures > 0);
        Assert.True(edgeFeatures > 0);
        Assert.Equal((probes ? probeFeatures : 0) + (edges ? edgeFeatures : 0), runner.AddFeatures(new FeatureSet()));
    }
}

/// <summary>Tests that write the process's one IL edge map run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EdgeMapCollection
{
    public const string Name = "IL edge map";
}
