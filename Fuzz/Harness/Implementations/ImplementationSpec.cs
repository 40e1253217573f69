using P2M.Contract;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// The implementation put under test, named in a way a worker process can rebuild it from: the
/// built-in <c>engine</c>, or <c>assembly:PATH[:TYPE]</c>, a .NET assembly holding a type that implements
/// <see cref="IP2M"/> with a public constructor taking a <see cref="P2MConfig"/>. Tests may also wrap a
/// delegate (<see cref="InProcess"/>); such a spec cannot cross a process boundary and runs only in-process.
/// </summary>
public sealed class ImplementationSpec
{
    /// <summary>The prefix of a .NET assembly spec.</summary>
    public const string AssemblyPrefix = "assembly:";

    private readonly Func<P2MConfig, IP2M>? _delegate;
    private Func<P2MConfig, IP2M>? _resolved;

    private ImplementationSpec(string text, Func<P2MConfig, IP2M>? create)
    {
        Text = text;
        _delegate = create;
    }

    /// <summary>The spec as given on the command line (<c>engine</c>, <c>assembly:…</c>), or <c>in-process:NAME</c>.</summary>
    public string Text { get; }

    /// <summary>False for a delegate: a worker process cannot rebuild it.</summary>
    public bool CrossesProcesses => _delegate is null;

    /// <summary>The project's own engine (<c>Targets/Engine</c>): the default.</summary>
    public static ImplementationSpec Engine { get; } = new("engine", null);

    /// <summary>A delegate, for tests that build their doubles in-process.</summary>
    public static ImplementationSpec InProcess(string name, Func<P2MConfig, IP2M> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new ImplementationSpec($"in-process:{name}", create);
    }

    /// <summary>A .NET assembly's implementation, by path and optionally type name.</summary>
    public static ImplementationSpec Assembly(string path, string? typeName = null) =>
        new($"{AssemblyPrefix}{path}{(typeName is null ? "" : ":" + typeName)}", null);

    /// <summary>Reads a spec as the command line gives it; the error names what is wrong.</summary>
    /// <exception cref="ImplementationException">Not <c>engine</c> nor <c>assembly:PATH[:TYPE]</c>.</exception>
    public static ImplementationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "engine") return Engine;
        if (text.StartsWith(AssemblyPrefix, StringComparison.Ordinal) && text.Length > AssemblyPrefix.Length)
            return new ImplementationSpec(text, null);
        throw new ImplementationException($"--impl {text}: expected 'engine' or 'assembly:PATH[:TYPE]'");
    }

    /// <summary>
    /// The factory for this implementation, loading its assembly the first time. Building one instance is
    /// part of loading, so a constructor that throws is found here, as a clear error, not as a finding.
    /// </summary>
    /// <exception cref="ImplementationException">The assembly, type or constructor is missing or broken.</exception>
    public Func<P2MConfig, IP2M> Resolve()
    {
        if (_resolved is not null) return _resolved;
        if (_delegate is not null) return _resolved = _delegate;
        if (ReferenceEquals(this, Engine)) return _resolved = config => new Engine.EngineP2M(config);
        (string path, string? type) = SplitAssemblySpec(Text[AssemblyPrefix.Length..]);
        return _resolved = AssemblyImplementation.Load(Text, path, type);
    }

    /// <summary>PATH[:TYPE]: the type is what follows the last colon, when that is not part of the path.</summary>
    private static (string Path, string? Type) SplitAssemblySpec(string rest)
    {
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || rest[(colon + 1)..].Contains('/') || rest[(colon + 1)..].Contains('\\'))
            return (rest, null);
        return (rest[..colon], rest[(colon + 1)..]);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
