/*
 * vm_map.c - address spaces: map entries, backing chains, vmspaces
 * (DragonFly's vm/vm_map.c).
 *
 * Design note
 * -----------
 * A map is a red-black tree of entries keyed by start address.  Each entry
 * embeds the head of its backing chain (entry->ba): the object that takes
 * writes, the offset of ba.start in it, and, through ba.backing_ba, older
 * objects the entry was copied from.  Copy-on-write never builds object
 * shadow chains: vm_map_entry_shadow() pushes a fresh object in front of
 * the entry's chain, and faults walk the chain.  Anonymous entries get
 * their object lazily (vm_map_entry_allocate_object) at first fault, fork,
 * wiring, or when clipped within one 32 MiB partition.
 *
 * Invariants (vm_map_audit checks all of them):
 *   1. Entries are page aligned, non-empty, inside [min_addr, max_addr),
 *      do not overlap, and the tree orders them by ba.start.
 *   2. map->nentries is the number of entries and map->size the sum of
 *      their lengths.
 *   3. Every link of an entry's chain has the entry's start and end and the
 *      map's pmap; its backing_count is the number of links behind it; if
 *      it has an object it holds one reference on it and sits on the
 *      object's backing_list.  Links are never shared between entries.
 *   4. An entry without a head object has no chain.
 *   5. An entry with MAP_ENTRY_IN_TRANSITION belongs to the thread that set
 *      it: nobody else clips, merges, deletes or rewires it; they set
 *      NEEDS_WAKEUP and sleep on the map (vm_map_transition_wait).
 *   6. For each free hint (length, align), no hole in [base, start)
 *      can hold such a request.
 *   7. A MAP_ENTRY_STACK entry reserves aux.avail_ssize bytes below its
 *      start for growth; findspace treats the reserve as occupied.  Only
 *      the lowest segment of a stack has a non-zero reserve.
 *   8. Clipping never allocates under the map lock: entries come from the
 *      caller's reservation (vm_map_entry_reserve) and the per-CPU cache.
 *
 * Locks and order:
 *   map token (soft; callers serialize check-then-modify sequences; tokens
 *     are released while blocked and never deadlock)
 *   map lock (lockmgr "vm_maplk")
 *     -> object token (vm_object_hold)
 *     -> object backing_lk (innermost of ours; never held across a call
 *        that can block on anything else)
 *   ilock_spin is a leaf, taken with or without the map lock.
 *   A link's list linkage belongs to its object's backing_lk (other maps
 *   change it), so links and entries are copied field by field, never as
 *   whole structures.
 *   Sleeping on the map address (transition waits) uses the interlocked
 *   tsleep, so a wakeup from the owner of an entry is never lost.
 *
 * Not here: the fault itself (vm_fault.c fills struct vm_map_fault_hooks),
 * submaps, UKSMAPs, and vm_map_clean's write-back of vnode pages (there
 * are no vnode objects yet).
 */
#include <string.h>

#include "kern/lockorder.h"
#include "kern/refcount.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "kern/zone.h"
#include "vm/vm_map.h"
#include "vm/vm_mman.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_tunables.h"

/* vm_map_backing_replicated flags */
#define MAP_BACK_CLIPPED	0x0001	/* a clip: ONEMAPPING survives */
#define MAP_BACK_BASEOBJREFD	0x0002	/* head object ref donated */

/* Swap metadata pages per swblock (swap_pager.h's SWAP_META_PAGES). */
#define VM_MAP_SWAP_META_PAGES	16

static vm_zone_t mapentzone;		/* struct vm_map_entry */
static vm_zone_t mapbackzone;		/* chain links behind the head */
static vm_zone_t vmspace_zone;		/* struct vmspace */
static long vm_map_entries_live;	/* (a) */
static long vm_map_backings_live;	/* (a) */
static long vmspaces_live;		/* (a) */

/*
 * The default fault hooks, until vm_fault.c installs its own: wiring
 * succeeds without touching pages, collapse declines, nothing is copied.
 */
static int vm_map_default_wire(vm_map_t map, vm_map_entry_t entry,
	    boolean_t user_wire, int kmflags);
static void vm_map_default_unwire(vm_map_t map, vm_map_entry_t entry);
static int vm_map_default_collapse(vm_map_t map, vm_map_entry_t entry);
static void vm_map_default_copy_entry(vm_map_t dst_map, vm_map_t src_map,
	    vm_map_entry_t dst_entry, vm_map_entry_t src_entry);

static const struct vm_map_fault_hooks vm_map_default_hooks = {
	.fault_wire = vm_map_default_wire,
	.fault_unwire = vm_map_default_unwire,
	.fault_collapse = vm_map_default_collapse,
	.fault_copy_entry = vm_map_default_copy_entry,
};
static const struct vm_map_fault_hooks *vm_map_hooks = &vm_map_default_hooks;

/*
 * RB tree of entries, ordered by start address.
 */
static int
rb_vm_map_compare(vm_map_entry_t a, vm_map_entry_t b)
{
	if (a->ba.start < b->ba.start)
		return (-1);
	else if (a->ba.start > b->ba.start)
		return (1);
	return (0);
}
RB_GENERATE(vm_map_rb_tree, vm_map_entry, rb_entry, rb_vm_map_compare);

/*
 * Tree walking: the first entry, the next and previous ones.  Map locked
 * in any mode.
 */
static inline vm_map_entry_t
vm_map_first(vm_map_t map)
{
	return (RB_MIN(vm_map_rb_tree, &map->rb_root));
}

static inline vm_map_entry_t
vm_map_entry_next(vm_map_entry_t entry)
{
	return (vm_map_rb_tree_RB_NEXT(entry));
}

static inline vm_map_entry_t
vm_map_entry_prev(vm_map_entry_t entry)
{
	return (vm_map_rb_tree_RB_PREV(entry));
}

/* The entry after `prev' (a vm_map_lookup_entry result, maybe NULL). */
static inline vm_map_entry_t
vm_map_entry_after(vm_map_t map, vm_map_entry_t prev)
{
	return (prev != NULL ? vm_map_entry_next(prev) : vm_map_first(map));
}

/*
 * The first entry overlapping [addr, ...): the one containing addr, or
 * the first above it (NULL if none).  Map locked in any mode.
 */
static inline vm_map_entry_t
vm_map_first_overlap(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t entry;

	if (vm_map_lookup_entry(map, addr, &entry))
		return (entry);
	return (vm_map_entry_after(map, entry));
}

/* Bytes the entry maps.  Map locked in any mode. */
static inline vm_size_t
vm_map_entry_len(vm_map_entry_t entry)
{
	return (entry->ba.end - entry->ba.start);
}

/*
 * Thin pmap wrappers: a map built without a pmap (tests of pure map
 * bookkeeping) has none to update.
 */
static void
vm_map_pmap_remove(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	if (map->pmap != NULL)
		pmap_remove(map->pmap, start, end);
}

static void
vm_map_pmap_protect(vm_map_t map, vm_offset_t start, vm_offset_t end,
    vm_prot_t prot)
{
	if (map->pmap != NULL)
		pmap_protect(map->pmap, start, end, prot);
}

/*
 * vm_map_set_fault_hooks - see vm_map.h.  No requirements.
 */
const struct vm_map_fault_hooks *
vm_map_set_fault_hooks(const struct vm_map_fault_hooks *hooks)
{
	const struct vm_map_fault_hooks *old = vm_map_hooks;

	vm_map_hooks = (hooks != NULL) ? hooks : &vm_map_default_hooks;
	return (old);
}

static int
vm_map_default_wire(vm_map_t map, vm_map_entry_t entry, boolean_t user_wire,
    int kmflags)
{
	return (KERN_SUCCESS);
}

static void
vm_map_default_unwire(vm_map_t map, vm_map_entry_t entry)
{
}

static int
vm_map_default_collapse(vm_map_t map, vm_map_entry_t entry)
{
	return (KERN_FAILURE);
}

static void
vm_map_default_copy_entry(vm_map_t dst_map, vm_map_t src_map,
    vm_map_entry_t dst_entry, vm_map_entry_t src_entry)
{
}

/************************************************************************
 *			Boot, shutdown, counters
 ************************************************************************/

/*
 * vm_map_startup - create the entry, backing-link and vmspace zones.
 * Called once per boot after kern_init, before any map exists.
 */
void
vm_map_startup(void)
{
	mapentzone = zinit("VM MAP ENTRY", sizeof(struct vm_map_entry), 0);
	mapbackzone = zinit("VM MAP BACKING", sizeof(struct vm_map_backing),
	    0);
	vmspace_zone = zinit("VMSPACE", sizeof(struct vmspace), 0);
	if (mapentzone == NULL || mapbackzone == NULL || vmspace_zone == NULL)
		panic("vm_map_startup: out of memory");
	lockorder_declare("vm_maplk", "baclk");
	lockorder_declare("vm_maplk", "vm_map_ilock");
	vm_map_hooks = &vm_map_default_hooks;
}

/*
 * vm_map_shutdown - free every CPU's cached entries and the zones.  Every
 * map must be gone and no other thread may be running map code.
 */
void
vm_map_shutdown(void)
{
	globaldata_t gd;
	vm_map_entry_t entry;
	int i;

	KASSERT(vm_map_entries_live == 0, ("vm_map_shutdown: %ld entries",
	    vm_map_entries_live));
	KASSERT(vmspaces_live == 0, ("vm_map_shutdown: %ld vmspaces",
	    vmspaces_live));
	for (i = 0; i < ncpus; ++i) {
		gd = globaldata_find(i);
		while ((entry = gd->gd_vme_base) != NULL) {
			gd->gd_vme_base = entry->rb_entry.rbe_left;
			zfree(mapentzone, entry);
		}
		gd->gd_vme_avail = 0;
	}
	zdestroy(mapentzone);
	zdestroy(mapbackzone);
	zdestroy(vmspace_zone);
	mapentzone = mapbackzone = vmspace_zone = NULL;
}

/*
 * Counters for tests and audits: entries linked in maps, chain links
 * allocated behind heads, live vmspaces.  No requirements.
 */
long
vm_map_entry_count(void)
{
	return (atomic_load_long(&vm_map_entries_live));
}

long
vm_map_backing_count(void)
{
	return (atomic_load_long(&vm_map_backings_live));
}

long
vmspace_count(void)
{
	return (atomic_load_long(&vmspaces_live));
}

/* Fault injector of the backing-link allocator (shadowing can fail). */
struct fault_inject *
vm_map_backing_fault(void)
{
	return (zone_fault(mapbackzone));
}

/************************************************************************
 *				Map locks
 ************************************************************************/

/*
 * vm_map_lock - lock the map exclusively and bump its timestamp.
 * May block.  The caller must not hold the map lock.
 */
void
vm_map_lock(vm_map_t map)
{
	lockmgr(&map->lock, LK_EXCLUSIVE);
	++map->timestamp;
}

/* vm_map_unlock - release an exclusive lock held by the caller. */
void
vm_map_unlock(vm_map_t map)
{
	VM_MAP_ASSERT_LOCKED(map);
	lockmgr(&map->lock, LK_RELEASE);
}

/* vm_map_lock_read - lock the map shared.  May block. */
void
vm_map_lock_read(vm_map_t map)
{
	lockmgr(&map->lock, LK_SHARED);
}

/* vm_map_unlock_read - release a shared lock held by the caller. */
void
vm_map_unlock_read(vm_map_t map)
{
	lockmgr(&map->lock, LK_RELEASE);
}

/*
 * vm_map_lock_read_try - lock shared without blocking.  0 or EBUSY.
 */
int
vm_map_lock_read_try(vm_map_t map)
{
	return (lockmgr(&map->lock, LK_SHARED | LK_NOWAIT));
}

/*
 * vm_map_lock_read_to - lock shared, giving up after the lock's timeout
 * (about 100 ms).  0 or EWOULDBLOCK.  May block.
 */
int
vm_map_lock_read_to(vm_map_t map)
{
	return (lockmgr(&map->lock, LK_SHARED | LK_TIMELOCK));
}

/*
 * vm_map_lock_upgrade - shared to exclusive.  Returns 0 with the lock held
 * exclusively (timestamp bumped), or EBUSY with NO lock held when another
 * upgrade was pending: the caller must re-lock and look up again.
 * May block.
 */
int
vm_map_lock_upgrade(vm_map_t map)
{
	int error;

	error = lockmgr(&map->lock, LK_EXCLUPGRADE);
	if (error == 0)
		++map->timestamp;
	return (error);
}

/* vm_map_lock_downgrade - exclusive to shared.  Never blocks. */
void
vm_map_lock_downgrade(vm_map_t map)
{
	VM_MAP_ASSERT_LOCKED(map);
	lockmgr(&map->lock, LK_DOWNGRADE);
}

/* TRUE if the caller holds the map lock exclusively. */
int
vm_map_locked_excl(vm_map_t map)
{
	return (lockowned(&map->lock));
}

/* TRUE if the map lock is held in any mode (shared holders are anonymous). */
int
vm_map_locked(vm_map_t map)
{
	return (lockstatus(&map->lock, curthread) != 0);
}

/*
 * vm_map_transition_wait - sleep until some IN_TRANSITION entry changes.
 * The map is locked exclusively on entry and unlocked while asleep;
 * relocked (timestamp bumped) on return if `relock', else left unlocked.
 * The caller has set MAP_ENTRY_NEEDS_WAKEUP on the entry it waits for and
 * must look everything up again afterwards.
 */
void
vm_map_transition_wait(vm_map_t map, int relock)
{
	VM_MAP_ASSERT_LOCKED(map);
	tsleep_interlock(map, 0);
	vm_map_unlock(map);
	tsleep(map, PINTERLOCKED, "vment", 0);
	if (relock)
		vm_map_lock(map);
}

/************************************************************************
 *			Per-CPU map-entry reserve
 ************************************************************************/

/* Push / pop a free entry on a CPU's cache.  In a critical section. */
/*
 * The free entries of a CPU are linked through rb_entry.rbe_left.
 * gd_vme_avail counts those not promised to a reservation.  A thread can
 * change CPU when it blocks (on the map lock, say), so it may create
 * entries on another CPU than the one it reserved on; the CPU it lands on
 * then refills from the zone and the per-CPU counts drift, but the sum of
 * reservations stays exact.
 */
static void
vm_map_entry_cache_push(globaldata_t gd, vm_map_entry_t entry)
{
	entry->rb_entry.rbe_left = gd->gd_vme_base;
	gd->gd_vme_base = entry;
}

static vm_map_entry_t
vm_map_entry_cache_pop(globaldata_t gd)
{
	vm_map_entry_t entry = gd->gd_vme_base;

	if (entry != NULL)
		gd->gd_vme_base = entry->rb_entry.rbe_left;
	return (entry);
}

/*
 * vm_map_entry_reserve - make sure `count' entries can be created without
 * allocating, and promise them to the caller.  Returns count, to be given
 * back to vm_map_entry_release() (minus what was consumed).  Never blocks;
 * the caller may hold a map lock.  Panics if the host is out of memory.
 */
int
vm_map_entry_reserve(int count)
{
	globaldata_t gd;
	vm_map_entry_t entry;

	KASSERT(count >= 0, ("vm_map_entry_reserve: count %d", count));
	crit_enter();
	gd = mycpu;
	while (gd->gd_vme_avail < count) {
		entry = zalloc(mapentzone);
		if (entry == NULL)
			panic("vm_map_entry_reserve: out of memory");
		vm_map_entry_cache_push(gd, entry);
		++gd->gd_vme_avail;
	}
	gd->gd_vme_avail -= count;
	crit_exit();
	return (count);
}

