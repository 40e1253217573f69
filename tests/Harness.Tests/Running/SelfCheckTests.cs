using P2M.Contract;
using P2M.Fuzz.Running;
using static P2M.Harness.Tests.Running.RunnerFixture;

namespace P2M.Harness.Tests.Running;

/// <summary>A side that shows its internals through <see cref="IP2MSelfCheck"/> has them checked after every step.</summary>
public class SelfCheckTests
{
    private const string MetadataTypes = """
        map gfn=0x8 mfn=0x8 nr=8 type=ram_ro
        map gfn=0x10 mfn=0x10 nr=8 type=ram_rw
        retype gfn=0x10 nr=2 from=ram_rw to=iommu_map_ro
        unmap gfn=0x8 nr=8
        """;

    [Fact]
    public void Honest_storage_and_a_clean_audit_pass()
    {
        Verdict verdict = Run(MetadataTypes, SelfChecking(_ => { }));

        Assert.True(verdict.IsPass, verdict.ToString());
        Assert.Equal(4, verdict.Step);
    }

    [Fact]
    public void Wrong_pte_bits_are_a_storage_pte_invariant()
    {
        // ram_ro lives in metadata: the PTE must hold the marker 3, not ram_rw's 1.
        Verdict verdict = Run(MetadataTypes, SelfChecking(p => p.OnStorage = (_, gfn, storage) =>
            gfn.Value == 0xa ? storage with { PteBits = 1 } : storage));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(1, verdict.Step);
        Assert.Equal(1, verdict.Line);
        Assert.Equal("storage.pte", verdict.Field);
        Assert.Equal(new Gfn(0xa), verdict.Gfn);
        Assert.Equal("selfcheck", verdict.LeftName);
        Assert.Equal("1", verdict.LeftValue);
        Assert.Equal("expected", verdict.RightName);
        Assert.Equal("3", verdict.RightValue);
        Assert.Equal("invariant:map:storage.pte", verdict.Signature);
    }

    [Fact]
    public void Stale_metadata_slot_after_unmap_is_a_storage_slot_invariant()
    {
        // After the unmap at step 4 the slot must go back to invalid; the double keeps ram_ro there.
        Verdict verdict = Run(MetadataTypes, SelfChecking(p => p.OnStorage = (steps, gfn, storage) =>
            steps >= 4 && gfn.Value == 0xc ? new TypeStorage(0, P2MType.RamRo) : storage));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(4, verdict.Step);
        Assert.Equal(4, verdict.Line);
        Assert.Equal("storage.slot", verdict.Field);
        Assert.Equal(new Gfn(0xc), verdict.Gfn);
        Assert.Equal("ram_ro", verdict.LeftValue);
        Assert.Equal("invalid", verdict.RightValue);
        Assert.Equal("invariant:unmap:storage.slot", verdict.Signature);
    }

    [Fact]
    public void Retyped_frame_needs_its_new_type_in_the_slot()
    {
        Verdict verdict = Run(MetadataTypes, SelfChecking(p => p.OnStorage = (steps, gfn, storage) =>
            steps >= 3 && gfn.Value == 0x11 ? storage with { Slot = P2MType.IommuMapRw } : storage));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(3, verdict.Step);
        Assert.Equal("storage.slot", verdict.Field);
        Assert.Equal(new Gfn(0x11), verdict.Gfn);
        Assert.Equal("iommu_map_rw", verdict.LeftValue);
        Assert.Equal("iommu_map_ro", verdict.RightValue);
        Assert.Equal("invariant:retype:storage.slot", verdict.Signature);
    }

    [Fact]
    public void Audit_violation_is_an_invariant_with_the_audits_field()
    {
        Verdict verdict = Run(MetadataTypes, SelfChecking(p => p.OnAudit = steps =>
            steps == 2 ? new InvariantViolation("pool.pages", "5", "6") : null));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.Equal(2, verdict.Line);
        Assert.Equal("pool.pages", verdict.Field);
        Assert.Equal("selfcheck", verdict.LeftName);
        Assert.Equal("6", verdict.LeftValue);
        Assert.Equal("5", verdict.RightValue);
        Assert.Equal("invariant:map:pool.pages", verdict.Signature);
    }

    [Fact]
    public void A_self_checking_right_side_is_checked_too()
    {
        Verdict verdict = Run(MetadataTypes, Model, SelfChecking(p => p.OnAudit = steps =>
            steps == 3 ? new InvariantViolation("metadata.count", "2", "1") : null, name: "model"));

        Assert.Equal(VerdictKind.Invariant, verdict.Kind);
        Assert.Equal(3, verdict.Step);
        Assert.Equal("model", verdict.LeftName);
        Assert.Equal("invariant:retype:metadata.count", verdict.Signature);
    }
}
