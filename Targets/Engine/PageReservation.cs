namespace P2M.Engine;

/// <summary>
/// All-or-nothing allocation for one chunk. The chunk first counts the pages it will need
/// (tables, split tables, metadata pages, identity copies), reserves them all, and only then
/// changes anything: so a failed allocation leaves every mapping as it was, and nothing leaks.
/// </summary>
internal sealed class PageReservation
{
    private readonly PagePool _pool;
    private int[] _pages = new int[16];
    private int _count;

    public PageReservation(PagePool pool) => _pool = pool;

    /// <summary>Pages reserved and not yet taken.</summary>
    public int Count => _count;

    /// <summary>Allocates <paramref name="pages"/> pages; on any failure gives back those taken and returns false.</summary>
    public bool TryReserve(int pages)
    {
        if (_pages.Length < _count + pages) Array.Resize(ref _pages, Math.Max(_pages.Length * 2, _count + pages));
        for (int i = 0; i < pages; i++)
        {
            int page = _pool.Allocate();
            if (page < 0)
            {
                Release();
                return false;
            }
            _pages[_count++] = page;
        }
        return true;
    }

    /// <summary>One reserved page. Running out means the chunk's plan undercounted: an engine bug.</summary>
    public int Take()
    {
        if (_count == 0) throw new InvalidOperationException("reservation: chunk needed more pages than it planned");
        return _pages[--_count];
    }

    /// <summary>Forgets what is reserved: the pool is being reset under it.</summary>
    public void Reset() => _count = 0;

    /// <summary>Returns whatever was not taken to the pool.</summary>
    public void Release()
    {
        while (_count > 0) _pool.Free(_pages[--_count]);
    }
}
