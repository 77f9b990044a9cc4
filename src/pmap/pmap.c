/*
 * pmap.c - page tables and the machine-independent pmap interface.
 *
 * A pmap owns a four-level x86-64 page table whose pages come from
 * vm_page_alloc (no object, wired, never on a paging queue).  The entry
 * format is in pmap_impl.h and docs/pmap.md.  Simulated CPUs walk these
 * tables without locks (pmap_access.c); everything here changes them under
 * the pmap's pm_lock and then shoots down stale TLB entries (pmap_tlb.c).
 *
 * A page's mappings are not listed per page.  They are found through the
 * page's object: every vm_map_backing on object->backing_list names a pmap
 * and the address range where the object is mapped, which gives the one
 * address where the page can be mapped in that pmap (pmap_page_foreach).
 *
 * Invariants:
 *   1. Page-table pages: wired, object NULL, PQ_NONE, and md.pmap_count is
 *      the number of valid entries in the table.  A table other than the
 *      PML4 is unlinked and freed as soon as its count reaches zero, and
 *      freed only after the shootdown that follows the unlinking.
 *   2. pm_ptpages counts the pmap's table pages, PML4 included; the
 *      pm_slots' resident counts sum to its valid leaf ptes,
 *      pm_stats.wired_count counts those with X86_PG_W.
 *   3. A leaf pte is X86_PG_MANAGED iff the page has an object and is not
 *      fictitious; user pmaps only.  For each page, md.pmap_count is the
 *      number of managed ptes mapping it and md.writeable_count the number
 *      of those with X86_PG_RW.  PG_MAPPED is set while pmap_count > 0,
 *      PG_MAPPEDMULTI once it has exceeded 1, PG_WRITEABLE while
 *      writeable_count > 0; they are cleared only with the page
 *      hard-busied (pmap_mapped_sync, pmap_page_protect).
 *   4. X86_PG_M is never set without X86_PG_RW.  Removing RW from a
 *      managed pte folds M into the page (vm_page_dirty) and A into
 *      PG_REFERENCED, atomically with the change, and so does removing
 *      the pte.
 *   5. Every managed pte at va in pmap P mapping page m is matched by a
 *      vm_map_backing on m->object->backing_list with pmap P and
 *      va = start + IDX_TO_OFF(m->pindex) - offset in [start, end).
 *      The caller of pmap_enter guarantees it; pmap_audit checks it.
 *
 * Lock order:
 *   pmap_list_lock -> object backing_lk -> pm_lock -> page spin -> queue
 * pm_lock is a lockmgr lock: operations may block while allocating a
 * table page, always with the lock released first.  No function here is
 * called with a spinlock held, and none is ever called inside an access
 * window.
 */
#include <string.h>

#include "kern/lockorder.h"
#include "kern/thread.h"
#include "pmap/pmap_impl.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"

struct pmap kernel_pmap;
struct lock pmap_list_lock;
struct pmap_list pmap_list = TAILQ_HEAD_INITIALIZER(pmap_list);

/*
 * Helpers on physical addresses and table pages.
 */

/* pmap_phys_valid - TRUE if pa lies in flyvm's physical memory. */
int
pmap_phys_valid(vm_paddr_t pa)
{
	return (pa >= VM_PHYS_BASE &&
	    pa < VM_PHYS_BASE + ptoa((vm_paddr_t)vm_page_array_size));
}

/* pmap_table_page - the vm_page holding the table entry ptep is in. */
vm_page_t
pmap_table_page(pt_entry_t *ptep)
{
	vm_paddr_t pa;

	pa = (vm_paddr_t)((char *)ptep - vm_phys_base_ptr) + VM_PHYS_BASE;
	return (PHYS_TO_VM_PAGE(trunc_page(pa)));
}

/* pmap_load - read an entry that table walks may be changing. */
static inline pt_entry_t
pmap_load(pt_entry_t *ptep)
{
	return (__atomic_load_n(ptep, __ATOMIC_SEQ_CST));
}

/*
 * pmap_va_range - the addresses pmap may map: [*lo, *hi).
 */
void
pmap_va_range(pmap_t pmap, vm_offset_t *lo, vm_offset_t *hi)
{
	if (pmap->pm_flags & PMAP_KERNEL) {
		*lo = VM_MIN_KERNEL_ADDRESS;
		*hi = VM_MAX_KERNEL_ADDRESS;
	} else {
		*lo = VM_MIN_USER_ADDRESS;
		*hi = VM_MAX_USER_ADDRESS;
	}
}

/*
 * pmap_clamp - trim [*sva, *eva) to whole pages inside pmap's range.
 * Returns FALSE if nothing is left.
 */
static int
pmap_clamp(pmap_t pmap, vm_offset_t *sva, vm_offset_t *eva)
{
	vm_offset_t lo, hi;

	pmap_va_range(pmap, &lo, &hi);
	*sva = trunc_page(*sva);
	*eva = *eva > hi ? hi : round_page(*eva);
	if (*sva < lo)
		*sva = lo;
	return (*sva < *eva);
}

/*
 * Page-table pages.
 */

/*
 * pmap_ptpage_alloc - a zeroed, wired, unbusied page for a table.  Waits
 * for memory if there is none.  Called with no pmap lock held; may block.
 */
static vm_page_t
pmap_ptpage_alloc(void)
{
	vm_page_t m;

	while ((m = vm_page_alloc(NULL, 0,
	    VM_ALLOC_SYSTEM | VM_ALLOC_ZERO)) == NULL)
		vm_wait(hz / 10 + 1);
	vm_page_wire(m);
	atomic_set_int(&m->flags, PG_UNQUEUED);
	m->md.pmap_count = 0;
	m->md.writeable_count = 0;
	vm_page_wakeup(m);
	return (m);
}

/*
 * pmap_ptpage_free - free a table page that no walk can reach any more
 * (invariant 1).  No pmap lock needed; may block briefly.
 */
static void
pmap_ptpage_free(vm_page_t m)
{
	KASSERT(m->md.pmap_count == 0, ("pmap_ptpage_free: %d entries",
	    m->md.pmap_count));
	vm_page_busy_wait(m, FALSE, "pgtfre");
	vm_page_unwire(m, 0);
	vm_page_free_toq(m);
}

/* pmap_ptpages_free - free every page on a list built under pm_lock. */
void
pmap_ptpages_free(struct pglist *freeq)
{
	vm_page_t m;

	while ((m = TAILQ_FIRST(freeq)) != NULL) {
		TAILQ_REMOVE(freeq, m, pageq);
		pmap_ptpage_free(m);
	}
}

/*
 * Spare table pages, allocated with pm_lock released before an operation
 * that may need to link new tables.
 */
struct pmap_spares {
	vm_page_t	sp_page[PMAP_LEVELS - 1];
	int		sp_count;
};

/*
 * pmap_spares_fill - allocate spares until sp holds need pages.  No pmap
 * lock held; may block.
 */
static void
pmap_spares_fill(struct pmap_spares *sp, int need)
{
	KKASSERT(need <= PMAP_LEVELS - 1);
	while (sp->sp_count < need)
		sp->sp_page[sp->sp_count++] = pmap_ptpage_alloc();
}

