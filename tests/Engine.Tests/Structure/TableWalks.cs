using P2M.Contract;
using P2M.Engine;

namespace P2M.Engine.Tests.Structure;

/// <summary>
/// Every way in to a walk of the tables, each pointed at the broken part of <see cref="BrokenTables"/>:
/// the reads, the audit, and operations whose plan, write or free goes through it.
/// </summary>
internal static class TableWalks
{
    /// <summary>One walk: its name, whether it walks a whole subtree (not just one path), and how to run it.</summary>
    public sealed record Walk(string Name, bool WholeSubtree, Action<EngineP2M, ulong> Run, bool HoldingReference = false);

    private static readonly Gfn Block = new(BrokenTables.BlockGfn);

    /// <summary>Each walk gets the engine and a frame behind the broken entry.</summary>
    public static readonly Walk[] All =
    [
        new("read", false, (e, gfn) => e.Read(new Gfn(gfn))),
        new("read-range", false, (e, _) => e.ReadRange(Block, new FrameState[BrokenTables.BlockFrames])),
        new("type-storage", false, (e, _) => e.ReadTypeStorage(Block, new TypeStorage[BrokenTables.BlockFrames])),
        new("lookup", false, (e, gfn) => e.Apply(Op.Lookup(new Gfn(gfn)))),
        new("translate", false, (e, gfn) => e.Apply(Op.Translate(new Gfn(gfn)))),
        new("map-frame", false, (e, gfn) => e.Apply(Op.Map(new Gfn(gfn), new Mfn(0x300), 1, P2MType.RamRw))),
        new("unmap-frame", false, (e, gfn) => e.Apply(Op.Unmap(new Gfn(gfn), 1))),
        new("retype-frame", false, (e, gfn) => e.Apply(Op.Retype(new Gfn(gfn), 1, P2MType.RamRw, P2MType.RamRo))),
        new("mapped-runs", true, (e, _) => e.MappedRuns()),
        // One superpage over the block replaces the root entry: the whole subtree is freed. Its type
        // needs no metadata page, so nothing is allocated first (an allocation could hand out the
        // freed, still linked page, which the free walk would then find allocated: the audit sees that one).
        new("map-block", true, (e, _) => e.Apply(Op.Map(Block, new Mfn(0x400), BrokenTables.BlockFrames, P2MType.RamRw))),
        new("map-block", true, (e, _) => e.Apply(Op.Map(Block, new Mfn(0x400), BrokenTables.BlockFrames, P2MType.RamRw)), HoldingReference: true),
        new("unmap-block", true, (e, _) => e.Apply(Op.Unmap(Block, BrokenTables.BlockFrames))),
        new("retype-block", true, (e, _) => e.Apply(Op.Retype(Block, BrokenTables.BlockFrames, P2MType.RamRw, P2MType.RamRo))),
        // Level-1 chunks: each of the level-1 table's entries is replaced by a link to the shared identity table.
        new("identity-block", true, (e, _) => e.Apply(Op.Identity(Block, Block + BrokenTables.BlockFrames))),
        new("teardown", true, (e, _) => e.Apply(Op.Teardown())),
        new("teardown", true, (e, _) => e.Apply(Op.Teardown()), HoldingReference: true),
        new("audit", true, (e, _) => { }),
    ];

    /// <summary>A walk's name as the probe prints it: the name, and how the leaves are freed.</summary>
    public static string Label(Walk walk) => walk.HoldingReference ? walk.Name + "+reference" : walk.Name;
}
