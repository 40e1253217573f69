using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Running;
using P2M.Oracle;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// The full checks cost in proportion to the work done, not to the square of the script's length;
/// counted, not timed. One-frame <c>real</c> maps, each in a new 2M region, are the worst case for
/// checks that walk the whole state every N steps: every step adds a frame and a table page and does
/// almost no work itself.
/// </summary>
public class CheckGrowthTests
{
    /// <summary>Work as the schedule counts it: one unit per step and one per frame named.</summary>
    private static long Work(int maps) => 2L * maps;

    private static FullCheckWork Checks(int maps)
    {
        var ops = new Op[maps];
        for (int i = 0; i < maps; i++)
            ops[i] = Op.Map(new Gfn((ulong)i << 9), new Mfn((ulong)i), 1, P2MType.RamRw);
        // Room for every leaf table and the level-1 tables above them: every map succeeds, the state grows.
        var config = new P2MConfig(Geometry.Real, Geometry.RootPages + maps + maps / 512 + 1);
        var runner = new DifferentialRunner(c => new EngineP2M(c), c => new OracleP2M(c));
        Verdict verdict = runner.Run(config, ops);
        Assert.True(verdict.IsPass, verdict.ToString());
        return runner.LastRunWork;
    }

    [Fact]
    public void Full_checks_cost_a_small_multiple_of_the_work_and_grow_linearly_with_it()
    {
        FullCheckWork small = Checks(2_000), large = Checks(20_000);

        Assert.True(small.WholeStateEntries > 0 && small.AuditedPages > 0, small.ToString());
        Assert.InRange(small.Total, Work(2_000), 8 * Work(2_000));
        Assert.InRange(large.Total, Work(20_000), 8 * Work(20_000));
        // Ten times the maps: about ten times the checks' work, not a hundred times.
        double growth = (double)large.Total / small.Total;
        Assert.InRange(growth, 5.0, 20.0);
    }
}
