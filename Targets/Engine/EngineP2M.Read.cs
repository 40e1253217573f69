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
        int i = 0;
        while (i < frames.Length)
        {
            ulong gfn = start.Value + (ulong)i;
            if (gfn >= _geometry.GfnLimit)
            {
                frames[i..].Fill(FrameState.Unmapped);
                return;
            }
            // One walk per entry, then every frame that entry decides.
            ulong pte = Locate(gfn, out int page, out int index, out int level);
            ulong blockEnd = BlockBase(gfn, level) + (1UL << (level * _b));
            int n = (int)Math.Min(blockEnd - gfn, (ulong)(frames.Length - i));
            if (!Pte.IsLeaf(pte))
            {
                frames.Slice(i, n).Fill(FrameState.Unmapped);
            }
            else
            {
                FrameState first = LeafFrame(gfn, page, index, level, pte);
                for (int k = 0; k < n; k++)
                    frames[i + k] = first.Identity
                        ? first with { Mfn = new Mfn(gfn + (ulong)k) }
                        : first with { Mfn = first.Mfn + (ulong)k };
            }
            i += n;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<MappedRun> MappedRuns()
    {
        var runs = new List<MappedRun>();
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
                    runs.Add(new MappedRun(new Gfn(gfn), 1UL << (level * _b), f.Mfn, f.Type, f.Order, f.Identity));
                }
            }
            while (walk.Leave());
        }
        return runs;
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
        for (int i = 0; i < storage.Length; i++)
        {
            ulong gfn = start.Value + (ulong)i;
            if (gfn >= _geometry.GfnLimit)
            {
                storage[i] = default;
                continue;
            }
            ulong pte = Locate(gfn, out int page, out int index, out _);
            byte bits = Pte.IsLeaf(pte) ? (byte)Pte.TypeBits(pte) : (byte)0;
            storage[i] = new TypeStorage(bits, _metadata.Get(page, index));
        }
    }
}
