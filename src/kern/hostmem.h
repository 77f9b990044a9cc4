/*
 * hostmem.h - large host memory reservations for the VM (physical memory,
 * vm_page_array).  VM code never includes the host's <sys/mman.h>: its
 * MADV_* and MAP_* values differ from DragonFly's, which the VM defines.
 */
#ifndef _KERN_HOSTMEM_H_
#define _KERN_HOSTMEM_H_

#include "kern/systm.h"

/*
 * hostmem_reserve - `bytes' of zeroed, private host memory that costs
 * nothing until touched (MAP_NORESERVE).  NULL if the host refuses.
 * hostmem_release - give a reservation back.  No requirements.
 */
void	*hostmem_reserve(size_t bytes);
void	hostmem_release(void *p, size_t bytes);

#endif /* !_KERN_HOSTMEM_H_ */
