using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// A half-open range of guest frames <c>[Start, End)</c>: the frames one step is checked over.
/// </summary>
internal readonly record struct GfnRange(ulong Start, ulong End)
{
    /// <summary>No frames.</summary>
    public static GfnRange Empty => default;

    /// <summary>True when there are no frames.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>
    /// The frames <paramref name="op"/> names (R of the semantics page), clamped to the GFN space.
    /// Counts above the geometry's range limit are cut to it: such an operation is <c>EINVAL</c> and
    /// must change nothing, and checking a billion frames per step for that would stall the fuzzer;
    /// the whole-state check sees anything it changed anyway. <c>teardown</c> and operations without
    /// frames give an empty range (the runner checks the whole state after a teardown).
    /// </summary>
    public static GfnRange Touched(in Op op, Geometry geometry)
    {
        ulong limit = geometry.GfnLimit;
        ulong most = geometry.MaxRangeFrames;
        switch (op.Kind)
        {
            case OpKind.Map:
            case OpKind.Unmap:
            case OpKind.Retype:
                return Clamp(op.Gfn.Value, Math.Min(op.Nr, most), limit);
            case OpKind.Identity:
                ulong start = op.Start.Value, end = op.End.Value;
                return end <= start ? Empty : Clamp(start, Math.Min(end - start, most), limit);
            case OpKind.Foreign:
            case OpKind.GrantMap:
            case OpKind.Lookup:
            case OpKind.Translate:
                return Clamp(op.Gfn.Value, 1, limit);
            default:
                return Empty;
        }
    }

    /// <summary>
    /// This range grown so that it covers whole the leaves crossing its edges: <paramref name="firstOrder"/>
    /// is the larger of the two sides' orders at <see cref="Start"/>, <paramref name="lastOrder"/> at
    /// <c>End - 1</c>. Orders are clamped to the geometry's largest leaf so that a side reporting nonsense
    /// cannot make the check walk the whole space; the frame comparison reports that nonsense itself.
    /// </summary>
    public GfnRange WidenedToLeaves(int firstOrder, int lastOrder, Geometry geometry)
    {
        if (IsEmpty)
            return this;
        int largest = geometry.Order(Geometry.Levels - 1);
        ulong firstBlock = 1UL << Math.Clamp(firstOrder, 0, largest);
        ulong lastBlock = 1UL << Math.Clamp(lastOrder, 0, largest);
        ulong start = Start & ~(firstBlock - 1);
        ulong end = (End + lastBlock - 1) & ~(lastBlock - 1);
        return new GfnRange(start, Math.Min(end, geometry.GfnLimit));
    }

    private static GfnRange Clamp(ulong start, ulong count, ulong limit) =>
        start >= limit ? Empty : new GfnRange(start, start + Math.Min(count, limit - start));

    /// <inheritdoc/>
    public override string ToString() => $"[0x{Start:x}, 0x{End:x})";
}
