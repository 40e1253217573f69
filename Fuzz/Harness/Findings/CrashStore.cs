using System.Globalization;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Findings;

/// <summary>
/// A directory of findings, one per verdict signature. A finding is written in two moves, so that nothing
/// is lost to a crash while it is minimised: as soon as it is seen, the input as found, as a readable script
/// with the verdict in its header (<c>&lt;signature&gt;-&lt;hash&gt;.orig.p2m</c>) and in <see cref="OpCodec"/>'s
/// binary form beside it (<c>.bin</c>, when the codec can express it); then, once minimised, the minimised
/// script with its <see cref="CrashHeader"/> (<c>&lt;signature&gt;-&lt;hash&gt;.p2m</c>). At start it reads the
/// signatures of the scripts already there, so findings deduplicate across runs and processes that share it.
/// </summary>
/// <remarks>
/// Every file is written whole or not at all (<see cref="AtomicFile"/>); the temporaries a killed writer
/// leaves are swept when the store opens (<see cref="StaleTemporaries"/>). Files that cannot be read (not
/// regular files, over the <see cref="InputLimits"/>, not parsing) are reported to the warnings writer and
/// skipped. Safe to share between threads.
/// </remarks>
public sealed class CrashStore
{
    /// <summary>The minimised script's extension.</summary>
    public const string ScriptExtension = ".p2m";

    /// <summary>The extension of the input as found, as a script.</summary>
    public const string OriginalScriptExtension = ".orig.p2m";

    /// <summary>The extension of the input as found, in the binary codec's format.</summary>
    public const string OriginalBinaryExtension = ".bin";

    private readonly object _lock = new();
    private readonly HashSet<string> _signatures = new(StringComparer.Ordinal);
    private readonly TextWriter _warnings;
    private readonly InputLimits _limits;

    /// <summary>
    /// Opens (without creating) the store in <paramref name="directory"/>, removes the temporaries killed
    /// writers left there, and reads the signatures already stored.
    /// </summary>
    /// <param name="directory">The crash directory itself, e.g. <c>crashes</c>; created on the first save.</param>
    /// <param name="warnings">Where unreadable files and failed writes are reported; nowhere when null.</param>
    /// <param name="limits">What a stored script may cost to read; the defaults when null.</param>
    public CrashStore(string directory, TextWriter? warnings = null, InputLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        _warnings = warnings ?? TextWriter.Null;
        _limits = limits ?? InputLimits.Default;
        StaleTemporaries.Remove(directory, _warnings);
        LoadSignatures();
    }

    /// <summary>The crash directory.</summary>
    public string Directory { get; }

