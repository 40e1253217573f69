using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// The foreign entries of one run as the range comparison last saw them, both sides agreeing: GFN and
/// MFN, in ascending GFN order. A step can drop a reference only on a foreign entry inside its range, and
/// every frame a step may change lies inside the range compared after it, so this holds the foreign
/// entries in a step's range before the step without reading that range twice. What an implementation
/// changed outside the ranges it was given is the whole-state comparison's to find. Kept in a reused list:
/// no allocation per step once it has grown (a run has at most one foreign entry per operation).
/// </summary>
internal sealed class ForeignEntries
{
    private readonly List<(ulong Gfn, ulong Mfn)> _entries = new();
    private readonly List<(ulong Gfn, ulong Mfn)> _seen = new();

    /// <summary>Forgets every entry: a new run, or a <c>teardown</c> (which unmaps everything).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Adds the MFN of every entry in <paramref name="range"/> to <paramref name="references"/>.</summary>
    public void AddIn(GfnRange range, TouchedReferences references)
    {
        for (int i = LowerBound(range.Start); i < _entries.Count && _entries[i].Gfn < range.End; i++)
            references.Add(new Mfn(_entries[i].Mfn));
    }

    /// <summary>Notes a foreign frame seen at <paramref name="gfn"/> in the window being compared.</summary>
    public void See(ulong gfn, Mfn mfn) => _seen.Add((gfn, mfn.Value));

    /// <summary>
    /// The window <c>[start, end)</c> was compared and agreed: its entries become the foreign frames
    /// <see cref="See"/> was told about since the last call, whose MFNs also go to <paramref name="references"/>.
    /// </summary>
    public void Replace(ulong start, ulong end, TouchedReferences references)
    {
        int from = LowerBound(start);
        int to = LowerBound(end);
        _entries.RemoveRange(from, to - from);
        _entries.InsertRange(from, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_seen));
        foreach ((ulong _, ulong mfn) in _seen)
            references.Add(new Mfn(mfn));
        _seen.Clear();
    }

    /// <summary>Drops what <see cref="See"/> collected for a window that did not agree.</summary>
    public void Discard() => _seen.Clear();

    /// <summary>The index of the first entry at or above <paramref name="gfn"/>.</summary>
    private int LowerBound(ulong gfn)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_entries[middle].Gfn < gfn) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
