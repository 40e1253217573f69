namespace P2M.Coverage;

/// <summary>
/// The engine's decision points, each a counter of <see cref="CoverageMap"/>. Families take an
/// offset (a level 0-2, an operation kind, a failure site) added to their first counter, so the
/// values leave room for it. Counters below <see cref="CoverageMap.Size"/>.
/// </summary>
public enum Probe
{
    /// <summary>A map chunk written, + level.</summary>
    ChunkMap = 0,
    /// <summary>An unmap chunk, + level.</summary>
    ChunkUnmap = 3,
    /// <summary>A retype chunk, + level.</summary>
    ChunkRetype = 6,
    /// <summary>An identity chunk, + level (1: a whole block linking the shared table).</summary>
    ChunkIdentity = 9,
    /// <summary>A chunk that found nothing to change, + operation kind.</summary>
    ChunkNothingToDo = 12,

    /// <summary>An intermediate table allocated and linked into an invalid entry, + level of the entry.</summary>
    TableLinked = 28,
    /// <summary>A superpage split, + its level (1 or 2).</summary>
    SplitSuperpage = 32,
    /// <summary>A superpage whose type lives in metadata split (children's types moved), + level.</summary>
    SplitMetadataSuperpage = 36,
    /// <summary>A subtree freed because an entry above it was replaced, + level of its table.</summary>
    SubtreeFreed = 40,
    /// <summary>A leaf changed in place (same output address), + level.</summary>
    LeafUpdatedInPlace = 44,
    /// <summary>A leaf replaced by another output address or removed, + level.</summary>
    LeafReplaced = 48,
    /// <summary>A table replaced by a leaf or removed, + level.</summary>
    TableReplaced = 52,

    /// <summary>A metadata page allocated for a root page (+0) or a table page (+1).</summary>
    MetadataPageAllocated = 56,
    /// <summary>A metadata page freed: its count reached 0 (+0) or its table went (+1).</summary>
    MetadataPageFreed = 58,
    /// <summary>A slot set from invalid to a type.</summary>
    MetadataSlotSet = 60,
    /// <summary>A slot changed from one metadata type to another.</summary>
    MetadataSlotChanged = 61,
    /// <summary>A slot cleared back to invalid.</summary>
    MetadataSlotCleared = 62,

    /// <summary>A level-1 entry linked to the shared identity table.</summary>
    IdentityShared = 64,
    /// <summary>A shared identity block given a private copy before a change.</summary>
    IdentityCopied = 65,
    /// <summary>An identity frame written over the shared table: nothing to do.</summary>
    IdentityAlreadyShared = 66,

    /// <summary>A chunk's pages could not be reserved, + failure site (operation kind).</summary>
    ReservationFailed = 68,
    /// <summary>
    /// A failed reservation needed pages of this kind (+0 intermediate table, +1 split table,
    /// +2 metadata page, +3 identity copy): the failure path of each allocation site.
    /// </summary>
    AllocationSiteFailed = 76,
    /// <summary>An allocation failed because <c>fail-allocs</c> said so.</summary>
    AllocationInjectedFailure = 82,
    /// <summary>An allocation failed because the pool was full.</summary>
    AllocationPoolFull = 83,
    /// <summary>A chunk needed this many pages (+0..7, capped).</summary>
    ReservationSize = 84,

    /// <summary>A retyped leaf, + level.</summary>
    RetypeLeaf = 92,
    /// <summary>A retype walked a whole subtree, + level of its table.</summary>
    RetypeSubtree = 96,
    /// <summary>A retype met a leaf of another type and left it whole.</summary>
    RetypeOtherTypeKept = 100,

    /// <summary>A valid entry broken (set invalid and flushed), + level.</summary>
    BreakBeforeMake = 104,
    /// <summary>A ranged TLB flush that invalidated a line.</summary>
    TlbFlushHit = 108,
    /// <summary>A flush of in-place changes at the end of an operation.</summary>
    TlbDeferredFlush = 109,
    /// <summary>translate answered from the TLB.</summary>
    TlbHit = 110,
    /// <summary>translate walked and filled a line, + level of the leaf.</summary>
    TlbFill = 112,

    /// <summary>A mapcache map reused a slot already mapping the page.</summary>
    MapcacheReuse = 116,
    /// <summary>A mapcache map commandeered a slot with no reference (replacing a stale mapping or none).</summary>
    MapcacheCommandeer = 117,
    /// <summary>A mapcache probe stepped past the hashed slot.</summary>
    MapcacheCollision = 118,
    /// <summary>A slot reached 15 references and the next map of its page went elsewhere.</summary>
    MapcacheSlotFull = 119,

    /// <summary>grant-map recorded a GFN.</summary>
    GrantMapped = 120,
    /// <summary>grant-map found the frame busy (EBUSY).</summary>
    GrantBusy = 121,
    /// <summary>A grant frame's GFN reset to INVALID because its entry went.</summary>
    GrantReset = 122,
    /// <summary>grant-setup grew the table.</summary>
    GrantTableGrown = 123,

    /// <summary>A foreign reference taken.</summary>
    ForeignReferenceTaken = 124,
    /// <summary>A foreign reference dropped with its entry.</summary>
    ForeignReferenceDropped = 125,

    /// <summary>teardown freed a root entry's subtree (+0) or leaf (+1).</summary>
    Teardown = 128,

    /// <summary>An operation rejected with EINVAL, + operation kind.</summary>
    Einval = 132,
}

/// <summary>Implemented by an implementation that can fill a coverage map with its probes.</summary>
public interface ICoverageSource
{
    /// <summary>The map probes write to; null turns probing off.</summary>
    CoverageMap? Coverage { get; set; }
}