/*
 * vm_map_entry_release - return what is left of a reservation; trim this
 * CPU's cache down to MAP_RESERVE_HYST once it passes MAP_RESERVE_SLOP.
 * Never blocks.
 */
void
vm_map_entry_release(int count)
{
	globaldata_t gd;
	vm_map_entry_t entry;

	KASSERT(count >= 0, ("vm_map_entry_release: count %d", count));
	crit_enter();
	gd = mycpu;
	gd->gd_vme_avail += count;
	if (gd->gd_vme_avail > MAP_RESERVE_SLOP) {
		while (gd->gd_vme_avail > MAP_RESERVE_HYST) {
			entry = vm_map_entry_cache_pop(gd);
			if (entry == NULL) {
				gd->gd_vme_avail = MAP_RESERVE_HYST;
				break;
			}
			--gd->gd_vme_avail;
			zfree(mapentzone, entry);
		}
	}
	crit_exit();
}

/*
 * vm_map_entry_kreserve / krelease - the kernel map's variant, used where
 * topping up the cache could recurse into the allocator: the count may go
 * negative and nothing is allocated or freed.  Never blocks.
 */
int
vm_map_entry_kreserve(int count)
{
	crit_enter();
	mycpu->gd_vme_avail -= count;
	crit_exit();
	return (count);
}

void
vm_map_entry_krelease(int count)
{
	crit_enter();
	mycpu->gd_vme_avail += count;
	crit_exit();
}

/*
 * vm_map_entry_create - take a zeroed entry out of the caller's
 * reservation (*countp is decremented).  Never blocks.
 */
static vm_map_entry_t
vm_map_entry_create(int *countp)
{
	vm_map_entry_t entry;

	KASSERT(*countp > 0, ("vm_map_entry_create: reservation exhausted"));
	--*countp;
	crit_enter();
	entry = vm_map_entry_cache_pop(mycpu);
	crit_exit();
	if (entry == NULL) {
		/* We changed CPU since reserving: refill from the zone. */
		entry = zalloc(mapentzone);
		if (entry == NULL)
			panic("vm_map_entry_create: out of memory");
	}
	memset(entry, 0, sizeof(*entry));
	atomic_add_long(&vm_map_entries_live, 1);
	return (entry);
}

/* vm_map_entry_free - put a disposed entry back (*countp grows). */
static void
vm_map_entry_free(vm_map_entry_t entry, int *countp)
{
	memset(entry, 0xdb, sizeof(*entry));
	crit_enter();
	vm_map_entry_cache_push(mycpu, entry);
	crit_exit();
	++*countp;
	atomic_subtract_long(&vm_map_entries_live, 1);
}

/************************************************************************
 *			Backing chains
 ************************************************************************/

/*
 * Allocate / free a separately allocated chain link.  Never blocks; the
 * allocation returns NULL when the host is out of memory or the zone's
 * fault injector fires.
 */
static vm_map_backing_t
vm_map_backing_alloc(void)
{
	vm_map_backing_t ba;

	ba = zalloc(mapbackzone);
	if (ba != NULL)
		atomic_add_long(&vm_map_backings_live, 1);
	return (ba);
}

static void
vm_map_backing_free(vm_map_backing_t ba)
{
	memset(ba, 0xdb, sizeof(*ba));
	zfree(mapbackzone, ba);
	atomic_subtract_long(&vm_map_backings_live, 1);
}

/*
 * vm_map_backing_attach / detach - put a link on (take it off) its
 * object's backing_list.  The link must have an object.  Takes the
 * object's backing_lk; may block on it.
 */
static void
vm_map_backing_attach(vm_map_backing_t ba)
{
	vm_object_t obj = ba->object;

	lockmgr(&obj->backing_lk, LK_EXCLUSIVE);
	TAILQ_INSERT_TAIL(&obj->backing_list, ba, entry);
	lockmgr(&obj->backing_lk, LK_RELEASE);
}

static void
vm_map_backing_detach(vm_map_backing_t ba)
{
	vm_object_t obj = ba->object;

	lockmgr(&obj->backing_lk, LK_EXCLUSIVE);
	TAILQ_REMOVE(&obj->backing_list, ba, entry);
	lockmgr(&obj->backing_lk, LK_RELEASE);
}

/*
 * vm_map_backing_release - detach one link and drop its object reference.
 * May block (the object may die).
 */
static void
vm_map_backing_release(vm_map_backing_t ba)
{
	vm_object_t obj = ba->object;

	if (obj == NULL)
		return;
	vm_map_backing_detach(ba);
	ba->object = NULL;
	vm_object_deallocate(obj);
}

/*
 * vm_map_entry_dispose_ba - release and free a chain of separately
 * allocated links.  May block.
 */
static void
vm_map_entry_dispose_ba(vm_map_backing_t ba)
{
	vm_map_backing_t next;

	while (ba != NULL) {
		next = ba->backing_ba;
		vm_map_backing_release(ba);
		vm_map_backing_free(ba);
		ba = next;
	}
}

/*
 * vm_map_entry_dispose - release everything the entry backs onto and
 * return it to the caller's reservation (*countp grows).  The entry must
 * be unlinked.  May block.
 */
static void
vm_map_entry_dispose(vm_map_t map, vm_map_entry_t entry, int *countp)
{
	KASSERT(entry->maptype == VM_MAPTYPE_NORMAL,
	    ("vm_map_entry_dispose: maptype %d", entry->maptype));
	vm_map_backing_release(&entry->ba);
	vm_map_entry_dispose_ba(entry->ba.backing_ba);
	entry->ba.backing_ba = NULL;
	vm_map_entry_free(entry, countp);
}

/*
 * vm_map_backing_adjust - move every link of the entry's chain to [start,
 * end), keeping each offset matched to its start.  The map is locked
 * exclusively; backing_lk guards readers of the object's list.
 */
static void
vm_map_backing_adjust(vm_map_entry_t entry, vm_offset_t start,
    vm_offset_t end)
{
	vm_map_backing_t ba;

	for (ba = &entry->ba; ba != NULL; ba = ba->backing_ba) {
		if (ba->object != NULL)
			lockmgr(&ba->object->backing_lk, LK_EXCLUSIVE);
		ba->offset += (vm_ooffset_t)(start - ba->start);
		ba->start = start;
		ba->end = end;
		if (ba->object != NULL)
			lockmgr(&ba->object->backing_lk, LK_RELEASE);
	}
}

/*
 * vm_map_backing_copy - copy a link's map-side fields into a link that is
 * on no list.  The list linkage (`entry') is the object's, guarded by its
 * backing_lk, and changes under other maps' feet: it is never copied.
 * Map locked.
 */
static void
vm_map_backing_copy(vm_map_backing_t dst, const struct vm_map_backing *src)
{
	dst->start = src->start;
	dst->end = src->end;
	dst->pmap = src->pmap;
	dst->backing_ba = src->backing_ba;
	dst->map_object = src->map_object;
	dst->aux_info = src->aux_info;
	dst->offset = src->offset;
	dst->flags = src->flags;
	dst->backing_count = src->backing_count;
}

/*
 * vm_map_entry_copy - copy an entry's fields (not its tree linkage, not
 * its head link's list linkage) into a fresh entry.  Map locked.
 */
static void
vm_map_entry_copy(vm_map_entry_t dst, vm_map_entry_t src)
{
	dst->aux = src->aux;
	vm_map_backing_copy(&dst->ba, &src->ba);
	dst->eflags = src->eflags;
	dst->maptype = src->maptype;
	dst->protection = src->protection;
	dst->max_protection = src->max_protection;
	dst->inheritance = src->inheritance;
	dst->wired_count = src->wired_count;
	dst->id = src->id;
}

/*
 * vm_map_backing_replicated - an entry was just copied from another (a
 * clip or a fork): give it its own copy of every link behind the head,
 * matched to the head's range, take a reference on each object (except a
 * head reference donated by the caller, MAP_BACK_BASEOBJREFD) and put each
 * link on its object's list.  Outside a clip, an object now mapped twice
 * loses OBJ_ONEMAPPING.  Map locked exclusively.  May block.  Returns
 * KERN_SUCCESS, or KERN_RESOURCE_SHORTAGE when a link cannot be
 * allocated: the chain then stops short (every link it has is referenced
 * and attached) and the caller must dispose of the entry.
 */
static int
vm_map_backing_replicated(vm_map_t map, vm_map_entry_t entry, int flags)
{
	vm_map_backing_t ba, nba, head;
	vm_object_t obj;

	head = &entry->ba;
	for (ba = head; ba != NULL; ba = ba->backing_ba) {
		ba->pmap = map->pmap;
		obj = ba->object;
		if (obj != NULL) {
			if (ba != head || (flags & MAP_BACK_BASEOBJREFD) == 0)
				vm_object_reference_quick(obj);
			vm_map_backing_attach(ba);
			if ((flags & MAP_BACK_CLIPPED) == 0 &&
			    atomic_load_int(&obj->ref_count) > 1)
				vm_object_clear_flag(obj, OBJ_ONEMAPPING);
		}
		if (ba->backing_ba == NULL)
			break;
		nba = vm_map_backing_alloc();
		if (nba == NULL) {
			ba->backing_ba = NULL;
			return (KERN_RESOURCE_SHORTAGE);
		}
		vm_map_backing_copy(nba, ba->backing_ba);
		nba->offset += (vm_ooffset_t)(head->start - nba->start);
		nba->start = head->start;
		nba->end = head->end;
		ba->backing_ba = nba;
	}
	return (KERN_SUCCESS);
}

/* A clip cannot fail: the host being out of memory is fatal there. */
static void
vm_map_backing_replicated_clip(vm_map_t map, vm_map_entry_t entry)
{
	if (vm_map_backing_replicated(map, entry, MAP_BACK_CLIPPED) !=
	    KERN_SUCCESS)
		panic("vm_map_clip: out of memory for backing links");
}

/*
 * vm_map_entry_shadow - put a fresh anonymous object in front of the
 * entry's chain so that writes stop reaching the (shared) old one, and
 * clear NEEDS_COPY.  If nobody else can see the current head (one
 * reference, anonymous, no handle) it is simply kept.  Map locked
 * exclusively.  May block.  KERN_SUCCESS or KERN_RESOURCE_SHORTAGE
 * (nothing changed).
 */
int
vm_map_entry_shadow(vm_map_entry_t entry)
{
	vm_object_t source, result;
	vm_map_backing_t ba;
	int private;

	source = entry->ba.object;
	if (source != NULL && source->type != OBJT_VNODE) {
		vm_object_hold(source);
		private = (atomic_load_int(&source->ref_count) == 1 &&
		    source->handle == NULL &&
		    (source->type == OBJT_DEFAULT ||
		     source->type == OBJT_SWAP));
		vm_object_drop(source);
	} else {
		private = (source == NULL);
	}
	if (private) {
		entry->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		return (KERN_SUCCESS);
	}
	ba = vm_map_backing_alloc();
	if (ba == NULL)
		return (KERN_RESOURCE_SHORTAGE);
	result = vm_object_allocate(OBJT_DEFAULT,
	    atop(vm_map_entry_len(entry)));
	if (result == NULL) {
		vm_map_backing_free(ba);
		return (KERN_RESOURCE_SHORTAGE);
	}
	/* The old head moves behind, with its reference and list slot. */
	vm_map_backing_detach(&entry->ba);
	vm_map_backing_copy(ba, &entry->ba);
	vm_map_backing_attach(ba);
	vm_object_clear_flag(source, OBJ_ONEMAPPING);

	entry->ba.object = result;
	entry->ba.offset = 0;
	entry->ba.backing_ba = ba;
	entry->ba.backing_count = ba->backing_count + 1;
	vm_map_backing_attach(&entry->ba);
	entry->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	return (KERN_SUCCESS);
}

/*
 * vm_map_entry_allocate_object - give an anonymous entry its object, sized
 * to the entry, at offset 0 (there are no pages yet, so the old offset
 * means nothing).  Map locked exclusively.  May block.  KERN_SUCCESS or
 * KERN_RESOURCE_SHORTAGE.
 */
int
vm_map_entry_allocate_object(vm_map_entry_t entry)
{
	vm_object_t obj;

	KASSERT(entry->ba.object == NULL && entry->ba.backing_ba == NULL,
	    ("vm_map_entry_allocate_object: entry %p has an object", entry));
	obj = vm_object_allocate(OBJT_DEFAULT,
	    atop(vm_map_entry_len(entry)));
	if (obj == NULL)
		return (KERN_RESOURCE_SHORTAGE);
	entry->ba.offset = 0;
	entry->ba.object = obj;
	vm_map_backing_attach(&entry->ba);
	return (KERN_SUCCESS);
}

/************************************************************************
 *			Maps and entries
 ************************************************************************/

/*
 * vm_map_init - initialize an empty map covering [min, max) that drives
 * `pmap' (which may be NULL for a map of pure bookkeeping).  No
 * requirements.
 */
void
vm_map_init(vm_map_t map, vm_offset_t min, vm_offset_t max, pmap_t pmap)
{
	KASSERT(min < max && (min & PAGE_MASK) == 0 && (max & PAGE_MASK) == 0,
	    ("vm_map_init: bad range %#lx-%#lx", (u_long)min, (u_long)max));
	memset(map, 0, sizeof(*map));
	RB_INIT(&map->rb_root);
	map->min_addr = min;
	map->max_addr = max;
	map->pmap = pmap;
	spin_init(&map->ilock_spin, "vm_map_ilock");
	lwkt_token_init(&map->token, "vm_map");
	lockinit_slots(&map->lock, "vm_maplk", (hz + 9) / 10, 0,
	    map->lock_slots);
}

/*
 * vm_map_uninit - tear down an empty, unlocked map.
 */
void
vm_map_uninit(vm_map_t map)
{
	KASSERT(map->nentries == 0 && RB_EMPTY(&map->rb_root),
	    ("vm_map_uninit: %d entries left", map->nentries));
	KASSERT(map->ilock_base == NULL, ("vm_map_uninit: interlocked"));
	lockuninit(&map->lock);
	lwkt_token_uninit(&map->token);
	spin_uninit(&map->ilock_spin);
}

/* vm_map_entry_link / unlink - tree membership.  Map locked excl. */
static void
vm_map_entry_link(vm_map_t map, vm_map_entry_t entry)
{
	VM_MAP_ASSERT_LOCKED(map);
	if (RB_INSERT(vm_map_rb_tree, &map->rb_root, entry) != NULL)
		panic("vm_map_entry_link: dup addr map %p ent %p", map, entry);
	++map->nentries;
}

static void
vm_map_entry_unlink(vm_map_t map, vm_map_entry_t entry)
{
	VM_MAP_ASSERT_LOCKED(map);
	KASSERT((entry->eflags & MAP_ENTRY_IN_TRANSITION) == 0,
	    ("vm_map_entry_unlink: entry %p in transition", entry));
	RB_REMOVE(vm_map_rb_tree, &map->rb_root, entry);
	--map->nentries;
}

/*
 * vm_map_lookup_entry - find the entry containing `address'.  Returns TRUE
 * and that entry in *entry, or FALSE and the closest entry below the
 * address (NULL if there is none).  Map locked in any mode.
 */
boolean_t
vm_map_lookup_entry(vm_map_t map, vm_offset_t address, vm_map_entry_t *entry)
{
	vm_map_entry_t tmp, last;

	VM_MAP_ASSERT_LOCKED_ANY(map);
	last = NULL;
	tmp = RB_ROOT(&map->rb_root);
	while (tmp != NULL) {
		if (address >= tmp->ba.start) {
			if (address < tmp->ba.end) {
				*entry = tmp;
				return (TRUE);
			}
			last = tmp;
			tmp = RB_RIGHT(tmp, rb_entry);
		} else {
			tmp = RB_LEFT(tmp, rb_entry);
		}
	}
	*entry = last;
	return (FALSE);
}

