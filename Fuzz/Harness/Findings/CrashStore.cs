using System.Globalization;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Findings;

/// <summary>
/// A directory of findings, one per verdict signature. For each new signature it keeps the minimised
/// script, <c>&lt;signature&gt;-&lt;hash&gt;.p2m</c> (with a <see cref="CrashHeader"/>), and beside it the
/// input as found: <c>&lt;same name&gt;.bin</c> in <see cref="OpCodec"/>'s format, or
/// <c>&lt;same name&gt;.orig.p2m</c> when the codec cannot express it. At start it reads the signatures of
/// the crash scripts already there, so findings deduplicate across runs and processes that share the directory.
/// </summary>
/// <remarks>
/// Every file is written whole or not at all (<see cref="AtomicFile"/>), the companion first and the
/// minimised script last: the script is what marks the signature as stored, so a process killed in
/// between simply saves the finding again next time; the temporaries a killed writer leaves are swept
/// when the store opens (<see cref="StaleTemporaries"/>). Files that cannot be read (not regular files,
/// over the <see cref="InputLimits"/>, not parsing) are reported to the warnings writer and skipped.
/// Safe to share between threads.
/// </remarks>
public sealed class CrashStore
{
    /// <summary>The minimised script's extension.</summary>
    public const string ScriptExtension = ".p2m";

    /// <summary>The original input's extension when it is kept as a script.</summary>
    public const string OriginalScriptExtension = ".orig.p2m";

    /// <summary>The original input's extension when it is kept in the binary codec's format.</summary>
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
    /// that <see cref="TrySave"/> would not keep.
    /// </summary>
    public bool IsKnown(string signature)
    {
        lock (_lock)
            return _signatures.Contains(signature);
    }

    /// <summary>
    /// Stores a finding whose signature (<paramref name="verdict"/>'s) is new: the minimised script with its
    /// header, and the original input beside it. False, writing nothing, when the signature is already
    /// stored, or when writing failed (reported to the warnings writer; the signature stays new).
    /// </summary>
    /// <param name="verdict">The verdict of <paramref name="original"/>; must not be a pass.</param>
    /// <param name="original">The input as found.</param>
    /// <param name="minimized">The minimiser's result for it.</param>
    /// <param name="seed">The seed of the campaign that found it, for the header.</param>
    public bool TrySave(Verdict verdict, FuzzInput original, MinimizeResult minimized, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(minimized);
        if (verdict.IsPass)
            throw new ArgumentException("a passing verdict is not a finding", nameof(verdict));

        string signature = verdict.Signature;
        lock (_lock)
        {
            if (_signatures.Contains(signature))
                return false;

            string body = ScriptPrinter.Print(minimized.Minimized.ToScript("minimised"));
            string name = CrashFileName.Base(signature, body);
            string scriptPath = Path.Combine(Directory, name + ScriptExtension);
            IReadOnlyList<string> header = CrashHeader.Lines(verdict, minimized, seed: seed);
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                SaveOriginal(name, original, signature, seed);
                AtomicFile.WriteAllText(scriptPath, ScriptPrinter.Print(minimized.Minimized.ToScript(scriptPath, header)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _warnings.WriteLine($"{scriptPath}: not saved: {e.Message}");
                return false;
            }
            _signatures.Add(signature);
            LastSavedPath = scriptPath;
            return true;
        }
    }

    /// <summary>The input as found: binary when the codec can express it, as a script otherwise.</summary>
    private void SaveOriginal(string name, FuzzInput original, string signature, ulong seed)
    {
        byte[]? bytes;
        try
        {
            bytes = OpCodec.Encode(original);
        }
        catch (ArgumentException)
        {
            // Inputs from elsewhere (a hand-written script, a generator) may hold values the codec does not fold to.
            bytes = null;
        }

        if (bytes is not null)
        {
            AtomicFile.WriteAllBytes(Path.Combine(Directory, name + OriginalBinaryExtension), bytes);
            return;
        }
        string path = Path.Combine(Directory, name + OriginalScriptExtension);
        string[] header =
        [
            $"p2mfuzz finding, the input as found (not minimised) of {name}{ScriptExtension}",
            CrashHeader.SignaturePrefix + signature,
            string.Create(CultureInfo.InvariantCulture, $"seed: 0x{seed:x}"),
            string.Create(CultureInfo.InvariantCulture, $"original: {original.Ops.Length} ops"),
        ];
        AtomicFile.WriteAllText(path, ScriptPrinter.Print(original.ToScript(path, header)));
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

        foreach (string file in files)
        {
            // Companions share the finding's signature but are not what marks it stored (see remarks).
            if (file.EndsWith(OriginalScriptExtension, StringComparison.Ordinal))
                continue;
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
