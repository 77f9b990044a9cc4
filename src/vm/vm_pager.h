/*
 * vm_pager.h - the pager interface and its dispatch (DragonFly's
 * vm/vm_pager.h, facts sheet section 3).
 *
 * A pager is where an object's pages come from when they are not resident
 * and where dirty pages go when they are laundered.  There is no
 * per-object ops pointer: object->type alone indexes pagertab[], so
 * changing an object's type (the default pager turning an object into
 * OBJT_SWAP on its first pageout) changes its pager.
 *
 * Allocation is not in the table: each pager exports its own allocator
 * (default_pager_alloc, swap_pager_alloc, vnode_pager_alloc, ...).
 *
 * Slots: OBJT_DEFAULT -> default pager, OBJT_DEAD -> dead pager.  The
 * swap, vnode, device, management-device and phys slots are NULL until
 * their pagers exist; dispatching to an empty slot panics, except
 * vm_pager_deallocate (a pager that does not exist allocated nothing).
 */
#ifndef _VM_VM_PAGER_H_
#define _VM_VM_PAGER_H_

#include "vm/vm.h"
#include "vm/vm_object.h"

struct fault_inject;

/*
 * The four operations.  The object is held by the caller in every one.
 *
 * pgo_dealloc(object)
 *	the object is dying (vm_object_terminate): release pager state.
 * pgo_getpage(object, &m, seqaccess)
 *	fill the hard-busied page *m (the pager may replace it with another
 *	busied page at the same index).  Returns VM_PAGER_*.  May block.
 * pgo_putpages(object, m[], count, flags, rtvals[])
 *	write count busied pages (OBJPC_* flags), one VM_PAGER_* status per
 *	page in rtvals[].  May block.
 * pgo_haspage(object, pindex)
 *	TRUE if the backing store holds data for pindex.
 */
struct pagerops {
	void	(*pgo_dealloc)(vm_object_t object);
	int	(*pgo_getpage)(vm_object_t object, vm_page_t *mp,
		    int seqaccess);
	void	(*pgo_putpages)(vm_object_t object, vm_page_t *m, int count,
		    int flags, int *rtvals);
	int	(*pgo_haspage)(vm_object_t object, vm_pindex_t pindex);
};

/* Pager return codes (one error domain per layer: this is the pager's). */
#define VM_PAGER_OK	0	/* success */
#define VM_PAGER_BAD	1	/* outside the pager's range */
#define VM_PAGER_FAIL	2	/* in range, no data: next object / zero */
#define VM_PAGER_PEND	3	/* async I/O started */
#define VM_PAGER_ERROR	4	/* I/O error on existing data */
#define VM_PAGER_AGAIN	5	/* temporary shortage, try later */

/* pagertab[object->type]; entries for unwritten pagers are NULL. */
extern struct pagerops *pagertab[OBJT_MARKER + 1];
extern struct pagerops defaultpagerops;
extern struct pagerops deadpagerops;

/*
 * vm_pager_get_page - fill the hard-busied page *mp from object's pager.
 * On VM_PAGER_OK, the parts of the page the pager left invalid are
 * zero-filled and the whole page is valid.  object held; may block.
 * Returns VM_PAGER_*; VM_PAGER_ERROR when the fault injector fires.
 */
int	vm_pager_get_page(vm_object_t object, vm_page_t *mp, int seqaccess);
/*
 * vm_pager_put_pages - write count busied pages of object; rtvals[i]
 * receives page i's VM_PAGER_* status.  object held; may block.
 */
void	vm_pager_put_pages(vm_object_t object, vm_page_t *m, int count,
	    int flags, int *rtvals);
/* vm_pager_has_page - TRUE if the pager has data for pindex.  Held. */
int	vm_pager_has_page(vm_object_t object, vm_pindex_t pindex);
/*
 * vm_pager_deallocate - release the pager state of a dying object.
 * object held exclusively.  Nothing if the type has no pager yet.
 */
void	vm_pager_deallocate(vm_object_t object);

/*
 * default_pager_alloc - a new anonymous (OBJT_DEFAULT) object covering
 * size bytes from offset off; handle must be NULL.  Not held.  NULL if
 * out of host memory.
 */
vm_object_t default_pager_alloc(void *handle, vm_ooffset_t size,
	    vm_prot_t prot, vm_ooffset_t off);

/* The getpage fault injector (tests): a fired check fails getpage. */
struct fault_inject *vm_pager_getpage_fault(void);

#endif /* !_VM_VM_PAGER_H_ */
