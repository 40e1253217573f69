namespace P2M.Contract;

/// <summary>What a fresh P2M is built from: the geometry and the pool capacity in pages, root included.</summary>
public sealed record P2MConfig(Geometry Geometry, int PoolPages)
{
    /// <summary>The geometry with its default pool.</summary>
    public static P2MConfig Default(Geometry geometry) => new(geometry, geometry.DefaultPoolPages);
}
