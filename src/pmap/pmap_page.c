/*
 * pmap_page.c - operations on every mapping of one page (facts sheet 6.2
 * and pmap_page_protect).
 *
 * There are no pv lists.  A managed page is mapped only where a
 * vm_map_backing on its object's backing_list says its object is mapped
 * (pmap.c invariant 5), so the mappings of page m are found by visiting
 * that list: for each backing ba with a pmap, the one candidate address
 * is ba->start + IDX_TO_OFF(m->pindex) - ba->offset, if it lies in
 * [ba->start, ba->end), and the pte there maps m if its frame is m's.
 * A shadow chain puts several objects' backings at the same addresses;
 * the frame comparison keeps only the ptes that really map m.
 *
 * Invariants:
 *   1. The visit holds the object's backing_lk shared for its whole
 *      length, so backings neither come nor go nor move, and takes each
 *      pmap's pm_lock in turn (lock order backing_lk -> pm_lock).
 *   2. A change that narrows a translation is shot down before that
 *      pmap's lock is dropped; a change to accessed bits only is posted
 *      lazily (the next access on each CPU walks again and sets A).
 *   3. PG_MAPPED, PG_MAPPEDMULTI and PG_WRITEABLE are cleared only here
 *      and in pmap_mapped_sync, with the page hard-busied, when the md
 *      counts say no such pte is left.
 */
#include "pmap/pmap_impl.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define PMAP_PV_SHOOT	0x4	/* shoot down before unlocking */
#define PMAP_PV_LAZY	0x8	/* post a lazy flush for this pmap */
#define PMAP_PV_MATCH	0x10	/* (internal) the pte maps m */

/* Called for each pte mapping m, pm_lock held (pmap_page_foreach). */
typedef int (*pmap_pv_fn_t)(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
	    vm_page_t m, void *arg);

/*
 * pmap_ba_va - where backing ba would map page m: TRUE and *vap, or FALSE
 * if ba has no pmap or m's offset falls outside ba's range.  backing_lk
 * held.
 */
int
pmap_ba_va(struct vm_map_backing *ba, vm_page_t m, vm_offset_t *vap)
{
	vm_ooffset_t off = IDX_TO_OFF(m->pindex);

	if (ba->pmap == NULL || off < ba->offset)
		return (FALSE);
	if ((vm_offset_t)(off - ba->offset) >= ba->end - ba->start)
		return (FALSE);
	*vap = ba->start + (vm_offset_t)(off - ba->offset);
	return (TRUE);
}

/*
 * pmap_page_visit - run fn on the pte at va of pmap if it maps m, with
 * pm_lock held in mode; act on the PMAP_SCAN_* / PMAP_PV_* bits fn
 * returns.  Returns those bits (0 if the pte does not map m).
 */
static int
pmap_page_visit(pmap_t pmap, vm_offset_t va, vm_page_t m, int mode,
    pmap_pv_fn_t fn, void *arg, struct pglist *freeq)
{
	pt_entry_t *ptep, pte;
	int r = 0;

	pte = pmap_lookup(pmap, va, mode, &ptep);
	if ((pte & (X86_PG_V | X86_PG_MANAGED)) ==
	    (X86_PG_V | X86_PG_MANAGED) &&
	    (pte & X86_PG_FRAME) == VM_PAGE_TO_PHYS(m)) {
		r = fn(pmap, va, ptep, m, arg) | PMAP_PV_MATCH;
		if (r & PMAP_SCAN_EMPTIED)
			pmap_release_empty(pmap, va, freeq);
		if (r & PMAP_PV_SHOOT)
			pmap_tlb_shootdown(pmap);
		else if (r & PMAP_PV_LAZY)
			pmap_tlb_shootdown_lazy(pmap);
	}
	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (r);
}

/*
 * pmap_page_foreach - call fn for every managed pte mapping m (in pmap
 * `only' if not NULL), with that pmap's pm_lock held in mode (LK_SHARED
 * or LK_EXCLUSIVE).  fn returns PMAP_SCAN_STOP to end the visit.  The
 * caller keeps m's identity stable (busied, or held by a queue scan).
 * Takes backing_lk and pm_locks; may block.  Returns the ptes visited.
 */