/*
 * vm_map_range_ok - the common argument check of the range calls: start
 * and end page aligned, start <= end, inside the map.
 */
static int
vm_map_range_ok(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	if (((start | end) & PAGE_MASK) != 0 || start > end)
		return (KERN_INVALID_ARGUMENT);
	if (start < map->min_addr || end > map->max_addr)
		return (KERN_INVALID_ADDRESS);
	return (KERN_SUCCESS);
}

/*
 * vm_map_wait_range - if an entry overlapping [start, end) is in
 * transition, wait for it and return TRUE (the map was unlocked and is
 * locked again: look everything up anew).  FALSE if none is.  Map locked
 * exclusively.  May block.
 */
static int
vm_map_wait_range(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t entry;

	for (entry = vm_map_first_overlap(map, start);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->eflags & MAP_ENTRY_IN_TRANSITION) {
			entry->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
			vm_map_transition_wait(map, 1);
			return (TRUE);
		}
	}
	return (FALSE);
}

/************************************************************************
 *			Free hints and findspace
 ************************************************************************/

/* The hint for (length, align), or NULL if there is none. */
static struct vm_map_freehint *
vm_map_freehint_find(vm_map_t map, vm_size_t length, vm_size_t align)
{
	struct vm_map_freehint *scan;
	int i;

	for (i = 0; i < VM_MAP_FFCOUNT; ++i) {
		scan = &map->freehint[i];
		if (scan->length == length && scan->align == align)
			return (scan);
	}
	return (NULL);
}

/*
 * Record that no hole in [base, start) fits (length, align): a search
 * that began at base found start.
 */
static void
vm_map_freehint_update(vm_map_t map, vm_offset_t base, vm_offset_t start,
    vm_size_t length, vm_size_t align)
{
	struct vm_map_freehint *scan;

	scan = vm_map_freehint_find(map, length, align);
	if (scan == NULL) {
		scan = &map->freehint[map->freehint_newindex & VM_MAP_FFMASK];
		++map->freehint_newindex;
		scan->length = length;
		scan->align = align;
	}
	scan->base = base;
	scan->start = start;
}

/*
 * A hole [start, start + length) just opened (the whole hole, merged with
 * its neighbours): pull back every hint it might satisfy.  A hole that
 * begins below a hint's base but reaches into its range may hold a fit
 * starting at the base itself.
 */
static void
vm_map_freehint_hole(vm_map_t map, vm_offset_t start, vm_size_t length)
{
	struct vm_map_freehint *scan;
	int i;

	for (i = 0; i < VM_MAP_FFCOUNT; ++i) {
		scan = &map->freehint[i];
		if (length < scan->length || start >= scan->start ||
		    start + length <= scan->base)
			continue;
		scan->start = MAX(start, scan->base);
	}
}

/* Align addr up to `align' (any page multiple); FALSE on overflow. */
static int
vm_map_align_up(vm_offset_t *addrp, vm_size_t align)
{
	vm_offset_t addr = *addrp, r;

	if (powerof2(align))
		r = (addr + align - 1) & ~(align - 1);
	else
		r = ((addr + align - 1) / align) * align;
	if (r < addr)
		return (FALSE);
	*addrp = r;
	return (TRUE);
}

/*
 * The lowest address a hole that ends at `next' may reach: next's start,
 * or the bottom of its stack reserve unless MAP_TRYFIXED lets us use it.
 */
static vm_offset_t
vm_map_hole_end(vm_map_t map, vm_map_entry_t next, int flags)
{
	vm_offset_t end;

	if (next == NULL)
		return (map->max_addr);
	end = next->ba.start;
	if ((next->eflags & MAP_ENTRY_STACK) && (flags & MAP_TRYFIXED) == 0) {
		if (next->aux.avail_ssize > end - map->min_addr)
			return (map->min_addr);
		end -= next->aux.avail_ssize;
	}
	return (end);
}

/*
 * vm_map_first_fit - first address >= start where (length, align) fits.
 * KERN_SUCCESS or KERN_NO_SPACE.  Map locked.
 */
static int
vm_map_first_fit(vm_map_t map, vm_offset_t start, vm_size_t length,
    vm_size_t align, int flags, vm_offset_t *addr)
{
	vm_map_entry_t entry, next;

	for (;;) {
		if (!vm_map_align_up(&start, align))
			return (KERN_NO_SPACE);
		if (start + length < start || start + length > map->max_addr)
			return (KERN_NO_SPACE);
		if (vm_map_lookup_entry(map, start, &entry)) {
			start = entry->ba.end;
			continue;
		}
		next = vm_map_entry_after(map, entry);
		if (start + length <= vm_map_hole_end(map, next, flags)) {
			*addr = start;
			return (KERN_SUCCESS);
		}
		start = next->ba.end;
	}
}

/*
 * vm_map_findspace - first-fit search for `length' bytes aligned to
 * `align' (a page multiple; 0 means a page), at or above `start'.  flags:
 * 0 or MAP_TRYFIXED (stack reserves count as free).  The free hints skip
 * ahead when the search starts at or below what they know.  Map locked
 * exclusively (the hints change).  Never blocks.  Returns KERN_SUCCESS and
 * *addr, KERN_NO_SPACE, or KERN_INVALID_ARGUMENT.
 */
int
vm_map_findspace(vm_map_t map, vm_offset_t start, vm_size_t length,
    vm_size_t align, int flags, vm_offset_t *addr)
{
	struct vm_map_freehint *hint;
	vm_offset_t base;
	int rv;

	VM_MAP_ASSERT_LOCKED(map);
	if (addr == NULL || length == 0 || (length & PAGE_MASK) != 0 ||
	    (align & PAGE_MASK) != 0 || (flags & ~MAP_TRYFIXED) != 0)
		return (KERN_INVALID_ARGUMENT);
	if (align == 0)
		align = PAGE_SIZE;
	if (start < map->min_addr)
		start = map->min_addr;
	base = start;
	if (flags == 0) {
		hint = vm_map_freehint_find(map, length, align);
		if (hint != NULL && hint->base <= start &&
		    start <= hint->start) {
			base = hint->base;
			start = hint->start;
		}
	}
	rv = vm_map_first_fit(map, start, length, align, flags, addr);
	if (rv == KERN_SUCCESS && flags == 0)
		vm_map_freehint_update(map, base, *addr, length, align);
	return (rv);
}

/************************************************************************
 *				Insert
 ************************************************************************/

/* COWF_* -> MAP_ENTRY_* */
static vm_eflags_t
vm_map_cow_eflags(int cow)
{
	vm_eflags_t eflags = 0;

	if (cow & COWF_COPY_ON_WRITE)
		eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	if (cow & COWF_NOFAULT)
		eflags |= MAP_ENTRY_NOFAULT;
	if (cow & COWF_DISABLE_SYNCER)
		eflags |= MAP_ENTRY_NOSYNC;
	if (cow & COWF_DISABLE_COREDUMP)
		eflags |= MAP_ENTRY_NOCOREDUMP;
	if (cow & COWF_IS_STACK)
		eflags |= MAP_ENTRY_STACK;
	if (cow & COWF_IS_KSTACK)
		eflags |= MAP_ENTRY_KSTACK;
	return (eflags);
}

/*
 * Insert's coalescing step: try to extend `prev' over [start, end).
 * Returns TRUE if prev now covers the range.  Otherwise, if prev's object
 * was extended, *objp gets it (with a new reference) and *offsetp the
 * offset of `start' in it, for the new entry.
 */
static int
vm_map_insert_coalesce(vm_map_t map, vm_map_entry_t prev, vm_offset_t start,
    vm_offset_t end, vm_eflags_t eflags, vm_subsys_t id, vm_prot_t prot,
    vm_prot_t max, vm_object_t *objp, vm_ooffset_t *offsetp)
{
	vm_object_t obj;

	if (prev == NULL || prev->ba.end != start ||
	    prev->maptype != VM_MAPTYPE_NORMAL || prev->eflags != eflags ||
	    (eflags & (MAP_ENTRY_STACK | MAP_ENTRY_KSTACK |
	     MAP_ENTRY_NOFAULT)) != 0 ||
	    prev->wired_count != 0 || prev->id != id ||
	    prev->ba.backing_ba != NULL)
		return (FALSE);
	obj = prev->ba.object;
	if (!vm_object_coalesce(obj, OFF_TO_IDX(prev->ba.offset),
	    vm_map_entry_len(prev), end - start))
		return (FALSE);
	if (prev->inheritance == VM_INHERIT_DEFAULT &&
	    prev->protection == prot && prev->max_protection == max) {
		map->size += end - prev->ba.end;
		vm_map_backing_adjust(prev, prev->ba.start, end);
		return (TRUE);
	}
	if (obj != NULL) {
		vm_object_reference_quick(obj);
		*objp = obj;
		*offsetp = prev->ba.offset +
		    (vm_ooffset_t)vm_map_entry_len(prev);
	}
	return (FALSE);
}

/* Insert's argument check. */
static int
vm_map_insert_args(vm_map_t map, void *map_object, vm_ooffset_t offset,
    vm_offset_t start, vm_offset_t end, vm_maptype_t maptype,
    vm_prot_t prot, vm_prot_t max, int cow)
{
	if (maptype != VM_MAPTYPE_NORMAL || (cow & ~COWF_ALL) != 0 ||
	    (prot & ~max) != 0 || (max & ~VM_PROT_ALL) != 0 ||
	    (offset & PAGE_MASK) != 0 || offset < 0 || start >= end ||
	    ((start | end) & PAGE_MASK) != 0)
		return (KERN_INVALID_ARGUMENT);
	if ((cow & COWF_NOFAULT) && map_object != NULL)
		return (KERN_INVALID_ARGUMENT);
	if (start < map->min_addr || end > map->max_addr)
		return (KERN_INVALID_ADDRESS);
	return (KERN_SUCCESS);
}

/*
 * vm_map_insert - map [start, end) to `map_object' (a vm_object or NULL
 * for anonymous memory, created at first need) at `offset'.  An anonymous
 * range right after a compatible entry extends that entry instead.
 * The map is locked exclusively and the caller has reserved entries
 * (*countp).  On success the caller's reference on map_object belongs to
 * the map; on failure it is still the caller's.  May block.  Returns
 * KERN_SUCCESS, KERN_NO_SPACE (overlap), KERN_INVALID_ADDRESS (outside the
 * map) or KERN_INVALID_ARGUMENT.
 */
int
vm_map_insert(vm_map_t map, int *countp, void *map_object, void *map_aux,
    vm_ooffset_t offset, void *aux_info, vm_offset_t start, vm_offset_t end,
    vm_maptype_t maptype, vm_subsys_t id, vm_prot_t prot, vm_prot_t max,
    int cow)
{
	vm_map_entry_t prev, next, new_entry;
	vm_object_t obj = map_object;
	vm_eflags_t eflags;
	int rv, flags;

	VM_MAP_ASSERT_LOCKED(map);
	rv = vm_map_insert_args(map, map_object, offset, start, end, maptype,
	    prot, max, cow);
	if (rv != KERN_SUCCESS)
		return (rv);
	if (vm_map_lookup_entry(map, start, &prev))
		return (KERN_NO_SPACE);
	next = vm_map_entry_after(map, prev);
	if (next != NULL && next->ba.start < end)
		return (KERN_NO_SPACE);

	eflags = vm_map_cow_eflags(cow);
	flags = MAP_BACK_BASEOBJREFD;
	if (obj == NULL && prev != NULL &&
	    (prev->eflags & MAP_ENTRY_IN_TRANSITION) == 0) {
		if (vm_map_insert_coalesce(map, prev, start, end, eflags, id,
		    prot, max, &obj, &offset))
			return (KERN_SUCCESS);
	}

	new_entry = vm_map_entry_create(countp);
	new_entry->ba.start = start;
	new_entry->ba.end = end;
	new_entry->ba.object = obj;
	new_entry->ba.offset = (obj != NULL) ? offset : 0;
	new_entry->ba.aux_info = aux_info;
	new_entry->aux.map_aux = map_aux;
	new_entry->maptype = maptype;
	new_entry->id = id;
	new_entry->eflags = eflags;
	new_entry->protection = prot;
	new_entry->max_protection = max;
	new_entry->inheritance = VM_INHERIT_DEFAULT;
	new_entry->wired_count = 0;
	(void)vm_map_backing_replicated(map, new_entry, flags);
	vm_map_entry_link(map, new_entry);
	map->size += end - start;
	return (KERN_SUCCESS);
}

/*
 * vm_map_find - map `length' bytes of map_object, either at *addr exactly
 * (fitit FALSE) or at the first fit at or above *addr aligned to `align'
 * (fitit TRUE).  The map must not be locked by the caller; it is locked
 * and unlocked here.  The object reference passes to the map on success.
 * May block.  Returns KERN_SUCCESS with the address in *addr, or insert's
 * and findspace's errors.
 */
int
vm_map_find(vm_map_t map, void *map_object, void *map_aux,
    vm_ooffset_t offset, vm_offset_t *addr, vm_size_t length,
    vm_size_t align, boolean_t fitit, vm_maptype_t maptype,
    vm_subsys_t id, vm_prot_t prot, vm_prot_t max, int cow)
{
	vm_offset_t start;
	int count, rv;

	if (addr == NULL || length == 0 || (length & PAGE_MASK) != 0)
		return (KERN_INVALID_ARGUMENT);
	start = *addr;
	if (start + length < start)
		return (KERN_INVALID_ADDRESS);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	rv = KERN_SUCCESS;
	if (fitit)
		rv = vm_map_findspace(map, start, length, align, 0, &start);
	if (rv == KERN_SUCCESS)
		rv = vm_map_insert(map, &count, map_object, map_aux, offset,
		    NULL, start, start + length, maptype, id, prot, max, cow);
	if (rv == KERN_SUCCESS)
		*addr = start;
	vm_map_unlock(map);
	vm_map_entry_release(count);
	return (rv);
}

/************************************************************************
 *			Simplify and clip
 ************************************************************************/

/*
 * Are the chains of two adjacent entries the same objects at contiguous
 * offsets, link by link?
 */
static int
vm_map_backing_contiguous(vm_map_entry_t prev, vm_map_entry_t next)
{
	vm_map_backing_t pba, nba;
	vm_size_t len = vm_map_entry_len(prev);

	for (pba = &prev->ba, nba = &next->ba; pba != NULL && nba != NULL;
	    pba = pba->backing_ba, nba = nba->backing_ba) {
		if (pba->object != nba->object)
			return (FALSE);
		if (pba->object != NULL &&
		    pba->offset + (vm_ooffset_t)len != nba->offset)
			return (FALSE);
	}
	return (pba == NULL && nba == NULL);
}

/*
 * Can prev and next (adjacent, in that order) become one entry?  Stack
 * segments merge when the upper one has no reserve: the lower one's
 * reserve is the stack's.
 */
static int
vm_map_entries_mergeable(vm_map_entry_t prev, vm_map_entry_t next)
{
	if (prev->ba.end != next->ba.start ||
	    ((prev->eflags | next->eflags) & MAP_ENTRY_IN_TRANSITION) ||
	    prev->maptype != VM_MAPTYPE_NORMAL ||
	    next->maptype != VM_MAPTYPE_NORMAL ||
	    prev->eflags != next->eflags ||
	    prev->protection != next->protection ||
	    prev->max_protection != next->max_protection ||
	    prev->inheritance != next->inheritance ||
	    prev->id != next->id || prev->wired_count != next->wired_count)
		return (FALSE);
	if (prev->eflags & MAP_ENTRY_STACK) {
		if (next->aux.avail_ssize != 0)
			return (FALSE);
	} else if (prev->aux.map_aux != next->aux.map_aux) {
		return (FALSE);
	}
	return (vm_map_backing_contiguous(prev, next));
}

