/*
 * vm_fault.c - the page-fault path (DragonFly's vm/vm_fault.c).
 *
 * Design note
 * -----------
 * A fault at va of a map is resolved in phases that share one
 * struct faultstate:
 *
 *   1. lookup	vm_map_lookup finds the entry, checks the access, shadows a
 *		NEEDS_COPY entry on a write and gives an anonymous entry its
 *		object.  The map stays locked shared until the fault ends.
 *		A miss below a stack grows the stack (user faults) and
 *		starts over.
 *   2. bypass	a resident, valid, active page of the head object found
 *		through the lockless page hash is mapped soft-busied, with
 *		no object token at all (vm.fault_bypass).
 *   3. walk	with the head object held (shared for reads of an entry
 *		with a chain when vm.shared_fault allows, else
 *		exclusive), each link of the
 *		backing chain is searched for the page, newest first.
 *		A page not resident in an object with a pager
 *		(TRYPAGER) is asked of the pager: haspage, then getpage
 *		into a new page of that object; after a read the fault
 *		starts over and finds it resident.
 *   4. resolve	the page decides the case:
 *		  found in the head          map it (dirty it on a write)
 *		  found deeper, read         map the deeper page read-only
 *		  found deeper, write        COW: copy it into the head
 *		  found nowhere              zero-fill a page in the head
 *		Reads map read-only unless the page is already fully dirty,
 *		so the first write to a clean page faults again and only then
 *		dirties it ("write after read upgrades").
 *   5. enter	pmap_enter with the protection worked out, wire or activate
 *		the page, unbusy it; prefault neighbours (vm.prefault_pages,
 *		and zero-fill them on writes when vm.fast_fault).
 *
 *     lookup --miss below stack--> growstack --> (retry)
 *       |
 *       +--> bypass --hit--------------------------------------> enter
 *       |      |miss
 *       |      v
 *       +--> walk --not resident, pager has it--> getpage --> (retry)
 *              |  --found in head-----------------------------> enter
 *              |  --found deeper, read------------------------> enter (RO)
 *              |  --found deeper, write--> COW copy ----------> enter
 *              |  --nowhere--------------> zero-fill ---------> enter
 *              +--busy page / needs excl / short--> unlock --> (retry)
 *
 * Lock order: vm_map lock (shared, from vm_map_lookup) -> head object
 * token -> backing object tokens (one at a time, shared; exclusive for a
 * pager read into that object) -> page busy
 * (always tried, never waited for with anything held) -> pmap lock
 * (inside pmap_enter).  Tokens are released by the kernel while a thread
 * blocks, so nothing here sleeps with a token it relies on.
 *
 * Revalidation: nothing deep in the path sleeps but a pager, and a
 * successful pager read ends the pass (after FAIL the walk goes on, as
 * in DragonFly; the head allocation then looks again on a collision).
 * A phase that would have to wait (a busy
 * page, memory short, the head object held shared when it must be
 * exclusive, a page just read) records why in the faultstate and returns
 * KERN_TRY_AGAIN; vm_fault_unlock drops everything, vm_fault_wait does
 * the waiting, and the one retry loop in vm_fault_run starts again from
 * the lookup, so every decision is made against a fresh lookup.
 *
 * Invariants:
 *   1. A page returned by a phase is hard-busied by this fault (or
 *      soft-busied, fs->msoftonly, from the bypass) and belongs to an
 *      object of the entry's chain, so the map's pmap may map it at va.
 *   2. Pages are only ever inserted into the head object, with its token
 *      held exclusively; into a deeper object only by its own pager's
 *      read, with that object held exclusively.
 *   3. A page mapped writeable is fully valid and dirty, and lives in the
 *      head object.
 */
#include <string.h>

#include "kern/lockorder.h"
#include "kern/proc.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "vm/pmap_access.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_pageout.h"
#include "vm/vm_pager.h"
#include "vm/vm_tunables.h"

#define VM_FAULT_RSS_SLACK	4096	/* pages over RLIMIT_RSS tolerated */
#define VM_FAULT_NOTSHORT_RETRIES 8	/* failed allocations, memory not short */

/* Why a phase asked for a retry (fs->wait). */
#define FW_WAIT_NONE	0
#define FW_WAIT_BUSY	1	/* fs->wait_m was busy */
#define FW_WAIT_MEM	2	/* a page allocation failed */
#define FW_WAIT_EXCL	3	/* the head object must be held exclusive */
#define FW_WAIT_PAGER	4	/* a pager filled a page: look again */

/*
 * struct faultstate - one fault in progress.  Private to the faulting
 * thread; the fields it points at are guarded as their owners say.
 */
struct faultstate {
	vm_map_t	map;
	vm_offset_t	vaddr;		/* page of the fault */
	vm_prot_t	fault_type;	/* access, may gain OVERRIDE_WRITE */
	int		fault_flags;	/* VM_FAULT_* */
	int		growstack;	/* may still grow a stack */
	/* phase 1: lookup */
	vm_map_entry_t	entry;
	vm_map_backing_t first_ba;	/* head of the chain */
	vm_pindex_t	first_pindex;	/* va's index in the head object */
	vm_pindex_t	first_count;
	vm_prot_t	first_prot;	/* what the entry allows */
	int		wflags;		/* FW_* from the lookup */
	int		lookup_still_valid; /* map locked shared */
	/* phase 3: walk */
	vm_object_t	first_obj;	/* head object, held when first_held */
	int		first_held;
	int		first_shared;	/* held shared */
	int		mem_retries;	/* FW_WAIT_MEM rounds, memory not short */
	/* phases 4-5 */
	vm_page_t	m;		/* the page to map, busied */
	int		msoftonly;	/* m only soft-busied (bypass) */
	vm_prot_t	prot;		/* protection to map m with */
	int		didcow;
	int		dozero;
	int		hardfault;	/* a pager read a page for us */
	/* retry bookkeeping */
	int		wait;		/* FW_WAIT_* */
	vm_page_t	wait_m;
	int		retries;
};

static int vm_fault_run(struct faultstate *fs);

static const struct vm_map_fault_hooks vm_fault_map_hooks = {
	.fault_wire = vm_fault_wire,
	.fault_unwire = vm_fault_unwire,
	.fault_collapse = vm_fault_collapse,
	.fault_copy_entry = vm_fault_copy_entry,
};

