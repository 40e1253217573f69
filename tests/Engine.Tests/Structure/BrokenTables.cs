using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests.Structure;

/// <summary>The ways a bug can break the shape of the tables, each planted by writing the pool directly.</summary>
public enum Corruption
{
    /// <summary>A level-1 table's entry links the table itself.</summary>
    SelfLink,
    /// <summary>A leaf table's entry links its parent: a link back up, out of a leaf table.</summary>
    LeafTableLinksItsParent,
    /// <summary>One leaf table linked from two entries of its parent.</summary>
    TwoParents,
    /// <summary>A leaf table's entry links another (allocated, otherwise unused) table page.</summary>
    TableInLeafTable,
    /// <summary>A leaf table still linked after the pool took it back.</summary>
    LinkedFreePage,
    /// <summary>A level-1 table's entry links one of the root's pages.</summary>
    LinkToRoot,
    /// <summary>A level-1 table's entry links a page number far past the pool (a PPN no int holds).</summary>
    LinkOutsidePool,
}

/// <summary>
/// A small P2M (mini: 8 entries a page) whose tables are then broken one way. The healthy shape:
/// 64 frames from gfn 0x40 mapped, frame 0x45 unmapped, so root entry 1 links a level-1 table
/// <see cref="Upper"/> whose entry 0 links the leaf table <see cref="Leaf"/> (gfns 0x40-0x47) and
/// whose entries 1-7 are 2M-style leaves of 8 frames (entry 7: gfns 0x78-0x7f).
/// </summary>
internal sealed class BrokenTables
{
    private BrokenTables(EngineP2M engine, int upper, int leaf)
    {
        Engine = engine;
        Upper = upper;
        Leaf = leaf;
    }

    public EngineP2M Engine { get; }

    /// <summary>The level-1 table under root entry 1.</summary>
    public int Upper { get; }

    /// <summary>The leaf table under <see cref="Upper"/>'s entry 0.</summary>
    public int Leaf { get; }

    /// <summary>The first frame mapped, and the number of frames, of the block under <see cref="Upper"/>.</summary>
    public const ulong BlockGfn = 0x40, BlockFrames = 64;

    /// <summary>A frame behind the broken entry: 0x78 for one in <see cref="Upper"/>, 0x43 for one in <see cref="Leaf"/> or for the freed leaf table.</summary>
    public static ulong GfnAt(Corruption corruption) => corruption switch
    {
        Corruption.LeafTableLinksItsParent or Corruption.TableInLeafTable or Corruption.LinkedFreePage => 0x43,
        _ => 0x78,
    };

    /// <summary>The field the engine must report for <paramref name="corruption"/>.</summary>
    public static string FieldOf(Corruption corruption) => corruption switch
    {
        Corruption.SelfLink or Corruption.TwoParents => "structure.table-reached-twice",
        Corruption.LeafTableLinksItsParent or Corruption.TableInLeafTable => "structure.table-at-level-0",
        Corruption.LinkedFreePage => "structure.linked-free-page",
        Corruption.LinkToRoot => "structure.link-to-root",
        Corruption.LinkOutsidePool => "structure.link-outside-pool",
        _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
    };

    /// <summary>
    /// The healthy shape, broken as <paramref name="corruption"/> says (left healthy when it is null);
    /// with a foreign reference held elsewhere when <paramref name="holdingReference"/>.
    /// </summary>
    public static BrokenTables Build(Corruption? corruption, bool holdingReference = false)
    {
        var engine = new EngineP2M(P2MConfig.Default(Geometry.Mini));
        Must(engine.Apply(Op.Map(new Gfn(BlockGfn), new Mfn(0x200), BlockFrames, P2MType.RamRw)));
        Must(engine.Apply(Op.Unmap(new Gfn(0x45), 1)));
        // A reference held anywhere makes freeing visit every leaf instead of clearing leaf tables whole.
        if (holdingReference) Must(engine.Apply(Op.Foreign(new Gfn(0x100), new Mfn(0x7), readOnly: false)));
        int b = engine.Geometry.EntryBits;
        ulong[] memory = engine.Pool.Memory;
        int upper = Pte.Page(memory[((PagePool.RootPage + 0) << b) + 1]);
        int leaf = Pte.Page(memory[(upper << b) + 0]);
        var tables = new BrokenTables(engine, upper, leaf);
        if (engine.Audit() is { } before) throw new InvalidOperationException($"the healthy shape is not healthy: {before}");

        ref ulong upperLast = ref memory[(upper << b) + 7];
        ref ulong leafEntry = ref memory[(leaf << b) + 3];
        switch (corruption)
        {
            case Corruption.SelfLink: upperLast = Pte.Table(upper); break;
            case Corruption.LeafTableLinksItsParent: leafEntry = Pte.Table(upper); break;
            case Corruption.TwoParents: upperLast = Pte.Table(leaf); break;
            case Corruption.TableInLeafTable: leafEntry = Pte.Table(engine.Pool.Allocate()); break;
            case Corruption.LinkedFreePage: engine.Pool.Free(leaf, alreadyZero: true); break;
            case Corruption.LinkToRoot: upperLast = Pte.Table(PagePool.RootPage + 2); break;
            case Corruption.LinkOutsidePool: upperLast = Pte.Valid | ((1UL << 40) << Pte.PpnShift); break;
        }
        return tables;
    }

    private static void Must(OpResult result)
    {
        if (result.Code != ResultCode.Ok) throw new InvalidOperationException($"building the tables: {result}");
    }
}
