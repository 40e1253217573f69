using System.Text.RegularExpressions;
using P2M.Fuzz.Findings;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The one check every command makes of the paths it names, before any work starts. An output
/// directory is created and a probe file written and deleted in it; an output file's directory likewise,
/// or, when the file is there, it is opened for writing; an input directory must be one. So a mistyped or
/// unwritable <c>--crashes</c> is a one-line usage error at start, not a finding lost an hour later.
/// Each check prints its one line on the error writer and says false.
/// </summary>
internal static partial class CommandPaths
{
    /// <summary>
    /// Checks that <paramref name="path"/> is (or can be made) a directory this process can write in;
    /// true when it is or when <paramref name="path"/> is null (nothing to write).
    /// </summary>
    /// <param name="what">How the command line names it, e.g. <c>fuzz --crashes</c>.</param>
    /// <param name="path">The directory, or null.</param>
    /// <param name="error">Gets the one-line problem.</param>
    public static bool OutputDirectory(string what, string? path, TextWriter error)
    {
        if (path is null)
            return true;
        if (File.Exists(path))
            return Problem(error, what, path, "not a directory");
        try
        {
            System.IO.Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Problem(error, what, path, $"cannot create the directory: {Reason(e)}");
        }
        return Probe(what, path, path, error);
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is a file this process can write (an existing one is opened
    /// for writing, not changed), or one it can create (its directory made, a probe written beside it);
    /// true when it is or when <paramref name="path"/> is null.
    /// </summary>
    /// <param name="what">How the command line names it, e.g. <c>gate --junit</c>.</param>
    /// <param name="path">The file, or null.</param>
    /// <param name="error">Gets the one-line problem.</param>
    public static bool OutputFile(string what, string? path, TextWriter error)
    {
        if (path is null)
            return true;
        if (System.IO.Directory.Exists(path))
            return Problem(error, what, path, "a directory, not a file");
        try
        {
            if (System.IO.File.Exists(path))
            {
                // Opening leaves it as it is: no truncation, no lock. A device or pipe (/dev/stdout) passes too.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                return true;
            }
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            if (System.IO.File.Exists(directory))
                return Problem(error, what, path, $"{directory} is not a directory");
            System.IO.Directory.CreateDirectory(directory);
            return Probe(what, path, directory, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Problem(error, what, path, $"cannot write it: {Reason(e)}");
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> names a directory to read; a missing one is a problem unless
    /// <paramref name="mayBeMissing"/>.
    /// </summary>
    public static bool InputDirectory(string what, string path, TextWriter error, bool mayBeMissing = false)
    {
        if (System.IO.Directory.Exists(path))
            return true;
        if (System.IO.File.Exists(path))
            return Problem(error, what, path, "not a directory");
        return mayBeMissing || Problem(error, what, path, "no such directory");
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> name the same place (after making them absolute).</summary>
    public static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    // A probe named as the atomic writes name their temporaries, so a sweep removes it if we are killed here.
    private static bool Probe(string what, string path, string directory, TextWriter error)
    {
        string probe = Path.Combine(directory, TemporaryName.For("probe"));
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                stream.WriteByte(0);
                stream.Flush();
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Problem(error, what, path, $"cannot write in {directory}: {Reason(e)}");
        }
    }

    // .NET's messages quote the path (the probe's, here); the kind of failure is what the user needs.
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "no such directory",
        _ => QuotedPath().Replace(e.Message, "").TrimEnd('.', ' ', ':'),
    };

    [GeneratedRegex(@"\s*:?\s*'[^']*'")]
    private static partial Regex QuotedPath();

    private static bool Problem(TextWriter error, string what, string path, string reason)
    {
        error.WriteLine($"{what} {path}: {reason}");
        return false;
    }
}
