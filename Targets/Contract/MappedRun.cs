namespace P2M.Contract;

/// <summary>
/// <see cref="Count"/> consecutive mapped frames from <see cref="Gfn"/> that map consecutive MFNs from
/// <see cref="Mfn"/> with the same type, order and identity flag. Implementations may split runs
/// however they like; comparisons merge adjacent runs first.
/// </summary>
public readonly record struct MappedRun(Gfn Gfn, ulong Count, Mfn Mfn, P2MType Type, int Order, bool Identity)
{
    /// <summary>State of the frame <paramref name="i"/> frames into the run.</summary>
    public FrameState FrameAt(ulong i) => new(Mfn + i, Type, Order, Identity);
}
