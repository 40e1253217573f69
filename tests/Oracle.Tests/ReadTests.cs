using P2M.Contract;
using static P2M.Oracle.Tests.Script;

namespace P2M.Oracle.Tests;

/// <summary>Reads: lookup, translate, Read, ReadRange, MappedRuns; and the operations that change nothing.</summary>
public class ReadTests
{
    [Fact]
    public void Name_and_geometry()
    {
        Assert.Equal("oracle", Mini().Name);
        Assert.Same(Geometry.Mini, Mini().Geometry);
        Assert.Same(Geometry.Real, Real().Geometry);
        Assert.Same(Geometry.Mini, new OracleP2M(new P2MConfig(Geometry.Mini, PoolPages: 1)).Geometry);
    }

    [Fact]
    public void A_fresh_oracle_is_empty()
    {
        var p2m = Mini();
        Assert.Empty(p2m.MappedRuns());
        Assert.Empty(p2m.HeldReferences());
        Assert.Equal(0, p2m.GrantFrames);
        Expect.Unmapped(p2m, 0x0, 0x7FF);
    }

    [Fact]
    public void Lookup_and_translate_answer_the_frame()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Identity(0x100, 0x101), done: 1);
        var mapped = new FrameState(new Mfn(0x207), P2MType.RamRw, 6, false);
        var identity = new FrameState(new Mfn(0x100), P2MType.MmioDirectIo, 0, true);
        Assert.Equal(new OpResult(ResultCode.Ok, 0, mapped), p2m.Apply(Lookup(0x47)));
        Assert.Equal(new OpResult(ResultCode.Ok, 0, mapped), p2m.Apply(Translate(0x47)));
        Assert.Equal(new OpResult(ResultCode.Ok, 0, identity), p2m.Apply(Lookup(0x100)));
        Assert.Equal(new OpResult(ResultCode.Ok, 0, identity), p2m.Apply(Translate(0x100)));
        Assert.Equal(new OpResult(ResultCode.Ok, 0, FrameState.Unmapped), p2m.Apply(Lookup(0x80)));
        Assert.Equal(new OpResult(ResultCode.Ok, 0, FrameState.Unmapped), p2m.Apply(Translate(0x7FF)));
    }

    [Fact]
    public void Out_of_space_reads_are_unmapped()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x7FE, 0x10, 2), done: 2);
        Assert.Equal(FrameState.Unmapped, p2m.Read(new Gfn(0x800)));
        Assert.Equal(FrameState.Unmapped, p2m.Read(Gfn.Invalid));

        var frames = new FrameState[4];
        p2m.ReadRange(new Gfn(0x7FE), frames);
        Assert.Equal(
            [
                new FrameState(new Mfn(0x10), P2MType.RamRw, 0, false),
                new FrameState(new Mfn(0x11), P2MType.RamRw, 0, false),
                FrameState.Unmapped,
                FrameState.Unmapped,
            ],
            frames);

        p2m.ReadRange(new Gfn(ulong.MaxValue - 1), frames);
        Assert.All(frames, frame => Assert.Equal(FrameState.Unmapped, frame));
    }

    [Fact]
    public void Mapped_runs_merge_what_is_contiguous()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Assert.Equal([new MappedRun(new Gfn(0x40), 64, new Mfn(0x200), P2MType.RamRw, 6, false)], p2m.MappedRuns());

        Ok(p2m, Unmap(0x45, 1), done: 1);
        Ok(p2m, Identity(0x100, 0x108), done: 8);
        Ok(p2m, Foreign(0x108, 0x108));
        Assert.Equal(
            [
                new MappedRun(new Gfn(0x40), 5, new Mfn(0x200), P2MType.RamRw, 0, false),
                new MappedRun(new Gfn(0x46), 2, new Mfn(0x206), P2MType.RamRw, 0, false),
                new MappedRun(new Gfn(0x48), 56, new Mfn(0x208), P2MType.RamRw, 3, false),
                new MappedRun(new Gfn(0x100), 8, new Mfn(0x100), P2MType.MmioDirectIo, 0, true),
                new MappedRun(new Gfn(0x108), 1, new Mfn(0x108), P2MType.MapForeignRw, 0, false),
            ],
            p2m.MappedRuns());
    }

    [Fact]
    public void Mapped_runs_break_where_mfns_are_not_contiguous()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x0, 0x11, 2), done: 2);
        Ok(p2m, Map(0x2, 0x20, 2), done: 2);
        Assert.Equal(
            [
                new MappedRun(new Gfn(0x0), 2, new Mfn(0x11), P2MType.RamRw, 0, false),
                new MappedRun(new Gfn(0x2), 2, new Mfn(0x20), P2MType.RamRw, 0, false),
            ],
            p2m.MappedRuns());
    }

    [Fact]
    public void Fail_allocs_and_directmap_change_nothing()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        string before = Expect.Snapshot(p2m);
        Ok(p2m, Op.FailAllocs(1000));
        Ok(p2m, Op.DirectMap(false));
        // The oracle has no pool: a map after fail-allocs still succeeds; the runner replays the
        // engine's ENOMEM through ApplyFailedAt.
        Assert.Equal(before, Expect.Snapshot(p2m));
        Ok(p2m, Map(0x80, 0x300, 8), done: 8);
        Ok(p2m, Op.DirectMap(true));
    }

    [Fact]
    public void Teardown_removes_everything_and_can_be_repeated()
    {
        var p2m = Mini();
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Ok(p2m, Identity(0x100, 0x110), done: 16);
        Ok(p2m, Op.Teardown());
        Assert.Empty(p2m.MappedRuns());
        Ok(p2m, Op.Teardown());
        Ok(p2m, Map(0x40, 0x200, 64), done: 64);
        Expect.Frames(p2m, 0x40, 0x7F, 0x200, P2MType.RamRw, 6);
    }
}
