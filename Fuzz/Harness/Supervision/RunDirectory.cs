namespace P2M.Fuzz.Supervision;

/// <summary>
/// A supervisor's scratch directory for the status pages and plans of its children, in <c>/dev/shm</c>
/// when there is one (the pages are read all the time; a tmpfs keeps them off the disk), named after the
/// supervisor's process id. A killed supervisor cannot clean up after itself, so each new one first removes
/// the directories of supervisors that are no longer running.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private const string Prefix = "p2mfuzz-run-";

    private RunDirectory(string path) => Path = path;

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Creates a fresh directory for this process, after removing those of dead supervisors.</summary>
    public static RunDirectory Create()
    {
        string root = Directory.Exists("/dev/shm") && IsWritable("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        RemoveStale(root);
        string path = System.IO.Path.Combine(root, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return new RunDirectory(path);
    }

    /// <summary>A path for a file of this run.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    private static void RemoveStale(string root)
    {
        string[] stale;
        try
        {
            stale = Directory.GetDirectories(root, Prefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string directory in stale)
        {
            string rest = System.IO.Path.GetFileName(directory)[Prefix.Length..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out int pid) || IsRunning(pid)) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or busy: leave it.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsWritable(string directory)
    {
        try
        {
            string probe = System.IO.Path.Combine(directory, $".p2mfuzz-probe-{Environment.ProcessId}");
            System.IO.File.WriteAllBytes(probe, []);
            System.IO.File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A child still holding a page open; the next supervisor removes it.
        }
    }
}
