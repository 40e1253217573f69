using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Break-before-make: replaces valid entries in place, never through an invalid entry.</summary>
public sealed class SkipsBreak(P2MConfig config) : EngineP2M(config)
{
    private protected override void BreakEntry(MappedPage table, int index, ulong gfnBase, int level, bool remade) { }
}
