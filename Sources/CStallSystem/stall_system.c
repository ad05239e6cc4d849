#define _GNU_SOURCE
#include <stdlib.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <sys/timex.h>
#include "stall_system.h"

int stall_posix_openpt(int flags) { return posix_openpt(flags); }
int stall_grantpt(int fd) { return grantpt(fd); }
int stall_unlockpt(int fd) { return unlockpt(fd); }
int stall_ptsname_r(int fd, char *buf, size_t buflen) { return ptsname_r(fd, buf, buflen); }

int stall_clock_synchronized(void) {
    struct timex state;
    memset(&state, 0, sizeof state);
    int result = adjtimex(&state);
    if (result == -1) return -1;
    return (result != TIME_ERROR && (state.status & STA_UNSYNC) == 0) ? 1 : 0;
}

int stall_malloc_trim(void) { return malloc_trim(0); }

int stall_malloc_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
