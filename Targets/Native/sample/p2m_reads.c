/*
 * The sample native P2M's reads: frames, runs, references, type storage, and the audit. Reads walk
 * the tables leaf by leaf, so a range under one superpage costs one walk however many frames it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2m_sample.h"

/* gfn's leaf (or empty entry): its table and index, or the shared identity table. */
typedef struct leaf_at {
    const table *t;
    uint32_t i;
    uint64_t first, frames; /* the GFNs the entry covers */
    int shared;             /* under the shared identity table */
} leaf_at;

static leaf_at find_leaf(const p2m_impl *p, uint64_t gfn)
{
    const table *t = root_table(p, gfn);
    for (;;) {
        uint32_t i = entry_index(p, t, gfn);
        uint64_t frames = level_frames(p, t->level);
        leaf_at at = { t, i, t->base + (uint64_t)i * frames, frames, 0 };
        const entry *e = &t->e[i];
        if (e->kind != ENTRY_TABLE) return at;
        if (e->next == p->identity) {
            at.t = p->identity;
            at.i = (uint32_t)(gfn - at.first);
            at.first = gfn;
            at.frames = 1;
            at.shared = 1;
            return at;
        }
        t = e->next;
    }
}

static const p2m_frame Unmapped = { .mfn = P2M_INVALID_FRAME };

void sample_read_range(p2m_impl *p, uint64_t start, uint64_t count, p2m_frame *frames)
{
    uint64_t n = 0;
    while (n < count) {
        uint64_t gfn = start + n;
        if (gfn < start || gfn >= p->gfn_limit) {
            frames[n++] = Unmapped;
            continue;
        }
        leaf_at at = find_leaf(p, gfn);
        uint64_t last = at.first + at.frames; /* one past the entry */
        for (; n < count && start + n < last; n++) {
            uint64_t g = start + n;
            const entry *e = &at.t->e[at.i];
            if (at.shared) frames[n] = (p2m_frame){ .mfn = g, .type = P2M_MMIO_DIRECT_IO, .identity = 1 };
            else if (e->kind == ENTRY_NONE) frames[n] = Unmapped;
            else
                frames[n] = (p2m_frame){ .mfn = e->mfn + (g - at.first), .type = leaf_type(at.t, at.i),
                                         .order = (uint8_t)(at.t->level * p->b), .identity = e->identity };
        }
    }
}

/* Collects leaves into runs, merging a leaf that continues the run. */
typedef struct run_builder {
    p2m_run run;
    p2m_run_fn emit;
    void *ctx;
} run_builder;

static void add_leaf(run_builder *b, uint64_t gfn, uint64_t count, uint64_t mfn, uint8_t type, uint8_t order, uint8_t identity)
{
    p2m_run *r = &b->run;
    if (r->count && r->gfn + r->count == gfn && r->mfn + r->count == mfn && r->type == type && r->order == order && r->identity == identity) {
        r->count += count;
        return;
    }
    if (r->count) b->emit(b->ctx, r);
    *r = (p2m_run){ .gfn = gfn, .count = count, .mfn = mfn, .type = type, .order = order, .identity = identity };
}

static void runs_of(const p2m_impl *p, const table *t, run_builder *b)
{
    for (uint32_t i = 0; i < p->entries; i++) {
        const entry *e = &t->e[i];
        uint64_t first = t->base + (uint64_t)i * level_frames(p, t->level);
        if (e->kind == ENTRY_LEAF)
            add_leaf(b, first, level_frames(p, t->level), e->mfn, leaf_type(t, i), (uint8_t)(t->level * p->b), e->identity);
        else if (e->kind == ENTRY_TABLE && e->next == p->identity)
            add_leaf(b, first, p->entries, first, P2M_MMIO_DIRECT_IO, 0, 1);
        else if (e->kind == ENTRY_TABLE)
            runs_of(p, e->next, b);
    }
}

void sample_mapped_runs(p2m_impl *p, p2m_run_fn emit, void *ctx)
{
    run_builder b = { .emit = emit, .ctx = ctx };
    for (unsigned r = 0; r < ROOT_PAGES; r++) runs_of(p, p->root[r], &b);
    if (b.run.count) emit(ctx, &b.run);
}

