using P2M.Contract;

namespace P2M.Engine;

// Reading the tables back: one frame, a range, every mapped run, and how types are stored.
public partial class EngineP2M
{
    /// <summary>
    /// Walks to the entry that decides <paramref name="gfn"/>: the first invalid entry or leaf on
    /// the way down. Returns it with its page, index and level.
    /// </summary>
    private ulong Locate(ulong gfn, out int page, out int index, out int level)
    {
        if (_access.DirectMap) return LocateDirect(gfn, out page, out index, out level);
        MappedPage table = MapTable(RootPageOf(gfn));
        // FollowLink refuses a link out of a leaf table: at most Levels pages down. Locals, not the
        // out parameters, in the loop: this is the hottest walk, and they stay in registers.
        for (int at = RootLevel; ; at--)
        {
            int i = IndexAt(gfn, at);
            ulong pte = At(table, i);
            if (!Pte.IsTable(pte))
            {
                (page, index, level) = (table.Page, i, at);
                UnmapTable(table);
                return pte;
            }
            table = Descend(table, FollowLink(table.Page, i, at, pte));
        }
    }

    /// <summary>
    /// <see cref="Locate"/> with the directmap on, where mapping a page is its place in the pool: the
    /// entries read straight from the pool's array, every link checked as in any walk.
    /// </summary>
    private ulong LocateDirect(ulong gfn, out int page, out int index, out int level)
    {
        ulong[] memory = _pool.Memory;
        int table = RootPageOf(gfn);
        for (int at = RootLevel; ; at--)
        {
            int i = IndexAt(gfn, at);
            ulong pte = memory[(table << _b) + i];
            if (!Pte.IsTable(pte))
            {
                (page, index, level) = (table, i, at);
                return pte;
            }
            table = FollowLink(table, i, at, pte);
        }
    }

    /// <summary>The state of a frame decided by a valid leaf at <paramref name="level"/>.</summary>
    private FrameState LeafFrame(ulong gfn, int page, int index, int level, ulong pte)
    {
        P2MType type = TypeOf(page, index, pte);
        // Identity frames are MFN = GFN and report order 0 whatever table holds them.
        if (Pte.IsIdentity(pte)) return new FrameState(new Mfn(gfn), type, 0, true);
        ulong offset = gfn & ((1UL << (level * _b)) - 1);
        return new FrameState(new Mfn(Pte.Ppn(pte) + offset), type, level * _b, false);
    }

    /// <inheritdoc/>
    public FrameState Read(Gfn gfn)
    {
        if (gfn.Value >= _geometry.GfnLimit) return FrameState.Unmapped;
        ulong pte = Locate(gfn.Value, out int page, out int index, out int level);
        return Pte.IsLeaf(pte) ? LeafFrame(gfn.Value, page, index, level, pte) : FrameState.Unmapped;
    }

    /// <inheritdoc/>
    public void ReadRange(Gfn start, Span<FrameState> frames)
    {
        var sink = new FrameSink(frames);
        ReadEntries(start.Value, frames.Length, ref sink);
    }

    /// <summary>Receives the entry that decides each run of frames a read covers.</summary>
    private interface IEntrySink
    {
        /// <summary>
        /// Frames [<paramref name="at"/>, at + <paramref name="n"/>) of the read, the first at <paramref name="gfn"/>,
        /// are decided by <paramref name="pte"/>, entry <paramref name="index"/> of <paramref name="page"/> at
        /// <paramref name="level"/> (page -1 and pte 0 past the GFN space).
        /// </summary>
        void Take(EngineP2M engine, int at, int n, ulong gfn, int page, int index, int level, ulong pte);
    }

