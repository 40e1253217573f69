using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (b), delta debugging: remove runs of consecutive operations, half the input at a time, then
/// quarters, and so on down to pairs (single operations are <see cref="RemoveSingleOps"/>). A run that
/// can go is gone and the next one slides into its place, so one sweep can remove many.
/// </summary>
internal static class RemoveOpChunks
{
    /// <summary>True when any chunk was removed.</summary>
    public static bool Run(ShrinkState state)
    {
        bool removed = false;
        for (int size = state.Current.Ops.Length / 2; size >= 2 && !state.OutOfBudget; size /= 2)
            removed |= RemoveChunksOf(state, size);
        return removed;
    }

    /// <summary>One sweep from the front removing chunks of <paramref name="size"/> operations where the failure survives it.</summary>
    public static bool RemoveChunksOf(ShrinkState state, int size)
    {
        bool removed = false;
        int at = 0;
        while (at < state.Current.Ops.Length && !state.OutOfBudget)
        {
            Op[] ops = state.Current.Ops;
            int count = Math.Min(size, ops.Length - at);
            if (state.TryOps([.. ops.AsSpan(0, at), .. ops.AsSpan(at + count)]))
                removed = true; // the next chunk now starts at the same place
            else
                at += size;
        }
        return removed;
    }
}
