namespace P2M.Contract;

/// <summary>
/// One P2M operation: a small tagged union kept as a struct so an operation stream is a flat array
/// with no allocation per step. Each kind reads only the properties its factory sets; the others are 0.
/// Values are carried as given, unchecked: range checks are each implementation's job (<c>EINVAL</c>).
/// </summary>
public readonly record struct Op
{
    private readonly ulong _a;   // gfn, or identity start
    private readonly ulong _b;   // mfn, identity end, or grant frame index
    private readonly ulong _c;   // nr, grant-setup frames, fail-allocs n, directmap on (1) / off (0)
    private readonly P2MType _t1; // map type, retype from, foreign type
    private readonly P2MType _t2; // retype to

    private Op(OpKind kind, ulong a = 0, ulong b = 0, ulong c = 0, P2MType t1 = 0, P2MType t2 = 0)
    {
        Kind = kind; _a = a; _b = b; _c = c; _t1 = t1; _t2 = t2;
    }

    /// <summary>Which operation this is.</summary>
    public OpKind Kind { get; }

    /// <summary>First GFN: map, unmap, retype, foreign, grant-map, lookup, translate.</summary>
    public Gfn Gfn => new(_a);
    /// <summary>First MFN: map, foreign.</summary>
    public Mfn Mfn => new(_b);
    /// <summary>Frame count: map, unmap, retype.</summary>
    public ulong Nr => _c;
    /// <summary>Requested type: map; for foreign, map_foreign_rw or map_foreign_ro.</summary>
    public P2MType Type => _t1;
    /// <summary>Type to change from: retype.</summary>
    public P2MType From => _t1;
    /// <summary>Type to change to: retype.</summary>
    public P2MType To => _t2;
    /// <summary>First GFN of an identity range.</summary>
    public Gfn Start => new(_a);
    /// <summary>One past the last GFN of an identity range.</summary>
    public Gfn End => new(_b);
    /// <summary>Grant frame index: grant-map.</summary>
    public ulong Frame => _b;
    /// <summary>Grant frames to create: grant-setup.</summary>
    public ulong Frames => _c;
    /// <summary>Allocations to fail: fail-allocs.</summary>
    public ulong Count => _c;
    /// <summary>directmap on (true) or off (false).</summary>
    public bool On => _c != 0;
    /// <summary>True for a read-only foreign mapping.</summary>
    public bool ReadOnly => _t1 == P2MType.MapForeignRo;

    /// <summary><c>map gfn mfn nr type</c></summary>
    public static Op Map(Gfn gfn, Mfn mfn, ulong nr, P2MType type) => new(OpKind.Map, gfn.Value, mfn.Value, nr, type);
    /// <summary><c>unmap gfn nr</c></summary>
    public static Op Unmap(Gfn gfn, ulong nr) => new(OpKind.Unmap, gfn.Value, c: nr);
    /// <summary><c>retype gfn nr from to</c></summary>
    public static Op Retype(Gfn gfn, ulong nr, P2MType from, P2MType to) => new(OpKind.Retype, gfn.Value, c: nr, t1: from, t2: to);
    /// <summary><c>identity start end</c></summary>
    public static Op Identity(Gfn start, Gfn end) => new(OpKind.Identity, start.Value, end.Value);
    /// <summary><c>foreign gfn mfn access</c></summary>
    public static Op Foreign(Gfn gfn, Mfn mfn, bool readOnly) =>
        new(OpKind.Foreign, gfn.Value, mfn.Value, t1: readOnly ? P2MType.MapForeignRo : P2MType.MapForeignRw);
    /// <summary><c>grant-setup frames</c></summary>
    public static Op GrantSetup(ulong frames) => new(OpKind.GrantSetup, c: frames);
    /// <summary><c>grant-map frame gfn</c></summary>
    public static Op GrantMap(ulong frame, Gfn gfn) => new(OpKind.GrantMap, gfn.Value, frame);
    /// <summary><c>lookup gfn</c></summary>
    public static Op Lookup(Gfn gfn) => new(OpKind.Lookup, gfn.Value);
    /// <summary><c>translate gfn</c></summary>
    public static Op Translate(Gfn gfn) => new(OpKind.Translate, gfn.Value);
    /// <summary><c>fail-allocs n</c></summary>
    public static Op FailAllocs(ulong n) => new(OpKind.FailAllocs, c: n);
    /// <summary><c>directmap on|off</c></summary>
    public static Op DirectMap(bool on) => new(OpKind.DirectMap, c: on ? 1UL : 0UL);
    /// <summary><c>teardown</c></summary>
    public static Op Teardown() => new(OpKind.Teardown);
}
