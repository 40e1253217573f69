using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;
using P2M.Planted;

namespace P2M.Harness.Tests.PlantedBugs;

/// <summary>
/// For each mechanism, its typical bug planted in an engine double is reported by the runner at
/// the step that commits it, with the right kind and field; the honest engine passes the same script.
/// </summary>
public class PlantedBugTests
{
    private static Verdict Run(Func<P2MConfig, IP2M> engine, string text) =>
        new DifferentialRunner(engine, c => new OracleP2M(c)).Run(ScriptParser.Parse(text, "planted.p2m"));

    private static void AssertCaught(Func<P2MConfig, IP2M> planted, string text, VerdictKind kind, int step, string field)
    {
        Verdict honest = Run(c => new EngineP2M(c), text);
        Assert.True(honest.IsPass, "the honest engine must pass the script: " + honest);
        Verdict verdict = Run(planted, text);
        Assert.False(verdict.IsPass, "the planted bug went unnoticed");
        Assert.Equal((kind, step, field), (verdict.Kind, verdict.Step, verdict.Field));
    }

    [Fact]
    public void Missing_flush_between_break_and_make_is_reported_at_the_split() => AssertCaught(
        c => new SkipsTlbFlush(c), """
        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        translate gfn=0x45
        unmap gfn=0x45 nr=1
        translate gfn=0x45
        """, VerdictKind.Invariant, step: 3, field: "bbm.no-flush");

    [Fact]
    public void Missing_flush_after_an_in_place_retype_is_reported_at_the_retype() => AssertCaught(
        c => new SkipsTlbFlush(c), """
        map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
        translate gfn=0x45
        retype gfn=0x40 nr=64 from=ram_rw to=ram_ro
        translate gfn=0x45
        """, VerdictKind.Invariant, step: 3, field: "tlb.missing-flush");

    [Fact]
    public void Valid_to_valid_replacement_without_break_is_reported() => AssertCaught(
        c => new SkipsBreak(c), """
        map gfn=0x40 mfn=0x200 nr=8 type=ram_rw
        map gfn=0x40 mfn=0x300 nr=8 type=ram_rw
        """, VerdictKind.Invariant, step: 2, field: "bbm.no-break");

    [Fact]
    public void Stale_grant_gfn_is_reported_when_the_entry_is_replaced() => AssertCaught(
        c => new KeepsGrantGfn(c), """
        grant-setup frames=2
        grant-map frame=1 gfn=0x10
        map gfn=0x10 mfn=0x50 nr=1 type=ram_rw
        grant-map frame=1 gfn=0x20
        """, VerdictKind.Divergence, step: 3, field: "grant");

    [Fact]
    public void Foreign_reference_kept_after_a_superpage_map_over_it_is_reported() => AssertCaught(
        c => new KeepsForeignReference(c), """
        foreign gfn=0x21 mfn=0x7 access=rw
        map gfn=0 mfn=0x100 nr=64 type=ram_rw
        """, VerdictKind.Divergence, step: 2, field: "refs");

    [Fact]
    public void Foreign_reference_kept_by_a_map_of_the_same_gfn_to_the_same_mfn_is_reported() => AssertCaught(
        c => new KeepsForeignReferenceInPlace(c), """
        foreign gfn=0x21 mfn=0x7 access=rw
        map gfn=0x21 mfn=0x7 nr=1 type=ram_rw
        """, VerdictKind.Divergence, step: 2, field: "refs");

    [Fact]
    public void The_same_gfn_same_mfn_double_drops_the_reference_everywhere_else()
    {
        // Only the map's in-place rewrite is wrong: a foreign entry over itself, an unmap and a move all release.
        Assert.True(Run(c => new KeepsForeignReferenceInPlace(c), """
            foreign gfn=0x21 mfn=0x7 access=rw
            foreign gfn=0x21 mfn=0x7 access=ro
            expect-refs mfn=0x7 count=1
            map gfn=0x21 mfn=0x8 nr=1 type=ram_rw
            expect-refs mfn=0x7 count=0
            foreign gfn=0x22 mfn=0x9 access=rw
            unmap gfn=0x22 nr=1
            expect-refs mfn=0x9 count=0
            """).IsPass);
    }

