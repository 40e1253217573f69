using P2M.Contract;

namespace P2M.Oracle;

/// <summary>
/// What each operation does to the frames, references and grant frames, once its arguments are
/// known to be valid. Each method applies the whole range it is given; <see cref="ApplyFailedAt"/>
/// reuses them with a shorter range for the prefix an allocation failure leaves behind.
/// </summary>
public sealed partial class OracleP2M
{
    /// <summary>
    /// <c>map</c>: frame <c>gfn + i</c> maps <c>mfn + i</c> with <paramref name="type"/>, not identity,
    /// and takes the order of the chunk it falls in (p2m_mapping_order on <c>gfn|mfn</c>).
    /// </summary>
    private void MapFrames(ulong gfn, ulong mfn, ulong nr, P2MType type)
    {
        var range = GfnRange.Of(gfn, nr);
        if (range.IsEmpty)
            return;
        SplitLeavesCrossing(range, onlyType: null);
        foreach (Chunk chunk in ChunkRule.For(OpKind.Map, Geometry).Chunks(gfn, mfn, nr))
        {
            for (ulong i = chunk.Offset; i < chunk.Offset + chunk.Frames; i++)
                Replace(gfn + i, new FrameState(new Mfn(mfn + i), type, chunk.Order, Identity: false));
        }
    }

    /// <summary><c>unmap</c>: every frame of the range goes away; removing what is not mapped is fine.</summary>
    private void UnmapFrames(ulong gfn, ulong nr)
    {
        var range = GfnRange.Of(gfn, nr);
        if (range.IsEmpty)
            return;
        SplitLeavesCrossing(range, onlyType: null);
        for (ulong g = range.Start; g < range.End; g++)
            Replace(g, FrameState.Unmapped);
    }

    /// <summary>
    /// <c>retype</c>: every mapped frame of type <paramref name="from"/> in the range gets type
    /// <paramref name="to"/>, keeping its MFN and identity flag (and so any grant frame's recorded GFN),
    /// and the largest order, not above its leaf's, whose block lies wholly inside the range. Only leaves
    /// of type <paramref name="from"/> that cross the range's boundary are split; others are untouched.
    /// <c>from = to</c> changes nothing, not even a split.
    /// </summary>
    private void RetypeFrames(ulong gfn, ulong nr, P2MType from, P2MType to)
    {
        var range = GfnRange.Of(gfn, nr);
        if (range.IsEmpty || from == to)
            return;
        SplitLeavesCrossing(range, onlyType: from);
        for (ulong g = range.Start; g < range.End; g++)
        {
            // Neither type can be foreign, so no reference changes hands; the MFN stays, so no grant
            // frame's recorded GFN changes either: writing the entry directly is the whole story.
            if (_frames.TryGetValue(g, out FrameState frame) && frame.Type == from)
                _frames[g] = frame with { Type = to, Order = SplitRule.OrderInside(Geometry, g, frame.Order, range) };
        }
    }

    /// <summary>
    /// <c>identity start end</c>: every frame f maps MFN f, type mmio_direct_io, identity flag set, order 0.
    /// The engine's shared identity table is invisible here; identity frames always report order 0.
    /// </summary>
    private void MapIdentity(ulong start, ulong end)
    {
        var range = new GfnRange(start, end);
        if (range.IsEmpty)
            return;
        SplitLeavesCrossing(range, onlyType: null);
        for (ulong g = range.Start; g < range.End; g++)
            Replace(g, new FrameState(new Mfn(g), P2MType.MmioDirectIo, 0, Identity: true));
    }

    /// <summary><c>foreign</c>: one 4K entry of a foreign type over whatever was there; it takes a reference on <paramref name="mfn"/>.</summary>
    private void MapForeign(ulong gfn, Mfn mfn, P2MType type)
    {
        SplitLeavesCrossing(GfnRange.Of(gfn, 1), onlyType: null);
        Replace(gfn, new FrameState(mfn, type, 0, Identity: false));
    }

    /// <summary><c>grant-setup</c>: the grant table grows to <c>max(current, frames)</c>; existing frames keep their GFN.</summary>
    private void SetUpGrantFrames(int frames)
    {
        while (_grantGfns.Count < frames)
            _grantGfns.Add(Gfn.Invalid);
    }

