using P2M.Contract;

namespace P2M.Harness.Tests.Running;

/// <summary>A report prints a frame as each side holds it: two different states never read the same.</summary>
public class FrameStateTextTests
{
    [Fact]
    public void Only_the_unmapped_state_reads_unmapped() =>
        Assert.Equal("unmapped", FrameState.Unmapped.ToString());

    [Fact]
    public void A_frame_of_invalid_type_that_keeps_an_mfn_shows_it()
    {
        var stale = new FrameState(new Mfn(0x200), P2MType.Invalid, 0, false);
        Assert.Equal("mfn=0x200 type=invalid order=0", stale.ToString());
        Assert.NotEqual(FrameState.Unmapped.ToString(), stale.ToString());
        Assert.NotEqual(new FrameState(new Mfn(0x201), P2MType.Invalid, 0, false).ToString(), stale.ToString());
    }

    [Fact]
    public void A_mapped_frame_reads_as_a_script_would_write_it() =>
        Assert.Equal("mfn=0x10 type=ram_rw order=9 identity=1", new FrameState(new Mfn(0x10), P2MType.RamRw, 9, true).ToString());
}
