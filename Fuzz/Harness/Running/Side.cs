using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// One implementation of a run under the name its verdicts give it. Every call the runner makes into it goes
/// through here, and an exception it throws leaves as a <see cref="SideFault"/> naming it, so the verdict
/// blames the side that threw, whatever the check was doing (a wrapper around the model would fool any
/// guess from a stack trace). Exceptions the runner itself throws are never blamed on a side.
/// </summary>
internal sealed class Side
{
    private readonly IP2MSelfCheck? _selfCheck;
    private readonly IAllocationFailureModel? _failureModel;

    public Side(IP2M p2m, string name)
    {
        P2M = p2m;
        Name = name;
        _selfCheck = p2m as IP2MSelfCheck;
        _failureModel = p2m as IAllocationFailureModel;
    }

    /// <summary>The implementation itself (to reset it, or to tell two runs' sides apart).</summary>
    public IP2M P2M { get; }

    /// <summary>The name in verdicts, read once.</summary>
    public string Name { get; }

    /// <summary>True when the side can show its type storage and audit itself (<see cref="IP2MSelfCheck"/>).</summary>
    public bool SelfChecks => _selfCheck is not null;

    /// <summary>True when the side can replay an allocation failure (<see cref="IAllocationFailureModel"/>).</summary>
    public bool ModelsFailures => _failureModel is not null;

    public OpResult Apply(in Op op)
    {
        try { return P2M.Apply(op); }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary><see cref="IAllocationFailureModel.ApplyFailedAt"/>; only when <see cref="ModelsFailures"/>.</summary>
    public OpResult ApplyFailedAt(in Op op, ulong done)
    {
        try { return _failureModel!.ApplyFailedAt(op, done); }
        catch (Exception e) { throw Fault(e); }
    }

    public FrameState Read(Gfn gfn)
    {
        try { return P2M.Read(gfn); }
        catch (Exception e) { throw Fault(e); }
    }

    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        try { P2M.ReadRange(start, frames); }
        catch (Exception e) { throw Fault(e); }
    }

    public int References(Mfn mfn)
    {
        try { return P2M.References(mfn); }
        catch (Exception e) { throw Fault(e); }
    }

    public int GrantFrames
    {
        get
        {
            try { return P2M.GrantFrames; }
            catch (Exception e) { throw Fault(e); }
        }
    }

    public Gfn GrantGfn(int frame)
    {
        try { return P2M.GrantGfn(frame); }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary>
    /// <see cref="IP2M.VisitMappedRuns"/>. What the side throws names it; what <paramref name="visitor"/>
    /// throws is the runner's own, so it is caught inside the side's walk and thrown again once the side returns.
    /// </summary>
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor
    {
        var guarded = new GuardedVisitor<TVisitor>(visitor);
        try { P2M.VisitMappedRuns(ref guarded); }
        catch (Exception e) { throw Fault(e); }
        visitor = guarded.Inner;
        guarded.Failure?.Throw();
    }

    /// <summary>A visitor whose exceptions stop the walk and are kept, so that they are never blamed on the side walking.</summary>
    private struct GuardedVisitor<TVisitor>(TVisitor inner) : IMappedRunVisitor where TVisitor : IMappedRunVisitor
    {
        public TVisitor Inner = inner;
        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure;

        public bool Visit(in MappedRun run)
        {
            if (Failure is not null) return false;
            try { return Inner.Visit(run); }
            catch (Exception e)
            {
                Failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                return false;
            }
        }
    }

    /// <summary>The side's held references, to be read through <see cref="MoveNext{T}"/> and <see cref="Dispose"/>.</summary>
    public IEnumerator<KeyValuePair<Mfn, int>> HeldReferences()
    {
        try { return P2M.HeldReferences().GetEnumerator(); }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary>Moves one of this side's enumerators on, and reads its current item.</summary>
    public bool MoveNext<T>(IEnumerator<T> items, out T current)
    {
        try
        {
            bool more = items.MoveNext();
            current = more ? items.Current : default!;
            return more;
        }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary>Disposes one of this side's enumerators.</summary>
    public void Dispose<T>(IEnumerator<T> items)
    {
        try { items.Dispose(); }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary><see cref="IP2MSelfCheck.ReadTypeStorage"/>; only when <see cref="SelfChecks"/>.</summary>
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage)
    {
        try { _selfCheck!.ReadTypeStorage(start, storage); }
        catch (Exception e) { throw Fault(e); }
    }

    /// <summary><see cref="IP2MSelfCheck.Audit"/>; only when <see cref="SelfChecks"/>. <paramref name="pages"/> is what it visited.</summary>
    public InvariantViolation? Audit(AuditScope scope, out long pages)
    {
        try
        {
            long before = _selfCheck!.AuditedPages;
            InvariantViolation? violation = _selfCheck.Audit(scope);
            pages = Math.Max(0, _selfCheck.AuditedPages - before);
            return violation;
        }
        catch (Exception e) { throw Fault(e); }
    }

    private SideFault Fault(Exception e) => new(Name, e);
}

/// <summary>An exception a side threw, carried out of the check that called it with the side's name.</summary>
internal sealed class SideFault(string side, Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>The name of the side that threw.</summary>
    public string Side { get; } = side;

    /// <summary>What it threw.</summary>
    public Exception Thrown => InnerException!;
}
