namespace P2M.Fuzz.Minimizing;

/// <summary>Pass (b), last stage of delta debugging: remove operations one at a time.</summary>
internal static class RemoveSingleOps
{
    /// <summary>True when any operation was removed.</summary>
    public static bool Run(ShrinkState state) => RemoveOpChunks.RemoveChunksOf(state, 1);
}
