using System.Text;

namespace P2M.Fuzz.Findings;

/// <summary>
/// Writes a file all at once or not at all: the bytes go to a temporary file in the same directory,
/// are flushed to disk, and the temporary file is renamed over the target (a rename within one
/// directory is atomic). A process killed mid-write leaves at worst a stray temporary
/// (<see cref="TemporaryName"/>), never a half-written target that a later run would read as a crash;
/// the stores sweep those at start (<see cref="Inputs.StaleTemporaries"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, TemporaryName.For(Path.GetFileName(path)));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="text"/> in UTF-8, no byte-order mark.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Leaving a stray temporary file is harmless; hiding the original error would not be.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
