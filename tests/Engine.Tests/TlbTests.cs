using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests;

public class TlbTests
{
    private static EngineP2M Mini() => new(P2MConfig.Default(Geometry.Mini));

    private static FrameState Translate(EngineP2M e, ulong gfn)
    {
        var r = e.Apply(Op.Translate(new Gfn(gfn)));
        Assert.Equal(ResultCode.Ok, r.Code);
        return r.Frame;
    }

    [Fact]
    public void Translate_answers_as_lookup_and_caches_the_whole_leaf()
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw));
        Assert.Equal(e.Read(new Gfn(0x41)), Translate(e, 0x41));
        // The second frame of the same leaf comes from the line filled by the first.
        Assert.Equal(new FrameState(new Mfn(0x23f), P2MType.RamRw, 6, false), Translate(e, 0x7f));
        Assert.Null(e.Audit());
    }

    [Theory]
    [InlineData("unmap")]
    [InlineData("retype")]
    [InlineData("split")]
    [InlineData("remap")]
    [InlineData("teardown")]
    public void Every_change_to_a_cached_entry_is_flushed(string change)
    {
        var e = Mini();
        e.Apply(Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw));
        Translate(e, 0x45);
        switch (change)
        {
            case "unmap": e.Apply(Op.Unmap(new Gfn(0x40), 64)); break;
            case "retype": e.Apply(Op.Retype(new Gfn(0x40), 64, P2MType.RamRw, P2MType.RamRo)); break;
            case "split": e.Apply(Op.Unmap(new Gfn(0x46), 1)); break;
            case "remap": e.Apply(Op.Map(new Gfn(0x45), new Mfn(0x999), 1, P2MType.RamRw)); break;
            case "teardown": e.Apply(Op.Teardown()); break;
        }
        Assert.Null(e.Audit());
        Assert.Equal(e.Read(new Gfn(0x45)), Translate(e, 0x45));
    }

    [Fact]
    public void Identity_frames_translate_to_themselves()
    {
        var e = Mini();
        Assert.Equal(OpResult.Of(ResultCode.Ok, 20), e.Apply(Op.Identity(new Gfn(0x104), new Gfn(0x118))));
        Assert.Equal(new FrameState(new Mfn(0x10a), P2MType.MmioDirectIo, 0, true), Translate(e, 0x10a));
        Assert.Equal(new FrameState(new Mfn(0x105), P2MType.MmioDirectIo, 0, true), Translate(e, 0x105));
        e.Apply(Op.Unmap(new Gfn(0x10a), 1));
        Assert.Equal(FrameState.Unmapped, Translate(e, 0x10a));
        Assert.Null(e.Audit());
    }
}
