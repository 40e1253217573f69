/*
 * The sample native P2M: tables and operations, from docs/SEMANTICS.md.
 *
 * Every range operation is cut into chunks. A chunk first runs its plan dry (the same code with
 * `dry` set: it only counts the pages it would allocate), reserves that many pages from the pool
 * (the first failure gives them all back: ENOMEM, nothing changed), then runs for real, taking its
 * tables and metadata pages from the reservation. So a failed chunk changes nothing observable.
 *
 * Planted bugs, one per build (Targets/Native/build.sh), for the harness's own tests:
 *   P2M_SAMPLE_PLANT_SEMANTIC: unmap forgets to drop a foreign entry's reference.
 *   P2M_SAMPLE_PLANT_OOB: splitting a superpage whose type lives in metadata writes one slot past
 *   the new metadata page (a heap-buffer-overflow ASan reports).
 */
#include <stdlib.h>
#include <string.h>

#include "p2m_sample.h"

/* ---- pool: every table page and metadata page is counted against the capacity ---- */

/* One pool allocation: fails when fail-allocs says so (that consumes one) or the pool is full. */
static int pool_take(p2m_impl *p)
{
    if (p->fail_allocs > 0) {
        p->fail_allocs--;
        return 0;
    }
    if (p->in_use >= p->capacity) return 0;
    p->in_use++;
    return 1;
}

/* Takes n pages for a chunk, one at a time; on the first failure gives back what it took. */
static int reserve(p2m_impl *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!pool_take(p)) {
            p->in_use -= i;
            return 0;
        }
    }
    p->reserved = n;
    return 1;
}

/* A page of the current reservation; running out means the dry run miscounted, which is a bug here. */
static void use_reserved(p2m_impl *p)
{
    if (p->reserved == 0) abort();
    p->reserved--;
}

/* A chunk is done: the dry run counted exactly what it used, or this sample has a bug worth a crash. */
static void end_chunk(p2m_impl *p)
{
    if (p->reserved != 0) abort();
}

static table *table_new(p2m_impl *p, unsigned level, uint64_t base)
{
    table *t = calloc(1, sizeof(table) + p->entries * sizeof(entry));
    if (!t) abort();
    t->level = (uint8_t)level;
    t->base = base;
    return t;
}

static meta *meta_new(p2m_impl *p)
{
    meta *m = calloc(1, sizeof(meta) + p->entries);
    if (!m) abort();
    return m;
}

/* ---- references and grant frames: what releasing a leaf gives back ---- */

