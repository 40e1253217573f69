using P2M.Contract;
using P2M.Fuzz.Running;
using P2M.Oracle;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// The runner resets the sides of a run that passed instead of building new ones, where they implement
/// <see cref="IResettable"/> and the next run has the same configuration; any other side is built for each run,
/// and a run that failed hands back nothing.
/// </summary>
public class ResetReuseTests
{
    /// <summary>The oracle, counting how often it is built and reset.</summary>
    private sealed class CountedOracle(P2MConfig config, Counts counts) : IP2M, IResettable
    {
        private readonly OracleP2M _inner = new(config);
        public string Name => "counted";
        public Geometry Geometry => _inner.Geometry;
        public int GrantFrames => _inner.GrantFrames;
        public OpResult Apply(in Op op) => _inner.Apply(op);
        public FrameState Read(Gfn gfn) => _inner.Read(gfn);
        public void ReadRange(Gfn start, Span<FrameState> frames) => _inner.ReadRange(start, frames);
        public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor => _inner.VisitMappedRuns(ref visitor);
        public int References(Mfn mfn) => _inner.References(mfn);
        public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _inner.HeldReferences();
        public Gfn GrantGfn(int frame) => _inner.GrantGfn(frame);

        public void Reset()
        {
            counts.Resets++;
            _inner.Reset();
        }
    }

    private sealed class Counts
    {
        public int Built;
        public int Resets;
    }

    private static Func<P2MConfig, IP2M> Counted(Counts counts) => config =>
    {
        counts.Built++;
        return new CountedOracle(config, counts);
    };

    private static readonly Op[] Ops =
    [
        Op.Map(new Gfn(8), new Mfn(0x100), 16, P2MType.RamRw),
        Op.Foreign(new Gfn(3), new Mfn(0x40), readOnly: false),
        Op.GrantSetup(2),
        Op.GrantMap(1, new Gfn(30)),
    ];

    [Fact]
    public void Passing_runs_of_one_configuration_reset_the_same_sides()
    {
        var left = new Counts();
        var right = new Counts();
        var runner = new DifferentialRunner(Counted(left), Counted(right));
        P2MConfig config = P2MConfig.Default(Geometry.Mini);

        for (int i = 0; i < 5; i++)
            Assert.True(runner.Run(config, Ops).IsPass);

        Assert.Equal((1, 4), (left.Built, left.Resets));
        Assert.Equal((1, 4), (right.Built, right.Resets));
    }

    [Fact]
    public void Each_configuration_keeps_its_own_sides()
    {
        var left = new Counts();
        var runner = new DifferentialRunner(Counted(left), c => new OracleP2M(c));
        P2MConfig mini = P2MConfig.Default(Geometry.Mini), small = new(Geometry.Mini, 8), real = P2MConfig.Default(Geometry.Real);

        foreach (P2MConfig config in new[] { mini, small, real, mini, small, real })
            Assert.True(runner.Run(config, Ops).IsPass);

        Assert.Equal((3, 3), (left.Built, left.Resets));
    }

    [Fact]
    public void A_failed_run_hands_back_nothing()
    {
        var right = new Counts();
        int step = 0;
        var runner = new DifferentialRunner(
            RunnerFixture.Tampered(p => p.OnResult = (s, op, result) => ++step == 2 ? result with { Done = 99 } : result),
            Counted(right));
        P2MConfig config = P2MConfig.Default(Geometry.Mini);

        Assert.False(runner.Run(config, Ops).IsPass);
        int builtByFailure = right.Built;
        Assert.True(runner.Run(config, Ops).IsPass);
        Assert.True(runner.Run(config, Ops).IsPass);

        // The failing run and its locating run (if any) built their own; the run after them builds anew, the next resets.
        Assert.Equal(builtByFailure + 1, right.Built);
        Assert.Equal(1, right.Resets);
    }

    [Fact]
    public void A_reset_side_gives_the_verdicts_a_new_one_does()
    {
        // The same failing input after passing runs with state left behind: the verdict is the one a fresh runner gives.
        Op[] dirty = [Op.Map(new Gfn(0), new Mfn(0x200), 64, P2MType.RamRo), Op.Foreign(new Gfn(100), new Mfn(0x41), readOnly: true)];
        Op[] failing = [.. Ops, Op.Unmap(new Gfn(8), 4)];
        Func<P2MConfig, IP2M> bent = RunnerFixture.Tampered(p => p.OnFrame = (steps, gfn, frame) =>
            steps >= 5 && gfn.Value == 9 ? frame with { Order = 1 } : frame);
        P2MConfig config = P2MConfig.Default(Geometry.Mini);

        var reused = new DifferentialRunner(bent, c => new OracleP2M(c));
        Assert.True(reused.Run(config, dirty).IsPass);
        Verdict afterReset = reused.Run(config, failing);
        Verdict fresh = new DifferentialRunner(bent, c => new OracleP2M(c)).Run(config, failing);

        Assert.False(fresh.IsPass);
        Assert.Equal(fresh.ToString(), afterReset.ToString());
    }
}