/*
 * vm_fault_init - install the hooks.  Boot, no faults running.
 */
void
vm_fault_init(void)
{
	lockorder_declare("vm_maplk", "pmap");
	vm_map_set_fault_hooks(&vm_fault_map_hooks);
	pmap_set_fault_hook(vm_fault_trap, NULL);
}

/* vm_fault_fini - remove them.  No faults running. */
void
vm_fault_fini(void)
{
	pmap_set_fault_hook(NULL, NULL);
	vm_map_set_fault_hooks(NULL);
}

/************************************************************************
 *			Small helpers
 ************************************************************************/

/* va's page index in the object of link ba (any link of the chain). */
static inline vm_pindex_t
vm_fault_ba_pindex(vm_map_backing_t ba, vm_offset_t va)
{
	return (OFF_TO_IDX((vm_ooffset_t)(va - ba->start) + ba->offset));
}

/* The protection a read may map m with: write only if m is all dirty. */
static inline vm_prot_t
vm_fault_read_prot(vm_prot_t prot, vm_page_t m)
{
	if (atomic_load_relaxed(&m->dirty) != VM_PAGE_BITS_ALL)
		prot &= ~VM_PROT_WRITE;
	return (prot);
}

/* Is m, busied by us, fully valid? */
static inline int
vm_fault_page_valid(vm_page_t m)
{
	return (atomic_load_relaxed(&m->valid) == VM_PAGE_BITS_ALL);
}

/*
 * Mark m, hard-busied in the head object, as written: dirty, and its
 * object possibly dirty.
 */
static void
vm_fault_dirty(vm_page_t m)
{
	vm_page_dirty(m);
	vm_object_set_writeable_dirty(m->object);
}

/*
 * vm_fault_unlock - drop what the fault holds: the head object and the
 * map lookup.  The page, if any, has been dealt with by the caller.
 */
static void
vm_fault_unlock(struct faultstate *fs)
{
	if (fs->first_held) {
		vm_object_drop(fs->first_obj);
		fs->first_held = 0;
	}
	if (fs->lookup_still_valid) {
		vm_map_lookup_done(fs->map, fs->entry, 0);
		fs->lookup_still_valid = 0;
	}
}

/*
 * vm_fault_gave_up - may a fault short of memory stop waiting?  Only when
 * the faulting thread's process is exiting (DragonFly's escape is the
 * OOM killer's P_LOWMEMKILL, which flyvm does not have yet).  No locks.
 */
static int
vm_fault_gave_up(void)
{
	struct proc *p = curthread->td_proc;

	return (p != NULL && (atomic_load_int(&p->p_flags) & P_WEXIT));
}

/*
 * vm_fault_wait - with nothing held, wait for what made a phase ask for a
 * retry.  May block.  Returns KERN_TRY_AGAIN, or KERN_PROTECTION_FAILURE
 * when memory is short and the process is exiting.  A fault short of
 * memory waits in vm_wait_pfault and tries again for as long as it takes,
 * as DragonFly's does (facts 2.4, 4.9): until a pageout daemon exists,
 * only other threads freeing memory end the wait.
 */
static int
vm_fault_wait(struct faultstate *fs)
{
	int wait = fs->wait;

	fs->wait = FW_WAIT_NONE;
	switch (wait) {
	case FW_WAIT_BUSY:
		VMCNT_ADD(v_intrans, 1);
		vm_page_sleep_busy(fs->wait_m, TRUE, "vmpfw");
		fs->wait_m = NULL;
		break;
	case FW_WAIT_MEM:
		if (vm_fault_gave_up())
			return (KERN_PROTECTION_FAILURE);
		/*
		 * An allocation that keeps failing while memory is not
		 * short is not going to be cured by waiting: in flyvm that
		 * is an injected failure (vm_page_alloc_fault), the way
		 * tests drive the error paths of wiring and of the
		 * callers.  Real shortage waits, as in DragonFly.
		 */
		vmstats_rollup();
		if (!vm_paging_min() &&
		    ++fs->mem_retries > VM_FAULT_NOTSHORT_RETRIES)
			return (KERN_RESOURCE_SHORTAGE);
		vm_wait_pfault();
		break;
	case FW_WAIT_EXCL:
		fs->first_shared = 0;
		break;
	}
	return (KERN_TRY_AGAIN);
}

/************************************************************************
 *			Phase 1: lookup
 ************************************************************************/

/*
 * Entries the fault cannot serve: NOFAULT ranges, the guard page of a
 * kernel stack, and anything but a normal object mapping.  Map locked
 * shared.  Unlocks it on failure.
 */
static int
vm_fault_lookup_check(struct faultstate *fs)
{
	vm_map_entry_t entry = fs->entry;
	int rv = KERN_SUCCESS;

	if (entry->eflags & MAP_ENTRY_NOFAULT)
		rv = KERN_PROTECTION_FAILURE;
	else if ((entry->eflags & MAP_ENTRY_KSTACK) &&
	    fs->vaddr == entry->ba.start)
		rv = KERN_PROTECTION_FAILURE;
	else if (entry->maptype != VM_MAPTYPE_NORMAL ||
	    fs->first_ba->object == NULL)
		rv = KERN_FAILURE;
	fs->first_obj = fs->first_ba->object;
	if (rv != KERN_SUCCESS)
		vm_fault_unlock(fs);
	return (rv);
}

/*
 * vm_fault_lookup - look the fault up in the map.  No locks on entry; on
 * KERN_SUCCESS the map is locked shared (fs->lookup_still_valid), else
 * nothing is held.  May block (growstack).  KERN_TRY_AGAIN after growing
 * the stack or switching a user wiring to the maximum protection.
 */
