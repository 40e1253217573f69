using P2M.Fuzz.Findings;

namespace P2M.Harness.Tests.Findings;

/// <summary>Whole-file writes: the target holds the old or the new content, and nothing else is left behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2m-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_replace_the_file_and_leave_nothing_else()
    {
        string path = Path.Combine(_dir, "x.p2m");
        AtomicFile.WriteAllText(path, "first\n");
        AtomicFile.WriteAllText(path, "second\n");

        Assert.Equal("second\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file()
    {
        // The target is a directory: the rename fails after the temporary file was written.
        string target = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(target);

        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, "text"));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
