using P2M.Contract;

namespace P2M.Oracle;

/// <summary>
/// The reference model of the P2M: what the semantics pages say, written to be read and believed
/// rather than to be fast. It keeps no tables, only one entry per mapped 4K frame, and every range
/// operation loops frame by frame. The engine is compared against it after every step.
/// </summary>
/// <remarks>
/// The model has no pool, so it cannot fail an allocation by itself (<c>fail-allocs</c> is a no-op);
/// when the engine reports <c>ENOMEM</c>, the runner replays the failure through
/// <see cref="ApplyFailedAt"/>. <c>directmap</c> changes only how the engine reaches its tables, so it
/// is a no-op here too.
/// </remarks>
public sealed partial class OracleP2M : IP2M, IAllocationFailureModel, IResettable
{
    // One entry per mapped 4K frame, keyed by GFN; an unmapped frame has no entry. A frame's Order is
    // the order of the leaf that maps it, and a leaf of order o is the o-aligned block around its
    // frames. Every operation keeps this invariant: all frames of that block are mapped, with the same
    // order, type and identity flag, and MFNs that advance with the GFNs. Identity and 4K-only frames
    // (foreign, grant) are order 0, so they are never split.
    private readonly Dictionary<ulong, FrameState> _frames = new();

    // References held on each MFN, one per foreign entry mapping it. An MFN leaves the dictionary when
    // its count returns to 0, so every value is positive.
    private readonly Dictionary<ulong, int> _references = new();

    // The recorded GFN of each grant frame created so far (index = grant frame), Gfn.Invalid when none.
    private readonly List<Gfn> _grantGfns = new();

    /// <summary>A fresh, empty P2M of <paramref name="config"/>'s geometry. The pool size is ignored: the oracle has no pool.</summary>
    public OracleP2M(P2MConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Geometry = config.Geometry;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The three collections are the whole state (the geometry is fixed at construction), and a new
    /// instance has all three empty; clearing keeps their capacity, so a campaign's next run does not
    /// grow them again.
    /// </remarks>
    public void Reset()
    {
        _frames.Clear();
        _references.Clear();
        _grantGfns.Clear();
    }

    /// <inheritdoc/>
    public string Name => "oracle";

    /// <inheritdoc/>
    public Geometry Geometry { get; }

    /// <inheritdoc/>
    public int GrantFrames => _grantGfns.Count;

    /// <inheritdoc/>
    public OpResult Apply(in Op op)
    {
        // Argument checks come before anything else: an invalid operation changes nothing and never
        // reports ENOMEM or EBUSY (docs/SEMANTICS.md, "Argument checks").
        if (!IsValid(op))
            return OpResult.Of(ResultCode.Einval);

        switch (op.Kind)
        {
            case OpKind.Map:
                MapFrames(op.Gfn.Value, op.Mfn.Value, op.Nr, op.Type);
                return OpResult.Of(ResultCode.Ok, op.Nr);
            case OpKind.Unmap:
                UnmapFrames(op.Gfn.Value, op.Nr);
                return OpResult.Of(ResultCode.Ok, op.Nr);
            case OpKind.Retype:
                RetypeFrames(op.Gfn.Value, op.Nr, op.From, op.To);
                return OpResult.Of(ResultCode.Ok, op.Nr);
            case OpKind.Identity:
                MapIdentity(op.Start.Value, op.End.Value);
                return OpResult.Of(ResultCode.Ok, op.End.Value - op.Start.Value);
            case OpKind.Foreign:
                MapForeign(op.Gfn.Value, op.Mfn, op.Type);
                return OpResult.Of(ResultCode.Ok);
            case OpKind.GrantSetup:
                SetUpGrantFrames((int)op.Frames);
                return OpResult.Of(ResultCode.Ok);
            case OpKind.GrantMap:
                return MapGrantFrame((int)op.Frame, op.Gfn.Value);
            case OpKind.Lookup:
            case OpKind.Translate:
                // There is no TLB here: a translation answers from the frames, as lookup does.
                return new OpResult(ResultCode.Ok, 0, Read(op.Gfn));
            case OpKind.FailAllocs:
            case OpKind.DirectMap:
                return OpResult.Of(ResultCode.Ok);
            case OpKind.Teardown:
                TearDown();
                return OpResult.Of(ResultCode.Ok);
            default:
                // IsValid already rejected unknown kinds; kept so the switch is total.
                return OpResult.Of(ResultCode.Einval);
        }
    }

    /// <inheritdoc/>
    public FrameState Read(Gfn gfn) =>
        Geometry.Contains(gfn) && _frames.TryGetValue(gfn.Value, out FrameState frame) ? frame : FrameState.Unmapped;

    /// <inheritdoc/>
    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        for (int i = 0; i < frames.Length; i++)
        {
            ulong gfn = start.Value + (ulong)i;
            // A range running past the top of ulong wraps; those frames are outside the space.
            frames[i] = gfn < start.Value ? FrameState.Unmapped : Read(new Gfn(gfn));
        }
    }

    // The mapped GFNs in order, kept from one whole-state walk to the next so that a walk allocates nothing.
    private ulong[] _sortedGfns = [];

    /// <inheritdoc/>
    /// <remarks>Runs merge consecutive frames with consecutive MFNs and the same type, order and identity flag.</remarks>
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor
    {
        int count = _frames.Count;
        if (_sortedGfns.Length < count) _sortedGfns = new ulong[Math.Max(count, _sortedGfns.Length * 2)];
        _frames.Keys.CopyTo(_sortedGfns, 0);
        Span<ulong> gfns = _sortedGfns.AsSpan(0, count);
        gfns.Sort();
        MappedRun run = default;
        foreach (ulong gfn in gfns)
        {
            FrameState frame = _frames[gfn];
            if (run.Count > 0 && Extends(run, gfn, frame))
            {
                run = run with { Count = run.Count + 1 };
                continue;
            }
            if (run.Count > 0 && !visitor.Visit(run)) return;
            run = new MappedRun(new Gfn(gfn), 1, frame.Mfn, frame.Type, frame.Order, frame.Identity);
        }
        if (run.Count > 0) visitor.Visit(run);
    }

    private static bool Extends(MappedRun run, ulong gfn, FrameState frame) =>
        run.Gfn.Value + run.Count == gfn
        && run.Mfn.Value + run.Count == frame.Mfn.Value
        && run.Type == frame.Type
        && run.Order == frame.Order
        && run.Identity == frame.Identity;

    /// <inheritdoc/>
    public int References(Mfn mfn) => _references.TryGetValue(mfn.Value, out int count) ? count : 0;

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() =>
        _references
            .OrderBy(held => held.Key)
            .Select(held => new KeyValuePair<Mfn, int>(new Mfn(held.Key), held.Value))
            .ToList();

    /// <inheritdoc/>
    public Gfn GrantGfn(int frame) =>
        frame >= 0 && frame < _grantGfns.Count ? _grantGfns[frame] : Gfn.Invalid;
}
