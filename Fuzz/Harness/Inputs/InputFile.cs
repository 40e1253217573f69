using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// Reads an input file whole, safely: only a regular file (<see cref="InputFileHandle"/>), its size
/// checked on the opened handle, and never more than the limit read, whatever the file claims (a
/// <c>/proc</c> file says 0 bytes and holds more). Every loader of scripts, binary inputs and stats
/// files reads through here.
/// </summary>
public static class InputFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The bytes of <paramref name="path"/>, at most <paramref name="maxBytes"/> of them.
    /// </summary>
    /// <param name="path">The file; symlinks are followed, then the target must be a regular file.</param>
    /// <param name="maxBytes">Most bytes the file may hold.</param>
    /// <param name="raiseWith">The flag that raises <paramref name="maxBytes"/>, named in the error; null when none does.</param>
    /// <exception cref="InputFileException">Missing, not a regular file, or larger than <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, string? raiseWith)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        using SafeFileHandle handle = InputFileHandle.OpenRegular(path, out long length);
        if (length > maxBytes)
            throw TooLarge(path, maxBytes, raiseWith);

        // Sized from the handle's length, grown if the file holds more than it said, one byte past the
        // limit at most: reading that byte is how a file that lies about its size is caught.
        long cap = Math.Min(maxBytes, Array.MaxLength - 1) + 1;
        byte[] buffer = new byte[Math.Min(cap, Math.Max(length, 4096) + 1)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= cap)
                    throw TooLarge(path, maxBytes, raiseWith);
                Array.Resize(ref buffer, (int)Math.Min(cap, (long)buffer.Length * 2));
            }
            int read;
            try
            {
                read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
            }
            catch (NotSupportedException)
            {
                // Only reachable without statx (see InputFileHandle): a handle that cannot seek is no regular file.
                throw new InputFileException(path, "not a regular file");
            }
            if (read == 0) break;
            filled += read;
        }
        if (filled > maxBytes)
            throw TooLarge(path, maxBytes, raiseWith);
        Array.Resize(ref buffer, filled);
        return buffer;
    }

    /// <summary>
    /// The text of <paramref name="path"/> as UTF-8 (a byte-order mark dropped, invalid bytes as U+FFFD),
    /// the file at most <see cref="InputLimits.MaxFileBytes"/> bytes (see <see cref="ReadAllBytes"/>).
    /// </summary>
    public static string ReadAllText(string path, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        byte[] bytes = ReadAllBytes(path, limits.MaxFileBytes, InputLimits.MaxFileBytesFlag);
        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        return Utf8.GetString(text);
    }

    private static InputFileException TooLarge(string path, long maxBytes, string? raiseWith) =>
        new(path, string.Create(CultureInfo.InvariantCulture,
            $"file is larger than {maxBytes} bytes{(raiseWith is null ? "" : $" (raise with {raiseWith})")}"));
}