static int
vm_fault_lookup(struct faultstate *fs)
{
	int rv;

	rv = vm_map_lookup(&fs->map, fs->vaddr, fs->fault_type, &fs->entry,
	    &fs->first_ba, &fs->first_pindex, &fs->first_count,
	    &fs->first_prot, &fs->wflags);
	if (rv == KERN_INVALID_ADDRESS && fs->growstack) {
		fs->growstack = 0;
		rv = vm_map_growstack(fs->map, fs->vaddr);
		return (rv == KERN_SUCCESS ? KERN_TRY_AGAIN : rv);
	}
	if (rv == KERN_PROTECTION_FAILURE &&
	    (fs->fault_flags & VM_FAULT_USER_WIRE) &&
	    (fs->fault_type & VM_PROT_OVERRIDE_WRITE) == 0) {
		fs->fault_type |= VM_PROT_OVERRIDE_WRITE;
		return (KERN_TRY_AGAIN);
	}
	if (rv != KERN_SUCCESS)
		return (rv);
	fs->lookup_still_valid = 1;
	if (fs->wflags & FW_WIRED)
		fs->fault_type = fs->first_prot;
	return (vm_fault_lookup_check(fs));
}

/************************************************************************
 *			Phase 2: bypass
 ************************************************************************/

/*
 * vm_fault_bypass - the lockless shortcut: the head object's page, found
 * through the page hash and soft-busied, already in the state the fault
 * needs (fully valid, active, and for a write already fully dirty in a
 * dirty-capable object).  Map locked shared, no object held.  Never
 * blocks.  TRUE with fs->m soft-busied (fs->msoftonly), or FALSE.
 */
static int
vm_fault_bypass(struct faultstate *fs)
{
	vm_object_t obj = fs->first_obj;
	vm_page_t m;
	unsigned int need = OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY;

	if (!vm_fault_bypass_enable ||
	    (fs->fault_flags & VM_FAULT_WIRE_MASK) || (fs->wflags & FW_WIRED))
		return (FALSE);
	m = vm_page_hash_get(obj, fs->first_pindex);
	if (m == NULL)
		return (FALSE);
	if (!vm_fault_page_valid(m) ||
	    (atomic_load_relaxed(&obj->flags) & OBJ_DEAD) ||
	    vm_page_qbase(m) != PQ_ACTIVE ||
	    (vm_page_flags(m) & PG_SWAPPED))
		goto miss;
	if (fs->fault_type & VM_PROT_WRITE) {
		if (atomic_load_relaxed(&m->dirty) != VM_PAGE_BITS_ALL ||
		    (atomic_load_relaxed(&obj->flags) & need) != need)
			goto miss;
		fs->prot = fs->first_prot;
	} else {
		fs->prot = vm_fault_read_prot(fs->first_prot, m);
	}
	vm_page_soft_activate(m);
	fs->m = m;
	fs->msoftonly = 1;
	return (TRUE);
miss:
	vm_page_sbusy_drop(m);
	return (FALSE);
}

/************************************************************************
 *			Phases 3 and 4: walk and resolve
 ************************************************************************/

/*
 * vm_fault_hold_first - hold the head object, shared if the fault allows
 * (vm.shared_fault, a read, not wiring, not asked to go exclusive).  Map
 * locked shared.  May block on the token.
 */
static void
vm_fault_hold_first(struct faultstate *fs)
{
	if (fs->first_shared)
		vm_object_hold_shared(fs->first_obj);
	else
		vm_object_hold(fs->first_obj);
	fs->first_held = 1;
}

/*
 * TRYPAGER: may the pager of ba's object be asked for the page?  Its type
 * must have one (not OBJT_DEFAULT), and a wiring fault only asks once the
 * entry is wired (DragonFly's TRYPAGER()).
 */
static inline int
vm_fault_trypager(struct faultstate *fs, vm_object_t obj)
{
	return (obj->type != OBJT_DEFAULT &&
	    ((fs->fault_flags & VM_FAULT_WIRE_MASK) == 0 ||
	    (fs->wflags & FW_WIRED)));
}

/* The pager's answer as the fault's (facts 2.4). */
static inline int
vm_fault_pager_rv(int r)
{
	return (r == VM_PAGER_ERROR ? KERN_FAILURE : KERN_PROTECTION_FAILURE);
}

/*
 * vm_fault_pager_read - a new page at pindex of obj (held exclusively),
 * filled by obj's pager.  May block in the pager; obj's paging-in-progress
 * count keeps it from being terminated meanwhile.  The page is left
 * valid, active and unbusied: since the tokens the walk relied on may
 * have been lost while the pager blocked, the fault then starts over
 * (KERN_TRY_AGAIN, FW_WAIT_PAGER) and finds it resident.  KERN_SUCCESS
 * when the pager has no data after all (VM_PAGER_FAIL: look deeper or
 * zero-fill); KERN_TRY_AGAIN; KERN_FAILURE or KERN_PROTECTION_FAILURE on
 * a pager error.
 */
static int
vm_fault_pager_read(struct faultstate *fs, vm_object_t obj,
    vm_pindex_t pindex)
{
	vm_page_t m;
	int r, seqaccess;

	m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK);
	if (m == NULL) {
		/* Short, unless a fault got in while we blocked on a token. */
		if (vm_page_lookup(obj, pindex) == NULL)
			fs->wait = FW_WAIT_MEM;
		return (KERN_TRY_AGAIN);
	}
	seqaccess = (fs->entry->eflags & MAP_ENTRY_BEHAV_MASK) ==
	    MAP_ENTRY_BEHAV_RANDOM ? 0 : -1;
	vm_object_pip_add(obj, 1);
	r = vm_pager_get_page(obj, &m, seqaccess);
	vm_object_pip_wakeup(obj);
	if (r != VM_PAGER_OK) {
		vm_page_free(m);
		return (r == VM_PAGER_FAIL ? KERN_SUCCESS :
		    vm_fault_pager_rv(r));
	}
	vm_page_activate(m);
	vm_page_wakeup(m);
	fs->hardfault = 1;
	fs->wait = FW_WAIT_PAGER;
	return (KERN_TRY_AGAIN);
}

/*
 * vm_fault_pager - va's page is not resident in the object of link ba:
 * TRYPAGER's step.  If the object's pager has the page (haspage), read it
 * in (vm_fault_pager_read).  A deeper object is held exclusively for the
 * insert; the head must already be (else KERN_TRY_AGAIN asks for that).
 * Map locked shared, head held.  May block.  KERN_SUCCESS: the pager has
 * nothing, go on down the chain; otherwise as vm_fault_pager_read.
 */
