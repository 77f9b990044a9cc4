/*
 * kern_hostmem.c - large host memory reservations (see hostmem.h).
 *
 * Design note.  The simulated physical memory should behave like RAM: a
 * page the VM hands out costs what touching RAM costs, not a host page
 * fault.  With 4 KiB host pages it did not: the first touch of every
 * page was a host fault (about 10 us in this VM, more than a whole
 * flyvm fault), and a reservation of gigabytes overflowed the host TLB
 * so the cost of a flyvm fault grew with the memory resident.  So a
 * reservation of at least one huge page is aligned to HOSTMEM_HUGE and
 * asks for transparent huge pages (MADV_HUGEPAGE; honoured when the
 * host's THP mode is "madvise" or "always", ignored otherwise).  It is
 * not pre-populated: a 32 GiB boot stays instant and a test that boots
 * 256 MiB but touches 1 MiB commits little more than that (one huge page
 * per 2 MiB touched).
 */
#include <stdint.h>
#include <sys/mman.h>

#include "kern/hostmem.h"

#define HOSTMEM_HUGE	((size_t)2 << 20)	/* x86-64 PMD page */

/*
 * hostmem_map - bytes of NORESERVE anonymous memory aligned to `align'
 * (a power of two): over-map, then give back the unaligned head and the
 * tail, so that hostmem_release(p, bytes) undoes it exactly.
 */
static void *
hostmem_map(size_t bytes, size_t align)
{
	uintptr_t p, a;
	void *m;

	m = mmap(NULL, bytes + align, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return (NULL);
	p = (uintptr_t)m;
	a = (p + align - 1) & ~(uintptr_t)(align - 1);
	if (a > p)
		munmap(m, a - p);
	if (p + align > a)
		munmap((void *)(a + bytes), p + align - a);
	return ((void *)a);
}

void *
hostmem_reserve(size_t bytes)
{
	void *p;

	if (bytes < HOSTMEM_HUGE) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		return (p == MAP_FAILED ? NULL : p);
	}
	p = hostmem_map(bytes, HOSTMEM_HUGE);
	if (p != NULL)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
	return (p);
}

void
hostmem_release(void *p, size_t bytes)
{
	if (p != NULL)
		munmap(p, bytes);
}
