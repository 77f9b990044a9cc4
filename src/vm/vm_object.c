/*
 * vm_object.c - VM objects (DragonFly's vm/vm_object.c).
 *
 * Design note.  An object owns a set of resident pages (a red-black tree
 * keyed by pindex) and names the pager that supplies the rest
 * (pagertab[type], vm_pager.c).  Map entries reach an object through
 * vm_map_backing links, which sit on the object's backing_list so that
 * the pmap can find every mapping of an object's page.  Every live object
 * is also on one bucket of the object hash, for enumeration and audits.
 *
 * Life cycle:
 *
 *   vm_object_allocate       last vm_object_deallocate       last drop
 *   -----------------> ALIVE ------------------------> DEAD ---------> freed
 *                      ref_count >= 1    (terminate:  ref_count == 0,
 *                      on the hash        pages freed, off the hash,
 *                                         pager gone)  hold_count == 0
 *
 * Invariants:
 *   1. ref_count counts references (map entries, pagers, callers).  It
 *      goes 1 -> 0 only under the exclusive token, and that transition
 *      alone calls vm_object_terminate.  Above 3, deallocate decrements
 *      without the token (the fast path): it cannot be the last.
 *   2. hold_count counts holders (vm_object_hold ... vm_object_drop).  It
 *      is raised before the token is taken and lowered after it is
 *      released, so the structure outlives any sleep of a holder.
 *      Terminate adds VM_OBJECT_HOLD_DEAD to it; the decrement that leaves
 *      only that bit frees the structure, so exactly one thread frees and
 *      nobody touches the object after its own decrement.
 *   3. OBJ_DEAD is set once, by terminate, with the token held
 *      exclusively; a dead object has ref_count 0, no pages once terminate
 *      returns, is off the hash, and gains no new references.
 *   4. The token guards rb_memq, resident_page_count, generation, size
 *      and type.  resident_page_count is the number of pages in rb_memq;
 *      each has m->object == this object.  rb_max is the page with the
 *      highest index (NULL when there is none); rb_cursor is NULL or a
 *      page in rb_memq.
 *   5. paging_in_progress counts operations that must finish before the
 *      object dies; terminate waits for it to drain.
 *   6. OBJ_ONEMAPPING (DEFAULT/SWAP only) means each pindex is mapped by
 *      at most one map entry.  It is set at allocation and only cleared
 *      afterwards (by the map code); a reference count of 1 does not allow
 *      setting it again, since shared vm_map_backing chains may still
 *      reach the object.
 *   7. backing_list holds the vm_map_backing links whose object is this
 *      one; it changes only under backing_lk held exclusively.
 *
 * Lock order (outermost first):
 *   object token -> backing_lk -> page spin -> page queue spin.
 * Tokens never deadlock (they are released whenever the holder blocks),
 * so the token may be taken anywhere.  A page busy is a sleep lock: a
 * thread holding a busied page may take backing_lk (vm_page_protect does,
 * through the pmap), so a thread holding backing_lk may only try-busy
 * pages, never sleep on one.
 */
#include "kern/lockorder.h"
#include "kern/refcount.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "kern/token.h"
#include "kern/zone.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_pager.h"

/* Two primes spread object addresses over the buckets. */
#define VMOBJ_HASH_PRIME1	66555444443333333ULL
#define VMOBJ_HASH_PRIME2	989042931893ULL
#define VMOBJ_HMASK		(VMOBJ_HSIZE - 1)

/* Pages freed between yields while terminating a large object. */
#define VM_OBJECT_YIELD_PAGES	64

/* deallocate's lockless fast path applies above this count. */
#define VM_OBJECT_FASTREF_MIN	3

_Static_assert(MADV_WILLNEED == 3 && MADV_DONTNEED == 4 && MADV_FREE == 5,
    "vm_object.c must see DragonFly's madvise values");

struct vm_object_hash vm_object_hash[VMOBJ_HSIZE];

static vm_zone_t vm_object_zone;
static long vm_object_live;		/* (a) allocated, not freed */
static long vm_object_next_id;		/* (a) */

/*
 * vmobj_hash - the bucket of obj.  No requirements.
 */
static struct vm_object_hash *
vmobj_hash(vm_object_t obj)
{
	uintptr_t p = (uintptr_t)obj;
	uint64_t h1, h2;

	h1 = (p + (p >> 18)) % VMOBJ_HASH_PRIME1;
	h2 = ((p >> 8) + (p >> 24)) % VMOBJ_HASH_PRIME2;
	return (&vm_object_hash[(h1 ^ h2) & VMOBJ_HMASK]);
}