static int
vm_fault_pager(struct faultstate *fs, vm_map_backing_t ba,
    vm_pindex_t pindex)
{
	vm_object_t obj = ba->object;
	int rv = KERN_SUCCESS;

	if (ba == fs->first_ba) {
		if (fs->first_shared) {
			fs->wait = FW_WAIT_EXCL;
			return (KERN_TRY_AGAIN);
		}
	} else {
		vm_object_hold(obj);
	}
	if ((atomic_load_relaxed(&obj->flags) & OBJ_DEAD) == 0 &&
	    vm_pager_has_page(obj, pindex))
		rv = vm_fault_pager_read(fs, obj, pindex);
	if (ba != fs->first_ba)
		vm_object_drop(obj);
	return (rv);
}

/*
 * vm_fault_ba_page - look for va's page in the object of link ba and
 * hard-busy it; if it is not resident and the object has a pager, ask the
 * pager (vm_fault_pager).  For a deeper link the object is held shared
 * for the look only: the busy keeps the page in it.  Map locked shared,
 * head object held.  Blocks only in a pager.  KERN_SUCCESS with *mp the
 * busied, fully valid page or NULL (not there: go deeper); KERN_TRY_AGAIN
 * if it was busy or a pager read it (fs->wait says so); a pager's error.
 */
static int
vm_fault_ba_page(struct faultstate *fs, vm_map_backing_t ba, vm_page_t *mp)
{
	vm_object_t obj = ba->object;
	vm_pindex_t pindex = vm_fault_ba_pindex(ba, fs->vaddr);
	vm_page_t m = NULL;
	int busy = 0;

	*mp = NULL;
	if (obj == NULL)
		return (KERN_SUCCESS);
	if (ba != fs->first_ba)
		vm_object_hold_shared(obj);
	if (pindex >= obj->size)
		m = NULL;
	else if (ba == fs->first_ba || !(fs->fault_type & VM_PROT_WRITE))
		m = vm_page_lookup_busy_try(obj, pindex, TRUE, &busy);
	else if ((m = vm_page_lookup_nohash(obj, pindex)) != NULL)
		busy = vm_page_busy_try(m, TRUE);	/* to be copied */
	if (ba != fs->first_ba)
		vm_object_drop(obj);
	if (m == NULL)
		return (pindex < obj->size && vm_fault_trypager(fs, obj) ?
		    vm_fault_pager(fs, ba, pindex) : KERN_SUCCESS);
	if (busy) {
		fs->wait = FW_WAIT_BUSY;
		fs->wait_m = m;
		return (KERN_TRY_AGAIN);
	}
	if (!vm_fault_page_valid(m)) {
		/* No pager filled it: it reads as zeros in the head only. */
		if (ba != fs->first_ba) {
			vm_page_wakeup(m);
			return (KERN_SUCCESS);
		}
		fs->dozero = 1;
	}
	*mp = m;
	return (KERN_SUCCESS);
}

/*
 * vm_fault_head_alloc - a new page at the fault's index of the head
 * object: zeroed, or with src's bytes when src is not NULL.  Head held;
 * it must be held exclusively, else KERN_TRY_AGAIN asks for that.  Never
 * blocks.  KERN_SUCCESS with *mp hard-busied (valid == 0), or
 * KERN_TRY_AGAIN (memory short, shared hold, or another fault inserted
 * the page while a token was lost to a block).
 */
static int
vm_fault_head_alloc(struct faultstate *fs, vm_page_t src, vm_page_t *mp)
{
	int flags = VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK;

	if (fs->first_shared) {
		fs->wait = FW_WAIT_EXCL;
		return (KERN_TRY_AGAIN);
	}
	if (src != NULL)
		*mp = vm_page_alloc_copy(fs->first_obj, fs->first_pindex,
		    flags, src);
	else
		*mp = vm_page_alloc(fs->first_obj, fs->first_pindex,
		    flags | VM_ALLOC_ZERO);
	if (*mp != NULL)
		return (KERN_SUCCESS);
	/* Short, unless a fault got in while we blocked on a token. */
	if (vm_page_lookup(fs->first_obj, fs->first_pindex) == NULL)
		fs->wait = FW_WAIT_MEM;
	return (KERN_TRY_AGAIN);
}

/*
 * vm_fault_zerofill - nothing in the chain has the page: a zero page in
 * the head object.  Head held.  Never blocks.  KERN_SUCCESS (fs->m) or
 * KERN_TRY_AGAIN.
 */
static int
vm_fault_zerofill(struct faultstate *fs)
{
	vm_page_t m;
	int rv;

	rv = vm_fault_head_alloc(fs, NULL, &m);
	if (rv != KERN_SUCCESS)
		return (rv);
	atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
	VMCNT_ADD(v_zfod, 1);
	fs->m = m;
	return (KERN_SUCCESS);
}

/*
 * vm_fault_cow_prefetch - after a copy-on-write copy, start loading the
 * struct of the page mapped read-only at the next address of the entry (a
 * flyvm addition): the page the next such fault would copy, if writes go
 * on in order as they mostly do (filling or updating an array after a
 * fork).  That fault then busies it and takes its mapping away without
 * waiting for memory (docs/vm_fault.md, "Costs").  Not for an entry
 * advised MADV_RANDOM.  Map locked shared.
 */
static void
vm_fault_cow_prefetch(struct faultstate *fs)
{
	vm_offset_t next = fs->vaddr + PAGE_SIZE;

	if (next < fs->entry->ba.end && (fs->entry->eflags &
	    MAP_ENTRY_BEHAV_MASK) != MAP_ENTRY_BEHAV_RANDOM)
		pmap_cow_prefetch(vm_map_pmap(fs->map), next);
}

/*
 * vm_fault_cow - a write found the page in a deeper object `src'
 * (hard-busied): copy it into a new page of the head object.  Head held.
 * Blocks (tokens lost and retaken) only for a head other maps share, in
 * the pmap while taking src's stale mappings away; the copy is already in
 * the head then, hard-busied, so nothing the caller looked at can change
 * under it.  src is unbusied either way.  KERN_SUCCESS (fs->m the copy)
 * or KERN_TRY_AGAIN.
 */
