using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Scripts;

/// <summary>Every operation kind and expectation kind prints to its canonical line and parses back.</summary>
public class ScriptRoundTripTests
{
    private static readonly string[] Canonical =
    [
        "map gfn=0x40 mfn=0x200 nr=64 type=ram_rw",
        "map gfn=0x0 mfn=0xffffffffffffffff nr=18446744073709551615 type=invalid",
        "map gfn=0x7ff mfn=0xfff nr=1 type=ext_storage",
        "unmap gfn=0x45 nr=1",
        "retype gfn=0x48 nr=8 from=ram_rw to=ram_ro",
        "retype gfn=0x48 nr=0 from=map_foreign_rw to=iommu_map_ro",
        "identity start=0x100 end=0x118",
        "foreign gfn=0x300 mfn=0x77 access=ro",
        "foreign gfn=0x300 mfn=0x77 access=rw",
        "grant-setup frames=4",
        "grant-map frame=2 gfn=0x310",
        "lookup gfn=0x40",
        "translate gfn=0xffffffffffffffff",
        "fail-allocs n=1",
        "directmap on",
        "directmap off",
        "teardown",
        "expect gfn=0x40 mfn=0x200 type=ram_rw order=0",
        "expect gfn=0x100 mfn=0x100 type=mmio_direct_io order=0 identity=1",
        "expect gfn=0x45 unmapped",
        "expect-rc ok",
        "expect-rc ok done=8",
        "expect-rc EINVAL",
        "expect-rc ENOMEM done=0",
        "expect-rc EBUSY",
        "expect-refs mfn=0x77 count=1",
        "expect-grant frame=2 gfn=0x310",
        "expect-grant frame=31 gfn=invalid",
    ];

    public static TheoryData<string> CanonicalLines => new(Canonical);

    [Theory]
    [MemberData(nameof(CanonicalLines))]
    public void Canonical_line_parses_and_prints_back_identically(string text)
    {
        Script script = ScriptParser.Parse(text, "line.p2m");

        ScriptLine line = Assert.Single(script.Lines);
        Assert.Equal(1, line.Line);
        Assert.Equal(text, ScriptPrinter.Format(line));
        if (line is OpLine op)
            Assert.Equal(text, ScriptPrinter.Format(op.Op));
    }

    public static TheoryData<string, string> NonCanonicalLines => new()
    {
        { "map type=ram_rw nr=0x40 mfn=512 gfn=64", "map gfn=0x40 mfn=0x200 nr=64 type=ram_rw" },
        { "  unmap\tgfn=0xAbC nr=0x10  ", "unmap gfn=0xabc nr=16" },
        { "grant-map gfn=0x310 frame=0x2", "grant-map frame=2 gfn=0x310" },
        { "expect order=3 type=ram_ro mfn=008 gfn=0x0000", "expect gfn=0x0 mfn=0x8 type=ram_ro order=3" },
        { "expect gfn=1 mfn=1 type=ram_rw order=0 identity=0", "expect gfn=0x1 mfn=0x1 type=ram_rw order=0" },
        { "expect unmapped gfn=1", "expect gfn=0x1 unmapped" },
        { "expect-rc done=0x10 ENOMEM", "expect-rc ENOMEM done=16" },
        { "expect-refs count=2 mfn=5", "expect-refs mfn=0x5 count=2" },
        { "expect-grant gfn=0xffffffffffffffff frame=1", "expect-grant frame=1 gfn=invalid" },
        { "teardown # and a comment", "teardown" },
        { "lookup gfn=1#no space before the comment", "lookup gfn=0x1" },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalLines))]
    public void Any_key_order_and_number_base_parses_to_the_canonical_line(string text, string canonical)
    {
        ScriptLine line = Assert.Single(ScriptParser.Parse(text, "line.p2m").Lines);
        Assert.Equal(canonical, ScriptPrinter.Format(line));
    }

    [Fact]
    public void Every_type_name_is_accepted_by_the_parser()
    {
        foreach (P2MType type in P2MTypes.All)
        {
            string name = P2MTypes.Name(type);
            Script script = ScriptParser.Parse($"map gfn=1 mfn=2 nr=3 type={name}\nretype gfn=1 nr=1 from={name} to={name}", "types.p2m");
            Assert.Equal(Op.Map(new Gfn(1), new Mfn(2), 3, type), Assert.IsType<OpLine>(script.Lines[0]).Op);
            Assert.Equal(Op.Retype(new Gfn(1), 1, type, type), Assert.IsType<OpLine>(script.Lines[1]).Op);
        }
    }

    [Fact]
    public void Whole_script_with_every_kind_round_trips()
    {
        var script = new Script("all.p2m", Geometry.Real, 4, ["found by fuzz", "", " indented", "# hashes # inside"],
            Canonical.Select(text => ScriptParser.Parse(text, "x").Lines[0]).ToList());

        Script back = ScriptParser.Parse(ScriptPrinter.Print(script), "back.p2m");

        ScriptContent.AssertSame(script, back);
        Assert.Equal(Enumerable.Range(7, script.Lines.Count), back.Lines.Select(l => l.Line));
    }

    [Fact]
    public void Print_leaves_out_pool_when_unset_but_always_writes_geometry()
    {
        var script = Script.FromOps("ops.p2m", Geometry.Mini, null, [Op.Teardown()]);
        Assert.Equal("geometry mini\nteardown\n", ScriptPrinter.Print(script));
    }

    [Fact]
    public void Defaults_are_mini_and_no_pool()
    {
        Script script = ScriptParser.Parse("", "empty.p2m");
        Assert.Same(Geometry.Mini, script.Geometry);
        Assert.Null(script.PoolPages);
        Assert.Empty(script.Header);
        Assert.Empty(script.Lines);
    }

    [Fact]
    public void Header_is_the_leading_comment_block_only()
    {
        const string text = "#first\n#  second\n#\n\n# not header: after a blank line\ngeometry real # nor this\n# nor this\nteardown\n";
        Script script = ScriptParser.Parse(text, "h.p2m");
        Assert.Equal(["first", " second", ""], script.Header);
        Assert.Same(Geometry.Real, script.Geometry);
        Assert.Equal(8, Assert.Single(script.Lines).Line);
    }

    [Fact]
    public void Crlf_line_endings_and_pool_bounds_are_accepted()
    {
        Script low = ScriptParser.Parse("# crlf\r\npool pages=4\r\nteardown\r\n", "crlf.p2m");
        Assert.Equal(["crlf"], low.Header);
        Assert.Equal(4, low.PoolPages);
        Assert.Equal(3, Assert.Single(low.Lines).Line);

        Assert.Equal(1 << 22, ScriptParser.Parse("pool pages=0x400000", "max.p2m").PoolPages);
    }

    [Fact]
    public void ParseFile_reads_the_file_and_names_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"script-{Guid.NewGuid():n}.p2m");
        try
        {
            File.WriteAllText(path, ScriptExampleTests.Example);
            Script script = ScriptParser.ParseFile(path);
            Assert.Equal(path, script.Path);
            Assert.Equal(19, script.Lines.Count);

            File.WriteAllText(path, "teardown\nbogus\n");
            var error = Assert.Throws<ScriptParseException>(() => ScriptParser.ParseFile(path));
            Assert.Equal(path, error.Path);
            Assert.Equal(2, error.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
