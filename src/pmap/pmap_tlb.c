/*
 * pmap_tlb.c - per-CPU software TLBs and TLB shootdown.
 *
 * Each simulated CPU caches translations in a direct-mapped software TLB
 * (struct pmap_pcpu, pmap_impl.h), tagged by pmap.  A kernel would keep
 * remote TLBs coherent with IPIs (DragonFly's pmap_inval); here the
 * invalidating thread cannot interrupt the accessing one, so the accessing
 * CPU publishes what it is doing and the invalidator waits for it.
 *
 * The access window.  A CPU does everything that depends on a translation
 * - flush check, TLB lookup, table walk, and the load or store through the
 * host pointer - between pmap_access_enter() and pmap_access_exit().
 * Entry stores the pmap in pc_pmap, exit stores NULL (release).  Both are
 * plain stores to the CPU's own cache line, fenced only against the
 * compiler, so a TLB hit costs no atomic instruction and no load of a
 * value the CPU itself just stored.
 *
 * Flush requests.  pc_flushgen counts requests posted to the CPU (other
 * CPUs add to it); pc_flushdone is the count the CPU last honoured.  At the
 * start of a window, before its first translation, a CPU that sees
 * flushgen != flushdone empties its TLB and publishes flushdone = the
 * flushgen it read (release).
 *
 * Shootdown (pmap_tlb_shootdown), after the pte change, under pm_lock:
 *   a. read pm_active (which CPUs may hold entries of the pmap);
 *   b. add 1 to pc_flushgen of each, remembering the new value r;
 *   c. membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED): every CPU running a
 *      thread of this process executes a full barrier before it returns,
 *      which is what the shootdown IPI would have done;
 *   d. for each other CPU in the mask, wait while it is inside an access
 *      on this pmap (pc_pmap == pmap) and has not honoured request r
 *      (pc_flushdone < r).
 *
 * Invariants:
 *   1. A translation is used only inside an access window on its pmap,
 *      and the window is never open while its thread runs pmap code or
 *      blocks (the fault hook runs outside it).  One exception reads:
 *      pmap_cow_prefetch looks up a pte in a window, with loads only (no
 *      TLB, no lock, nothing that waits), as a table walk does.
 *   2. Bit c of pm_active is set (sequentially consistent RMW) before CPU
 *      c's first table walk of the pmap, and never cleared while the pmap
 *      lives; so a CPU outside the mask has no entry of the pmap, and its
 *      next walk sees the changed pte.
 *   3. Every change that removes or narrows a translation is made to the
 *      pte with a sequentially consistent atomic, and pmap_tlb_shootdown
 *      runs before the pmap operation returns.  Widening a translation
 *      (invalid -> valid, read-only -> writeable) needs no shootdown: a
 *      stale entry can only fail where the new pte would succeed, and the
 *      miss walks the table again.
 *   4. te_wva is set only from a pte that had RW and M when the walk read
 *      (or compare-and-swapped) it, so a store through the TLB never
 *      needs to set M, and the invalidator's atomic read of the pte sees M
 *      for any store that can still complete through an old entry.
 *   5. A request is honoured only at the start of a window, before any
 *      translation, and flushdone >= r means the honouring read of
 *      flushgen came after request r (both are monotonic and the read is
 *      acquire): so that window and every later one on the CPU walk
 *      tables that already hold the change, and every earlier window has
 *      closed.
 *   6. Page-table pages are freed only after the shootdown that follows
 *      their unlinking (pmap.c), so a walk never reads a reused page.
 *
 * Why no access can complete through the old translation once shootdown
 * returns: membarrier splits each other CPU's program at a full barrier F.
 * A window entered before F has its pc_pmap store visible to step d, which
 * waits until it closes (pc_pmap changes) or until a later window on that
 * CPU honoured the request (invariant 5: then this one has closed).  A
 * window entered after F reads pc_flushgen after F, so it sees request r
 * and empties the TLB before translating, or a window before it did.
 * Step d cannot starve: the CPU either leaves its access or opens another
 * window, which honours r.  docs/pmap.md gives the full argument,
 * including why a store racing a write-protect is either visible with the
 * page marked modified or faults.
 *
 * Under ThreadSanitizer membarrier is invisible, so FLYVM_TSAN builds make
 * the entry store and the pc_flushgen load sequentially consistent (the
 * same Dekker argument in the C11 model) and skip the system call.  Hosts
 * without membarrier get the same with a fence at entry (pmap_entry_fence).
 *
 * Lock order: callers hold pm_lock; nothing here takes a lock or blocks,
 * but step d spins (yielding the host CPU) while another CPU finishes an
 * access, which takes a bounded number of instructions.
 */