static int
vm_fault_cow(struct faultstate *fs, vm_page_t src)
{
	vm_page_t m;
	int rv;

	rv = vm_fault_head_alloc(fs, src, &m);
	if (rv == KERN_SUCCESS) {
		/* Dirtied by the caller, as every write fault's page. */
		atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
		VMCNT_ADD(v_cow_faults, 1);
		fs->m = m;
		fs->didcow = 1;
		/*
		 * A head object other maps share (an entry forked with
		 * INHERIT_SHARE while it was still copy-on-write) now holds
		 * the page, but those maps may still map src read-only from
		 * below it: they would never see this write.  Take src's
		 * mappings away so that they fault and find the copy.
		 */
		if (atomic_load_int(&fs->first_obj->ref_count) > 1)
			pmap_remove_all_unwired(src);
		vm_fault_cow_prefetch(fs);
	}
	vm_page_wakeup(src);
	return (rv);
}

/*
 * vm_fault_resolve - phase 4: turn the page the walk found (busied, in
 * link ba; NULL for none) into fs->m and fs->prot.  Head held.  Blocks
 * only as vm_fault_cow says.  KERN_SUCCESS or KERN_TRY_AGAIN.
 */
static int
vm_fault_resolve(struct faultstate *fs, vm_map_backing_t ba, vm_page_t m)
{
	int write = (fs->fault_type & VM_PROT_WRITE) != 0;
	int rv = KERN_SUCCESS;

	if (m == NULL) {
		rv = vm_fault_zerofill(fs);
	} else if (ba == fs->first_ba) {
		if (fs->dozero) {
			vm_page_zero_invalid(m, TRUE);
			VMCNT_ADD(v_zfod, 1);
		}
		fs->m = m;
	} else if (write) {
		rv = vm_fault_cow(fs, m);
	} else {
		fs->m = m;
		fs->prot = fs->first_prot & ~VM_PROT_WRITE;
		return (KERN_SUCCESS);
	}
	if (rv != KERN_SUCCESS)
		return (rv);
	if (write || (fs->fault_flags & VM_FAULT_DIRTY))
		vm_fault_dirty(fs->m);
	if (write)
		fs->prot = fs->first_prot;
	else
		fs->prot = vm_fault_read_prot(fs->first_prot, fs->m);
	return (KERN_SUCCESS);
}

/*
 * vm_fault_object - phases 3 and 4: hold the head object and walk the
 * chain for the page.  Map locked shared; leaves the head held
 * (fs->first_held) whatever happens.  Blocks only on the head's token
 * and as vm_fault_cow says.  KERN_SUCCESS with fs->m hard-busied and fs->prot set;
 * KERN_TRY_AGAIN (fs->wait says why); KERN_PROTECTION_FAILURE past the
 * end of the head object.
 */
static int
vm_fault_object(struct faultstate *fs)
{
	vm_map_backing_t ba;
	vm_page_t m = NULL;
	int rv;

	vm_fault_hold_first(fs);
	if (fs->first_pindex >= fs->first_obj->size)
		return (KERN_PROTECTION_FAILURE);
	if (atomic_load_relaxed(&fs->first_obj->flags) & OBJ_DEAD)
		return (KERN_PROTECTION_FAILURE);
	for (ba = fs->first_ba; ba != NULL; ba = ba->backing_ba) {
		rv = vm_fault_ba_page(fs, ba, &m);
		if (rv != KERN_SUCCESS)
			return (rv);
		if (m != NULL)
			break;
	}
	return (vm_fault_resolve(fs, ba, m));
}

/************************************************************************
 *			Phase 5: enter, prefault
 ************************************************************************/

/*
 * vm_fault_enter - map fs->m at the fault address and give up the busy:
 * wired for a wiring fault (the page gains a wiring), else activated.
 * Map locked shared, fs->m busied.  May block in the pmap.  With
 * keep_busy the page stays hard-busied for the caller (vm_fault_page).
 */
static void
vm_fault_enter(struct faultstate *fs, int keep_busy)
{
	vm_page_t m = fs->m;
	int wired;

	wired = (fs->fault_flags & VM_FAULT_CHANGE_WIRING) ||
	    (fs->wflags & FW_WIRED);
	vm_page_flag_set_once(m, PG_REFERENCED);
	/* A wiring fault makes no access; any other is retried at once. */
	pmap_enter_access(vm_map_pmap(fs->map), fs->vaddr, m, fs->prot, wired,
	    fs->entry, (fs->fault_flags & VM_FAULT_CHANGE_WIRING) ?
	    VM_PROT_NONE : fs->fault_type & VM_PROT_ALL);
	if (fs->msoftonly) {
		vm_page_sbusy_drop(m);
		return;
	}
	if (fs->fault_flags & VM_FAULT_CHANGE_WIRING)
		vm_page_wire(m);
	vm_page_activate(m);
	if (!keep_busy)
		vm_page_wakeup(m);
}

/*
 * vm_fault_prefault_find - the page for a prefault at va: in the head
 * object, or in a deeper one (then *deeperp is set).  Never waits for a
 * busy page.  Map locked shared, head held.  Returns the page hard-busied
 * and fully valid; or NULL with *absentp set when no object of the chain
 * has a page there (a zero-fill may stand in), clear when one has but it
 * cannot be used now (busy, invalid) or an object of the chain has a
 * pager that may have it: then nothing may be mapped.
 */
static vm_page_t
vm_fault_prefault_find(struct faultstate *fs, vm_offset_t va, int *deeperp,
    int *absentp)
{
	vm_map_backing_t ba;
	vm_object_t obj;
	vm_pindex_t pindex;
	vm_page_t m = NULL;
	int busy;

	*absentp = 0;
	for (ba = fs->first_ba; ba != NULL; ba = ba->backing_ba) {
		obj = ba->object;
		if (obj == NULL)
			continue;
		pindex = vm_fault_ba_pindex(ba, va);
		if (ba != fs->first_ba)
			vm_object_hold_shared(obj);
		busy = 0;
		m = (pindex < obj->size) ?
		    vm_page_lookup_busy_try(obj, pindex, TRUE, &busy) : NULL;
		if (ba != fs->first_ba)
			vm_object_drop(obj);
		if (m == NULL)
			continue;
		if (busy)
			return (NULL);
		if (vm_fault_page_valid(m)) {
			*deeperp = (ba != fs->first_ba);
			return (m);
		}
		vm_page_wakeup(m);
		return (NULL);
	}
	/* A pager may hold data for it: never stand a zero page in. */
	for (ba = fs->first_ba; ba != NULL; ba = ba->backing_ba)
		if (ba->object != NULL && ba->object->type != OBJT_DEFAULT)
			return (NULL);
	*absentp = 1;
	return (NULL);
}

