using P2M.Contract;
using P2M.Oracle;

namespace P2M.Harness.Tests.Running;

/// <summary>
/// A deliberately wrong implementation: the oracle, seen through hooks that bend what it answers or
/// change its state behind the runner's back. Each hook is off (null) unless a test sets it, so an
/// untouched instance behaves exactly as the oracle and any verdict comes from the hook alone.
/// </summary>
internal class TamperedP2M : IP2M
{
    public TamperedP2M(P2MConfig config, string name = "tampered")
    {
        Inner = new OracleP2M(config);
        Name = name;
    }

    /// <summary>The honest model underneath.</summary>
    public OracleP2M Inner { get; }

    /// <summary>Operations applied so far: the step a hook is called at.</summary>
    public int Steps { get; private set; }

    /// <summary>Replaces how an operation is applied (e.g. to fake an allocation failure); gets the step and op.</summary>
    public Func<int, Op, OpResult>? ApplyInstead { get; set; }

    /// <summary>Bends the result reported for an operation (step, op, honest result).</summary>
    public Func<int, Op, OpResult, OpResult>? OnResult { get; set; }

    /// <summary>Changes the inner state after an operation without saying so (step, op).</summary>
    public Action<int, Op>? AfterApply { get; set; }

    /// <summary>Bends a frame as read back (steps so far, gfn, honest frame).</summary>
    public Func<int, Gfn, FrameState, FrameState>? OnFrame { get; set; }

    /// <summary>When set, <see cref="OnFrame"/> bends only <see cref="Read"/>, not <see cref="ReadRange"/> or the runs.</summary>
    public bool BendSingleReadsOnly { get; set; }

    /// <summary>Bends a reference count (steps so far, mfn, honest count).</summary>
    public Func<int, Mfn, int, int>? OnReferences { get; set; }

    /// <summary>Adds held references that do not exist (steps so far → extra entries).</summary>
    public Func<int, IEnumerable<KeyValuePair<Mfn, int>>>? ExtraHeldReferences { get; set; }

    /// <summary>Bends a grant frame's recorded GFN (steps so far, frame, honest gfn).</summary>
    public Func<int, int, Gfn, Gfn>? OnGrantGfn { get; set; }

    /// <summary>Throws this from <see cref="Apply"/> at the step it returns non-null for.</summary>
    public Func<int, Op, Exception?>? ThrowOnApply { get; set; }

    /// <summary>Throws this from <see cref="ReadRange"/> once this many steps have run.</summary>
    public (int AfterSteps, Exception Exception)? ThrowOnReadRange { get; set; }

    /// <summary>Reports every mapped frame as its own one-frame run (a legal, different cut).</summary>
    public bool OneFramePerRun { get; set; }

    public string Name { get; }

    public Geometry Geometry => Inner.Geometry;

    public int GrantFrames => Inner.GrantFrames;

    public OpResult Apply(in Op op)
    {
        int step = Steps + 1;
        if (ThrowOnApply?.Invoke(step, op) is { } exception)
            throw exception;
        OpResult result = ApplyInstead is { } instead ? instead(step, op) : Inner.Apply(op);
        Steps = step;
        AfterApply?.Invoke(step, op);
        return OnResult is { } bend ? bend(step, op, result) : result;
    }

    public FrameState Read(Gfn gfn) => Bend(gfn, Inner.Read(gfn));

    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        if (ThrowOnReadRange is { } thrower && Steps >= thrower.AfterSteps)
            throw thrower.Exception;
        Inner.ReadRange(start, frames);
        if (BendSingleReadsOnly)
            return;
        for (int i = 0; i < frames.Length; i++)
            frames[i] = Bend(start + (ulong)i, frames[i]);
    }

    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor =>
        MappedRunList.Visit(Runs(), ref visitor);

    private IEnumerable<MappedRun> Runs()
    {
        foreach (MappedRun run in Inner.MappedRuns())
        {
            if (!OneFramePerRun)
            {
                yield return run;
                continue;
            }
            for (ulong i = 0; i < run.Count; i++)
                yield return run with { Gfn = run.Gfn + i, Mfn = run.Mfn + i, Count = 1 };
        }
    }

    public int References(Mfn mfn) =>
        OnReferences is { } bend ? bend(Steps, mfn, Inner.References(mfn)) : Inner.References(mfn);

    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences()
    {
        var held = Inner.HeldReferences().ToList();
        if (ExtraHeldReferences is { } extra)
            held.AddRange(extra(Steps));
        return held.OrderBy(pair => pair.Key.Value).ToList();
    }

    public Gfn GrantGfn(int frame) =>
        OnGrantGfn is { } bend ? bend(Steps, frame, Inner.GrantGfn(frame)) : Inner.GrantGfn(frame);

    private FrameState Bend(Gfn gfn, FrameState frame) => OnFrame is { } bend ? bend(Steps, gfn, frame) : frame;
}

/// <summary>
/// A <see cref="TamperedP2M"/> that also shows "internals" through <see cref="IP2MSelfCheck"/>: type storage
/// derived from its frames exactly as a correct engine stores it, and a clean audit, unless a hook bends them.
/// </summary>
internal sealed class SelfCheckingP2M : TamperedP2M, IP2MSelfCheck
{
    public SelfCheckingP2M(P2MConfig config, string name = "selfcheck") : base(config, name) { }

    /// <summary>Bends the storage of one frame (steps so far, gfn, honest storage).</summary>
    public Func<int, Gfn, TypeStorage, TypeStorage>? OnStorage { get; set; }

    /// <summary>The audit's answer at a number of steps, in either scope (as a cheap per-step check); null means clean.</summary>
    public Func<int, InvariantViolation?>? OnAudit { get; set; }

    /// <summary>The full audit's answer at a number of steps (as a table walk, run on the runner's schedule); null means clean.</summary>
    public Func<int, InvariantViolation?>? OnFullAudit { get; set; }

    /// <summary>The steps after which a full audit ran, in order.</summary>
    public List<int> FullAuditSteps { get; } = new();

    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage)
    {
        var frames = new FrameState[storage.Length];
        Inner.ReadRange(start, frames);
        for (int i = 0; i < storage.Length; i++)
        {
            P2MType type = frames[i].Type;
            var honest = type <= P2MType.MmioDirectIo
                ? new TypeStorage((byte)type, P2MType.Invalid)
                : new TypeStorage(3, type);
            storage[i] = OnStorage is { } bend ? bend(Steps, start + (ulong)i, honest) : honest;
        }
    }

    public InvariantViolation? Audit(AuditScope scope)
    {
        if (OnAudit?.Invoke(Steps) is { } violation)
            return violation;
        if (scope != AuditScope.Full)
            return null;
        FullAuditSteps.Add(Steps);
        return OnFullAudit?.Invoke(Steps);
    }

    /// <summary>One "page" per full audit: its cost does not grow.</summary>
    public long AuditedPages => FullAuditSteps.Count;
}
