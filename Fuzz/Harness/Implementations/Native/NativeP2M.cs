using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using P2M.Contract;
using P2M.Coverage;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// A native implementation (<c>native:PATH</c>) as an <see cref="IP2M"/>: every call goes straight to the
/// library's function through a pointer, with the harness's values in blittable structs on the stack, so a
/// step allocates nothing. The library's edge counters, when it has them, are its coverage: after each
/// operation every counter it hit counts once in the probe map (counter i at
/// i mod <see cref="CoverageMap.Size"/>), and the counters are zeroed.
/// </summary>
internal unsafe class NativeP2M : IP2M, ICoverageSource, IResettable
{
    /// <summary>Frames read per call into a stack buffer.</summary>
    private const int ReadBatch = 256;

    private readonly NativeExports _exports;
    private readonly P2MConfig _config;
    private NativeInstance _instance;

    /// <summary>A fresh instance of the library's implementation.</summary>
    /// <exception cref="InvalidOperationException">The library's <c>p2m_impl_create</c> returned NULL.</exception>
    public NativeP2M(NativeExports exports, P2MConfig config)
    {
        _exports = exports;
        _config = config;
        Name = $"native:{System.IO.Path.GetFileName(exports.Path)}";
        _instance = NewInstance();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Geometry Geometry => _config.Geometry;

    /// <inheritdoc/>
    public CoverageMap? Coverage { get; set; }

    /// <summary>The instance's handle for calls.</summary>
    protected nint Handle => _instance.DangerousGetHandle();

    /// <summary>The library's functions.</summary>
    protected NativeExports Exports => _exports;

    /// <summary>Keeps the instance from being finalized before a call through <see cref="Handle"/> returns.</summary>
    protected void KeepAlive() => GC.KeepAlive(_instance);

    /// <inheritdoc/>
    public OpResult Apply(in Op op)
    {
        NativeOp native = new()
        {
            Kind = (byte)op.Kind,
            Type = (byte)op.Type,
            To = (byte)op.To,
            A = op.Gfn.Value,
            B = op.Mfn.Value,
            C = op.Nr,
        };
        NativeResult result;
        _exports.Apply(Handle, &native, &result);
        FoldCoverage();
        GC.KeepAlive(_instance);
        return new OpResult((ResultCode)result.Code, result.Done, State(result.Frame));
    }

    /// <inheritdoc/>
    public FrameState Read(Gfn gfn)
    {
        NativeFrame frame;
        _exports.ReadRange(Handle, gfn.Value, 1, &frame);
        GC.KeepAlive(_instance);
        return State(frame);
    }

    /// <inheritdoc/>
    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        NativeFrame* batch = stackalloc NativeFrame[ReadBatch];
        for (int done = 0; done < frames.Length; done += ReadBatch)
        {
            int n = Math.Min(ReadBatch, frames.Length - done);
            _exports.ReadRange(Handle, start.Value + (ulong)done, (ulong)n, batch);
            for (int i = 0; i < n; i++) frames[done + i] = State(batch[i]);
        }
        GC.KeepAlive(_instance);
    }

    /// <inheritdoc/>
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor
    {
        // The library calls back with every run before it returns, so they go through a list kept for the next walk.
        _runs.Clear();
        Collect(_runs, context => _exports.MappedRuns(Handle, &OnRun, context));
        MappedRunList.Visit(_runs, ref visitor);
    }

    private readonly List<MappedRun> _runs = new();

    /// <inheritdoc/>
    public int References(Mfn mfn)
    {
        uint count = _exports.References(Handle, mfn.Value);
        GC.KeepAlive(_instance);
        return (int)count;
    }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() =>
        Collect(new List<KeyValuePair<Mfn, int>>(), context => _exports.HeldReferences(Handle, &OnReference, context));

    /// <summary>
    /// <paramref name="items"/>, filled by the library's callback during <paramref name="walk"/>: the callback finds the list
    /// through the context handle it is given back, which pins nothing and is freed when the walk returns.
    /// </summary>
    private List<T> Collect<T>(List<T> items, Action<nint> walk)
    {
        GCHandle target = GCHandle.Alloc(items);
        try
        {
            walk(GCHandle.ToIntPtr(target));
        }
        finally
        {
            target.Free();
        }
        GC.KeepAlive(_instance);
        return items;
    }

    /// <inheritdoc/>
    public int GrantFrames
    {
        get
        {
            uint frames = _exports.GrantFrames(Handle);
            GC.KeepAlive(_instance);
            return (int)frames;
        }
    }

    /// <inheritdoc/>
    public Gfn GrantGfn(int frame)
    {
        ulong gfn = _exports.GrantGfn(Handle, (uint)frame);
        GC.KeepAlive(_instance);
        return new Gfn(gfn);
    }

