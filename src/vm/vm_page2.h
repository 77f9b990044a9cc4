/*
 * vm_page2.h - inline page helpers and the paging predicates (DragonFly's
 * vm/vm_page2.h).  Kept apart from vm_page.h so that the structure header
 * stays cheap to include.
 *
 * The paging predicates compare the free (F) and cache (C) counts against
 * the thresholds of facts sheet 4.1.  They read this CPU's cached copy of
 * the global counts, gd_vmstats, so that hot paths share no cache line;
 * the copy is refreshed whenever the CPU folds its deltas and by
 * vmstats_rollup().  The answers are therefore heuristics, as in DragonFly.
 *
 *   reserved < severe(= reserved - 7 in practice) < min < wait < start
 *            < target1 < target2
 *
 * Reserved is tested against F alone; the others against F + C.
 */
#ifndef _VM_VM_PAGE2_H_
#define _VM_VM_PAGE2_H_

#include <string.h>

#include "kern/synch.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

/* A cached count or threshold of this CPU's copy of vmstats. */
#define VMS_LOAD(gd, field)	atomic_load_relaxed(&(gd)->gd_vmstats.field)

/*
 * vm_paging_severe - free+cache below the severe threshold, or free below
 * the reserve: user processes stall (vm_wait_pfault).  No requirements.
 */
static __inline int
vm_paging_severe(void)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_free_severe) > f + VMS_LOAD(gd, v_cache_count))
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

/*
 * vm_paging_min_dnc - below v_free_min, not counting `n' pages (used for
 * hysteresis), or below the reserve.  No requirements.
 */
static __inline int
vm_paging_min_dnc(long n)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_free_min) + n > f + VMS_LOAD(gd, v_cache_count))
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

static __inline int
vm_paging_min(void)
{
	return (vm_paging_min_dnc(0));
}

/*
 * vm_paging_min_nice - vm_paging_min adjusted for a nice value in
 * [-20, 20]: a higher nice blocks earlier, by up to about half of the gap
 * between v_free_min and v_paging_wait.  No requirements.
 */
static __inline int
vm_paging_min_nice(int nice)
{
	globaldata_t gd = mycpu;
	long count = 0;
	long delta;

	if (nice) {
		delta = VMS_LOAD(gd, v_paging_wait) - VMS_LOAD(gd, v_free_min) - 1;
		delta >>= 1;
		if (delta > 0)
			count = (nice + 20) * delta / 40;
	}
	return (vm_paging_min_dnc(count));
}

/* vm_paging_wait - allocations should slow down.  No requirements. */
static __inline int
vm_paging_wait(void)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_paging_wait) > f + VMS_LOAD(gd, v_cache_count))
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

/*
 * vm_paging_start - the pageout daemon should start (or keep going), with
 * `adj' pages counted as already freed.  No requirements.
 */
static __inline int
vm_paging_start(long adj)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_paging_start) > f + VMS_LOAD(gd, v_cache_count) +
	    adj)
		return (1);
	if (VMS_LOAD(gd, v_free_min) > f + adj)
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

/* vm_paging_target1 - pageout works hard until this holds no longer. */
static __inline int
vm_paging_target1(void)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_paging_target1) > f + VMS_LOAD(gd, v_cache_count))
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

/* Pages still wanted to reach target1 (may be negative). */
static __inline long
vm_paging_target1_count(void)
{
	globaldata_t gd = mycpu;

	return (VMS_LOAD(gd, v_paging_target1) -
	    (VMS_LOAD(gd, v_free_count) + VMS_LOAD(gd, v_cache_count)));
}

/* vm_paging_target2 - pageout takes it easy until this holds no longer. */
static __inline int
vm_paging_target2(void)
{
	globaldata_t gd = mycpu;
	long f = VMS_LOAD(gd, v_free_count);

	if (VMS_LOAD(gd, v_paging_target2) > f + VMS_LOAD(gd, v_cache_count))
		return (1);
	return (VMS_LOAD(gd, v_free_reserved) > f);
}

static __inline long
vm_paging_target2_count(void)
{
	globaldata_t gd = mycpu;

	return (VMS_LOAD(gd, v_paging_target2) -
	    (VMS_LOAD(gd, v_free_count) + VMS_LOAD(gd, v_cache_count)));
}

