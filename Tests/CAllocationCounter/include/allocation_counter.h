#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/* Counts the heap allocations made by the calling thread between begin and end.
 * The test binary's malloc family is wrapped (see allocation_counter.c): each call goes
 * to glibc's own allocator, and is counted only while the calling thread is counting,
 * so other threads and other tests are unaffected. */
void allocation_counter_begin(void);
unsigned long allocation_counter_end(void);

#endif
