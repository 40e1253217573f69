namespace P2M.Oracle;

/// <summary>
/// A half-open range of guest frames <c>[Start, End)</c>: the range R an operation covers. The split
/// and retype order rules are phrased as "does this aligned block meet R / lie wholly inside R".
/// </summary>
internal readonly record struct GfnRange(ulong Start, ulong End)
{
    /// <summary>A range of <paramref name="count"/> frames from <paramref name="start"/>.</summary>
    public static GfnRange Of(ulong start, ulong count) => new(start, start + count);

    /// <summary>True when the range holds no frame.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>True when <paramref name="gfn"/> is inside the range.</summary>
    public bool Contains(ulong gfn) => Start <= gfn && gfn < End;

    /// <summary>True when the block shares at least one frame with the range.</summary>
    public bool Meets(Block block) => block.Start < End && Start < block.End;

    /// <summary>True when every frame of the block is inside the range.</summary>
    public bool Covers(Block block) => Start <= block.Start && block.End <= End;
}

/// <summary>
/// The 2^<see cref="Order"/>-frame block aligned on its own size: what a leaf of that order covers.
/// A leaf of order o that maps frame f is <c>Block.Around(f, o)</c>.
/// </summary>
internal readonly record struct Block(ulong Start, int Order)
{
    /// <summary>The <paramref name="order"/>-aligned block holding <paramref name="gfn"/>.</summary>
    public static Block Around(ulong gfn, int order) => new(gfn & ~((1UL << order) - 1), order);

    /// <summary>Frames in the block.</summary>
    public ulong Frames => 1UL << Order;

    /// <summary>One past the block's last frame.</summary>
    public ulong End => Start + Frames;
}