/*
 * vm_fault_prefault_page - map what is at va (its pte was empty a moment
 * ago), if anything cheap: a resident page (deeper ones read-only), or on
 * a write fault with vm.fast_fault, where no object has a page, a fresh
 * zero page of the exclusively held head object (inside its size),
 * mapped writeable and dirty.  Map locked shared, head held.  Returns
 * FALSE when prefaulting should stop (memory short).
 */
static int
vm_fault_prefault_page(struct faultstate *fs, vm_offset_t va)
{
	pmap_t pmap = vm_map_pmap(fs->map);
	vm_pindex_t pindex;
	vm_prot_t prot;
	vm_page_t m;
	int deeper = 0, absent;

	m = vm_fault_prefault_find(fs, va, &deeper, &absent);
	if (m != NULL) {
		prot = vm_fault_read_prot(fs->first_prot, m);
		if (deeper)
			prot &= ~VM_PROT_WRITE;
		if (prot == VM_PROT_NONE) {
			/* A write-only entry cannot map a page read-only. */
			vm_page_wakeup(m);
			return (TRUE);
		}
	} else {
		pindex = vm_fault_ba_pindex(fs->first_ba, va);
		if (!absent || !vm_fast_fault || fs->first_shared ||
		    (fs->fault_type & VM_PROT_WRITE) == 0 ||
		    pindex >= fs->first_obj->size || vm_paging_min())
			return (TRUE);
		m = vm_page_alloc(fs->first_obj, pindex,
		    VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK | VM_ALLOC_ZERO);
		if (m == NULL)
			return (FALSE);
		atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
		vm_fault_dirty(m);
		VMCNT_ADD(v_ozfod, 1);
		prot = fs->first_prot;
	}
	pmap_enter(pmap, va, m, prot, FALSE, fs->entry);
	vm_page_activate(m);
	vm_page_wakeup(m);
	return (TRUE);
}

/*
 * vm_fault_prefault - map up to vm.prefault_pages neighbours of the fault
 * address inside the entry, alternating after and before it, those whose
 * pte is empty (one pmap_prefault_ok_n for the burst).  Map locked
 * shared, head held.  May block in the pmap.
 */
static void
vm_fault_prefault(struct faultstate *fs)
{
	vm_map_entry_t entry = fs->entry;
	vm_offset_t va, vas[64];
	uint64_t ok;
	int i, k, n = MIN(vm_prefault_pages, (int)nitems(vas));

	if (n <= 0 || (fs->fault_flags & (VM_FAULT_BURST |
	    VM_FAULT_BURST_QUICK)) == 0 ||
	    (fs->fault_flags & VM_FAULT_WIRE_MASK) ||
	    (fs->wflags & FW_WIRED) || !fs->first_held)
		return;
	for (i = 1, k = 0; i <= n; i++) {
		if (i & 1)
			va = fs->vaddr + PAGE_SIZE * (vm_offset_t)((i + 1) / 2);
		else
			va = fs->vaddr - PAGE_SIZE * (vm_offset_t)(i / 2);
		if (va >= entry->ba.start && va < entry->ba.end)
			vas[k++] = va;
	}
	ok = pmap_prefault_ok_n(vm_map_pmap(fs->map), vas, k);
	for (i = 0; i < k; i++) {
		if ((ok & ((uint64_t)1 << i)) == 0)
			continue;
		if (!vm_fault_prefault_page(fs, vas[i]))
			break;
	}
}

/*
 * vm_fault_rss - RLIMIT_RSS enforcement on user faults (facts 4.8): when
 * the faulting process has more than RLIMIT_RSS pages resident (wired
 * ones not counted) plus DragonFly's slack of VM_FAULT_RSS_SLACK, and
 * vm.pageout_memuse_mode >= 1, pages of its map are deactivated until it
 * is back at the limit.  No locks held; may block.
 */
static void
vm_fault_rss(struct faultstate *fs)
{
	struct proc *p = curthread->td_proc;
	vm_pindex_t limit;
	long size;

	if (p == NULL || p->p_vmspace == NULL || vm_pageout_memuse_mode < 1 ||
	    vm_map_pmap(fs->map) != vmspace_pmap(p->p_vmspace))
		return;
	limit = atop((vm_pindex_t)proc_rlimit_cur(p, RLIMIT_RSS));
	/*
	 * No process can have more pages resident than the system has:
	 * with the default limit (the memory free at boot) or above, skip
	 * summing the pmap's per-slot counts, lines the other CPUs write.
	 */
	if (limit + VM_FAULT_RSS_SLACK >= (vm_pindex_t)vmstats.v_page_count)
		return;
	size = pmap_resident_tlnw_count(vm_map_pmap(fs->map));
	if (size > VM_FAULT_RSS_SLACK &&
	    (vm_pindex_t)(size - VM_FAULT_RSS_SLACK) >= limit)
		vm_pageout_map_deactivate_pages(fs->map, limit);
}

/************************************************************************
 *			The fault
 ************************************************************************/

/*
 * vm_fault_account - count a resolved fault: v_vm_faults, and for the
 * faulting thread's process a major fault when a pager read a page for
 * it (DragonFly's fs.hardfault -> ru_majflt), else a minor one.  No locks.
 */
static void
vm_fault_account(struct faultstate *fs)
{
	struct proc *p = curthread->td_proc;

	VMCNT_ADD(v_vm_faults, 1);
	if (p == NULL)
		return;
	if (fs->hardfault)
		atomic_add_long(&p->p_majflt, 1);
	else
		atomic_add_long(&p->p_minflt, 1);
}

/* Start a faultstate for a fault at vaddr. */
static void
vm_fault_state_init(struct faultstate *fs, vm_map_t map, vm_offset_t vaddr,
    vm_prot_t fault_type, int fault_flags)
{
	memset(fs, 0, sizeof(*fs));
	fs->map = map;
	fs->vaddr = trunc_page(vaddr);
	fs->fault_type = fault_type;
	fs->fault_flags = fault_flags;
	fs->growstack = (fault_flags & VM_FAULT_USERMODE) != 0;
}

