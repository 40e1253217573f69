using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// Opens an input file for reading and says what it is, without ever blocking: the type and size are
/// read from the opened handle, not from the path, so a symlink swapped between check and open, a FIFO
/// or a device cannot pass for a regular file.
/// </summary>
/// <remarks>
/// Opening a FIFO for reading blocks until a writer appears, and <see cref="FileInfo.Length"/> says 0 for
/// <c>/dev/zero</c>; .NET's own open offers neither a non-blocking open nor the file type. So on Linux the
/// file is opened with <c>O_NONBLOCK</c> through libc (no effect on a regular file's reads) and its type
/// and size come from <c>statx(fd, "", AT_EMPTY_PATH)</c>, whose structure has one layout on every
/// architecture (unlike <c>struct stat</c>). The flag values used are the same on every architecture .NET
/// runs Linux on. Where libc or the kernel has no <c>statx</c>, the non-blocking handle is kept and the
/// readers' positional reads refuse what cannot seek. On other systems it falls back to .NET's open: a
/// FIFO can block there; readers never read past their limit anywhere.
/// </remarks>
internal static class InputFileHandle
{
    private const int ReadOnly = 0;            // O_RDONLY
    private const int NoControllingTty = 0x100; // O_NOCTTY: opening a terminal must not adopt it
    private const int NonBlocking = 0x800;     // O_NONBLOCK
    private const int CloseOnExec = 0x80000;   // O_CLOEXEC: child processes must not inherit it
    private const int EmptyPath = 0x1000;      // AT_EMPTY_PATH: statx the descriptor itself
    private const uint WantTypeAndSize = 0x1 | 0x200; // STATX_TYPE | STATX_SIZE
    private const int StatxBytes = 256;        // sizeof(struct statx)
    private const int StatxModeOffset = 28;    // __u16 stx_mode
    private const int StatxSizeOffset = 40;    // __u64 stx_size

    private static bool _statxMissing;

    /// <summary>
    /// Opens <paramref name="path"/> (following symlinks) and returns its handle and its size in bytes as
    /// the handle reports it (0 for some special files: readers bound what they read themselves).
    /// </summary>
    /// <exception cref="InputFileException">It does not exist, cannot be opened, or is not a regular file.</exception>
    public static SafeFileHandle OpenRegular(string path, out long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsLinux() ? OpenLinux(path, out length) : OpenPortable(path, out length);
    }

    private static SafeFileHandle OpenLinux(string path, out long length)
    {
        int fd = Open(path, ReadOnly | NonBlocking | NoControllingTty | CloseOnExec, 0);
        if (fd < 0)
            throw new InputFileException(path, Reason(Marshal.GetLastPInvokeError()));
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (TryStatx(fd, path, out int mode, out ulong size))
            {
                if ((mode & TypeMask) != RegularType)
                    throw new InputFileException(path, $"not a regular file ({TypeName(mode)})");
                length = size > long.MaxValue ? long.MaxValue : (long)size;
            }
            else
            {
                // An old libc or kernel, or a sandbox refusing statx: keep the non-blocking handle and let
                // the readers' positional reads refuse what cannot seek (a FIFO, a socket).
                length = LengthOf(handle, path);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The type bits and size of the open <paramref name="fd"/>; false when this system has no statx.</summary>
    private static bool TryStatx(int fd, string path, out int mode, out ulong size)
    {
        mode = 0;
        size = 0;
        if (_statxMissing)
            return false;
        byte[] buffer = new byte[StatxBytes];
        try
        {
            if (Statx(fd, "", EmptyPath, WantTypeAndSize, buffer) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is not (Enosys or Eperm))
                    throw new InputFileException(path, Reason(errno));
                _statxMissing = true;
                return false;
            }
        }
        catch (EntryPointNotFoundException)
        {
            _statxMissing = true;
            return false;
        }
        // statx fills the structure in the machine's own byte order.
        mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(StatxModeOffset));
        size = MemoryMarshal.Read<ulong>(buffer.AsSpan(StatxSizeOffset));
        return true;
    }

    private static SafeFileHandle OpenPortable(string path, out long length)
    {
        if (Directory.Exists(path))
            throw new InputFileException(path, "not a regular file (a directory)");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException(path, "no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFileException(path, "permission denied");
        }
        try
        {
            length = LengthOf(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }

    private static long LengthOf(SafeFileHandle handle, string path)
    {
        try
        {
            return RandomAccess.GetLength(handle);
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            throw new InputFileException(path, "not a regular file");
        }
    }

    private const int Eperm = 1, Enoent = 2, Eacces = 13, Enotdir = 20, Eloop = 40, Enosys = 38;
    private const int TypeMask = 0xF000, RegularType = 0x8000;

    private static string Reason(int errno) => errno switch
    {
        Enoent or Enotdir => "no such file",
        Eacces or Eperm => "permission denied",
        Eloop => "too many levels of symbolic links",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };

    private static string TypeName(int mode) => (mode & TypeMask) switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xA000 => "a symbolic link",
        0xC000 => "a socket",
        _ => "an unknown kind of file",
    };

    // open(2) is variadic; passing the mode as a plain third int is how every caller without O_CREAT does it.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
