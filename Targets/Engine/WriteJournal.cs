using P2M.Contract;

namespace P2M.Engine;

/// <summary>A table page the last operation wrote, with its level.</summary>
public readonly record struct JournalPage(int Page, int Level);

/// <summary>A block of 2^<see cref="Order"/> frames from <see cref="Gfn"/>.</summary>
public readonly record struct JournalRange(Gfn Gfn, int Order);

/// <summary>
/// An entry written: the block of 2^<see cref="Order"/> frames from <see cref="Gfn"/> it covers, and the engine
/// statement that wrote it (compile-time caller information: nothing is looked up or allocated).
/// </summary>
public readonly record struct JournalWrite(Gfn Gfn, int Order, string Method, string File, int Line);

/// <summary>
/// What the last operation changed, filled by the engine's one write path as it writes: table pages
/// written, leaves released, MFNs whose references changed, grant frames whose GFN changed, ranges
/// flushed. The engine's per-step audit checks the pages it names; reports may name its write sites.
/// It is the engine's own account, so nothing that checks the engine may take from it what to compare.
/// </summary>
public sealed class WriteJournal
{
    private Buffer<JournalPage> _dirty;
    private Buffer<JournalWrite> _writes;
    private Buffer<JournalRange> _released;
    private Buffer<Mfn> _references;
    private Buffer<int> _grants;
    private Buffer<JournalRange> _flushes;
    // A page is in the dirty list when its stamp is the operation's; a page freed since loses its stamp.
    private int[] _stamp = new int[16];
    private int _operation = 1;
    private bool _recorded; // anything recorded since the last Begin: an operation that wrote nothing costs Begin one test

    /// <summary>Table pages written, each once while it stays allocated (the shared identity table is page 0).</summary>
    public ReadOnlySpan<JournalPage> DirtyPages => _dirty.Items;

    /// <summary>Entries written, in order, each with the statement that wrote it (for reports: where a wrong entry came from).</summary>
    public ReadOnlySpan<JournalWrite> Writes => _writes.Items;

    /// <summary>Leaves released one by one (a leaf table cleared whole, holding nothing, releases none).</summary>
    public ReadOnlySpan<JournalRange> ReleasedLeaves => _released.Items;

    /// <summary>MFNs whose reference count changed, once per change.</summary>
    public ReadOnlySpan<Mfn> ReferencesChanged => _references.Items;

    /// <summary>Grant frames whose recorded GFN changed.</summary>
    public ReadOnlySpan<int> GrantFramesTouched => _grants.Items;

    /// <summary>TLB flushes, in order.</summary>
    public ReadOnlySpan<JournalRange> Flushes => _flushes.Items;

    /// <summary>True when <paramref name="page"/> was written by the last operation and not freed since.</summary>
    public bool IsDirty(int page) => (uint)page < (uint)_stamp.Length && _stamp[page] == _operation;

    /// <summary>Starts the next operation's journal.</summary>
    internal void Begin()
    {
        if (!_recorded) return;
        _recorded = false;
        _dirty.Clear();
        _writes.Clear();
        _released.Clear();
        _references.Clear();
        _grants.Clear();
        _flushes.Clear();
        if (++_operation != int.MaxValue) return;
        Array.Clear(_stamp);
        _operation = 1;
    }

    internal void Dirty(int page, int level)
    {
        if (page >= _stamp.Length) Array.Resize(ref _stamp, Math.Max(page + 1, _stamp.Length * 2));
        ref int stamp = ref _stamp[page];
        if (stamp == _operation) return;
        stamp = _operation;
        _recorded = true;
        _dirty.Add(new JournalPage(page, level));
    }

    internal void Wrote(ulong gfn, int order, string method, string file, int line)
    {
        // Marked here too, not only through Dirty: Begin must clear every list that was filled.
        _recorded = true;
        _writes.Add(new JournalWrite(new Gfn(gfn), order, method, file, line));
    }

    internal void Freed(int page)
    {
        if ((uint)page < (uint)_stamp.Length) _stamp[page] = 0;
    }

    internal void Released(ulong gfn, int order)
    {
        _recorded = true;
        _released.Add(new JournalRange(new Gfn(gfn), order));
    }

    internal void ReferenceChanged(ulong mfn)
    {
        _recorded = true;
        _references.Add(new Mfn(mfn));
    }

    internal void GrantTouched(int frame)
    {
        _recorded = true;
        _grants.Add(frame);
    }

    internal void Flushed(ulong gfn, int order)
    {
        _recorded = true;
        _flushes.Add(new JournalRange(new Gfn(gfn), order));
    }

    /// <summary>A list that keeps its array from one operation to the next.</summary>
    private struct Buffer<T>
    {
        private T[]? _items;
        private int _count;

        public readonly ReadOnlySpan<T> Items => _items.AsSpan(0, _count);

        public void Add(T item)
        {
            _items ??= new T[16];
            if (_count == _items.Length) Array.Resize(ref _items, _count * 2);
            _items[_count++] = item;
        }

        public void Clear() => _count = 0;
    }
}