#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pmap/pmap_impl.h"

struct pmap_pcpu *pmap_pcpu_array;
int pmap_entry_fence;
int pmap_use_membarrier;
int pmap_tlb_no_membarrier;

/* pmap_tlb_clear_entry - make entry i of pc's TLB miss.  pc's own CPU. */
static inline void
pmap_tlb_clear_entry(struct pmap_pcpu *pc, int i)
{
	pc->pc_tlb[i].te_rva = PMAP_TLB_NONE;
	pc->pc_tlb[i].te_wva = PMAP_TLB_NONE;
	pc->pc_tlb[i].te_pmap = NULL;
	pc->pc_tlb[i].te_delta = 0;
	pc->pc_tlbx[i] = 0;
}

/*
 * pmap_tlb_flush_entries - make every entry of pc's TLB miss.
 * Runs on pc's own CPU.
 */
static void
pmap_tlb_flush_entries(struct pmap_pcpu *pc)
{
	int i;

	for (i = 0; i < PMAP_TLB_SIZE; i++)
		pmap_tlb_clear_entry(pc, i);
}

/*
 * pmap_tlb_init - allocate the per-CPU TLBs (all empty) and choose the
 * barrier.  Called by pmap_init on one thread.  Panics if the host is out
 * of memory.
 */
void
pmap_tlb_init(void)
{
	size_t sz = sizeof(struct pmap_pcpu) * (size_t)ncpus;
	int i;

	pmap_pcpu_array = aligned_alloc(64, roundup2(sz, 64));
	if (pmap_pcpu_array == NULL)
		panic("pmap_tlb_init: out of host memory");
	memset(pmap_pcpu_array, 0, sz);
	for (i = 0; i < ncpus; i++) {
		pmap_pcpu_array[i].pc_cpuid = i;
		pmap_tlb_flush_entries(&pmap_pcpu_array[i]);
	}
#ifdef FLYVM_TSAN
	pmap_use_membarrier = 0;
	pmap_entry_fence = 0;
#else
	pmap_use_membarrier = !pmap_tlb_no_membarrier &&
	    syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
	    0, 0) == 0;
	pmap_entry_fence = !pmap_use_membarrier;
#endif
}

/*
 * pmap_tlb_fini - free the per-CPU TLBs.  No thread may be inside an
 * access.
 */
void
pmap_tlb_fini(void)
{
	free(pmap_pcpu_array);
	pmap_pcpu_array = NULL;
}

/*
 * pmap_tlb_flush_self - honour pending flush requests on the caller's CPU
 * (invariant 5).  Called at the start of an access window, before any
 * translation; never blocks.
 */
void
pmap_tlb_flush_self(struct pmap_pcpu *pc)
{
	uint64_t gen = __atomic_load_n(&pc->pc_flushgen, PMAP_FLUSHREQ_ORDER);

	if (gen == pc->pc_flushdone)
		return;
	pmap_tlb_flush_entries(pc);
	__atomic_store_n(&pc->pc_flushdone, gen, __ATOMIC_RELEASE);
	pc->pc_flushes++;
}

/*
 * pmap_tlb_activate - record that pc's CPU is about to walk pmap's tables
 * (invariant 2).  Called inside an access window; never blocks.
 */
void
pmap_tlb_activate(struct pmap_pcpu *pc, struct pmap *pmap)
{
	uint64_t bit = 1ULL << pc->pc_cpuid;

	if ((__atomic_load_n(&pmap->pm_active, __ATOMIC_RELAXED) & bit) == 0)
		__atomic_or_fetch(&pmap->pm_active, bit, __ATOMIC_SEQ_CST);
}

/*
 * pmap_tlb_fill - load the translation of va's page from pte (already
 * marked accessed, and dirty if writes may use it) into pc's TLB.  Called
 * inside an access window right after the walk.
 */
void
pmap_tlb_fill(struct pmap_pcpu *pc, struct pmap *pmap, vm_offset_t va,
    pt_entry_t pte, char *host)
{
	vm_offset_t pva = trunc_page(va);
	int i = (int)((va >> PAGE_SHIFT) & PMAP_TLB_MASK);
	struct pmap_tlbe *e = &pc->pc_tlb[i];

	e->te_rva = pva;
	e->te_wva = (pte & (X86_PG_RW | X86_PG_M)) == (X86_PG_RW | X86_PG_M) ?
	    pva : PMAP_TLB_NONE;
	e->te_pmap = pmap;
	e->te_delta = (intptr_t)host - (intptr_t)pva;
	pc->pc_tlbx[i] = (pte & X86_PG_NX) == 0;
}

