#ifndef STALL_SYSTEM_H
#define STALL_SYSTEM_H
#include <stddef.h>

/* Thin wrappers for libc calls that glibc declares only under feature macros the Swift
 * Glibc module does not set. Each returns what the wrapped call returns and leaves errno. */
int stall_posix_openpt(int flags);
int stall_grantpt(int fd);
int stall_unlockpt(int fd);
int stall_ptsname_r(int fd, char *buf, size_t buflen);

/* Whether the kernel considers the system clock synchronized (an NTP client such as
 * systemd-timesyncd or chrony cleared STA_UNSYNC): 1 yes, 0 no, -1 on error (errno set).
 * Reads only: adjtimex with modes 0 changes nothing. */
int stall_clock_synchronized(void);

/* mallopt(M_ARENA_MAX, arenas): at most this many malloc arenas; returns 1 on success. */
int stall_malloc_arena_max(int arenas);

/* malloc_trim(0): returns freed heap memory to the kernel (benchmarks measure RSS). */
int stall_malloc_trim(void);

#endif
