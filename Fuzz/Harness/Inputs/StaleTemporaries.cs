using System.Diagnostics;
using P2M.Fuzz.Findings;

namespace P2M.Fuzz.Inputs;

/// <summary>
/// Removes the temporaries that killed writers left in a store's directory (<see cref="AtomicFile"/>
/// names them with <see cref="TemporaryName"/>). Run by each store when it opens the directory it owns.
/// Only this tool's temporaries are touched, and never one a live process may still be writing.
/// </summary>
/// <remarks>
/// A temporary goes when its writer's process is gone and it is older than <see cref="Grace"/> (a writer
/// in another PID namespace sharing the directory would look gone; no write takes that long), or, whatever
/// its writer, when it is older than <see cref="MaxAge"/>: by then the id may belong to another process,
/// and no write lasts a day. Temporaries named before the writer's id was recorded go by age alone.
/// </remarks>
public static class StaleTemporaries
{
    /// <summary>Age below which a temporary is always kept.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>Age above which a temporary goes whatever process id it names.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Removes the stale temporaries directly in <paramref name="directory"/> (not below it); returns how
    /// many. Failures to list or delete are reported to <paramref name="warnings"/> and change nothing else.
    /// </summary>
    public static int Remove(string directory, TextWriter warnings)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!Directory.Exists(directory))
            return 0;
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, ".*" + TemporaryName.Extension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.WriteLine($"{directory}: temporaries not swept: {e.Message}");
            return 0;
        }
        Array.Sort(candidates, StringComparer.Ordinal);

        int removed = 0;
        DateTime now = DateTime.UtcNow;
        foreach (string path in candidates)
        {
            if (!TemporaryName.TryParse(Path.GetFileName(path), out int? writer))
                continue;
            try
            {
                var info = new FileInfo(path);
                if (info.LinkTarget is not null)
                    continue; // AtomicFile never makes links; this is not one of its temporaries
                TimeSpan age = now - info.LastWriteTimeUtc;
                bool stale = age > MaxAge || (age > Grace && writer is int pid && !IsRunning(pid));
                if (!stale)
                    continue;
                info.Delete();
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.WriteLine($"{path}: stale temporary not removed: {e.Message}");
            }
        }
        if (removed > 0)
            warnings.WriteLine($"{directory}: removed {removed} temporary file(s) left by killed writers");
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        try
        {
            // Found means running (or a zombie, which is as good): its temporary is kept.
            using Process process = Process.GetProcessById(pid);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }
}
