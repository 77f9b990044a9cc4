/*
 * vm_object.c - VM objects, minimal version (DragonFly's vm/vm_object.c).
 *
 * MINIMAL: this is only what physical memory needs from objects: the
 * structure's life cycle (allocate, reference, deallocate), the hold/drop
 * protocol around the object token, and the red-black tree of resident
 * pages (generated in vm_page.c, which owns insert/remove).  The vm_object
 * issue extends this file with the object hash, the backing_list, shadow
 * chains, page cleaning and the pagers.
 *
 * Invariants:
 *   1. ref_count counts references; the last vm_object_deallocate
 *      terminates the object: OBJ_DEAD is set and every page freed (a
 *      wired page is only removed from it).
 *   2. hold_count counts holders (vm_object_hold ... vm_object_drop); the
 *      structure is freed when a dead object's last hold is dropped, so a
 *      holder may block (releasing the token) without the object vanishing.
 *   3. The token guards rb_memq, resident_page_count and generation.
 *
 * Lock order: the object token is a token (released on every block, never
 * deadlocks); it may be held while taking page and queue spinlocks.
 */
#include "kern/token.h"
#include "kern/zone.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"

static vm_zone_t vm_object_zone;
static long vm_object_live;		/* (a) allocated, not freed */
static long vm_object_next_id;		/* (a) */

/*
 * vm_object_init - create the object zone.  Called by vm_page_startup.
 */
void
vm_object_init(void)
{
	vm_object_zone = zinit("vm_object", sizeof(struct vm_object),
	    ZONE_ZERO);
	if (vm_object_zone == NULL)
		panic("vm_object_init: no host memory");
	atomic_store_long(&vm_object_live, 0);
	atomic_store_long(&vm_object_next_id, 0);
}

/*
 * vm_object_fini - destroy the zone.  Every object must be gone.
 */
void
vm_object_fini(void)
{
	KASSERT(atomic_load_long(&vm_object_live) == 0,
	    ("vm_object_fini: %ld objects left", vm_object_live));
	zdestroy(vm_object_zone);
	vm_object_zone = NULL;
}

/*
 * vm_object_allocate - see vm_object.h.  Entered thread; never blocks.
 */
vm_object_t
vm_object_allocate(objtype_t type, vm_pindex_t size)
{
	vm_object_t obj;

	obj = zalloc(vm_object_zone);
	if (obj == NULL)
		return (NULL);
	lwkt_token_init(&obj->token, "vmobj");
	lockinit(&obj->backing_lk, "baclk", 0, 0);
	TAILQ_INIT(&obj->backing_list);
	RB_INIT(&obj->rb_memq);
	RB_INIT(&obj->swblock_root);
	obj->size = size;
	obj->ref_count = 1;
	obj->type = type;
	obj->memattr = VM_MEMATTR_DEFAULT;
	obj->pg_color = vm_quickcolor();
	obj->id = atomic_fetchadd_long(&vm_object_next_id, 1) + 1;
	atomic_add_long(&vm_object_live, 1);
	return (obj);
}

/*
 * vm_object_allocate_hold - see vm_object.h.  May block (hold).
 */
vm_object_t
vm_object_allocate_hold(objtype_t type, vm_pindex_t size)
{
	vm_object_t obj = vm_object_allocate(type, size);

	if (obj != NULL)
		vm_object_hold(obj);
	return (obj);
}

/*
 * vm_object_free - give a dead object's structure back.  Last hold gone.
 */
static void
vm_object_free(vm_object_t obj)
{
	KASSERT(obj->resident_page_count == 0 && RB_EMPTY(&obj->rb_memq),
	    ("vm_object_free: %p still has pages", obj));
	lwkt_token_uninit(&obj->token);
	lockuninit(&obj->backing_lk);
	zfree(vm_object_zone, obj);
	atomic_subtract_long(&vm_object_live, 1);
}

/*
 * vm_object_unhold - drop a hold count; the last one of a dead object
 * frees it.  The token is not held by the caller (any more).
 */
static void
vm_object_unhold(vm_object_t obj)
{
	int dead = (atomic_load_relaxed(&obj->flags) & OBJ_DEAD) != 0;

	KASSERT(atomic_load_relaxed(&obj->hold_count) > 0, ("vm_object_unhold: %p not held", obj));
	if (atomic_fetchadd_int(&obj->hold_count, -1) == 1 && dead)
		vm_object_free(obj);
}

