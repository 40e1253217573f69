using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Inputs;

/// <summary>Quoting input in messages: short, printable, one line.</summary>
public class InputExcerptTests
{
    [Theory]
    [InlineData("nr=0x1g", "'nr=0x1g'")]
    [InlineData("start=0xffffffffffffffff", "'start=0xffffffffffffffff'")]
    [InlineData("a\tb\nc\r\\", @"'a\tb\nc\r\\'")]
    [InlineData("\u001b[31mred", @"'\x1b[31mred'")]
    [InlineData("caf\u00e9 \u2028", @"'caf\xe9 \u2028'")]
    public void Short_text_is_quoted_whole_and_escaped(string text, string quoted) => Assert.Equal(quoted, InputExcerpt.Quote(text));

    [Fact]
    public void Long_text_is_cut_and_its_length_named()
    {
        string quoted = InputExcerpt.Quote(new string('a', 1 << 20));
        Assert.Equal($"'{new string('a', InputExcerpt.DefaultLength)}...' (1048576 characters)", quoted);
    }

    [Fact]
    public void An_escape_is_never_cut_in_half()
    {
        string escaped = InputExcerpt.Escape(new string('a', 22) + "\u0001", 24, out bool cut);
        Assert.True(cut);
        Assert.Equal(new string('a', 22), escaped);
    }

    [Fact]
    public void The_output_is_printable_ascii_whatever_the_input()
    {
        var chars = Enumerable.Range(0, 0x3000).Select(i => (char)i).ToArray();
        string escaped = InputExcerpt.Escape(chars, 1 << 20, out bool cut);
        Assert.False(cut);
        Assert.All(escaped, c => Assert.InRange(c, ' ', '~'));
    }
}
