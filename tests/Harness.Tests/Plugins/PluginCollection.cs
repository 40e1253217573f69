namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// The plugin tests build with clang and run campaigns of ASan-instrumented workers: heavy enough to turn other
/// tests' time limits into false timeouts on a small machine, so they run alone, one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PluginCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "plugins";
}
