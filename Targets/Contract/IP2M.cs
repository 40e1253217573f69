namespace P2M.Contract;

/// <summary>
/// A P2M implementation as the differential runner sees it: apply an operation, then read back
/// frames, references and grant GFNs. The engine and the oracle both implement it and share
/// nothing else; any further implementation (another engine, a native one) plugs in here.
/// </summary>
public interface IP2M
{
    /// <summary>Short name for reports, e.g. <c>engine</c> or <c>oracle</c>.</summary>
    string Name { get; }

    /// <summary>The geometry this instance was built with.</summary>
    Geometry Geometry { get; }

    /// <summary>Applies one operation. Never throws for bad values: they are <c>EINVAL</c>.</summary>
    OpResult Apply(in Op op);

    /// <summary>The state of one frame, read from the tables (not through any TLB). Out-of-space GFNs are unmapped.</summary>
    FrameState Read(Gfn gfn);

    /// <summary>The state of <paramref name="frames"/>.Length consecutive frames from <paramref name="start"/>.</summary>
    void ReadRange(Gfn start, Span<FrameState> frames);

    /// <summary>
    /// Hands every mapped frame to <paramref name="visitor"/>, as runs in ascending GFN order, until it
    /// returns false. Nothing is collected on the way: a whole-state comparison streams the runs.
    /// <see cref="MappedRunList.MappedRuns"/> collects them for tests and reports.
    /// </summary>
    void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor;

    /// <summary>References currently held on <paramref name="mfn"/> (foreign mappings).</summary>
    int References(Mfn mfn);

    /// <summary>Every MFN with a non-zero reference count, in ascending MFN order.</summary>
    IEnumerable<KeyValuePair<Mfn, int>> HeldReferences();

    /// <summary>Grant frames created by <c>grant-setup</c> so far.</summary>
    int GrantFrames { get; }

    /// <summary>The GFN recorded for grant frame <paramref name="frame"/>, or <see cref="Gfn.Invalid"/>.</summary>
    Gfn GrantGfn(int frame);
}

/// <summary>
/// Implemented by a model that cannot fail allocations by itself (the oracle keeps no tables):
/// when the implementation under test reports <c>ENOMEM</c> after <c>done</c> frames, the runner
/// asks the model to apply exactly that prefix and to check it ends on a chunk boundary.
/// </summary>
public interface IAllocationFailureModel
{
    /// <summary>
    /// Applies <paramref name="op"/> as if the allocation for the chunk starting <paramref name="done"/>
    /// frames in had failed. Returns <c>ENOMEM</c> with the frames it completed: <paramref name="done"/>
    /// when that is a chunk boundary of the operation, otherwise the last boundary below it.
    /// </summary>
    OpResult ApplyFailedAt(in Op op, ulong done);
}

/// <summary>
/// Implemented by an engine that keeps internal structure worth checking after every step
/// (the oracle does not). The runner compares what it reports against the model's frames.
/// </summary>
public interface IP2MSelfCheck
{
    /// <summary>How each frame's type is stored: the PTE's 2 type bits and the metadata slot.</summary>
    void ReadTypeStorage(Gfn start, Span<TypeStorage> storage);

    /// <summary>Checks internal invariants (pool accounting, metadata counts, ...) within <paramref name="scope"/>; the first violation, or null.</summary>
    InvariantViolation? Audit(AuditScope scope = AuditScope.Full);

    /// <summary>
    /// Table pages the <see cref="AuditScope.Full"/> audits of this instance have visited so far: what they
    /// cost, which the runner keeps in proportion to the work the operations did.
    /// </summary>
    long AuditedPages { get; }
}

/// <summary>How much <see cref="IP2MSelfCheck.Audit"/> checks.</summary>
public enum AuditScope
{
    /// <summary>
    /// Only what costs the same however large the tables grow, or as much as the last operation wrote (for
    /// the engine: the break-before-make and TLB breaches recorded while it ran, mapcache references, stale
    /// TLB lines, and each table page its write journal names). The runner asks for it after every step.
    /// </summary>
    Step,

    /// <summary>
    /// Everything <see cref="Step"/> checks, then every table walked (pool accounting, metadata pages and
    /// slots, shared pages). It costs as much as the tables are large, so the runner asks for it on a
    /// schedule whose total cost stays in proportion to the work done, and finds the first failing step
    /// by re-running when it fails.
    /// </summary>
    Full,
}

/// <summary>
/// How a frame's type is kept: <see cref="PteBits"/> is the PTE's 2-bit type field (0 when there is
/// no valid leaf), <see cref="Slot"/> the metadata slot of the same index (invalid when there is no
/// metadata page). A correct engine has PteBits = type for types 0-2, PteBits = 3 and Slot = type
/// for the others, and Slot = invalid for types 0-2.
/// </summary>
public readonly record struct TypeStorage(byte PteBits, P2MType Slot);

/// <summary>A broken internal invariant: which one, what it should be, what it is.</summary>
public sealed record InvariantViolation(string Field, string Expected, string Actual);
