/*
 * Broken native plugins for the harness's tests (NativePluginErrorTests), one per define:
 *   BROKEN_VERSION  every symbol of p2m_impl.h, but an ABI version this harness does not speak
 *   BROKEN_MISSING  no p2m_impl_apply
 *   BROKEN_CRASH    dies (SIGSEGV) in its constructor, while it is being loaded
 *   BROKEN_UB       built with ASan and UBSan: p2m_impl_create overflows a signed int, which UBSan reports
 * None of them is ever asked to apply an operation.
 */
#include <stdlib.h>

#include "p2m_impl.h"

#ifdef BROKEN_CRASH
__attribute__((constructor)) static void crash_on_load(void) { *(volatile int *)(size_t)8 = 1; }
#endif

P2M_IMPL_EXPORT uint32_t p2m_impl_abi_version(void)
{
#ifdef BROKEN_VERSION
    return P2M_IMPL_ABI_VERSION + 1;
#else
    return P2M_IMPL_ABI_VERSION;
#endif
}

P2M_IMPL_EXPORT p2m_impl *p2m_impl_create(const p2m_geometry *geometry, uint32_t pool_pages)
{
    (void)geometry;
#ifdef BROKEN_UB
    volatile int pages = (int)pool_pages;
    pages = pages + 0x7fffffff; /* pool_pages is at least 1: signed overflow */
    return (p2m_impl *)(size_t)(pages == 0);
#else
    (void)pool_pages;
    return NULL;
#endif
}

P2M_IMPL_EXPORT void p2m_impl_destroy(p2m_impl *p2m) { (void)p2m; }

#ifndef BROKEN_MISSING
P2M_IMPL_EXPORT void p2m_impl_apply(p2m_impl *p2m, const p2m_op *op, p2m_result *result)
{
    (void)p2m;
    (void)op;
    (void)result;
    abort();
}
#endif

P2M_IMPL_EXPORT void p2m_impl_read_range(p2m_impl *p2m, uint64_t start, uint64_t count, p2m_frame *frames)
{
    (void)p2m, (void)start, (void)count, (void)frames;
    abort();
}

P2M_IMPL_EXPORT void p2m_impl_mapped_runs(p2m_impl *p2m, p2m_run_fn emit, void *ctx)
{
    (void)p2m, (void)emit, (void)ctx;
    abort();
}

P2M_IMPL_EXPORT uint32_t p2m_impl_references(p2m_impl *p2m, uint64_t mfn)
{
    (void)p2m, (void)mfn;
    abort();
}

P2M_IMPL_EXPORT void p2m_impl_held_references(p2m_impl *p2m, p2m_reference_fn emit, void *ctx)
{
    (void)p2m, (void)emit, (void)ctx;
    abort();
}

P2M_IMPL_EXPORT uint32_t p2m_impl_grant_frames(p2m_impl *p2m)
{
    (void)p2m;
    abort();
}

P2M_IMPL_EXPORT uint64_t p2m_impl_grant_gfn(p2m_impl *p2m, uint32_t frame)
{
    (void)p2m, (void)frame;
    abort();
}
