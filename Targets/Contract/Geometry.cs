namespace P2M.Contract;

/// <summary>
/// The shape of the P2M: three levels numbered from the leaf (0 = 4K, 1 = 2M, 2 = 1G), a root of
/// <see cref="RootPages"/> contiguous table pages, and table pages of 2^<see cref="EntryBits"/> entries.
/// <see cref="Real"/> is Sv39x4-sized; <see cref="Mini"/> runs the same code paths at a scale where
/// every corner collides within a few operations.
/// </summary>
public sealed class Geometry
{
    /// <summary>Number of levels; level <see cref="Levels"/>-1 is the root.</summary>
    public const int Levels = 3;

    /// <summary>The root is this many contiguous table pages (Sv39x4's 16 KiB root).</summary>
    public const int RootPages = 4;

    /// <summary>Sv39x4-sized: 512 entries a page, orders 0/9/18, GFNs below 2^29, MFNs below 2^44.</summary>
    public static readonly Geometry Real = new("real", entryBits: 9, mfnBits: 44, maxGrantFrames: 256, defaultPoolPages: 16384);

    /// <summary>Small-scope: 8 entries a page, orders 0/3/6, GFNs below 2^11, MFNs below 2^12.</summary>
    public static readonly Geometry Mini = new("mini", entryBits: 3, mfnBits: 12, maxGrantFrames: 32, defaultPoolPages: 1024);

    private Geometry(string name, int entryBits, int mfnBits, int maxGrantFrames, int defaultPoolPages)
    {
        Name = name;
        EntryBits = entryBits;
        MfnBits = mfnBits;
        MaxGrantFrames = maxGrantFrames;
        DefaultPoolPages = defaultPoolPages;
    }

    /// <summary><c>real</c> or <c>mini</c>.</summary>
    public string Name { get; }

    /// <summary>b: a table page holds 2^b entries.</summary>
    public int EntryBits { get; }

    /// <summary>E = 2^b, entries in one table page.</summary>
    public int EntriesPerPage => 1 << EntryBits;

    /// <summary>GFNs are below 2^GfnBits: the root's 4 x E entries of 2^(2b) frames each.</summary>
    public int GfnBits => 2 + 3 * EntryBits;

    /// <summary>MFNs are below 2^MfnBits.</summary>
    public int MfnBits { get; }

    /// <summary>One past the largest GFN.</summary>
    public ulong GfnLimit => 1UL << GfnBits;

    /// <summary>One past the largest MFN.</summary>
    public ulong MfnLimit => 1UL << MfnBits;

    /// <summary>Most frames a range operation may name: 4 x 2^(2b); more is <c>EINVAL</c>.</summary>
    public ulong MaxRangeFrames => 4UL << (2 * EntryBits);

    /// <summary>Most grant frames <c>grant-setup</c> may create.</summary>
    public int MaxGrantFrames { get; }

    /// <summary>First grant frame's MFN: the top of the MFN space less <see cref="MaxGrantFrames"/>.</summary>
    public Mfn GrantBase => new(MfnLimit - (ulong)MaxGrantFrames);

    /// <summary>Pool capacity in pages, root included, when a script does not say.</summary>
    public int DefaultPoolPages { get; }

    /// <summary>Order (log2 of frames) of a leaf at <paramref name="level"/>: 0, b, 2b.</summary>
    public int Order(int level) => level * EntryBits;

    /// <summary>True when <paramref name="gfn"/> is inside the GFN space.</summary>
    public bool Contains(Gfn gfn) => gfn.Value < GfnLimit;

    /// <summary>True when <paramref name="mfn"/> is inside the MFN space.</summary>
    public bool Contains(Mfn mfn) => mfn.Value < MfnLimit;

    /// <summary><see cref="Real"/> or <see cref="Mini"/> by name.</summary>
    public static bool TryParse(string name, out Geometry geometry)
    {
        geometry = name switch { "real" => Real, "mini" => Mini, _ => null! };
        return geometry is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
