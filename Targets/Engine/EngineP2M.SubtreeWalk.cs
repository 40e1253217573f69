using System.Runtime.CompilerServices;
using P2M.Contract;

namespace P2M.Engine;

// The walk over every entry under a table page (whole-state runs, freeing, retyping), without
// recursion: an explicit stack of one frame per level, so it cannot overflow.
public partial class EngineP2M
{
    /// <summary>A page a subtree walk has entered and not left: the page as mapped, its level and the order of its entries, the GFN its entry 0 starts, the next entry to look at.</summary>
    private struct WalkFrame
    {
        public MappedPage Table;
        public int Level;
        public int Order;
        public ulong GfnBase;
        public int Next;
        public TableScan.Hits Hits;  // the valid entries after Next, a window at a time
        public int Reached;          // the page the mapping reached when Hits was read
    }

    /// <summary>
    /// The pages a walk is below, its parents: one per level under the root at most, since a link is
    /// followed only out of a level above 0. The page the walk is in is kept apart, in plain fields,
    /// because every entry looks at it.
    /// </summary>
    [InlineArray(Geometry.Levels - 1)]
    private struct WalkParents
    {
        private WalkFrame _first;
    }

    /// <summary>
    /// Depth first over the valid entries under one page, in GFN order. The caller looks at each
    /// entry and may enter the page it links; when a page has no entry left the caller leaves it.
    /// Links are checked as they are followed (<see cref="CheckLink"/>): the stack never outgrows the
    /// levels, and a page is reached once however the tables are linked. Pages are reached through
    /// the mapcache (MapTable), as every walk of an operation reaches them.
    /// <code>
    /// var walk = new SubtreeWalk(this);
    /// walk.Start(page, level, gfnBase);
    /// do
    ///     while (walk.NextEntry(out ulong pte)) { /* a leaf, or walk.Enter(walk.FollowLink(pte)) */ }
    /// while (walk.Leave());
    /// </code>
    /// </summary>
    private ref struct SubtreeWalk
    {
        private readonly EngineP2M _engine;
        private WalkParents _parents;
        private int _depth;
        private WalkFrame _current;

        /// <summary>Begins a walk: pages reached from here on count as reached until the next walk begins.</summary>
        public SubtreeWalk(EngineP2M engine)
        {
            _engine = engine;
            engine.BeginWalk();
        }

        /// <summary>0 for the start page, one more per page entered.</summary>
        public readonly int Depth => _depth;

        /// <summary>The page the walk is in.</summary>
        public readonly MappedPage Table => _current.Table;

        /// <summary>The number of the page the walk is in.</summary>
        public readonly int Page => _current.Table.Page;

        /// <summary>The level of the page the walk is in.</summary>
        public readonly int Level => _current.Level;

        /// <summary>The index of the entry <see cref="NextEntry"/> moved to.</summary>
        public readonly int Index => _current.Next - 1;

        /// <summary>The first GFN the entry <see cref="NextEntry"/> moved to covers.</summary>
        public readonly ulong Gfn => _current.GfnBase + ((ulong)(_current.Next - 1) << _current.Order);

        /// <summary>Starts at <paramref name="page"/> (at <paramref name="level"/>, entry 0 at <paramref name="gfnBase"/>), reached by this walk.</summary>
        public void Start(int page, int level, ulong gfnBase)
        {
            _engine.MarkReached(page);
            _depth = 0;
            _current = Frame(page, level, gfnBase);
        }

        /// <summary>Moves to the next valid entry of the current page, <paramref name="entry"/>; false when it has none left (then <see cref="Leave"/>).</summary>
        public bool NextEntry(out ulong entry)
        {
            // The span is taken afresh each time: every access resolves through the mapcache slot when
            // it is made, so a slot released too early and commandeered since shows. Hits read through
            // another page than the one reached now are read again, and so is a hit no longer valid
            // (walks write only the entry they stand on, so entries after it keep what the window saw).
            Span<ulong> entries = _engine._access.Entries(_current.Table);
            int reached = _engine._access.Target(_current.Table);
            if (reached != _current.Reached)
            {
                _current.Reached = reached;
                _current.Hits.RescanAfter(_current.Next - 1);
            }
            while (true)
            {
                int i = _current.Hits.Next(entries, Pte.Valid, TableScan.Widest);
                if (i < 0)
                {
                    entry = 0;
                    return false;
                }
                entry = entries[i];
                if (Pte.IsValid(entry))
                {
                    _current.Next = i + 1;
                    return true;
                }
                _current.Hits.RescanAfter(_current.Next - 1);
            }
        }

        /// <summary>Null when the current entry's link, <paramref name="entry"/>, may be entered (its page is then reached); otherwise what is wrong with it.</summary>
        public readonly InvariantViolation? CheckLink(ulong entry) => _engine.CheckLink(_current.Table.Page, Index, _current.Level, entry);

        /// <summary>The page the current entry, <paramref name="entry"/>, links, checked and reached; throws when the link breaks the structure.</summary>
        public readonly int FollowLink(ulong entry)
        {
            if (CheckLink(entry) is { } broken) throw new InvariantViolationException(broken);
            return Pte.Page(entry);
        }

        /// <summary>Enters <paramref name="page"/> (the current entry's child, checked, or a page just made for it), one level down.</summary>
        public void Enter(int page)
        {
            // The parents hold Levels - 1 pages: entering past them is an index out of range, never a deeper walk.
            _parents[_depth++] = _current;
            _current = Frame(page, _current.Level - 1, Gfn);
        }

        /// <summary>Leaves the current page for its parent, where the walk goes on; false when that was the start page.</summary>
        public bool Leave()
        {
            _engine.UnmapTable(_current.Table);
            if (_depth == 0) return false;
            _current = _parents[--_depth];
            return true;
        }

        private readonly WalkFrame Frame(int page, int level, ulong gfnBase)
        {
            MappedPage table = _engine.MapTable(page);
            return new()
            {
                Table = table,
                Level = level,
                Order = level * _engine._b,
                GfnBase = gfnBase,
                Reached = _engine._access.Target(table),
            };
        }
    }
}
