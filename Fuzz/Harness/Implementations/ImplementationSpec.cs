using P2M.Contract;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// The implementation put under test, named in a way a worker process can rebuild it from: the
/// built-in <c>engine</c>; <c>assembly:PATH[:TYPE]</c>, a .NET assembly holding a type that implements
/// <see cref="IP2M"/> with a public constructor taking a <see cref="P2MConfig"/>; or <c>native:PATH</c>, a shared
/// library speaking the C ABI of <c>Targets/Native/include/p2m_impl.h</c> (docs/PLUGINS.md). Tests may also wrap a
/// delegate (<see cref="InProcess"/>); such a spec cannot cross a process boundary and runs only in-process.
/// </summary>
/// <remarks>
/// <c>--impl</c> given several times names several implementations, each run against the model
/// (<see cref="Several"/>, <see cref="ImplementationsRunner"/>): one spec of several <see cref="Members"/>, so that
/// everything that carries "what is under test" (campaign and gate options, a worker's plan) carries them all.
/// </remarks>
public sealed class ImplementationSpec
{
    /// <summary>The prefix of a .NET assembly spec.</summary>
    public const string AssemblyPrefix = "assembly:";

    /// <summary>The prefix of a native library spec.</summary>
    public const string NativePrefix = "native:";

    /// <summary>The prefix of a test's delegate spec.</summary>
    private const string InProcessPrefix = "in-process:";

    /// <summary>What separates the members of several in <see cref="Text"/>: no path or type name holds it.</summary>
    private const char MemberSeparator = '\n';

    private readonly Func<P2MConfig, IP2M>? _delegate;
    private Func<P2MConfig, IP2M>? _resolved;

    private ImplementationSpec(string text, Func<P2MConfig, IP2M>? create)
    {
        Text = text;
        _delegate = create;
        Members = [this];
        Labels = [LabelOf(text)];
    }

    private ImplementationSpec(IReadOnlyList<ImplementationSpec> members)
    {
        Text = string.Join(MemberSeparator, members.Select(m => m.Text));
        Members = members;
        Labels = DistinctLabels(members);
    }

    /// <summary>
    /// The spec as given on the command line (<c>engine</c>, <c>assembly:…</c>), or <c>in-process:NAME</c>; for
    /// several, their specs one per line (what crosses to a worker process, and what <see cref="Parse(string)"/> reads back).
    /// </summary>
    public string Text { get; }

    /// <summary>The implementations under test, in the order given: this one alone, or the several it names.</summary>
    public IReadOnlyList<ImplementationSpec> Members { get; }

    /// <summary>True when more than one implementation is under test: verdicts then name the one at fault.</summary>
    public bool IsSeveral => Members.Count > 1;

    /// <summary>
    /// Each member's short name, as verdicts and signatures of a run of several give it: <c>engine</c>; an
    /// assembly's type (or file) name; a native library's file name without <c>lib</c> and <c>.so</c>
    /// (<c>p2m_sample</c>); made distinct by <c>-2</c>, <c>-3</c>… in the order given. Letters, digits, <c>.</c>,
    /// <c>_</c> and <c>-</c> only, so a signature stays one word and a crash file name keeps it whole.
    /// </summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The label of the member at <paramref name="member"/> when there are several (what verdicts name); null for one.</summary>
    public string? LabelAt(int member) => IsSeveral && (uint)member < (uint)Labels.Count ? Labels[member] : null;

    /// <summary>False for a delegate: a worker process cannot rebuild it.</summary>
    public bool CrossesProcesses => _delegate is null && (!IsSeveral || Members.All(m => m.CrossesProcesses));

    /// <summary>The project's own engine (<c>Targets/Engine</c>): the default.</summary>
    public static ImplementationSpec Engine { get; } = new("engine", null);

    /// <summary>A delegate, for tests that build their doubles in-process.</summary>
    public static ImplementationSpec InProcess(string name, Func<P2MConfig, IP2M> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new ImplementationSpec(InProcessPrefix + name, create);
    }

    /// <summary>A .NET assembly's implementation, by path and optionally type name.</summary>
    public static ImplementationSpec Assembly(string path, string? typeName = null) =>
        new($"{AssemblyPrefix}{path}{(typeName is null ? "" : ":" + typeName)}", null);

    /// <summary>A native library's implementation, by path.</summary>
    public static ImplementationSpec Native(string path) => new($"{NativePrefix}{path}", null);

    /// <summary>Several implementations, each run against the model; one alone is itself.</summary>
    /// <exception cref="ArgumentException">None, or a member that is itself several.</exception>
    public static ImplementationSpec Several(IReadOnlyList<ImplementationSpec> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("no implementation", nameof(members));
        if (members.Any(m => m.IsSeveral)) throw new ArgumentException("a member that is several", nameof(members));
        return members.Count == 1 ? members[0] : new ImplementationSpec([.. members]);
    }