    [Fact]
    public void Write_through_the_shared_identity_table_is_reported() => AssertCaught(
        c => new WritesThroughSharedIdentity(c), """
        identity start=0x100 end=0x110
        map gfn=0x101 mfn=0x500 nr=1 type=ram_rw
        expect gfn=0x109 mfn=0x109 type=mmio_direct_io order=0 identity=1
        """, VerdictKind.Invariant, step: 2, field: "identity.shared-table");

    [Fact]
    public void Superpage_lost_by_a_failed_split_is_reported_at_the_failing_step() => AssertCaught(
        c => new LosesSuperpageOnFailedSplit(c), """
        pool pages=5
        map gfn=0x40 mfn=0x200 nr=64 type=ram_ro
        unmap gfn=0x45 nr=1
        expect-rc ENOMEM done=0
        """, VerdictKind.Divergence, step: 2, field: "mfn");

    [Fact]
    public void Mapcache_slot_left_referenced_is_reported_on_the_first_walk() => AssertCaught(
        c => new LeaksMapcacheSlot(c), """
        directmap off
        map gfn=0x40 mfn=0x200 nr=8 type=ram_rw
        """, VerdictKind.Invariant, step: 2, field: "mapcache.reference");

    [Fact]
    public void Stale_mapcache_slot_corrupts_the_walk_and_is_caught()
    {
        // Enough tables that a page hashes onto a slot a walk still uses (8 slots, pages 1..4 are the root).
        const string script = """
            directmap off
            map gfn=0x000 mfn=0x100 nr=1 type=ram_rw
            map gfn=0x040 mfn=0x140 nr=1 type=ram_ro
            map gfn=0x080 mfn=0x180 nr=1 type=ram_rw
            map gfn=0x0c0 mfn=0x1c0 nr=1 type=mmio_direct_c
            map gfn=0x100 mfn=0x200 nr=1 type=ram_rw
            map gfn=0x140 mfn=0x240 nr=1 type=ram_rw
            map gfn=0x180 mfn=0x280 nr=1 type=ram_rw
            """;
        Assert.True(Run(c => new EngineP2M(c), script).IsPass);
        // With the directmap on the bug has nothing to corrupt: it lives in the mapcache path alone.
        Assert.True(Run(c => new UsesStaleMapcacheSlot(c), script.Replace("directmap off", "directmap on")).IsPass);
        Verdict verdict = Run(c => new UsesStaleMapcacheSlot(c), script);
        Assert.False(verdict.IsPass, "a stale mapcache slot went unnoticed");
        Assert.InRange(verdict.Step, 2, 8);
    }

    [Fact]
    public void Teardown_that_keeps_references_and_grant_gfns_is_reported_at_the_teardown() => AssertCaught(
        c => new TeardownForgetsPageInfo(c), """
        grant-setup frames=1
        grant-map frame=0 gfn=0x30
        foreign gfn=0x31 mfn=0x9 access=ro
        teardown
        """, VerdictKind.Divergence, step: 4, field: "grant");

    [Fact]
    public void Table_linked_into_itself_by_a_split_is_a_structure_invariant_of_the_engine_at_the_split()
    {
        // The split of step 2 makes the cycle; the first check to meet it is step 2's read-back of the
        // range (widened to the whole superpage the split came from), before the audit: the engine's
        // read throws, and the runner turns that into the engine's broken invariant at step 2.
        const string script = """
            map gfn=0x40 mfn=0x200 nr=64 type=ram_rw
            unmap gfn=0x45 nr=1
            lookup gfn=0x50
            """;
        AssertCaught(c => new SplitLinksTableIntoItself(c), script, VerdictKind.Invariant, step: 2, field: "structure.table-reached-twice");
        Verdict verdict = Run(c => new SplitLinksTableIntoItself(c), script);
        Assert.Equal("invariant:unmap:structure.table-reached-twice", verdict.Signature);
        Assert.Equal("engine", verdict.LeftName);
        Assert.Null(verdict.Trace);
    }
}
