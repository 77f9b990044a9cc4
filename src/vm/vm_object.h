/*
 * vm_object.h - VM objects (DragonFly's vm/vm_object.h).
 *
 * An object is a container of pages indexed by pindex, with a pager type
 * that says where pages come from when they are not resident (vm_pager.h).
 * Pages hang in a red-black tree (rb_memq) keyed by pindex.  The object's
 * token guards the tree and most fields; hold_count keeps the structure
 * alive while a thread blocks with it held; ref_count keeps the object
 * itself (its pages and identity) alive.  The life cycle, the numbered
 * invariants and the lock order are in the design note of vm_object.c
 * and in docs/vm_object.md.
 *
 * Every live object sits in one of VMOBJ_HSIZE cache-aligned hash buckets
 * (each with its own token), so that objects can be enumerated for
 * inspection and audits (vm_object_audit_all).
 *
 * Lock legend:
 *   (o) object token, exclusive to write, shared to read
 *   (b) backing_lk
 *   (h) the hash bucket's token
 *   (a) atomic
 *   (c) constant after allocation
 */
#ifndef _VM_VM_OBJECT_H_
#define _VM_VM_OBJECT_H_

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include "kern/lock.h"
#include "kern/token.h"
#include "vm/vm.h"
#include "vm/vm_mman.h"	/* MADV_* for vm_object_madvise */

enum obj_type {
	OBJT_DEFAULT,
	OBJT_SWAP,
	OBJT_VNODE,
	OBJT_DEVICE,
	OBJT_MGTDEVICE,
	OBJT_PHYS,
	OBJT_DEAD,
	OBJT_MARKER
};
typedef unsigned char objtype_t;

RB_HEAD(vm_page_rb_tree, vm_page);
struct swblock;
RB_HEAD(swblock_rb_tree, swblock);
TAILQ_HEAD(vm_map_backing_list, vm_map_backing);

struct vm_object {
	struct lwkt_token token;		/* the object lock */
	struct lock	backing_lk;		/* guards backing_list */
	TAILQ_ENTRY(vm_object) object_entry;	/* (h) hash bucket list */
	struct vm_map_backing_list backing_list; /* (b) who maps us */
	struct vm_page_rb_tree rb_memq;		/* (o) resident pages */
	int		generation;		/* (o) bumped on tree change */
	struct vm_page	*rb_max;		/* (o) highest-index page */
	struct vm_page	*rb_cursor;		/* (o,a) last page found */
	vm_pindex_t	size;			/* (o) in pages */
	int		ref_count;		/* (a) references */
	vm_memattr_t	memattr;		/* (o) */
	objtype_t	type;			/* (o) OBJT_*: the pager */
	unsigned short	flags;			/* (a) OBJ_* */
	unsigned short	pg_color;		/* (c) color of pindex 0 */
	unsigned int	paging_in_progress;	/* (a) PIP count (refcount.h) */
	long		resident_page_count;	/* (o) pages in rb_memq */
	void		*handle;		/* (c) vnode, device ... */
	int		hold_count;		/* (a) keeps the struct alive,
						 *     | VM_OBJECT_HOLD_DEAD */
	struct swblock_rb_tree swblock_root;	/* (o) swap metadata */
	long		swblock_count;		/* (o) */
	long		id;			/* (c) for inspection */
};

/*
 * rb_max and rb_cursor (flyvm additions) make a lookup near the last one
 * cost O(1) instead of a walk from the root: rb_max is the page with the
 * highest index, so an object filled in order (a process touching fresh
 * memory) misses without a walk; rb_cursor is the page the last lookup
 * found or the last insert added, so a run of lookups in order (the
 * copy-on-write faults of a forked array, each finding its page in a
 * backing object) steps to the next page instead.  An insert finds its
 * slot the same way, so a fault that looks its index up, misses, and
 * inserts there walks the tree at most twice and in order not at all.
 * Both are NULL or a
 * page in rb_memq: remove moves them off a page it takes out.  rb_max
 * changes only with the object held exclusively; rb_cursor is also
 * stored, atomically, by a lookup holding it shared, which no remove can
 * run beside, but only by the sole holder: threads looking up in one
 * object at once would only bounce its line and move each other's
 * cursor.
 */

/* In hold_count once the object is dead (see vm_object_unhold). */
#define VM_OBJECT_HOLD_DEAD	0x40000000