    /// <summary>
    /// The range cursor of reads: one walk per leaf table, or per larger leaf or hole, then the entries
    /// of the frames it decides, in order.
    /// </summary>
    private void ReadEntries<TSink>(ulong start, int length, ref TSink sink) where TSink : struct, IEntrySink, allows ref struct
    {
        int i = 0;
        while (i < length)
        {
            ulong gfn = start + (ulong)i;
            if (gfn >= _geometry.GfnLimit)
            {
                sink.Take(this, i, length - i, gfn, -1, 0, 0, 0);
                return;
            }
            ulong pte = Locate(gfn, out int page, out int index, out int level);
            if (level > 0)
            {
                ulong blockEnd = BlockBase(gfn, level) + (1UL << (level * _b));
                int n = (int)Math.Min(blockEnd - gfn, (ulong)(length - i));
                sink.Take(this, i, n, gfn, page, index, level, pte);
                i += n;
                continue;
            }
            // A leaf table: the rest of its frames through one mapping.
            int count = Math.Min(_e - index, length - i);
            MappedPage table = MapTable(page);
            for (int k = 0; k < count; k++)
            {
                ulong entry = At(table, index + k);
                // A link in a leaf table is never followed: FollowLink throws the broken structure, as every walk does.
                if (Pte.IsTable(entry)) FollowLink(page, index + k, 0, entry);
                sink.Take(this, i + k, 1, gfn + (ulong)k, page, index + k, 0, entry);
            }
            UnmapTable(table);
            i += count;
        }
    }

    /// <summary>Fills frame states.</summary>
    private readonly ref struct FrameSink(Span<FrameState> frames) : IEntrySink
    {
        private readonly Span<FrameState> _frames = frames;

        public void Take(EngineP2M engine, int at, int n, ulong gfn, int page, int index, int level, ulong pte)
        {
            Span<FrameState> run = _frames.Slice(at, n);
            if (!Pte.IsLeaf(pte))
            {
                run.Fill(FrameState.Unmapped);
                return;
            }
            FrameState first = engine.LeafFrame(gfn, page, index, level, pte);
            for (int k = 0; k < run.Length; k++)
                run[k] = first.Identity ? first with { Mfn = new Mfn(gfn + (ulong)k) } : first with { Mfn = first.Mfn + (ulong)k };
        }
    }

    /// <summary>Fills type storage: the PTE's type bits and the slot of the same index.</summary>
    private readonly ref struct StorageSink(Span<TypeStorage> storage) : IEntrySink
    {
        private readonly Span<TypeStorage> _storage = storage;

        public void Take(EngineP2M engine, int at, int n, ulong gfn, int page, int index, int level, ulong pte)
        {
            if (page < 0)
            {
                _storage.Slice(at, n).Clear();
                return;
            }
            byte bits = Pte.IsLeaf(pte) ? (byte)Pte.TypeBits(pte) : (byte)0;
            _storage.Slice(at, n).Fill(new TypeStorage(bits, engine._metadata.Get(page, index)));
        }
    }

    /// <inheritdoc/>
    public void VisitMappedRuns<TVisitor>(ref TVisitor visitor) where TVisitor : IMappedRunVisitor
    {
        // One walk over the 4 roots: a page linked under two of them is reached twice.
        var walk = new SubtreeWalk(this);
        for (int root = 0; root < Geometry.RootPages; root++)
        {
            walk.Start(PagePool.RootPage + root, RootLevel, (ulong)root << (3 * _b));
            do
            {
                while (walk.NextEntry(out ulong pte))
                {
                    if (Pte.IsTable(pte))
                    {
                        walk.Enter(walk.FollowLink(pte));
                        continue;
                    }
                    ulong gfn = walk.Gfn;
                    int level = walk.Level;
                    FrameState f = LeafFrame(gfn, walk.Page, walk.Index, level, pte);
                    if (visitor.Visit(new MappedRun(new Gfn(gfn), 1UL << (level * _b), f.Mfn, f.Type, f.Order, f.Identity))) continue;
                    // Stopped early: leave every page entered, so no mapping stays referenced.
                    while (walk.Leave()) { }
                    return;
                }
            }
            while (walk.Leave());
        }
    }

    /// <inheritdoc/>
    public int References(Mfn mfn) => _pageInfo.References(mfn.Value);

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<Mfn, int>> HeldReferences() => _pageInfo.Held();

    /// <inheritdoc/>
    public int GrantFrames => _pageInfo.GrantFrames;

    /// <inheritdoc/>
    public Gfn GrantGfn(int frame) =>
        (uint)frame < (uint)_pageInfo.GrantFrames ? _pageInfo.GrantGfn(frame) : Gfn.Invalid;

    /// <inheritdoc/>
    public void ReadTypeStorage(Gfn start, Span<TypeStorage> storage)
    {
        var sink = new StorageSink(storage);
        ReadEntries(start.Value, storage.Length, ref sink);
    }
}
