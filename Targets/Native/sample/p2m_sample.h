/*
 * The sample native P2M's internal shapes, shared by its files: p2m_sample.c (tables and operations),
 * p2m_reads.c (reads and the audit) and p2m_abi.c (what p2m_impl.h exports). Written from
 * docs/SEMANTICS.md alone: three levels of E = 2^b entries, a root of 4 table pages, superpages at
 * levels 1 and 2, types from 4 up in a metadata page beside each table page, one shared identity table.
 */
#ifndef P2M_SAMPLE_H
#define P2M_SAMPLE_H

#include "p2m_impl.h"

#define LEVELS 3
#define ROOT_PAGES 4
#define PTE_MARKER 3 /* the PTE's type bits when the real type is in the metadata slot */

enum entry_kind { ENTRY_NONE = 0, ENTRY_LEAF = 1, ENTRY_TABLE = 2 };

typedef struct table table;

/* One PTE: a leaf maps 2^(level*b) frames from mfn; a table entry links the next level down. */
typedef struct entry {
    uint64_t mfn;
    table *next;
    uint8_t kind;     /* enum entry_kind */
    uint8_t bits;     /* leaf: the PTE's 2 type bits (the type, or PTE_MARKER) */
    uint8_t identity; /* leaf: mapped by `identity` */
} entry;

/* A metadata page: the real type of each entry whose bits are PTE_MARKER, and how many slots are set. */
typedef struct meta {
    uint32_t used;
    uint8_t slot[]; /* E slots */
} meta;

/* A table page of E entries at one level, with its metadata page (NULL until an entry needs one). */
struct table {
    meta *meta;
    uint64_t base; /* first GFN it covers */
    uint8_t level;
    entry e[];     /* E entries */
};

struct p2m_impl {
    p2m_geometry geometry;
    uint32_t b, entries;
    uint64_t gfn_limit, mfn_limit, grant_base, max_range;

    uint32_t capacity;     /* pool pages, the root's included */
    uint32_t in_use;       /* root pages + table pages + metadata pages */
    uint32_t reserved;     /* pages a chunk took from the pool and has not used yet */
    uint64_t fail_allocs;  /* the next this many allocations fail */

    table *root[ROOT_PAGES];
    table *identity;       /* the shared identity table: outside the pool, never written */

    uint32_t grant_frames;
    uint64_t *grant_gfn;   /* max_grant_frames slots, P2M_INVALID_FRAME when not mapped */

    uint64_t *ref_mfn;     /* open addressing: MFN + 1 (0 = empty slot) */
    uint32_t *ref_count;
    size_t ref_capacity, ref_used;

    uint64_t audited_pages;
};

/* Frames an entry at level covers. */
static inline uint64_t level_frames(const struct p2m_impl *p, unsigned level) { return 1ull << (level * p->b); }

/* The index of gfn's entry in t. */
static inline uint32_t entry_index(const struct p2m_impl *p, const table *t, uint64_t gfn)
{
    return (uint32_t)((gfn - t->base) >> (t->level * p->b));
}

/* The root page and entry index holding gfn's level-2 entry. */
static inline table *root_table(const struct p2m_impl *p, uint64_t gfn) { return p->root[gfn >> (3 * p->b)]; }

/* The real type of t->e[i] (a leaf). */
static inline uint8_t leaf_type(const table *t, uint32_t i)
{
    return t->e[i].bits == PTE_MARKER ? t->meta->slot[i] : t->e[i].bits;
}

/* p2m_sample.c */
p2m_impl *sample_create(const p2m_geometry *geometry, uint32_t pool_pages);
void sample_destroy(p2m_impl *p);
void sample_apply(p2m_impl *p, const p2m_op *op, p2m_result *result);
uint32_t sample_references(const p2m_impl *p, uint64_t mfn);

/* p2m_reads.c */
void sample_read_range(p2m_impl *p, uint64_t start, uint64_t count, p2m_frame *frames);
void sample_mapped_runs(p2m_impl *p, p2m_run_fn emit, void *ctx);
void sample_held_references(p2m_impl *p, p2m_reference_fn emit, void *ctx);
void sample_read_type_storage(p2m_impl *p, uint64_t start, uint64_t count, p2m_type_storage *storage);
int sample_audit(p2m_impl *p, uint32_t scope, p2m_violation *violation);

#endif