/*
 * May the first pass hold the head object shared?  Only for a read that
 * will likely find the page without inserting one: vm.shared_fault, not
 * wiring, and a chain behind the head (an anonymous head alone would
 * mostly need a zero-fill, which takes the exclusive hold anyway).
 */
static int
vm_fault_shared_ok(struct faultstate *fs)
{
	return (vm_shared_fault && (fs->fault_type & VM_PROT_WRITE) == 0 &&
	    (fs->fault_flags & VM_FAULT_WIRE_MASK) == 0 &&
	    (fs->wflags & FW_WIRED) == 0 && fs->first_ba->backing_ba != NULL);
}

/*
 * vm_fault_try - one pass from lookup to a busied page (phases 1-4).
 * No locks on entry.  On KERN_SUCCESS the map is locked shared, the head
 * object maybe held, fs->m busied; otherwise nothing is held.  May block.
 */
static int
vm_fault_try(struct faultstate *fs)
{
	int rv;

	fs->m = NULL;
	fs->msoftonly = fs->didcow = fs->dozero = 0;
	rv = vm_fault_lookup(fs);
	if (rv != KERN_SUCCESS)
		return (rv);
	if (vm_fault_bypass(fs))
		return (KERN_SUCCESS);
	if (fs->retries == 0)
		fs->first_shared = vm_fault_shared_ok(fs);
	rv = vm_fault_object(fs);
	if (rv != KERN_SUCCESS) {
		vm_fault_unlock(fs);
		if (rv == KERN_TRY_AGAIN)
			rv = vm_fault_wait(fs);
	}
	return (rv);
}

/*
 * vm_fault_run - the retry loop: passes until one does not ask for a
 * retry.  No locks on entry.  On KERN_SUCCESS as vm_fault_try.
 */
static int
vm_fault_run(struct faultstate *fs)
{
	int rv;

	while ((rv = vm_fault_try(fs)) == KERN_TRY_AGAIN)
		fs->retries++;
	return (rv);
}

int
vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
    int fault_flags)
{
	struct faultstate fs;
	int rv;

	KASSERT(map != NULL, ("vm_fault: no map"));
	vm_fault_state_init(&fs, map, vaddr, fault_type, fault_flags);
	rv = vm_fault_run(&fs);
	if (rv != KERN_SUCCESS)
		return (rv);
	vm_fault_enter(&fs, FALSE);
	vm_fault_prefault(&fs);
	vm_fault_unlock(&fs);
	vm_fault_account(&fs);
	if (fault_flags & VM_FAULT_USERMODE)
		vm_fault_rss(&fs);
	return (KERN_SUCCESS);
}

vm_page_t
vm_fault_page(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
    int fault_flags, int *errorp, int *busyp)
{
	struct faultstate fs;
	vm_page_t m;
	int keep, rv;

	KASSERT(map != NULL && errorp != NULL, ("vm_fault_page: args"));
	m = pmap_fault_page_quick(vm_map_pmap(map), vaddr, fault_type, busyp);
	if (m != NULL) {
		*errorp = 0;
		return (m);
	}
	vm_fault_state_init(&fs, map, vaddr, fault_type,
	    fault_flags & ~(VM_FAULT_BURST | VM_FAULT_BURST_QUICK));
	rv = vm_fault_run(&fs);
	if (rv != KERN_SUCCESS) {
		*errorp = rv;
		return (NULL);
	}
	keep = (busyp != NULL && !fs.msoftonly);
	if (!keep)
		vm_page_hold(fs.m);
	vm_fault_enter(&fs, keep);
	vm_fault_unlock(&fs);
	vm_fault_account(&fs);
	if (busyp != NULL)
		*busyp = keep;
	*errorp = 0;
	return (fs.m);
}

/*
 * vm_fault_trap - see vm_fault.h.  Only vmspace pmaps fault through
 * vm_fault; the kernel pmap never gets here (pmap_access refuses kernel
 * addresses before calling the hook).
 */
int
vm_fault_trap(pmap_t pmap, vm_offset_t va, vm_prot_t type, void *arg)
{
	struct vmspace *vm;

	(void)arg;
	if (pmap == NULL || pmap == &kernel_pmap)
		return (KERN_INVALID_ADDRESS);
	vm = (struct vmspace *)((char *)pmap -
	    offsetof(struct vmspace, vm_pmap));
	return (vm_fault(&vm->vm_map, va, type,
	    VM_FAULT_NORMAL | VM_FAULT_BURST | VM_FAULT_USERMODE));
}

/************************************************************************
 *			Wiring
 ************************************************************************/

/*
 * Unwire the pages of [start, end) that pmap has wired mappings for.
 * No locks needed beyond keeping the range alive.  May block.
 */
static void
vm_fault_unwire_range(pmap_t pmap, vm_offset_t start, vm_offset_t end)
{
	vm_offset_t va;
	vm_page_t m;

	for (va = start; va < end; va += PAGE_SIZE) {
		m = pmap_unwire(pmap, va);
		if (m == NULL)
			continue;
		vm_page_busy_wait(m, FALSE, "vmfuw");
		vm_page_unwire(m, TRUE);
		vm_page_wakeup(m);
	}
}

/*
 * vm_fault_wire - fault in and wire every page of the entry (the map
 * hook; contract in vm_map.h).  The entry is IN_TRANSITION and its
 * wired_count already raised, so the faults see FW_WIRED.  The map is
 * unlocked around the faults.  On failure the pages wired so far are
 * unwired again.  KERN_SUCCESS or the failing fault's KERN_*.
 */
int
vm_fault_wire(vm_map_t map, vm_map_entry_t entry, boolean_t user_wire,
    int kmflags)
{
	vm_offset_t start = entry->ba.start, end = entry->ba.end, va;
	int flags, rv = KERN_SUCCESS;

	(void)kmflags;
	VM_MAP_ASSERT_LOCKED(map);
	KASSERT(entry->eflags & MAP_ENTRY_IN_TRANSITION,
	    ("vm_fault_wire: entry %p not in transition", entry));
	flags = VM_FAULT_CHANGE_WIRING | (user_wire ? VM_FAULT_USER_WIRE : 0);
	if (entry->eflags & MAP_ENTRY_KSTACK)
		start += PAGE_SIZE;
	vm_map_unlock(map);
	for (va = start; va < end; va += PAGE_SIZE) {
		rv = vm_fault(map, va, VM_PROT_NONE, flags);
		if (rv != KERN_SUCCESS)
			break;
	}
	if (rv != KERN_SUCCESS)
		vm_fault_unwire_range(vm_map_pmap(map), start, va);
	vm_map_lock(map);
	return (rv);
}

