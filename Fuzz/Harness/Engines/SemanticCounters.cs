using System.IO.MemoryMappedFiles;
using P2M.Coverage;

namespace P2M.Fuzz.Engines;

/// <summary>
/// The engine's probe counters handed to the native libFuzzer driver, which adds them to libFuzzer's
/// extra counters beside SharpFuzz's IL edges. The driver shares a small file (a memfd it passes as
/// <c>/proc/self/fd/N</c>); after each run the whole map is copied into it, so nothing needs clearing.
/// </summary>
public sealed class SemanticCounters : IDisposable
{
    /// <summary>The environment variable naming the shared file.</summary>
    public const string PathVariable = "P2M_SEMANTIC_COUNTERS";

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte[] _buffer = new byte[CoverageMap.Size];

    private SemanticCounters(string path)
    {
        // The driver sized the file; a map of another size is a driver of another build.
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, CoverageMap.Size, MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>The shared counters the driver named, or null when not run by it.</summary>
    public static SemanticCounters? FromEnvironment() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? new SemanticCounters(path) : null;

    /// <summary>Copies <paramref name="map"/>'s counters into the shared file.</summary>
    public void Publish(CoverageMap map)
    {
        map.Counters.CopyTo(_buffer);
        _view.WriteArray(0, _buffer, 0, _buffer.Length);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