/*
 * vm_map_simplify_entry - merge the entry with its neighbours where they
 * are compatible (same chain at contiguous offsets, same attributes).
 * The entry itself survives; merged neighbours are disposed (*countp
 * grows).  Map locked exclusively.  May block.
 */
void
vm_map_simplify_entry(vm_map_t map, vm_map_entry_t entry, int *countp)
{
	vm_map_entry_t prev, next;

	VM_MAP_ASSERT_LOCKED(map);
	if (entry->eflags & MAP_ENTRY_IN_TRANSITION)
		return;
	prev = vm_map_entry_prev(entry);
	if (prev != NULL && vm_map_entries_mergeable(prev, entry)) {
		vm_map_entry_unlink(map, prev);
		vm_map_backing_adjust(entry, prev->ba.start, entry->ba.end);
		entry->aux = prev->aux;
		vm_map_entry_dispose(map, prev, countp);
	}
	next = vm_map_entry_next(entry);
	if (next != NULL && vm_map_entries_mergeable(entry, next)) {
		vm_map_entry_unlink(map, next);
		vm_map_backing_adjust(entry, entry->ba.start, next->ba.end);
		vm_map_entry_dispose(map, next, countp);
	}
}

/* Simplify every entry overlapping [start, end). */
static void
vm_map_simplify_range(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int *countp)
{
	vm_map_entry_t entry;

	entry = vm_map_first_overlap(map, start);
	while (entry != NULL && entry->ba.start < end) {
		vm_map_simplify_entry(map, entry, countp);
		entry = vm_map_entry_next(entry);
	}
}

/*
 * Before a clip: an anonymous entry small enough to stay within one
 * partition gets its object now, so that both halves share it (and can
 * merge again later).  Best effort.
 */
static void
vm_map_clip_prepare(vm_map_t map, vm_map_entry_t entry)
{
	if (entry->ba.object == NULL && !map->system_map &&
	    (entry->eflags & MAP_ENTRY_NOFAULT) == 0 &&
	    VM_MAP_ENTRY_WITHIN_PARTITION(entry))
		(void)vm_map_entry_allocate_object(entry);
}

/*
 * vm_map_clip_start - split the entry so that it starts at `start'; the
 * part below becomes a new entry.  Nothing happens if start is not inside
 * the entry.  Map locked exclusively, an entry reserved (*countp), the
 * entry not in transition.  May block.
 */
void
vm_map_clip_start(vm_map_t map, vm_map_entry_t entry, vm_offset_t start,
    int *countp)
{
	vm_map_entry_t new_entry;

	VM_MAP_ASSERT_LOCKED(map);
	if (start <= entry->ba.start || start >= entry->ba.end)
		return;
	KASSERT((start & PAGE_MASK) == 0, ("vm_map_clip_start: unaligned"));
	KASSERT((entry->eflags & MAP_ENTRY_IN_TRANSITION) == 0,
	    ("vm_map_clip_start: entry %p in transition", entry));
	/* Merge first: the piece below might just be split off again. */
	vm_map_simplify_entry(map, entry, countp);
	vm_map_clip_prepare(map, entry);

	new_entry = vm_map_entry_create(countp);
	vm_map_entry_copy(new_entry, entry);
	new_entry->ba.end = start;
	vm_map_backing_replicated_clip(map, new_entry);
	vm_map_backing_adjust(entry, start, entry->ba.end);
	if (entry->eflags & MAP_ENTRY_STACK)
		entry->aux.avail_ssize = 0;
	vm_map_entry_link(map, new_entry);
}

/*
 * vm_map_clip_end - split the entry so that it ends at `end'; the part
 * above becomes a new entry.  Same requirements as vm_map_clip_start.
 */
void
vm_map_clip_end(vm_map_t map, vm_map_entry_t entry, vm_offset_t end,
    int *countp)
{
	vm_map_entry_t new_entry;

	VM_MAP_ASSERT_LOCKED(map);
	if (end <= entry->ba.start || end >= entry->ba.end)
		return;
	KASSERT((end & PAGE_MASK) == 0, ("vm_map_clip_end: unaligned"));
	KASSERT((entry->eflags & MAP_ENTRY_IN_TRANSITION) == 0,
	    ("vm_map_clip_end: entry %p in transition", entry));
	vm_map_clip_prepare(map, entry);

	new_entry = vm_map_entry_create(countp);
	vm_map_entry_copy(new_entry, entry);
	new_entry->ba.offset += (vm_ooffset_t)(end - entry->ba.start);
	new_entry->ba.start = end;
	if (new_entry->eflags & MAP_ENTRY_STACK)
		new_entry->aux.avail_ssize = 0;
	vm_map_backing_replicated_clip(map, new_entry);
	vm_map_backing_adjust(entry, entry->ba.start, end);
	vm_map_entry_link(map, new_entry);
}

/* Mark an entry ours; clear the mark, waking waiters. */
static void
vm_map_entry_set_transition(vm_map_entry_t entry)
{
	entry->eflags |= MAP_ENTRY_IN_TRANSITION;
}

static void
vm_map_entry_clear_transition(vm_map_t map, vm_map_entry_t entry)
{
	KASSERT(entry->eflags & MAP_ENTRY_IN_TRANSITION,
	    ("vm_map_unclip_range: entry %p not in transition", entry));
	if (entry->eflags & MAP_ENTRY_NEEDS_WAKEUP)
		wakeup(map);
	entry->eflags &= ~(MAP_ENTRY_IN_TRANSITION | MAP_ENTRY_NEEDS_WAKEUP |
	    MAP_ENTRY_WIRE_SKIP);
}

/*
 * First entry of a clip_range, clipped to start, or NULL.  Waits (and
 * returns with *waited set) if it is in transition.
 */
static vm_map_entry_t
vm_map_clip_range_first(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int *countp, int flags, int *waited)
{
	vm_map_entry_t entry;

	*waited = FALSE;
	if (!vm_map_lookup_entry(map, start, &entry)) {
		if (flags & MAP_CLIP_NO_HOLES)
			return (NULL);
		entry = vm_map_entry_after(map, entry);
		if (entry == NULL || entry->ba.start >= end)
			return (NULL);
	}
	if (entry->eflags & MAP_ENTRY_IN_TRANSITION) {
		entry->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
		vm_map_transition_wait(map, 1);
		*waited = TRUE;
		return (NULL);
	}
	vm_map_clip_start(map, entry, start, countp);
	vm_map_clip_end(map, entry, end, countp);
	vm_map_entry_set_transition(entry);
	return (entry);
}

/*
 * vm_map_clip_range - clip the entries covering [start, end) to the range
 * and mark them all IN_TRANSITION (ours until vm_map_unclip_range).
 * Waits for entries another thread has in transition.  With
 * MAP_CLIP_NO_HOLES, fails if the range is not entirely mapped.  Map
 * locked exclusively (it may be dropped and retaken while waiting), two
 * entries reserved.  May block.  Returns the first entry, or NULL (nothing
 * marked).
 */
vm_map_entry_t
vm_map_clip_range(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int *countp, int flags)
{
	vm_map_entry_t start_entry, entry, next;
	int waited;

	VM_MAP_ASSERT_LOCKED(map);
	do {
		start_entry = vm_map_clip_range_first(map, start, end, countp,
		    flags, &waited);
	} while (waited);
	if (start_entry == NULL)
		return (NULL);
	entry = start_entry;
	while (entry->ba.end < end) {
		next = vm_map_entry_next(entry);
		if (next == NULL || next->ba.start >= end)
			break;
		if ((flags & MAP_CLIP_NO_HOLES) &&
		    next->ba.start != entry->ba.end)
			break;
		if (next->eflags & MAP_ENTRY_IN_TRANSITION) {
			/* Ours stay put while we sleep (invariant 5). */
			next->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
			vm_map_transition_wait(map, 1);
			continue;
		}
		vm_map_clip_end(map, next, end, countp);
		vm_map_entry_set_transition(next);
		entry = next;
	}
	if ((flags & MAP_CLIP_NO_HOLES) && entry->ba.end < end) {
		vm_map_unclip_range(map, start_entry, start, entry->ba.end,
		    countp, flags);
		return (NULL);
	}
	return (start_entry);
}

/*
 * vm_map_unclip_range - undo vm_map_clip_range: clear IN_TRANSITION on the
 * entries from start_entry up to `end', wake waiters, and merge what can
 * be merged again.  Map locked exclusively.  May block.
 */
void
vm_map_unclip_range(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t start, vm_offset_t end, int *countp, int flags)
{
	vm_map_entry_t entry;

	VM_MAP_ASSERT_LOCKED(map);
	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry))
		vm_map_entry_clear_transition(map, entry);
	vm_map_simplify_range(map, start, end, countp);
}

/************************************************************************
 *			Delete and remove
 ************************************************************************/

/*
 * Delete's page step for one entry: unmap it, and when its anonymous head
 * object is mapped elsewhere too (clipped siblings) but each page only
 * once (ONEMAPPING), free the pages of the range now and shrink the object
 * if the range was its tail.  Map locked exclusively.  May block.
 */
static void
vm_map_entry_remove_pages(vm_map_t map, vm_map_entry_t entry)
{
	vm_object_t obj = entry->ba.object;
	vm_pindex_t first, last;

	vm_map_pmap_remove(map, entry->ba.start, entry->ba.end);
	if (obj == NULL ||
	    (obj->type != OBJT_DEFAULT && obj->type != OBJT_SWAP))
		return;
	vm_object_hold(obj);
	if (atomic_load_int(&obj->ref_count) != 1 &&
	    (atomic_load_relaxed(&obj->flags) &
	     (OBJ_NOSPLIT | OBJ_ONEMAPPING)) == OBJ_ONEMAPPING) {
		first = OFF_TO_IDX(entry->ba.offset);
		last = first + atop(vm_map_entry_len(entry));
		vm_object_page_remove(obj, first, last, FALSE);
		if (last >= obj->size && first < obj->size)
			obj->size = first;
	}
	vm_object_drop(obj);
}

/*
 * vm_map_entry_unwire - an entry going away loses every wiring.  Map
 * locked exclusively.
 */
static void
vm_map_entry_unwire(vm_map_t map, vm_map_entry_t entry)
{
	entry->eflags &= ~MAP_ENTRY_USER_WIRED;
	entry->wired_count = 0;
	vm_map_hooks->fault_unwire(map, entry);
}

/* Unlink, account and dispose of one entry.  Map locked exclusively. */
static void
vm_map_entry_delete(vm_map_t map, vm_map_entry_t entry, int *countp)
{
	vm_map_entry_unlink(map, entry);
	map->size -= vm_map_entry_len(entry);
	vm_map_entry_dispose(map, entry, countp);
}

/*
 * The hole around `addr' after a delete, merged with its neighbours, goes
 * into the free hints.
 */
static void
vm_map_note_hole(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t prev, next;
	vm_offset_t hs, he;

	if (vm_map_lookup_entry(map, addr, &prev))
		return;
	next = vm_map_entry_after(map, prev);
	hs = (prev != NULL) ? prev->ba.end : map->min_addr;
	he = (next != NULL) ? next->ba.start : map->max_addr;
	vm_map_freehint_hole(map, hs, he - hs);
}

/*
 * Delete the entries from `entry' on that start below `end' (the first
 * already clipped to the range's start).  Returns KERN_TRY_AGAIN if it had
 * to wait for an entry in transition (the map was relocked: the caller
 * looks up again), else KERN_SUCCESS.
 */
static int
vm_map_delete_entries(vm_map_t map, vm_map_entry_t entry, vm_offset_t end,
    int *countp)
{
	vm_map_entry_t next;

	while (entry != NULL && entry->ba.start < end) {
		if (entry->eflags & MAP_ENTRY_IN_TRANSITION) {
			entry->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
			vm_map_transition_wait(map, 1);
			return (KERN_TRY_AGAIN);
		}
		vm_map_clip_end(map, entry, end, countp);
		next = vm_map_entry_next(entry);
		if (entry->wired_count != 0)
			vm_map_entry_unwire(map, entry);
		vm_map_entry_remove_pages(map, entry);
		vm_map_entry_delete(map, entry, countp);
		entry = next;
	}
	return (KERN_SUCCESS);
}

/*
 * vm_map_delete - remove every mapping in [start, end): unmap, unwire,
 * drop the backing, free the entries.  Holes are fine.  Map locked
 * exclusively (dropped and retaken while waiting for entries in
 * transition), MAP_RESERVE_COUNT entries reserved.  May block.  Returns
 * KERN_SUCCESS or the range check's KERN_INVALID_ARGUMENT /
 * KERN_INVALID_ADDRESS.
 */
int
vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end, int *countp)
{
	vm_map_entry_t entry;
	int rv;

	VM_MAP_ASSERT_LOCKED(map);
	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS || start == end)
		return (rv);
	do {
		if (vm_map_lookup_entry(map, start, &entry)) {
			if (entry->eflags & MAP_ENTRY_IN_TRANSITION) {
				entry->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
				vm_map_transition_wait(map, 1);
				rv = KERN_TRY_AGAIN;
				continue;
			}
			vm_map_clip_start(map, entry, start, countp);
		} else {
			entry = vm_map_entry_after(map, entry);
		}
		rv = vm_map_delete_entries(map, entry, end, countp);
	} while (rv == KERN_TRY_AGAIN);
	vm_map_note_hole(map, start);
	return (KERN_SUCCESS);
}

/*
 * vm_map_remove - vm_map_delete with the locking and reservation done
 * here.  The caller must not hold the map lock.  May block.
 */
int
vm_map_remove(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	int count, rv;

	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	rv = vm_map_delete(map, start, end, &count);
	vm_map_unlock(map);
	vm_map_entry_release(count);
	return (rv);
}

/************************************************************************
 *		Protection, inheritance, advice
 ************************************************************************/

/*
 * The entries a range call works on: the one containing start (clipped to
 * it) or the first one above.  Map locked exclusively.
 */
static vm_map_entry_t
vm_map_range_first(vm_map_t map, vm_offset_t start, int *countp)
{
	vm_map_entry_t entry;

	if (vm_map_lookup_entry(map, start, &entry)) {
		vm_map_clip_start(map, entry, start, countp);
		return (entry);
	}
	return (vm_map_entry_after(map, entry));
}

/*
 * Lock the map for a range call: reserve, lock, and wait until no entry in
 * the range is in transition.  Returns the reservation.
 */
static int
vm_map_range_lock(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	int count;

	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	while (vm_map_wait_range(map, start, end))
		;
	return (count);
}

/* Undo vm_map_range_lock, merging entries of the range where possible. */
static void
vm_map_range_unlock(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int count)
{
	vm_map_simplify_range(map, start, end, &count);
	vm_map_unlock(map);
	vm_map_entry_release(count);
}

/* Protect's first pass: may every entry of the range take new_prot? */
static int
vm_map_protect_check(vm_map_t map, vm_offset_t start, vm_offset_t end,
    vm_prot_t new_prot)
{
	vm_map_entry_t entry;

	for (entry = vm_map_first_overlap(map, start);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->maptype != VM_MAPTYPE_NORMAL)
			return (KERN_INVALID_ARGUMENT);
		if ((new_prot & entry->max_protection) != new_prot)
			return (KERN_PROTECTION_FAILURE);
	}
	return (KERN_SUCCESS);
}