static int by_mfn(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

void sample_held_references(p2m_impl *p, p2m_reference_fn emit, void *ctx)
{
    size_t n = 0;
    uint64_t *held = malloc(sizeof(uint64_t) * (p->ref_used ? p->ref_used : 1));
    if (!held) abort();
    for (size_t i = 0; i < p->ref_capacity; i++)
        if (p->ref_mfn[i] != 0 && p->ref_count[i] != 0) held[n++] = p->ref_mfn[i] - 1;
    qsort(held, n, sizeof *held, by_mfn);
    for (size_t i = 0; i < n; i++) emit(ctx, held[i], sample_references(p, held[i]));
    free(held);
}

void sample_read_type_storage(p2m_impl *p, uint64_t start, uint64_t count, p2m_type_storage *storage)
{
    uint64_t n = 0;
    while (n < count) {
        uint64_t gfn = start + n;
        if (gfn < start || gfn >= p->gfn_limit) {
            storage[n++] = (p2m_type_storage){ 0, P2M_INVALID };
            continue;
        }
        /* Every frame of one entry has the same storage: the entry's bits and slot. */
        leaf_at at = find_leaf(p, gfn);
        const entry *e = &at.t->e[at.i];
        p2m_type_storage stored = { e->kind == ENTRY_LEAF ? e->bits : 0, at.t->meta ? at.t->meta->slot[at.i] : P2M_INVALID };
        for (uint64_t last = at.first + at.frames; n < count && start + n < last; n++) storage[n] = stored;
    }
}

/* ---- the audit: pool accounting and metadata, every table walked ---- */

typedef struct audit {
    uint64_t tables, metas;
    p2m_violation *violation;
    int failed;
} audit;

static void fail(audit *a, const char *field, const char *expected, const char *actual)
{
    if (a->failed++) return;
    snprintf(a->violation->field, sizeof a->violation->field, "%s", field);
    snprintf(a->violation->expected, sizeof a->violation->expected, "%s", expected);
    snprintf(a->violation->actual, sizeof a->violation->actual, "%s", actual);
}

static void audit_table(p2m_impl *p, const table *t, audit *a)
{
    uint32_t used = 0;
    char got[64];
    p->audited_pages++;
    if (t->meta) a->metas++;
    for (uint32_t i = 0; i < p->entries; i++) {
        const entry *e = &t->e[i];
        uint8_t slot = t->meta ? t->meta->slot[i] : P2M_INVALID;
        int marker = e->kind == ENTRY_LEAF && e->bits == PTE_MARKER;
        if (slot != P2M_INVALID) used++;
        if (marker != (slot != P2M_INVALID) || (marker && slot < P2M_RAM_RO)) {
            snprintf(got, sizeof got, "pte bits %u, slot %u", e->kind == ENTRY_LEAF ? e->bits : 0, slot);
            fail(a, "metadata.slot", "a type from 4 up exactly where the PTE holds the marker", got);
        }
        if (e->kind == ENTRY_TABLE && e->next != p->identity) {
            a->tables++;
            audit_table(p, e->next, a);
        }
    }
    if (t->meta && used != t->meta->used) {
        snprintf(got, sizeof got, "%u counted, %u set", t->meta->used, used);
        fail(a, "metadata.count", "the count of set slots", got);
    }
    if (t->meta && used == 0) fail(a, "metadata.empty-page", "no metadata page without a set slot", "an empty metadata page");
}

int sample_audit(p2m_impl *p, uint32_t scope, p2m_violation *violation)
{
    /* Nothing here costs the same however large the tables grow: no TLB, no mapcache. */
    if (scope != P2M_AUDIT_FULL) return 0;
    audit a = { .violation = violation };
    for (unsigned r = 0; r < ROOT_PAGES; r++) audit_table(p, p->root[r], &a);
    uint64_t expected = ROOT_PAGES + a.tables + a.metas;
    if (!a.failed && expected != p->in_use) {
        char want[64], got[64];
        snprintf(want, sizeof want, "%llu (4 root + %llu tables + %llu metadata)", (unsigned long long)expected,
                 (unsigned long long)a.tables, (unsigned long long)a.metas);
        snprintf(got, sizeof got, "%u", p->in_use);
        fail(&a, "pool.in-use", want, got);
    }
    return a.failed != 0;
}
