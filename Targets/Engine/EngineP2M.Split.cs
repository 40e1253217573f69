using P2M.Contract;
using P2M.Coverage;

namespace P2M.Engine;

// Turning one entry into a table of E entries: splitting a superpage, un-sharing an identity table.
public partial class EngineP2M
{
    /// <summary>
    /// Splits the superpage at <paramref name="index"/> of <paramref name="table"/> (at
    /// <paramref name="level"/>) into a table of E leaves one level down that map exactly what it
    /// mapped, every child keeping the type (moved into the new table's metadata page when it lives
    /// there). Returns the new table page. Pages come from the chunk's reservation.
    /// </summary>
    private protected virtual int SplitSuperpage(MappedPage table, int index, int level, ulong gfnBase)
    {
        ulong old = At(table, index);
        P2MType type = TypeOf(table.Page, index, old);
        _coverage?.Hit(type > P2MType.ExtStorage ? Probe.SplitMetadataSuperpage : Probe.SplitSuperpage, level);
        int page = _reservation.Take();
        int childOrder = (level - 1) * _b;
        ulong mfn = Pte.Ppn(old);
        // Fill the new table while nothing can see it yet.
        // Every child is the same leaf but for its MFN: build the bits once, add the MFN per entry.
        ulong template = Pte.Leaf(0, type, identity: false);
        MappedPage children = MapTable(page);
        Span<ulong> entries = _access.Entries(children);
        for (int i = 0; i < entries.Length; i++)
            entries[i] = template | ((mfn + ((ulong)i << childOrder)) << Pte.PpnShift);
        UnmapTable(children);
        _journal.Dirty(page, level - 1);
        if (type > P2MType.ExtStorage) _metadata.FillNew(page, type, _reservation);
        // Break-before-make: the leaf goes invalid and is flushed before the table takes its place.
        BreakEntry(table, index, gfnBase, level, remade: true);
        _metadata.Set(table.Page, index, P2MType.Invalid, _reservation);
        WriteEntry(table, index, Pte.Table(page), gfnBase, level);
        return page;
    }

    /// <summary>
    /// True: a change under the shared identity table first gives the block a private copy. The one
    /// place a double can plant "wrote through the shared table" (the plan and the write both ask).
    /// </summary>
    private protected virtual bool UnsharesIdentityTables => true;

    /// <summary>
    /// Gives the block behind a level-1 link to the shared identity table a private copy (every
    /// frame still identity), so one of its frames can change. Returns the copy's page.
    /// </summary>
    private int CopyIdentityTable(MappedPage table, int index, ulong blockGfn)
    {
        int page = _reservation.Take();
        _coverage?.Hit(Probe.IdentityCopied);
        ulong template = Pte.Leaf(0, P2MType.MmioDirectIo, identity: true);
        MappedPage copy = MapTable(page);
        Span<ulong> entries = _access.Entries(copy);
        for (int i = 0; i < entries.Length; i++)
            entries[i] = template | ((blockGfn + (ulong)i) << Pte.PpnShift);
        UnmapTable(copy);
        _journal.Dirty(page, 0);
        // Table to another table: through an invalid entry and a flush.
        BreakEntry(table, index, blockGfn, 1, remade: true);
        WriteEntry(table, index, Pte.Table(page), blockGfn, 1);
        return page;
    }
}