/* Set one (clipped) entry's protection and lower the pmap to match. */
static void
vm_map_entry_protect(vm_map_t map, vm_map_entry_t entry, vm_prot_t new_prot,
    boolean_t set_max)
{
	vm_prot_t old_prot = entry->protection;
	vm_prot_t mask;

	if (set_max) {
		entry->max_protection = new_prot;
		entry->protection = new_prot & old_prot;
	} else {
		entry->protection = new_prot;
	}
	if (entry->protection == old_prot)
		return;
	/*
	 * An inaccessible protection takes the ptes away, and the ptes are
	 * the only record of which pages a wired entry wired.  Unwire the
	 * pages through them first, or the wirings would leak.  The entry
	 * stays wired: once access comes back, its faults map pages wired
	 * again (FW_WIRED), so munlock and delete stay balanced.  Meanwhile
	 * the pages are pageable (DragonFly leaks them instead).
	 */
	if (entry->wired_count > 0 &&
	    (entry->protection & (VM_PROT_READ | VM_PROT_EXECUTE)) == 0)
		vm_map_hooks->fault_unwire(map, entry);
	/* A COW entry never gets write access in the pmap: writes fault. */
	mask = (entry->eflags & MAP_ENTRY_COW) ? (vm_prot_t)~VM_PROT_WRITE :
	    VM_PROT_ALL;
	vm_map_pmap_protect(map, entry->ba.start, entry->ba.end,
	    entry->protection & mask);
}

/*
 * vm_map_protect - set the protection (or, with set_max, the maximum
 * protection, which also lowers the current one) of every mapped page in
 * [start, end).  Holes are skipped.  If any entry's maximum does not allow
 * new_prot nothing changes.  The caller must not hold the map lock.  May
 * block.  Returns KERN_SUCCESS, KERN_PROTECTION_FAILURE,
 * KERN_INVALID_ARGUMENT or KERN_INVALID_ADDRESS.
 */
int
vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end,
    vm_prot_t new_prot, boolean_t set_max)
{
	vm_map_entry_t entry;
	int count, rv;

	if ((new_prot & ~VM_PROT_ALL) != 0)
		return (KERN_INVALID_ARGUMENT);
	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS || start == end)
		return (rv);
	count = vm_map_range_lock(map, start, end);
	rv = vm_map_protect_check(map, start, end, new_prot);
	if (rv == KERN_SUCCESS) {
		for (entry = vm_map_range_first(map, start, &count);
		    entry != NULL && entry->ba.start < end;
		    entry = vm_map_entry_next(entry)) {
			vm_map_clip_end(map, entry, end, &count);
			vm_map_entry_protect(map, entry, new_prot, set_max);
		}
	}
	vm_map_range_unlock(map, start, end, count);
	return (rv);
}

/*
 * vm_map_inherit - set what fork does with [start, end): VM_INHERIT_SHARE,
 * VM_INHERIT_COPY or VM_INHERIT_NONE.  Holes are skipped.  The caller must
 * not hold the map lock.  May block.  KERN_SUCCESS, KERN_INVALID_ARGUMENT
 * or KERN_INVALID_ADDRESS.
 */
int
vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end,
    vm_inherit_t new_inheritance)
{
	vm_map_entry_t entry;
	int count, rv;

	if (new_inheritance != VM_INHERIT_SHARE &&
	    new_inheritance != VM_INHERIT_COPY &&
	    new_inheritance != VM_INHERIT_NONE)
		return (KERN_INVALID_ARGUMENT);
	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS || start == end)
		return (rv);
	count = vm_map_range_lock(map, start, end);
	for (entry = vm_map_range_first(map, start, &count);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		vm_map_clip_end(map, entry, end, &count);
		entry->inheritance = new_inheritance;
	}
	vm_map_range_unlock(map, start, end, count);
	return (KERN_SUCCESS);
}

/* Apply a map-entry behaviour to one clipped entry. */
static void
vm_map_entry_advise(vm_map_entry_t entry, int behav)
{
	switch (behav) {
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
		entry->eflags &= ~MAP_ENTRY_BEHAV_MASK;
		if (behav == MADV_SEQUENTIAL)
			entry->eflags |= MAP_ENTRY_BEHAV_SEQUENTIAL;
		else if (behav == MADV_RANDOM)
			entry->eflags |= MAP_ENTRY_BEHAV_RANDOM;
		break;
	case MADV_NOSYNC:
		entry->eflags |= MAP_ENTRY_NOSYNC;
		break;
	case MADV_AUTOSYNC:
		entry->eflags &= ~MAP_ENTRY_NOSYNC;
		break;
	case MADV_NOCORE:
		entry->eflags |= MAP_ENTRY_NOCOREDUMP;
		break;
	case MADV_CORE:
		entry->eflags &= ~MAP_ENTRY_NOCOREDUMP;
		break;
	}
}

/* madvise behaviours that change map entries. */
static int
vm_map_madvise_entries(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int behav)
{
	vm_map_entry_t entry;
	int count;

	count = vm_map_range_lock(map, start, end);
	for (entry = vm_map_range_first(map, start, &count);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		vm_map_clip_end(map, entry, end, &count);
		vm_map_entry_advise(entry, behav);
	}
	vm_map_range_unlock(map, start, end, count);
	return (KERN_SUCCESS);
}

/*
 * vm_map_entry_madvise - apply an object-level behaviour to the part
 * [start, end) of NORMAL entry `entry' (which must overlap it): INVAL
 * drops the pmap's translations (not a wired entry's), interlocked
 * against faults in the range;
 * WILLNEED, DONTNEED and FREE go to the entry's top object only (never a
 * backing object), at the pindexes the range maps through ba.offset, and
 * WILLNEED then prefaults.  The caller holds the map lock (any mode).
 */
static void
vm_map_entry_madvise(vm_map_t map, vm_map_entry_t entry, vm_offset_t start,
    vm_offset_t end, int behav)
{
	struct vm_map_ilock ilock;
	vm_offset_t s = MAX(start, entry->ba.start);
	vm_offset_t e = MIN(end, entry->ba.end);
	vm_pindex_t pindex;

	KASSERT(entry->maptype == VM_MAPTYPE_NORMAL,
	    ("vm_map_entry_madvise: entry %p not NORMAL", entry));
	KASSERT(s < e, ("vm_map_entry_madvise: entry %p outside range",
	    entry));
	if (behav == MADV_INVAL) {
		/* Wired pages stay mapped, as for msync (vm_map_clean). */
		if (entry->wired_count != 0)
			return;
		vm_map_interlock(map, &ilock, s, e);
		vm_map_pmap_remove(map, s, e);
		vm_map_deinterlock(map, &ilock);
		return;
	}
	pindex = OFF_TO_IDX(entry->ba.offset) + atop(s - entry->ba.start);
	vm_object_madvise(entry->ba.object, pindex, atop(e - s), behav);
	if (behav == MADV_WILLNEED && map->pmap != NULL)
		pmap_object_init_pt(map->pmap, entry, s, e - s,
		    COWF_PREFAULT_MADVISE);
}

/*
 * vm_map_madvise_objects - INVAL, WILLNEED, DONTNEED or FREE on the NORMAL
 * entries of [start, end) under a shared map lock, without clipping.
 * Other entries and unmapped parts are skipped.  The caller must not hold
 * the map lock.  May block.  Always KERN_SUCCESS.
 */
static int
vm_map_madvise_objects(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int behav)
{
	vm_map_entry_t entry;

	KASSERT(behav == MADV_INVAL || behav == MADV_WILLNEED ||
	    behav == MADV_DONTNEED || behav == MADV_FREE,
	    ("vm_map_madvise_objects: behaviour %d", behav));
	vm_map_lock_read(map);
	for (entry = vm_map_first_overlap(map, start);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->maptype == VM_MAPTYPE_NORMAL)
			vm_map_entry_madvise(map, entry, start, end, behav);
	}
	vm_map_unlock_read(map);
	return (KERN_SUCCESS);
}

/*
 * vm_map_madvise - apply an madvise behaviour to [start, end).  NORMAL,
 * SEQUENTIAL, RANDOM, NOSYNC, AUTOSYNC, NOCORE and CORE change the
 * entries (exclusive map lock, clipped); INVAL, WILLNEED, DONTNEED and
 * FREE act on the NORMAL entries' pmap translations or top objects under
 * a shared map lock (vm_map_madvise_objects).  Unmapped parts are
 * skipped.  The caller must not hold the map lock.  May block.
 * KERN_SUCCESS, KERN_INVALID_ARGUMENT (unknown or MADV_SETMAP behaviour,
 * bad range) or KERN_INVALID_ADDRESS.
 */
int
vm_map_madvise(vm_map_t map, vm_offset_t start, vm_offset_t end, int behav,
    off_t value)
{
	int rv;

	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS)
		return (rv);
	switch (behav) {
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_NOSYNC:
	case MADV_AUTOSYNC:
	case MADV_NOCORE:
	case MADV_CORE:
		if (start == end)
			return (KERN_SUCCESS);
		return (vm_map_madvise_entries(map, start, end, behav));
	case MADV_INVAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
		if (start == end)
			return (KERN_SUCCESS);
		return (vm_map_madvise_objects(map, start, end, behav));
	default:
		return (KERN_INVALID_ARGUMENT);
	}
}

/*
 * vm_map_check_protection - TRUE if [start, end) is entirely mapped with
 * at least `protection'.  With have_lock the caller holds the map lock
 * (any mode); otherwise it is taken shared here.  May block.
 */
boolean_t
vm_map_check_protection(vm_map_t map, vm_offset_t start, vm_offset_t end,
    vm_prot_t protection, boolean_t have_lock)
{
	vm_map_entry_t entry;
	boolean_t ok = TRUE;

	if (start > end)
		return (FALSE);
	if (have_lock)
		VM_MAP_ASSERT_LOCKED_ANY(map);
	else
		vm_map_lock_read(map);
	if (!vm_map_lookup_entry(map, start, &entry)) {
		ok = (start == end);
		entry = NULL;
	}
	while (ok && start < end) {
		if (entry == NULL || start < entry->ba.start ||
		    (entry->protection & protection) != protection) {
			ok = FALSE;
			break;
		}
		start = entry->ba.end;
		entry = vm_map_entry_next(entry);
	}
	if (!have_lock)
		vm_map_unlock_read(map);
	return (ok);
}

/*
 * MS_INVALIDATE's half of vm_map_clean: drop the translations of the
 * entries of [start, end), except wired ones.  A wired page must stay
 * mapped: mlock promised it resident, and unwiring finds the pages it
 * releases through their translations.  Map locked.
 */
static void
vm_map_clean_invalidate(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t entry;

	for (entry = vm_map_first_overlap(map, start);
	    entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->wired_count == 0)
			vm_map_pmap_remove(map, MAX(start, entry->ba.start),
			    MIN(end, entry->ba.end));
	}
}

/*
 * vm_map_clean - msync's map half for [start, end): the range must be
 * mapped from start to end without holes (KERN_INVALID_ADDRESS
 * otherwise, and for an unmapped start) and hold no submap
 * (KERN_INVALID_ARGUMENT).  With invalidate the pmap translations of
 * the range go (but for wired entries'), so the next access faults the
 * page back in from its object.  Writing dirty pages back is the vnode pager's business: no
 * object type flyvm has yet (anonymous, swap) has a file to write to,
 * so syncio changes nothing until it does.  The caller must not hold the
 * map lock.  May block.  KERN_SUCCESS or the errors above.
 */
int
vm_map_clean(vm_map_t map, vm_offset_t start, vm_offset_t end,
    boolean_t syncio, boolean_t invalidate)
{
	vm_map_entry_t entry, next;
	int rv = KERN_SUCCESS;

	(void)syncio;
	vm_map_lock_read(map);
	if (start > end || !vm_map_lookup_entry(map, start, &entry)) {
		rv = KERN_INVALID_ADDRESS;
		goto done;
	}
	/* Check the whole range first: a hole anywhere changes nothing. */
	for (; entry != NULL && entry->ba.start < end; entry = next) {
		if (entry->maptype == VM_MAPTYPE_SUBMAP) {
			rv = KERN_INVALID_ARGUMENT;
			goto done;
		}
		next = vm_map_entry_next(entry);
		if (end > entry->ba.end &&
		    (next == NULL || next->ba.start != entry->ba.end)) {
			rv = KERN_INVALID_ADDRESS;
			goto done;
		}
	}
	if (invalidate)
		vm_map_clean_invalidate(map, start, end);
done:
	vm_map_unlock_read(map);
	return (rv);
}

/************************************************************************
 *				Wiring
 ************************************************************************/

/*
 * Before an entry's first wiring its pages must have a home: a writable
 * COW entry gets its own front object now, an anonymous one its object.
 */
static int
vm_map_entry_prepare_wire(vm_map_t map, vm_map_entry_t entry)
{
	if ((entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    (entry->protection & VM_PROT_WRITE))
		return (vm_map_entry_shadow(entry));
	if (entry->ba.object == NULL && !map->system_map &&
	    (entry->eflags & MAP_ENTRY_NOFAULT) == 0)
		return (vm_map_entry_allocate_object(entry));
	return (KERN_SUCCESS);
}

/* Drop one wiring; the last one unwires the pages. */
static void
vm_map_entry_wire_drop(vm_map_t map, vm_map_entry_t entry)
{
	KASSERT(entry->wired_count > 0, ("vm_map: entry %p not wired", entry));
	if (--entry->wired_count == 0)
		vm_map_hooks->fault_unwire(map, entry);
}

/* munlock of the clipped range: every entry must be user wired. */
static int
vm_map_user_unwire_range(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t end)
{
	vm_map_entry_t entry;

	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if ((entry->eflags & MAP_ENTRY_USER_WIRED) == 0)
			return (KERN_INVALID_ARGUMENT);
	}
	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		entry->eflags &= ~MAP_ENTRY_USER_WIRED;
		vm_map_entry_wire_drop(map, entry);
	}
	return (KERN_SUCCESS);
}

/*
 * mlock's first wiring of one entry.  An entry with no access at all
 * cannot be user wired (KERN_PROTECTION_FAILURE, as FreeBSD answers):
 * there is no protection to fault its pages in with.
 */
static int
vm_map_user_wire_entry(vm_map_t map, vm_map_entry_t entry)
{
	int rv;

	if (entry->protection == VM_PROT_NONE)
		return (KERN_PROTECTION_FAILURE);
	if (entry->wired_count == 0) {
		rv = vm_map_entry_prepare_wire(map, entry);
		if (rv != KERN_SUCCESS)
			return (rv);
	}
	entry->wired_count++;
	entry->eflags |= MAP_ENTRY_USER_WIRED;
	if (entry->wired_count > 1)
		return (KERN_SUCCESS);
	rv = vm_map_hooks->fault_wire(map, entry, TRUE, 0);
	if (rv != KERN_SUCCESS) {
		entry->wired_count--;
		entry->eflags &= ~MAP_ENTRY_USER_WIRED;
	}
	return (rv);
}

/* mlock of the clipped range; on failure every wiring made is undone. */
static int
vm_map_user_wire_range(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t end)
{
	vm_map_entry_t entry, scan;
	int rv = KERN_SUCCESS;

	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->eflags & MAP_ENTRY_USER_WIRED) {
			entry->eflags |= MAP_ENTRY_WIRE_SKIP;
			continue;
		}
		rv = vm_map_user_wire_entry(map, entry);
		if (rv != KERN_SUCCESS)
			break;
	}
	if (rv == KERN_SUCCESS)
		return (rv);
	for (scan = start_entry; scan != entry;
	    scan = vm_map_entry_next(scan)) {
		if (scan->eflags & MAP_ENTRY_WIRE_SKIP)
			continue;
		scan->eflags &= ~MAP_ENTRY_USER_WIRED;
		vm_map_entry_wire_drop(map, scan);
	}
	return (rv);
}

