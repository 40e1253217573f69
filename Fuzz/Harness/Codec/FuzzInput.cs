using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Codec;

/// <summary>
/// One fuzz input in its structured form: the configuration both implementations are built with
/// and the operations to run. Bytes decode to it (<c>OpCodec</c>), mutators and the
/// minimiser work on it, and it prints as a <c>.p2m</c> script.
/// </summary>
/// <param name="Geometry">mini or real.</param>
/// <param name="PoolPages">Pool capacity in pages, root included; null for the geometry's default.</param>
/// <param name="Ops">The operations, in order.</param>
public sealed record FuzzInput(Geometry Geometry, int? PoolPages, Op[] Ops)
{
    /// <summary>The configuration both implementations are built with.</summary>
    public P2MConfig Config => new(Geometry, PoolPages ?? Geometry.DefaultPoolPages);

    /// <summary>The same input with other operations.</summary>
    public FuzzInput WithOps(Op[] ops) => this with { Ops = ops };

    /// <summary>As a script of bare operations (no expectations), for printing or replay.</summary>
    public Script ToScript(string path, IReadOnlyList<string>? header = null) =>
        Script.FromOps(path, Geometry, PoolPages, Ops) with { Header = header ?? [] };

    /// <summary>The operations of a script (its expectations dropped).</summary>
    public static FuzzInput FromScript(Script script) => new(script.Geometry, script.PoolPages, script.Ops.ToArray());

    /// <summary>Value equality over the operations too (records compare arrays by reference).</summary>
    public bool Equals(FuzzInput? other) =>
        other is not null && Geometry == other.Geometry && PoolPages == other.PoolPages && Ops.AsSpan().SequenceEqual(other.Ops);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Geometry);
        hash.Add(PoolPages);
        foreach (var op in Ops) hash.Add(op);
        return hash.ToHashCode();
    }
}
