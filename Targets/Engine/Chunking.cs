namespace P2M.Engine;

/// <summary>
/// How range operations are cut into chunks, each written as one entry (Xen's p2m_mapping_order):
/// the largest allowed order for which the alignment bits are clear and the remaining count is at
/// least the chunk size. <c>map</c> aligns on gfn|mfn, <c>unmap</c>/<c>retype</c>/<c>identity</c> on gfn.
/// </summary>
internal static class Chunking
{
    /// <summary>Chunk level (0 = 4K) for a chunk at an address whose low bits are <paramref name="alignment"/>.</summary>
    /// <param name="alignment">gfn, or gfn|mfn for map.</param>
    /// <param name="remaining">Frames still to do.</param>
    /// <param name="entryBits">b of the geometry.</param>
    /// <param name="maxLevel">Highest level allowed: 2 for map/unmap/retype, 1 for identity.</param>
    public static int Level(ulong alignment, ulong remaining, int entryBits, int maxLevel)
    {
        for (int level = maxLevel; level > 0; level--)
        {
            int order = level * entryBits;
            ulong size = 1UL << order;
            if ((alignment & (size - 1)) == 0 && remaining >= size) return level;
        }
        return 0;
    }
}
