using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Compares everything both sides hold: every mapped frame (as canonical runs), every held reference
/// and every grant frame. Per-step checks only look where a step acted; this finds a step that
/// changed something elsewhere. It walks the whole state, so the runner calls it every N steps.
/// </summary>
internal static class WholeStateComparer
{
    /// <summary>The first difference, or null.</summary>
    public static Verdict? Compare(Sides sides, in StepContext context) =>
        CompareRuns(sides, context) ?? CompareHeldReferences(sides, context) ?? GrantFrameCheck.Compare(sides, context);

    private static Verdict? CompareRuns(Sides sides, in StepContext context)
    {
        using var left = new CanonicalRuns(sides.Call(sides.Left).MappedRuns());
        using var right = new CanonicalRuns(sides.Call(sides.Right).MappedRuns());
        sides.Call(sides.Left);
        bool hasLeft = left.TryNext(out MappedRun l);
        sides.Call(sides.Right);
        bool hasRight = right.TryNext(out MappedRun r);

        while (hasLeft || hasRight)
        {
            if (!hasLeft || !hasRight || l.Gfn != r.Gfn)
            {
                // The runs before were equal, so at the lower start one side maps a frame and the other does not.
                bool leftFirst = hasLeft && (!hasRight || l.Gfn.Value < r.Gfn.Value);
                Gfn gfn = leftFirst ? l.Gfn : r.Gfn;
                return Difference(sides, context, gfn,
                    leftFirst ? l.FrameAt(0) : FrameState.Unmapped,
                    leftFirst ? FrameState.Unmapped : r.FrameAt(0));
            }

            FrameState leftFrame = l.FrameAt(0), rightFrame = r.FrameAt(0);
            if (FrameFields.FirstDifference(leftFrame, rightFrame) != FrameField.None)
                return Difference(sides, context, l.Gfn, leftFrame, rightFrame);

            // Same start, same first frame: runs differ at most in length. Drop the common part of the
            // longer one and step past the shorter; the next round compares the frame where they part.
            if (l.Count > r.Count)
            {
                l = Skip(l, r.Count);
                sides.Call(sides.Right);
                hasRight = right.TryNext(out r);
            }
            else if (r.Count > l.Count)
            {
                r = Skip(r, l.Count);
                sides.Call(sides.Left);
                hasLeft = left.TryNext(out l);
            }
            else
            {
                sides.Call(sides.Left);
                hasLeft = left.TryNext(out l);
                sides.Call(sides.Right);
                hasRight = right.TryNext(out r);
            }
        }
        return null;
    }

    private static MappedRun Skip(in MappedRun run, ulong frames) =>
        run with { Gfn = run.Gfn + frames, Mfn = run.Mfn + frames, Count = run.Count - frames };

    private static Verdict Difference(Sides sides, in StepContext context, Gfn gfn, in FrameState left, in FrameState right)
    {
        FrameField field = FrameFields.FirstDifference(left, right);
        return context.Divergence("runs." + FrameFields.Name(field),
            FrameFields.Value(left, field), FrameFields.Value(right, field),
            $"whole state, gfn {gfn}: {sides.LeftName} has {left}, {sides.RightName} has {right}", gfn: gfn);
    }

    private static Verdict? CompareHeldReferences(Sides sides, in StepContext context)
    {
        using IEnumerator<KeyValuePair<Mfn, int>> left = sides.Call(sides.Left).HeldReferences().GetEnumerator();
        using IEnumerator<KeyValuePair<Mfn, int>> right = sides.Call(sides.Right).HeldReferences().GetEnumerator();
        sides.Call(sides.Left);
        bool hasLeft = left.MoveNext();
        sides.Call(sides.Right);
        bool hasRight = right.MoveNext();

        while (hasLeft || hasRight)
        {
            // A merge of two ascending lists: an MFN only one side lists has count 0 on the other.
            Mfn mfn;
            int leftCount = 0, rightCount = 0;
            if (hasLeft && hasRight && left.Current.Key == right.Current.Key)
            {
                mfn = left.Current.Key;
                leftCount = left.Current.Value;
                rightCount = right.Current.Value;
            }
            else if (hasLeft && (!hasRight || left.Current.Key.Value < right.Current.Key.Value))
            {
                mfn = left.Current.Key;
                leftCount = left.Current.Value;
            }
            else
            {
                mfn = right.Current.Key;
                rightCount = right.Current.Value;
            }

            if (leftCount != rightCount)
            {
                return context.Divergence("refs",
                    leftCount.ToString(CultureInfo.InvariantCulture), rightCount.ToString(CultureInfo.InvariantCulture),
                    $"whole state, references held on mfn {mfn}: {sides.LeftName} has {leftCount}, {sides.RightName} has {rightCount}",
                    mfn: mfn);
            }

            if (hasLeft && left.Current.Key == mfn)
            {
                sides.Call(sides.Left);
                hasLeft = left.MoveNext();
            }
            if (hasRight && right.Current.Key == mfn)
            {
                sides.Call(sides.Right);
                hasRight = right.MoveNext();
            }
        }
        return null;
    }
}
