/*
 * pmap.h - the machine-dependent layer the VM drives (DragonFly's vm/pmap.h,
 * facts sheet section 6), implemented by the software MMU in src/pmap/.
 *
 * Modern DragonFly keeps no per-page pv lists: a page's mappings are found
 * through its object's backing_list (each vm_map_backing knows its pmap and
 * address range).  struct md_page only counts mappings so that
 * PG_MAPPED / PG_MAPPEDMULTI / PG_WRITEABLE can be kept right.
 */
#ifndef _VM_PMAP_H_
#define _VM_PMAP_H_

#include "vm/vm.h"

struct md_page {
	int32_t	pmap_count;		/* (a) ptes mapping the page */
	int32_t	writeable_count;	/* (a) writeable ptes */
};

/* The rest of the pmap interface arrives with the software MMU issue. */

#endif /* !_VM_PMAP_H_ */