/* Object flags. */
#define OBJ_ACTIVE	0x0004
#define OBJ_DEAD	0x0008
#define OBJ_NOSPLIT	0x0010
#define OBJ_NOPAGEIN	0x0040
#define OBJ_WRITEABLE	0x0080
#define OBJ_MIGHTBEDIRTY 0x0100
#define OBJ_CLEANING	0x0200
#define OBJ_DEADWNT	0x1000
#define OBJ_ONEMAPPING	0x2000
#define OBJ_NOMSYNC	0x4000
/*
 * OBJ_HASHED (a flyvm addition): a page of the object has been entered in
 * the page hash.  Set once, never cleared; vm_page_hash_get skips objects
 * without it (a probe that cannot hit costs a random cache miss).
 */
#define OBJ_HASHED	0x8000

/* vm_object_page_clean / putpages flags. */
#define OBJPC_SYNC		0x01
#define OBJPC_INVAL		0x02
#define OBJPC_NOSYNC		0x04
#define OBJPC_IGNORE_CLEANCHK	0x08
#define OBJPC_CLUSTER_OK	0x10
#define OBJPC_TRY_TO_CACHE	0x20
#define OBJPC_ALLOW_ACTIVE	0x40

/*
 * The object hash: every live object is on the list of the bucket its
 * address hashes to.  Markers (type OBJT_MARKER) may sit on a list while
 * an enumeration blocks.
 */
#define VMOBJ_HSIZE	256

struct vm_object_hash {
	TAILQ_HEAD(, vm_object) list;		/* (h) */
	struct lwkt_token token;
} __cachealign;

extern struct vm_object_hash vm_object_hash[VMOBJ_HSIZE];


/*
 * vm_object_set_flag / vm_object_clear_flag - atomically set or clear
 * OBJ_* bits.  OBJ_DEAD is set only by vm_object_terminate.  No
 * requirements; never blocks.
 */
static inline void
vm_object_set_flag(vm_object_t object, unsigned int bits)
{
	__atomic_or_fetch(&object->flags, (unsigned short)bits,
	    __ATOMIC_ACQ_REL);
}

static inline void
vm_object_clear_flag(vm_object_t object, unsigned int bits)
{
	__atomic_and_fetch(&object->flags, (unsigned short)~bits,
	    __ATOMIC_ACQ_REL);
}

/* vm_object_token - the object's token.  No requirements. */
static inline struct lwkt_token *
vm_object_token(vm_object_t object)
{
	return (&object->token);
}

/*
 * vm_object_allocate - a new object of `type' and `size' pages with one
 * reference, not held, on the object hash.  OBJ_ONEMAPPING is set for
 * OBJT_DEFAULT and OBJT_SWAP.  May block briefly (hash token).  Returns
 * NULL if out of host memory.
 * vm_object_allocate_hold - the same, returned held exclusively, so the
 * caller can finish setting it up before anyone else can lock it.
 */
vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size);
vm_object_t vm_object_allocate_hold(objtype_t type, vm_pindex_t size);

/*
 * Token wrappers.  vm_object_lock / _lock_shared take the token (may
 * block), vm_object_lock_try never blocks (TRUE if taken), vm_object_unlock
 * releases the most recent acquisition.  vm_object_upgrade and
 * vm_object_downgrade release the token and take it back in the other
 * mode: the object may change in between, so the caller must re-validate.
 * None of them touch hold_count: the caller must already keep the object
 * alive (a hold or a reference).
 */
void	vm_object_lock(vm_object_t object);
void	vm_object_lock_shared(vm_object_t object);
int	vm_object_lock_try(vm_object_t object);
void	vm_object_unlock(vm_object_t object);
void	vm_object_upgrade(vm_object_t object);
void	vm_object_downgrade(vm_object_t object);

/*
 * vm_object_hold - bump hold_count, then take the token exclusively.
 * May block.  vm_object_hold_shared takes it shared.  vm_object_hold_try
 * never blocks and returns TRUE if held (FALSE leaves no hold behind, and
 * frees a dead object whose last hold that was).  vm_object_drop releases
 * one hold and the matching token acquisition; the last drop of a dead
 * object frees its structure.  Holds may nest.
 */
void	vm_object_hold(vm_object_t object);
void	vm_object_hold_shared(vm_object_t object);
int	vm_object_hold_try(vm_object_t object);
void	vm_object_drop(vm_object_t object);

/*
 * References.  vm_object_reference_locked: object held.
 * vm_object_reference_quick: no lock, the caller already owns a reference.
 * vm_object_deallocate: drop one reference (NULL ignored); counts above 3
 * drop locklessly, otherwise the object is held and the last reference
 * terminates it (pages freed, OBJ_DEAD set; the structure goes with the
 * last hold).  Not held by the caller, or held exclusively (a shared
 * holder would livelock taking the token exclusively).  May block.
 * vm_object_deallocate_locked: the same with the object held exclusively.
 */
void	vm_object_reference_locked(vm_object_t object);
void	vm_object_reference_quick(vm_object_t object);
void	vm_object_deallocate(vm_object_t object);
void	vm_object_deallocate_locked(vm_object_t object);