/*
 * vm_object_init - create the object zone and the hash, and declare
 * backing_lk before the page spinlock to the lock-order checker.  Called
 * by vm_page_startup.
 */
void
vm_object_init(void)
{
	int i;

	vm_object_zone = zinit("vm_object", sizeof(struct vm_object),
	    ZONE_ZERO);
	if (vm_object_zone == NULL)
		panic("vm_object_init: no host memory");
	for (i = 0; i < VMOBJ_HSIZE; i++) {
		TAILQ_INIT(&vm_object_hash[i].list);
		lwkt_token_init(&vm_object_hash[i].token, "vmobjhash");
	}
	atomic_store_long(&vm_object_live, 0);
	atomic_store_long(&vm_object_next_id, 0);
	lockorder_declare("baclk", "vm_page");
}

/*
 * vm_object_fini - destroy the zone and the hash.  Every object must be
 * gone.
 */
void
vm_object_fini(void)
{
	int i;

	KASSERT(atomic_load_long(&vm_object_live) == 0,
	    ("vm_object_fini: %ld objects left", vm_object_live));
	for (i = 0; i < VMOBJ_HSIZE; i++) {
		KASSERT(TAILQ_EMPTY(&vm_object_hash[i].list),
		    ("vm_object_fini: bucket %d not empty", i));
		lwkt_token_uninit(&vm_object_hash[i].token);
	}
	zdestroy(vm_object_zone);
	vm_object_zone = NULL;
}

/*
 * ===================================================================
 * Token wrappers
 * ===================================================================
 */

/* vm_object_lock - see vm_object.h.  May block. */
void
vm_object_lock(vm_object_t obj)
{
	lwkt_gettoken(&obj->token);
}

/* vm_object_lock_shared - see vm_object.h.  May block. */
void
vm_object_lock_shared(vm_object_t obj)
{
	lwkt_gettoken_shared(&obj->token);
}

/* vm_object_lock_try - see vm_object.h.  Never blocks. */
int
vm_object_lock_try(vm_object_t obj)
{
	return (lwkt_trytoken(&obj->token));
}

/* vm_object_unlock - see vm_object.h.  Token held; never blocks. */
void
vm_object_unlock(vm_object_t obj)
{
	ASSERT_LWKT_TOKEN_HELD(&obj->token);
	lwkt_reltoken(&obj->token);
}

/*
 * vm_object_upgrade - shared -> exclusive, through a release: the caller
 * must re-validate anything it saw before (even if it already held the
 * token exclusively, since it is released all the same).  Token held;
 * may block.
 */
void
vm_object_upgrade(vm_object_t obj)
{
	ASSERT_LWKT_TOKEN_HELD(&obj->token);
	lwkt_reltoken(&obj->token);
	lwkt_gettoken(&obj->token);
}

/*
 * vm_object_downgrade - exclusive -> shared, through a release.  Token
 * held exclusively; may block.
 */
void
vm_object_downgrade(vm_object_t obj)
{
	VM_OBJECT_ASSERT_HELD_EXCL(obj);
	lwkt_reltoken(&obj->token);
	lwkt_gettoken_shared(&obj->token);
}

/*
 * ===================================================================
 * Allocation, hold and drop
 * ===================================================================
 */

/*
 * vm_object_hash_insert / _remove - put obj on / take it off its bucket.
 * May block on the bucket token.
 */
static void
vm_object_hash_insert(vm_object_t obj)
{
	struct vm_object_hash *hash = vmobj_hash(obj);

	lwkt_gettoken(&hash->token);
	TAILQ_INSERT_TAIL(&hash->list, obj, object_entry);
	lwkt_reltoken(&hash->token);
}

static void
vm_object_hash_remove(vm_object_t obj)
{
	struct vm_object_hash *hash = vmobj_hash(obj);

	lwkt_gettoken(&hash->token);
	TAILQ_REMOVE(&hash->list, obj, object_entry);
	lwkt_reltoken(&hash->token);
}

/*
 * vm_object_setup - initialize a zeroed object of `type' and `size' with
 * one reference.  Nothing else can see it yet.  Never blocks.
 */