/*
 * vm_map_user_wiring - mlock (new_pageable FALSE) or munlock (TRUE)
 * [start, end), which must be entirely mapped.  A user wiring counts once
 * per entry however often it is repeated.  The caller must not hold the
 * map lock.  May block (the fault hook faults pages in).  Returns
 * KERN_SUCCESS; KERN_INVALID_ADDRESS for holes; KERN_INVALID_ARGUMENT
 * for munlock of a range not user wired; or the fault's error (nothing
 * stays wired).
 */
int
vm_map_user_wiring(vm_map_t map, vm_offset_t start, vm_offset_t end,
    boolean_t new_pageable)
{
	vm_map_entry_t start_entry;
	int count, rv;

	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS || start == end)
		return (rv);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	start_entry = vm_map_clip_range(map, start, end, &count,
	    MAP_CLIP_NO_HOLES);
	if (start_entry == NULL) {
		rv = KERN_INVALID_ADDRESS;
	} else {
		if (new_pageable)
			rv = vm_map_user_unwire_range(map, start_entry, end);
		else
			rv = vm_map_user_wire_range(map, start_entry, end);
		vm_map_unclip_range(map, start_entry, start, end, &count,
		    MAP_CLIP_NO_HOLES);
	}
	vm_map_unlock(map);
	vm_map_entry_release(count);
	return (rv);
}

/*
 * vm_map_user_unwire_all - munlockall: stop wiring future mappings
 * (MAP_WIREFUTURE) and drop the user wiring of every entry that has one;
 * an entry whose last wiring that was is unwired.  Kernel wirings stay.
 * Waits for entries in transition and rescans, which is safe because an
 * entry is only touched while it still carries MAP_ENTRY_USER_WIRED.  The
 * caller must not hold the map lock.  May block.
 */
void
vm_map_user_unwire_all(vm_map_t map)
{
	vm_map_entry_t entry;

	vm_map_lock(map);
	map->flags &= ~MAP_WIREFUTURE;
restart:
	for (entry = vm_map_first(map); entry != NULL;
	    entry = vm_map_entry_next(entry)) {
		if ((entry->eflags & MAP_ENTRY_USER_WIRED) == 0)
			continue;
		if (entry->eflags & MAP_ENTRY_IN_TRANSITION) {
			entry->eflags |= MAP_ENTRY_NEEDS_WAKEUP;
			vm_map_transition_wait(map, 1);
			goto restart;
		}
		entry->eflags &= ~MAP_ENTRY_USER_WIRED;
		vm_map_entry_wire_drop(map, entry);
	}
	vm_map_unlock(map);
}

/*
 * Kernel unwiring of the clipped range: every entry must hold a kernel
 * wiring (one besides the user wiring, if it is user wired).
 */
static int
vm_map_kernel_unwire_range(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t end)
{
	vm_map_entry_t entry;
	int user;

	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		user = (entry->eflags & MAP_ENTRY_USER_WIRED) ? 1 : 0;
		if (entry->wired_count - user == 0)
			return (KERN_INVALID_ARGUMENT);
	}
	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry))
		vm_map_entry_wire_drop(map, entry);
	return (KERN_SUCCESS);
}

/*
 * Kernel wiring, pass 1: count a wiring on every entry, preparing those
 * wired for the first time.  On failure the counts taken are given back.
 */
static int
vm_map_kernel_wire_count(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t end)
{
	vm_map_entry_t entry, scan;
	int rv = KERN_SUCCESS;

	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->wired_count == 0) {
			rv = vm_map_entry_prepare_wire(map, entry);
			if (rv != KERN_SUCCESS)
				break;
		}
		entry->wired_count++;
	}
	if (rv != KERN_SUCCESS) {
		for (scan = start_entry; scan != entry;
		    scan = vm_map_entry_next(scan))
			scan->wired_count--;
	}
	return (rv);
}

/*
 * Kernel wiring: pass 1 counts, pass 2 faults in the entries wired for
 * the first time.  If a fault fails, the entries before it are unwired
 * and the counts of the rest given back.
 */
static int
vm_map_kernel_wire_range(vm_map_t map, vm_map_entry_t start_entry,
    vm_offset_t end, int kmflags)
{
	vm_map_entry_t entry, scan;
	int rv;

	rv = vm_map_kernel_wire_count(map, start_entry, end);
	if (rv != KERN_SUCCESS)
		return (rv);
	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		if (entry->wired_count != 1)
			continue;
		rv = vm_map_hooks->fault_wire(map, entry, FALSE, kmflags);
		if (rv != KERN_SUCCESS)
			break;
	}
	if (rv == KERN_SUCCESS)
		return (rv);
	for (scan = start_entry; scan != NULL && scan->ba.start < end;
	    scan = vm_map_entry_next(scan)) {
		if (scan->ba.start < entry->ba.start)
			vm_map_entry_wire_drop(map, scan);
		else
			scan->wired_count--;
	}
	return (rv);
}

/*
 * vm_map_kernel_wiring - wire [start, end) for the kernel, or unwire it
 * with KM_PAGEABLE.  Kernel wirings nest.  KM_KRESERVE takes entries from
 * the kernel reserve.  The range must be entirely mapped.  The caller must
 * not hold the map lock.  May block.  Returns as vm_map_user_wiring.
 */
int
vm_map_kernel_wiring(vm_map_t map, vm_offset_t start, vm_offset_t end,
    int kmflags)
{
	vm_map_entry_t start_entry;
	int count, rv;

	if ((kmflags & ~(KM_PAGEABLE | KM_KRESERVE)) != 0)
		return (KERN_INVALID_ARGUMENT);
	rv = vm_map_range_ok(map, start, end);
	if (rv != KERN_SUCCESS || start == end)
		return (rv);
	if (kmflags & KM_KRESERVE)
		count = vm_map_entry_kreserve(MAP_RESERVE_COUNT);
	else
		count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	start_entry = vm_map_clip_range(map, start, end, &count,
	    MAP_CLIP_NO_HOLES);
	if (start_entry == NULL) {
		rv = KERN_INVALID_ADDRESS;
	} else {
		if (kmflags & KM_PAGEABLE)
			rv = vm_map_kernel_unwire_range(map, start_entry, end);
		else
			rv = vm_map_kernel_wire_range(map, start_entry, end,
			    kmflags);
		vm_map_unclip_range(map, start_entry, start, end, &count,
		    MAP_CLIP_NO_HOLES);
	}
	vm_map_unlock(map);
	if (kmflags & KM_KRESERVE)
		vm_map_entry_krelease(count);
	else
		vm_map_entry_release(count);
	return (rv);
}

/*
 * vm_map_set_wired_quick - mark [addr, addr + size), which must be mapped
 * and not wired, wired without faulting anything: the caller enters the
 * pages itself.  Map locked exclusively, entries reserved.  May block.
 * KERN_SUCCESS or KERN_INVALID_ADDRESS (holes: nothing changed).
 */
int
vm_map_set_wired_quick(vm_map_t map, vm_offset_t addr, vm_size_t size,
    int *countp)
{
	vm_map_entry_t start_entry, entry;
	vm_offset_t end = addr + size;

	VM_MAP_ASSERT_LOCKED(map);
	if (vm_map_range_ok(map, addr, end) != KERN_SUCCESS || end < addr)
		return (KERN_INVALID_ADDRESS);
	if (size == 0)
		return (KERN_SUCCESS);
	start_entry = vm_map_clip_range(map, addr, end, countp,
	    MAP_CLIP_NO_HOLES);
	if (start_entry == NULL)
		return (KERN_INVALID_ADDRESS);
	for (entry = start_entry; entry != NULL && entry->ba.start < end;
	    entry = vm_map_entry_next(entry)) {
		KASSERT(entry->wired_count == 0,
		    ("vm_map_set_wired_quick: entry %p wired", entry));
		entry->wired_count = 1;
	}
	vm_map_unclip_range(map, start_entry, addr, end, countp,
	    MAP_CLIP_NO_HOLES);
	return (KERN_SUCCESS);
}

/************************************************************************
 *				Stacks
 ************************************************************************/

/*
 * vm_map_stack - create a grow-down stack occupying [*addrbos,
 * *addrbos + max_ssize): the top min(max_ssize, SGROWSIZ) bytes are
 * mapped, the rest is reserved (aux.avail_ssize) and grows on faults
 * (vm_map_growstack).  flags: 0 or MAP_TRYFIXED.  The caller must not hold
 * the map lock.  May block.  KERN_SUCCESS, KERN_NO_SPACE (anything in the
 * range), KERN_INVALID_ARGUMENT or KERN_INVALID_ADDRESS.
 */
int
vm_map_stack(vm_map_t map, vm_offset_t *addrbos, vm_size_t max_ssize,
    int flags, vm_prot_t prot, vm_prot_t max, int cow)
{
	vm_map_entry_t entry;
	vm_offset_t bos, top, found;
	vm_size_t init_ssize;
	int count, rv;

	if (addrbos == NULL || max_ssize == 0 ||
	    ((*addrbos | max_ssize) & PAGE_MASK) != 0 ||
	    (flags & ~MAP_TRYFIXED) != 0)
		return (KERN_INVALID_ARGUMENT);
	bos = *addrbos;
	top = bos + max_ssize;
	if (top < bos || bos < map->min_addr || top > map->max_addr)
		return (KERN_INVALID_ADDRESS);
	init_ssize = MIN(max_ssize, SGROWSIZ);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	rv = vm_map_findspace(map, bos, max_ssize, PAGE_SIZE, flags, &found);
	if (rv == KERN_SUCCESS && found != bos)
		rv = KERN_NO_SPACE;
	if (rv == KERN_SUCCESS)
		rv = vm_map_insert(map, &count, NULL, NULL, 0, NULL,
		    top - init_ssize, top, VM_MAPTYPE_NORMAL, VM_SUBSYS_STACK,
		    prot, max, cow | COWF_IS_STACK);
	if (rv == KERN_SUCCESS) {
		if (!vm_map_lookup_entry(map, top - init_ssize, &entry))
			panic("vm_map_stack: new entry vanished");
		entry->aux.avail_ssize = max_ssize - init_ssize;
	}
	vm_map_unlock(map);
	vm_map_entry_release(count);
	return (rv);
}

/* The vmspace a map is embedded in, or NULL. */
static struct vmspace *
vm_map_vmspace(vm_map_t map)
{
	if ((map->flags & MAP_VMSPACE) == 0)
		return (NULL);
	return ((struct vmspace *)((char *)map -
	    offsetof(struct vmspace, vm_map)));
}

/*
 * How much the stack entry may grow to cover `addr', within its reserve,
 * the process's stack and address-space limits.  0 if it may not.
 */
static vm_size_t
vm_map_stack_grow_amount(vm_map_t map, vm_map_entry_t stack_entry,
    vm_offset_t addr)
{
	struct vmspace *vm = vm_map_vmspace(map);
	vm_size_t need, grow;
	int is_procstack;

	need = stack_entry->ba.start - trunc_page(addr);
	grow = roundup2(need, SGROWSIZ);
	if (grow > stack_entry->aux.avail_ssize)
		grow = stack_entry->aux.avail_ssize;
	is_procstack = (vm != NULL && addr >= vm->vm_maxsaddr &&
	    addr < vm->vm_minsaddr);
	if (is_procstack) {
		if (ptoa(vm->vm_ssize) + need > vm->vm_stacklim)
			return (0);
		if (ptoa(vm->vm_ssize) + grow > vm->vm_stacklim)
			grow = trunc_page(vm->vm_stacklim - ptoa(vm->vm_ssize));
	}
	if (vm != NULL && map->size + grow > vm->vm_vmemlim)
		return (0);
	return (grow);
}

/*
 * Map [addr, stack_entry start) as the stack's new lowest segment, which
 * takes over what is left of the reserve.  Map locked exclusively.
 */
static int
vm_map_stack_extend(vm_map_t map, vm_map_entry_t prev,
    vm_map_entry_t stack_entry, vm_offset_t addr, int *countp)
{
	vm_map_entry_t new_entry;
	vm_size_t avail = stack_entry->aux.avail_ssize;
	int rv;

	rv = vm_map_insert(map, countp, NULL, NULL, 0, NULL, addr,
	    stack_entry->ba.start, VM_MAPTYPE_NORMAL, VM_SUBSYS_STACK,
	    stack_entry->protection, stack_entry->max_protection,
	    COWF_IS_STACK);
	if (rv != KERN_SUCCESS)
		return (rv);
	new_entry = vm_map_entry_after(map, prev);
	KASSERT(new_entry->ba.start == addr && new_entry != stack_entry,
	    ("vm_map_growstack: new segment %p misplaced", new_entry));
	new_entry->aux.avail_ssize = avail - vm_map_entry_len(new_entry);
	stack_entry->aux.avail_ssize = 0;
	new_entry->inheritance = stack_entry->inheritance;
	vm_map_simplify_entry(map, new_entry, countp);
	return (KERN_SUCCESS);
}

/*
 * vm_map_growstack - a fault at `addr' missed: if addr lies in the reserve
 * below a stack, grow the stack down over it (by at least SGROWSIZ, within
 * the reserve and the limits).  The caller must not hold the map lock.
 * May block.  KERN_SUCCESS (grown, or addr already mapped),
 * KERN_INVALID_ADDRESS (not in a stack reserve) or KERN_NO_SPACE (a
 * limit, or another mapping, is in the way).
 */
int
vm_map_growstack(vm_map_t map, vm_offset_t addr)
{
	struct vmspace *vm = vm_map_vmspace(map);
	vm_map_entry_t prev, stack_entry;
	vm_offset_t floor, base = 0, wire_end = 0;
	vm_size_t grow;
	int count, rv, wirefuture;

	if (addr < map->min_addr || addr >= map->max_addr)
		return (KERN_INVALID_ADDRESS);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	rv = KERN_SUCCESS;
	if (vm_map_lookup_entry(map, addr, &prev))
		goto done;
	stack_entry = vm_map_entry_after(map, prev);
	if (stack_entry == NULL ||
	    (stack_entry->eflags & MAP_ENTRY_STACK) == 0 ||
	    stack_entry->aux.avail_ssize == 0 ||
	    stack_entry->ba.start - addr > stack_entry->aux.avail_ssize) {
		rv = KERN_INVALID_ADDRESS;
		goto done;
	}
	grow = vm_map_stack_grow_amount(map, stack_entry, addr);
	if (grow == 0) {
		rv = KERN_NO_SPACE;
		goto done;
	}
	floor = (prev != NULL) ? prev->ba.end :
	    stack_entry->ba.start - stack_entry->aux.avail_ssize;
	base = stack_entry->ba.start - grow;
	if (base < floor) {
		/*
		 * Something was mapped into the reserve: it shrinks, and
		 * what lay below the intruder is free space again.
		 */
		vm_map_freehint_hole(map, stack_entry->ba.start -
		    stack_entry->aux.avail_ssize, floor -
		    (stack_entry->ba.start - stack_entry->aux.avail_ssize));
		stack_entry->aux.avail_ssize = stack_entry->ba.start - floor;
		base = floor;
	}
	wire_end = stack_entry->ba.start;
	rv = vm_map_stack_extend(map, prev, stack_entry, base, &count);
	if (rv == KERN_SUCCESS && vm != NULL && addr >= vm->vm_maxsaddr &&
	    addr < vm->vm_minsaddr)
		vm->vm_ssize += atop(wire_end - base);
done:
	wirefuture = (map->flags & MAP_WIREFUTURE) != 0;
	vm_map_unlock(map);
	vm_map_entry_release(count);
	if (rv == KERN_SUCCESS && wire_end != 0 && wirefuture)
		(void)vm_map_user_wiring(map, base, wire_end, FALSE);
	return (rv);
}

