namespace P2M.Contract;

/// <summary>
/// What one 4K guest frame maps to: MFN, type, order of the leaf that maps it, identity flag.
/// Unmapped is <see cref="Unmapped"/>: invalid MFN, invalid type, order 0. Identity frames report
/// MFN = GFN, mmio_direct_io (unless retyped), order 0.
/// </summary>
public readonly record struct FrameState(Mfn Mfn, P2MType Type, int Order, bool Identity)
{
    /// <summary>The state of a frame nothing maps.</summary>
    public static readonly FrameState Unmapped = new(Mfn.Invalid, P2MType.Invalid, 0, false);

    /// <summary>True when the frame is mapped.</summary>
    public bool IsMapped => Type != P2MType.Invalid;

    /// <summary>
    /// Script-format rendering, e.g. <c>mfn=0x200 type=ram_rw order=3</c>; <c>unmapped</c> only for exactly
    /// <see cref="Unmapped"/>. A frame of invalid type that still carries an MFN, an order or the identity flag
    /// prints every field, so a report never shows two different states under one word.
    /// </summary>
    public override string ToString() => this == Unmapped
        ? "unmapped"
        : $"mfn={Mfn} type={P2MTypes.Name(Type)} order={Order}{(Identity ? " identity=1" : "")}";
}
