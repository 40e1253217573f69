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
    private struct Change
    {
        public long Entry;   // page << 32 | index
        public ulong Gfn;    // first frame the entry covered
        public int Order;
        public bool Broken;  // went invalid (must be flushed before it is made valid again)
    }

    private readonly List<Change> _unflushed = new();
    private InvariantViolation? _first;

    /// <summary>Checks one write of <paramref name="newPte"/> over <paramref name="oldPte"/>.</summary>
    public void OnWrite(int page, int index, ulong oldPte, ulong newPte, ulong gfn, int order)
    {
        long entry = ((long)page << 32) | (uint)index;
        bool wasValid = Pte.IsValid(oldPte), isValid = Pte.IsValid(newPte);
        if (wasValid && isValid)
        {
            if (Pte.IsTable(oldPte) != Pte.IsTable(newPte))
                Record("bbm.table-leaf-swap", $"entry {page}:{index} (gfn 0x{gfn:x}) through an invalid entry", "swapped in place");
            else if ((oldPte & (Pte.PpnMask | Pte.IdentityBit)) != (newPte & (Pte.PpnMask | Pte.IdentityBit)))
                Record("bbm.no-break", $"entry {page}:{index} (gfn 0x{gfn:x}) through an invalid entry", $"0x{oldPte:x} -> 0x{newPte:x} in place");
            _unflushed.Add(new Change { Entry = entry, Gfn = gfn, Order = order });
        }
        else if (wasValid)
        {
            _unflushed.Add(new Change { Entry = entry, Gfn = gfn, Order = order, Broken = true });
        }
        else if (isValid)
        {
            foreach (var change in _unflushed)
                if (change.Broken && change.Entry == entry)
                    Record("bbm.no-flush", $"a TLB flush between break and make of gfn 0x{gfn:x}", "made again before any flush");
        }
    }

    /// <summary>A flush of [gfn, gfn + 2^order) settles every change inside it.</summary>
    public void OnFlush(ulong gfn, int order)
    {
        ulong end = gfn + (1UL << order);
        // Compact in place: no delegate, no allocation on the per-step path.
        int kept = 0;
        for (int i = 0; i < _unflushed.Count; i++)
        {
            var c = _unflushed[i];
            if (c.Gfn >= gfn && c.Gfn + (1UL << c.Order) <= end) continue;
            _unflushed[kept++] = c;
        }
        _unflushed.RemoveRange(kept, _unflushed.Count - kept);
    }

    /// <summary>Ends the operation: anything still unflushed is a breach. Returns the first breach and resets.</summary>
    public InvariantViolation? EndOperation()
    {
        if (_unflushed.Count > 0)
        {
            var c = _unflushed[0];
            Record("tlb.missing-flush", $"a flush of gfn 0x{c.Gfn:x} order {c.Order} before the operation returns", "none");
        }
        _unflushed.Clear();
        var first = _first;
        _first = null;
        return first;
    }

    private void Record(string field, string expected, string actual) => _first ??= new InvariantViolation(field, expected, actual);
}
