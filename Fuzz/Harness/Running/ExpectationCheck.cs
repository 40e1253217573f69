using System.Globalization;
using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// Checks one <c>expect…</c> line of a script against one side, where the script stands. Both sides
/// are checked in turn (left first), so a failure names the side that does not meet the script.
/// </summary>
internal static class ExpectationCheck
{
    /// <summary>
    /// The failure of <paramref name="line"/> on <paramref name="side"/>, or null when it holds.
    /// <paramref name="lastResult"/> is that side's result of the operation just before the line, null when there was none.
    /// </summary>
    public static Verdict? Check(ScriptLine line, Side side, OpResult? lastResult, in StepContext context)
    {
        string name = side.Name;
        switch (line)
        {
            case ExpectFrame expect:
            {
                FrameState actual = side.Read(expect.Gfn);
                FrameField field = FrameFields.FirstDifference(actual, expect.State);
                if (field == FrameField.None)
                    return null;
                return context.OneSide(VerdictKind.ExpectationFailed, name, FrameFields.Name(field),
                    FrameFields.Value(actual, field), FrameFields.Value(expect.State, field),
                    $"gfn {expect.Gfn}: {name} has {actual}, the script expects {expect.State}", gfn: expect.Gfn);
            }

            case ExpectRc expect:
            {
                if (lastResult is not { } result)
                {
                    return context.OneSide(VerdictKind.ExpectationFailed, name, "rc", "no operation", ResultCodes.Name(expect.Code),
                        "expect-rc stands before any operation");
                }
                if (result.Code != expect.Code)
                {
                    return context.OneSide(VerdictKind.ExpectationFailed, name, "rc", ResultCodes.Name(result.Code),
                        ResultCodes.Name(expect.Code), $"{name} returned {result}");
                }
                if (expect.Done is { } done && result.Done != done)
                {
                    return context.OneSide(VerdictKind.ExpectationFailed, name, "done", Number(result.Done), Number(done),
                        $"{name} returned {result}");
                }
                return null;
            }

            case ExpectRefs expect:
            {
                int actual = side.References(expect.Mfn);
                if (actual == expect.Count)
                    return null;
                return context.OneSide(VerdictKind.ExpectationFailed, name, "refs", Number((ulong)actual), Number((ulong)expect.Count),
                    $"{name} holds {actual} references on mfn {expect.Mfn}", mfn: expect.Mfn);
            }

            case ExpectGrant expect:
            {
                // A frame not created yet records no GFN: it reads as invalid rather than being asked for.
                Gfn actual = expect.Frame < (ulong)side.GrantFrames ? side.GrantGfn((int)expect.Frame) : Gfn.Invalid;
                if (actual == expect.Gfn)
                    return null;
                int frame = (int)Math.Min(expect.Frame, int.MaxValue);
                return context.OneSide(VerdictKind.ExpectationFailed, name, "grant", actual.ToString(), expect.Gfn.ToString(),
                    $"grant frame {expect.Frame} records gfn {actual} on {name}", grantFrame: frame);
            }

            default:
                return null;
        }
    }

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
