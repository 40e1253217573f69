namespace P2M.Fuzz.Campaigns;

/// <summary>Which coverage a campaign reads as features (<c>--coverage</c>).</summary>
public enum CoverageMode
{
    /// <summary>The engine's hand-placed probes (<see cref="P2M.Coverage.Probe"/>): 1024 counters that name mechanisms.</summary>
    Semantic,

    /// <summary>The IL branch edges of the engine assembly as instrumented by <c>sharpfuzz</c>: code the probes do not name.</summary>
    IL,

    /// <summary>Both maps, side by side in one feature set.</summary>
    Both,
}

/// <summary>The <c>--coverage</c> words and what each mode reads.</summary>
public static class CoverageModes
{
    /// <summary>The values <c>--coverage</c> accepts, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["semantic", "il", "both"];

    /// <summary>The mode a <c>--coverage</c> word names.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static CoverageMode Parse(string name) => name switch
    {
        "semantic" => CoverageMode.Semantic,
        "il" => CoverageMode.IL,
        "both" => CoverageMode.Both,
        _ => throw new ArgumentException($"--coverage {name}: expected semantic, il or both", nameof(name)),
    };

    /// <summary>The word for <paramref name="mode"/>.</summary>
    public static string Name(this CoverageMode mode) => Names[(int)mode];

    /// <summary>True when the mode reads the engine's probes.</summary>
    public static bool ReadsProbes(this CoverageMode mode) => mode != CoverageMode.IL;

    /// <summary>True when the mode reads IL edges, so it needs the instrumented engine.</summary>
    public static bool ReadsEdges(this CoverageMode mode) => mode != CoverageMode.Semantic;
}
