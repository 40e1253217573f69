using P2M.Contract;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (c): make each numeric argument as small as the failure allows, one at a time: first the
/// plain guesses (0, a whole 1G or 2M leaf's worth for counts, the value aligned down to the
/// geometry's orders 2b and b), then a binary search between 0 and the value. The search assumes
/// "smaller still fails" is roughly monotonic; where it is not, it still only ever keeps values that fail.
/// </summary>
internal static class ShrinkArguments
{
    /// <summary>True when any argument became smaller.</summary>
    public static bool Run(ShrinkState state)
    {
        bool shrunk = false;
        for (int i = 0; i < state.Current.Ops.Length && !state.OutOfBudget; i++)
        {
            foreach (OpArgument argument in OpArguments.Of(state.Current.Ops[i].Kind))
                shrunk |= Shrink(state, i, argument);
        }
        return shrunk;
    }

    private static bool Shrink(ShrinkState state, int index, OpArgument argument)
    {
        bool shrunk = false;
        foreach (ulong guess in Guesses(Value(state, index, argument), argument, state.Current.Geometry))
        {
            if (guess < Value(state, index, argument) && TrySet(state, index, argument, guess))
                shrunk = true;
        }

        // Binary search: hi always keeps the failure; lo is the largest value seen not to (0 at first, untried).
        ulong lo = 0, hi = Value(state, index, argument);
        while (hi - lo > 1 && !state.OutOfBudget)
        {
            ulong mid = lo + (hi - lo) / 2;
            if (TrySet(state, index, argument, mid))
            {
                hi = mid;
                shrunk = true;
            }
            else
            {
                lo = mid;
            }
        }
        return shrunk;
    }

    /// <summary>Values worth trying before a search, in order: 0, then leaf-sized counts or aligned frame numbers.</summary>
    private static IEnumerable<ulong> Guesses(ulong value, OpArgument argument, Geometry geometry)
    {
        yield return 0;
        if (argument == OpArgument.Nr)
        {
            yield return 1;
            yield return 1UL << geometry.Order(1);
            yield return 1UL << geometry.Order(2);
        }
        if (OpArguments.IsFrameValued(argument))
        {
            yield return AlignDown(value, geometry.Order(2));
            yield return AlignDown(value, geometry.Order(1));
        }
    }

    private static ulong AlignDown(ulong value, int order) => value & ~((1UL << order) - 1);

    private static ulong Value(ShrinkState state, int index, OpArgument argument) =>
        OpArguments.Get(state.Current.Ops[index], argument);

    private static bool TrySet(ShrinkState state, int index, OpArgument argument, ulong value) =>
        state.TryOp(index, OpArguments.With(state.Current.Ops[index], argument, value));
}
