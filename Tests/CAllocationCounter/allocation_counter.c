/* Test-only malloc wrappers. Linking this file into the test executable makes its
 * definitions of malloc, calloc, realloc, memalign, posix_memalign and aligned_alloc the
 * ones every library in the process calls (the executable's symbols come first); each
 * forwards to glibc's __libc_* entry point, which needs no dlsym and so cannot recurse. */
#include "allocation_counter.h"

#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Thread_local int counting;
static _Thread_local unsigned long allocations;

static inline void note_allocation(void) {
    if (counting) allocations++;
}

void allocation_counter_begin(void) {
    allocations = 0;
    counting = 1;
}

unsigned long allocation_counter_end(void) {
    counting = 0;
    return allocations;
}

void *malloc(size_t size) {
    note_allocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    note_allocation();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    note_allocation();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    note_allocation();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    note_allocation();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    note_allocation();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}
