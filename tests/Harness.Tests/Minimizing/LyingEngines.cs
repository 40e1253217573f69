using P2M.Contract;
using P2M.Engine;

namespace P2M.Harness.Tests.Minimizing;

// Engine doubles that lie about one thing under one condition, so that tests have failing inputs whose
// smallest form is known. Each wraps the honest engine and bends only what it reads back.

/// <summary>
/// Once any <c>unmap</c> has run, frames of a <c>ram_ro</c> superpage read back as order 0. The smallest input
/// that shows it maps a <c>ram_ro</c> superpage and then unmaps something whose checked range covers frames
/// still in a superpage: e.g. a 1G leaf split by a 4K unmap leaves 2M leaves beside the hole.
/// </summary>
internal sealed class ForgetsRamRoOrderAfterUnmap(P2MConfig config) : IP2M, IP2MSelfCheck
{
    private readonly EngineP2M _engine = new(config);
    private bool _unmapped;

    public string Name => "engine";
    public Geometry Geometry => _engine.Geometry;
    public int GrantFrames => _engine.GrantFrames;

    public OpResult Apply(in Op op)
    {
        OpResult result = _engine.Apply(op);
        _unmapped |= op.Kind == OpKind.Unmap;
        return result;
    }

    public FrameState Read(Gfn gfn) => Bend(_engine.Read(gfn));

    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        _engine.ReadRange(start, frames);
        for (int i = 0; i < frames.Length; i++)
            frames[i] = Bend(frames[i]);
    }

    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor =>
        MappedRunList.Visit(_engine.MappedRuns().Select(run => Lies(run.Type, run.Order) ? run with { Order = 0 } : run), ref visitor);

    public int References(Mfn mfn) => _engine.References(mfn);
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _engine.HeldReferences();
    public Gfn GrantGfn(int frame) => _engine.GrantGfn(frame);
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage) => _engine.ReadTypeStorage(start, storage);
    public InvariantViolation? Audit(AuditScope scope) => _engine.Audit(scope);
    public long AuditedPages => _engine.AuditedPages;

    private bool Lies(P2MType type, int order) => _unmapped && type == P2MType.RamRo && order > 0;

    private FrameState Bend(FrameState frame) => Lies(frame.Type, frame.Order) ? frame with { Order = 0 } : frame;
}

/// <summary>
/// Reports no GFN for a grant frame whose recorded GFN is odd. The smallest input that shows it:
/// <c>grant-setup frames=1</c>, <c>grant-map frame=0 gfn=0x1</c>.
/// </summary>
internal sealed class DropsOddGrantGfn(P2MConfig config) : IP2M, IP2MSelfCheck
{
    private readonly EngineP2M _engine = new(config);

    public string Name => "engine";
    public Geometry Geometry => _engine.Geometry;
    public int GrantFrames => _engine.GrantFrames;
    public OpResult Apply(in Op op) => _engine.Apply(op);
    public FrameState Read(Gfn gfn) => _engine.Read(gfn);
    public void ReadRange(Gfn start, Span<FrameState> frames) => _engine.ReadRange(start, frames);
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor => _engine.VisitMappedRuns(ref visitor);
    public int References(Mfn mfn) => _engine.References(mfn);
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _engine.HeldReferences();
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage) => _engine.ReadTypeStorage(start, storage);
    public InvariantViolation? Audit(AuditScope scope) => _engine.Audit(scope);
    public long AuditedPages => _engine.AuditedPages;

    public Gfn GrantGfn(int frame)
    {
        Gfn gfn = _engine.GrantGfn(frame);
        return gfn.IsValid && gfn.Value % 2 == 1 ? Gfn.Invalid : gfn;
    }
}
