/*
 * kern_hostmem.c - large host memory reservations (see hostmem.h).
 */
#include <sys/mman.h>

#include "kern/hostmem.h"

void *
hostmem_reserve(size_t bytes)
{
	void *p;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return (p == MAP_FAILED ? NULL : p);
}

void
hostmem_release(void *p, size_t bytes)
{
	if (p != NULL)
		munmap(p, bytes);
}