/* pmap_spares_free - free unused spares.  No pmap lock held. */
static void
pmap_spares_free(struct pmap_spares *sp)
{
	while (sp->sp_count > 0)
		pmap_ptpage_free(sp->sp_page[--sp->sp_count]);
}

/*
 * Lookup, creation and release of tables.  All with pm_lock held.
 */

/*
 * pmap_pte - pointer to the leaf pte for va, or NULL if a table above it
 * is missing.  pm_lock held in any mode.
 */
pt_entry_t *
pmap_pte(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t *table = pmap->pm_pml4;
	pt_entry_t e;
	int lvl;

	for (lvl = PMAP_LEVELS; lvl > 1; lvl--) {
		e = pmap_load(&table[pmap_index(va, lvl)]);
		if ((e & X86_PG_V) == 0)
			return (NULL);
		table = pmap_entry_table(e);
	}
	return (&table[pmap_index(va, 1)]);
}

/*
 * pmap_link_table - hang the last spare of sp at *ptep, an entry of a
 * table one level up, unless another thread holding pm_lock shared got
 * there first: then its table is used and the spare stays in sp.  Returns
 * the host address of the table now linked at *ptep.  pm_lock held in any
 * mode.
 */
static pt_entry_t *
pmap_link_table(pmap_t pmap, pt_entry_t *ptep, struct pmap_spares *sp)
{
	vm_page_t tpg = sp->sp_page[sp->sp_count - 1];
	pt_entry_t old = 0;

	/* Release: a walker that sees the entry sees the zeroed table. */
	if (!__atomic_compare_exchange_n(ptep, &old, VM_PAGE_TO_PHYS(tpg) |
	    X86_PG_V | X86_PG_RW | X86_PG_U, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST)) {
		KASSERT(old & X86_PG_V, ("pmap_link_table: entry %#jx",
		    (uintmax_t)old));
		return (pmap_entry_table(old));
	}
	sp->sp_count--;
	__atomic_add_fetch(&pmap_table_page(ptep)->md.md_counts, MD_COUNT_PTE,
	    __ATOMIC_ACQ_REL);
	atomic_add_long(&pmap->pm_ptpages, 1);
	return ((pt_entry_t *)vm_page_data(tpg));
}

/*
 * pmap_pte_create - pointer to the leaf pte for va, linking missing tables
 * from sp.  Returns NULL, with *needp set, if sp holds too few pages for
 * every missing level, before linking any (so that no table is left
 * linked and empty while the caller allocates).  pm_lock held in any
 * mode: holders of a share may link tables side by side (pmap_link_table
 * settles a race for one entry), and only exclusive holders unlink them.
 */
static pt_entry_t *
pmap_pte_create(pmap_t pmap, vm_offset_t va, struct pmap_spares *sp,
    int *needp)
{
	pt_entry_t *table = pmap->pm_pml4;
	pt_entry_t e;
	int lvl;

	for (lvl = PMAP_LEVELS; lvl > 1; lvl--) {
		e = pmap_load(&table[pmap_index(va, lvl)]);
		if (e & X86_PG_V) {
			table = pmap_entry_table(e);
			continue;
		}
		if (sp->sp_count < lvl - 1) {
			*needp = lvl - 1;
			return (NULL);
		}
		table = pmap_link_table(pmap, &table[pmap_index(va, lvl)], sp);
	}
	return (&table[pmap_index(va, 1)]);
}

/*
 * pmap_pte_get - take pm_lock exclusively and return the leaf pte for va,
 * creating tables as needed.  May block (with the lock released) to
 * allocate table pages; unused spares are left in sp for the caller to
 * free after dropping the lock.
 */
static pt_entry_t *
pmap_pte_get(pmap_t pmap, vm_offset_t va, struct pmap_spares *sp)
{
	pt_entry_t *ptep;
	int need = 0;

	lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
	while ((ptep = pmap_pte_create(pmap, va, sp, &need)) == NULL) {
		lockmgr(&pmap->pm_lock, LK_RELEASE);
		pmap_spares_fill(sp, need);
		lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
	}
	return (ptep);
}

/*
 * pmap_release_empty - after removals around va, unlink every table on
 * va's path that became empty, bottom up, onto freeq (invariant 1).
 * pm_lock held exclusively.  The caller shoots down before freeing.
 */
void
pmap_release_empty(pmap_t pmap, vm_offset_t va, struct pglist *freeq)
{
	pt_entry_t *path[PMAP_LEVELS + 1];
	pt_entry_t *table = pmap->pm_pml4;
	vm_page_t tpg;
	int lvl;

	for (lvl = PMAP_LEVELS; lvl >= 1; lvl--) {
		path[lvl] = &table[pmap_index(va, lvl)];
		if (lvl == 1)
			break;
		if ((pmap_load(path[lvl]) & X86_PG_V) == 0)
			return;
		table = pmap_entry_table(pmap_load(path[lvl]));
	}
	for (lvl = 1; lvl < PMAP_LEVELS; lvl++) {
		tpg = pmap_table_page(path[lvl]);
		if (tpg->md.pmap_count != 0)
			break;
		__atomic_store_n(path[lvl + 1], 0, __ATOMIC_SEQ_CST);
		pmap_table_page(path[lvl + 1])->md.pmap_count--;
		atomic_subtract_long(&pmap->pm_ptpages, 1);
		TAILQ_INSERT_TAIL(freeq, tpg, pageq);
	}
}

/*
 * pmap_next_boundary - the first address above va aligned to a level-lvl
 * entry, or 0 if that wraps.
 */
static vm_offset_t
pmap_next_boundary(vm_offset_t va, int lvl)
{
	vm_offset_t mask = ((vm_offset_t)1 << PMAP_LEVEL_SHIFT(lvl)) - 1;

	return ((va | mask) + 1);
}

/*
 * pmap_leaf_table - the leaf table covering va, or NULL with *skipp set to
 * the next address that might have one.  pm_lock held.
 */
static pt_entry_t *
pmap_leaf_table(pmap_t pmap, vm_offset_t va, vm_offset_t *skipp)
{
	pt_entry_t *table = pmap->pm_pml4;
	pt_entry_t e;
	int lvl;

	for (lvl = PMAP_LEVELS; lvl > 1; lvl--) {
		e = pmap_load(&table[pmap_index(va, lvl)]);
		if ((e & X86_PG_V) == 0) {
			*skipp = pmap_next_boundary(va, lvl);
			return (NULL);
		}
		table = pmap_entry_table(e);
	}
	return (table);
}

/*
 * pmap_scan - call fn for every valid leaf pte in [sva, eva), skipping
 * missing tables.  fn returns PMAP_SCAN_* bits.  Tables that fn emptied
 * are unlinked onto freeq.  pm_lock held (exclusively if fn changes
 * anything).  Returns the address where the scan stopped.
 */