    /// <summary>The signatures stored so far (read at start or saved since), sorted.</summary>
    public IReadOnlyList<string> Signatures
    {
        get
        {
            lock (_lock)
                return _signatures.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The minimised script written by the last successful <see cref="TrySave"/>, or null.</summary>
    public string? LastSavedPath { get; private set; }

    /// <summary>
    /// True when <paramref name="signature"/> is already stored: a caller can skip minimising a finding
    /// that the store would not keep.
    /// </summary>
    public bool IsKnown(string signature)
    {
        lock (_lock)
            return _signatures.Contains(signature);
    }

    /// <summary>
    /// Stores a finding as it was found, before any minimisation, and marks its signature stored. Null, writing
    /// nothing, when the signature is already stored, or when writing failed (reported to the warnings writer;
    /// the signature stays new).
    /// </summary>
    /// <param name="verdict">The verdict of <paramref name="original"/>; must not be a pass.</param>
    /// <param name="original">The input as found.</param>
    /// <param name="seed">The seed of the campaign that found it, for the header.</param>
    public StoredFinding? SaveFound(Verdict verdict, FuzzInput original, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(original);
        if (verdict.IsPass)
            throw new ArgumentException("a passing verdict is not a finding", nameof(verdict));

        string signature = verdict.Signature;
        lock (_lock)
        {
            if (_signatures.Contains(signature))
                return null;
            string name = CrashFileName.Base(signature, ScriptPrinter.Print(original.ToScript("original")));
            string scriptPath = Path.Combine(Directory, name + OriginalScriptExtension);
            string? binaryPath = null;
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                if (Encodable(original) is { } bytes)
                {
                    binaryPath = Path.Combine(Directory, name + OriginalBinaryExtension);
                    AtomicFile.WriteAllBytes(binaryPath, bytes);
                }
                AtomicFile.WriteAllText(scriptPath, ScriptPrinter.Print(original.ToScript(scriptPath, CrashHeader.FoundLines(verdict, original, seed))));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _warnings.WriteLine($"{scriptPath}: not saved: {e.Message}");
                return null;
            }
            _signatures.Add(signature);
            return new StoredFinding(signature, scriptPath, binaryPath, seed);
        }
    }

    /// <summary>
    /// Adds the minimised script of a finding stored by <see cref="SaveFound"/>; returns its path, or null when
    /// writing failed (reported to the warnings writer; the input as found stays).
    /// </summary>
    public string? SaveMinimized(StoredFinding found, Verdict verdict, MinimizeResult minimized)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(minimized);
        string body = ScriptPrinter.Print(minimized.Minimized.ToScript("minimised"));
        string scriptPath = Path.Combine(Directory, CrashFileName.Base(found.Signature, body) + ScriptExtension);
        IReadOnlyList<string> header = [.. CrashHeader.Lines(verdict, minimized, seed: found.Seed), $"as found: {Path.GetFileName(found.OriginalPath)}"];
        try
        {
            AtomicFile.WriteAllText(scriptPath, ScriptPrinter.Print(minimized.Minimized.ToScript(scriptPath, header)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warnings.WriteLine($"{scriptPath}: not saved: {e.Message}");
            return null;
        }
        lock (_lock) LastSavedPath = scriptPath;
        return scriptPath;
    }

    /// <summary>
    /// Stores a finding already minimised: <see cref="SaveFound"/>, then <see cref="SaveMinimized"/>. False,
    /// writing nothing, when the signature is already stored or writing failed.
    /// </summary>
    public bool TrySave(Verdict verdict, FuzzInput original, MinimizeResult minimized, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(minimized);
        StoredFinding? found = SaveFound(verdict, original, seed);
        return found is not null && SaveMinimized(found, verdict, minimized) is not null;
    }

    /// <summary>
    /// Removes the findings a store in <paramref name="directory"/> wrote (its scripts, inputs as found and their
    /// binary forms, and temporary files), nothing else; for a directory that holds one run's findings only.
    /// </summary>
    public static void Clear(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) return;
        foreach (string file in System.IO.Directory.GetFiles(directory))
        {
            string name = Path.GetFileName(file);
            bool ours = name.EndsWith(ScriptExtension, StringComparison.Ordinal) || name.EndsWith(OriginalBinaryExtension, StringComparison.Ordinal)
                        || TemporaryName.TryParse(name, out _);
            if (ours) File.Delete(file);
        }
    }

    /// <summary>The binary form of an input, or null for one the codec cannot express (a hand-written script, say).</summary>
    private static byte[]? Encodable(FuzzInput input)
    {
        try
        {
            return OpCodec.Encode(input);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads the signature of every crash script in the directory; what cannot be read is reported and skipped.</summary>
    private void LoadSignatures()
    {
        if (!System.IO.Directory.Exists(Directory))
            return;
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(Directory, "*" + ScriptExtension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warnings.WriteLine($"{Directory}: not read: {e.Message}");
            return;
        }
        Array.Sort(files, StringComparer.Ordinal);

        // A finding stored as found but not minimised yet (its process was killed) counts as stored too.
        foreach (string file in files)
        {
            string? signature = ReadSignature(file);
            if (signature is not null)
                _signatures.Add(signature);
        }
    }
    private string? ReadSignature(string file)
    {
        Script script;
        try
        {
            script = ScriptParser.ParseFile(file, _limits);
        }
        catch (ScriptParseException e)
        {
            _warnings.WriteLine($"{e.Message} (skipped)");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warnings.WriteLine($"{file}: not read: {e.Message} (skipped)");
            return null;
        }

        string? signature = CrashHeader.ReadSignature(script.Header);
        if (string.IsNullOrEmpty(signature))
            _warnings.WriteLine($"{file}: no '{CrashHeader.SignaturePrefix.Trim()}' header line (skipped: not a stored finding)");
        return signature;
    }
}
