using P2M.Contract;

namespace P2M.Fuzz.Scripts;

/// <summary>
/// A parsed <c>.p2m</c> script: its header settings and its lines in order.
/// </summary>
/// <param name="Path">Where it came from, for messages (may be a made-up name).</param>
/// <param name="Geometry">From the <c>geometry</c> line; <see cref="Geometry.Mini"/> by default.</param>
/// <param name="PoolPages">From <c>pool pages=</c>; null means the geometry's default.</param>
/// <param name="Header">Comment lines at the top of the file, without their <c>#</c>, kept so crash headers survive a round trip.</param>
/// <param name="Lines">Operations and expectations in file order.</param>
public sealed record Script(string Path, Geometry Geometry, int? PoolPages, IReadOnlyList<string> Header, IReadOnlyList<ScriptLine> Lines)
{
    /// <summary>The configuration both implementations are built with.</summary>
    public P2MConfig Config => new(Geometry, PoolPages ?? Geometry.DefaultPoolPages);

    /// <summary>The operations alone, in order.</summary>
    public IEnumerable<Op> Ops => Lines.OfType<OpLine>().Select(l => l.Op);

    /// <summary>A script of bare operations (no expectations, no header), e.g. decoded from fuzz bytes.</summary>
    public static Script FromOps(string path, Geometry geometry, int? poolPages, IEnumerable<Op> ops) =>
        new(path, geometry, poolPages, [], ops.Select(op => (ScriptLine)new OpLine(0, op)).ToList());
}
