using P2M.Contract;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// Where in the engine a failure surfaced, for SARIF's location: a review shows the alert on the code
/// a reader would open first. An exception is placed where the engine threw (its stack trace); a broken
/// engine invariant at the audit check or mechanism named by the field's prefix (<c>bbm.*</c>,
/// <c>tlb.*</c>, <c>pool.*</c>, <c>structure.*</c>…); anything else at the engine's handler of the operation at fault.
/// </summary>
public static class DivergenceSite
{
    /// <summary>The engine's main file: the operation handlers.</summary>
    private const string Operations = "EngineP2M.cs";

    /// <summary>
    /// The engine method <paramref name="verdict"/> is blamed on, as (file in the engine folder, method name),
    /// without reading any source. Exceptions are placed by <see cref="Locate"/> from their stack trace first.
    /// </summary>
    public static (string File, string Method) MethodOf(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        // Only the engine's own audits and storage checks name these fields; a divergence's
        // "identity" field (a frame's identity flag) is about the operation, not the audit.
        if (verdict.Kind == VerdictKind.Invariant && CheckOf(verdict.Field) is { } check)
            return check;
        return HandlerOf(verdict.Op?.Kind);
    }

    /// <summary>
    /// The source location of <paramref name="verdict"/>: the innermost engine frame of its exception when it
    /// has one (at its declaration when the frame's line is not in that method's body), otherwise the declaration of <see cref="MethodOf"/>'s method; null when the sources cannot be found.
    /// </summary>
    public static SourceLocation? Locate(Verdict verdict, EngineSourceIndex sources)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(sources);
        if (verdict.Trace is { } trace && sources.FromStackTrace(trace) is { } thrown)
            return thrown;
        (string file, string method) = MethodOf(verdict);
        return sources.FindMethod(file, method);
    }

    /// <summary>The engine method each operation is dispatched to; the constructor before any operation.</summary>
    private static (string File, string Method) HandlerOf(OpKind? kind) => kind switch
    {
        OpKind.Map => (Operations, "Map"),
        OpKind.Unmap => (Operations, "Unmap"),
        OpKind.Retype => (Operations, "Retype"),
        OpKind.Identity => (Operations, "Identity"),
        OpKind.Foreign => (Operations, "Foreign"),
        OpKind.GrantSetup => (Operations, "GrantSetup"),
        OpKind.GrantMap => (Operations, "GrantMap"),
        OpKind.Lookup => (Operations, "Lookup"),
        OpKind.Translate => ("EngineP2M.Tlb.cs", "Translate"),
        OpKind.FailAllocs => (Operations, "FailAllocs"),
        OpKind.DirectMap => (Operations, "SetDirectMap"),
        OpKind.Teardown => ("EngineP2M.Teardown.cs", "Teardown"),
        _ => (Operations, "EngineP2M"),
    };

    /// <summary>The check or mechanism an invariant field names (fields as the engine's audit and the runner's storage check spell them).</summary>
    private static (string File, string Method)? CheckOf(string field)
    {
        string prefix = field.Split('.')[0];
        return (prefix, field) switch
        {
            // Break-before-make is watched on the write path; a missing flush between break and make is FlushTlb's.
            ("bbm", "bbm.no-flush") => ("EngineP2M.Tlb.cs", "FlushTlb"),
            ("bbm", _) => ("EngineP2M.Write.cs", "BreakEntry"),
            ("tlb", "tlb.missing-flush") => ("EngineP2M.Tlb.cs", "FlushPendingTlb"),
            ("tlb", _) => ("EngineP2M.Tlb.cs", "AuditTlb"),
            ("mapcache", _) => ("EngineP2M.Audit.cs", "Audit"),
            ("pool", _) => ("EngineP2M.Audit.cs", "Audit"),
            ("metadata", _) => ("EngineP2M.Audit.cs", "AuditMetadata"),
            ("identity", "identity.shared-table") => ("EngineP2M.Audit.cs", "AuditIdentityTable"),
            ("identity", _) => ("EngineP2M.Audit.cs", "AuditEntry"),
            ("storage", _) => ("EngineP2M.Read.cs", "ReadTypeStorage"),
            // Broken links are named where every walk, and the audit, turns them into a violation.
            ("structure", _) => ("EngineP2M.Structure.cs", "BrokenLink"),
            _ => null,
        };
    }
}
