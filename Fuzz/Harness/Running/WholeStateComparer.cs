using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Compares everything both sides hold: every mapped frame (as canonical runs), every held reference
/// and every grant frame. Per-step checks only look where a step acted; this finds a step that
/// changed something elsewhere. It reads the whole state, so the runner calls it on the schedule of
/// <see cref="FullCheckSchedule"/>, which needs to know what each call cost. The left side's canonical
/// runs go into a buffer kept from one call to the next, and the right side's are compared with them as
/// they come, so a comparison allocates nothing once the buffer has grown to the states compared.
/// </summary>
internal sealed class WholeStateComparer
{
    private MappedRun[] _left = new MappedRun[64];

    /// <summary>
    /// The first difference, or null. Adds to <paramref name="entries"/> what was read: the frames of
    /// both sides' runs and their held-reference entries (the model's cost is per frame).
    /// </summary>
    public Verdict? Compare(Sides sides, in StepContext context, ref long entries) =>
        CompareRuns(sides, context, ref entries) ?? CompareHeldReferences(sides, context, ref entries) ?? GrantFrameCheck.Compare(sides, context);

    private Verdict? CompareRuns(Sides sides, in StepContext context, ref long entries)
    {
        var collector = new Collector(_left);
        sides.Left.VisitMappedRuns(ref collector);
        collector.Finish();
        _left = collector.Runs;
        var matcher = new Matcher(_left, collector.Count);
        sides.Right.VisitMappedRuns(ref matcher);
        matcher.Finish();
        entries = Saturated(entries, collector.Frames);
        entries = Saturated(entries, matcher.Frames);
        if (!matcher.Differs) return null;
        FrameState left = matcher.LeftFrame, right = matcher.RightFrame;
        FrameField field = FrameFields.FirstDifference(left, right);
        Gfn gfn = matcher.At;
        return context.Divergence("runs." + FrameFields.Name(field),
            FrameFields.Value(left, field), FrameFields.Value(right, field),
            $"whole state, gfn {gfn}: {sides.Left.Name} has {left}, {sides.Right.Name} has {right}", gfn: gfn);
    }

    /// <summary>Frames counted, saturating: a lying side may report any count.</summary>
    private static long Saturated(long entries, ulong frames) =>
        frames >= (ulong)(long.MaxValue - entries) ? long.MaxValue : entries + (long)frames;

    /// <summary>Collects the left side's canonical runs into the reused buffer, growing it when a state has more.</summary>
    private struct Collector(MappedRun[] runs) : IMappedRunVisitor
    {
        private CanonicalRuns _canonical;
        public MappedRun[] Runs = runs;
        public int Count;
        public ulong Frames;

        public bool Visit(in MappedRun run)
        {
            if (_canonical.Add(run, out MappedRun done)) Keep(done);
            return true;
        }

        public void Finish()
        {
            if (_canonical.Finish(out MappedRun done)) Keep(done);
        }

        private void Keep(in MappedRun run)
        {
            if (Count == Runs.Length) Array.Resize(ref Runs, Runs.Length * 2);
            Runs[Count++] = run;
            Frames = run.Count >= ulong.MaxValue - Frames ? ulong.MaxValue : Frames + run.Count;
        }
    }

    /// <summary>
    /// Walks the right side's canonical runs against the left's, both in GFN order, and stops at the first
    /// frame where they part: one side maps it and the other does not, or a field differs.
    /// </summary>
    private struct Matcher(MappedRun[] left, int count) : IMappedRunVisitor
    {
        private readonly MappedRun[] _left = left;
        private readonly int _count = count;
        private CanonicalRuns _canonical;
        private int _next;           // the next left run after _l
        private MappedRun _l;        // what is left of the left run being compared; Count 0 for none
        public ulong Frames;
        public bool Differs;
        public Gfn At;
        public FrameState LeftFrame, RightFrame;

        public bool Visit(in MappedRun run) => !_canonical.Add(run, out MappedRun done) || Match(done);

        /// <summary>After the right side's last run: its open run, then whatever the left side maps past it.</summary>
        public void Finish()
        {
            if (Differs) return;
            if (_canonical.Finish(out MappedRun done) && !Match(done)) return;
            if (NextLeft()) Part(_l.Gfn, _l.FrameAt(0), FrameState.Unmapped);
        }

        /// <summary>Compares one right run frame by frame with the left runs it overlaps; false at a difference.</summary>
        private bool Match(MappedRun r)
        {
            Frames = r.Count >= ulong.MaxValue - Frames ? ulong.MaxValue : Frames + r.Count;
            while (r.Count > 0)
            {
                if (!NextLeft() || _l.Gfn != r.Gfn)
                {
                    // The runs before were equal, so at the lower start one side maps a frame and the other does not.
                    bool leftFirst = _l.Count > 0 && _l.Gfn.Value < r.Gfn.Value;
                    return leftFirst ? Part(_l.Gfn, _l.FrameAt(0), FrameState.Unmapped) : Part(r.Gfn, FrameState.Unmapped, r.FrameAt(0));
                }
                FrameState leftFrame = _l.FrameAt(0), rightFrame = r.FrameAt(0);
                if (FrameFields.FirstDifference(leftFrame, rightFrame) != FrameField.None)
                    return Part(r.Gfn, leftFrame, rightFrame);
                // Same start, same first frame: the runs differ at most in length. Drop the common part of both;
                // the next round compares the frame where they part.
                ulong common = Math.Min(_l.Count, r.Count);
                _l = Skip(_l, common);
                r = Skip(r, common);
            }
            return true;
        }

        /// <summary>Makes <see cref="_l"/> the left run to compare next; false when the left side has none left.</summary>
        private bool NextLeft()
        {
            if (_l.Count > 0) return true;
            if (_next == _count) return false;
            _l = _left[_next++];
            return true;
        }

        private bool Part(Gfn gfn, FrameState left, FrameState right)
        {
            (Differs, At, LeftFrame, RightFrame) = (true, gfn, left, right);
            return false;
        }

        private static MappedRun Skip(in MappedRun run, ulong frames) =>
            run with { Gfn = run.Gfn + frames, Mfn = run.Mfn + frames, Count = run.Count - frames };
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
