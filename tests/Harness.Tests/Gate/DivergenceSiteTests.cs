using P2M.Contract;
using P2M.Fuzz.Gate;
using P2M.Fuzz.Running;
using P2M.Harness.Tests.Regression;

namespace P2M.Harness.Tests.Gate;

/// <summary>
/// Where SARIF places a failure: the engine's handler of the operation, or the audit or mechanism an
/// invariant's field names; and every method named is found, declared, in the engine's sources (so a
/// rename in the engine shows up here rather than as alerts without a line).
/// </summary>
public class DivergenceSiteTests
{
    private static readonly EngineSourceIndex Sources = new(new SourceRoot(CommittedScripts.RepositoryRoot));

    private static Verdict Failing(VerdictKind kind, Op? op, string field) => new() { Kind = kind, Op = op, Field = field, Step = 1 };

    public static TheoryData<OpKind, string, string> Handlers => new()
    {
        { OpKind.Map, "EngineP2M.cs", "Map" },
        { OpKind.Unmap, "EngineP2M.cs", "Unmap" },
        { OpKind.Retype, "EngineP2M.cs", "Retype" },
        { OpKind.Identity, "EngineP2M.cs", "Identity" },
        { OpKind.Foreign, "EngineP2M.cs", "Foreign" },
        { OpKind.GrantSetup, "EngineP2M.cs", "GrantSetup" },
        { OpKind.GrantMap, "EngineP2M.cs", "GrantMap" },
        { OpKind.Lookup, "EngineP2M.cs", "Lookup" },
        { OpKind.Translate, "EngineP2M.Tlb.cs", "Translate" },
        { OpKind.FailAllocs, "EngineP2M.cs", "FailAllocs" },
        { OpKind.DirectMap, "EngineP2M.cs", "SetDirectMap" },
        { OpKind.Teardown, "EngineP2M.Teardown.cs", "Teardown" },
    };

    private static Op Example(OpKind kind) => kind switch
    {
        OpKind.Map => Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.RamRw),
        OpKind.Unmap => Op.Unmap(new Gfn(0), 1),
        OpKind.Retype => Op.Retype(new Gfn(0), 1, P2MType.RamRw, P2MType.RamRo),
        OpKind.Identity => Op.Identity(new Gfn(0), new Gfn(1)),
        OpKind.Foreign => Op.Foreign(new Gfn(0), new Mfn(1), readOnly: false),
        OpKind.GrantSetup => Op.GrantSetup(1),
        OpKind.GrantMap => Op.GrantMap(0, new Gfn(0)),
        OpKind.Lookup => Op.Lookup(new Gfn(0)),
        OpKind.Translate => Op.Translate(new Gfn(0)),
        OpKind.FailAllocs => Op.FailAllocs(1),
        OpKind.DirectMap => Op.DirectMap(false),
        _ => Op.Teardown(),
    };

    [Theory]
    [MemberData(nameof(Handlers))]
    public void A_divergence_is_placed_at_the_declaration_of_the_operation_handler(OpKind kind, string file, string method)
    {
        Verdict verdict = Failing(VerdictKind.Divergence, Example(kind), "mfn");
        Assert.Equal((file, method), DivergenceSite.MethodOf(verdict));

        SourceLocation? location = DivergenceSite.Locate(verdict, Sources);
        Assert.NotNull(location);
        Assert.Equal($"Targets/Engine/{file}", location.Uri);
        string declared = File.ReadAllLines(Path.Combine(CommittedScripts.RepositoryRoot, location.Uri))[location.Line - 1];
        Assert.Matches($@"^\s*(private|public|internal|protected).*\b{method}\(", declared);
    }

    [Theory]
    [InlineData("bbm.no-break", "EngineP2M.Write.cs", "BreakEntry")]
    [InlineData("bbm.table-leaf-swap", "EngineP2M.Write.cs", "BreakEntry")]
    [InlineData("bbm.no-flush", "EngineP2M.Tlb.cs", "FlushTlb")]
    [InlineData("tlb.missing-flush", "EngineP2M.Tlb.cs", "FlushPendingTlb")]
    [InlineData("tlb.stale", "EngineP2M.Tlb.cs", "AuditTlb")]
    [InlineData("mapcache.reference", "EngineP2M.Audit.cs", "Audit")]
    [InlineData("pool.in-use", "EngineP2M.Audit.cs", "Audit")]
    [InlineData("structure.table-reached-twice", "EngineP2M.Structure.cs", "BrokenLink")]
    [InlineData("structure.table-at-level-0", "EngineP2M.Structure.cs", "BrokenLink")]
    [InlineData("metadata.slot", "EngineP2M.Audit.cs", "AuditMetadata")]
    [InlineData("identity.shared-table", "EngineP2M.Audit.cs", "AuditIdentityTable")]
    [InlineData("identity.link-level", "EngineP2M.Audit.cs", "AuditEntry")]
    [InlineData("storage.slot", "EngineP2M.Read.cs", "ReadTypeStorage")]
    public void An_invariant_is_placed_at_the_check_its_field_names(string field, string file, string method)
    {
        Verdict verdict = Failing(VerdictKind.Invariant, Op.Unmap(new Gfn(0), 1), field);
        Assert.Equal((file, method), DivergenceSite.MethodOf(verdict));
        SourceLocation? location = DivergenceSite.Locate(verdict, Sources);
        Assert.NotNull(location);
        Assert.Equal($"Targets/Engine/{file}", location.Uri);
        Assert.True(location.Line > 0);
    }

    [Fact]
    public void A_divergence_of_the_identity_flag_is_the_operation_s_not_the_audit_s() =>
        Assert.Equal(("EngineP2M.cs", "Map"), DivergenceSite.MethodOf(Failing(VerdictKind.Divergence, Example(OpKind.Map), "identity")));

    [Fact]
    public void A_failure_before_any_operation_is_placed_at_the_constructor()
    {
        SourceLocation? location = DivergenceSite.Locate(Failing(VerdictKind.Exception, null, "ArgumentException"), Sources);
        Assert.NotNull(location);
        Assert.Equal(("Targets/Engine/EngineP2M.cs", "EngineP2M"), (location.Uri, location.Method));
    }

    [Fact]
    public void A_same_named_method_elsewhere_is_not_taken_for_the_handler()
    {
        // Mapcache.Map exists too; the map handler is the engine's.
        SourceLocation? location = Sources.FindMethod("EngineP2M.cs", "Map");
        Assert.NotNull(location);
        Assert.Equal("Targets/Engine/EngineP2M.cs", location.Uri);
    }

    [Fact]
    public void Without_the_sources_there_is_no_location()
    {
        var nowhere = new EngineSourceIndex(new SourceRoot(Path.GetTempPath()));
        Assert.Null(DivergenceSite.Locate(Failing(VerdictKind.Divergence, Example(OpKind.Map), "mfn"), nowhere));
    }
}
