namespace P2M.Fuzz.Minimizing;

/// <summary>
/// Pass (c): drop <c>pool pages=</c> so the input uses the geometry's default pool, unless the failure
/// needs the small pool (an allocation failure usually does).
/// </summary>
internal static class RestoreDefaultPool
{
    /// <summary>True when the default pool was kept.</summary>
    public static bool Run(ShrinkState state) =>
        state.Current.PoolPages is not null && state.TryReplace(state.Current with { PoolPages = null });
}
