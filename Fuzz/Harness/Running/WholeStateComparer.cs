using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Compares everything both sides hold: every mapped frame (as canonical runs), every held reference
/// and every grant frame. Per-step checks only look where a step acted; this finds a step that
/// changed something elsewhere. It reads the whole state, so the runner calls it on the schedule of
/// <see cref="FullCheckSchedule"/>, which needs to know what each call cost.
/// </summary>
internal static class WholeStateComparer
{
    /// <summary>
    /// The first difference, or null. Adds to <paramref name="entries"/> what was read: the frames of
    /// both sides' runs and their held-reference entries (the model's cost is per frame).
    /// </summary>
    public static Verdict? Compare(Sides sides, in StepContext context, ref long entries) =>
        CompareRuns(sides, context, ref entries) ?? CompareHeldReferences(sides, context, ref entries) ?? GrantFrameCheck.Compare(sides, context);

    private static Verdict? CompareRuns(Sides sides, in StepContext context, ref long entries)
    {
        // Structs disposed by hand: a using variable is read-only, and TryNext must move the real one.
        var left = new CanonicalRuns(sides.Left);
        try
        {
            var right = new CanonicalRuns(sides.Right);
            try
            {
                return CompareRuns(sides, context, ref left, ref right, ref entries);
            }
            finally
            {
                right.Dispose();
            }
        }
        finally
        {
            left.Dispose();
        }
    }

    private static Verdict? CompareRuns(Sides sides, in StepContext context, ref CanonicalRuns left, ref CanonicalRuns right, ref long entries)
    {
        bool hasLeft = Next(ref left, out MappedRun l, ref entries);
        bool hasRight = Next(ref right, out MappedRun r, ref entries);

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
                hasRight = Next(ref right, out r, ref entries);
            }
            else if (r.Count > l.Count)
            {
                r = Skip(r, l.Count);
                hasLeft = Next(ref left, out l, ref entries);
            }
            else
            {
                hasLeft = Next(ref left, out l, ref entries);
                hasRight = Next(ref right, out r, ref entries);
            }
        }
        return null;
    }

    /// <summary>The next canonical run, its frames counted (saturating: a lying side may report any count).</summary>
    private static bool Next(ref CanonicalRuns runs, out MappedRun run, ref long entries)
    {
        if (!runs.TryNext(out run)) return false;
        entries = run.Count >= (ulong)(long.MaxValue - entries) ? long.MaxValue : entries + (long)run.Count;
        return true;
    }

    private static MappedRun Skip(in MappedRun run, ulong frames) =>
        run with { Gfn = run.Gfn + frames, Mfn = run.Mfn + frames, Count = run.Count - frames };

    private static Verdict Difference(Sides sides, in StepContext context, Gfn gfn, in FrameState left, in FrameState right)
    {
        FrameField field = FrameFields.FirstDifference(left, right);
        return context.Divergence("runs." + FrameFields.Name(field),
            FrameFields.Value(left, field), FrameFields.Value(right, field),
            $"whole state, gfn {gfn}: {sides.Left.Name} has {left}, {sides.Right.Name} has {right}", gfn: gfn);
    }

    private static Verdict? CompareHeldReferences(Sides sides, in StepContext context, ref long entries)
    {
        IEnumerator<KeyValuePair<Mfn, int>> left = sides.Left.HeldReferences();
        try
        {
            IEnumerator<KeyValuePair<Mfn, int>> right = sides.Right.HeldReferences();
            try
            {
                return CompareHeldReferences(sides, context, left, right, ref entries);
            }
            finally
            {
                sides.Right.Dispose(right);
            }
        }
        finally
        {
            sides.Left.Dispose(left);
        }
    }

    private static Verdict? CompareHeldReferences(Sides sides, in StepContext context,
        IEnumerator<KeyValuePair<Mfn, int>> left, IEnumerator<KeyValuePair<Mfn, int>> right, ref long entries)
    {
        bool hasLeft = sides.Left.MoveNext(left, out KeyValuePair<Mfn, int> l);
        bool hasRight = sides.Right.MoveNext(right, out KeyValuePair<Mfn, int> r);

        while (hasLeft || hasRight)
        {
            entries++;
            // A merge of two ascending lists: an MFN only one side lists has count 0 on the other.
            Mfn mfn;
            int leftCount = 0, rightCount = 0;
            if (hasLeft && hasRight && l.Key == r.Key)
            {
                mfn = l.Key;
                leftCount = l.Value;
                rightCount = r.Value;
            }
            else if (hasLeft && (!hasRight || l.Key.Value < r.Key.Value))
            {
                mfn = l.Key;
                leftCount = l.Value;
            }
            else
            {
                mfn = r.Key;
                rightCount = r.Value;
            }

            if (leftCount != rightCount)
            {
                return context.Divergence("refs",
                    leftCount.ToString(CultureInfo.InvariantCulture), rightCount.ToString(CultureInfo.InvariantCulture),
                    $"whole state, references held on mfn {mfn}: {sides.Left.Name} has {leftCount}, {sides.Right.Name} has {rightCount}",
                    mfn: mfn);
            }

            if (hasLeft && l.Key == mfn)
                hasLeft = sides.Left.MoveNext(left, out l);
            if (hasRight && r.Key == mfn)
                hasRight = sides.Right.MoveNext(right, out r);
        }
        return null;
    }
}
