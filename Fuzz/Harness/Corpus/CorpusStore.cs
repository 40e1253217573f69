using System.Security.Cryptography;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Corpus;

/// <summary>
/// A corpus directory: one file per input, named by the hash of its bytes (libFuzzer's layout), in
/// the binary codec's format. Hand-written <c>.p2m</c> scripts may sit beside them and are read
/// as seeds. Writes go to a temporary file in the same directory and are renamed into place, so a
/// killed campaign leaves every entry it wrote whole and nothing half-written.
/// </summary>
public sealed class CorpusStore
{
    /// <summary>Inputs larger than this are not fuzz inputs; they are reported and skipped.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Opens (creating if needed) the corpus directory <paramref name="directory"/>.</summary>
    public CorpusStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    /// <summary>The directory entries are written to.</summary>
    public string Directory { get; }

    /// <summary>
    /// Writes <paramref name="input"/> as its binary encoding under its content hash. Returns the
    /// path, and false in <paramref name="added"/> when an identical entry was already there.
    /// </summary>
    public string Save(FuzzInput input, out bool added)
    {
        byte[] bytes = OpCodec.Encode(input);
        string path = Path.Combine(Directory, NameOf(bytes));
        added = !File.Exists(path);
        if (added) AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The file name of an input: the first 20 bytes of its SHA-256, in hex.</summary>
    public static string NameOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..40];

    /// <summary>
    /// Every input under <paramref name="directories"/> (recursively, in path order): binary entries
    /// decoded, <c>.p2m</c> scripts parsed (expectations dropped). A file that cannot be read or
    /// parsed is reported on <paramref name="warnings"/> and skipped; missing directories are skipped.
    /// </summary>
    public static IReadOnlyList<CorpusEntry> Load(IEnumerable<string> directories, TextWriter warnings)
    {
        var entries = new List<CorpusEntry>();
        foreach (string directory in directories)
        {
            if (!System.IO.Directory.Exists(directory)) continue;
            var files = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))   // hidden: temporary files of an atomic write
                .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (string file in files)
            {
                CorpusEntry? entry = Read(file, warnings);
                if (entry is not null) entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>One input file (binary entry or <c>.p2m</c> script), or null when it cannot be read (reported on <paramref name="warnings"/>).</summary>
    public static CorpusEntry? Read(string file, TextWriter warnings)
    {
        try
        {
            if (file.EndsWith(".p2m", StringComparison.Ordinal))
                return new CorpusEntry(file, FuzzInput.FromScript(ScriptParser.ParseFile(file)));
            var info = new FileInfo(file);
            if (info.Length > MaxFileBytes)
            {
                warnings.WriteLine($"corpus: skipping {file}: {info.Length} bytes is larger than a fuzz input ({MaxFileBytes})");
                return null;
            }
            return new CorpusEntry(file, OpCodec.Decode(File.ReadAllBytes(file)));
        }
        catch (ScriptParseException e)
        {
            warnings.WriteLine($"corpus: skipping {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.WriteLine($"corpus: skipping {file}: {e.Message}");
        }
        return null;
    }
}
