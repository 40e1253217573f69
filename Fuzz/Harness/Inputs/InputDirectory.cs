namespace P2M.Fuzz.Inputs;

/// <summary>
/// The files under a directory, recursively, sorted by path (ordinal), never looping: a symbolic link
/// to a directory found inside the walk is reported and not followed. The directory named by the caller
/// is followed even when it is a link: someone chose it.
/// </summary>
/// <remarks>
/// Skipping, rather than following with cycle detection, because a pull request can commit a link: one
/// pointing at itself would hang every walk, and one pointing at <c>/</c> or <c>$HOME</c> would read the
/// machine. A link to a file is listed like any file; the loader's read checks what it points to
/// (<see cref="InputFile"/>). A subdirectory that cannot be listed is reported and skipped too. The list
/// depends only on what is on disk, never on the order the system lists it in.
/// </remarks>
public static class InputDirectory
{
    /// <summary>
    /// Every file (and link to something not a directory) under <paramref name="root"/>, sorted by path,
    /// each passing <paramref name="include"/> (given the file name); what was skipped and why goes to <paramref name="skipped"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is not a directory.</exception>
    public static IReadOnlyList<string> Files(string root, Func<string, bool> include, TextWriter skipped)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(skipped);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{root}: no such directory");

        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = new DirectoryInfo(directory).GetFileSystemInfos("*", options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.WriteLine($"{directory}: skipped: cannot list it: {e.Message}");
                continue;
            }
            // Sorted so the reports come in a fixed order too; the files are sorted again as a whole below.
            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var subdirectories = new List<string>();
            foreach (FileSystemInfo entry in entries)
            {
                string path = Path.Combine(directory, entry.Name);
                if (entry is not DirectoryInfo)
                {
                    if (include(entry.Name)) files.Add(path);
                }
                else if (entry.LinkTarget is not null)
                {
                    skipped.WriteLine($"{path}: skipped: a symbolic link to a directory (links to directories are not followed)");
                }
                else
                {
                    subdirectories.Add(path);
                }
            }
            for (int i = subdirectories.Count - 1; i >= 0; i--)
                pending.Push(subdirectories[i]);
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