static void
vm_object_setup(vm_object_t obj, objtype_t type, vm_pindex_t size)
{
	KASSERT(type < OBJT_MARKER, ("vm_object_setup: type %d", type));
	lwkt_token_init(&obj->token, "vmobj");
	lockinit(&obj->backing_lk, "baclk", 0, 0);
	TAILQ_INIT(&obj->backing_list);
	RB_INIT(&obj->rb_memq);
	obj->rb_max = NULL;
	obj->rb_cursor = NULL;
	RB_INIT(&obj->swblock_root);
	obj->size = size;
	obj->ref_count = 1;
	obj->type = type;
	obj->memattr = VM_MEMATTR_DEFAULT;
	if (type == OBJT_DEFAULT || type == OBJT_SWAP)
		obj->flags = OBJ_ONEMAPPING;
	obj->pg_color = vm_quickcolor();
	obj->id = atomic_fetchadd_long(&vm_object_next_id, 1) + 1;
	pmap_object_init(obj);
}

/*
 * vm_object_allocate_hold - see vm_object.h.  The object is held before
 * it goes on the hash, so an enumerator cannot lock it half-built.
 */
vm_object_t
vm_object_allocate_hold(objtype_t type, vm_pindex_t size)
{
	vm_object_t obj;

	obj = zalloc(vm_object_zone);
	if (obj == NULL)
		return (NULL);
	vm_object_setup(obj, type, size);
	atomic_add_long(&vm_object_live, 1);
	vm_object_hold(obj);
	vm_object_hash_insert(obj);
	return (obj);
}

/* vm_object_allocate - see vm_object.h. */
vm_object_t
vm_object_allocate(objtype_t type, vm_pindex_t size)
{
	vm_object_t obj = vm_object_allocate_hold(type, size);

	if (obj != NULL)
		vm_object_drop(obj);
	return (obj);
}

/*
 * vm_object_free - give a dead object's structure back.  Its last hold
 * is gone, so no thread can reach it.  Never blocks.
 */
static void
vm_object_free(vm_object_t obj)
{
	KASSERT(obj->resident_page_count == 0 && RB_EMPTY(&obj->rb_memq),
	    ("vm_object_free: %p still has pages", obj));
	KASSERT(TAILQ_EMPTY(&obj->backing_list),
	    ("vm_object_free: %p still on a backing chain", obj));
	lwkt_token_uninit(&obj->token);
	lockuninit(&obj->backing_lk);
	zfree(vm_object_zone, obj);
	atomic_subtract_long(&vm_object_live, 1);
}

/*
 * vm_object_unhold - drop a hold count; the last one of a dead object
 * frees it.  Whether the object is dead is read in the same atomic
 * operation (the VM_OBJECT_HOLD_DEAD bit terminate puts in the count):
 * reading OBJ_DEAD afterwards would touch an object another thread may
 * already have freed.  The caller no longer holds the token and does not
 * touch the object after this.  Never blocks.
 */
static void
vm_object_unhold(vm_object_t obj)
{
	int old;

	old = atomic_fetchadd_int(&obj->hold_count, -1);
	KASSERT((old & ~VM_OBJECT_HOLD_DEAD) > 0,
	    ("vm_object_unhold: %p not held", obj));
	if (old == (VM_OBJECT_HOLD_DEAD | 1))
		vm_object_free(obj);
}

/*
 * vm_object_hold - see vm_object.h.  No spinlocks held; may block.
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
 * vm_object_hold_try - see vm_object.h.  Never blocks.  Returns TRUE if
 * the object is now held exclusively.
 */
int
vm_object_hold_try(vm_object_t obj)
{
	KASSERT(obj != NULL, ("vm_object_hold_try: NULL"));
	atomic_add_int(&obj->hold_count, 1);
	if (lwkt_trytoken(&obj->token))
		return (TRUE);
	vm_object_unhold(obj);
	return (FALSE);
}

/*
 * vm_object_drop - release the token acquisition and the hold taken by a
 * vm_object_hold*.  Held; never blocks.  A dead object's last drop frees
 * it.
 */
void
vm_object_drop(vm_object_t obj)
{
	ASSERT_LWKT_TOKEN_HELD(&obj->token);
	lwkt_reltoken(&obj->token);
	vm_object_unhold(obj);
}

/*
 * ===================================================================
 * References
 * ===================================================================
 */

/*
 * vm_object_reference_locked - add a reference.  Object held (shared is
 * enough: the count is atomic).  Never blocks.
 */