    /// <summary>Reads the specs of every <c>--impl</c> given, in order (<c>engine</c> when none).</summary>
    /// <exception cref="ImplementationException">One is not a spec.</exception>
    public static ImplementationSpec Parse(IReadOnlyList<string>? texts) =>
        texts is null || texts.Count == 0 ? Engine : Several([.. texts.Select(Parse)]);

    /// <summary>Reads a spec as the command line gives it (or <see cref="Text"/> of several); the error names what is wrong.</summary>
    /// <exception cref="ImplementationException">Not <c>engine</c>, <c>assembly:PATH[:TYPE]</c> nor <c>native:PATH</c>.</exception>
    public static ImplementationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains(MemberSeparator, StringComparison.Ordinal)) return Parse(text.Split(MemberSeparator));
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
    public IReadOnlyDictionary<string, string> ChildEnvironment()
    {
        if (IsSeveral)
        {
            // Every instrumented library of one process shares the one runtime: the first named is preloaded.
            var merged = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (ImplementationSpec member in Members)
                foreach ((string name, string value) in member.ChildEnvironment())
                    merged.TryAdd(name, value);
            return merged;
        }
        return Text.StartsWith(NativePrefix, StringComparison.Ordinal)
            ? Implementations.Native.SanitizerRuntime.ChildEnvironment(Text, System.IO.Path.GetFullPath(Text[NativePrefix.Length..]))
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// The factory for this implementation, loading its assembly the first time. Building one instance is
    /// part of loading, so a constructor that throws is found here, as a clear error, not as a finding.
    /// </summary>
    /// <exception cref="ImplementationException">The assembly, type or constructor is missing or broken.</exception>
    /// <exception cref="InvalidOperationException">The spec is several: resolve its <see cref="Members"/>.</exception>
    public Func<P2MConfig, IP2M> Resolve()
    {
        if (_resolved is not null) return _resolved;
        if (IsSeveral) throw new InvalidOperationException($"{this}: several implementations, each resolved on its own (Members)");
        if (_delegate is not null) return _resolved = _delegate;
        if (ReferenceEquals(this, Engine)) return _resolved = config => new Engine.EngineP2M(config);
        if (Text.StartsWith(NativePrefix, StringComparison.Ordinal))
            return _resolved = Implementations.Native.NativeImplementation.Load(Text, Text[NativePrefix.Length..]);
        (string path, string? type) = SplitAssemblySpec(Text[AssemblyPrefix.Length..]);
        return _resolved = AssemblyImplementation.Load(Text, path, type);
    }

    /// <summary>
    /// The name each member gives itself (<see cref="IP2M.Name"/>, e.g. <c>native:libp2m_sample.so</c>), joined by
    /// <c>and</c> for several; loading them, and building one instance of each, as <see cref="Resolve"/> does.
    /// </summary>
    /// <exception cref="ImplementationException">A member cannot be loaded.</exception>
    public string ResolveName() => string.Join(" and ",
        Members.Select(m => m.Resolve()(new P2MConfig(Geometry.Mini, Geometry.Mini.DefaultPoolPages)).Name));

    /// <summary>PATH[:TYPE]: the type is what follows the last colon, when that is not part of the path.</summary>
    private static (string Path, string? Type) SplitAssemblySpec(string rest)
    {
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || rest[(colon + 1)..].Contains('/') || rest[(colon + 1)..].Contains('\\'))
            return (rest, null);
        return (rest[..colon], rest[(colon + 1)..]);
    }

    /// <summary>The short name of one spec's text (see <see cref="Labels"/>).</summary>
    private static string LabelOf(string text)
    {
        string label;
        if (text.StartsWith(NativePrefix, StringComparison.Ordinal))
        {
            label = System.IO.Path.GetFileName(text[NativePrefix.Length..]);
            int so = label.IndexOf(".so", StringComparison.Ordinal);
            if (so > 0) label = label[..so];
            if (label.StartsWith("lib", StringComparison.Ordinal) && label.Length > 3) label = label[3..];
        }
        else if (text.StartsWith(AssemblyPrefix, StringComparison.Ordinal))
        {
            (string path, string? type) = SplitAssemblySpec(text[AssemblyPrefix.Length..]);
            label = type is null ? System.IO.Path.GetFileNameWithoutExtension(path) : type[(type.LastIndexOf('.') + 1)..];
        }
        else
        {
            label = text.StartsWith(InProcessPrefix, StringComparison.Ordinal) ? text[InProcessPrefix.Length..] : text;
        }
        var safe = new System.Text.StringBuilder(label.Length);
        foreach (char c in label) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        return safe.Length == 0 ? "impl" : safe.ToString();
    }

    private static string[] DistinctLabels(IReadOnlyList<ImplementationSpec> members)
    {
        var labels = new string[members.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++)
        {
            string label = members[i].Labels[0];
            for (int n = 2; !taken.Add(label); n++) label = $"{members[i].Labels[0]}-{n}";
            labels[i] = label;
        }
        return labels;
    }

    /// <inheritdoc/>
    public override string ToString() => IsSeveral ? string.Join(" and ", Members.Select(m => m.Text)) : Text;
}
