/*
 * The sample's side of p2m_impl.h: each exported function hands over to p2m_sample.c or p2m_reads.c.
 * This is the file a wrapper of existing hypervisor code would write (docs/PLUGINS.md).
 */
#include "p2m_sample.h"

/* The counters -fsanitize-coverage=inline-8bit-counters puts in section __sancov_cntrs; the linker
 * defines these bounds when the section exists (weak: a build without coverage has none). */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak, visibility("hidden")));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak, visibility("hidden")));

/* The instrumentation's constructor registers the counters with whoever defines this (libFuzzer, a
 * sanitizer runtime); without either, this no-op keeps the library loadable. */
__attribute__((weak)) void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop)
{
    (void)start;
    (void)stop;
}

P2M_IMPL_EXPORT uint32_t p2m_impl_abi_version(void) { return P2M_IMPL_ABI_VERSION; }

P2M_IMPL_EXPORT p2m_impl *p2m_impl_create(const p2m_geometry *geometry, uint32_t pool_pages)
{
    return sample_create(geometry, pool_pages);
}

P2M_IMPL_EXPORT void p2m_impl_destroy(p2m_impl *p2m) { sample_destroy(p2m); }

P2M_IMPL_EXPORT void p2m_impl_apply(p2m_impl *p2m, const p2m_op *op, p2m_result *result) { sample_apply(p2m, op, result); }

P2M_IMPL_EXPORT void p2m_impl_read_range(p2m_impl *p2m, uint64_t start, uint64_t count, p2m_frame *frames)
{
    sample_read_range(p2m, start, count, frames);
}

P2M_IMPL_EXPORT void p2m_impl_mapped_runs(p2m_impl *p2m, p2m_run_fn emit, void *ctx) { sample_mapped_runs(p2m, emit, ctx); }

P2M_IMPL_EXPORT uint32_t p2m_impl_references(p2m_impl *p2m, uint64_t mfn) { return sample_references(p2m, mfn); }

P2M_IMPL_EXPORT void p2m_impl_held_references(p2m_impl *p2m, p2m_reference_fn emit, void *ctx)
{
    sample_held_references(p2m, emit, ctx);
}

P2M_IMPL_EXPORT uint32_t p2m_impl_grant_frames(p2m_impl *p2m) { return p2m->grant_frames; }

P2M_IMPL_EXPORT uint64_t p2m_impl_grant_gfn(p2m_impl *p2m, uint32_t frame)
{
    return frame < p2m->grant_frames ? p2m->grant_gfn[frame] : P2M_INVALID_FRAME;
}

P2M_IMPL_EXPORT void p2m_impl_read_type_storage(p2m_impl *p2m, uint64_t start, uint64_t count, p2m_type_storage *storage)
{
    sample_read_type_storage(p2m, start, count, storage);
}

P2M_IMPL_EXPORT int p2m_impl_audit(p2m_impl *p2m, uint32_t scope, p2m_violation *violation)
{
    return sample_audit(p2m, scope, violation);
}

P2M_IMPL_EXPORT uint64_t p2m_impl_audited_pages(p2m_impl *p2m) { return p2m->audited_pages; }

P2M_IMPL_EXPORT uint8_t *p2m_impl_coverage(size_t *count)
{
    if (!__start___sancov_cntrs || !__stop___sancov_cntrs) {
        *count = 0;
        return NULL;
    }
    *count = (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs);
    return __start___sancov_cntrs;
}
