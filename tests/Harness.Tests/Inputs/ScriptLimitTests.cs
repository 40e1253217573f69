using P2M.Fuzz.Inputs;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Inputs;

/// <summary>The parser enforces <see cref="InputLimits"/>: each limit at its value passes, one past it is an error naming the flag.</summary>
public sealed class ScriptLimitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ScriptParseException Refused(string text, InputLimits limits) =>
        Assert.Throws<ScriptParseException>(() => ScriptParser.Parse(text, "x.p2m", limits));

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_at_its_line()
    {
        var limits = InputLimits.Default with { MaxLineLength = 40 };
        string fits = "# " + new string('c', 38);
        ScriptParser.Parse($"geometry mini\n{fits}\r\nlookup gfn=1\n", "x.p2m", limits);

        var e = Refused($"geometry mini\nlookup gfn=1\n{fits}c\n", limits);

        Assert.Equal("x.p2m:3: line is longer than 40 characters (raise with --max-line-length)", e.Message);
    }

    [Fact]
    public void Operations_past_the_limit_are_refused_and_expectations_do_not_count()
    {
        var limits = InputLimits.Default with { MaxOps = 2 };
        ScriptParser.Parse("lookup gfn=1\nexpect gfn=1 unmapped\nlookup gfn=2\nexpect-rc ok\n", "x.p2m", limits);

        var e = Refused("lookup gfn=1\nexpect gfn=1 unmapped\nlookup gfn=2\nlookup gfn=3\n", limits);

        Assert.Equal("x.p2m:4: more than 2 operations (raise with --max-input-ops)", e.Message);
    }

    [Fact]
    public void Frames_are_summed_over_the_range_operations()
    {
        var limits = InputLimits.Default with { MaxFrames = 100 };
        // 40 + 30 + 20 + 10 = 100; a range over the geometry's largest (256 in mini) is EINVAL and counts 0.
        const string fits = """
            geometry mini
            map gfn=0 mfn=0 nr=40 type=ram_rw
            unmap gfn=0 nr=30
            retype gfn=0 nr=20 from=ram_rw to=ram_ro
            identity start=0x100 end=0x10a
            map gfn=0 mfn=0 nr=257 type=ram_rw
            identity start=0x10 end=0x8
            lookup gfn=0
            """;
        ScriptParser.Parse(fits, "x.p2m", limits);

        var e = Refused(fits + "\nunmap gfn=0 nr=1\n", limits);

        Assert.Equal("x.p2m:9: operations name more than 100 frames (raise with --max-input-frames)", e.Message);
    }

    [Fact]
    public void Frames_are_counted_in_the_scripts_geometry()
    {
        // 1024 frames is past mini's largest range (EINVAL, no work) but a real range.
        var limits = InputLimits.Default with { MaxFrames = 1000 };
        ScriptParser.Parse("geometry mini\nmap gfn=0 mfn=0 nr=1024 type=ram_rw\n", "x.p2m", limits);
        Refused("geometry real\nmap gfn=0 mfn=0 nr=1024 type=ram_rw\n", limits);
    }

    [Fact]
    public void A_script_file_larger_than_the_limit_is_refused_unparsed()
    {
        string path = Path.Combine(_dir, "big.p2m");
        File.WriteAllText(path, "lookup gfn=1\n");  // 13 bytes

        ScriptParser.ParseFile(path, InputLimits.Default with { MaxFileBytes = 13 });
        var e = Assert.Throws<InputFileException>(() => ScriptParser.ParseFile(path, InputLimits.Default with { MaxFileBytes = 12 }));

        Assert.Equal("file is larger than 12 bytes (raise with --max-input-bytes)", e.Message);
    }

    [Fact]
    public void A_huge_token_is_quoted_as_a_short_excerpt()
    {
        string token = new('7', 1 << 20);
        var e = Refused($"map gfn={token}x mfn=0 nr=1 type=ram_rw\n", InputLimits.Default with { MaxLineLength = 2 << 20 });

        Assert.Equal($"x.p2m:1: expected a decimal or 0x hexadecimal number for gfn, found '{new string('7', InputExcerpt.DefaultLength)}...' (1048577 characters)", e.Message);
    }
}
