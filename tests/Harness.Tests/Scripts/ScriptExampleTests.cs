using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Scripts;

/// <summary>The example of SCRIPT-FORMAT.md, verbatim.</summary>
public class ScriptExampleTests
{
    internal const string Example = """
        # A comment runs to the end of the line. Blank lines are ignored.
        geometry mini          # optional, before any operation: mini (default) or real
        pool pages=64          # optional, before any operation: pool capacity in pages, root included

        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        unmap gfn=0x45 nr=1
        expect gfn=0x40 mfn=0x200 type=ram_rw order=0
        expect gfn=0x48 mfn=0x208 type=ram_rw order=3
        expect gfn=0x45 unmapped
        retype gfn=0x48 nr=8 from=ram_rw to=ram_ro
        expect-rc ok done=8
        identity start=0x100 end=0x118
        foreign gfn=0x300 mfn=0x77 access=ro
        expect-refs mfn=0x77 count=1
        grant-setup frames=4
        grant-map frame=2 gfn=0x310
        expect-grant frame=2 gfn=0x310
        fail-allocs n=1
        directmap off
        lookup gfn=0x40
        translate gfn=0x40
        teardown
        expect-refs mfn=0x77 count=0

        """;

    private static FrameState Mapped(ulong mfn, P2MType type, int order) => new(new Mfn(mfn), type, order, false);

    private static readonly ScriptLine[] Expected =
    [
        new OpLine(5, Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw)),
        new OpLine(6, Op.Unmap(new Gfn(0x45), 1)),
        new ExpectFrame(7, new Gfn(0x40), Mapped(0x200, P2MType.RamRw, 0)),
        new ExpectFrame(8, new Gfn(0x48), Mapped(0x208, P2MType.RamRw, 3)),
        new ExpectFrame(9, new Gfn(0x45), FrameState.Unmapped),
        new OpLine(10, Op.Retype(new Gfn(0x48), 8, P2MType.RamRw, P2MType.RamRo)),
        new ExpectRc(11, ResultCode.Ok, 8),
        new OpLine(12, Op.Identity(new Gfn(0x100), new Gfn(0x118))),
        new OpLine(13, Op.Foreign(new Gfn(0x300), new Mfn(0x77), readOnly: true)),
        new ExpectRefs(14, new Mfn(0x77), 1),
        new OpLine(15, Op.GrantSetup(4)),
        new OpLine(16, Op.GrantMap(2, new Gfn(0x310))),
        new ExpectGrant(17, 2, new Gfn(0x310)),
        new OpLine(18, Op.FailAllocs(1)),
        new OpLine(19, Op.DirectMap(false)),
        new OpLine(20, Op.Lookup(new Gfn(0x40))),
        new OpLine(21, Op.Translate(new Gfn(0x40))),
        new OpLine(22, Op.Teardown()),
        new ExpectRefs(23, new Mfn(0x77), 0),
    ];

    [Fact]
    public void Example_parses_to_the_expected_lines_with_their_numbers()
    {
        Script script = ScriptParser.Parse(Example, "example.p2m");

        Assert.Equal("example.p2m", script.Path);
        Assert.Same(Geometry.Mini, script.Geometry);
        Assert.Equal(64, script.PoolPages);
        Assert.Equal(["A comment runs to the end of the line. Blank lines are ignored."], script.Header);
        Assert.Equal(Expected, script.Lines);
        Assert.Equal(new P2MConfig(Geometry.Mini, 64), script.Config);
        Assert.Equal(12, script.Ops.Count());
    }

    [Fact]
    public void Example_prints_canonically()
    {
        string printed = ScriptPrinter.Print(ScriptParser.Parse(Example, "example.p2m"));

        Assert.Equal("""
            # A comment runs to the end of the line. Blank lines are ignored.
            geometry mini
            pool pages=64
            map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
            unmap gfn=0x45 nr=1
            expect gfn=0x40 mfn=0x200 type=ram_rw order=0
            expect gfn=0x48 mfn=0x208 type=ram_rw order=3
            expect gfn=0x45 unmapped
            retype gfn=0x48 nr=8 from=ram_rw to=ram_ro
            expect-rc ok done=8
            identity start=0x100 end=0x118
            foreign gfn=0x300 mfn=0x77 access=ro
            expect-refs mfn=0x77 count=1
            grant-setup frames=4
            grant-map frame=2 gfn=0x310
            expect-grant frame=2 gfn=0x310
            fail-allocs n=1
            directmap off
            lookup gfn=0x40
            translate gfn=0x40
            teardown
            expect-refs mfn=0x77 count=0

            """.ReplaceLineEndings("\n"), printed);
    }

    [Fact]
    public void Example_round_trips()
    {
        Script script = ScriptParser.Parse(Example, "example.p2m");
        ScriptContent.AssertSame(script, ScriptParser.Parse(ScriptPrinter.Print(script), "printed.p2m"));
    }
}
