using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Compares the frames of a step's range on both sides after the step, each side read once, window by window,
/// through buffers reused across steps (no allocation per step): every frame's MFN, type,
/// order and identity flag, then, for each side that can show its internals, how each frame's type is
/// stored, read in one call per window. The foreign entries it sees replace those
/// <see cref="ForeignEntries"/> held for the range, and their MFNs go to <see cref="TouchedReferences"/>.
/// </summary>
internal sealed class RangeComparer
{
    /// <summary>
    /// Frames read per call to <see cref="IP2M.ReadRange"/> and <see cref="IP2MSelfCheck.ReadTypeStorage"/>: a
    /// whole <c>mini</c> space, and in <c>real</c> eight 2M leaves, so the two sides' frames and the storage
    /// (about 200 KB) are still in cache when they are compared; a 1G leaf's frames read in one call (6 MB a
    /// side) would leave it before the comparison reads them back.
    /// </summary>
    public const int WindowFrames = 4096;

    private readonly FrameState[] _left = new FrameState[WindowFrames];
    private readonly FrameState[] _right = new FrameState[WindowFrames];
    private readonly TypeStorage[] _storage = new TypeStorage[WindowFrames];

    /// <summary>
    /// After a step: the first frame of <paramref name="range"/> where the sides differ, or where a side's
    /// type storage disagrees with the model's type; null when all agree.
    /// </summary>
    public Verdict? Compare(Sides sides, GfnRange range, ForeignEntries foreign, TouchedReferences references, in StepContext context)
    {
        for (ulong start = range.Start; start < range.End; start += WindowFrames)
        {
            int n = (int)Math.Min(WindowFrames, range.End - start);
            Span<FrameState> left = _left.AsSpan(0, n);
            Span<FrameState> right = _right.AsSpan(0, n);
            sides.Left.ReadRange(new Gfn(start), left);
            sides.Right.ReadRange(new Gfn(start), right);

            for (int i = 0; i < right.Length; i++)
            {
                FrameField field = FrameFields.FirstDifference(left[i], right[i]);
                if (field != FrameField.None)
                {
                    foreign.Discard();
                    var gfn = new Gfn(start + (ulong)i);
                    return context.Divergence(FrameFields.Name(field),
                        FrameFields.Value(left[i], field), FrameFields.Value(right[i], field),
                        $"gfn {gfn}: {sides.Left.Name} has {left[i]}, {sides.Right.Name} has {right[i]}", gfn: gfn);
                }
                if (P2MTypes.IsForeign(right[i].Type))
                    foreign.See(start + (ulong)i, right[i].Mfn);
            }
            foreign.Replace(start, start + (ulong)n, references);

            // The frames agree, so the model's types are the types both sides' storage must encode.
            if (sides.Left.SelfChecks && CheckStorage(sides.Left, start, right, context) is { } leftVerdict)
                return leftVerdict;
            if (sides.Right.SelfChecks && CheckStorage(sides.Right, start, right, context) is { } rightVerdict)
                return rightVerdict;
        }
        return null;
    }

    private Verdict? CheckStorage(Side side, ulong start, ReadOnlySpan<FrameState> model, in StepContext context)
    {
        Span<TypeStorage> storage = _storage.AsSpan(0, model.Length);
        side.ReadTypeStorage(new Gfn(start), storage);
        for (int i = 0; i < storage.Length; i++)
        {
            P2MType type = model[i].Type;
            byte pte = ExpectedPteBits(type);
            P2MType slot = ExpectedSlot(type);
            if (storage[i].PteBits == pte && storage[i].Slot == slot)
                continue;

            var gfn = new Gfn(start + (ulong)i);
            string name = side.Name;
            string message = $"gfn {gfn}: {name} stores pte={storage[i].PteBits} slot={P2MTypes.Name(storage[i].Slot)}, " +
                             $"type {P2MTypes.Name(type)} needs pte={pte} slot={P2MTypes.Name(slot)}";
            return storage[i].PteBits != pte
                ? context.OneSide(VerdictKind.Invariant, name, "storage.pte",
                    storage[i].PteBits.ToString(CultureInfo.InvariantCulture), pte.ToString(CultureInfo.InvariantCulture), message, gfn: gfn)
                : context.OneSide(VerdictKind.Invariant, name, "storage.slot",
                    P2MTypes.Name(storage[i].Slot), P2MTypes.Name(slot), message, gfn: gfn);
        }
        return null;
    }

    /// <summary>The PTE's 2 type bits: the type itself for 0-2, the <c>ext_storage</c> marker for the rest.</summary>
    private static byte ExpectedPteBits(P2MType type) =>
        type <= P2MType.MmioDirectIo ? (byte)type : (byte)P2MType.ExtStorage;

    /// <summary>The metadata slot: the type for 4 and up, invalid for types the PTE holds.</summary>
    private static P2MType ExpectedSlot(P2MType type) =>
        type > P2MType.ExtStorage ? type : P2MType.Invalid;
}
