/*
 * pmap_impl.h - private structures of the software MMU (src/pmap/).
 *
 * Entry format (docs/pmap.md has the picture): an x86-64 page-table entry,
 * 64 bits, the same at every level:
 *
 *   bit 0  V   present            bit 6  M   dirty (leaf only)
 *   bit 1  RW  writeable          bit 7  PAT (leaf) memory attribute
 *   bit 2  U   user               bit 8  G   global (kernel leaf)
 *   bit 3  PWT write-through      bit 9  W   software: wired
 *   bit 4  PCD cache disable      bit 10 MANAGED software: the page's md
 *   bit 5  A   accessed                      counts this pte
 *   bits 12-51 physical frame     bit 63 NX  no execute
 *
 * Upper levels (PML4E, PDPE, PDE) are always V|RW|U: permissions live in
 * the leaf only, as the pmap never maps large pages.
 *
 * The per-CPU software TLB and the access window (struct pmap_pcpu) are
 * here too, because the user-access fast paths in vm/pmap_access.h are
 * inline.  pmap_tlb.c owns them and explains the protocol.
 */
#ifndef _PMAP_PMAP_IMPL_H_
#define _PMAP_PMAP_IMPL_H_

#include "kern/systm.h"
#include "kern/thread.h"
#include "vm/vm.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

#define X86_PG_V	0x0000000000000001ULL
#define X86_PG_RW	0x0000000000000002ULL
#define X86_PG_U	0x0000000000000004ULL
#define X86_PG_NC_PWT	0x0000000000000008ULL
#define X86_PG_NC_PCD	0x0000000000000010ULL
#define X86_PG_A	0x0000000000000020ULL
#define X86_PG_M	0x0000000000000040ULL
#define X86_PG_PTE_PAT	0x0000000000000080ULL
#define X86_PG_G	0x0000000000000100ULL
#define X86_PG_W	0x0000000000000200ULL	/* software: wired */
#define X86_PG_MANAGED	0x0000000000000400ULL	/* software: in md */
#define X86_PG_NX	0x8000000000000000ULL
#define X86_PG_FRAME	0x000ffffffffff000ULL
#define X86_PG_CACHE	(X86_PG_NC_PWT | X86_PG_NC_PCD | X86_PG_PTE_PAT)

#define NPTEPG		512		/* entries per table page */
#define PT_SHIFT	12		/* level 1: PT, 4 KiB per entry */
#define PD_SHIFT	21		/* level 2: PD, 2 MiB */
#define PDP_SHIFT	30		/* level 3: PDP, 1 GiB */
#define PML4_SHIFT	39		/* level 4: PML4, 512 GiB */
#define PMAP_LEVEL_SHIFT(lvl)	(PT_SHIFT + 9 * ((lvl) - 1))
#define PMAP_LEVELS	4

/* Index of va's entry in its table of level lvl (1 = PT ... 4 = PML4). */
static inline int
pmap_index(vm_offset_t va, int lvl)
{
	return ((int)((va >> PMAP_LEVEL_SHIFT(lvl)) & (NPTEPG - 1)));
}

/* Host address of the table (or page) a valid entry points at. */
static inline pt_entry_t *
pmap_entry_table(pt_entry_t e)
{
	return ((pt_entry_t *)PHYS_TO_DMAP(e & X86_PG_FRAME));
}

/*
 * TLB geometry.  Direct-mapped, indexed by virtual page number.  Each
 * entry translates one page of one pmap: te_rva is the page's address when
 * reads may use it (else PMAP_TLB_NONE, which no page address equals),
 * te_wva the same for writes (set only once the pte is writeable and
 * dirty, so a write through the TLB never needs to set M), te_delta the
 * host address of the page minus its virtual address.
 */
#define PMAP_TLB_SIZE	256
#define PMAP_TLB_MASK	(PMAP_TLB_SIZE - 1)
#define PMAP_TLB_NONE	((vm_offset_t)1)

struct pmap_tlbe {
	vm_offset_t	te_rva;
	vm_offset_t	te_wva;
	struct pmap	*te_pmap;
	intptr_t	te_delta;
};

/*
 * Per-CPU MMU state.  Lock legend:
 *   (m) only the thread on this CPU touches it
 *   (a) atomic: other CPUs read it (pc_pmap, pc_flushdone) or add to it
 *       (pc_flushgen) without a lock
 * The first line is the only one other CPUs touch.
 */
struct pmap_pcpu {
	struct pmap	*pc_pmap;	/* (a) pmap being accessed, or
					 *     NULL outside an access */
	uint64_t	pc_flushgen;	/* (a) flush requests posted */
	uint64_t	pc_flushdone;	/* (a) last request honoured */
	int		pc_cpuid;	/* (c) */
	/* statistics, (m) */
	uint64_t	pc_walks __cachealign;	/* TLB misses walked */
	uint64_t	pc_faults;	/* walks that failed */
	uint64_t	pc_flushes;	/* flush requests honoured */
	uint8_t		pc_tlbx[PMAP_TLB_SIZE]; /* (m) may execute */
	struct pmap_tlbe pc_tlb[PMAP_TLB_SIZE] __cachealign; /* (m) */
} __cachealign;