    /// <summary>Destroys the library's instance and creates a fresh one with the same configuration.</summary>
    public void Reset()
    {
        _instance.Dispose();
        _instance = NewInstance();
    }

    private NativeInstance NewInstance()
    {
        Geometry g = _config.Geometry;
        NativeGeometry geometry = new()
        {
            EntryBits = (uint)g.EntryBits,
            GfnBits = (uint)g.GfnBits,
            MfnBits = (uint)g.MfnBits,
            MaxGrantFrames = (uint)g.MaxGrantFrames,
        };
        nint handle = _exports.Create(&geometry, (uint)Math.Max(0, _config.PoolPages));
        if (handle == 0)
            throw new InvalidOperationException($"{Name}: p2m_impl_create returned NULL for geometry {g.Name}, pool pages={_config.PoolPages}");
        // What building the instance hit is not the first operation's coverage.
        _exports.Counters.Clear();
        return new NativeInstance(_exports, handle);
    }

    /// <summary>Counts every library counter hit since the last call once in the probe map, then zeroes them.</summary>
    private void FoldCoverage()
    {
        Span<byte> counters = _exports.Counters;
        if (counters.IsEmpty) return;
        CoverageMap? map = Coverage;
        if (map is not null)
        {
            for (int i = counters.IndexOfAnyExcept((byte)0); i >= 0; i = NextHit(counters, i + 1))
                map.Hit(i % CoverageMap.Size);
        }
        counters.Clear();
    }

    private static int NextHit(ReadOnlySpan<byte> counters, int from)
    {
        if (from >= counters.Length) return -1;
        int next = counters[from..].IndexOfAnyExcept((byte)0);
        return next < 0 ? -1 : from + next;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FrameState State(in NativeFrame frame) =>
        frame.Type == 0 ? FrameState.Unmapped : new FrameState(new Mfn(frame.Mfn), (P2MType)frame.Type, frame.Order, frame.Identity != 0);

    [UnmanagedCallersOnly]
    private static void OnRun(nint context, NativeRun* run)
    {
        var runs = (List<MappedRun>)GCHandle.FromIntPtr(context).Target!;
        runs.Add(new MappedRun(new Gfn(run->Gfn), run->Count, new Mfn(run->Mfn), (P2MType)run->Type, run->Order, run->Identity != 0));
    }

    [UnmanagedCallersOnly]
    private static void OnReference(nint context, ulong mfn, uint count)
    {
        var held = (List<KeyValuePair<Mfn, int>>)GCHandle.FromIntPtr(context).Target!;
        held.Add(new KeyValuePair<Mfn, int>(new Mfn(mfn), (int)count));
    }

    /// <summary>The library's instance, destroyed with its owner (or by the finalizer: the runner drops instances without disposing them).</summary>
    private sealed class NativeInstance : SafeHandle
    {
        private readonly NativeExports _exports;

        public NativeInstance(NativeExports exports, nint handle) : base(0, ownsHandle: true)
        {
            _exports = exports;
            SetHandle(handle);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            _exports.Destroy(handle);
            return true;
        }
    }
}

/// <summary>A native implementation that exports the self-check: type storage and the audit.</summary>
internal sealed unsafe class NativeSelfCheckP2M(NativeExports exports, P2MConfig config) : NativeP2M(exports, config), IP2MSelfCheck
{
    /// <inheritdoc/>
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage)
    {
        const int batch = 1024;
        NativeTypeStorage* buffer = stackalloc NativeTypeStorage[batch];
        for (int done = 0; done < storage.Length; done += batch)
        {
            int n = Math.Min(batch, storage.Length - done);
            Exports.ReadTypeStorage(Handle, start.Value + (ulong)done, (ulong)n, buffer);
            for (int i = 0; i < n; i++) storage[done + i] = new TypeStorage(buffer[i].PteBits, (P2MType)buffer[i].Slot);
        }
        KeepAlive();
    }

    /// <inheritdoc/>
    public InvariantViolation? Audit(AuditScope scope = AuditScope.Full)
    {
        NativeViolation violation = default;
        int failed = Exports.Audit(Handle, scope == AuditScope.Full ? NativeAbi.AuditFull : NativeAbi.AuditStep, &violation);
        KeepAlive();
        if (failed == 0) return null;
        return new InvariantViolation(NativeViolation.Text(violation.Field), NativeViolation.Text(violation.Expected), NativeViolation.Text(violation.Actual));
    }

    /// <inheritdoc/>
    public long AuditedPages
    {
        get
        {
            ulong pages = Exports.AuditedPages(Handle);
            KeepAlive();
            return (long)pages;
        }
    }
}