/*
 * vm_fault_unwire - unwire the entry's pages (the map hook).  Map locked
 * exclusively.  May block.
 */
void
vm_fault_unwire(vm_map_t map, vm_map_entry_t entry)
{
	vm_offset_t start = entry->ba.start;

	VM_MAP_ASSERT_LOCKED(map);
	if (entry->eflags & MAP_ENTRY_KSTACK)
		start += PAGE_SIZE;
	vm_fault_unwire_range(vm_map_pmap(map), start, entry->ba.end);
}

/************************************************************************
 *			Fork: collapse and wired copies
 ************************************************************************/

/*
 * The page at va somewhere in the chain below the head link `ba0',
 * hard-busied (waiting for it if busy), or NULL.  Map locked
 * exclusively.  May block.
 */
static vm_page_t
vm_fault_chain_page(vm_map_backing_t ba0, vm_offset_t va)
{
	vm_map_backing_t ba;
	vm_pindex_t pindex;
	vm_page_t m = NULL;

	for (ba = ba0; ba != NULL && m == NULL; ba = ba->backing_ba) {
		if (ba->object == NULL)
			continue;
		pindex = vm_fault_ba_pindex(ba, va);
		vm_object_hold_shared(ba->object);
		if (pindex < ba->object->size)
			m = vm_page_lookup_busy_wait(ba->object, pindex, FALSE,
			    "vmfcp");
		vm_object_drop(ba->object);
		if (m != NULL && !vm_fault_page_valid(m)) {
			vm_page_wakeup(m);
			m = NULL;
		}
	}
	return (m);
}

/*
 * Copy src (hard-busied, unbusied here) into a new page at pindex of obj
 * (held exclusively).  Returns the copy hard-busied, or NULL if memory is
 * short.
 */
static vm_page_t
vm_fault_copy_page(vm_page_t src, vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK);
	if (m != NULL)
		vm_page_copy(src, m);
	vm_page_wakeup(src);
	return (m);
}

/*
 * One page of a collapse: if the head object lacks va's page and a deeper
 * object has it, copy it up.  Head held exclusively, map locked
 * exclusively.  May block.  KERN_SUCCESS (*copied counts copies) or
 * KERN_RESOURCE_SHORTAGE.
 */
static int
vm_fault_collapse_page(vm_map_entry_t entry, vm_offset_t va, int *copied)
{
	vm_object_t obj = entry->ba.object;
	vm_pindex_t pindex = vm_fault_ba_pindex(&entry->ba, va);
	vm_page_t src, m;

	if (pindex >= obj->size || vm_page_lookup(obj, pindex) != NULL)
		return (KERN_SUCCESS);
	src = vm_fault_chain_page(entry->ba.backing_ba, va);
	if (src == NULL)
		return (KERN_SUCCESS);
	if (vm_page_lookup(obj, pindex) != NULL) {
		/* Filled while we waited for src. */
		vm_page_wakeup(src);
		return (KERN_SUCCESS);
	}
	m = vm_fault_copy_page(src, obj, pindex);
	if (m == NULL)
		return (KERN_RESOURCE_SHORTAGE);
	vm_page_activate(m);
	vm_page_wakeup(m);
	++*copied;
	return (KERN_SUCCESS);
}

/*
 * vm_fault_collapse - copy every page the entry sees through its chain
 * into its head object, so that vmspace_fork can drop the chain (the map
 * hook).  The old mappings of deeper pages are removed.  Map locked
 * exclusively.  May block.  KERN_SUCCESS, or KERN_RESOURCE_SHORTAGE (the
 * chain must be kept; what was copied is harmless).
 */
int
vm_fault_collapse(vm_map_t map, vm_map_entry_t entry)
{
	vm_object_t obj = entry->ba.object;
	vm_offset_t va;
	int copied = 0, rv = KERN_SUCCESS;

	VM_MAP_ASSERT_LOCKED(map);
	if (obj == NULL || entry->maptype != VM_MAPTYPE_NORMAL)
		return (KERN_FAILURE);
	vm_object_hold(obj);
	for (va = entry->ba.start; va < entry->ba.end; va += PAGE_SIZE) {
		rv = vm_fault_collapse_page(entry, va, &copied);
		if (rv != KERN_SUCCESS)
			break;
	}
	vm_object_drop(obj);
	if (rv == KERN_SUCCESS)
		pmap_remove(vm_map_pmap(map), entry->ba.start, entry->ba.end);
	return (rv);
}

/*
 * vm_fault_copy_entry - a wired entry cannot be shared copy-on-write at
 * fork: copy each of its pages into dst_entry's fresh object and map the
 * copies in dst_map (the map hook).  Both maps locked exclusively.  May
 * block: it waits for memory until every page is copied.
 */
void
vm_fault_copy_entry(vm_map_t dst_map, vm_map_t src_map,
    vm_map_entry_t dst_entry, vm_map_entry_t src_entry)
{
	vm_object_t dst_obj = dst_entry->ba.object;
	vm_offset_t va;
	vm_page_t src, m;

	(void)src_map;
	KASSERT(dst_obj != NULL, ("vm_fault_copy_entry: no object"));
	vm_object_hold(dst_obj);
	for (va = src_entry->ba.start; va < src_entry->ba.end;
	    va += PAGE_SIZE) {
		m = NULL;
		while ((src = vm_fault_chain_page(&src_entry->ba, va)) != NULL) {
			m = vm_fault_copy_page(src, dst_obj,
			    vm_fault_ba_pindex(&dst_entry->ba, va));
			if (m != NULL)
				break;
			vm_wait_pfault();
		}
		if (m == NULL)
			continue;
		/* An inaccessible entry gets its copies unmapped. */
		if (dst_entry->protection != VM_PROT_NONE)
			pmap_enter(vm_map_pmap(dst_map), va, m,
			    dst_entry->protection, FALSE, dst_entry);
		vm_page_activate(m);
		vm_page_wakeup(m);
	}
	vm_object_drop(dst_obj);
}
