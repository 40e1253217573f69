using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Scripts;

/// <summary>Compares scripts by what they say, ignoring line numbers and path.</summary>
internal static class ScriptContent
{
    /// <summary>The line with its line number cleared.</summary>
    public static ScriptLine WithoutNumber(ScriptLine line) => line with { Line = 0 };

    /// <summary>True when geometry, pool, header and every line's content agree.</summary>
    public static bool Same(Script a, Script b) =>
        a.Geometry == b.Geometry
        && a.PoolPages == b.PoolPages
        && a.Header.SequenceEqual(b.Header)
        && a.Lines.Select(WithoutNumber).SequenceEqual(b.Lines.Select(WithoutNumber));

    /// <summary>Asserts <see cref="Same"/>, naming the first difference.</summary>
    public static void AssertSame(Script expected, Script actual)
    {
        Assert.Same(expected.Geometry, actual.Geometry);
        Assert.Equal(expected.PoolPages, actual.PoolPages);
        Assert.Equal(expected.Header, actual.Header);
        Assert.Equal(expected.Lines.Select(WithoutNumber), actual.Lines.Select(WithoutNumber));
    }
}