void
vm_object_reference_locked(vm_object_t obj)
{
	VM_OBJECT_ASSERT_HELD(obj);
	KASSERT(atomic_load_relaxed(&obj->ref_count) > 0,
	    ("vm_object_reference_locked: %p dead", obj));
	atomic_add_int(&obj->ref_count, 1);
}

/*
 * vm_object_reference_quick - add a reference to an object the caller
 * already references.  No requirements; never blocks.
 */
void
vm_object_reference_quick(vm_object_t obj)
{
	KASSERT(atomic_load_relaxed(&obj->ref_count) > 0,
	    ("vm_object_reference_quick: %p dead", obj));
	atomic_add_int(&obj->ref_count, 1);
}

/*
 * vm_object_deallocate_locked - drop one reference; the last terminates
 * the object (invariant 1).  Held exclusively; may block when it is the
 * last.  The caller's hold keeps the structure until its drop.
 */
void
vm_object_deallocate_locked(vm_object_t obj)
{
	int count;

	VM_OBJECT_ASSERT_HELD_EXCL(obj);
	count = atomic_load_int(&obj->ref_count);
	for (;;) {
		KASSERT(count > 0, ("vm_object_deallocate: %p dead", obj));
		if (atomic_fcmpset_int(&obj->ref_count, &count, count - 1))
			break;
	}
	if (count == 1 && (atomic_load_int(&obj->flags) & OBJ_DEAD) == 0)
		vm_object_terminate(obj);
}

/*
 * vm_object_deallocate - see vm_object.h.  Counts above
 * VM_OBJECT_FASTREF_MIN drop without the token, so widely shared objects
 * do not serialize on it; lower counts might reach zero and go through
 * the held path.  No spinlocks held; may block.
 */
void
vm_object_deallocate(vm_object_t obj)
{
	int count;

	if (obj == NULL)
		return;
	count = atomic_load_int(&obj->ref_count);
	while (count > VM_OBJECT_FASTREF_MIN) {
		if (atomic_fcmpset_int(&obj->ref_count, &count, count - 1))
			return;
	}
	vm_object_hold(obj);
	vm_object_deallocate_locked(obj);
	vm_object_drop(obj);
}

/*
 * ===================================================================
 * Paging in progress
 * ===================================================================
 */

/* vm_object_pip_add - n more operations in progress.  Never blocks. */
void
vm_object_pip_add(vm_object_t obj, int n)
{
	KASSERT(n > 0, ("vm_object_pip_add: %d", n));
	atomic_add_int(&obj->paging_in_progress, (unsigned int)n);
}

/*
 * vm_object_pip_wakeup - one operation finished; the last wakes waiters.
 * Never blocks.
 */
void
vm_object_pip_wakeup(vm_object_t obj)
{
	refcount_release_wakeup(&obj->paging_in_progress);
}

/* vm_object_pip_wakeup_n - n operations finished.  Never blocks. */
void
vm_object_pip_wakeup_n(vm_object_t obj, int n)
{
	while (n-- > 0)
		vm_object_pip_wakeup(obj);
}

/*
 * vm_object_pip_wait - sleep until no operation is in progress.  No
 * spinlocks held; may block, releasing every token (the caller must keep
 * the object alive with a hold or a reference).
 */
void
vm_object_pip_wait(vm_object_t obj, const char *waitid)
{
	refcount_wait(&obj->paging_in_progress, waitid);
}

/*
 * ===================================================================
 * Page scans: terminate and page_remove
 * ===================================================================
 */

/*
 * vm_object_page_nfind - the first page at or after pindex, or NULL.
 * Object held; never blocks.
 */
static vm_page_t
vm_object_page_nfind(vm_object_t obj, vm_pindex_t pindex)
{
	struct vm_page key;

	VM_OBJECT_ASSERT_HELD(obj);
	key.pindex = pindex;
	return (RB_NFIND(vm_page_rb_tree, &obj->rb_memq, &key));
}

/*
 * vm_object_busy_page - hard-busy m, a page of a held object.  If it is
 * busy, wait for it and return FALSE: the tree may have changed meanwhile
 * and the caller must look again.  Held exclusively; may block.
 */
static int
vm_object_busy_page(vm_page_t m, const char *wmesg)
{
	if (vm_page_busy_try(m, TRUE) == 0)
		return (TRUE);
	vm_page_sleep_busy(m, TRUE, wmesg);
	return (FALSE);
}

