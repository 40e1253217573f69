using P2M.Contract;

namespace P2M.Engine;

/// <summary>
/// What Xen keeps in <c>struct page_info</c> for the machine frames the P2M points at:
/// reference counts taken by foreign mappings, and for grant frames (xenheap pages) the GFN
/// they are mapped at, kept in bits of the <c>type_info</c> word as Arm's <c>PGT_gfn_mask</c>,
/// with all ones meaning INVALID.
/// </summary>
internal sealed class PageInfo
{
    /// <summary>Low bits of type_info that hold the GFN.</summary>
    private const ulong GfnMask = (1UL << 40) - 1;
    /// <summary>Marks the page as a xenheap page (Xen's <c>PGC_xen_heap</c>, here in type_info for simplicity).</summary>
    private const ulong XenHeap = 1UL << 63;

    private readonly Dictionary<ulong, int> _references = new();
    private readonly ulong[] _grantTypeInfo;
    private readonly ulong _grantBase;

    public PageInfo(Geometry geometry)
    {
        _grantTypeInfo = new ulong[geometry.MaxGrantFrames];
        _grantBase = geometry.GrantBase.Value;
    }

    /// <summary>Grant frames created so far.</summary>
    public int GrantFrames { get; private set; }

    /// <summary>
    /// True when some leaf may have something to give back when it goes: a foreign reference held,
    /// or a grant frame recorded at a GFN. When false, freeing a subtree need not look at its leaves.
    /// </summary>
    public bool AnyLeafHoldsSomething => _references.Count > 0 || _recordedGrants > 0;

    private int _recordedGrants; // grant frames whose type_info holds a GFN

    /// <summary>References held on <paramref name="mfn"/>.</summary>
    public int References(ulong mfn) => _references.GetValueOrDefault(mfn);

    /// <summary>Every MFN with references, ascending.</summary>
    public IEnumerable<KeyValuePair<Mfn, int>> Held() =>
        _references.OrderBy(r => r.Key).Select(r => new KeyValuePair<Mfn, int>(new Mfn(r.Key), r.Value));

    /// <summary>Takes a reference (Xen's get_page for a foreign mapping).</summary>
    public void Get(ulong mfn) => _references[mfn] = References(mfn) + 1;

    /// <summary>Drops a reference (put_page); dropping one not held is an engine bug.</summary>
    public void Put(ulong mfn)
    {
        int count = References(mfn);
        if (count <= 0) throw new InvalidOperationException($"page_info: put_page on mfn 0x{mfn:x} with no reference");
        if (count == 1) _references.Remove(mfn);
        else _references[mfn] = count - 1;
    }

    /// <summary>Back to no references and no grant frames.</summary>
    public void Reset()
    {
        _references.Clear();
        Array.Clear(_grantTypeInfo);
        GrantFrames = 0;
        _recordedGrants = 0;
    }

    /// <summary>Creates grant frames up to <paramref name="frames"/>; existing ones keep their GFN.</summary>
    public void GrowGrantTable(int frames)
    {
        for (int k = GrantFrames; k < frames; k++) _grantTypeInfo[k] = XenHeap | GfnMask;
        GrantFrames = Math.Max(GrantFrames, frames);
    }

    /// <summary>MFN of grant frame <paramref name="frame"/>.</summary>
    public ulong GrantMfn(int frame) => _grantBase + (ulong)frame;

    /// <summary>True when <paramref name="mfn"/> is an existing grant frame; its index in <paramref name="frame"/>.</summary>
    public bool IsGrantFrame(ulong mfn, out int frame)
    {
        frame = (int)(mfn - _grantBase);
        return mfn >= _grantBase && mfn - _grantBase < (ulong)GrantFrames;
    }

    /// <summary>The recorded GFN (page_get_xenheap_gfn), or <see cref="Gfn.Invalid"/>.</summary>
    public Gfn GrantGfn(int frame)
    {
        ulong bits = _grantTypeInfo[frame] & GfnMask;
        return bits == GfnMask ? Gfn.Invalid : new Gfn(bits);
    }

    /// <summary>Records a GFN, or INVALID (page_set_xenheap_gfn).</summary>
    public void SetGrantGfn(int frame, Gfn gfn)
    {
        bool was = GrantGfn(frame).IsValid;
        _grantTypeInfo[frame] = (_grantTypeInfo[frame] & ~GfnMask) | (gfn.IsValid ? gfn.Value & GfnMask : GfnMask);
        _recordedGrants += (gfn.IsValid ? 1 : 0) - (was ? 1 : 0);
    }
}
