/*
 * zone.h - fixed-size object allocators with per-CPU caches (DragonFly's
 * zone / objcache).
 *
 * zalloc() first takes an object from the calling CPU's magazine, touched
 * only by the thread on that CPU, so the fast path takes no lock and shares
 * no cache line.  An empty magazine is refilled from the zone's depot
 * (spinlock), and an empty depot from a new slab from the host allocator.
 * zfree() puts the object back in the CPU's magazine, spilling half of a
 * full magazine to the depot.  Slabs go back to the host at zdestroy().
 *
 * Debug builds fill freed objects with 0xdeadc0de junk (zalloc checks the
 * fill is intact: a write after free panics), panic on a double free or a
 * free to the wrong zone, and panic in zdestroy() if objects are in use.
 *
 * Each zone has a fault injector (fault_inject.h): tests make the Nth
 * zalloc() fail and check that callers recover.
 */
#ifndef _KERN_ZONE_H_
#define _KERN_ZONE_H_

#include "kern/systm.h"
#include "kern/fault_inject.h"

struct vm_zone;
typedef struct vm_zone *vm_zone_t;

#define ZONE_ZERO	0x0001	/* zalloc returns zeroed objects */

/*
 * zinit - create a zone of objects of `size' bytes (rounded up to 16).
 * Returns NULL if the host is out of memory.  No requirements.
 */
vm_zone_t zinit(const char *name, size_t size, int flags);
/*
 * zdestroy - free the zone and its slabs.  Every object must have been
 * freed (panics otherwise in debug builds).
 */
void	zdestroy(vm_zone_t z);
/*
 * zalloc - allocate one object.  The caller must be a flyvm thread.
 * Never blocks.  Returns NULL when the host is out of memory or the
 * zone's fault injector fires.
 */
void	*zalloc(vm_zone_t z);
/* zfree - return an object from zalloc(z).  Never blocks. */
void	zfree(vm_zone_t z, void *item);

long	zone_inuse(vm_zone_t z);	/* objects allocated, not freed */
struct fault_inject *zone_fault(vm_zone_t z);

#endif /* !_KERN_ZONE_H_ */
