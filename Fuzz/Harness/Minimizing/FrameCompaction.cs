namespace P2M.Fuzz.Minimizing;

/// <summary>
/// A renumbering of frame numbers that packs the blocks an input uses onto the lowest blocks.
/// Blocks are 2^<c>order</c> frames, aligned; a frame keeps its offset inside its block, so every
/// value keeps its alignment to every order up to <c>order</c>. Blocks used next to each other stay
/// next to each other (so a range stays one range) and keep their relative order; the gaps between
/// groups of used blocks shrink to <c>gap</c> blocks.
/// </summary>
internal sealed class FrameCompaction
{
    private readonly int _order;
    private readonly BlockRun[] _runs; // sorted by Start, disjoint, not adjacent

    private FrameCompaction(int order, BlockRun[] runs)
    {
        _order = order;
        _runs = runs;
    }

    /// <summary>Consecutive used blocks <c>[Start, End]</c> and the block number the first one moves to.</summary>
    private readonly record struct BlockRun(ulong Start, ulong End, ulong NewStart);

    /// <summary>
    /// Plans the compaction of the frames in <paramref name="extents"/> (inclusive first and last frame
    /// of each thing an operation touches) into blocks of 2^<paramref name="order"/> frames.
    /// </summary>
    public static FrameCompaction Plan(IEnumerable<(ulong First, ulong Last)> extents, int order, ulong gap)
    {
        var used = extents
            .Select(e => (Start: e.First >> order, End: e.Last >> order))
            .OrderBy(b => b.Start)
            .ThenBy(b => b.End)
            .ToList();

        var runs = new List<BlockRun>();
        ulong nextFree = 0;
        int i = 0;
        while (i < used.Count)
        {
            ulong start = used[i].Start, end = used[i].End;
            // Merge everything overlapping or touching this run: those blocks must move together.
            for (i++; i < used.Count && (used[i].Start <= end || used[i].Start == end + 1); i++)
                end = Math.Max(end, used[i].End);
            runs.Add(new BlockRun(start, end, nextFree));
            nextFree += end - start + 1 + gap;
        }
        return new FrameCompaction(order, runs.ToArray());
    }

    /// <summary>Where <paramref name="frame"/> moves; a frame in no used block stays where it is.</summary>
    public ulong Map(ulong frame)
    {
        ulong block = frame >> _order;
        int lo = 0, hi = _runs.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2;
            BlockRun run = _runs[mid];
            if (block < run.Start) hi = mid - 1;
            else if (block > run.End) lo = mid + 1;
            else return ((run.NewStart + (block - run.Start)) << _order) | (frame & ((1UL << _order) - 1));
        }
        return frame;
    }
}
