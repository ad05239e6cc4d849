#ifndef STALL_SYSTEM_H
#define STALL_SYSTEM_H
#include <stddef.h>

/* Thin wrappers for libc calls that glibc declares only under feature macros the Swift
 * Glibc module does not set. Each returns what the wrapped call returns and leaves errno. */
int stall_posix_openpt(int flags);
int stall_grantpt(int fd);
int stall_unlockpt(int fd);
int stall_ptsname_r(int fd, char *buf, size_t buflen);

#endif
