using P2M.Contract;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// The implementation put under test, named in a way a worker process can rebuild it from: the
/// built-in <c>engine</c>; <c>assembly:PATH[:TYPE]</c>, a .NET assembly holding a type that implements
/// <see cref="IP2M"/> with a public constructor taking a <see cref="P2MConfig"/>; or <c>native:PATH</c>, a shared
/// library speaking the C ABI of <c>Targets/Native/include/p2m_impl.h</c> (docs/PLUGINS.md). Tests may also wrap a
/// delegate (<see cref="InProcess"/>); such a spec cannot cross a process boundary and runs only in-process.
/// </summary>
public sealed class ImplementationSpec
{
    /// <summary>The prefix of a .NET assembly spec.</summary>
    public const string AssemblyPrefix = "assembly:";

    /// <summary>The prefix of a native library spec.</summary>
    public const string NativePrefix = "native:";

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

    /// <summary>A native library's implementation, by path.</summary>
    public static ImplementationSpec Native(string path) => new($"{NativePrefix}{path}", null);

    /// <summary>Reads a spec as the command line gives it; the error names what is wrong.</summary>
    /// <exception cref="ImplementationException">Not <c>engine</c>, <c>assembly:PATH[:TYPE]</c> nor <c>native:PATH</c>.</exception>
    public static ImplementationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "engine") return Engine;
        foreach (string prefix in (ReadOnlySpan<string>)[AssemblyPrefix, NativePrefix])
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length)
                return new ImplementationSpec(text, null);
        throw new ImplementationException($"--impl {text}: expected 'engine', 'assembly:PATH[:TYPE]' or 'native:PATH'");
    }

    /// <summary>
    /// Environment variables a worker process needs before it can load this implementation: for a native
    /// library built with AddressSanitizer, its runtime preloaded. Read from the file, never by loading it.
    /// </summary>
    /// <exception cref="ImplementationException">The library needs a runtime that cannot be found.</exception>
    public IReadOnlyDictionary<string, string> ChildEnvironment() =>
        Text.StartsWith(NativePrefix, StringComparison.Ordinal)
            ? Implementations.Native.SanitizerRuntime.ChildEnvironment(Text, System.IO.Path.GetFullPath(Text[NativePrefix.Length..]))
            : new Dictionary<string, string>();

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
        if (Text.StartsWith(NativePrefix, StringComparison.Ordinal))
            return _resolved = Implementations.Native.NativeImplementation.Load(Text, Text[NativePrefix.Length..]);
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
