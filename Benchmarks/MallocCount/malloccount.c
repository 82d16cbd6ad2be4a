// A malloc-counting shim for benchmarks and the allocation test (not part of any product):
//
//   cc -O2 -shared -fPIC -o /tmp/libmalloccount.so Benchmarks/MallocCount/malloccount.c -ldl
//   LD_PRELOAD=/tmp/libmalloccount.so .build/release/TrackerBench
//
// Every call that obtains heap memory (malloc, calloc, realloc, posix_memalign, aligned_alloc,
// memalign) adds one to a process-wide counter, which `long malloc_count_get(void)` returns; a
// program reads it before and after the code it measures (TrackerBench, `facestream bench`).
// malloc, calloc and realloc go to glibc's own entry points (so dlsym, which may call calloc,
// never recurses into this file); the aligned forms are looked up once with dlsym.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_long allocations;

long malloc_count_get(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

static void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) {
    counted();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    counted();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    counted();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    static int (*next)(void **, size_t, size_t);
    if (next == NULL) next = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    counted();
    return next != NULL ? next(result, alignment, size) : ENOMEM;
}

void *aligned_alloc(size_t alignment, size_t size) {
    static void *(*next)(size_t, size_t);
    if (next == NULL) next = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    counted();
    return next != NULL ? next(alignment, size) : NULL;
}
