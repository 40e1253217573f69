/*
 * p2m_impl.h: the C ABI a native P2M implementation exports so that p2mfuzz can put it under test
 * (`p2mfuzz fuzz --impl native:libfoo.so`). docs/PLUGINS.md is the contract in prose; this header is
 * the contract in C. Every value type here is a plain fixed-layout struct, so the harness passes
 * pointers to its own memory and nothing is allocated per step on either side.
 *
 * Required symbols: p2m_impl_abi_version, p2m_impl_create, p2m_impl_destroy, p2m_impl_apply,
 * p2m_impl_read_range, p2m_impl_mapped_runs, p2m_impl_references, p2m_impl_held_references,
 * p2m_impl_grant_frames, p2m_impl_grant_gfn.
 * Optional symbols: p2m_impl_read_type_storage + p2m_impl_audit + p2m_impl_audited_pages (all three,
 * or none: the self-check), p2m_impl_coverage (edge counters).
 *
 * Threading: the harness calls one instance from one thread at a time; distinct instances may be used
 * from distinct threads at once, so an implementation keeps no mutable global state but its coverage
 * counters.
 */
#ifndef P2M_IMPL_H
#define P2M_IMPL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct or a signature below changes; the harness refuses any other value. */
#define P2M_IMPL_ABI_VERSION 1u

#if defined(_WIN32)
#define P2M_IMPL_EXPORT __declspec(dllexport)
#else
#define P2M_IMPL_EXPORT __attribute__((visibility("default")))
#endif

/* All ones: no MFN (an unmapped frame) or no GFN (a grant frame not mapped). */
#define P2M_INVALID_FRAME UINT64_MAX

/* Operation kinds, with the script format's words (docs/SEMANTICS.md). */
enum p2m_op_kind {
    P2M_OP_MAP = 0,         /* map gfn=a mfn=b nr=c type=type */
    P2M_OP_UNMAP = 1,       /* unmap gfn=a nr=c */
    P2M_OP_RETYPE = 2,      /* retype gfn=a nr=c from=type to=to */
    P2M_OP_IDENTITY = 3,    /* identity start=a end=b */
    P2M_OP_FOREIGN = 4,     /* foreign gfn=a mfn=b; type is P2M_MAP_FOREIGN_RW or _RO */
    P2M_OP_GRANT_SETUP = 5, /* grant-setup frames=c */
    P2M_OP_GRANT_MAP = 6,   /* grant-map frame=b gfn=a */
    P2M_OP_LOOKUP = 7,      /* lookup gfn=a */
    P2M_OP_TRANSLATE = 8,   /* translate gfn=a: through the implementation's TLB, if it has one */
    P2M_OP_FAIL_ALLOCS = 9, /* fail-allocs n=c: the next c page allocations fail */
    P2M_OP_DIRECTMAP = 10,  /* directmap on (c=1) | off (c=0) */
    P2M_OP_TEARDOWN = 11,   /* teardown */
};

/* Types, with the codes of the semantics table. */
enum p2m_type {
    P2M_INVALID = 0, P2M_RAM_RW = 1, P2M_MMIO_DIRECT_IO = 2, P2M_EXT_STORAGE = 3, P2M_RAM_RO = 4,
    P2M_MAP_FOREIGN_RW = 5, P2M_MAP_FOREIGN_RO = 6, P2M_GRANT_MAP_RW = 7, P2M_GRANT_MAP_RO = 8,
    P2M_MMIO_DIRECT_NC = 9, P2M_MMIO_DIRECT_C = 10, P2M_IOMMU_MAP_RW = 11, P2M_IOMMU_MAP_RO = 12,
};

enum p2m_result_code { P2M_OK = 0, P2M_EINVAL = 1, P2M_ENOMEM = 2, P2M_EBUSY = 3 };

/* The shape of the tables. The harness passes every derived number too, so an implementation need
 * not recompute them; they always agree with entry_bits (real: 9/29/44/256, mini: 3/11/12/32). */
typedef struct p2m_geometry {
    uint32_t entry_bits;       /* b: a table page holds 2^b entries; the root is 4 such pages */
    uint32_t gfn_bits;         /* GFNs are below 2^gfn_bits (= 2 + 3b) */
    uint32_t mfn_bits;         /* MFNs are below 2^mfn_bits */
    uint32_t max_grant_frames; /* grant frames k have MFN 2^mfn_bits - max_grant_frames + k */
} p2m_geometry;

/* One operation. Fields a kind does not use are 0 (see enum p2m_op_kind for which is which).
 * Values are as the fuzzer generated them: unchecked, so range checks are the implementation's (EINVAL). */
typedef struct p2m_op {
    uint8_t kind;   /* enum p2m_op_kind */
    uint8_t type;   /* map: type; retype: from; foreign: P2M_MAP_FOREIGN_RW or P2M_MAP_FOREIGN_RO */
    uint8_t to;     /* retype: to */
    uint8_t reserved[5];
    uint64_t a;     /* gfn, or identity start */
    uint64_t b;     /* mfn, identity end, or grant frame index */
    uint64_t c;     /* nr, grant-setup frames, fail-allocs n, directmap on */
} p2m_op;