extern struct pmap_pcpu *pmap_pcpu_array;
extern int pmap_entry_fence;		/* no membarrier: fence at entry */
extern int pmap_use_membarrier;		/* shootdowns call membarrier */
extern int pmap_tlb_no_membarrier;	/* tests: act as if it were absent */

static inline struct pmap_pcpu *
pmap_pcpu_self(void)
{
	return (&pmap_pcpu_array[mycpu->gd_cpuid]);
}

/*
 * The access window (pmap_tlb.c, invariants 1-3).  Everything a CPU does
 * with a translation - TLB lookup, table walk, the load or store itself -
 * happens between pmap_access_enter and pmap_access_exit.  Entry publishes
 * "inside an access on pmap" in the CPU's own line with one plain store,
 * exit withdraws it with another; the invalidator's membarrier stands in
 * for the fence a real CPU would get from the shootdown IPI.  Under
 * ThreadSanitizer (which cannot see membarrier) and on hosts without it,
 * the entry is sequentially consistent instead.
 */
#ifdef FLYVM_TSAN
#define PMAP_ENTRY_ORDER	__ATOMIC_SEQ_CST
#define PMAP_FLUSHREQ_ORDER	__ATOMIC_SEQ_CST
#else
#define PMAP_ENTRY_ORDER	__ATOMIC_RELAXED
#define PMAP_FLUSHREQ_ORDER	__ATOMIC_ACQUIRE
#endif

static inline void
pmap_access_enter(struct pmap_pcpu *pc, struct pmap *pmap)
{
	__atomic_store_n(&pc->pc_pmap, pmap, PMAP_ENTRY_ORDER);
#ifndef FLYVM_TSAN
	if (__predict_false(pmap_entry_fence))
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
	cpu_ccfence();
}

static inline void
pmap_access_exit(struct pmap_pcpu *pc)
{
	cpu_ccfence();
	__atomic_store_n(&pc->pc_pmap, NULL, __ATOMIC_RELEASE);
}

/*
 * TRUE if an invalidator posted a flush this CPU has not honoured.  Read
 * at the start of a window; only pmap_tlb_flush_self (at the start of a
 * window, before any translation) honours it.
 */
static inline int
pmap_flush_pending(struct pmap_pcpu *pc)
{
	return (__atomic_load_n(&pc->pc_flushgen, PMAP_FLUSHREQ_ORDER) !=
	    __atomic_load_n(&pc->pc_flushdone, __ATOMIC_RELAXED));
}

/* pmap_tlb.c */
void	pmap_tlb_init(void);
void	pmap_tlb_fini(void);
void	pmap_tlb_flush_self(struct pmap_pcpu *pc);
void	pmap_tlb_shootdown(struct pmap *pmap);
void	pmap_tlb_shootdown_va(struct pmap *pmap, vm_offset_t va);
void	pmap_tlb_shootdown_lazy(struct pmap *pmap);
void	pmap_tlb_activate(struct pmap_pcpu *pc, struct pmap *pmap);
void	pmap_tlb_fill(struct pmap_pcpu *pc, struct pmap *pmap,
	    vm_offset_t va, pt_entry_t pte, char *host);

/*
 * pmap.c internals shared with pmap_page.c, pmap_access.c and
 * pmap_audit.c.  All "pm_lock held" as their definitions say.
 */
TAILQ_HEAD(pmap_list, pmap);
extern struct lock pmap_list_lock;
extern struct pmap_list pmap_list;

#define PMAP_SCAN_EMPTIED	0x1	/* the pte's table became empty */
#define PMAP_SCAN_STOP		0x2	/* stop the scan here */
typedef int (*pmap_scan_fn_t)(pmap_t pmap, vm_offset_t va, pt_entry_t *ptep,
	    void *arg);

struct pglist;
int	pmap_phys_valid(vm_paddr_t pa);
vm_page_t pmap_table_page(pt_entry_t *ptep);
void	pmap_va_range(pmap_t pmap, vm_offset_t *lo, vm_offset_t *hi);
pt_entry_t *pmap_pte(pmap_t pmap, vm_offset_t va);
pt_entry_t pmap_lookup(pmap_t pmap, vm_offset_t va, int mode,
	    pt_entry_t **ptepp);
vm_offset_t pmap_scan(pmap_t pmap, vm_offset_t sva, vm_offset_t eva,
	    pmap_scan_fn_t fn, void *arg, struct pglist *freeq);
int	pmap_pte_clear(pmap_t pmap, pt_entry_t *ptep);
pt_entry_t pmap_pte_update(pt_entry_t *ptep, pt_entry_t clear, pt_entry_t set);
int	pmap_narrows(pt_entry_t opte, pt_entry_t npte);
void	pmap_release_empty(pmap_t pmap, vm_offset_t va,
	    struct pglist *freeq);
void	pmap_ptpages_free(struct pglist *freeq);

/* pmap_page.c */
struct vm_map_backing;
int	pmap_ba_va(struct vm_map_backing *ba, vm_page_t m, vm_offset_t *vap);

#endif /* !_PMAP_PMAP_IMPL_H_ */