vm_offset_t
pmap_scan(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, pmap_scan_fn_t fn,
    void *arg, struct pglist *freeq)
{
	vm_offset_t va = sva, end, next = 0;
	pt_entry_t *table;
	int r, emptied;

	while (va < eva) {
		table = pmap_leaf_table(pmap, va, &next);
		if (table == NULL) {
			if (next <= va)
				break;
			va = next;
			continue;
		}
		end = pmap_next_boundary(va, 2);
		if (end <= va || end > eva)
			end = eva;
		for (emptied = 0, r = 0; va < end; va += PAGE_SIZE) {
			pt_entry_t *ptep = &table[pmap_index(va, 1)];

			if ((pmap_load(ptep) & X86_PG_V) == 0)
				continue;
			r = fn(pmap, va, ptep, arg);
			emptied |= r & PMAP_SCAN_EMPTIED;
			if (r & PMAP_SCAN_STOP)
				break;
		}
		if (emptied)
			pmap_release_empty(pmap, va - PAGE_SIZE, freeq);
		if (r & PMAP_SCAN_STOP)
			return (va);
		if (va == 0)
			break;
	}
	return (eva);
}

/*
 * Per-page mapping counts (invariant 3).
 */

/* pmap_page_managed - TRUE if ptes of m are counted in m->md. */
static int
pmap_page_managed(pmap_t pmap, vm_page_t m)
{
	return ((pmap->pm_flags & PMAP_KERNEL) == 0 && m->object != NULL &&
	    (atomic_load_relaxed(&m->flags) & PG_FICTITIOUS) == 0);
}

/* pmap_md_delta - what managed pte `pte' adds to its page's md_counts. */
static inline uint64_t
pmap_md_delta(pt_entry_t pte)
{
	return (MD_COUNT_PTE | ((pte & X86_PG_RW) ? MD_COUNT_WRITEABLE : 0));
}

/* pmap_page_add - count a new managed pte of m. */
static void
pmap_page_add(vm_page_t m, pt_entry_t pte)
{
	unsigned int flags = PG_MAPPED;
	uint64_t old;

	old = __atomic_fetch_add(&m->md.md_counts, pmap_md_delta(pte),
	    __ATOMIC_ACQ_REL);
	if ((int32_t)old > 0)
		flags |= PG_MAPPEDMULTI;
	if (pte & X86_PG_RW)
		flags |= PG_WRITEABLE;
	atomic_set_int(&m->flags, flags);
}

/* pmap_page_fold - carry a dying pte's accessed and modified bits to m. */
static void
pmap_page_fold(vm_page_t m, pt_entry_t opte)
{
	if (opte & X86_PG_A)
		vm_page_flag_set_once(m, PG_REFERENCED);
	if (opte & X86_PG_M)
		vm_page_dirty(m);
}

/* pmap_page_drop - uncount a managed pte of m that is gone. */
static void
pmap_page_drop(vm_page_t m, pt_entry_t opte)
{
	uint64_t left;

	pmap_page_fold(m, opte);
	left = __atomic_sub_fetch(&m->md.md_counts, pmap_md_delta(opte),
	    __ATOMIC_ACQ_REL);
	KASSERT((int32_t)left >= 0 && (int32_t)(left >> 32) >= 0,
	    ("pmap_page_drop: negative count"));
	(void)left;
}

/*
 * pmap_pte_clear - invalidate the valid leaf *ptep and account for it.
 * Returns PMAP_SCAN_EMPTIED if its table is now empty.  pm_lock held
 * exclusively; the caller shoots down.
 */
int
pmap_pte_clear(pmap_t pmap, pt_entry_t *ptep)
{
	pt_entry_t opte = __atomic_exchange_n(ptep, 0, __ATOMIC_SEQ_CST);
	vm_page_t tpg = pmap_table_page(ptep);

	KKASSERT(opte & X86_PG_V);
	pmap_resident_add(pmap, -1);
	if (opte & X86_PG_W)
		atomic_subtract_long(&pmap->pm_stats.wired_count, 1);
	if (opte & X86_PG_MANAGED)
		pmap_page_drop(PHYS_TO_VM_PAGE(opte & X86_PG_FRAME), opte);
	return (--tpg->md.pmap_count == 0 ? PMAP_SCAN_EMPTIED : 0);
}

/*
 * pmap_pte_update - atomically apply (pte & ~clear) | set to the valid
 * leaf *ptep.  Clearing RW clears M too and folds it into the page
 * (invariant 4); clearing M alone folds nothing (pmap_clear_modify).
 * Returns the old pte.  pm_lock held exclusively.
 */