/* What one guest frame maps to. Unmapped: mfn P2M_INVALID_FRAME, type P2M_INVALID, order 0, identity 0. */
typedef struct p2m_frame {
    uint64_t mfn;
    uint8_t type;     /* enum p2m_type: the real type, never the marker 3 */
    uint8_t order;    /* of the leaf mapping the frame: 0, b or 2b; identity frames 0 */
    uint8_t identity; /* 1 for frames mapped by `identity` (Linux's IDENTITY_FRAME_BIT) */
    uint8_t reserved[5];
} p2m_frame;

/* The answer to one operation. */
typedef struct p2m_result {
    uint8_t code;     /* enum p2m_result_code */
    uint8_t reserved[7];
    uint64_t done;    /* range operations: frames completed (all of them on success); others 0 */
    p2m_frame frame;  /* lookup/translate: the frame's state; every other operation: unmapped */
} p2m_result;

/* count consecutive mapped frames from gfn mapping consecutive MFNs from mfn, one type, order, identity. */
typedef struct p2m_run {
    uint64_t gfn;
    uint64_t count;
    uint64_t mfn;
    uint8_t type;
    uint8_t order;
    uint8_t identity;
    uint8_t reserved[5];
} p2m_run;

/* How a frame's type is stored: the PTE's 2-bit type field (0 with no valid leaf) and the metadata slot
 * of the same index (P2M_INVALID when the table page has no metadata page). */
typedef struct p2m_type_storage {
    uint8_t pte_bits;
    uint8_t slot;
} p2m_type_storage;

/* A broken internal invariant, as NUL-terminated text: which one, what it should be, what it is. */
typedef struct p2m_violation {
    char field[64];     /* e.g. "pool.in-use": stable, no addresses (it becomes a finding's signature) */
    char expected[128];
    char actual[128];
} p2m_violation;

enum p2m_audit_scope {
    P2M_AUDIT_STEP = 0, /* only what costs the same however large the tables grow; asked after every step */
    P2M_AUDIT_FULL = 1, /* everything, every table walked; asked on a schedule proportional to the work */
};

typedef struct p2m_impl p2m_impl; /* an instance: opaque to the harness */

/* Called once per run or held reference, in ascending order. ctx is the harness's. */
typedef void (*p2m_run_fn)(void *ctx, const p2m_run *run);
typedef void (*p2m_reference_fn)(void *ctx, uint64_t mfn, uint32_t count);

/* P2M_IMPL_ABI_VERSION as the library was built with. Called first, before anything else. */
P2M_IMPL_EXPORT uint32_t p2m_impl_abi_version(void);

/* A fresh instance: nothing mapped, pool_pages pages in its pool, the root's 4 included. NULL if it cannot. */
P2M_IMPL_EXPORT p2m_impl *p2m_impl_create(const p2m_geometry *geometry, uint32_t pool_pages);
P2M_IMPL_EXPORT void p2m_impl_destroy(p2m_impl *p2m);

/* Applies one operation. Never fails for bad values: they are P2M_EINVAL. */
P2M_IMPL_EXPORT void p2m_impl_apply(p2m_impl *p2m, const p2m_op *op, p2m_result *result);

/* The state of count frames from start, read from the tables (not a TLB); GFNs outside the space unmapped. */
P2M_IMPL_EXPORT void p2m_impl_read_range(p2m_impl *p2m, uint64_t start, uint64_t count, p2m_frame *frames);

/* Every mapped frame as runs in ascending GFN order (adjacent runs may be split however is convenient). */
P2M_IMPL_EXPORT void p2m_impl_mapped_runs(p2m_impl *p2m, p2m_run_fn emit, void *ctx);

/* References held on mfn (one per foreign entry mapping it). */
P2M_IMPL_EXPORT uint32_t p2m_impl_references(p2m_impl *p2m, uint64_t mfn);

/* Every MFN with a non-zero reference count, in ascending MFN order. */
P2M_IMPL_EXPORT void p2m_impl_held_references(p2m_impl *p2m, p2m_reference_fn emit, void *ctx);

/* Grant frames created by grant-setup so far, and the GFN recorded for one (P2M_INVALID_FRAME if none). */
P2M_IMPL_EXPORT uint32_t p2m_impl_grant_frames(p2m_impl *p2m);
P2M_IMPL_EXPORT uint64_t p2m_impl_grant_gfn(p2m_impl *p2m, uint32_t frame);

/* Optional self-check: export all three or none. */
P2M_IMPL_EXPORT void p2m_impl_read_type_storage(p2m_impl *p2m, uint64_t start, uint64_t count, p2m_type_storage *storage);
/* Returns 1 and fills *violation for the first broken invariant within scope; 0 when all hold. */
P2M_IMPL_EXPORT int p2m_impl_audit(p2m_impl *p2m, uint32_t scope, p2m_violation *violation);
/* Table pages the P2M_AUDIT_FULL audits of this instance have visited so far. */
P2M_IMPL_EXPORT uint64_t p2m_impl_audited_pages(p2m_impl *p2m);

/* Optional coverage: the library's own 8-bit edge counters (e.g. -fsanitize-coverage=inline-8bit-counters,
 * section __sancov_cntrs), process-wide. The harness zeroes them when it creates an instance, and after
 * each operation counts every counter that moved as a campaign feature and zeroes them again.
 * Sets *count; NULL (or *count 0) when there are none. */
P2M_IMPL_EXPORT uint8_t *p2m_impl_coverage(size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* P2M_IMPL_H */
