using System.Runtime.CompilerServices;
using P2M.Engine;
using P2M.Contract;

namespace P2M.Planted;

/// <summary>
/// A crash: breaking a superpage's entry (as every split does) recurses without end, so the process dies
/// of a stack overflow, which .NET cannot catch. Found by any operation that splits a superpage.
/// </summary>
public sealed class OverflowsStackOnSplit(P2MConfig config) : EngineP2M(config)
{
    private protected override void BreakEntry(MappedPage table, int index, ulong gfnBase, int level, bool remade)
    {
        if (level > 0 && Read(new Gfn(gfnBase)).Order > 0)
            Recurse(level);
        base.BreakEntry(table, index, gfnBase, level, remade);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth) => depth == int.MinValue ? 0 : Recurse(depth + 1) + 1;
}
