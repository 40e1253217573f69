using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using P2M.Contract;

namespace P2M.Engine;

// The shape every walk of the tables relies on, checked as the walk goes: a table link is followed
// only out of a table above level 0, only to the shared identity table or to an allocated page that
// is not a root page, and a walk reaches each table page once. So no walk can go below level 0,
// loop, or leave the pool, whatever a bug wrote into the tables: the audit returns the broken link
// as a violation, and Apply and the reads, which cannot, throw InvariantViolationException.
public partial class EngineP2M
{
    /// <summary>The structure invariants' fields, the same in the audit and in <see cref="InvariantViolationException"/>.</summary>
    internal static class StructureField
    {
        /// <summary>A table page met a second time by one walk: a cycle, or a page linked from two entries.</summary>
        public const string TableReachedTwice = "structure.table-reached-twice";
        /// <summary>A table pointer inside a leaf table.</summary>
        public const string TableAtLevel0 = "structure.table-at-level-0";
        /// <summary>A linked page the pool counts free.</summary>
        public const string LinkedFreePage = "structure.linked-free-page";
        /// <summary>An entry linking one of the root's pages.</summary>
        public const string LinkToRoot = "structure.link-to-root";
        /// <summary>An entry linking a page number the pool does not have.</summary>
        public const string LinkOutsidePool = "structure.link-outside-pool";
    }

    /// <summary>The first page a table below the root can be (the identity table and the root come first).</summary>
    private const int FirstTablePage = PagePool.RootPage + Geometry.RootPages;

    // Pages reached by the current walk: a page is reached when its stamp equals the walk's
    // generation, so nothing needs clearing between walks. Grows with the pool.
    private int[] _reachedStamp = [];
    private int _walkGeneration;

    /// <summary>True when a walk at <paramref name="level"/> may follow a link to <paramref name="child"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsSoundLink(int level, ulong child) =>
        level > 0 && (child >= FirstTablePage ? _pool.IsAllocated(child) : child == PagePool.IdentityPage);

    /// <summary>
    /// The page that the table entry <paramref name="pte"/>, at <paramref name="index"/> of
    /// <paramref name="parent"/> (at <paramref name="level"/>), links: checked before a walk down one
    /// path follows it. On a path the only ancestor that is not a root page is the parent itself,
    /// so a link back to it is the one cycle to look for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FollowLink(int parent, int index, int level, ulong pte)
    {
        ulong child = Pte.Ppn(pte);
        bool cycle = child == (ulong)parent;
        if (!IsSoundLink(level, child) || cycle) ThrowBrokenLink(parent, index, level, pte, cycle);
        return (int)child;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBrokenLink(int parent, int index, int level, ulong pte, bool reached) =>
        throw new InvariantViolationException(BrokenLink(parent, index, level, pte, reached));

    /// <summary>
    /// Null when a subtree walk may enter the page <paramref name="pte"/> links (a sound link to a page
    /// this walk has not reached; the page is then marked reached), otherwise what is wrong with it.
    /// </summary>
    private InvariantViolation? CheckLink(int parent, int index, int level, ulong pte)
    {
        ulong child = Pte.Ppn(pte);
        if (IsSoundLink(level, child) && MarkReached((int)child)) return null;
        return BrokenLink(parent, index, level, pte, IsReached(child));
    }

    /// <summary>
    /// What is wrong with a link a check refused, first match in this order: out of a leaf table, to
    /// the root, outside the pool, to a page the walk has <paramref name="reached"/> already (freed
    /// since, maybe, by a walk that frees), to a free page; and when none of those, reached already.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvariantViolation BrokenLink(int parent, int index, int level, ulong pte, bool reached)
    {
        ulong child = Pte.Ppn(pte);
        string entry = $"entry {index} of page {parent} (level {level}) links page {child}";
        if (level <= 0)
            return new InvariantViolation(StructureField.TableAtLevel0, "a leaf or an invalid entry in a leaf table", entry);
        if (child >= PagePool.RootPage && child < FirstTablePage)
            return new InvariantViolation(StructureField.LinkToRoot, "a link to a table page below the root", entry);
        if (child > (ulong)_pool.Capacity)
            return new InvariantViolation(StructureField.LinkOutsidePool, $"a page of the pool (at most {_pool.Capacity})", entry);
        if (!reached && child != PagePool.IdentityPage && !_pool.IsAllocated((int)child))
            return new InvariantViolation(StructureField.LinkedFreePage, "an allocated table page", entry + ", free in the pool");
        return new InvariantViolation(StructureField.TableReachedTwice, "each table page reached once", entry + ", reached already");
    }

    /// <summary>The bits that make an entry a table pointer: valid with R/W/X clear.</summary>
    private const ulong TablePointerBits = Pte.Valid | Pte.Perms;

    /// <summary>Null when the leaf table <paramref name="page"/> holds no table pointer; otherwise the first one.</summary>
    private InvariantViolation? LeafTableLinks(int page, ReadOnlySpan<ulong> entries)
    {
        if (TableScan.CountMasked(entries, TablePointerBits, Pte.Valid) == 0) return null;
        int index = 0;
        while (!Pte.IsTable(entries[index])) index++;
        return BrokenLink(page, index, 0, entries[index], reached: false);
    }

    /// <summary>Starts a walk that reaches each page once: no page is reached yet.</summary>
    private void BeginWalk()
    {
        if (++_walkGeneration != int.MaxValue) return;
        Array.Clear(_reachedStamp);
        _walkGeneration = 1;
    }

    /// <summary>True when the current walk has reached <paramref name="page"/> (never for the shared identity table).</summary>
    private bool IsReached(ulong page) =>
        page != PagePool.IdentityPage && page < (ulong)_reachedStamp.Length && _reachedStamp[page] == _walkGeneration;

    /// <summary>
    /// Marks <paramref name="page"/> reached by the current walk; false if it already was. The shared
    /// identity table is linked from every identity block, so it may be reached any number of times.
    /// </summary>
    private bool MarkReached(int page)
    {
        if (page == PagePool.IdentityPage) return true;
        if (page >= _reachedStamp.Length) Array.Resize(ref _reachedStamp, Math.Max(page + 1, _pool.PageSlots));
        ref int stamp = ref _reachedStamp[page];
        if (stamp == _walkGeneration) return false;
        stamp = _walkGeneration;
        return true;
    }
}
