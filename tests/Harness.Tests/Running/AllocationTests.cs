using P2M.Contract;
using P2M.Fuzz.Running;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// The fuzz loop calls the runner millions of times: the runner's own per-step work, and the full checks
/// it runs every so many steps, must allocate nothing. Measured against two sides that allocate nothing
/// themselves, so every byte is the runner's.
/// </summary>
public class AllocationTests
{
    /// <summary>An implementation that maps nothing and allocates nothing: every answer is "ok, unmapped".</summary>
    private sealed class QuietP2M(P2MConfig config, string name) : IP2M
    {
        public string Name { get; } = name;
        public Geometry Geometry { get; } = config.Geometry;
        public int GrantFrames => 0;
        public OpResult Apply(in Op op) => OpResult.Of(ResultCode.Ok, op.Nr);
        public FrameState Read(Gfn gfn) => FrameState.Unmapped;
        public void ReadRange(Gfn start, Span<FrameState> frames) => frames.Fill(FrameState.Unmapped);
        public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor { }
        public int References(Mfn mfn) => 0;
        public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => [];
        public Gfn GrantGfn(int frame) => Gfn.Invalid;
    }

    private static Op[] Ops(int count)
    {
        var ops = new Op[count];
        for (int i = 0; i < count; i++)
        {
            var gfn = new Gfn((ulong)(i * 8 % 2048));
            ops[i] = (i % 4) switch
            {
                0 => Op.Map(gfn, new Mfn(0x100), 8, P2MType.RamRw),
                1 => Op.Unmap(gfn, 8),
                2 => Op.Foreign(gfn, new Mfn(0x77), readOnly: true),
                _ => Op.Lookup(gfn),
            };
        }
        return ops;
    }

    [Fact]
    public void Per_step_work_allocates_nothing()
    {
        var runner = new DifferentialRunner(c => new QuietP2M(c, "left"), c => new QuietP2M(c, "right"));
        P2MConfig config = P2MConfig.Default(Geometry.Mini);
        Op[] few = Ops(100), many = Ops(10_100);
        runner.Run(config, many); // warm up: buffers grown, code jitted

        long before = GC.GetAllocatedBytesForCurrentThread();
        Verdict shortRun = runner.Run(config, few);
        long afterFew = GC.GetAllocatedBytesForCurrentThread();
        Verdict longRun = runner.Run(config, many);
        long afterMany = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(shortRun.IsPass, shortRun.ToString());
        Assert.True(longRun.IsPass, longRun.ToString());
        Assert.True(runner.LastRunWork.WholeStateChecks > 100, $"{runner.LastRunWork}: the long run's full checks are measured too");
        // Same per-run cost (the two sides, the verdict, whose message is a few characters longer for
        // the longer run); one object per step would add at least 240,000 bytes over 10,000 more steps.
        long extra = (afterMany - afterFew) - (afterFew - before);
        Assert.InRange(extra, 0, 16);
    }
}
