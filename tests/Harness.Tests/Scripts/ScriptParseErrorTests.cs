using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Scripts;

/// <summary>Each class of malformed line names the file, the line, what was expected and what was found.</summary>
public class ScriptParseErrorTests
{
    // Three good lines first, so the bad one is line 4.
    private const string Prefix = "# header\n\nlookup gfn=1\n";

    public static TheoryData<string, string> BadLines => new()
    {
        // unknown word
        { "frobnicate gfn=1", "expected an operation or expectation (map, unmap, retype, identity, foreign, grant-setup, grant-map, lookup, translate, fail-allocs, directmap, teardown, expect, expect-rc, expect-refs, expect-grant), found 'frobnicate'" },
        { "gfn=1 lookup", "found 'gfn=1'" },
        { "MAP gfn=1 mfn=1 nr=1 type=ram_rw", "found 'MAP'" },
        // unknown key
        { "map gfn=1 mfn=2 nr=3 type=ram_rw colour=red", "expected map gfn=G mfn=M nr=N type=T, found unknown key 'colour=red'" },
        { "expect gfn=1 unmapped mfn=2", "expected expect gfn=G unmapped, found unknown key 'mfn=2'" },
        { "expect-rc ok count=1", "expected expect-rc ok|EINVAL|ENOMEM|EBUSY [done=N], found unknown key 'count=1'" },
        { "lookup =5", "expected key=value, found '=5'" },
        // duplicate key
        { "unmap gfn=1 gfn=2 nr=1", "expected each key once, found 'gfn=' twice" },
        // missing key
        { "unmap gfn=1", "expected nr= for unmap, found none" },
        { "expect gfn=1 mfn=2 type=ram_rw", "expected order= for expect, found none" },
        { "foreign gfn=1 mfn=2", "expected access= for foreign, found none" },
        { "expect-grant frame=1", "expected gfn= for expect-grant, found none" },
        // bad number
        { "lookup gfn=", "expected a decimal or 0x hexadecimal number for gfn, found ''" },
        { "lookup gfn=0x", "expected a decimal or 0x hexadecimal number for gfn, found '0x'" },
        { "lookup gfn=0xg1", "found '0xg1'" },
        { "lookup gfn=12a", "found '12a'" },
        { "lookup gfn=-1", "found '-1'" },
        { "lookup gfn=+1", "found '+1'" },
        { "lookup gfn=0X10", "found '0X10'" },
        { "lookup gfn=1_000", "found '1_000'" },
        { "map gfn=1 mfn=2 nr=1=2 type=ram_rw", "for nr, found '1=2'" },
        { "lookup gfn=invalid", "for gfn, found 'invalid'" },
        // overflow
        { "lookup gfn=0x10000000000000000", "expected a number below 2^64 for gfn, found '0x10000000000000000'" },
        { "unmap gfn=0 nr=18446744073709551616", "expected a number below 2^64 for nr, found '18446744073709551616'" },
        { "expect-refs mfn=1 count=2147483648", "expected count between 0 and 2147483647, found 2147483648" },
        { "expect gfn=1 mfn=1 type=ram_rw order=64", "expected order between 0 and 63, found 64" },
        // bad type / code / choice
        { "map gfn=1 mfn=2 nr=3 type=p2m_ram_rw", "expected a type name (invalid, ram_rw, mmio_direct_io, ext_storage, ram_ro, map_foreign_rw, map_foreign_ro, grant_map_rw, grant_map_ro, mmio_direct_nc, mmio_direct_c, iommu_map_rw, iommu_map_ro) for type, found 'p2m_ram_rw'" },
        { "retype gfn=1 nr=1 from=RAM_RW to=ram_ro", "for from, found 'RAM_RW'" },
        { "expect gfn=1 mfn=1 type=invalid order=0", "expected a mapped type for type (write 'expect gfn=G unmapped' for none), found 'invalid'" },
        { "expect-rc EFAULT", "expected a result code (ok, EINVAL, ENOMEM, EBUSY), found 'EFAULT'" },
        { "expect-rc einval", "found 'einval'" },
        { "expect-rc done=1", "expected a result code (ok, EINVAL, ENOMEM, EBUSY) after expect-rc, found 'done='" },
        { "foreign gfn=1 mfn=2 access=wr", "expected access=rw|ro, found 'wr'" },
        { "directmap maybe", "expected directmap on or off, found 'maybe'" },
        { "directmap", "expected on or off after directmap, found nothing" },
        { "expect gfn=1 mfn=1 type=ram_rw order=0 identity=2", "expected identity between 0 and 1, found 2" },
        // trailing junk
        { "teardown now", "expected teardown, found trailing 'now'" },
        { "directmap on off", "expected directmap on|off, found trailing 'off'" },
        { "lookup gfn=1 gfn", "expected lookup gfn=G, found trailing 'gfn'" },
        { "expect-rc ok ok", "found trailing 'ok'" },
        { "expect gfn=1 unmapped unmapped", "expected expect gfn=G unmapped, found trailing 'unmapped'" },
        // settings out of place or malformed
        { "geometry real", "expected geometry before any operation or expectation, found it after line 3" },
        { "pool pages=64", "expected pool before any operation or expectation, found it after line 3" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Bad_line_names_path_line_and_what_was_expected(string bad, string detail)
    {
        var error = Assert.Throws<ScriptParseException>(() => ScriptParser.Parse(Prefix + bad + "\nteardown\n", "bad.p2m"));

        Assert.Equal("bad.p2m", error.Path);
        Assert.Equal(4, error.Line);
        Assert.StartsWith("expected ", error.Detail);
        Assert.Contains(detail, error.Detail);
        Assert.Equal($"bad.p2m:4: {error.Detail}", error.Message);
    }

    public static TheoryData<string, int, string> BadSettings => new()
    {
        { "geometry mini\ngeometry mini", 2, "expected at most one geometry line, found a second (the first is line 1)" },
        { "pool pages=8\n# c\npool pages=8", 3, "expected at most one pool line, found a second (the first is line 1)" },
        { "geometry huge", 1, "expected geometry mini or real, found 'huge'" },
        { "geometry", 1, "expected mini or real after geometry, found nothing" },
        { "geometry mini real", 1, "expected geometry mini|real, found trailing 'real'" },
        { "geometry name=mini", 1, "expected mini or real after geometry, found 'name='" },
        { "pool pages=3", 1, "expected pages between 4 and 4194304, found 3" },
        { "pool pages=4194305", 1, "expected pages between 4 and 4194304, found 4194305" },
        { "pool", 1, "expected pages= for pool, found none" },
        { "pool pages=8 extra=1", 1, "expected pool pages=N, found unknown key 'extra=1'" },
        { "# c\r\n\r\nteardown\r\nexpect gfn=1\r\n", 4, "expected mfn= for expect, found none" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_setting_names_its_line(string text, int line, string detail)
    {
        var error = Assert.Throws<ScriptParseException>(() => ScriptParser.Parse(text, "settings.p2m"));

        Assert.Equal("settings.p2m", error.Path);
        Assert.Equal(line, error.Line);
        Assert.Equal(detail, error.Detail);
        Assert.Equal($"settings.p2m:{line}: {detail}", error.Message);
    }

    [Fact]
    public void First_error_wins()
    {
        var error = Assert.Throws<ScriptParseException>(() => ScriptParser.Parse("teardown\nbad one\nworse two\n", "f.p2m"));
        Assert.Equal(2, error.Line);
        Assert.Contains("found 'bad'", error.Message);
    }
}