/*
 * vm_object_terminate_page - dispose of one busied page of a dying
 * object: an unwired page is unmapped and freed; a wired page belongs to
 * its wirer and is only taken out of the object.  Held exclusively; may
 * block.
 */
static void
vm_object_terminate_page(vm_page_t m)
{
	if (atomic_load_relaxed(&m->wire_count) != 0) {
		vm_page_remove(m);
		vm_page_wakeup(m);
		return;
	}
	vm_page_protect(m, VM_PROT_NONE);
	vm_page_free(m);
}

/*
 * vm_object_terminate_pages - free every page, waiting for busy ones and
 * yielding now and then.  Held exclusively; may block.
 */
static void
vm_object_terminate_pages(vm_object_t obj)
{
	vm_page_t m;
	int n = 0;

	while ((m = RB_MIN(vm_page_rb_tree, &obj->rb_memq)) != NULL) {
		if (!vm_object_busy_page(m, "objtrm"))
			continue;
		vm_object_terminate_page(m);
		if (++n % VM_OBJECT_YIELD_PAGES == 0)
			lwkt_yield();
	}
}

/*
 * vm_object_terminate - see vm_object.h.  The pages are freed after the
 * PIP drains, so no I/O can still hold one; OBJ_DEAD is set first so
 * that nothing new starts while terminate sleeps.
 */
void
vm_object_terminate(vm_object_t obj)
{
	VM_OBJECT_ASSERT_HELD_EXCL(obj);
	KASSERT(atomic_load_int(&obj->ref_count) == 0,
	    ("vm_object_terminate: %p still referenced", obj));
	KASSERT((atomic_load_int(&obj->flags) & OBJ_DEAD) == 0,
	    ("vm_object_terminate: %p already dead", obj));
	vm_object_set_flag(obj, OBJ_DEAD);
	atomic_set_int(&obj->hold_count, VM_OBJECT_HOLD_DEAD);
	vm_object_pip_wait(obj, "objtrm");
	pmap_object_free(obj);
	vm_object_terminate_pages(obj);
	KASSERT(obj->resident_page_count == 0,
	    ("vm_object_terminate: %p has %ld pages left", obj,
	    obj->resident_page_count));
	vm_pager_deallocate(obj);
	vm_object_hash_remove(obj);
}

/*
 * vm_object_backing_pmap_remove - remove every mapping of [start, end)
 * through obj's backing_list.  Only needed for management-device objects,
 * whose pages are not in rb_memq and so cannot be unmapped page by page.
 * Held; may block on backing_lk.
 */
static void
vm_object_backing_pmap_remove(vm_object_t obj, vm_pindex_t start,
    vm_pindex_t end)
{
	struct vm_map_backing *ba;
	vm_offset_t sva, eva;
	vm_ooffset_t soff = IDX_TO_OFF(start), eoff = IDX_TO_OFF(end);

	lockmgr(&obj->backing_lk, LK_SHARED);
	TAILQ_FOREACH(ba, &obj->backing_list, entry) {
		if (ba->pmap == NULL)
			continue;
		sva = ba->start;
		eva = ba->end;
		if (soff > ba->offset)
			sva += (vm_offset_t)(soff - ba->offset);
		if (eoff - ba->offset < (vm_ooffset_t)(eva - ba->start))
			eva = ba->start + (vm_offset_t)(eoff - ba->offset);
		if (sva < eva)
			pmap_remove(ba->pmap, sva, eva);
	}
	lockmgr(&obj->backing_lk, LK_RELEASE);
}

/*
 * vm_object_page_remove_one - dispose of one busied page in the range of
 * a page_remove.  Wired pages stay (unmapped, and invalidated unless
 * clean_only); with clean_only, dirty or uncommitted pages stay.  The
 * page is no longer busied by the caller on return.  Held exclusively;
 * may block.
 */
static void
vm_object_page_remove_one(vm_page_t m, int clean_only)
{
	if (atomic_load_relaxed(&m->wire_count) != 0) {
		vm_page_protect(m, VM_PROT_NONE);
		if (!clean_only)
			atomic_store_relaxed(&m->valid, 0);
		vm_page_wakeup(m);
		return;
	}
	if (clean_only) {
		vm_page_test_dirty(m);
		if ((atomic_load_relaxed(&m->valid) &
		    atomic_load_relaxed(&m->dirty)) != 0 ||
		    (vm_page_flags(m) & PG_NEED_COMMIT)) {
			vm_page_wakeup(m);
			return;
		}
	}
	vm_page_protect(m, VM_PROT_NONE);
	vm_page_free(m);
}

