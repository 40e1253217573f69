using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (c): replace each type an operation names by the plainest one that keeps the failure:
/// <c>ram_rw</c> first, then up the rank of <see cref="InputSize.RankOf"/>; a foreign mapping read-write
/// rather than read-only.
/// </summary>
internal static class SimplifyTypes
{
    /// <summary>True when any type was simplified.</summary>
    public static bool Run(ShrinkState state)
    {
        bool simplified = false;
        for (int i = 0; i < state.Current.Ops.Length && !state.OutOfBudget; i++)
        {
            foreach (OpTypeSlot slot in OpTypes.Of(state.Current.Ops[i].Kind))
                simplified |= Simplify(state, i, slot);
        }
        return simplified;
    }

    private static bool Simplify(ShrinkState state, int index, OpTypeSlot slot)
    {
        Op op = state.Current.Ops[index];
        int rank = InputSize.RankOf(OpTypes.Get(op, slot));
        foreach (P2MType simpler in OpTypes.Choices(op.Kind))
        {
            // Choices are plainest first: the first that keeps the failure is the best there is.
            if (InputSize.RankOf(simpler) >= rank || state.OutOfBudget)
                return false;
            if (state.TryOp(index, OpTypes.With(op, slot, simpler)))
                return true;
        }
        return false;
    }
}
