using P2M.Contract;

namespace P2M.Oracle;

/// <summary>
/// The orders frames take when an operation's range R meets a leaf that crosses R's boundary
/// (shared SEMANTICS.md, "Splitting and orders"). Orders are only ever the geometry's leaf orders
/// 0, b and 2b: a split can only produce leaves the tables can hold.
/// </summary>
internal static class SplitRule
{
    /// <summary>
    /// "Each frame of the leaf outside R keeps its MFN and type and takes the largest order o' below
    /// the leaf's whose o'-aligned block does not meet R."
    /// </summary>
    public static int OrderOutside(Geometry geometry, ulong gfn, int leafOrder, GfnRange r)
    {
        for (int level = Geometry.Levels - 1; level >= 0; level--)
        {
            int order = geometry.Order(level);
            if (order < leafOrder && !r.Meets(Block.Around(gfn, order)))
                return order;
        }
        // Not reached for a frame outside R: its own 4K block never meets R.
        return 0;
    }

    /// <summary>
    /// For <c>retype</c>, a frame inside R "takes the largest order, not above its leaf's, whose block
    /// lies wholly inside R". A leaf wholly inside R keeps its order.
    /// </summary>
    public static int OrderInside(Geometry geometry, ulong gfn, int leafOrder, GfnRange r)
    {
        for (int level = Geometry.Levels - 1; level >= 0; level--)
        {
            int order = geometry.Order(level);
            if (order <= leafOrder && r.Covers(Block.Around(gfn, order)))
                return order;
        }
        // Not reached for a frame inside R: its own 4K block lies inside R.
        return 0;
    }
}