static int
pmap_page_foreach(vm_page_t m, pmap_t only, int mode, pmap_pv_fn_t fn,
    void *arg)
{
	struct pglist freeq = TAILQ_HEAD_INITIALIZER(freeq);
	vm_object_t object = m->object;
	struct vm_map_backing *ba;
	vm_offset_t va;
	int r, n = 0;

	if (object == NULL || (m->flags & PG_FICTITIOUS))
		return (0);
	lockmgr(&object->backing_lk, LK_SHARED);
	TAILQ_FOREACH(ba, &object->backing_list, entry) {
		if ((only != NULL && ba->pmap != only) ||
		    !pmap_ba_va(ba, m, &va))
			continue;
		r = pmap_page_visit(ba->pmap, va, m, mode, fn, arg, &freeq);
		if (r & PMAP_PV_MATCH)
			n++;
		if (r & PMAP_SCAN_STOP)
			break;
	}
	lockmgr(&object->backing_lk, LK_RELEASE);
	pmap_ptpages_free(&freeq);
	return (n);
}

/* pmap_page_foreach callback: remove the pte.  pm_lock exclusive. */
static int
pmap_pv_remove(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep, vm_page_t m,
    void *arg)
{
	return (pmap_pte_clear(pmap, ptep) | PMAP_PV_SHOOT);
}

/* pmap_page_foreach callback: remove the pte unless it is wired. */
static int
pmap_pv_remove_unwired(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
    vm_page_t m, void *arg)
{
	if (__atomic_load_n(ptep, __ATOMIC_ACQUIRE) & X86_PG_W)
		return (0);
	return (pmap_pte_clear(pmap, ptep) | PMAP_PV_SHOOT);
}

/* pmap_page_foreach callback: make the pte read-only. */
static int
pmap_pv_write_protect(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
    vm_page_t m, void *arg)
{
	pt_entry_t opte = pmap_pte_update(ptep, X86_PG_RW, 0);

	return ((opte & X86_PG_RW) ? PMAP_PV_SHOOT : 0);
}

/*
 * pmap_page_sync_flags - clear the PG_ flags m's md counts no longer
 * justify (invariant 3).  m hard-busied.
 */
static void
pmap_page_sync_flags(vm_page_t m)
{
	unsigned int clear = 0;

	if (atomic_load_int(&m->md.pmap_count) == 0)
		clear = PG_MAPPED | PG_MAPPEDMULTI | PG_WRITEABLE;
	else if (atomic_load_int(&m->md.writeable_count) == 0)
		clear = PG_WRITEABLE;
	if (clear & atomic_load_int(&m->flags))
		atomic_clear_int(&m->flags, clear);
}

/*
 * pmap_remove_all - remove every mapping of m, folding their accessed and
 * modified bits into it, and clear PG_MAPPED, PG_MAPPEDMULTI and
 * PG_WRITEABLE.  m must be hard-busied, so no mapping can be added
 * meanwhile.  May block.
 */
void
pmap_remove_all(vm_page_t m)
{
	KASSERT(atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED, ("pmap_remove_all: not busy"));
	pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_remove, NULL);
	KASSERT(m->md.pmap_count == 0,
	    ("pmap_remove_all: %d mappings not on any backing_list",
	    m->md.pmap_count));
	pmap_page_sync_flags(m);
}

/*
 * pmap_remove_all_unwired - remove every mapping of m except wired ones
 * (whose wiring the pte records and an unwire must find again).  m must
 * be hard-busied.  May block.
 */
void
pmap_remove_all_unwired(vm_page_t m)
{
	KASSERT(atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED,
	    ("pmap_remove_all_unwired: not busy"));
	pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_remove_unwired, NULL);
	pmap_page_sync_flags(m);
}

/*
 * pmap_page_protect - lower the protection of every mapping of m to prot.
 * Without write but with read or execute, every mapping becomes read-only
 * (modified bits folded into m) and PG_WRITEABLE is cleared; with neither,
 * every mapping is removed (pmap_remove_all).  A prot with write does
 * nothing.  m must be busied (hard busy to clear flags); may block.
 */
void
pmap_page_protect(vm_page_t m, vm_prot_t prot)
{
	if (prot & VM_PROT_WRITE)
		return;
	if ((prot & (VM_PROT_READ | VM_PROT_EXECUTE)) == 0) {
		pmap_remove_all(m);
		return;
	}
	pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_write_protect, NULL);
	if ((atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED) == 0)
		return;		/* soft busy: others may map it */
	KASSERT(m->md.writeable_count == 0,
	    ("pmap_page_protect: %d writeable mappings not found",
	    m->md.writeable_count));
	pmap_page_sync_flags(m);
}

