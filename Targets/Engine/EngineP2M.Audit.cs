using P2M.Contract;

namespace P2M.Engine;

// The engine's own invariants, checked by the runner: nothing here is visible through lookups, so the
// oracle cannot catch it, yet a leak or a stray slot is a real bug. The cheap part runs after every
// step, the table walk on the runner's schedule (AuditScope).
public partial class EngineP2M
{
    // Pages seen by the current audit: a page is seen when its stamp equals the audit's generation,
    // so nothing needs clearing between audits (clearing was half the audit's time).
    private int[]? _seenStamp;
    private int _auditGeneration;

    /// <inheritdoc/>
    public long AuditedPages { get; private set; }

    /// <inheritdoc/>
    public InvariantViolation? Audit(AuditScope scope = AuditScope.Full)
    {
        // Breaches seen while the last operations ran come first: they name the cause.
        if (_breach is not null)
        {
            var breach = _breach;
            _breach = null;
            return breach;
        }
        // After every operation no mapcache slot may still hold a reference.
        int slot = _access.Mapcache.FirstReferencedSlot();
        if (slot >= 0)
            return new InvariantViolation("mapcache.reference", "no slot referenced between operations",
                $"slot {slot} holds {_access.Mapcache.References(slot)} (page {_access.Mapcache.PageIn(slot)})");
        var tlb = AuditTlb();
        if (tlb is not null) return tlb;
        return scope == AuditScope.Full ? AuditTables() : null;
    }

    /// <summary>Every table reached from the root, the identity table, and the pool's accounting of them.</summary>
    private InvariantViolation? AuditTables()
    {
        if (_seenStamp is null || _seenStamp.Length < _pool.PageSlots) _seenStamp = new int[_pool.PageSlots];
        _auditGeneration++;
        int tables = 0, metadataPages = 0;
        for (int root = 0; root < Geometry.RootPages; root++)
        {
            var violation = AuditTable(PagePool.RootPage + root, RootLevel, ref tables, ref metadataPages);
            if (violation is not null) return violation;
        }
        var identity = AuditIdentityTable();
        if (identity is not null) return identity;
        // Pool accounting: root + reachable tables + their metadata pages, and nothing else.
        int expected = Geometry.RootPages + tables + metadataPages;
        AuditedPages += expected;
        if (_pool.InUse != expected)
            return new InvariantViolation("pool.in-use", $"{expected} (4 root + {tables} tables + {metadataPages} metadata)", _pool.InUse.ToString());
        return null;
    }

    private InvariantViolation? AuditTable(int page, int level, ref int tables, ref int metadataPages)
    {
        ReadOnlySpan<ulong> entries = _access.Raw(page);
        var slots = AuditMetadata(page, entries, ref metadataPages);
        if (slots is not null) return slots;
        if (level == 0) return null;
        for (int i = TableScan.IndexOfAnyBit(entries, 0, Pte.Valid); i >= 0; i = TableScan.IndexOfAnyBit(entries, i + 1, Pte.Valid))
        {
            ulong pte = entries[i];
            if (!Pte.IsTable(pte)) continue;
            int child = Pte.Page(pte);
            if (child == PagePool.IdentityPage)
            {
                // Only a level-1 entry may link the shared leaf table.
                if (level != 1) return new InvariantViolation("identity.link-level", "1", level.ToString());
                continue;
            }
            if (!_pool.IsAllocated(child) || child < PagePool.RootPage + Geometry.RootPages)
                return new InvariantViolation("pool.table-page", "an allocated table page", $"page {child} (free or root)");
            if (!MarkSeen(child))
                return new InvariantViolation("pool.table-shared", "each table page linked once", $"page {child} linked twice");
            tables++;
            var violation = AuditTable(child, level - 1, ref tables, ref metadataPages);
            if (violation is not null) return violation;
        }
        return null;
    }

    /// <summary>
    /// The metadata page of a table page holds a type from 4 up exactly where the PTE holds the
    /// marker, counts those slots right, and exists only while one is used.
    /// </summary>
    private InvariantViolation? AuditMetadata(int page, ReadOnlySpan<ulong> entries, ref int metadataPages)
    {
        const ulong markerLeaf = Pte.Valid | Pte.TypeMask; // valid with type bits 3 (tables have type bits 0)
        int markers = TableScan.CountMasked(entries, markerLeaf, markerLeaf);
        int meta = _metadata.PageOf(page);
        if (meta == 0)
            return markers == 0 ? null : new InvariantViolation("metadata.page", $"a metadata page for {markers} marker entries", $"none (table page {page})");
        if (!_pool.IsAllocated(meta) || !MarkSeen(meta))
            return new InvariantViolation("metadata.page", "an allocated page of its own", $"page {meta}");
        metadataPages++;
        ReadOnlySpan<ulong> slots = _access.Raw(meta);
        int used = TableScan.CountNonZero(slots);
        if (used != _metadata.UsedSlots(page))
            return new InvariantViolation("metadata.count", $"{used} used slots", _metadata.UsedSlots(page).ToString());
        if (used == 0)
            return new InvariantViolation("metadata.count", "metadata page freed when its count is 0", $"empty page {meta} kept");
        for (int i = 0; i < _e; i++)
        {
            bool marker = (entries[i] & markerLeaf) == markerLeaf;
            ulong slot = slots[i];
            if (marker != (slot != 0) || (slot != 0 && (slot <= (ulong)P2MType.ExtStorage || slot > (ulong)P2MTypes.Max)))
                return new InvariantViolation("metadata.slot", marker ? "a type from 4 up" : "invalid",
                    $"{P2MTypes.Name((P2MType)slot)} (table page {page}, index {i})");
        }
        return null;
    }

    /// <summary>Marks a page seen by this audit; false if it already was.</summary>
    private bool MarkSeen(int page)
    {
        ref int stamp = ref _seenStamp![page];
        if (stamp == _auditGeneration) return false;
        stamp = _auditGeneration;
        return true;
    }

    /// <summary>The shared identity table is read-only: every entry still an identity leaf.</summary>
    private InvariantViolation? AuditIdentityTable()
    {
        ReadOnlySpan<ulong> entries = _access.Raw(PagePool.IdentityPage);
        for (int i = 0; i < entries.Length; i++)
            if (entries[i] != IdentityLeaf)
                return new InvariantViolation("identity.shared-table", "read-only identity leaves", $"entry {i} written: 0x{entries[i]:x}");
        return null;
    }
}
