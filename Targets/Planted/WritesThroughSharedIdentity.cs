using P2M.Contract;
using P2M.Engine;

namespace P2M.Planted;

/// <summary>Identity ranges: writes through the shared identity table instead of giving the block a private copy.</summary>
public sealed class WritesThroughSharedIdentity(P2MConfig config) : EngineP2M(config)
{
    private protected override bool UnsharesIdentityTables => false;
}