/*
 * vm_paging_inactive - free+cache+inactive is below v_free_min plus the
 * inactive target: active pages should be deactivated.
 */
static __inline int
vm_paging_inactive(void)
{
	globaldata_t gd = mycpu;

	return (VMS_LOAD(gd, v_free_count) + VMS_LOAD(gd, v_cache_count) +
	    VMS_LOAD(gd, v_inactive_count) <
	    VMS_LOAD(gd, v_free_min) + VMS_LOAD(gd, v_inactive_target));
}

/* Pages to deactivate to satisfy vm_paging_inactive (may be negative). */
static __inline long
vm_paging_inactive_count(void)
{
	globaldata_t gd = mycpu;

	return (VMS_LOAD(gd, v_free_min) + VMS_LOAD(gd, v_inactive_target) -
	    (VMS_LOAD(gd, v_free_count) + VMS_LOAD(gd, v_cache_count) +
	    VMS_LOAD(gd, v_inactive_count)));
}

/*
 * VMCNT_ADD - count an event in this CPU's vmmeter (gd_cnt).  Only the
 * CPU's own thread writes it, so a plain update through relaxed atomics
 * is enough; vmmeter_sum reads every CPU's copy.
 */
#define VMCNT_ADD(field, n)	do {					\
	long *_p = &mycpu->gd_cnt.field;				\
	atomic_store_relaxed(_p, atomic_load_relaxed(_p) + (n));	\
} while (0)

/*
 * Page flags change atomically; see the lock legend of struct vm_page for
 * which flags need which busy state.
 */
static __inline void
vm_page_flag_set(vm_page_t m, unsigned int bits)
{
	atomic_set_int(&m->flags, bits);
}

/*
 * vm_page_flag_set_once - vm_page_flag_set, skipping the locked update when
 * every bit is already set (a page faulted in again is still referenced).
 * A clear racing with it is ordered after the set either way.
 */
static __inline void
vm_page_flag_set_once(vm_page_t m, unsigned int bits)
{
	if ((atomic_load_relaxed(&m->flags) & bits) != bits)
		atomic_set_int(&m->flags, bits);
}

static __inline void
vm_page_flag_clear(vm_page_t m, unsigned int bits)
{
	atomic_clear_int(&m->flags, bits);
}

static __inline unsigned int
vm_page_flags(vm_page_t m)
{
	return (atomic_load_relaxed(&m->flags));
}

/*
 * vm_page_qbase - the base queue (PQ_FREE, PQ_ACTIVE, ...) the page is on,
 * or PQ_NONE.  Exact with m->spin held, a hint otherwise.
 */
static __inline int
vm_page_qbase(vm_page_t m)
{
	int q = atomic_load_relaxed(&m->queue);

	return (q == PQ_NONE ? PQ_NONE : q - m->pc);
}

static __inline int
vm_page_busied(vm_page_t m)
{
	return ((atomic_load_relaxed(&m->busy_count) & PBUSY_LOCKED) != 0);
}

/*
 * vm_page_wire_quick - add a wiring to a page that is already wired.
 * No busy needed (rule 1 only covers 0 <-> non-0).  Never blocks.
 */
static __inline void
vm_page_wire_quick(vm_page_t m)
{
	uint32_t o = atomic_fetchadd_int(&m->wire_count, 1);

	KASSERT(o != 0, ("vm_page_wire_quick: page %p not wired", m));
	(void)o;
}

/*
 * vm_page_unwire_quick - drop a wiring unless it is the last one.  Returns
 * TRUE (and changes nothing) if it would have dropped to zero: the caller
 * must then busy the page and use vm_page_unwire.  Never blocks.
 */
static __inline int
vm_page_unwire_quick(vm_page_t m)
{
	uint32_t wc = atomic_load_relaxed(&m->wire_count);

	KASSERT(wc > 0, ("vm_page_unwire_quick: page %p not wired", m));
	for (;;) {
		if (wc == 1)
			return (TRUE);
		if (atomic_fcmpset_int(&m->wire_count, &wc, wc - 1))
			return (FALSE);
	}
}

/*
 * vm_page_sbusy_hold - add a soft-busy to a page the caller already keeps
 * busy (hard or soft).  Never blocks.
 */
