using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>
/// Allocation failure: when a chunk fails, the superpage it was splitting is lost, as when a split
/// unlinks the leaf before it has the new table page. Planted by wrapping the engine: after an
/// ENOMEM it removes the leaf that held the failing chunk's first frame.
/// </summary>
public sealed class LosesSuperpageOnFailedSplit(P2MConfig config) : IP2M, IP2MSelfCheck
{
    private readonly EngineP2M _engine = new(config);

    public string Name => "engine";
    public Geometry Geometry => _engine.Geometry;

    public OpResult Apply(in Op op)
    {
        OpResult result = _engine.Apply(op);
        if (result.Code == ResultCode.Enomem && op.Kind is OpKind.Map or OpKind.Unmap or OpKind.Retype)
        {
            ulong failing = op.Gfn.Value + result.Done;
            FrameState leaf = _engine.Read(new Gfn(failing));
            if (leaf.IsMapped && leaf.Order > 0)
            {
                ulong first = failing & ~((1UL << leaf.Order) - 1);
                _engine.Apply(Op.Unmap(new Gfn(first), 1UL << leaf.Order));
            }
        }
        return result;
    }

    public FrameState Read(Gfn gfn) => _engine.Read(gfn);
    public void ReadRange(Gfn start, Span<FrameState> frames) => _engine.ReadRange(start, frames);
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor => _engine.VisitMappedRuns(ref visitor);
    public int References(Mfn mfn) => _engine.References(mfn);
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _engine.HeldReferences();
    public int GrantFrames => _engine.GrantFrames;
    public Gfn GrantGfn(int frame) => _engine.GrantGfn(frame);
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage) => _engine.ReadTypeStorage(start, storage);
    public InvariantViolation? Audit(AuditScope scope) => _engine.Audit(scope);
    public long AuditedPages => _engine.AuditedPages;
}