/*
 * vm_object_page_remove - see vm_object.h.  A cursor walks the range;
 * after every step that may block the next page is looked up again, so
 * pages added or freed meanwhile are handled.
 */
void
vm_object_page_remove(vm_object_t obj, vm_pindex_t start, vm_pindex_t end,
    int clean_only)
{
	vm_pindex_t cursor = start;
	vm_page_t m;

	KASSERT(obj != NULL, ("vm_object_page_remove: NULL"));
	if (end == 0)
		end = (vm_pindex_t)-1;
	vm_object_hold(obj);
	vm_object_pip_add(obj, 1);
	if (obj->type == OBJT_MGTDEVICE)
		vm_object_backing_pmap_remove(obj, start, end);
	while (cursor < end &&
	    (m = vm_object_page_nfind(obj, cursor)) != NULL &&
	    m->pindex < end) {
		if (!vm_object_busy_page(m, "objpr"))
			continue;
		cursor = m->pindex + 1;
		vm_object_page_remove_one(m, clean_only);
	}
	vm_object_pip_wakeup(obj);
	vm_object_drop(obj);
}

/*
 * ===================================================================
 * Coalesce, madvise, dirty
 * ===================================================================
 */

/* vm_object_coalesce - see vm_object.h.  May block. */
int
vm_object_coalesce(vm_object_t prev_object, vm_pindex_t prev_pindex,
    vm_size_t prev_size, vm_size_t next_size)
{
	vm_pindex_t next_pindex, next_pages;

	if (prev_object == NULL)
		return (TRUE);
	vm_object_hold(prev_object);
	if (prev_object->type != OBJT_DEFAULT &&
	    prev_object->type != OBJT_SWAP)
		goto fail;
	next_pindex = prev_pindex + atop(prev_size);
	next_pages = atop(next_size);
	/* Another user may already own pages past next_pindex. */
	if (atomic_load_int(&prev_object->ref_count) > 1 &&
	    prev_object->size != next_pindex)
		goto fail;
	/* Leftovers of an earlier, larger mapping must not show through. */
	if (next_pindex < prev_object->size)
		vm_object_page_remove(prev_object, next_pindex,
		    next_pindex + next_pages, FALSE);
	if (next_pindex + next_pages > prev_object->size)
		prev_object->size = next_pindex + next_pages;
	vm_object_drop(prev_object);
	return (TRUE);
fail:
	vm_object_drop(prev_object);
	return (FALSE);
}

/*
 * vm_object_madvise_ok - may madvise act on the busied page m?  Pages the
 * pageout code does not manage (wired, fictitious, unqueued,
 * need-commit) and partly valid pages are left alone.
 */
static int
vm_object_madvise_ok(vm_page_t m)
{
	if (atomic_load_relaxed(&m->wire_count) != 0)
		return (FALSE);
	if (vm_page_flags(m) & (PG_FICTITIOUS | PG_UNQUEUED | PG_NEED_COMMIT))
		return (FALSE);
	return (atomic_load_relaxed(&m->valid) == VM_PAGE_BITS_ALL);
}

/*
 * vm_object_madvise_free_page - MADV_FREE on busied m: its contents
 * become disposable.  The mappings stay, so the owner keeps reading the
 * old data until the page is reclaimed.  Hard-busied; may block (pmap).
 */
static void
vm_object_madvise_free_page(vm_page_t m)
{
	pmap_clear_modify(m);
	vm_page_undirty(m);
	vm_page_spin_lock(m);
	m->act_count = 0;
	vm_page_spin_unlock(m);
	vm_page_dontneed(m);
}

/*
 * vm_object_madvise_page - apply advise to the page at pindex, if
 * resident.  Returns FALSE if it had to wait for a busy page (look
 * again).  Held exclusively; may block.
 */
static int
vm_object_madvise_page(vm_object_t obj, vm_pindex_t pindex, int advise)
{
	vm_page_t m;
	int busy;

	m = vm_page_lookup_busy_try(obj, pindex, TRUE, &busy);
	if (m == NULL)
		return (TRUE);
	if (busy) {
		vm_page_sleep_busy(m, TRUE, "madvpo");
		return (FALSE);
	}
	if (vm_object_madvise_ok(m)) {
		if (advise == MADV_WILLNEED)
			vm_page_activate(m);
		else if (advise == MADV_DONTNEED)
			vm_page_dontneed(m);
		else
			vm_object_madvise_free_page(m);
	}
	vm_page_wakeup(m);
	return (TRUE);
}