/************************************************************************
 *			The fault path's lookup
 ************************************************************************/

/*
 * vm_map_entry_partition - clip an anonymous entry without an object to
 * the 32 MiB partition around vaddr, so that each partition gets its own
 * object.  Map locked exclusively, entries reserved.
 */
static void
vm_map_entry_partition(vm_map_t map, vm_map_entry_t entry, vm_offset_t vaddr,
    int *countp)
{
	vm_offset_t start, end;

	start = vaddr & ~MAP_ENTRY_PARTITION_MASK;
	end = start + MAP_ENTRY_PARTITION_SIZE;
	if (start < entry->ba.start)
		start = entry->ba.start;
	if (end > entry->ba.end || end < start)
		end = entry->ba.end;
	vm_map_clip_start(map, entry, start, countp);
	vm_map_clip_end(map, entry, end, countp);
}

/*
 * The part of lookup that needs the map locked exclusively: shadow a
 * NEEDS_COPY entry before a write, give an anonymous entry its object
 * (after clipping it to its partition).  *wflags gets FW_DIDCOW.
 */
static int
vm_map_lookup_prepare(vm_map_t map, vm_map_entry_t entry, vm_offset_t vaddr,
    vm_prot_t fault_type, int *countp, int *wflags)
{
	int rv;

	if ((entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    (fault_type & VM_PROT_WRITE)) {
		rv = vm_map_entry_shadow(entry);
		if (rv != KERN_SUCCESS)
			return (rv);
		*wflags |= FW_DIDCOW;
	}
	if (entry->ba.object == NULL && !map->system_map) {
		if (vm_map_partition_enable &&
		    (entry->eflags & MAP_ENTRY_IN_TRANSITION) == 0)
			vm_map_entry_partition(map, entry, vaddr, countp);
		return (vm_map_entry_allocate_object(entry));
	}
	return (KERN_SUCCESS);
}

/*
 * Does this fault need the map locked exclusively (a shadow or an object
 * to allocate)?
 */
static int
vm_map_lookup_needs_excl(vm_map_t map, vm_map_entry_t entry,
    vm_prot_t fault_type)
{
	if ((entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    (fault_type & VM_PROT_WRITE))
		return (TRUE);
	return (entry->ba.object == NULL && !map->system_map &&
	    (entry->eflags & MAP_ENTRY_NOFAULT) == 0);
}

/* Protection checks of a lookup: KERN_SUCCESS and the allowed *protp. */
static int
vm_map_lookup_check(vm_map_entry_t entry, vm_prot_t *fault_typep,
    vm_prot_t *protp, int *wflags)
{
	vm_prot_t fault_type = *fault_typep & VM_PROT_ALL;
	vm_prot_t prot;

	if (*fault_typep & VM_PROT_OVERRIDE_WRITE)
		prot = entry->max_protection;
	else
		prot = entry->protection;
	if ((fault_type & prot) != fault_type)
		return (KERN_PROTECTION_FAILURE);
	/* A user-wired COW entry is written only through OVERRIDE_WRITE. */
	if ((entry->eflags & MAP_ENTRY_USER_WIRED) &&
	    (entry->eflags & MAP_ENTRY_COW) && (fault_type & VM_PROT_WRITE) &&
	    (*fault_typep & VM_PROT_OVERRIDE_WRITE) == 0)
		return (KERN_PROTECTION_FAILURE);
	if (entry->wired_count != 0) {
		*wflags |= FW_WIRED;
		prot = fault_type = entry->protection;
	}
	if ((entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    (fault_type & VM_PROT_WRITE) == 0)
		prot &= ~VM_PROT_WRITE;
	*fault_typep = fault_type;
	*protp = prot;
	return (KERN_SUCCESS);
}

/*
 * vm_map_lookup - the map half of a fault at vaddr: find the entry, check
 * fault_type (VM_PROT_* plus VM_PROT_OVERRIDE_WRITE to use the maximum
 * protection) against it, shadow a NEEDS_COPY entry on a write, and give an
 * anonymous entry its object (clipped to its 32 MiB partition).  The map
 * must not be locked by the caller.  On KERN_SUCCESS the map is left
 * locked shared until vm_map_lookup_done(), and the out parameters give
 * the entry, its head backing (*bap), the page index of vaddr in it, the
 * pages from there to the entry's end, the protection to map with (write
 * removed for a read of a NEEDS_COPY entry) and FW_* flags.  On failure
 * nothing is locked.  May block.  Returns KERN_SUCCESS,
 * KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE, KERN_RESOURCE_SHORTAGE
 * or KERN_INVALID_ARGUMENT.
 */
int
vm_map_lookup(vm_map_t *var_map, vm_offset_t vaddr, vm_prot_t fault_type,
    vm_map_entry_t *out_entry, struct vm_map_backing **bap,
    vm_pindex_t *pindex, vm_pindex_t *pcount, vm_prot_t *out_prot,
    int *wflags)
{
	vm_map_t map;
	vm_map_entry_t entry;
	vm_prot_t prot, ftype;
	int count, rv, excl;

	if (var_map == NULL || *var_map == NULL || out_entry == NULL ||
	    bap == NULL || pindex == NULL || pcount == NULL ||
	    out_prot == NULL || wflags == NULL ||
	    (fault_type & ~(VM_PROT_ALL | VM_PROT_OVERRIDE_WRITE)) != 0)
		return (KERN_INVALID_ARGUMENT);
	map = *var_map;
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	excl = FALSE;
	vm_map_lock_read(map);
retry:
	*wflags = 0;
	ftype = fault_type;
	if (!vm_map_lookup_entry(map, vaddr, &entry)) {
		rv = KERN_INVALID_ADDRESS;
		goto fail;
	}
	rv = vm_map_lookup_check(entry, &ftype, &prot, wflags);
	if (rv != KERN_SUCCESS)
		goto fail;
	if (vm_map_lookup_needs_excl(map, entry, ftype)) {
		if (!excl && vm_map_lock_upgrade(map) != 0) {
			/* Lost the lock to another upgrader: start over. */
			vm_map_lock_read(map);
			goto retry;
		}
		excl = TRUE;
		rv = vm_map_lookup_prepare(map, entry, vaddr, ftype, &count,
		    wflags);
		if (rv != KERN_SUCCESS)
			goto fail;
	}
	if (excl)
		vm_map_lock_downgrade(map);
	*out_entry = entry;
	*bap = &entry->ba;
	*pindex = OFF_TO_IDX((vm_ooffset_t)(vaddr - entry->ba.start) +
	    entry->ba.offset);
	*pcount = atop(entry->ba.end - trunc_page(vaddr));
	*out_prot = prot;
	vm_map_entry_release(count);
	return (KERN_SUCCESS);
fail:
	if (excl)
		vm_map_unlock(map);
	else
		vm_map_unlock_read(map);
	vm_map_entry_release(count);
	return (rv);
}

/*
 * vm_map_lookup_done - end a successful vm_map_lookup: unlock the map
 * (held shared) and release `count' reserved entries (0 for none).
 */
void
vm_map_lookup_done(vm_map_t map, vm_map_entry_t entry, int count)
{
	vm_map_unlock_read(map);
	if (count != 0)
		vm_map_entry_release(count);
}

/************************************************************************
 *			Range interlocks
 ************************************************************************/

/*
 * vm_map_interlock - take an exclusive interlock on [ran_beg, ran_end),
 * sleeping while another overlaps it.  `ilock' is the caller's storage
 * until vm_map_deinterlock.  No map lock requirement.  May block.
 */
void
vm_map_interlock(vm_map_t map, struct vm_map_ilock *ilock,
    vm_offset_t ran_beg, vm_offset_t ran_end)
{
	struct vm_map_ilock *scan;

	ilock->ran_beg = ran_beg;
	ilock->ran_end = ran_end;
	ilock->flags = 0;
	spin_lock(&map->ilock_spin);
restart:
	for (scan = map->ilock_base; scan != NULL; scan = scan->next) {
		if (ran_end > scan->ran_beg && ran_beg < scan->ran_end) {
			scan->flags |= ILOCK_WAITING;
			ssleep(scan, &map->ilock_spin, 0, "ilock", 0);
			goto restart;
		}
	}
	ilock->next = map->ilock_base;
	map->ilock_base = ilock;
	spin_unlock(&map->ilock_spin);
}

/* vm_map_deinterlock - release an interlock, waking its waiters. */
void
vm_map_deinterlock(vm_map_t map, struct vm_map_ilock *ilock)
{
	struct vm_map_ilock **scanp;
	int waiting;

	spin_lock(&map->ilock_spin);
	for (scanp = &map->ilock_base; *scanp != ilock;
	    scanp = &(*scanp)->next)
		KASSERT(*scanp != NULL, ("vm_map_deinterlock: not found"));
	*scanp = ilock->next;
	waiting = ilock->flags & ILOCK_WAITING;
	spin_unlock(&map->ilock_spin);
	if (waiting)
		wakeup(ilock);
}

/************************************************************************
 *				vmspaces
 ************************************************************************/

/*
 * vmspace_alloc - a new, empty address space [min, max) with its pmap,
 * one reference and one hold.  No requirements.  May block.  NULL if the
 * range is empty or not page aligned, or the host is out of memory.
 */
struct vmspace *
vmspace_alloc(vm_offset_t min, vm_offset_t max)
{
	struct vmspace *vm;

	if (min >= max || ((min | max) & PAGE_MASK) != 0)
		return (NULL);
	vm = zalloc(vmspace_zone);
	if (vm == NULL)
		return (NULL);
	memset(vm, 0, sizeof(*vm));
	pmap_pinit(&vm->vm_pmap);
	vm_map_init(&vm->vm_map, min, max, &vm->vm_pmap);
	vm->vm_map.flags |= MAP_VMSPACE;
	vm->vm_stacklim = VM_RLIM_INFINITY;
	vm->vm_vmemlim = VM_RLIM_INFINITY;
	refcount_init(&vm->vm_holdcnt, 1);
	refcount_init(&vm->vm_refcnt, 1);
	atomic_add_long(&vmspaces_live, 1);
	return (vm);
}

/*
 * Stage 1 (the last reference went): every mapping goes, the pmap is
 * emptied.  The structure stays for its holders.
 */
static void
vmspace_terminate_stage1(struct vmspace *vm)
{
	vm_map_t map = &vm->vm_map;

	atomic_set_int(&vm->vm_flags, VMSPACE_EXIT1);
	vm_map_remove(map, map->min_addr, map->max_addr);
	pmap_remove_pages(vmspace_pmap(vm), map->min_addr, map->max_addr);
}

/*
 * Stage 2 (the last hold went): whatever a holder mapped since stage 1
 * goes too, then the pmap and the structure.
 */
static void
vmspace_terminate_stage2(struct vmspace *vm)
{
	vm_map_t map = &vm->vm_map;

	KASSERT(vm->vm_refcnt == VM_REF_DELETED,
	    ("vmspace_terminate: refs %#x", vm->vm_refcnt));
	atomic_set_int(&vm->vm_flags, VMSPACE_EXIT2);
	vm_map_remove(map, map->min_addr, map->max_addr);
	pmap_release(vmspace_pmap(vm));
	pmap_puninit(vmspace_pmap(vm));
	vm_map_uninit(map);
	memset(vm, 0xdb, sizeof(*vm));
	zfree(vmspace_zone, vm);
	atomic_subtract_long(&vmspaces_live, 1);
}

/* Drop one hold; the last one frees the vmspace.  May block. */
static void
vmspace_drop_notoken(struct vmspace *vm)
{
	if (refcount_release(&vm->vm_holdcnt))
		vmspace_terminate_stage2(vm);
}

/*
 * vmspace_ref - add a reference (and its hold).  The caller must already
 * have a reference.  No requirements.
 */
void
vmspace_ref(struct vmspace *vm)
{
	KASSERT((atomic_load_int(&vm->vm_refcnt) & VM_REF_DELETED) == 0,
	    ("vmspace_ref: vmspace %p terminated", vm));
	refcount_acquire(&vm->vm_holdcnt);
	refcount_acquire(&vm->vm_refcnt);
}

/*
 * vmspace_rel - drop a reference and its hold.  The last reference runs
 * stage 1 of termination, the last hold stage 2.  The caller must not
 * hold the map lock.  May block.
 */
void
vmspace_rel(struct vmspace *vm)
{
	if (refcount_release(&vm->vm_refcnt)) {
		atomic_store_int(&vm->vm_refcnt, VM_REF_DELETED);
		vmspace_terminate_stage1(vm);
	}
	vmspace_drop_notoken(vm);
}

/*
 * vmspace_hold - keep the structure (not its mappings) alive and take its
 * map token.  The caller must have a reference or a hold already.  May
 * block.  vmspace_drop undoes it; the last drop may free the vmspace.
 */
void
vmspace_hold(struct vmspace *vm)
{
	refcount_acquire(&vm->vm_holdcnt);
	lwkt_gettoken(&vm->vm_map.token);
}

void
vmspace_drop(struct vmspace *vm)
{
	lwkt_reltoken(&vm->vm_map.token);
	vmspace_drop_notoken(vm);
}

/*
 * vmspace_relexit - process exit: release the process's reference (stage
 * 1) but keep a hold until the process is reaped (vmspace_exitfree).
 */
void
vmspace_relexit(struct vmspace *vm)
{
	refcount_acquire(&vm->vm_holdcnt);
	vmspace_rel(vm);
}

/* vmspace_exitfree - process reaped: drop relexit's hold (stage 2). */
void
vmspace_exitfree(struct vmspace *vm)
{
	vmspace_drop_notoken(vm);
}

/*
 * vmspace_getrefs - the number of references, -1 once stage 1 has run.
 * No requirements.
 */
int
vmspace_getrefs(struct vmspace *vm)
{
	u_int n = atomic_load_int(&vm->vm_refcnt);

	if (n & VM_REF_DELETED)
		return (-1);
	return ((int)n);
}

/*
 * A copy of old_entry for the child map, without wiring or transition
 * state, its chain replicated (references taken), linked in.  NULL if out
 * of memory (nothing left behind).  Maps locked exclusively.
 */
static vm_map_entry_t
vmspace_fork_clone(vm_map_t new_map, vm_map_entry_t old_entry, int *countp)
{
	vm_map_entry_t new_entry;

	new_entry = vm_map_entry_create(countp);
	vm_map_entry_copy(new_entry, old_entry);
	new_entry->eflags &= ~(MAP_ENTRY_USER_WIRED | MAP_ENTRY_IN_TRANSITION |
	    MAP_ENTRY_NEEDS_WAKEUP | MAP_ENTRY_WIRE_SKIP);
	new_entry->wired_count = 0;
	if (vm_map_backing_replicated(new_map, new_entry, 0) != KERN_SUCCESS) {
		vm_map_entry_dispose(new_map, new_entry, countp);
		return (NULL);
	}
	vm_map_entry_link(new_map, new_entry);
	new_map->size += vm_map_entry_len(new_entry);
	return (new_entry);
}

/*
 * vm_map_copy_entry - set up copy-on-write between the parent's entry and
 * its copy in the child.  Wired pages cannot be shared copy-on-write: the
 * child gets a fresh object and the fault layer copies the pages.
 */
static int
vm_map_copy_entry(vm_map_t src_map, vm_map_t dst_map,
    vm_map_entry_t src_entry, vm_map_entry_t dst_entry)
{
	int rv;

	if (src_entry->wired_count != 0) {
		vm_map_backing_release(&dst_entry->ba);
		vm_map_entry_dispose_ba(dst_entry->ba.backing_ba);
		dst_entry->ba.backing_ba = NULL;
		dst_entry->ba.backing_count = 0;
		dst_entry->eflags &= ~(MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY);
		rv = vm_map_entry_allocate_object(dst_entry);
		if (rv != KERN_SUCCESS)
			return (rv);
		vm_map_hooks->fault_copy_entry(dst_map, src_map, dst_entry,
		    src_entry);
		return (KERN_SUCCESS);
	}
	if ((src_entry->eflags & MAP_ENTRY_NEEDS_COPY) == 0)
		vm_map_pmap_protect(src_map, src_entry->ba.start,
		    src_entry->ba.end, src_entry->protection & ~VM_PROT_WRITE);
	src_entry->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	dst_entry->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	return (KERN_SUCCESS);
}

/*
 * A long chain is folded into its head object by the fault layer before
 * the fork copies it again.  Not a wired entry's: the fold removes the
 * entry's translations, and a wired page must stay mapped (unwiring finds
 * its pages through them); a wired entry is copied, not shadowed, at
 * fork, so its chain does not grow.
 */
static void
vmspace_fork_collapse(vm_map_t old_map, vm_map_entry_t old_entry)
{
	if (old_entry->wired_count != 0 || old_entry->ba.backing_ba == NULL ||
	    old_entry->ba.backing_count < (uint32_t)vm_map_backing_limit)
		return;
	if (vm_map_hooks->fault_collapse(old_map, old_entry) != KERN_SUCCESS)
		return;
	vm_map_entry_dispose_ba(old_entry->ba.backing_ba);
	old_entry->ba.backing_ba = NULL;
	old_entry->ba.backing_count = 0;
}

/* Fork one entry by its inheritance.  Both maps locked exclusively. */
static int
vmspace_fork_normal_entry(vm_map_t old_map, vm_map_t new_map,
    vm_map_entry_t old_entry, int *countp)
{
	vm_map_entry_t new_entry;
	int rv = KERN_SUCCESS;

	vmspace_fork_collapse(old_map, old_entry);
	switch (old_entry->inheritance) {
	case VM_INHERIT_NONE:
		break;
	case VM_INHERIT_SHARE:
		if (old_entry->eflags & MAP_ENTRY_NEEDS_COPY)
			rv = vm_map_entry_shadow(old_entry);
		else if (old_entry->ba.object == NULL)
			rv = vm_map_entry_allocate_object(old_entry);
		if (rv == KERN_SUCCESS &&
		    vmspace_fork_clone(new_map, old_entry, countp) == NULL)
			rv = KERN_RESOURCE_SHORTAGE;
		break;
	case VM_INHERIT_COPY:
		new_entry = vmspace_fork_clone(new_map, old_entry, countp);
		if (new_entry == NULL)
			rv = KERN_RESOURCE_SHORTAGE;
		else
			rv = vm_map_copy_entry(old_map, new_map, old_entry,
			    new_entry);
		break;
	default:
		panic("vmspace_fork: inheritance %d", old_entry->inheritance);
	}
	return (rv);
}

/* Copy every entry of old_map into new_map.  Both locked exclusively. */
static int
vmspace_fork_entries(vm_map_t old_map, vm_map_t new_map)
{
	vm_map_entry_t old_entry;
	int count, rv = KERN_SUCCESS;

	count = vm_map_entry_reserve(old_map->nentries + MAP_RESERVE_COUNT);
	RB_FOREACH(old_entry, vm_map_rb_tree, &old_map->rb_root) {
		KASSERT(old_entry->maptype == VM_MAPTYPE_NORMAL,
		    ("vmspace_fork: maptype %d", old_entry->maptype));
		rv = vmspace_fork_normal_entry(old_map, new_map, old_entry,
		    &count);
		if (rv != KERN_SUCCESS)
			break;
	}
	vm_map_entry_release(count);
	return (rv);
}

/*
 * vmspace_fork - the child's address space: entries inherited SHARE share
 * the parent's objects, COPY ones become copy-on-write in both (COW and
 * NEEDS_COPY), NONE ones are left out; segment sizes are copied.  The
 * caller holds a reference on vm1 and no map lock.  May block.  Returns
 * the new vmspace (one reference) or NULL if out of memory.
 */
struct vmspace *
vmspace_fork(struct vmspace *vm1)
{
	vm_map_t old_map = &vm1->vm_map;
	struct vmspace *vm2;
	int rv;

	vm2 = vmspace_alloc(old_map->min_addr, old_map->max_addr);
	if (vm2 == NULL)
		return (NULL);
	vm_map_lock(old_map);
	while (vm_map_wait_range(old_map, old_map->min_addr,
	    old_map->max_addr))
		;
	memcpy(&vm2->vm_startcopy, &vm1->vm_startcopy,
	    (char *)&vm1->vm_endcopy - (char *)&vm1->vm_startcopy);
	vm_map_lock(&vm2->vm_map);
	rv = vmspace_fork_entries(old_map, &vm2->vm_map);
	vm_map_unlock(&vm2->vm_map);
	vm_map_unlock(old_map);
	if (rv != KERN_SUCCESS) {
		vmspace_rel(vm2);
		return (NULL);
	}
	return (vm2);
}

/*
 * vmspace_exec - the address space an exec starts with: a fork of vmcopy
 * (a resident image) if given, else an empty one with vm's bounds and
 * segment information.  The caller switches the process to it and
 * releases vm.  May block.  NULL if out of memory.
 */
struct vmspace *
vmspace_exec(struct vmspace *vm, struct vmspace *vmcopy)
{
	struct vmspace *nvm;

	if (vmcopy != NULL)
		return (vmspace_fork(vmcopy));
	nvm = vmspace_alloc(vm->vm_map.min_addr, vm->vm_map.max_addr);
	if (nvm == NULL)
		return (NULL);
	memcpy(&nvm->vm_startcopy, &vm->vm_startcopy,
	    (char *)&vm->vm_endcopy - (char *)&vm->vm_startcopy);
	return (nvm);
}

/*
 * vmspace_unshare - a private copy of a shared vmspace (rfork without
 * RFMEM): vm itself if it has one reference, else a fork the caller
 * switches to before releasing vm.  May block.  NULL if out of memory.
 */
struct vmspace *
vmspace_unshare(struct vmspace *vm)
{
	if (vmspace_getrefs(vm) == 1)
		return (vm);
	return (vmspace_fork(vm));
}

/*
 * vmspace_swap_count - pages of swap charged to this vmspace, each
 * object's swap shared out in proportion to the part the entry maps.
 * Takes the map lock shared.  May block.
 */
long
vmspace_swap_count(struct vmspace *vm)
{
	vm_map_t map = &vm->vm_map;
	vm_map_entry_t entry;
	vm_object_t obj;
	long count = 0, n;

	vm_map_lock_read(map);
	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		obj = entry->ba.object;
		if (obj == NULL || obj->type != OBJT_SWAP || obj->size == 0 ||
		    obj->swblock_count == 0)
			continue;
		n = (long)atop(vm_map_entry_len(entry));
		count += obj->swblock_count * VM_MAP_SWAP_META_PAGES * n /
		    (long)obj->size + 1;
	}
	vm_map_unlock_read(map);
	return (count);
}

/*
 * vmspace_anonymous_count - resident pages of the anonymous objects this
 * vmspace maps at the head of its entries.  Takes the map lock shared.
 */
long
vmspace_anonymous_count(struct vmspace *vm)
{
	vm_map_t map = &vm->vm_map;
	vm_map_entry_t entry;
	vm_object_t obj;
	long count = 0;

	vm_map_lock_read(map);
	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		obj = entry->ba.object;
		if (obj == NULL ||
		    (obj->type != OBJT_DEFAULT && obj->type != OBJT_SWAP))
			continue;
		count += obj->resident_page_count;
	}
	vm_map_unlock_read(map);
	return (count);
}

/************************************************************************
 *				Audit
 ************************************************************************/

#define AUDIT_FAIL(errp, ...) do {					\
	kprintf("vm_map_audit: " __VA_ARGS__);				\
	++*(errp);							\
} while (0)