static __inline void
vm_page_sbusy_hold(vm_page_t m)
{
	uint32_t o = atomic_fetchadd_int(&m->busy_count, 1);

	KASSERT(o & (PBUSY_LOCKED | PBUSY_MASK),
	    ("vm_page_sbusy_hold: page %p not busy", m));
	(void)o;
}

/*
 * vm_page_sbusy_drop - drop one soft-busy; the last one wakes up threads
 * waiting for the page.  Never blocks.
 */
static __inline void
vm_page_sbusy_drop(vm_page_t m)
{
	vm_page_io_finish(m);
}

/*
 * vm_page_flash - wake up threads waiting on the page (PBUSY_WANTED)
 * without changing its busy state.  No requirements; never blocks.
 */
static __inline void
vm_page_flash(vm_page_t m)
{
	uint32_t o = atomic_load_relaxed(&m->busy_count);

	while (o & PBUSY_WANTED) {
		if (atomic_fcmpset_int(&m->busy_count, &o, o & ~PBUSY_WANTED)) {
			wakeup(m);
			return;
		}
	}
}

/*
 * vm_page_protect - lower the protection of every mapping of the page to
 * prot (VM_PROT_NONE unmaps it everywhere) through pmap_page_protect.  A
 * page without PG_MAPPED / PG_WRITEABLE has nothing to lower, so the
 * pmap is not entered.  Page busied (hard busy to clear the flags); may
 * block on the object's backing_lk.
 */
static __inline void
vm_page_protect(vm_page_t m, int prot)
{
	unsigned int fl = vm_page_flags(m);

	if (prot == VM_PROT_NONE) {
		if (fl & (PG_MAPPED | PG_WRITEABLE))
			pmap_page_protect(m, VM_PROT_NONE);
	} else if ((prot & VM_PROT_WRITE) == 0 && (fl & PG_WRITEABLE)) {
		pmap_page_protect(m, (vm_prot_t)prot);
	}
}

/*
 * vm_page_zero_fill - zero the whole page (pmap_zero_page: non-temporal
 * stores).  Page hard-busied.
 */
static __inline void
vm_page_zero_fill(vm_page_t m)
{
	pmap_zero_page(VM_PAGE_TO_PHYS(m));
}

/*
 * vm_page_copy - copy src's bytes into dst and mark dst fully valid and
 * dirty.  src busied (hard or soft), dst hard-busied.
 */
static __inline void
vm_page_copy(vm_page_t src, vm_page_t dst)
{
	pmap_copy_page(VM_PAGE_TO_PHYS(src), VM_PAGE_TO_PHYS(dst));
	atomic_store_relaxed(&dst->valid, VM_PAGE_BITS_ALL);
	vm_page_dirty(dst);
}

/* vm_page_free - vm_page_free_toq; see its contract. */
static __inline void
vm_page_free(vm_page_t m)
{
	vm_page_free_toq(m);
}

/*
 * vm_page_undirty - forget the page's dirty bits (not the pmap's modified
 * bits).  Page hard-busied.
 */
static __inline void
vm_page_undirty(vm_page_t m)
{
	atomic_store_relaxed(&m->dirty, 0);
}

/*
 * vm_page_clear_dirty_end_nonincl - clear dirty bits of [base, base+size)
 * but keep the DEV_BSIZE chunk that holds the (unaligned) end dirty, since
 * it was only partly covered.  Page hard-busied.
 */
static __inline void
vm_page_clear_dirty_end_nonincl(vm_page_t m, int base, int size)
{
	int ebase = (base + size) & ~(DEV_BSIZE - 1);

	if (base < ebase)
		vm_page_clear_dirty(m, base, ebase - base);
}

/*
 * vm_page_clear_dirty_beg_nonincl - the same, keeping the chunk that holds
 * the (unaligned) beginning dirty.
 */
static __inline void
vm_page_clear_dirty_beg_nonincl(vm_page_t m, int base, int size)
{
	int nbase = (base + DEV_BSIZE - 1) & ~(DEV_BSIZE - 1);
	int end = base + size;

	if (nbase < end)
		vm_page_clear_dirty(m, nbase, end - nbase);
}

#endif /* !_VM_VM_PAGE2_H_ */