/*
 * vm_object_madvise - see vm_object.h.  Swap blocks of freed pages are
 * released by the swap pager once it exists (swap_pager_freespace).
 */
void
vm_object_madvise(vm_object_t obj, vm_pindex_t pindex, vm_pindex_t count,
    int advise)
{
	vm_pindex_t end = pindex + count;

	if (obj == NULL || (advise != MADV_WILLNEED &&
	    advise != MADV_DONTNEED && advise != MADV_FREE))
		return;
	vm_object_hold(obj);
	if (advise == MADV_FREE &&
	    ((obj->type != OBJT_DEFAULT && obj->type != OBJT_SWAP) ||
	    (atomic_load_int(&obj->flags) & OBJ_ONEMAPPING) == 0))
		goto out;
	while (pindex < end) {
		if (vm_object_madvise_page(obj, pindex, advise))
			pindex++;
	}
out:
	vm_object_drop(obj);
}

/*
 * vm_object_set_writeable_dirty - see vm_object.h.  The flags are
 * usually set already; reading first avoids bouncing the cache line.
 */
void
vm_object_set_writeable_dirty(vm_object_t obj)
{
	unsigned int want = OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY;

	if ((atomic_load_relaxed(&obj->flags) & want) != want)
		vm_object_set_flag(obj, want);
}

/*
 * ===================================================================
 * Enumeration and audit
 * ===================================================================
 */

/*
 * vm_object_hash_scan - vm_object_hash_foreach on one bucket.  A marker
 * after the current object keeps the place while the caller's function
 * (or the hold) blocks and the bucket token is lost.
 */
static int
vm_object_hash_scan(struct vm_object_hash *hash,
    int (*fn)(vm_object_t, void *), void *arg)
{
	struct vm_object marker;
	vm_object_t obj;
	int sum = 0;

	memset(&marker, 0, sizeof(marker));
	marker.type = OBJT_MARKER;
	lwkt_gettoken(&hash->token);
	TAILQ_INSERT_HEAD(&hash->list, &marker, object_entry);
	while ((obj = TAILQ_NEXT(&marker, object_entry)) != NULL) {
		TAILQ_REMOVE(&hash->list, &marker, object_entry);
		TAILQ_INSERT_AFTER(&hash->list, obj, &marker, object_entry);
		if (obj->type == OBJT_MARKER)
			continue;
		vm_object_hold_shared(obj);
		sum += fn(obj, arg);
		vm_object_drop(obj);
	}
	TAILQ_REMOVE(&hash->list, &marker, object_entry);
	lwkt_reltoken(&hash->token);
	return (sum);
}

/* vm_object_hash_foreach - see vm_object.h. */
int
vm_object_hash_foreach(int (*fn)(vm_object_t, void *), void *arg)
{
	int i, sum = 0;

	for (i = 0; i < VMOBJ_HSIZE; i++)
		sum += vm_object_hash_scan(&vm_object_hash[i], fn, arg);
	return (sum);
}

/* One kprintf line per problem, naming the object. */
#define AUDIT(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		kprintf("vm_object_audit: object %p: " fmt "\n", obj,	\
		    ##__VA_ARGS__);					\
		bad++;							\
	}								\
} while (0)

/* vm_object_audit_pages - invariant 4.  Held. */
static int
vm_object_audit_pages(vm_object_t obj)
{
	vm_page_t m, cursor;
	vm_pindex_t last = 0;
	long n = 0;
	int bad = 0;

	RB_FOREACH(m, vm_page_rb_tree, &obj->rb_memq) {
		AUDIT(m->object == obj, "page %p points at %p", m, m->object);
		AUDIT(n == 0 || m->pindex > last,
		    "page %p pindex %ju after %ju", m, (uintmax_t)m->pindex,
		    (uintmax_t)last);
		AUDIT(vm_page_qbase(m) != PQ_FREE &&
		    (vm_page_flags(m) & PG_PCPUCACHE) == 0, "page %p is free",
		    m);
		AUDIT((vm_page_flags(m) & PG_MARKER) == 0, "marker %p", m);
		last = m->pindex;
		n++;
	}
	AUDIT(n == obj->resident_page_count, "%ld pages in tree, count %ld",
	    n, obj->resident_page_count);
	AUDIT(obj->rb_max == RB_MAX(vm_page_rb_tree, &obj->rb_memq),
	    "rb_max %p is not the last page", obj->rb_max);
	cursor = atomic_load_relaxed(&obj->rb_cursor);
	AUDIT(cursor == NULL || (cursor->object == obj &&
	    RB_FIND(vm_page_rb_tree, &obj->rb_memq, cursor) == cursor),
	    "rb_cursor %p is not a page of the object", cursor);
	return (bad);
}

