using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Inputs;

/// <summary>Walking a directory: sorted, and never through a link to a directory.</summary>
public sealed class InputDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-walk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Make(string relative)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void A_link_cycle_is_reported_and_not_followed()
    {
        string a = Make("a.p2m"), b = Make("sub/b.p2m");
        File.CreateSymbolicLink(Path.Combine(_dir, "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(_dir, "up"), _dir);
        var skipped = new StringWriter();

        var files = Liveness.Within(() => InputDirectory.Files(_dir, _ => true, skipped), "a walk over a link cycle");

        Assert.Equal([a, b], files);
        // Reported as the walk meets them: a directory's own entries before its subdirectories'.
        Assert.Equal(
            $"{Path.Combine(_dir, "up")}: skipped: a symbolic link to a directory (links to directories are not followed)\n" +
            $"{Path.Combine(_dir, "sub", "loop")}: skipped: a symbolic link to a directory (links to directories are not followed)\n",
            skipped.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Files_come_in_path_order_links_to_files_included()
    {
        string z = Make("z.p2m"), m = Make("m/x.p2m"), a = Make("a/b/c.p2m");
        string link = Path.Combine(_dir, "k.p2m");
        File.CreateSymbolicLink(link, z);
        Make("notes.md");

        var files = InputDirectory.Files(_dir, name => name.EndsWith(".p2m", StringComparison.Ordinal), TextWriter.Null);

        Assert.Equal([a, link, m, z], files);
    }

    [Fact]
    public void The_directory_named_is_followed_even_when_it_is_a_link()
    {
        string a = Make("real/a.p2m");
        string named = Path.Combine(_dir, "named");
        File.CreateSymbolicLink(named, Path.Combine(_dir, "real"));

        Assert.Equal([Path.Combine(named, "a.p2m")], InputDirectory.Files(named, _ => true, TextWriter.Null));
        Assert.True(File.Exists(a));
    }
}
