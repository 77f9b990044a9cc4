/*
 * vm_map.h - address maps (DragonFly's vm/vm_map.h).
 *
 * Only struct vm_map_backing is here for now: the pmap needs it to find a
 * page's mappings through its object's backing_list.  The rest of
 * vm_map.h (vm_map, vm_map_entry, vmspace and the map operations) arrives
 * with the vm_map issue.
 *
 * A vm_map_backing is one link of a map entry's backing chain: the entry
 * embeds the first, and each backing_ba points one shadow level deeper.
 * Every link whose store is an object sits on that object's backing_list,
 * and knows the pmap and the address range it is mapped at, so the page of
 * pindex p of the object appears at
 *	va = start + (IDX_TO_OFF(p) - offset)	when start <= va < end.
 *
 * Lock legend:
 *   (m) the vm_map's lock (exclusive to write)
 *   (b) the object's backing_lk as well, for fields the pmap reads from
 *       the object side (start, end, offset, pmap, entry)
 */
#ifndef _VM_VM_MAP_H_
#define _VM_VM_MAP_H_

#include <bsd/sys/queue.h>

#include "vm/vm.h"

struct cdev;

struct vm_map_backing {
	vm_offset_t	start;		/* (m,b) start address in pmap */
	vm_offset_t	end;		/* (m,b) end address in pmap */
	struct pmap	*pmap;		/* (m,b) for vm_object extents */
	struct vm_map_backing *backing_ba; /* (m) next shadow level */
	TAILQ_ENTRY(vm_map_backing) entry; /* (b) object's backing_list */
	union {
		struct vm_object *object;	/* VM_MAPTYPE_NORMAL */
		struct vm_map	*sub_map;	/* VM_MAPTYPE_SUBMAP */
		int		(*uksmap)(struct vm_map_backing *ba, int op,
				    struct cdev *dev, vm_page_t fake);
		void		*map_object;	/* generic */
	};
	void		*aux_info;	/* (m) uksmap argument etc. */
	vm_ooffset_t	offset;		/* (m,b) offset in the store */
	uint32_t	flags;		/* (m) VM_MAP_BACK_* */
	uint32_t	backing_count;	/* (m) entries backing us */
};

#define VM_MAP_BACK_EXCL_HEUR	0x00000001U

#endif /* !_VM_VM_MAP_H_ */