/*
 * pmap_remove_specific - remove m's mappings in pmap only (RSS
 * enforcement).  m must be hard-busied.  May block.
 */
void
pmap_remove_specific(pmap_t pmap, vm_page_t m)
{
	KASSERT(atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED, ("pmap_remove_specific: busy"));
	if (pmap != NULL)
		pmap_page_foreach(m, pmap, LK_EXCLUSIVE, pmap_pv_remove, NULL);
}

/*
 * pmap_mapped_sync - m->flags after clearing PG_MAPPED, PG_MAPPEDMULTI and
 * PG_WRITEABLE where the md counts show no such mapping is left.  m must
 * be hard-busied.  Cheap: no locks, never blocks.
 */
int
pmap_mapped_sync(vm_page_t m)
{
	KASSERT(atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED, ("pmap_mapped_sync: not busy"));
	pmap_page_sync_flags(m);
	return ((int)atomic_load_int(&m->flags));
}

struct pmap_ts_arg {
	int	count;
};

/* pmap_page_foreach callback: count and clear A; stop at 5. */
static int
pmap_pv_ts_referenced(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
    vm_page_t m, void *arg)
{
	struct pmap_ts_arg *ta = arg;

	if ((pmap_pte_update(ptep, X86_PG_A, 0) & X86_PG_A) == 0)
		return (0);
	return (++ta->count >= 5 ? PMAP_PV_LAZY | PMAP_SCAN_STOP :
	    PMAP_PV_LAZY);
}

/*
 * pmap_ts_referenced - count and clear the accessed bits of m's mappings,
 * stopping at 5.  Returns 0 only if none was set.  Fictitious and
 * unmanaged pages give 0.  CPUs drop the cleared translations at their
 * next access, so a later access sets the bit again.  Takes backing_lk
 * and pm_locks, so it may block briefly (DragonFly's never blocks).
 */
int
pmap_ts_referenced(vm_page_t m)
{
	struct pmap_ts_arg ta = { .count = 0 };

	pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_ts_referenced, &ta);
	return (ta.count);
}

/* pmap_page_foreach callback: stop at the first pte with M. */
static int
pmap_pv_is_modified(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
    vm_page_t m, void *arg)
{
	if ((__atomic_load_n(ptep, __ATOMIC_SEQ_CST) & X86_PG_M) == 0)
		return (0);
	*(int *)arg = TRUE;
	return (PMAP_SCAN_STOP);
}

/*
 * pmap_is_modified - TRUE if some mapping of m has its modified bit set.
 * A page no pte may write cannot be modified.  May block briefly.
 */
boolean_t
pmap_is_modified(vm_page_t m)
{
	int modified = FALSE;

	if (atomic_load_int(&m->md.writeable_count) == 0)
		return (FALSE);
	pmap_page_foreach(m, NULL, LK_SHARED, pmap_pv_is_modified, &modified);
	return (modified);
}

/*
 * pmap_page_foreach callback: clear bit (A or M) in the pte; M needs a
 * full shootdown, A a lazy one.
 */
static int
pmap_pv_clear_bit(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
    vm_page_t m, void *arg)
{
	pt_entry_t bit = *(pt_entry_t *)arg;

	if ((pmap_pte_update(ptep, bit, 0) & bit) == 0)
		return (0);
	return (bit == X86_PG_M ? PMAP_PV_SHOOT : PMAP_PV_LAZY);
}

/*
 * pmap_clear_modify - clear the modified bit in every mapping of m, and
 * shoot the mappings down so that the next store sets it again.  m->dirty
 * is left alone.  m must be hard-busied.  A store that races this call on
 * a still-writeable mapping may complete without setting the bit again;
 * callers that need to see every store write-protect first, as the
 * pageout code does.  May block.
 */
void
pmap_clear_modify(vm_page_t m)
{
	pt_entry_t bit = X86_PG_M;

	KASSERT(atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED, ("pmap_clear_modify: busy"));
	if (atomic_load_int(&m->md.writeable_count) != 0)
		pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_clear_bit,
		    &bit);
}

/*
 * pmap_clear_reference - clear the accessed bit in every mapping of m.
 * May block briefly.
 */
void
pmap_clear_reference(vm_page_t m)
{
	pt_entry_t bit = X86_PG_A;

	pmap_page_foreach(m, NULL, LK_EXCLUSIVE, pmap_pv_clear_bit, &bit);
}
