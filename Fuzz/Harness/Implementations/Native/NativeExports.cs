using System.Runtime.InteropServices;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// One loaded native implementation: the functions of <c>p2m_impl.h</c> it exports, as unmanaged
/// function pointers (called directly: no delegate, no marshalling). Loading checks what a broken plugin
/// gets wrong, each a clear <see cref="ImplementationException"/>: the file, the load itself, a missing
/// required symbol, half a self-check, the ABI version.
/// </summary>
internal sealed unsafe class NativeExports
{
    /// <summary>Symbols every implementation exports.</summary>
    public static readonly string[] Required =
    [
        "p2m_impl_abi_version", "p2m_impl_create", "p2m_impl_destroy", "p2m_impl_apply", "p2m_impl_read_range",
        "p2m_impl_mapped_runs", "p2m_impl_references", "p2m_impl_held_references", "p2m_impl_grant_frames", "p2m_impl_grant_gfn",
    ];

    /// <summary>The self-check: all three or none.</summary>
    public static readonly string[] SelfCheck = ["p2m_impl_read_type_storage", "p2m_impl_audit", "p2m_impl_audited_pages"];

    /// <summary>Optional edge counters.</summary>
    public const string CoverageSymbol = "p2m_impl_coverage";

    public delegate* unmanaged<uint> AbiVersion;
    public delegate* unmanaged<NativeGeometry*, uint, nint> Create;
    public delegate* unmanaged<nint, void> Destroy;
    public delegate* unmanaged<nint, NativeOp*, NativeResult*, void> Apply;
    public delegate* unmanaged<nint, ulong, ulong, NativeFrame*, void> ReadRange;
    public delegate* unmanaged<nint, delegate* unmanaged<nint, NativeRun*, void>, nint, void> MappedRuns;
    public delegate* unmanaged<nint, ulong, uint> References;
    public delegate* unmanaged<nint, delegate* unmanaged<nint, ulong, uint, void>, nint, void> HeldReferences;
    public delegate* unmanaged<nint, uint> GrantFrames;
    public delegate* unmanaged<nint, uint, ulong> GrantGfn;
    public delegate* unmanaged<nint, ulong, ulong, NativeTypeStorage*, void> ReadTypeStorage;
    public delegate* unmanaged<nint, uint, NativeViolation*, int> Audit;
    public delegate* unmanaged<nint, ulong> AuditedPages;

    private NativeExports(string path) => Path = path;

    /// <summary>The library's full path.</summary>
    public string Path { get; }

    /// <summary>True when the library exports the self-check.</summary>
    public bool HasSelfCheck => Audit != null;

    /// <summary>The library's edge counters (process-wide), or an empty span.</summary>
    public Span<byte> Counters => CountersAt == null ? [] : new Span<byte>(CountersAt, CounterCount);

    private byte* CountersAt { get; set; }

    private int CounterCount { get; set; }

    /// <summary>Loads the library at <paramref name="full"/> into this process and checks it speaks this ABI.</summary>
    /// <exception cref="ImplementationException">It cannot be loaded, lacks a symbol, or speaks another version.</exception>
    public static NativeExports Load(string spec, string full)
    {
        nint handle;
        try
        {
            handle = NativeLibrary.Load(full);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new ImplementationException($"--impl {spec}: {full} could not be loaded: {e.Message}");
        }

        string[] missing = Required.Where(name => !NativeLibrary.TryGetExport(handle, name, out _)).ToArray();
        if (missing.Length > 0)
            throw new ImplementationException($"--impl {spec}: {full} does not export {string.Join(", ", missing)} " +
                                              $"(the functions of p2m_impl.h every implementation exports; see docs/PLUGINS.md)");
        string[] selfCheck = SelfCheck.Where(name => NativeLibrary.TryGetExport(handle, name, out _)).ToArray();
        if (selfCheck.Length is > 0 and < 3)
            throw new ImplementationException($"--impl {spec}: {full} exports {string.Join(", ", selfCheck)} but not " +
                                              $"{string.Join(", ", SelfCheck.Except(selfCheck))}: the self-check is all three or none");

        var exports = new NativeExports(full)
        {
            AbiVersion = (delegate* unmanaged<uint>)NativeLibrary.GetExport(handle, "p2m_impl_abi_version"),
        };
        uint version = exports.AbiVersion();
        if (version != NativeAbi.Version)
            throw new ImplementationException($"--impl {spec}: {full} speaks ABI version {version}; this p2mfuzz speaks version " +
                                              $"{NativeAbi.Version} (P2M_IMPL_ABI_VERSION in p2m_impl.h): rebuild it against this header");

        exports.Create = (delegate* unmanaged<NativeGeometry*, uint, nint>)NativeLibrary.GetExport(handle, "p2m_impl_create");
        exports.Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(handle, "p2m_impl_destroy");
        exports.Apply = (delegate* unmanaged<nint, NativeOp*, NativeResult*, void>)NativeLibrary.GetExport(handle, "p2m_impl_apply");
        exports.ReadRange = (delegate* unmanaged<nint, ulong, ulong, NativeFrame*, void>)NativeLibrary.GetExport(handle, "p2m_impl_read_range");
        exports.MappedRuns = (delegate* unmanaged<nint, delegate* unmanaged<nint, NativeRun*, void>, nint, void>)NativeLibrary.GetExport(handle, "p2m_impl_mapped_runs");
        exports.References = (delegate* unmanaged<nint, ulong, uint>)NativeLibrary.GetExport(handle, "p2m_impl_references");
        exports.HeldReferences = (delegate* unmanaged<nint, delegate* unmanaged<nint, ulong, uint, void>, nint, void>)NativeLibrary.GetExport(handle, "p2m_impl_held_references");
        exports.GrantFrames = (delegate* unmanaged<nint, uint>)NativeLibrary.GetExport(handle, "p2m_impl_grant_frames");
        exports.GrantGfn = (delegate* unmanaged<nint, uint, ulong>)NativeLibrary.GetExport(handle, "p2m_impl_grant_gfn");
        if (selfCheck.Length == 3)
        {
            exports.ReadTypeStorage = (delegate* unmanaged<nint, ulong, ulong, NativeTypeStorage*, void>)NativeLibrary.GetExport(handle, "p2m_impl_read_type_storage");
            exports.Audit = (delegate* unmanaged<nint, uint, NativeViolation*, int>)NativeLibrary.GetExport(handle, "p2m_impl_audit");
            exports.AuditedPages = (delegate* unmanaged<nint, ulong>)NativeLibrary.GetExport(handle, "p2m_impl_audited_pages");
        }
        if (NativeLibrary.TryGetExport(handle, CoverageSymbol, out nint coverage))
        {
            nuint count;
            byte* counters = ((delegate* unmanaged<nuint*, byte*>)coverage)(&count);
            if (counters != null && count > 0)
            {
                exports.CountersAt = counters;
                exports.CounterCount = (int)Math.Min(count, int.MaxValue);
            }
        }
        return exports;
    }
}