/*
 * pmap_tlb_post - steps a and b: ask every CPU that may hold entries of
 * pmap to flush at its next window; req[cpu] gets each request's number.
 * Returns the mask of those CPUs.
 */
static uint64_t
pmap_tlb_post(struct pmap *pmap, uint64_t *req)
{
	uint64_t mask, m, r;
	int cpu;

	mask = __atomic_load_n(&pmap->pm_active, __ATOMIC_SEQ_CST);
	for (m = mask; m != 0; m &= m - 1) {
		cpu = __builtin_ctzll(m);
		r = __atomic_add_fetch(&pmap_pcpu_array[cpu].pc_flushgen, 1,
		    __ATOMIC_SEQ_CST);
		if (req != NULL)
			req[cpu] = r;
	}
	return (mask);
}

/*
 * pmap_tlb_wait_cpu - step d for one CPU: wait while it is inside an
 * access on pmap and has not honoured request r.
 */
static void
pmap_tlb_wait_cpu(struct pmap_pcpu *pc, struct pmap *pmap, uint64_t r)
{
	int spins = 0;

	while (__atomic_load_n(&pc->pc_pmap, __ATOMIC_ACQUIRE) == pmap &&
	    __atomic_load_n(&pc->pc_flushdone, __ATOMIC_ACQUIRE) < r) {
		if (++spins < 1000)
			cpu_pause();
		else
			sched_yield();
	}
}

/*
 * pmap_tlb_barrier - step c.  With membarrier, every CPU running a thread
 * of the process executes a full barrier; without it, the entry fence of
 * each window pairs with this one.  TSan builds need neither: their
 * windows and requests are sequentially consistent atomics.
 */
static void
pmap_tlb_barrier(void)
{
#ifndef FLYVM_TSAN
	if (!pmap_use_membarrier)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	else if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED,
	    0, 0) != 0)
		panic("pmap_tlb_shootdown: membarrier failed (%d)", errno);
#endif
}

/*
 * pmap_tlb_shootdown - make sure no CPU can complete an access through a
 * translation of pmap older than the pte changes the caller has made.
 * Called after those changes (sequentially consistent atomics), normally
 * with pm_lock held, never inside an access window.  Does not block; may
 * spin while another CPU finishes an access.
 */
void
pmap_tlb_shootdown(struct pmap *pmap)
{
	uint64_t req[MAXCPU];
	uint64_t mask, self;
	int cpu;

	mask = pmap_tlb_post(pmap, req);
	self = 1ULL << mycpuid;
	if ((mask & ~self) == 0)
		return;
	pmap_tlb_barrier();
	for (mask &= ~self; mask != 0; mask &= mask - 1) {
		cpu = __builtin_ctzll(mask);
		pmap_tlb_wait_cpu(&pmap_pcpu_array[cpu], pmap, req[cpu]);
	}
}

/*
 * pmap_tlb_shootdown_va - pmap_tlb_shootdown for a change to the one pte
 * of va.  When no other CPU has ever walked pmap (pm_active, read after
 * the change as in step 1, holds only the caller's CPU), no other TLB can
 * hold an entry of it, and the caller's own TLB - which nothing else
 * touches while this thread owns the CPU and is outside an access - just
 * drops va's entry, instead of posting itself a request that empties all
 * PMAP_TLB_SIZE entries at its next access.  Otherwise the full protocol.
 * Same requirements as pmap_tlb_shootdown.
 */
void
pmap_tlb_shootdown_va(struct pmap *pmap, vm_offset_t va)
{
	struct pmap_pcpu *pc = &pmap_pcpu_array[mycpuid];
	uint64_t mask = __atomic_load_n(&pmap->pm_active, __ATOMIC_SEQ_CST);
	struct pmap_tlbe *e;
	int i;

	if ((mask & ~(1ULL << mycpuid)) != 0) {
		pmap_tlb_shootdown(pmap);
		return;
	}
	i = (int)((va >> PAGE_SHIFT) & PMAP_TLB_MASK);
	e = &pc->pc_tlb[i];
	if (e->te_pmap == pmap && e->te_rva == trunc_page(va))
		pmap_tlb_clear_entry(pc, i);
}

/*
 * pmap_tlb_shootdown_lazy - ask CPUs to drop pmap's entries at their next
 * window, without waiting.  For changes nothing depends on promptly, such
 * as clearing accessed bits (so that the next access walks and sets them
 * again).  No requirements; never blocks.
 */
void
pmap_tlb_shootdown_lazy(struct pmap *pmap)
{
	(void)pmap_tlb_post(pmap, NULL);
}