/* Is `ba' on its object's backing_list? */
static int
vm_map_audit_on_list(vm_map_backing_t ba)
{
	vm_map_backing_t scan;
	int found = FALSE;

	lockmgr(&ba->object->backing_lk, LK_SHARED);
	TAILQ_FOREACH(scan, &ba->object->backing_list, entry) {
		if (scan == ba) {
			found = TRUE;
			break;
		}
	}
	lockmgr(&ba->object->backing_lk, LK_RELEASE);
	return (found);
}

/* Is `ba' one of the links of `entry'? */
static int
vm_map_audit_in_chain(vm_map_entry_t entry, vm_map_backing_t ba)
{
	vm_map_backing_t scan;

	for (scan = &entry->ba; scan != NULL; scan = scan->backing_ba) {
		if (scan == ba)
			return (TRUE);
	}
	return (FALSE);
}

/*
 * Every link of this map's pmap on the object's list belongs to the entry
 * that maps its start.
 */
static void
vm_map_audit_object_list(vm_map_t map, vm_object_t obj, int *errp)
{
	vm_map_backing_t scan;
	vm_map_entry_t owner;

	if (map->pmap == NULL)
		return;
	lockmgr(&obj->backing_lk, LK_SHARED);
	TAILQ_FOREACH(scan, &obj->backing_list, entry) {
		if (scan->pmap != map->pmap)
			continue;
		if (!vm_map_lookup_entry(map, scan->start, &owner) ||
		    !vm_map_audit_in_chain(owner, scan))
			AUDIT_FAIL(errp, "obj %p lists stray ba %p at %#lx\n",
			    obj, scan, (u_long)scan->start);
	}
	lockmgr(&obj->backing_lk, LK_RELEASE);
}

/* Invariants 3 and 4 for one entry. */
static void
vm_map_audit_chain(vm_map_t map, vm_map_entry_t entry, int *errp)
{
	vm_map_backing_t ba;
	uint32_t depth = 0;

	for (ba = entry->ba.backing_ba; ba != NULL; ba = ba->backing_ba)
		++depth;
	if (entry->ba.object == NULL && depth != 0)
		AUDIT_FAIL(errp, "entry %p: chain without head object\n",
		    entry);
	for (ba = &entry->ba; ba != NULL; ba = ba->backing_ba, --depth) {
		if (ba->start != entry->ba.start || ba->end != entry->ba.end ||
		    ba->pmap != map->pmap || ba->backing_count != depth)
			AUDIT_FAIL(errp, "entry %p: ba %p range/pmap/count\n",
			    entry, ba);
		if (ba->object == NULL)
			continue;
		if (atomic_load_int(&ba->object->ref_count) < 1 ||
		    !vm_map_audit_on_list(ba))
			AUDIT_FAIL(errp, "entry %p: ba %p not on obj %p\n",
			    entry, ba, ba->object);
		vm_map_audit_object_list(map, ba->object, errp);
	}
}

/* Invariant 1 and the per-entry field checks. */
static void
vm_map_audit_entry(vm_map_t map, vm_map_entry_t entry, vm_offset_t prev_end,
    int *errp)
{
	if (entry->ba.start >= entry->ba.end ||
	    ((entry->ba.start | entry->ba.end) & PAGE_MASK) != 0 ||
	    entry->ba.start < prev_end || entry->ba.end > map->max_addr)
		AUDIT_FAIL(errp, "entry %p: range %#lx-%#lx after %#lx\n",
		    entry, (u_long)entry->ba.start, (u_long)entry->ba.end,
		    (u_long)prev_end);
	if (entry->maptype != VM_MAPTYPE_NORMAL ||
	    (entry->protection & ~entry->max_protection) != 0 ||
	    entry->inheritance < VM_INHERIT_SHARE ||
	    entry->inheritance > VM_INHERIT_NONE || entry->wired_count < 0 ||
	    ((entry->eflags & MAP_ENTRY_USER_WIRED) && entry->wired_count == 0))
		AUDIT_FAIL(errp, "entry %p: bad fields: type %d prot %x/%x "
		    "inh %d wired %d eflags %#x\n", entry, entry->maptype,
		    entry->protection, entry->max_protection,
		    entry->inheritance, entry->wired_count, entry->eflags);
	if ((entry->eflags & MAP_ENTRY_STACK) &&
	    entry->aux.avail_ssize > entry->ba.start - map->min_addr)
		AUDIT_FAIL(errp, "entry %p: reserve below the map\n", entry);
	vm_map_audit_chain(map, entry, errp);
}

/* Does any hole in [base, limit) hold (length, align)?  Invariant 6. */
static int
vm_map_audit_hole_below(vm_map_t map, vm_offset_t base, vm_offset_t limit,
    vm_size_t length, vm_size_t align)
{
	vm_offset_t addr;

	if (vm_map_first_fit(map, base, length, align, 0,
	    &addr) != KERN_SUCCESS)
		return (FALSE);
	return (addr < limit);
}

/*
 * vm_map_audit - check every invariant of the design note (and the free
 * hints) and report each violation through kprintf.  Returns the number
 * found.  Takes the map lock shared; the caller must not hold it.  Exact
 * only when no other thread is changing the map.
 */
int
vm_map_audit(vm_map_t map)
{
	vm_map_entry_t entry;
	vm_offset_t prev_end;
	vm_size_t size = 0;
	int i, n = 0, errors = 0;
	struct vm_map_freehint *h;

	vm_map_lock_read(map);
	prev_end = map->min_addr;
	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		vm_map_audit_entry(map, entry, prev_end, &errors);
		prev_end = entry->ba.end;
		size += vm_map_entry_len(entry);
		++n;
	}
	if (n != map->nentries || size != map->size)
		AUDIT_FAIL(&errors, "map %p: %d entries (says %d), %#lx bytes "
		    "(says %#lx)\n", map, n, map->nentries, (u_long)size,
		    (u_long)map->size);
	for (i = 0; i < VM_MAP_FFCOUNT; ++i) {
		h = &map->freehint[i];
		if (h->length != 0 && vm_map_audit_hole_below(map, h->base,
		    h->start, h->length, h->align))
			AUDIT_FAIL(&errors, "map %p: hint %d (%#lx, %#lx) "
			    "[%#lx, %#lx) skips a hole\n", map, i,
			    (u_long)h->length, (u_long)h->align,
			    (u_long)h->base, (u_long)h->start);
	}
	vm_map_unlock_read(map);
	return (errors);
}

/*
 * vm_map_print - describe the map and every entry, with its chain, through
 * kprintf (DragonFly's "show map" debugger command).  Takes the map lock
 * shared; the caller must not hold it exclusively.  May block.
 */
void
vm_map_print(vm_map_t map)
{
	vm_map_entry_t entry;
	vm_map_backing_t ba;

	vm_map_lock_read(map);
	kprintf("map %p: pmap %p, %d entries, %#lx bytes, timestamp %u\n",
	    map, map->pmap, map->nentries, (u_long)map->size, map->timestamp);
	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		kprintf(" %#lx-%#lx prot %x/%x inh %d eflags %#x wired %d"
		    " id %d\n", (u_long)entry->ba.start, (u_long)entry->ba.end,
		    entry->protection, entry->max_protection,
		    entry->inheritance, entry->eflags, entry->wired_count,
		    (int)entry->id);
		for (ba = &entry->ba; ba != NULL; ba = ba->backing_ba)
			kprintf("   ba %p obj %p off %#lx count %u\n", ba,
			    ba->object, (u_long)ba->offset, ba->backing_count);
	}
	vm_map_unlock_read(map);
}