pt_entry_t
pmap_pte_update(pt_entry_t *ptep, pt_entry_t clear, pt_entry_t set)
{
	pt_entry_t opte = pmap_load(ptep), npte;
	vm_page_t m;

	if (clear & X86_PG_RW)
		clear |= X86_PG_M;
	do {
		npte = (opte & ~clear) | set;
		if (npte == opte)
			return (opte);
	} while (!__atomic_compare_exchange_n(ptep, &opte, npte, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	if ((opte & X86_PG_MANAGED) == 0)
		return (opte);
	m = PHYS_TO_VM_PAGE(opte & X86_PG_FRAME);
	if ((opte & X86_PG_RW) && (npte & X86_PG_RW) == 0) {
		if (opte & X86_PG_M)
			vm_page_dirty(m);
		__atomic_sub_fetch(&m->md.md_counts, MD_COUNT_WRITEABLE,
		    __ATOMIC_ACQ_REL);
	}
	return (opte);
}

/*
 * pmap_narrows - TRUE if replacing opte by npte can make an access that
 * succeeded through opte fail, i.e. a shootdown is needed (invariant 3 of
 * pmap_tlb.c).
 */
int
pmap_narrows(pt_entry_t opte, pt_entry_t npte)
{
	if ((opte & X86_PG_V) == 0)
		return (0);
	if ((npte & X86_PG_V) == 0 ||
	    (opte & X86_PG_FRAME) != (npte & X86_PG_FRAME))
		return (1);
	if ((opte & X86_PG_RW) && (npte & X86_PG_RW) == 0)
		return (1);
	if ((opte & X86_PG_M) && (npte & X86_PG_M) == 0)
		return (1);
	return ((opte & X86_PG_NX) == 0 && (npte & X86_PG_NX) != 0);
}

/*
 * Life cycle.
 */

/*
 * pmap_pinit - make pmap a new, empty address space with one reference.
 * May block allocating the PML4.  pmap_pinit0 is the same (proc0).
 */
void
pmap_pinit(pmap_t pmap)
{
	vm_page_t m;

	lockinit_slots(&pmap->pm_lock, "pmap", 0, 0, pmap->pm_lock_slots);
	m = pmap_ptpage_alloc();
	pmap->pm_pml4pg = m;
	pmap->pm_pml4 = (pml4_entry_t *)vm_page_data(m);
	memset(pmap->pm_slots, 0, (size_t)ncpus * sizeof(pmap->pm_slots[0]));
	pmap->pm_stats.wired_count = 0;
	pmap->pm_ptpages = 1;
	pmap->pm_active = 0;
	pmap->pm_count = 1;
	pmap->pm_flags = 0;
	lockmgr(&pmap_list_lock, LK_EXCLUSIVE);
	TAILQ_INSERT_TAIL(&pmap_list, pmap, pm_list);
	lockmgr(&pmap_list_lock, LK_RELEASE);
}

/* pmap_pinit0 - proc0's pmap: the same as pmap_pinit. */
void
pmap_pinit0(pmap_t pmap)
{
	pmap_pinit(pmap);
}

/* pmap_pinit2 - nothing to do on this platform. */
void
pmap_pinit2(pmap_t pmap)
{
}

/*
 * pmap_release - tear down pmap's tables when its vmspace dies.  Every
 * mapping should be gone (asserted); any that remain are removed.  May
 * block.  The pmap may be pmap_pinit'ed again afterwards.
 */
void
pmap_release(pmap_t pmap)
{
	vm_offset_t lo, hi;

	KASSERT(pmap_resident_count(pmap) == 0,
	    ("pmap_release: %ld pages still mapped",
	    pmap_resident_count(pmap)));
	pmap_va_range(pmap, &lo, &hi);
	if (pmap_resident_count(pmap) != 0)
		pmap_remove(pmap, lo, hi);
	KKASSERT(pmap->pm_ptpages == 1 && pmap->pm_pml4pg->md.pmap_count == 0);
	lockmgr(&pmap_list_lock, LK_EXCLUSIVE);
	TAILQ_REMOVE(&pmap_list, pmap, pm_list);
	lockmgr(&pmap_list_lock, LK_RELEASE);
	pmap_ptpage_free(pmap->pm_pml4pg);
	pmap->pm_pml4pg = NULL;
	pmap->pm_pml4 = NULL;
	pmap->pm_ptpages = 0;
}

/* pmap_puninit - final cleanup before pmap's memory is freed. */
void
pmap_puninit(pmap_t pmap)
{
	KKASSERT(pmap->pm_pml4 == NULL);
	lockuninit(&pmap->pm_lock);
}

/* pmap_reference - add a reference.  No requirements. */
void
pmap_reference(pmap_t pmap)
{
	if (pmap != NULL)
		atomic_add_int(&pmap->pm_count, 1);
}

/* pmap_maybethreaded - note that several threads use pmap. */
void
pmap_maybethreaded(pmap_t pmap)
{
	atomic_set_int(&pmap->pm_flags, PMAP_MULTI);
}

/* Per-object hooks for shared page tables: none on this platform. */
void
pmap_object_init(vm_object_t object)
{
}

void
pmap_object_free(vm_object_t object)
{
}

/* pmap_page_init - boot-time initialisation of m's md part. */
void
pmap_page_init(vm_page_t m)
{
	m->md.pmap_count = 0;
	m->md.writeable_count = 0;
}

/*
 * pmap_init - set up the per-CPU TLBs, the pmap list and kernel_pmap.
 * Called once after vm_page_startup, by a flyvm thread.  May block.
 */
void
pmap_init(void)
{
	lockinit(&pmap_list_lock, "pmaplist", 0, 0);
	lockorder_declare("pmaplist", "pmap");
	lockorder_declare("baclk", "pmap");
	lockorder_declare("pmap", "vm_page");
	TAILQ_INIT(&pmap_list);
	pmap_tlb_init();
	pmap_pinit(&kernel_pmap);
	kernel_pmap.pm_flags = PMAP_KERNEL;
}

/* pmap_init2 - nothing left to do once the VM is up. */
void
pmap_init2(void)
{
}

/*
 * pmap_fini - undo pmap_init.  Every user pmap must have been released;
 * leftover kernel mappings are removed.  May block.
 */
void
pmap_fini(void)
{
	KASSERT(TAILQ_FIRST(&pmap_list) == &kernel_pmap &&
	    TAILQ_NEXT(&kernel_pmap, pm_list) == NULL,
	    ("pmap_fini: user pmaps still live"));
	if (pmap_resident_count(&kernel_pmap) != 0)
		pmap_remove(&kernel_pmap, VM_MIN_KERNEL_ADDRESS,
		    VM_MAX_KERNEL_ADDRESS);
	pmap_release(&kernel_pmap);
	pmap_puninit(&kernel_pmap);
	pmap_tlb_fini();
	lockuninit(&pmap_list_lock);
}

/*
 * Entering mappings.
 */

/* pmap_cache_bits - pte bits for memory attribute ma (PAT index). */
static pt_entry_t
pmap_cache_bits(vm_memattr_t ma)
{
	switch (ma) {
	case VM_MEMATTR_UNCACHEABLE:
		return (X86_PG_NC_PCD | X86_PG_NC_PWT);
	case VM_MEMATTR_WEAK_UNCACHEABLE:
		return (X86_PG_NC_PCD);
	case VM_MEMATTR_WRITE_THROUGH:
		return (X86_PG_NC_PWT);
	case VM_MEMATTR_WRITE_COMBINING:
		return (X86_PG_PTE_PAT);
	case VM_MEMATTR_WRITE_PROTECTED:
		return (X86_PG_PTE_PAT | X86_PG_NC_PWT);
	default:
		return (0);
	}
}

/*
 * pmap_make_pte - the leaf pte pmap_enter_access installs.  `access' is
 * the access the mapping is made for, which the caller's CPU is about to
 * retry (VM_PROT_NONE: none, as for a prefault): the pte starts with the
 * bits that access would set, accessed, and modified for a write to a
 * writeable pte of a page already wholly dirty (m is busied, so that
 * cannot change), so the access needs no locked update of the pte.  The
 * bits then record nothing that does not happen at once.
 */
static pt_entry_t
pmap_make_pte(pmap_t pmap, vm_page_t m, vm_prot_t prot, boolean_t wired,
    vm_prot_t access)
{
	pt_entry_t pte = VM_PAGE_TO_PHYS(m) | X86_PG_V;

	if (access != VM_PROT_NONE)
		pte |= X86_PG_A;
	if (prot & VM_PROT_WRITE) {
		pte |= X86_PG_RW;
		if ((access & VM_PROT_WRITE) &&
		    atomic_load_relaxed(&m->dirty) == VM_PAGE_BITS_ALL)
			pte |= X86_PG_M;
	}
	if ((prot & VM_PROT_EXECUTE) == 0)
		pte |= X86_PG_NX;
	pte |= (pmap->pm_flags & PMAP_KERNEL) ? X86_PG_G : X86_PG_U;
	if (wired)
		pte |= X86_PG_W;
	if (pmap_page_managed(pmap, m))
		pte |= X86_PG_MANAGED;
	return (pte | pmap_cache_bits(m->pat_mode));
}

/*
 * pmap_install - replace the leaf *ptep by npte, keeping the accessed and
 * (if still writeable) modified bits when the page stays the same, and
 * accounting for both ptes.  Returns the old pte.  pm_lock held
 * exclusively, or shared when *ptep is valid (pmap_enter_shared): a
 * valid pte can then only be replaced, never cleared, so the table's
 * count does not change.  The caller shoots down if pmap_narrows().
 */
static pt_entry_t
pmap_install(pmap_t pmap, pt_entry_t *ptep, pt_entry_t npte)
{
	pt_entry_t opte = pmap_load(ptep), n, kept;
	vm_page_t om;

	do {
		n = npte;
		kept = 0;
		if ((opte & X86_PG_V) &&
		    (opte & X86_PG_FRAME) == (npte & X86_PG_FRAME)) {
			/* The same page: n keeps what it may keep. */
			kept = X86_PG_A | ((npte & X86_PG_RW) ? X86_PG_M : 0);
			n |= opte & kept;
		}
	} while (!__atomic_compare_exchange_n(ptep, &opte, n, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	if ((opte & X86_PG_V) == 0) {
		pmap_table_page(ptep)->md.pmap_count++;
		pmap_resident_add(pmap, 1);
	}
	if ((opte & (X86_PG_V | X86_PG_W)) == (X86_PG_V | X86_PG_W))
		atomic_subtract_long(&pmap->pm_stats.wired_count, 1);
	if (n & X86_PG_W)
		atomic_add_long(&pmap->pm_stats.wired_count, 1);
	if ((opte & (X86_PG_V | X86_PG_MANAGED)) ==
	    (X86_PG_V | X86_PG_MANAGED)) {
		om = PHYS_TO_VM_PAGE(opte & X86_PG_FRAME);
		pmap_page_drop(om, opte & ~kept);
	}
	if (n & X86_PG_MANAGED)
		pmap_page_add(PHYS_TO_VM_PAGE(n & X86_PG_FRAME), n);
	return (opte);
}

/*
 * pmap_enter_shared - pmap_enter's work, with pm_lock held SHARED: link
 * whatever tables va's path lacks (allocating them with the lock
 * released), then install npte in its leaf if that is empty, or replace
 * the valid pte there (a copy-on-write fault's copy replacing the
 * read-only mapping of the page it copied, a write fault making a page
 * writeable).  A leaf is never anything else: no operation clears
 * X86_PG_V and leaves other bits.  May block to allocate table pages.
 *
 * Why this is safe shared: every pm_lock holder that unlinks tables or
 * clears a valid pte (or makes one narrower wholesale: protect, remove)
 * holds it exclusively, so the tables on va's path stay put and a valid
 * pte stays valid.  Sharers that link a table for the same entry race
 * with a CAS from 0 (pmap_link_table); the losers use the winner's.
 * Linking under a share matters to threads of one address space: each
 * new table under pm_lock held exclusively made the other thread's
 * faults wait, and often sleep, for it (docs/pmap.md).  The CAS from 0 makes one of several shared enterers
 * own an empty slot (the others fall back); it is tried only when a
 * plain read finds the slot empty, since a valid pte can only be
 * replaced.  A replacement CASes from whatever it last read, as the
 * MMU's accessed and modified updates do.
 * The counts change atomically because other shared enterers change them
 * concurrently (DragonFly likewise enters under a per-page-table lock,
 * not a pmap-wide one).  Faults that replace the same pte are serialized
 * by the head object's token.  This is what lets threads of one address
 * space fault in parallel; and so that they write no common line doing
 * it, pm_lock's shares are kept per thread slot and the resident count
 * per CPU (docs/pmap.md).
 */
static void
pmap_enter_shared(pmap_t pmap, vm_offset_t va, pt_entry_t npte)
{
	struct pmap_spares sp = { .sp_count = 0 };
	pt_entry_t *ptep, opte;
	int need = 0;

	lockmgr(&pmap->pm_lock, LK_SHARED);
	while ((ptep = pmap_pte_create(pmap, va, &sp, &need)) == NULL) {
		lockmgr(&pmap->pm_lock, LK_RELEASE);
		pmap_spares_fill(&sp, need);
		lockmgr(&pmap->pm_lock, LK_SHARED);
	}
	opte = pmap_load(ptep);
	if (opte == 0 && __atomic_compare_exchange_n(ptep, &opte, npte, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		__atomic_add_fetch(&pmap_table_page(ptep)->md.md_counts,
		    MD_COUNT_PTE, __ATOMIC_ACQ_REL);
		pmap_resident_add(pmap, 1);
		if (npte & X86_PG_W)
			atomic_add_long(&pmap->pm_stats.wired_count, 1);
		if (npte & X86_PG_MANAGED)
			pmap_page_add(PHYS_TO_VM_PAGE(npte & X86_PG_FRAME),
			    npte);
	} else {
		/* A pte is 0 or valid: nothing clears X86_PG_V alone. */
		KASSERT(opte & X86_PG_V, ("pmap_enter: pte %#jx",
		    (uintmax_t)opte));
		opte = pmap_install(pmap, ptep, npte);
		KKASSERT(opte & X86_PG_V);
		if (pmap_narrows(opte, npte))
			pmap_tlb_shootdown_va(pmap, va);
	}
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	pmap_spares_free(&sp);
}

/*
 * pmap_enter - map page m at va in pmap with protection prot, replacing
 * any previous mapping there (its accessed and modified bits go to its
 * page); wired sets the wired attribute and count.  Installs now.
 * m must be busied (hard or soft) and, for a managed mapping, placed at va
 * by a vm_map_backing of pmap on m->object->backing_list.  Takes pm_lock;
 * may block to allocate page-table pages.  entry is advisory.
 */
void
pmap_enter(pmap_t pmap, vm_offset_t va, vm_page_t m, vm_prot_t prot,
    boolean_t wired, vm_map_entry_t entry)
{
	pmap_enter_access(pmap, va, m, prot, wired, entry, VM_PROT_NONE);
}

/*
 * pmap_enter_access - pmap_enter for a fault: `access' is the access that
 * faulted (VM_PROT_READ, _WRITE, _EXECUTE), which its CPU retries as soon
 * as the fault returns.  The new pte starts with the accessed and modified
 * bits that access would set (pmap_make_pte), so the retry's table walk
 * needs no compare-and-swap.  A flyvm addition: FreeBSD's pmap_enter takes
 * the access type for the same purpose; DragonFly's takes none.
 */
void
pmap_enter_access(pmap_t pmap, vm_offset_t va, vm_page_t m, vm_prot_t prot,
    boolean_t wired, vm_map_entry_t entry, vm_prot_t access)
{
	vm_offset_t lo, hi;
	pt_entry_t npte;

	KASSERT(pmap != NULL && m != NULL, ("pmap_enter: NULL argument"));
	pmap_va_range(pmap, &lo, &hi);
	KASSERT((va & PAGE_MASK) == 0 && va >= lo && va < hi,
	    ("pmap_enter: bad va %#jx", (uintmax_t)va));
	KASSERT(atomic_load_relaxed(&m->busy_count) & (PBUSY_LOCKED | PBUSY_MASK),
	    ("pmap_enter: page %p not busied", m));
	KASSERT((prot & VM_PROT_ALL) != VM_PROT_NONE,
	    ("pmap_enter: no protection"));
	npte = pmap_make_pte(pmap, m, prot, wired, access);
	pmap_enter_shared(pmap, va, npte);
}

/*
 * Removing and protecting ranges.
 */

struct pmap_range_arg {
	pt_entry_t	clear;		/* pmap_protect: to clear */
	pt_entry_t	set;		/* pmap_protect: bits to set */
	int		changed;	/* something needs a shootdown */
};

/* pmap_scan callback of pmap_remove: clear the pte.  pm_lock excl. */
static int
pmap_remove_cb(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep, void *arg)
{
	struct pmap_range_arg *ra = arg;

	ra->changed = 1;
	return (pmap_pte_clear(pmap, ptep));
}

/*
 * pmap_remove - remove every mapping in [sva, eva) of pmap, keeping their
 * accessed and modified bits in the pages.  Out-of-range parts are
 * ignored.  Takes pm_lock; may block briefly freeing table pages.
 */
void
pmap_remove(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	struct pmap_range_arg ra = { .changed = 0 };
	struct pglist freeq = TAILQ_HEAD_INITIALIZER(freeq);

	if (pmap == NULL || !pmap_clamp(pmap, &sva, &eva))
		return;
	lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
	pmap_scan(pmap, sva, eva, pmap_remove_cb, &ra, &freeq);
	if (ra.changed)
		pmap_tlb_shootdown(pmap);
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	pmap_ptpages_free(&freeq);
}

/*
 * pmap_remove_pages - the exit-time variant.  pmap_remove already shoots
 * down once per call, which is what makes this variant fast on x86_64.
 */
void
pmap_remove_pages(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	pmap_remove(pmap, sva, eva);
}

/*
 * pmap_scan callback of pmap_protect: clear/set the pte bits in arg and
 * note whether a shootdown is needed.  pm_lock exclusive.
 */
static int
pmap_protect_cb(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep, void *arg)
{
	struct pmap_range_arg *ra = arg;
	pt_entry_t opte;

	opte = pmap_pte_update(ptep, ra->clear, ra->set);
	if (pmap_narrows(opte, (opte & ~ra->clear) | ra->set))
		ra->changed = 1;
	return (0);
}

/*
 * pmap_protect - lower the protection of every mapping in [sva, eva) to
 * prot; never raises it.  VM_PROT_NONE (no read or execute) removes the
 * mappings.  Takes pm_lock; may block.
 */
void
pmap_protect(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	struct pmap_range_arg ra = { .changed = 0 };
	struct pglist freeq = TAILQ_HEAD_INITIALIZER(freeq);

	if ((prot & (VM_PROT_READ | VM_PROT_EXECUTE)) == 0) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	ra.clear = (prot & VM_PROT_WRITE) ? 0 : X86_PG_RW;
	ra.set = (prot & VM_PROT_EXECUTE) ? 0 : X86_PG_NX;
	if (pmap == NULL || (ra.clear == 0 && ra.set == 0) ||
	    !pmap_clamp(pmap, &sva, &eva))
		return;
	lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
	pmap_scan(pmap, sva, eva, pmap_protect_cb, &ra, &freeq);
	if (ra.changed)
		pmap_tlb_shootdown(pmap);
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	KKASSERT(TAILQ_EMPTY(&freeq));
}

/*
 * pmap_invalidate_range - shoot down pmap's translations.  The range is
 * advisory: the whole TLB of each CPU concerned is flushed.
 */
void
pmap_invalidate_range(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
	pmap_tlb_shootdown(pmap);
	lockmgr(&pmap->pm_lock, LK_RELEASE);
}

/*
 * Single-address queries and changes.
 */

/*
 * pmap_lookup - lock pmap (mode LK_SHARED or LK_EXCLUSIVE) and return
 * va's leaf pte value, 0 if none.  *ptepp gets its address (NULL if no
 * table).  Returns with pm_lock held.
 */
pt_entry_t
pmap_lookup(pmap_t pmap, vm_offset_t va, int mode, pt_entry_t **ptepp)
{
	pt_entry_t *ptep;

	lockmgr(&pmap->pm_lock, mode);
	ptep = pmap_pte(pmap, va);
	if (ptepp != NULL)
		*ptepp = ptep;
	return (ptep != NULL ? pmap_load(ptep) : 0);
}

/*
 * pmap_cow_prefetch - a hint (a flyvm addition): if va maps a managed
 * page read-only, the page a write there would copy, start loading its
 * struct into the cache (vm_page_prefetch).  Changes nothing, takes no
 * lock, never blocks: it reads the tables inside an access window, as a
 * simulated CPU's table walk does, so no table it reads can be freed
 * under it (pmap_tlb.c, invariants 1, 2 and 6).  Only on a CPU already in
 * pm_active (one that has walked the pmap: the faulting CPU), else it does
 * nothing, so a hint never widens the set of CPUs shootdowns must wait
 * for.  Not to be called inside a window.
 */
void
pmap_cow_prefetch(pmap_t pmap, vm_offset_t va)
{
	struct pmap_pcpu *pc = pmap_pcpu_self();
	pt_entry_t *ptep, pte = 0;

	KASSERT(atomic_load_relaxed(&pc->pc_pmap) == NULL,
	    ("pmap_cow_prefetch: inside an access window"));
	pmap_access_enter(pc, pmap);
	if (atomic_load_relaxed(&pmap->pm_active) & (1ULL << pc->pc_cpuid)) {
		ptep = pmap_pte(pmap, trunc_page(va));
		if (ptep != NULL)
			pte = pmap_load(ptep);
	}
	pmap_access_exit(pc);
	if ((pte & (X86_PG_V | X86_PG_MANAGED | X86_PG_RW)) !=
	    (X86_PG_V | X86_PG_MANAGED) ||
	    !pmap_phys_valid(pte & X86_PG_FRAME))
		return;
	vm_page_prefetch(PHYS_TO_VM_PAGE(pte & X86_PG_FRAME));
}

/*
 * pmap_unwire - clear the wired attribute of the mapping at va and drop
 * pmap's wired count.  Returns the page, whose own wire count the caller
 * adjusts, or NULL if nothing wired is mapped at va.  No shootdown is
 * needed.  Takes pm_lock; may block.
 */
vm_page_t
pmap_unwire(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t *ptep, pte;
	vm_page_t m = NULL;

	if (pmap == NULL)
		return (NULL);
	pte = pmap_lookup(pmap, trunc_page(va), LK_EXCLUSIVE, &ptep);
	if ((pte & (X86_PG_V | X86_PG_W)) == (X86_PG_V | X86_PG_W)) {
		__atomic_and_fetch(ptep, ~X86_PG_W, __ATOMIC_SEQ_CST);
		atomic_subtract_long(&pmap->pm_stats.wired_count, 1);
		if (pmap_phys_valid(pte & X86_PG_FRAME))
			m = PHYS_TO_VM_PAGE(pte & X86_PG_FRAME);
	}
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (m);
}

/*
 * pmap_extract - physical address va translates to in pmap, 0 if none.
 * With handlep, pm_lock stays held (shared) until pmap_extract_done, so
 * the page tables stay as they are; the caller must not call into this
 * pmap meanwhile.  Without, nothing is held on return.
 */
vm_paddr_t
pmap_extract(pmap_t pmap, vm_offset_t va, void **handlep)
{
	pt_entry_t pte;

	pte = pmap_lookup(pmap, va, LK_SHARED, NULL);
	if (handlep != NULL)
		*handlep = pmap;
	else
		lockmgr(&pmap->pm_lock, LK_RELEASE);
	if ((pte & X86_PG_V) == 0)
		return (0);
	return ((pte & X86_PG_FRAME) | (va & PAGE_MASK));
}

/* pmap_extract_done - release what pmap_extract(..., handlep) kept. */
void
pmap_extract_done(void *handle)
{
	pmap_t pmap = handle;

	if (pmap != NULL)
		lockmgr(&pmap->pm_lock, LK_RELEASE);
}

/*
 * pmap_prefault_ok - TRUE if no valid pte is loaded at va, so the fault
 * code may cheaply prefault it.  Takes pm_lock shared.
 */
int
pmap_prefault_ok(pmap_t pmap, vm_offset_t va)
{
	return (pmap_prefault_ok_n(pmap, &va, 1) != 0);
}

/*
 * pmap_prefault_ok_n - pmap_prefault_ok for n (<= 64) addresses under one
 * shared hold of pm_lock (a fault's whole prefault burst).  Returns a
 * mask: bit i set if va[i] may be prefaulted.
 */
uint64_t
pmap_prefault_ok_n(pmap_t pmap, const vm_offset_t *va, int n)
{
	pt_entry_t *ptep = NULL;
	uint64_t ok = 0;
	int i;

	KASSERT(n >= 0 && n <= 64, ("pmap_prefault_ok_n: %d addresses", n));
	if (n == 0)
		return (0);
	lockmgr(&pmap->pm_lock, LK_SHARED);
	for (i = 0; i < n; i++) {
		/* A burst's addresses mostly share one leaf table. */
		if (i == 0 || (va[i] >> PD_SHIFT) != (va[i - 1] >> PD_SHIFT))
			ptep = pmap_pte(pmap, trunc_page(va[i]));
		else if (ptep != NULL)
			ptep += (long)(va[i] >> PT_SHIFT) -
			    (long)(va[i - 1] >> PT_SHIFT);
		if (ptep == NULL || (pmap_load(ptep) & X86_PG_V) == 0)
			ok |= (uint64_t)1 << i;
	}
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (ok);
}

/*
 * pmap_fault_page_quick - the page already mapped at va with at least
 * prot, for a fault that needs no state change.  With busyp NULL the page
 * is returned held; otherwise it is returned hard-busied with *busyp set
 * to 1, or NULL if it could not be busied.  A write request succeeds only
 * on a writeable pte and dirties the page.  Returns NULL when the caller
 * must take the slow path.  Takes pm_lock shared; never waits on the page.
 */
vm_page_t
pmap_fault_page_quick(pmap_t pmap, vm_offset_t va, vm_prot_t prot,
    int *busyp)
{
	pt_entry_t pte;
	vm_page_t m = NULL;

	pte = pmap_lookup(pmap, trunc_page(va), LK_SHARED, NULL);
	if ((pte & (X86_PG_V | X86_PG_MANAGED)) != (X86_PG_V | X86_PG_MANAGED))
		goto done;
	if ((prot & (VM_PROT_WRITE | VM_PROT_OVERRIDE_WRITE)) &&
	    (pte & X86_PG_RW) == 0)
		goto done;
	if ((prot & VM_PROT_EXECUTE) && (pte & X86_PG_NX))
		goto done;
	m = PHYS_TO_VM_PAGE(pte & X86_PG_FRAME);
	if (busyp == NULL) {
		vm_page_hold(m);
	} else if (vm_page_busy_try(m, TRUE) == 0) {
		*busyp = 1;
	} else {
		m = NULL;
		goto done;
	}
	if (prot & (VM_PROT_WRITE | VM_PROT_OVERRIDE_WRITE))
		vm_page_dirty(m);
done:
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (m);
}

/*
 * pmap_mincore - MINCORE_* bits for va (facts sheet 1.10).  The _OTHER
 * bits come from the page's own dirty field and PG_REFERENCED only: this
 * is called with the pmap locked, where the page-wide scans cannot run.
 * Takes pm_lock shared.
 */
int
pmap_mincore(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t pte;
	vm_page_t m;
	int val = 0;

	pte = pmap_lookup(pmap, trunc_page(va), LK_SHARED, NULL);
	if ((pte & X86_PG_V) == 0)
		goto done;
	val = MINCORE_INCORE;
	if ((pte & X86_PG_MANAGED) == 0)
		goto done;
	m = PHYS_TO_VM_PAGE(pte & X86_PG_FRAME);
	if (pte & X86_PG_M)
		val |= MINCORE_MODIFIED | MINCORE_MODIFIED_OTHER;
	else if (atomic_load_relaxed(&m->dirty) != 0)
		val |= MINCORE_MODIFIED_OTHER;
	if (pte & X86_PG_A)
		val |= MINCORE_REFERENCED | MINCORE_REFERENCED_OTHER;
	else if (atomic_load_relaxed(&m->flags) & PG_REFERENCED)
		val |= MINCORE_REFERENCED_OTHER;
done:
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (val);
}

/* pmap_pgscan_cb - stop at the first managed pte, returning its page. */
static int
pmap_pgscan_cb(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep, void *arg)
{
	pt_entry_t pte = pmap_load(ptep);

	if ((pte & X86_PG_MANAGED) == 0)
		return (0);
	*(vm_page_t *)arg = PHYS_TO_VM_PAGE(pte & X86_PG_FRAME);
	return (PMAP_SCAN_STOP);
}

/*
 * pmap_pgscan - DragonFly's RSS scan: for each managed pte in
 * [beg_addr, end_addr) from info->offset on, hard-busy the page and call
 * the callback without any pmap lock held; pages that cannot be busied
 * are counted in busycount and skipped.  Stops early when the callback
 * returns a negative value, leaving info->offset at the next address.
 * May block.
 */
void
pmap_pgscan(struct pmap_pgscan_info *info)
{
	pmap_t pmap = info->pmap;
	vm_offset_t va, eva;
	vm_page_t m;

	va = info->offset < info->beg_addr ? info->beg_addr : info->offset;
	eva = info->end_addr;
	if (!pmap_clamp(pmap, &va, &eva))
		return;
	while (va < eva) {
		m = NULL;
		lockmgr(&pmap->pm_lock, LK_SHARED);
		va = pmap_scan(pmap, va, eva, pmap_pgscan_cb, &m, NULL);
		if (m != NULL && vm_page_busy_try(m, TRUE) != 0) {
			info->busycount++;
			m = NULL;
		}
		lockmgr(&pmap->pm_lock, LK_RELEASE);
		if (va >= eva)
			break;
		info->offset = va + PAGE_SIZE;
		if (m != NULL && info->callback(info, va, m) < 0)
			return;
		va += PAGE_SIZE;
	}
	info->offset = eva;
}

/*
 * Advisory operations that are empty on x86_64 (facts sheet 6.1): pmap_copy
 * (fork copies no ptes; faults fill them) and pmap_object_init_pt (the
 * fault code prefaults instead).  No requirements.
 */
void
pmap_copy(pmap_t dst_pmap, pmap_t src_pmap, vm_offset_t dst_addr,
    vm_size_t len, vm_offset_t src_addr)
{
}

void
pmap_object_init_pt(pmap_t pmap, vm_map_entry_t entry, vm_offset_t addr,
    vm_size_t size, int limit)
{
}

/* pmap_collect - table pages are freed eagerly; nothing to reclaim. */
void
pmap_collect(void)
{
}

/*
 * pmap_addr_hint - mmap placement hint: 2 MiB alignment for device
 * objects of at least 2 MiB, else addr.
 */
vm_offset_t
pmap_addr_hint(vm_object_t obj, vm_offset_t addr, vm_size_t size)
{
	if (obj == NULL || obj->type != OBJT_DEVICE || size < SEG_SIZE)
		return (addr);
	return (roundup2(addr, SEG_SIZE));
}

/* pmap_page_set_memattr - attribute for m's future mappings. */
void
pmap_page_set_memattr(vm_page_t m, vm_memattr_t ma)
{
	m->pat_mode = (uint8_t)ma;
}

/*
 * pagezero, pagecopy - whole-page zero and copy with the x86 string
 * instructions (rep stosb, rep movsb), as Linux's clear_page_erms and
 * copy_page do on CPUs with fast strings (ERMS, every x86_64 CPU since
 * 2012).  DragonFly's pagezero streams the page with movnti instead.
 * Measured in the fault benchmark on this project's EPYC host (cycles per
 * fault, the zeroing and the first locked instruction after it, which
 * waits for the stores): rep stosb about 550, 16-byte streaming stores
 * about 650, glibc memset more; for a copy-on-write fault's copy, rep
 * movsb about 1050, 64-byte streaming stores about 1100, glibc memcpy
 * about 1150.  The page also ends up in the cache, where the access that
 * faulted is about to touch it.
 *
 * Elsewhere (sanitizer builds, other hosts) memset and memcpy, called
 * through pointers the compiler cannot see through: with a constant size
 * it would otherwise expand them into string instructions the sanitizers
 * do not instrument, and ThreadSanitizer would not see a page being zeroed
 * or copied (a table page zeroed for reuse while a lockless reader still
 * reads it, say).  One indirect call per page costs nothing next to the
 * page.
 */
#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
static void
pagezero(void *page)
{
	size_t n = PAGE_SIZE;

	__asm__ volatile("rep stosb" : "+D"(page), "+c"(n) : "a"(0) :
	    "memory");
}

static void
pagecopy(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : :
	    "memory");
}
#else
static void *(*volatile pagezero_fn)(void *, int, size_t) = memset;
static void *(*volatile pagecopy_fn)(void *, const void *, size_t) = memcpy;

static void
pagezero(void *page)
{
	pagezero_fn(page, 0, PAGE_SIZE);
}

static void
pagecopy(void *dst, const void *src, size_t n)
{
	pagecopy_fn(dst, src, n);
}
#endif

/*
 * Page contents, through the direct map: zero a page or part of one, copy
 * a page or its first bytes.  Addresses must be in physical memory and
 * ranges inside one page (asserted).  No requirements; never block.
 */
void
pmap_zero_page(vm_paddr_t pa)
{
	KKASSERT(pmap_phys_valid(pa));
	pagezero(PHYS_TO_DMAP(trunc_page(pa)));
}

void
pmap_zero_page_area(vm_paddr_t pa, int off, int size)
{
	KKASSERT(pmap_phys_valid(pa) && off >= 0 && size >= 0 &&
	    off + size <= (int)PAGE_SIZE);
	memset((char *)PHYS_TO_DMAP(trunc_page(pa)) + off, 0, size);
}

void
pmap_copy_page(vm_paddr_t src, vm_paddr_t dst)
{
	pmap_copy_page_frag(src, dst, PAGE_SIZE);
}

void
pmap_copy_page_frag(vm_paddr_t src, vm_paddr_t dst, size_t bytes)
{
	KKASSERT(pmap_phys_valid(src) && pmap_phys_valid(dst));
	KKASSERT((src & PAGE_MASK) + bytes <= PAGE_SIZE &&
	    (dst & PAGE_MASK) + bytes <= PAGE_SIZE);
	pagecopy(PHYS_TO_DMAP(dst), PHYS_TO_DMAP(src), bytes);
}

/*
 * Kernel mappings (facts sheet 6.3): unmanaged, wired, in kernel_pmap.
 * flyvm code reaches their bytes with PHYS_TO_DMAP(pmap_kextract(va)).
 */

/* pmap_kva_ok - TRUE if [va, va + count pages) is kernel address space. */
static int __unused
pmap_kva_ok(vm_offset_t va, int count)
{
	return ((va & PAGE_MASK) == 0 && count >= 0 &&
	    va >= VM_MIN_KERNEL_ADDRESS &&
	    (VM_MAX_KERNEL_ADDRESS - va) / PAGE_SIZE >= (vm_offset_t)count);
}

/*
 * pmap_kenter - map physical page pa at kernel address va, replacing any
 * previous kernel mapping there.  Takes kernel_pmap's lock; may block to
 * allocate page-table pages (DragonFly's never does: its kernel tables
 * are grown ahead by pmap_growkernel).
 */
void
pmap_kenter(vm_offset_t va, vm_paddr_t pa)
{
	struct pmap_spares sp = { .sp_count = 0 };
	pt_entry_t *ptep, npte;

	KASSERT(pmap_kva_ok(va, 1), ("pmap_kenter: bad va %#jx",
	    (uintmax_t)va));
	KASSERT(pmap_phys_valid(pa), ("pmap_kenter: bad pa %#jx",
	    (uintmax_t)pa));
	npte = trunc_page(pa) | X86_PG_V | X86_PG_RW | X86_PG_A | X86_PG_M |
	    X86_PG_G | X86_PG_NX;
	ptep = pmap_pte_get(&kernel_pmap, va, &sp);
	if (pmap_narrows(pmap_install(&kernel_pmap, ptep, npte), npte))
		pmap_tlb_shootdown(&kernel_pmap);
	lockmgr(&kernel_pmap.pm_lock, LK_RELEASE);
	pmap_spares_free(&sp);
}

/*
 * pmap_qenter - map the count pages m[] at consecutive kernel addresses
 * from va (buffer and pager I/O).  Same rules as pmap_kenter.
 */
void
pmap_qenter(vm_offset_t va, vm_page_t *m, int count)
{
	int i;

	KASSERT(pmap_kva_ok(va, count), ("pmap_qenter: bad va %#jx",
	    (uintmax_t)va));
	for (i = 0; i < count; i++)
		pmap_kenter(va + ptoa(i), VM_PAGE_TO_PHYS(m[i]));
}

/* pmap_kremove - remove the kernel mapping at va, if any.  May block. */
void
pmap_kremove(vm_offset_t va)
{
	pmap_qremove(va, 1);
}

/* pmap_qremove - remove count kernel mappings from va.  May block. */
void
pmap_qremove(vm_offset_t va, int count)
{
	KASSERT(pmap_kva_ok(va, count), ("pmap_qremove: bad va %#jx",
	    (uintmax_t)va));
	pmap_remove(&kernel_pmap, va, va + ptoa(count));
}

/* pmap_kextract - physical address of kernel address va, 0 if none. */
vm_paddr_t
pmap_kextract(vm_offset_t va)
{
	return (pmap_extract(&kernel_pmap, va, NULL));
}
