using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (d): move the GFNs (<see cref="Gfns"/>) or MFNs (<see cref="Mfns"/>) an input uses down to the
/// lowest frames, all together, so the operations still meet each other where they did. It packs
/// 1G-sized blocks first (order 2b: every value keeps its alignment to orders 0, b and 2b), then 2M-sized
/// blocks (order b), then single frames; at each level it tries the used blocks packed tight, then with
/// one free block between groups, and keeps the first that still fails the same way.
/// </summary>
internal static class RenumberFrames
{
    // Free blocks left between groups of used blocks: none first (lowest values); one if packing them
    // tight changes the failure (e.g. two ranges that must not touch).
    private static readonly ulong[] Gaps = [0, 1];

    /// <summary>Renumbers guest frames: map/unmap/retype/foreign/grant-map/lookup/translate GFNs and identity ranges.</summary>
    public static bool Gfns(ShrinkState state) => Run(state, FrameExtents.Gfns, MoveGfn);

    /// <summary>Renumbers machine frames: map and foreign MFNs below the grant window.</summary>
    public static bool Mfns(ShrinkState state) => Run(state, FrameExtents.Mfns, MoveMfn);

    private delegate (ulong First, ulong Last)? ExtentOf(in Op op, Geometry geometry);

    private delegate Op Move(in Op op, FrameCompaction compaction);

    private static bool Run(ShrinkState state, ExtentOf extentOf, Move move)
    {
        Geometry geometry = state.Current.Geometry;
        bool moved = false;
        for (int level = Geometry.Levels - 1; level >= 0; level--)
        {
            foreach (ulong gap in Gaps)
            {
                if (state.OutOfBudget)
                    return moved;
                FuzzInput current = state.Current;
                var extents = new List<(ulong First, ulong Last)>();
                foreach (Op op in current.Ops)
                {
                    if (extentOf(op, geometry) is { } extent)
                        extents.Add(extent);
                }
                var compaction = FrameCompaction.Plan(extents, geometry.Order(level), gap);
                Op[] ops = new Op[current.Ops.Length];
                for (int i = 0; i < ops.Length; i++)
                    ops[i] = extentOf(current.Ops[i], geometry) is null ? current.Ops[i] : move(current.Ops[i], compaction);
                if (state.TryOps(ops))
                {
                    moved = true;
                    break; // packed at this level: go on to the finer one
                }
            }
        }
        return moved;
    }

    private static Op MoveGfn(in Op op, FrameCompaction compaction)
    {
        switch (op.Kind)
        {
            case OpKind.Identity:
                ulong start = op.Start.Value, newStart = compaction.Map(start);
                // The range moves as a whole (its frames are one run of used blocks); an inverted range keeps its end.
                ulong end = op.End.Value >= start ? newStart + (op.End.Value - start) : op.End.Value;
                return Op.Identity(new Gfn(newStart), new Gfn(end));
            default:
                return OpArguments.With(op, OpArgument.Gfn, compaction.Map(op.Gfn.Value));
        }
    }

    private static Op MoveMfn(in Op op, FrameCompaction compaction) =>
        OpArguments.With(op, OpArgument.Mfn, compaction.Map(op.Mfn.Value));
}
