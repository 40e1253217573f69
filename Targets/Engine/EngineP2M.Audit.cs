using P2M.Contract;

namespace P2M.Engine;

// The engine's own invariants, checked by the runner: nothing here is visible through lookups, so the
// oracle cannot catch it, yet a leak or a stray slot is a real bug. The cheap part runs after every
// step, the table walk on the runner's schedule (AuditScope).
public partial class EngineP2M
{
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
        // The cheap part ends with the TLB, whose lines are checked against reads of the tables (which throw
        // on a broken structure: the runner reports that as the invariant it is), and with the pages the
        // last operation wrote, as its journal names them.
        if (scope == AuditScope.Step) return AuditTlb() ?? AuditJournal();
        return AuditTables();
    }

    /// <summary>
    /// Each table page the last operation wrote, on its own: its metadata page and counts, no table
    /// pointer in a leaf table, the shared identity table untouched. What costs as much as the step wrote.
    /// </summary>
    private InvariantViolation? AuditJournal()
    {
        int metadataPages = 0;
        BeginWalk();
        foreach (JournalPage dirty in _journal.DirtyPages)
        {
            // Freed since, or listed twice (freed and written again).
            if (!_journal.IsDirty(dirty.Page) || !MarkReached(dirty.Page)) continue;
            var violation = dirty.Page == PagePool.IdentityPage ? AuditIdentityTable() : AuditPage(dirty.Page, dirty.Level, ref metadataPages);
            if (violation is not null) return violation;
        }
        return null;
    }

    /// <summary>Every table reached from the root, the identity table, the TLB, and the pool's accounting of them.</summary>
    private InvariantViolation? AuditTables()
    {
        // One pass over the 4 roots, so a page linked under two of them is reached twice; metadata
        // pages count as reached too, so a page that is both a table and a metadata page is seen.
        int tables = 0, metadataPages = 0;
        BeginWalk();
        for (int root = 0; root < Geometry.RootPages; root++)
        {
            var violation = AuditTable(PagePool.RootPage + root, ref tables, ref metadataPages);
            if (violation is not null) return violation;
        }
        var identity = AuditIdentityTable();
        if (identity is not null) return identity;
        // The TLB is checked against reads of the tables, which throw on a broken structure:
        // only once the pass above found the structure sound.
        var tlb = AuditTlb();
        if (tlb is not null) return tlb;
        // Pool accounting: root + reachable tables + their metadata pages, and nothing else.
        int expected = Geometry.RootPages + tables + metadataPages;
        AuditedPages += expected;
        if (_pool.InUse != expected)
            return new InvariantViolation("pool.in-use", $"{expected} (4 root + {tables} tables + {metadataPages} metadata)", _pool.InUse.ToString());
        return null;
    }

    /// <summary>
    /// Every page under the root page <paramref name="rootPage"/>: each link sound and each page
    /// reached once (the structure every walk relies on), no table pointer in a leaf table, and each
    /// page's metadata. Below a root page there are two levels, so this is two loops, over the root
    /// page's entries and over each level-1 table's: leaf tables are checked whole, never entered,
    /// since their entries link nothing. The audit reads the pool directly: it must not disturb the
    /// mapcache it checks.
    /// </summary>
    private InvariantViolation? AuditTable(int rootPage, ref int tables, ref int metadataPages)
    {
        MarkReached(rootPage);
        var violation = AuditPage(rootPage, RootLevel, ref metadataPages);
        if (violation is not null) return violation;
        ReadOnlySpan<ulong> root = _access.Raw(rootPage);
        var rootHits = new TableScan.Hits(0);
        for (int i; (i = rootHits.Next(root, Pte.Valid, TableScan.Widest)) >= 0;)
        {
            violation = AuditEntry(rootPage, i, RootLevel, root[i], ref tables, ref metadataPages, out int upper);
            if (violation is not null) return violation;
            if (upper < 0) continue;
            ReadOnlySpan<ulong> entries = _access.Raw(upper);
            var hits = new TableScan.Hits(0);
            for (int j; (j = hits.Next(entries, Pte.Valid, TableScan.Widest)) >= 0;)
            {
                violation = AuditEntry(upper, j, RootLevel - 1, entries[j], ref tables, ref metadataPages, out _);
                if (violation is not null) return violation;
            }
        }
        return null;
    }

    /// <summary>
    /// One valid entry of a table above the leaves. A leaf is fine here; a link must be sound and reach
    /// a page not reached yet, which then passes <see cref="AuditPage"/>. <paramref name="child"/> is
    /// the page linked, or -1 for a leaf or a link to the shared identity table.
    /// </summary>
    private InvariantViolation? AuditEntry(int page, int index, int level, ulong pte, ref int tables, ref int metadataPages, out int child)
    {
        child = -1;
        if (!Pte.IsTable(pte)) return null;
        // Only a level-1 entry may link the shared leaf table.
        if (Pte.Ppn(pte) == PagePool.IdentityPage)
            return level == 1 ? null : new InvariantViolation("identity.link-level", "1", level.ToString());
        var link = CheckLink(page, index, level, pte);
        if (link is not null) return link;
        child = Pte.Page(pte);
        tables++;
        return AuditPage(child, level - 1, ref metadataPages);
    }

    /// <summary>One page on its own: a leaf table links nothing, and every page's metadata is right.</summary>
    private InvariantViolation? AuditPage(int page, int level, ref int metadataPages)
    {
        ReadOnlySpan<ulong> entries = _access.Raw(page);
        // A leaf table holds no table pointer.
        if (level == 0 && LeafTableLinks(page, entries) is { } links) return links;
        return AuditMetadata(page, entries, TableScan.CountMasked(entries, MarkerLeaf, MarkerLeaf), ref metadataPages);
    }

    /// <summary>A leaf with the marker in its type bits (tables have type bits 0).</summary>
    private const ulong MarkerLeaf = Pte.Valid | Pte.TypeMask;

    /// <summary>
    /// The metadata page of a table page holds a type from 4 up exactly where the PTE holds the
    /// marker, counts those slots right, and exists only while one is used.
    /// </summary>
    private InvariantViolation? AuditMetadata(int page, ReadOnlySpan<ulong> entries, int markers, ref int metadataPages)
    {
        int meta = _metadata.PageOf(page);
        if (meta == 0)
            return markers == 0 ? null : new InvariantViolation("metadata.page", $"a metadata page for {markers} marker entries", $"none (table page {page})");
        if (!_pool.IsAllocated(meta) || !MarkReached(meta))
            return new InvariantViolation("metadata.page", "an allocated page of its own", $"page {meta}");
        metadataPages++;
        ReadOnlySpan<byte> slots = _access.RawSlots(meta);
        int used = TableScan.CountNonZero(slots);
        if (used != _metadata.UsedSlots(page))
            return new InvariantViolation("metadata.count", $"{used} used slots", _metadata.UsedSlots(page).ToString());
        if (used == 0)
            return new InvariantViolation("metadata.count", "metadata page freed when its count is 0", $"empty page {meta} kept");
        // A slot is used exactly where its entry holds the marker, 64 entries a step...
        for (int i = 0; i < _e; i += 64)
        {
            ulong differ = TableScan.MatchBits(entries, i, MarkerLeaf, MarkerLeaf, TableScan.Widest) ^ TableScan.NonZeroBits(slots, i, TableScan.Widest);
            if (differ != 0) return BadSlot(page, entries, slots, i + System.Numerics.BitOperations.TrailingZeroCount(differ));
        }
        // ... and holds a type from 4 up.
        int bad = TableScan.IndexOfInvalidSlot(slots, (byte)P2MType.RamRo, (byte)P2MTypes.Max);
        return bad < 0 ? null : BadSlot(page, entries, slots, bad);
    }

    private static InvariantViolation BadSlot(int page, ReadOnlySpan<ulong> entries, ReadOnlySpan<byte> slots, int index) =>
        new("metadata.slot", (entries[index] & MarkerLeaf) == MarkerLeaf ? "a type from 4 up" : "invalid",
            $"{P2MTypes.Name((P2MType)slots[index])} (table page {page}, index {index})");

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