/*
 * vm_object_hold - bump hold_count, then take the token exclusively.
 * No spinlocks held; may block.
 */
void
vm_object_hold(vm_object_t obj)
{
	KASSERT(obj != NULL, ("vm_object_hold: NULL"));
	atomic_add_int(&obj->hold_count, 1);
	lwkt_gettoken(&obj->token);
}

/*
 * vm_object_hold_shared - the same, token shared.  May block.
 */
void
vm_object_hold_shared(vm_object_t obj)
{
	KASSERT(obj != NULL, ("vm_object_hold_shared: NULL"));
	atomic_add_int(&obj->hold_count, 1);
	lwkt_gettoken_shared(&obj->token);
}

/*
 * vm_object_hold_try - hold the object exclusively if that needs no
 * blocking.  Returns TRUE if held.  Never blocks.
 */
int
vm_object_hold_try(vm_object_t obj)
{
	atomic_add_int(&obj->hold_count, 1);
	if (lwkt_trytoken(&obj->token))
		return (TRUE);
	vm_object_unhold(obj);
	return (FALSE);
}

/*
 * vm_object_drop - release the token acquisition and the hold taken by a
 * vm_object_hold*.  Never blocks.  A dead object's last drop frees it.
 */
void
vm_object_drop(vm_object_t obj)
{
	ASSERT_LWKT_TOKEN_HELD(&obj->token);
	lwkt_reltoken(&obj->token);
	vm_object_unhold(obj);
}

/*
 * vm_object_reference_locked - add a reference.  Object held.
 */
void
vm_object_reference_locked(vm_object_t obj)
{
	VM_OBJECT_ASSERT_HELD(obj);
	KASSERT(atomic_load_relaxed(&obj->ref_count) > 0, ("vm_object_reference: %p dead", obj));
	atomic_add_int(&obj->ref_count, 1);
}

/*
 * vm_object_reference_quick - add a reference to an object the caller
 * already references.  No requirements.
 */
void
vm_object_reference_quick(vm_object_t obj)
{
	KASSERT(atomic_load_relaxed(&obj->ref_count) > 0,
	    ("vm_object_reference_quick: %p dead", obj));
	atomic_add_int(&obj->ref_count, 1);
}

/*
 * vm_object_terminate - the last reference is gone: mark the object dead
 * and free its pages, waiting for busy ones.  Object held exclusively;
 * may block.
 */
static void
vm_object_terminate(vm_object_t obj)
{
	vm_page_t m;

	VM_OBJECT_ASSERT_HELD_EXCL(obj);
	vm_object_set_flag(obj, OBJ_DEAD);
	while ((m = RB_MIN(vm_page_rb_tree, &obj->rb_memq)) != NULL) {
		if (vm_page_busy_try(m, TRUE)) {
			vm_page_sleep_busy(m, TRUE, "objtrm");
			continue;
		}
		if (atomic_load_relaxed(&m->wire_count) != 0) {
			vm_page_remove(m);
			vm_page_wakeup(m);
		} else {
			vm_page_free(m);
		}
	}
}

/*
 * vm_object_deallocate - drop a reference; the last one terminates the
 * object (its pages are freed, the structure goes with the last hold).
 * NULL is ignored.  No spinlocks held; may block.
 */
void
vm_object_deallocate(vm_object_t obj)
{
	if (obj == NULL)
		return;
	vm_object_hold(obj);
	KASSERT(atomic_load_relaxed(&obj->ref_count) > 0, ("vm_object_deallocate: %p dead", obj));
	if (atomic_fetchadd_int(&obj->ref_count, -1) == 1)
		vm_object_terminate(obj);
	vm_object_drop(obj);
}

/*
 * vm_object_set_writeable_dirty - see vm_object.h.
 */
void
vm_object_set_writeable_dirty(vm_object_t obj)
{
	vm_object_set_flag(obj, OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY);
}

/* vm_object_alloc_fault - the object zone's injector.  No requirements. */
struct fault_inject *
vm_object_alloc_fault(void)
{
	return (zone_fault(vm_object_zone));
}

/* vm_object_count - live objects.  No requirements. */
long
vm_object_count(void)
{
	return (atomic_load_long(&vm_object_live));
}