/*
 * vm_object_terminate - destroy an object whose last reference is gone:
 * set OBJ_DEAD, wait for paging in progress, free every page (waiting for
 * busy ones; wired pages are only removed), let the pager go and leave
 * the hash.  Held exclusively; may block.
 */
void	vm_object_terminate(vm_object_t object);

/*
 * Paging in progress: a count of operations (I/O, page_remove) that must
 * finish before the object may die.  _add and _wakeup(_n) never block;
 * the release that reaches zero wakes vm_object_pip_wait sleepers.
 * vm_object_pip_wait may block (releasing the object token).
 */
void	vm_object_pip_add(vm_object_t object, int n);
void	vm_object_pip_wakeup(vm_object_t object);
void	vm_object_pip_wakeup_n(vm_object_t object, int n);
void	vm_object_pip_wait(vm_object_t object, const char *waitid);

/*
 * vm_object_page_remove - free the pages of [start, end) (end 0: to the
 * end of the object), waiting for busy ones.  With clean_only, dirty and
 * PG_NEED_COMMIT pages are kept.  Wired pages are kept but unmapped (and
 * invalidated unless clean_only).  Not held, or held exclusively; may
 * block.
 */
void	vm_object_page_remove(vm_object_t object, vm_pindex_t start,
	    vm_pindex_t end, int clean_only);

/*
 * vm_object_coalesce - try to extend prev_object (mapped at prev_pindex
 * for prev_size bytes) to cover next_size more bytes right after it, so
 * that a new adjacent mapping can share it.  Only DEFAULT/SWAP objects,
 * and only if no one else references them unless the extension starts at
 * the object's end.  Pages left in the new range are freed.  NULL
 * prev_object: TRUE.  Not held, or held exclusively; may block.
 * Returns TRUE on success.
 */
int	vm_object_coalesce(vm_object_t prev_object, vm_pindex_t prev_pindex,
	    vm_size_t prev_size, vm_size_t next_size);

/*
 * vm_object_madvise - MADV_WILLNEED, MADV_DONTNEED or MADV_FREE on the
 * resident pages of [pindex, pindex + count) of this object only (never
 * a backing object).  Wired, fictitious, unqueued, need-commit and not
 * fully valid pages are skipped.  MADV_FREE acts only on DEFAULT/SWAP
 * objects with OBJ_ONEMAPPING; it forgets the contents' dirtiness but
 * does not unmap.  Other behaviours are ignored.  Not held, or held
 * exclusively; may block.
 */
void	vm_object_madvise(vm_object_t object, vm_pindex_t pindex,
	    vm_pindex_t count, int advise);

/*
 * vm_object_set_writeable_dirty - the object may now have dirty pages
 * (OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY).  No requirements; never blocks.
 */
void	vm_object_set_writeable_dirty(vm_object_t object);

/*
 * vm_object_audit - check one object: resident_page_count equals the tree
 * size, every page points back with the right pindex, pages in order,
 * reference/hold/PIP counts and flags sane, backing_list entries point at
 * this object, hash membership.  Holds the object shared and takes
 * backing_lk shared; may block.  Returns the number of problems (each
 * described through kprintf); exact only while nothing else changes it.
 * vm_object_audit_all - the same for every object on the hash.
 */
int	vm_object_audit(vm_object_t object);
int	vm_object_audit_all(void);

/*
 * vm_object_hash_foreach - call fn(object, arg) for every live object,
 * held shared during the call (the bucket token is released whenever the
 * caller blocks; a marker keeps the place).  Returns the sum of fn's
 * return values.  May block.
 */
int	vm_object_hash_foreach(int (*fn)(vm_object_t, void *), void *arg);

#define ASSERT_LWKT_TOKEN_HELD_OBJ(obj)	ASSERT_LWKT_TOKEN_HELD(&(obj)->token)
#define VM_OBJECT_ASSERT_HELD(obj)	ASSERT_LWKT_TOKEN_HELD(&(obj)->token)
#define VM_OBJECT_ASSERT_HELD_EXCL(obj)	\
	ASSERT_LWKT_TOKEN_HELD_EXCL(&(obj)->token)

/* Number of live objects (audits: all objects are gone at shutdown). */
long	vm_object_count(void);

/*
 * vm_object_init / vm_object_fini - boot and tear down the object layer
 * (zone and hash); called by vm_page_startup / vm_page_shutdown.  At fini
 * every object must have been deallocated.
 */
void	vm_object_init(void);
void	vm_object_fini(void);

/* The object allocator's fault injector (tests). */
struct fault_inject *vm_object_alloc_fault(void);

#endif /* !_VM_VM_OBJECT_H_ */
