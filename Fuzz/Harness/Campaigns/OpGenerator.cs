using P2M.Contract;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Makes operations the way P2M bugs like them: GFNs aligned to a leaf order or one frame off it,
/// chunk edges and superpage neighbours, counts of a chunk and one either side, MFNs near the grant
/// window, small pools, and every operation kind including failures. Values stay mostly inside a
/// small window of the space so that operations collide with each other.
/// </summary>
public sealed class OpGenerator
{
    private static readonly P2MType[] CommonTypes =
        [P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.MmioDirectC, P2MType.GrantMapRw, P2MType.IommuMapRo, P2MType.MmioDirectNc];

    private readonly FuzzRandom _random;

    /// <summary>A generator drawing from <paramref name="random"/>.</summary>
    public OpGenerator(FuzzRandom random) => _random = random;

    /// <summary>A fresh input of 1 to <paramref name="maxOps"/> operations in one of <paramref name="geometries"/>.</summary>
    public Codec.FuzzInput Input(ReadOnlySpan<Geometry> geometries, int maxOps)
    {
        // Mini reaches every code path at a scale where operations collide, at ten times real's
        // speed (the oracle's per-frame work grows with E): it gets three new inputs in four.
        Geometry geometry = geometries.Length > 1 && geometries.Contains(Geometry.Mini) && !_random.OneIn(4)
            ? Geometry.Mini
            : _random.Pick(geometries);
        var ops = new Op[1 + _random.Below(maxOps)];
        for (int i = 0; i < ops.Length; i++) ops[i] = Operation(geometry);
        return InputBounds.Fit(new Codec.FuzzInput(geometry, PoolPages(geometry), ops));
    }

    /// <summary>A pool: usually the default, sometimes nearly empty so that splits and tables fail for real.</summary>
    public int? PoolPages(Geometry geometry) =>
        _random.OneIn(4) ? Geometry.RootPages + _random.Below(12) : null;

    /// <summary>One operation of any kind.</summary>
    public Op Operation(Geometry g) => _random.Below(32) switch
    {
        < 9 => Op.Map(Gfn(g), Mfn(g), Count(g), Type()),
        < 13 => Op.Unmap(Gfn(g), Count(g)),
        < 17 => Op.Retype(Gfn(g), Count(g), Type(), Type()),
        < 19 => IdentityRange(g),
        < 21 => Op.Foreign(Gfn(g), Mfn(g), _random.OneIn(2)),
        < 22 => Op.GrantSetup((ulong)_random.Below(g.MaxGrantFrames + 2)),
        < 24 => Op.GrantMap((ulong)_random.Below(6), Gfn(g)),
        < 26 => Op.Translate(Gfn(g)),
        < 27 => Op.Lookup(Gfn(g)),
        < 29 => Op.FailAllocs((ulong)_random.Below(4)),
        < 31 => Op.DirectMap(_random.OneIn(2)),
        _ => Op.Teardown(),
    };

    private Op IdentityRange(Geometry g)
    {
        Gfn start = Gfn(g);
        return Op.Identity(start, new Gfn(start.Value + Count(g)));
    }

    /// <summary>A GFN: in the collision window, aligned to a leaf order or one off it, or a space edge.</summary>
    public Gfn Gfn(Geometry g) => new(Frame(g, g.GfnLimit));

    /// <summary>An MFN: like a GFN, or near the grant window, or at the top of the space.</summary>
    public Mfn Mfn(Geometry g) => _random.Below(10) switch
    {
        0 => new Mfn(g.GrantBase.Value - 1 + _random.Below((ulong)g.MaxGrantFrames + 2)),
        1 => new Mfn(g.MfnLimit - 1 - _random.Below(2UL)),
        _ => new Mfn(Frame(g, g.MfnLimit)),
    };

    /// <summary>A frame count: a leaf size and one either side, small, or the range limit and one past it.</summary>
    public ulong Count(Geometry g)
    {
        ulong e = (ulong)g.EntriesPerPage;
        ulong count = _random.Below(8) switch
        {
            0 => 0,
            1 or 2 => 1 + _random.Below(2 * e),
            3 => e - 1 + _random.Below(3UL),
            4 => e * e - 1 + _random.Below(3UL),
            5 => g.MaxRangeFrames + _random.Below(2UL),
            _ => 1 + _random.Below(4UL),
        };
        // Past eight leaf tables (a real 1G chunk, the whole range) an execution costs dozens of times a
        // typical one: such counts stay rare, as in the codec's fold; the others stop one frame past them.
        const ulong cheap = Codec.RangeCountFold.CheapFrames + 1;
        return count <= cheap || _random.OneIn(4096) ? count : cheap;
    }

    /// <summary>A type: mostly requestable ones, sometimes any code (EINVAL paths are worth fuzzing too).</summary>
    public P2MType Type() => _random.OneIn(12) ? (P2MType)_random.Below(13) : _random.Pick<P2MType>(CommonTypes);

    private ulong Frame(Geometry g, ulong limit)
    {
        ulong e = (ulong)g.EntriesPerPage;
        ulong window = Math.Min(limit, 16 * e * e);  // a few 1G blocks: room to collide, room to split
        ulong v = _random.Below(window);
        return _random.Below(8) switch
        {
            0 or 1 => v & ~(e - 1),                              // 2M-aligned
            2 => v & ~(e * e - 1),                               // 1G-aligned
            3 => (v & ~(e - 1)) + (_random.OneIn(2) ? 1 : e - 1), // a frame off a 2M edge
            4 => _random.Pick<ulong>([0, limit - 1, limit, limit - e]),
            _ => v,
        };
    }
}