static size_t ref_slot(const p2m_impl *p, uint64_t mfn)
{
    size_t mask = p->ref_capacity - 1;
    size_t i = (size_t)((mfn * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (p->ref_mfn[i] != 0 && p->ref_mfn[i] != mfn + 1) i = (i + 1) & mask;
    return i;
}

static void ref_add(p2m_impl *p, uint64_t mfn, int delta)
{
    if ((p->ref_used + 1) * 2 > p->ref_capacity) {
        /* Grow: rehash every slot, zero counts included (they are rare and harmless). */
        uint64_t *old_mfn = p->ref_mfn;
        uint32_t *old_count = p->ref_count;
        size_t old_capacity = p->ref_capacity;
        p->ref_capacity = old_capacity ? old_capacity * 2 : 64;
        p->ref_mfn = calloc(p->ref_capacity, sizeof(uint64_t));
        p->ref_count = calloc(p->ref_capacity, sizeof(uint32_t));
        if (!p->ref_mfn || !p->ref_count) abort();
        for (size_t i = 0; i < old_capacity; i++) {
            if (old_mfn[i] == 0) continue;
            size_t j = ref_slot(p, old_mfn[i] - 1);
            p->ref_mfn[j] = old_mfn[i];
            p->ref_count[j] = old_count[i];
        }
        free(old_mfn);
        free(old_count);
    }
    size_t i = ref_slot(p, mfn);
    if (p->ref_mfn[i] == 0) {
        p->ref_mfn[i] = mfn + 1;
        p->ref_used++;
    }
    p->ref_count[i] = (uint32_t)((int)p->ref_count[i] + delta);
}

uint32_t sample_references(const p2m_impl *p, uint64_t mfn)
{
    if (p->ref_capacity == 0) return 0;
    size_t i = ref_slot(p, mfn);
    return p->ref_mfn[i] == 0 ? 0 : p->ref_count[i];
}

/*
 * A 4K leaf at gfn goes away (removed or replaced): a foreign entry drops its reference, and the
 * grant frame whose GFN is recorded here goes back to INVALID (p2m_put_l3_page). Superpages hold
 * neither: foreign and grant entries are always 4K.
 */
static void put_frame(p2m_impl *p, uint64_t gfn, uint64_t mfn, uint8_t type)
{
    if (type == P2M_MAP_FOREIGN_RW || type == P2M_MAP_FOREIGN_RO) ref_add(p, mfn, -1);
    if (mfn >= p->grant_base && mfn - p->grant_base < p->grant_frames && p->grant_gfn[mfn - p->grant_base] == gfn)
        p->grant_gfn[mfn - p->grant_base] = P2M_INVALID_FRAME;
}

/* ---- metadata slots ---- */

/* Writes t->e[i]'s type storage for type (0 for an entry that is no leaf). A new metadata page comes from the reservation. */
static void store_type(p2m_impl *p, table *t, uint32_t i, uint8_t type)
{
    int had = t->e[i].kind == ENTRY_LEAF && t->e[i].bits == PTE_MARKER;
    int wants = type >= P2M_RAM_RO;
    if (wants) {
        if (!t->meta) {
            use_reserved(p);
            t->meta = meta_new(p);
        }
        if (!had) t->meta->used++;
        t->meta->slot[i] = type;
    } else if (had) {
        t->meta->slot[i] = P2M_INVALID;
        if (--t->meta->used == 0) {
            /* The last metadata type went: the page goes back to the pool. */
            free(t->meta);
            t->meta = NULL;
            p->in_use--;
        }
    }
    t->e[i].bits = wants ? PTE_MARKER : type;
}

/* ---- freeing ---- */

static void free_table(p2m_impl *p, table *t);

/* Empties t->e[i], releasing its leaf or freeing the subtree it links (never the shared identity table). */
static void clear_entry(p2m_impl *p, table *t, uint32_t i)
{
    entry *e = &t->e[i];
    if (e->kind == ENTRY_LEAF) {
        if (t->level == 0) put_frame(p, t->base + i, e->mfn, leaf_type(t, i));
        store_type(p, t, i, P2M_INVALID);
    } else if (e->kind == ENTRY_TABLE && e->next != p->identity) {
        free_table(p, e->next);
    }
    memset(e, 0, sizeof *e);
}

/* Frees t, everything below it and its metadata page. */
static void free_table(p2m_impl *p, table *t)
{
    for (uint32_t i = 0; i < p->entries; i++) clear_entry(p, t, i);
    if (t->meta) {
        free(t->meta);
        p->in_use--;
    }
    free(t);
    p->in_use--;
}

/* Replaces t->e[i] with a leaf (whatever it held is released first). */
static void set_leaf(p2m_impl *p, table *t, uint32_t i, uint64_t mfn, uint8_t type, uint8_t identity)
{
    entry *e = &t->e[i];
    if (e->kind == ENTRY_LEAF) {
        /* Keep the slot while changing it, so a metadata page whose last slot is rewritten stays. */
        if (t->level == 0) put_frame(p, t->base + i, e->mfn, leaf_type(t, i));
    } else if (e->kind == ENTRY_TABLE) {
        if (e->next != p->identity) free_table(p, e->next);
        e->kind = ENTRY_NONE;
        e->next = NULL;
    }
    store_type(p, t, i, type);
    e->kind = ENTRY_LEAF;
    e->mfn = mfn;
    e->identity = identity;
}

/* ---- the walk: reaching the entry a chunk changes ---- */

/* What a walk does on the way down when an entry above the target is empty, a superpage, or the shared identity table. */
enum walk_policy {
    WALK_MAKE,        /* map, foreign, grant-map: create tables, split superpages, copy the shared block */
    WALK_IDENTITY,    /* identity edge frame: as WALK_MAKE, but a frame under the shared table is already done */
    WALK_UNMAP,       /* nothing below an empty entry to remove */
    WALK_RETYPE,      /* as WALK_UNMAP; split and copy only what has type `from` */
};

/* Where a walk ended. In a dry run that would have built the path, t is NULL and fresh_* say what it would be. */
typedef struct place {
    table *t;
    uint32_t i;
    uint32_t pages;       /* dry: pages the walk would allocate */
    uint8_t stop;         /* nothing to do: no entry to change */
    uint8_t fresh_meta;   /* dry, t NULL: the target table would have a metadata page */
    uint8_t fresh_type;   /* dry, t NULL: the target entry's type (0: none) */
} place;

/* Splits the superpage t->e[i] into a table of E leaves one level down mapping exactly what it mapped. */
static void split(p2m_impl *p, table *t, uint32_t i)
{
    entry *e = &t->e[i];
    uint8_t type = leaf_type(t, i);
    unsigned level = t->level - 1u;
    use_reserved(p);
    table *child = table_new(p, level, t->base + (uint64_t)i * level_frames(p, t->level));
    if (type >= P2M_RAM_RO) {
        use_reserved(p);
        child->meta = meta_new(p);
        child->meta->used = p->entries;
#ifdef P2M_SAMPLE_PLANT_OOB
        /* Planted: one slot too many, one byte past the metadata page. */
        memset(child->meta->slot, type, p->entries + 1u);
#else
        memset(child->meta->slot, type, p->entries);
#endif
    }
    for (uint32_t k = 0; k < p->entries; k++) {
        child->e[k].kind = ENTRY_LEAF;
        child->e[k].mfn = e->mfn + (uint64_t)k * level_frames(p, level);
        child->e[k].bits = type >= P2M_RAM_RO ? PTE_MARKER : type;
        child->e[k].identity = 0; /* identity leaves are 4K: never split */
    }
    /* Split away: the superpage's slot goes back to invalid, then the entry links the table. */
    store_type(p, t, i, P2M_INVALID);
    e->kind = ENTRY_TABLE;
    e->next = child;
    e->mfn = 0;
}

/* Gives the block under the shared identity link t->e[i] a private table of E identity leaves. */
static void copy_identity(p2m_impl *p, table *t, uint32_t i)
{
    use_reserved(p);
    table *copy = table_new(p, 0, t->base + (uint64_t)i * level_frames(p, 1));
    for (uint32_t k = 0; k < p->entries; k++) {
        copy->e[k].kind = ENTRY_LEAF;
        copy->e[k].mfn = copy->base + k;
        copy->e[k].bits = P2M_MMIO_DIRECT_IO;
        copy->e[k].identity = 1;
    }
    t->e[i].next = copy;
}

/* Walks from the root to gfn's entry at level, building the path the policy asks for (or, dry, counting it). */
static place walk(p2m_impl *p, uint64_t gfn, unsigned level, enum walk_policy policy, uint8_t from, int dry)
{
    place at = { 0 };
    table *t = root_table(p, gfn);
    while (t->level > level) {
        uint32_t i = entry_index(p, t, gfn);
        entry *e = &t->e[i];
        uint32_t below = t->level - level; /* tables to build down to the target's level */
        if (e->kind == ENTRY_NONE) {
            if (policy == WALK_UNMAP || policy == WALK_RETYPE) return (place){ .stop = 1 };
            if (dry) return (place){ .pages = below, .fresh_type = P2M_INVALID };
            use_reserved(p);
            e->next = table_new(p, t->level - 1u, t->base + (uint64_t)i * level_frames(p, t->level));
            e->kind = ENTRY_TABLE;
        } else if (e->kind == ENTRY_LEAF) {
            uint8_t type = leaf_type(t, i);
            if (policy == WALK_RETYPE && type != from) return (place){ .stop = 1 };
            if (dry) {
                int metadata = type >= P2M_RAM_RO;
                return (place){ .pages = below * (metadata ? 2u : 1u), .fresh_meta = (uint8_t)metadata, .fresh_type = type };
            }
            split(p, t, i);
        } else if (e->next == p->identity) {
            /* A frame under the shared identity table (t is level 1, the target level 0). */
            if (policy == WALK_IDENTITY || (policy == WALK_RETYPE && from != P2M_MMIO_DIRECT_IO)) return (place){ .stop = 1 };
            if (dry) return (place){ .pages = 1, .fresh_type = P2M_MMIO_DIRECT_IO };
            copy_identity(p, t, i);
        }
        t = e->next;
    }
    at.t = t;
    at.i = entry_index(p, t, gfn);
    return at;
}

/* Pages a leaf of type needs at the walk's target beyond the walk's own: the target table's metadata page. */
static uint32_t target_meta_pages(const place *at, uint8_t type)
{
    if (type < P2M_RAM_RO) return 0;
    int has = at->t ? at->t->meta != NULL : at->fresh_meta;
    return has ? 0 : 1;
}

/* ---- chunks ---- */

/* The largest order in {2b, b, 0} that `aligned` is aligned to and `left` frames cover (p2m_mapping_order); as a level. */
static unsigned chunk_level(const p2m_impl *p, uint64_t aligned, uint64_t left, unsigned top)
{
    for (unsigned level = top; level > 0; level--) {
        uint64_t frames = level_frames(p, level);
        if ((aligned & (frames - 1)) == 0 && left >= frames) return level;
    }
    return 0;
}

/* Maps one chunk: gfn's entry at level becomes a leaf. 0 on ENOMEM, nothing changed. */
static int map_chunk(p2m_impl *p, uint64_t gfn, unsigned level, uint64_t mfn, uint8_t type, uint8_t identity, enum walk_policy policy)
{
    place dry = walk(p, gfn, level, policy, 0, 1);
    if (dry.stop) return 1;
    if (!reserve(p, dry.pages + target_meta_pages(&dry, type))) return 0;
    place at = walk(p, gfn, level, policy, 0, 0);
    set_leaf(p, at.t, at.i, mfn, type, identity);
    end_chunk(p);
    return 1;
}

/* Links gfn's level-1 entry (an aligned block of E frames) to the shared identity table. */
static int identity_block(p2m_impl *p, uint64_t gfn)
{
    place dry = walk(p, gfn, 1, WALK_MAKE, 0, 1);
    if (dry.t && dry.t->e[dry.i].kind == ENTRY_TABLE && dry.t->e[dry.i].next == p->identity) return 1;
    if (!reserve(p, dry.pages)) return 0;
    place at = walk(p, gfn, 1, WALK_MAKE, 0, 0);
    clear_entry(p, at.t, at.i);
    at.t->e[at.i].kind = ENTRY_TABLE;
    at.t->e[at.i].next = p->identity;
    end_chunk(p);
    return 1;
}

static int unmap_chunk(p2m_impl *p, uint64_t gfn, unsigned level)
{
    place dry = walk(p, gfn, level, WALK_UNMAP, 0, 1);
    if (dry.stop || (dry.t && dry.t->e[dry.i].kind == ENTRY_NONE)) return 1;
    if (!reserve(p, dry.pages)) return 0;
    place at = walk(p, gfn, level, WALK_UNMAP, 0, 0);
#ifdef P2M_SAMPLE_PLANT_SEMANTIC
    /* Planted: a foreign 4K entry goes without dropping its reference. */
    if (at.t->level == 0 && at.t->e[at.i].kind == ENTRY_LEAF) {
        uint8_t type = leaf_type(at.t, at.i);
        if (type == P2M_MAP_FOREIGN_RW || type == P2M_MAP_FOREIGN_RO) ref_add(p, at.t->e[at.i].mfn, +1);
    }
#endif
    clear_entry(p, at.t, at.i);
    end_chunk(p);
    return 1;
}

/*
 * Retypes the leaves of type from in t->e[lo..hi) (and in the subtrees they link) to `to`, in place.
 * Dry: changes nothing, returns the pages it would allocate (metadata pages, identity copies).
 */
static uint32_t retype_entries(p2m_impl *p, table *t, uint32_t lo, uint32_t hi, uint8_t from, uint8_t to, int dry)
{
    uint32_t pages = 0;
    int metadata = 0;
    for (uint32_t i = lo; i < hi; i++) {
        entry *e = &t->e[i];
        if (e->kind == ENTRY_LEAF) {
            if (leaf_type(t, i) != from) continue;
            metadata |= to >= P2M_RAM_RO;
            if (!dry) store_type(p, t, i, to);
        } else if (e->kind == ENTRY_TABLE && e->next == p->identity) {
            if (from != P2M_MMIO_DIRECT_IO) continue;
            /* The whole shared block changes: a private copy (no metadata page), then its frames. */
            if (dry) {
                pages += 1 + (to >= P2M_RAM_RO ? 1u : 0u);
                continue;
            }
            copy_identity(p, t, i);
            retype_entries(p, e->next, 0, p->entries, from, to, 0);
        } else if (e->kind == ENTRY_TABLE) {
            pages += retype_entries(p, e->next, 0, p->entries, from, to, dry);
        }
    }
    if (dry && metadata && !t->meta) pages++;
    return pages;
}

static int retype_chunk(p2m_impl *p, uint64_t gfn, unsigned level, uint8_t from, uint8_t to)
{
    place dry = walk(p, gfn, level, WALK_RETYPE, from, 1);
    if (dry.stop) return 1;
    uint32_t pages = dry.pages;
    if (dry.t) pages += retype_entries(p, dry.t, dry.i, dry.i + 1, from, to, 1);
    else if (dry.fresh_type == from) pages += target_meta_pages(&dry, to);
    if (!reserve(p, pages)) return 0;
    place at = walk(p, gfn, level, WALK_RETYPE, from, 0);
    retype_entries(p, at.t, at.i, at.i + 1, from, to, 0);
    end_chunk(p);
    return 1;
}

/* ---- operations ---- */

static int requestable(uint8_t type)
{
    return type != P2M_INVALID && type != P2M_EXT_STORAGE && type != P2M_MAP_FOREIGN_RW && type != P2M_MAP_FOREIGN_RO &&
           type <= P2M_IOMMU_MAP_RO;
}

/* True when [mfn, mfn+nr) meets the MFN of a grant frame that exists. */
static int meets_grant(const p2m_impl *p, uint64_t mfn, uint64_t nr)
{
    return nr > 0 && p->grant_frames > 0 && mfn < p->grant_base + p->grant_frames && mfn + nr > p->grant_base;
}

/* A GFN range that fits the space, and a count an operation may name. */
static int range_ok(const p2m_impl *p, uint64_t gfn, uint64_t nr)
{
    return nr <= p->max_range && gfn < p->gfn_limit && nr <= p->gfn_limit - gfn;
}

static void finish(p2m_result *r, int ok, uint64_t done)
{
    r->code = ok ? P2M_OK : P2M_ENOMEM;
    r->done = done;
}

static void op_map(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t gfn = op->a, mfn = op->b, nr = op->c;
    if (!range_ok(p, gfn, nr) || mfn >= p->mfn_limit || nr > p->mfn_limit - mfn || !requestable(op->type) || meets_grant(p, mfn, nr)) {
        r->code = P2M_EINVAL;
        return;
    }
    uint64_t done = 0;
    while (done < nr) {
        unsigned level = chunk_level(p, (gfn + done) | (mfn + done), nr - done, LEVELS - 1);
        if (!map_chunk(p, gfn + done, level, mfn + done, op->type, 0, WALK_MAKE)) break;
        done += level_frames(p, level);
    }
    finish(r, done == nr, done);
}

static void op_unmap(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t gfn = op->a, nr = op->c;
    if (!range_ok(p, gfn, nr)) {
        r->code = P2M_EINVAL;
        return;
    }
    uint64_t done = 0;
    while (done < nr) {
        unsigned level = chunk_level(p, gfn + done, nr - done, LEVELS - 1);
        if (!unmap_chunk(p, gfn + done, level)) break;
        done += level_frames(p, level);
    }
    finish(r, done == nr, done);
}

static void op_retype(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t gfn = op->a, nr = op->c;
    if (!range_ok(p, gfn, nr) || !requestable(op->type) || !requestable(op->to)) {
        r->code = P2M_EINVAL;
        return;
    }
    if (op->type == op->to) {
        finish(r, 1, nr);
        return;
    }
    uint64_t done = 0;
    while (done < nr) {
        unsigned level = chunk_level(p, gfn + done, nr - done, LEVELS - 1);
        if (!retype_chunk(p, gfn + done, level, op->type, op->to)) break;
        done += level_frames(p, level);
    }
    finish(r, done == nr, done);
}

static void op_identity(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t start = op->a, end = op->b;
    if (start >= p->gfn_limit || end < start || end > p->gfn_limit || end - start > p->max_range) {
        r->code = P2M_EINVAL;
        return;
    }
    uint64_t done = 0, nr = end - start;
    while (done < nr) {
        uint64_t gfn = start + done;
        /* Whole aligned blocks link the shared table; edge frames get private 4K leaves. */
        unsigned level = chunk_level(p, gfn, nr - done, 1);
        int ok = level == 1 ? identity_block(p, gfn) : map_chunk(p, gfn, 0, gfn, P2M_MMIO_DIRECT_IO, 1, WALK_IDENTITY);
        if (!ok) break;
        done += level_frames(p, level);
    }
    finish(r, done == nr, done);
}

static void op_foreign(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t gfn = op->a, mfn = op->b;
    uint8_t type = op->type == P2M_MAP_FOREIGN_RO ? P2M_MAP_FOREIGN_RO : P2M_MAP_FOREIGN_RW;
    if (gfn >= p->gfn_limit || mfn >= p->mfn_limit || meets_grant(p, mfn, 1)) {
        r->code = P2M_EINVAL;
        return;
    }
    if (!map_chunk(p, gfn, 0, mfn, type, 0, WALK_MAKE)) {
        r->code = P2M_ENOMEM;
        return;
    }
    /* The reference is taken once the entry is in place (the old one, if foreign, was dropped by set_leaf). */
    ref_add(p, mfn, +1);
}

static void op_grant_map(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    uint64_t gfn = op->a, frame = op->b;
    if (frame >= p->grant_frames || gfn >= p->gfn_limit) {
        r->code = P2M_EINVAL;
        return;
    }
    if (p->grant_gfn[frame] != P2M_INVALID_FRAME) {
        r->code = P2M_EBUSY;
        return;
    }
    if (!map_chunk(p, gfn, 0, p->grant_base + frame, P2M_RAM_RW, 0, WALK_MAKE)) {
        r->code = P2M_ENOMEM;
        return;
    }
    p->grant_gfn[frame] = gfn;
}

/* The state of one frame, from the tables. */
static p2m_frame lookup(const p2m_impl *p, uint64_t gfn)
{
    p2m_frame f = { .mfn = P2M_INVALID_FRAME };
    const table *t = root_table(p, gfn);
    for (;;) {
        uint32_t i = entry_index(p, t, gfn);
        const entry *e = &t->e[i];
        if (e->kind == ENTRY_NONE) return f;
        if (e->kind == ENTRY_TABLE) {
            if (e->next == p->identity)
                return (p2m_frame){ .mfn = gfn, .type = P2M_MMIO_DIRECT_IO, .order = 0, .identity = 1 };
            t = e->next;
            continue;
        }
        uint64_t offset = gfn - (t->base + (uint64_t)i * level_frames(p, t->level));
        f.mfn = e->mfn + offset;
        f.type = leaf_type(t, i);
        f.order = (uint8_t)(t->level * p->b);
        f.identity = e->identity;
        return f;
    }
}

void sample_apply(p2m_impl *p, const p2m_op *op, p2m_result *r)
{
    memset(r, 0, sizeof *r);
    r->frame.mfn = P2M_INVALID_FRAME;
    switch (op->kind) {
    case P2M_OP_MAP: op_map(p, op, r); break;
    case P2M_OP_UNMAP: op_unmap(p, op, r); break;
    case P2M_OP_RETYPE: op_retype(p, op, r); break;
    case P2M_OP_IDENTITY: op_identity(p, op, r); break;
    case P2M_OP_FOREIGN: op_foreign(p, op, r); break;
    case P2M_OP_GRANT_SETUP:
        if (op->c > p->geometry.max_grant_frames) r->code = P2M_EINVAL;
        else if (op->c > p->grant_frames) p->grant_frames = (uint32_t)op->c;
        break;
    case P2M_OP_GRANT_MAP: op_grant_map(p, op, r); break;
    case P2M_OP_LOOKUP:
    case P2M_OP_TRANSLATE:
        /* No TLB here: a translation is a walk, so it answers as lookup by construction. */
        if (op->a >= p->gfn_limit) r->code = P2M_EINVAL;
        else r->frame = lookup(p, op->a);
        break;
    case P2M_OP_FAIL_ALLOCS: p->fail_allocs = op->c; break;
    case P2M_OP_DIRECTMAP: break; /* no mapcache: every table is always mapped */
    case P2M_OP_TEARDOWN:
        for (unsigned r_page = 0; r_page < ROOT_PAGES; r_page++)
            for (uint32_t i = 0; i < p->entries; i++) clear_entry(p, p->root[r_page], i);
        for (uint32_t k = 0; k < p->grant_frames; k++) p->grant_gfn[k] = P2M_INVALID_FRAME;
        break;
    default: r->code = P2M_EINVAL; break;
    }
}

/* ---- life cycle ---- */

p2m_impl *sample_create(const p2m_geometry *g, uint32_t pool_pages)
{
    if (g->entry_bits == 0 || g->entry_bits > 9 || g->gfn_bits != 2 + 3 * g->entry_bits || g->mfn_bits > 52) return NULL;
    p2m_impl *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->geometry = *g;
    p->b = g->entry_bits;
    p->entries = 1u << g->entry_bits;
    p->gfn_limit = 1ull << g->gfn_bits;
    p->mfn_limit = 1ull << g->mfn_bits;
    p->grant_base = p->mfn_limit - g->max_grant_frames;
    p->max_range = 4ull << (2 * p->b);
    p->capacity = pool_pages;
    p->in_use = ROOT_PAGES;
    for (unsigned r = 0; r < ROOT_PAGES; r++) p->root[r] = table_new(p, 2, (uint64_t)r << (3 * p->b));
    p->identity = table_new(p, 0, 0);
    for (uint32_t k = 0; k < p->entries; k++) {
        p->identity->e[k].kind = ENTRY_LEAF;
        p->identity->e[k].bits = P2M_MMIO_DIRECT_IO;
        p->identity->e[k].identity = 1;
    }
    p->grant_gfn = malloc(sizeof(uint64_t) * (g->max_grant_frames ? g->max_grant_frames : 1));
    if (!p->grant_gfn) abort();
    for (uint32_t k = 0; k < g->max_grant_frames; k++) p->grant_gfn[k] = P2M_INVALID_FRAME;
    return p;
}

void sample_destroy(p2m_impl *p)
{
    if (!p) return;
    for (unsigned r = 0; r < ROOT_PAGES; r++) {
        for (uint32_t i = 0; i < p->entries; i++) clear_entry(p, p->root[r], i);
        free(p->root[r]->meta);
        free(p->root[r]);
    }
    free(p->identity);
    free(p->grant_gfn);
    free(p->ref_mfn);
    free(p->ref_count);
    free(p);
}