    /// <summary>
    /// <c>grant-map</c>: <c>EBUSY</c> when the grant frame already has a GFN recorded (nothing changes);
    /// otherwise one 4K ram_rw entry mapping the grant frame's MFN over whatever was there, and the GFN
    /// recorded in the grant frame.
    /// </summary>
    private OpResult MapGrantFrame(int frame, ulong gfn)
    {
        if (_grantGfns[frame].IsValid)
            return OpResult.Of(ResultCode.Ebusy);
        SplitLeavesCrossing(GfnRange.Of(gfn, 1), onlyType: null);
        Replace(gfn, new FrameState(GrantMfn(frame), P2MType.RamRw, 0, Identity: false));
        _grantGfns[frame] = new Gfn(gfn);
        return OpResult.Of(ResultCode.Ok);
    }

    /// <summary>
    /// <c>teardown</c>: every mapping goes, so every reference is dropped and every recorded grant GFN
    /// is reset; the grant frames themselves stay.
    /// </summary>
    private void TearDown()
    {
        foreach (ulong gfn in _frames.Keys.ToArray())
            Replace(gfn, FrameState.Unmapped);
        for (int k = 0; k < _grantGfns.Count; k++)
            _grantGfns[k] = Gfn.Invalid;
    }

    /// <summary>
    /// Splits the leaves that cross <paramref name="range"/>'s boundary (for <c>retype</c>, only those of
    /// type <paramref name="onlyType"/>): each of their frames outside the range keeps its MFN and type
    /// and takes the split order. Frames inside the range are left to the operation. A leaf is an aligned
    /// block, so only the leaves holding the range's first and last frames can cross its boundary.
    /// </summary>
    private void SplitLeavesCrossing(GfnRange range, P2MType? onlyType)
    {
        SplitLeafIfCrossing(range.Start, range, onlyType);
        // When both ends lie in one leaf this splits it again, to the same orders: the orders come from
        // the inside frame's (untouched) leaf order and the range alone.
        SplitLeafIfCrossing(range.End - 1, range, onlyType);
    }

    private void SplitLeafIfCrossing(ulong gfn, GfnRange range, P2MType? onlyType)
    {
        if (!_frames.TryGetValue(gfn, out FrameState frame) || frame.Order == 0)
            return;
        if (onlyType is { } type && frame.Type != type)
            return;
        Block leaf = Block.Around(gfn, frame.Order);
        if (range.Covers(leaf))
            return;
        for (ulong g = leaf.Start; g < leaf.End; g++)
        {
            if (!range.Contains(g))
                _frames[g] = _frames[g] with { Order = SplitRule.OrderOutside(Geometry, g, frame.Order, range) };
        }
    }

    /// <summary>
    /// Puts <paramref name="next"/> at <paramref name="gfn"/> (<see cref="FrameState.Unmapped"/> removes the
    /// entry), doing what removing or replacing the old entry does: a foreign entry drops its reference
    /// (even when replaced by the same foreign mapping, which then takes it again), and an entry that a
    /// grant frame recorded resets that GFN when it goes away or changes MFN (p2m_put_l3_page).
    /// </summary>
    private void Replace(ulong gfn, FrameState next)
    {
        if (_frames.TryGetValue(gfn, out FrameState old))
        {
            if (P2MTypes.IsForeign(old.Type))
                DropReference(old.Mfn);
            if (!next.IsMapped || next.Mfn != old.Mfn)
                ForgetGrantGfn(gfn, old.Mfn);
        }

        if (next.IsMapped)
        {
            _frames[gfn] = next;
            if (P2MTypes.IsForeign(next.Type))
                TakeReference(next.Mfn);
        }
        else
        {
            _frames.Remove(gfn);
        }
    }

    private void TakeReference(Mfn mfn) =>
        _references[mfn.Value] = References(mfn) + 1;

    private void DropReference(Mfn mfn)
    {
        int count = References(mfn) - 1;
        if (count > 0)
            _references[mfn.Value] = count;
        else
            _references.Remove(mfn.Value);
    }

    /// <summary>
    /// The entry at <paramref name="gfn"/> mapping <paramref name="mfn"/> is going away or changing MFN:
    /// if it is the entry a grant frame recorded (that frame's MFN, at that frame's recorded GFN), the
    /// recorded GFN goes back to INVALID.
    /// </summary>
    private void ForgetGrantGfn(ulong gfn, Mfn mfn)
    {
        ulong grantBase = Geometry.GrantBase.Value;
        if (mfn.Value < grantBase || mfn.Value - grantBase >= (ulong)_grantGfns.Count)
            return;
        int frame = (int)(mfn.Value - grantBase);
        if (_grantGfns[frame] == new Gfn(gfn))
            _grantGfns[frame] = Gfn.Invalid;
    }

    /// <summary>The MFN of grant frame <paramref name="frame"/>: <c>GrantBase + frame</c>.</summary>
    private Mfn GrantMfn(int frame) => Geometry.GrantBase + (ulong)frame;
}