/* vm_object_audit_counts - invariants 1-3, 5, 6.  Held by the caller. */
static int
vm_object_audit_counts(vm_object_t obj)
{
	int ref = atomic_load_int(&obj->ref_count);
	unsigned int fl = atomic_load_int(&obj->flags);
	unsigned int pip = atomic_load_int(&obj->paging_in_progress);
	int hold = atomic_load_int(&obj->hold_count);
	int hdead = (hold & VM_OBJECT_HOLD_DEAD) != 0;
	int bad = 0;

	AUDIT(obj->type < OBJT_MARKER, "bad type %d", obj->type);
	AUDIT(ref >= 0, "ref_count %d", ref);
	AUDIT((hold & ~VM_OBJECT_HOLD_DEAD) >= 1, "held but hold_count %#x",
	    hold);
	AUDIT(hdead == ((fl & OBJ_DEAD) != 0), "hold_count %#x, flags %#x",
	    hold, fl);
	AUDIT((ref == 0) == ((fl & OBJ_DEAD) != 0),
	    "ref_count %d with flags %#x", ref, fl);
	AUDIT((pip & ~REFCNTF_WAITING) < (1U << 24), "PIP %#x", pip);
	AUDIT((fl & OBJ_ONEMAPPING) == 0 || obj->type == OBJT_DEFAULT ||
	    obj->type == OBJT_SWAP, "ONEMAPPING on type %d", obj->type);
	AUDIT(obj->resident_page_count >= 0, "resident %ld",
	    obj->resident_page_count);
	AUDIT(obj->swblock_count >= 0 && (obj->type != OBJT_DEFAULT ||
	    obj->swblock_count == 0), "swblock_count %ld", obj->swblock_count);
	return (bad);
}

/* vm_object_audit_backing - invariant 7.  Takes backing_lk shared. */
static int
vm_object_audit_backing(vm_object_t obj)
{
	struct vm_map_backing *ba;
	int bad = 0;

	lockmgr(&obj->backing_lk, LK_SHARED);
	TAILQ_FOREACH(ba, &obj->backing_list, entry) {
		AUDIT(ba->object == obj, "backing %p names object %p", ba,
		    ba->object);
		AUDIT(ba->start <= ba->end, "backing %p range %#jx-%#jx", ba,
		    (uintmax_t)ba->start, (uintmax_t)ba->end);
	}
	lockmgr(&obj->backing_lk, LK_RELEASE);
	return (bad);
}

/* vm_object_audit_hash - a live object is on its bucket.  Held. */
static int
vm_object_audit_hash(vm_object_t obj)
{
	struct vm_object_hash *hash = vmobj_hash(obj);
	vm_object_t o;
	int found = 0, bad = 0;

	lwkt_gettoken(&hash->token);
	TAILQ_FOREACH(o, &hash->list, object_entry) {
		if (o == obj)
			found++;
	}
	lwkt_reltoken(&hash->token);
	if (atomic_load_int(&obj->flags) & OBJ_DEAD)
		AUDIT(found <= 1, "dead, on its bucket %d times", found);
	else
		AUDIT(found == 1, "alive, on its bucket %d times", found);
	return (bad);
}

/* vm_object_audit - see vm_object.h. */
int
vm_object_audit(vm_object_t obj)
{
	int bad;

	vm_object_hold_shared(obj);
	bad = vm_object_audit_counts(obj);
	bad += vm_object_audit_pages(obj);
	bad += vm_object_audit_backing(obj);
	bad += vm_object_audit_hash(obj);
	vm_object_drop(obj);
	return (bad);
}

static int
vm_object_audit_cb(vm_object_t obj, void *arg)
{
	return (vm_object_audit(obj));
}

/* vm_object_audit_all - see vm_object.h. */
int
vm_object_audit_all(void)
{
	return (vm_object_hash_foreach(vm_object_audit_cb, NULL));
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
