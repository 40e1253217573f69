using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Codec;

/// <summary>What every decoded input must satisfy, whatever its bytes: the codec's cost bounds (operations, frames) and folds.</summary>
internal static class DecodedBounds
{
    /// <summary>Asserts that <paramref name="input"/> keeps every bound of <paramref name="limits"/> and every fold.</summary>
    public static void AssertWithin(FuzzInput input, CodecLimits limits)
    {
        Geometry g = input.Geometry;
        Assert.InRange(input.Ops.Length, 0, limits.MaxOps);
        ulong frames = 0;
        foreach (Op op in input.Ops)
            frames += OpFrames.Of(op, g);
        Assert.True(frames <= limits.MaxFrames, $"{frames} frames in one input (budget {limits.MaxFrames})");
        if (input.PoolPages is { } pages)
            Assert.InRange(pages, Geometry.RootPages, g.DefaultPoolPages);

        foreach (Op op in input.Ops)
        {
            switch (op.Kind)
            {
                case OpKind.Map:
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    AssertFrame(op.Mfn.Value, g.MfnLimit);
                    AssertFrames(op.Nr, g);
                    Assert.True(P2MTypes.IsDefined(op.Type));
                    break;
                case OpKind.Unmap:
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    AssertFrames(op.Nr, g);
                    break;
                case OpKind.Retype:
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    AssertFrames(op.Nr, g);
                    Assert.True(P2MTypes.IsDefined(op.From) && P2MTypes.IsDefined(op.To));
                    break;
                case OpKind.Identity:
                    AssertFrame(op.Start.Value, g.GfnLimit);
                    AssertFrames(unchecked(op.End.Value - op.Start.Value), g);
                    break;
                case OpKind.Foreign:
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    AssertFrame(op.Mfn.Value, g.MfnLimit);
                    Assert.True(P2MTypes.IsForeign(op.Type));
                    break;
                case OpKind.GrantSetup:
                    Assert.InRange(op.Frames, 0UL, (ulong)g.MaxGrantFrames + 1);
                    break;
                case OpKind.GrantMap:
                    Assert.True(op.Frame <= (ulong)g.MaxGrantFrames || op.Frame == ulong.MaxValue, $"grant frame {op.Frame}");
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    break;
                case OpKind.Lookup:
                case OpKind.Translate:
                    AssertFrame(op.Gfn.Value, g.GfnLimit);
                    break;
                case OpKind.FailAllocs:
                    Assert.InRange(op.Count, 0UL, (ulong)limits.MaxFailAllocs);
                    break;
                case OpKind.DirectMap:
                case OpKind.Teardown:
                    break;
                default:
                    Assert.Fail($"kind {op.Kind} is not one of the 12");
                    break;
            }
        }
    }

    /// <summary>A range's frames: up to the largest range, or one of the over-maximum counts rejected before any work.</summary>
    private static void AssertFrames(ulong frames, Geometry g) =>
        Assert.True(frames <= g.MaxRangeFrames + 1 || frames == ulong.MaxValue, $"{frames} frames in one operation");

    /// <summary>In the space, within one space past it, or within one space of 2^64.</summary>
    private static void AssertFrame(ulong frame, ulong limit) =>
        Assert.True(frame < 2 * limit || frame >= 0 - limit, $"frame 0x{frame:x} outside the folds of a space of 0x{limit:x}");
}
