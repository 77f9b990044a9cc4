/*
 * vm_pager.c - pager dispatch, the default pager and the dead pager
 * (DragonFly's vm/vm_pager.c, default_pager.c and the dead pager).
 *
 * Design note.
 *   1. pagertab[] is indexed by object->type; the object carries no ops
 *      pointer of its own.
 *   2. The wrappers are the only callers of the ops, so the zero-fill of
 *      a partly valid page after a successful getpage and the fault
 *      injector live in one place.
 *   3. The default pager backs anonymous memory that was never paged
 *      out: nothing is ever on its backing store, so getpage FAILs (the
 *      fault then zero-fills) and haspage is FALSE.
 *   4. The dead pager backs terminated objects: nothing can be read or
 *      written; putpages answers AGAIN so the pageout code keeps the page.
 */
#include "kern/fault_inject.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_pager.h"

static struct fault_inject vm_pager_getpage_fi;

/*
 * vm_pager_ops - the ops for object's type.  Panics on an empty slot
 * (a pager that does not exist yet cannot have created the object).
 */
static struct pagerops *
vm_pager_ops(vm_object_t object)
{
	struct pagerops *ops;

	KASSERT(object->type <= OBJT_MARKER,
	    ("vm_pager_ops: %p has bad type %d", object, object->type));
	ops = pagertab[object->type];
	if (ops == NULL)
		panic("vm_pager: no pager for object %p type %d", object,
		    object->type);
	return (ops);
}

/* vm_pager_get_page - see vm_pager.h. */
int
vm_pager_get_page(vm_object_t object, vm_page_t *mp, int seqaccess)
{
	int r;

	VM_OBJECT_ASSERT_HELD(object);
	KASSERT(vm_page_busied(*mp), ("vm_pager_get_page: %p not busy", *mp));
	if (fault_inject_check(&vm_pager_getpage_fi))
		return (VM_PAGER_ERROR);
	r = vm_pager_ops(object)->pgo_getpage(object, mp, seqaccess);
	if (r == VM_PAGER_OK &&
	    atomic_load_relaxed(&(*mp)->valid) != VM_PAGE_BITS_ALL)
		vm_page_zero_invalid(*mp, TRUE);
	return (r);
}

/* vm_pager_put_pages - see vm_pager.h. */
void
vm_pager_put_pages(vm_object_t object, vm_page_t *m, int count, int flags,
    int *rtvals)
{
	VM_OBJECT_ASSERT_HELD(object);
	KASSERT(count > 0, ("vm_pager_put_pages: count %d", count));
	vm_pager_ops(object)->pgo_putpages(object, m, count, flags, rtvals);
}

/* vm_pager_has_page - see vm_pager.h. */
int
vm_pager_has_page(vm_object_t object, vm_pindex_t pindex)
{
	VM_OBJECT_ASSERT_HELD(object);
	return (vm_pager_ops(object)->pgo_haspage(object, pindex));
}

/* vm_pager_deallocate - see vm_pager.h. */
void
vm_pager_deallocate(vm_object_t object)
{
	struct pagerops *ops;

	VM_OBJECT_ASSERT_HELD_EXCL(object);
	ops = pagertab[object->type];
	if (ops != NULL)
		ops->pgo_dealloc(object);
}

/* vm_pager_getpage_fault - the getpage injector.  No requirements. */
struct fault_inject *
vm_pager_getpage_fault(void)
{
	return (&vm_pager_getpage_fi);
}

/*
 * pager_fill_rtvals - set every rtvals[] entry to code.  No requirements.
 */
static void
pager_fill_rtvals(int *rtvals, int count, int code)
{
	int i;

	for (i = 0; i < count; i++)
		rtvals[i] = code;
}

/*
 * ------------------------------------------------------------------
 * The default pager.
 * ------------------------------------------------------------------
 */

/* default_pager_alloc - see vm_pager.h.  Never blocks. */
vm_object_t
default_pager_alloc(void *handle, vm_ooffset_t size, vm_prot_t prot,
    vm_ooffset_t off)
{
	KASSERT(handle == NULL, ("default_pager_alloc: handle %p", handle));
	return (vm_object_allocate(OBJT_DEFAULT,
	    OFF_TO_IDX(round_page(size + (off & PAGE_MASK)))));
}

/*
 * Neither the default nor the dead pager ever has data: nothing was
 * written to swap for a default object, and a dead object is gone.  So
 * both share dealloc (no swap blocks may exist), getpage (FAIL: the fault
 * zero-fills) and haspage (FALSE).
 */
static void
pager_nodata_dealloc(vm_object_t object)
{
	KASSERT(object->swblock_count == 0,
	    ("pager dealloc: %p type %d has swap blocks", object,
	    object->type));
}

static int
pager_nodata_getpage(vm_object_t object, vm_page_t *mp, int seqaccess)
{
	return (VM_PAGER_FAIL);
}

static int
pager_nodata_haspage(vm_object_t object, vm_pindex_t pindex)
{
	return (FALSE);
}

/*
 * default_pager_putpages - laundering an anonymous page is where an
 * object becomes OBJT_SWAP (swap_pager_putpages converts it).  Until the
 * swap pager exists, every page fails, so the pageout code keeps it dirty.
 */
static void
default_pager_putpages(vm_object_t object, vm_page_t *m, int count,
    int flags, int *rtvals)
{
	pager_fill_rtvals(rtvals, count, VM_PAGER_FAIL);
}

struct pagerops defaultpagerops = {
	.pgo_dealloc = pager_nodata_dealloc,
	.pgo_getpage = pager_nodata_getpage,
	.pgo_putpages = default_pager_putpages,
	.pgo_haspage = pager_nodata_haspage,
};

/*
 * ------------------------------------------------------------------
 * The dead pager.
 * ------------------------------------------------------------------
 */

/* dead_pager_putpages - nothing can be written: the caller keeps them. */
static void
dead_pager_putpages(vm_object_t object, vm_page_t *m, int count, int flags,
    int *rtvals)
{
	pager_fill_rtvals(rtvals, count, VM_PAGER_AGAIN);
}

struct pagerops deadpagerops = {
	.pgo_dealloc = pager_nodata_dealloc,
	.pgo_getpage = pager_nodata_getpage,
	.pgo_putpages = dead_pager_putpages,
	.pgo_haspage = pager_nodata_haspage,
};

/* The swap, vnode, device and phys pagers fill their slots later. */
struct pagerops *pagertab[OBJT_MARKER + 1] = {
	[OBJT_DEFAULT] = &defaultpagerops,
	[OBJT_SWAP] = NULL,
	[OBJT_VNODE] = NULL,
	[OBJT_DEVICE] = NULL,
	[OBJT_MGTDEVICE] = NULL,
	[OBJT_PHYS] = NULL,
	[OBJT_DEAD] = &deadpagerops,
	[OBJT_MARKER] = NULL,
};
