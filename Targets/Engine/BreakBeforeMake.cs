using P2M.Contract;

namespace P2M.Engine;

/// <summary>
/// Watches every write to a reachable entry during one operation and records the first breach of
/// the Arm/RISC-V rules: a valid entry is replaced by one with another output address, or a table
/// by a leaf or back, only through an invalid entry and a TLB flush in between; and every change
/// to a valid entry is flushed before the operation returns.
/// </summary>
internal sealed class BreakBeforeMake
{
    private readonly record struct Change(long Entry, ulong Gfn, ulong End, long Sequence);

    private readonly record struct Flush(ulong Gfn, ulong End, long Sequence);

    // Entries made invalid and not flushed since: making one valid again now is a breach. Breaks are
    // flushed at once, so this holds one or two entries, and the check on each make stays cheap.
    private readonly List<Change> _broken = new();
    // In-place changes to valid entries, each owed a later flush that covers it; checked once, at the end.
    private readonly List<Change> _changed = new();
    private readonly List<Flush> _flushes = new();
    private long _sequence;
    private InvariantViolation? _first;

    /// <summary>Checks one write of <paramref name="newPte"/> over <paramref name="oldPte"/>.</summary>
    public void OnWrite(int page, int index, ulong oldPte, ulong newPte, ulong gfn, int order)
    {
        long entry = ((long)page << 32) | (uint)index;
        bool wasValid = Pte.IsValid(oldPte), isValid = Pte.IsValid(newPte);
        var change = new Change(entry, gfn, gfn + (1UL << order), ++_sequence);
        if (wasValid)
        {
            if (isValid)
            {
                if (Pte.IsTable(oldPte) != Pte.IsTable(newPte))
                    Record("bbm.table-leaf-swap", $"entry {page}:{index} (gfn 0x{gfn:x}) through an invalid entry", "swapped in place");
                else if ((oldPte & (Pte.PpnMask | Pte.IdentityBit)) != (newPte & (Pte.PpnMask | Pte.IdentityBit)))
                    Record("bbm.no-break", $"entry {page}:{index} (gfn 0x{gfn:x}) through an invalid entry", $"0x{oldPte:x} -> 0x{newPte:x} in place");
            }
            else
            {
                _broken.Add(change);
                return;
            }
            _changed.Add(change);
        }
        else if (isValid)
        {
            foreach (var broken in _broken)
                if (broken.Entry == entry)
                    Record("bbm.no-flush", $"a TLB flush between break and make of gfn 0x{gfn:x}", "made again before any flush");
        }
    }

    /// <summary>A flush of [gfn, gfn + 2^order) settles every change inside it made before it.</summary>
    public void OnFlush(ulong gfn, int order)
    {
        ulong end = gfn + (1UL << order);
        _flushes.Add(new Flush(gfn, end, ++_sequence));
        // Broken entries covered by the flush may be made valid again.
        int kept = 0;
        for (int i = 0; i < _broken.Count; i++)
        {
            var b = _broken[i];
            if (b.Gfn >= gfn && b.End <= end) continue;
            _broken[kept++] = b;
        }
        _broken.RemoveRange(kept, _broken.Count - kept);
    }

    /// <summary>Ends the operation: a change no later flush covers is a breach. Returns the first breach and resets.</summary>
    public InvariantViolation? EndOperation()
    {
        // Most operations write nothing (reads) or only make entries (nothing broken, changed or flushed).
        if (_broken.Count == 0 && _changed.Count == 0 && _flushes.Count == 0 && _first is null) return null;
        // A break still unflushed, or an in-place change no later flush covers.
        foreach (var change in _broken)
        {
            Record("tlb.missing-flush", $"a flush of gfn 0x{change.Gfn:x} (0x{change.End - change.Gfn:x} frames) before the operation returns", "none");
            break;
        }
        foreach (var change in _changed)
        {
            if (IsFlushedAfter(change)) continue;
            Record("tlb.missing-flush", $"a flush of gfn 0x{change.Gfn:x} (0x{change.End - change.Gfn:x} frames) before the operation returns", "none");
            break;
        }
        _changed.Clear();
        _flushes.Clear();
        _broken.Clear();
        var first = _first;
        _first = null;
        return first;
    }

    /// <summary>Forgets everything watched, breaches included.</summary>
    public void Reset()
    {
        _changed.Clear();
        _flushes.Clear();
        _broken.Clear();
        _first = null;
        _sequence = 0;
    }

    /// <summary>Newest flush first: the operation's closing flush usually covers everything, so this is one step.</summary>
    private bool IsFlushedAfter(Change change)
    {
        for (int i = _flushes.Count - 1; i >= 0; i--)
        {
            var flush = _flushes[i];
            if (flush.Sequence < change.Sequence) return false;
            if (flush.Gfn <= change.Gfn && change.End <= flush.End) return true;
        }
        return false;
    }

    private void Record(string field, string expected, string actual) => _first ??= new InvariantViolation(field, expected, actual);
}
