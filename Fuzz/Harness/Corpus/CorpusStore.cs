using System.Security.Cryptography;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Corpus;

/// <summary>
/// A corpus directory: one file per input, named by the hash of its bytes (libFuzzer's layout), in
/// the binary codec's format. Hand-written <c>.p2m</c> scripts may sit beside them and are read
/// as seeds. Writes go to a temporary file in the same directory and are renamed into place, so a
/// killed campaign leaves every entry it wrote whole and nothing half-written; the temporaries a killed
/// writer leaves are swept when the store opens its directory (<see cref="StaleTemporaries"/>).
/// </summary>
public sealed class CorpusStore
{
    /// <summary>
    /// Binary entries larger than this are not fuzz inputs (the codec reads a few kilobytes at most);
    /// they are reported and skipped. <see cref="InputLimits.MaxFileBytes"/> lowers it, never raises it.
    /// </summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Length of an entry's name: <see cref="NameOf"/>'s hex digits.</summary>
    public const int NameLength = 40;

    /// <summary>
    /// Opens (creating if needed) the corpus directory <paramref name="directory"/>, removing the
    /// temporaries killed writers left there (reported to <paramref name="warnings"/>).
    /// </summary>
    public CorpusStore(string directory, TextWriter? warnings = null)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        StaleTemporaries.Remove(directory, warnings ?? TextWriter.Null);
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
    public static string NameOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..NameLength];

    /// <summary>
    /// Every input under <paramref name="directories"/> (recursively, in path order; links to directories
    /// inside are not followed): binary entries decoded, <c>.p2m</c> scripts parsed (expectations dropped),
    /// each within <paramref name="limits"/> (the defaults when null). A file that cannot be read or parsed,
    /// or a binary entry whose content does not match its name, is reported on <paramref name="warnings"/>
    /// and skipped; missing directories are skipped.
    /// </summary>
    public static IReadOnlyList<CorpusEntry> Load(IEnumerable<string> directories, TextWriter warnings, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        var entries = new List<CorpusEntry>();
        foreach (string directory in directories)
        {
            if (!System.IO.Directory.Exists(directory)) continue;
            // Hidden files are temporaries of an atomic write; .md files are notes.
            IReadOnlyList<string> files = InputDirectory.Files(directory,
                name => !name.StartsWith('.') && !name.EndsWith(".md", StringComparison.Ordinal), warnings);
            foreach (string file in files)
            {
                CorpusEntry? entry = Read(file, warnings, limits);
                if (entry is not null) entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>
    /// One input file (binary entry or <c>.p2m</c> script) within <paramref name="limits"/> (the defaults when
    /// null), or null when it cannot be read, does not parse or does not match its name (reported on <paramref name="warnings"/>).
    /// </summary>
    public static CorpusEntry? Read(string file, TextWriter warnings, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        try
        {
            if (file.EndsWith(".p2m", StringComparison.Ordinal))
                return new CorpusEntry(file, FuzzInput.FromScript(ScriptParser.ParseFile(file, limits)));
            bool lowered = limits.MaxFileBytes < MaxFileBytes;
            byte[] bytes = InputFile.ReadAllBytes(file, lowered ? limits.MaxFileBytes : MaxFileBytes,
                lowered ? InputLimits.MaxFileBytesFlag : null);
            if (!MatchesName(file, bytes))
            {
                warnings.WriteLine($"corpus: skipping {file}: its content does not match its name (hash {NameOf(bytes)}): damaged or edited");
                return null;
            }
            return new CorpusEntry(file, OpCodec.Decode(bytes));
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

    /// <summary>
    /// False when the file is named like an entry (<see cref="NameLength"/> lowercase hex digits) but its
    /// bytes hash to another name: <see cref="Save"/> would take it for the input its name says and never
    /// write that input. Files named otherwise (seeds put there by hand) are taken as they are.
    /// </summary>
    private static bool MatchesName(string file, ReadOnlySpan<byte> bytes)
    {
        string name = Path.GetFileName(file);
        bool entryName = name.Length == NameLength && !name.AsSpan().ContainsAnyExcept("0123456789abcdef");
        return !entryName || name == NameOf(bytes);
    }
}
