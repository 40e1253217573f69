using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Inputs;

/// <summary>Reading one input file: only a regular file, its size checked on the handle, never more than the limit read.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-inputfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_regular_file_is_read_whole()
    {
        File.WriteAllBytes(PathOf("x.bin"), [1, 2, 3]);
        Assert.Equal([1, 2, 3], InputFile.ReadAllBytes(PathOf("x.bin"), 3, InputLimits.MaxFileBytesFlag));
    }

    [Fact]
    public void A_file_one_byte_over_the_limit_is_refused_naming_the_limit_and_its_flag()
    {
        File.WriteAllBytes(PathOf("x.bin"), new byte[11]);
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(PathOf("x.bin"), 10, InputLimits.MaxFileBytesFlag));
        Assert.Equal("file is larger than 10 bytes (raise with --max-input-bytes)", e.Message);
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_without_reading_it()
    {
        File.CreateSymbolicLink(PathOf("zero.p2m"), "/dev/zero");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllText(PathOf("zero.p2m"), InputLimits.Default));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("not a regular file (a character device)", e.Message);
        Assert.True(allocated < 64 << 10, $"{allocated} bytes allocated to refuse /dev/zero");
    }

    [Fact]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        string fifo = PathOf("fifo.p2m");
        HostileTree.MakeFifo(fifo);
        // A read that blocks leaves a background thread behind, which does not keep the test run alive.
        var e = Liveness.Within(() => Record.Exception(() => InputFile.ReadAllText(fifo, InputLimits.Default)), "reading a FIFO");
        Assert.Equal("not a regular file (a FIFO)", Assert.IsType<InputFileException>(e).Message);
    }

    [Fact]
    public void A_file_that_claims_to_be_empty_is_still_read_no_further_than_the_limit()
    {
        // /proc files report a size of 0 and hold more: the limit is enforced on what is read, not on what is claimed.
        Assert.Equal(0, new FileInfo("/proc/self/status").Length);
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes("/proc/self/status", 16, null));
        Assert.Equal("file is larger than 16 bytes", e.Message);
        Assert.NotEmpty(InputFile.ReadAllBytes("/proc/self/status", 1 << 20, null));
    }

    [Fact]
    public void A_directory_or_a_missing_file_is_refused_with_the_reason()
    {
        Assert.Equal("not a regular file (a directory)", Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(_dir, 10, null)).Message);
        Assert.Equal("no such file", Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(PathOf("none"), 10, null)).Message);
    }

    [Fact]
    public void Text_drops_a_byte_order_mark_and_keeps_invalid_bytes_as_replacement_characters()
    {
        File.WriteAllBytes(PathOf("x.p2m"), [0xEF, 0xBB, 0xBF, (byte)'a', 0xFF, (byte)'b']);
        Assert.Equal("a\uFFFDb", InputFile.ReadAllText(PathOf("x.p2m"), InputLimits.Default));
    }
}
