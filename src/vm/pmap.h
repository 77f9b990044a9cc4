/*
 * pmap.h - the machine-dependent layer the VM drives (DragonFly's vm/pmap.h,
 * facts sheet section 6), implemented by the software MMU in src/pmap/.
 *
 * A pmap is one address space: a four-level x86-64 page table (PML4, PDP,
 * PD, PT of 512 eight-byte entries each) held in wired pages of flyvm's own
 * physical memory.  Simulated CPUs translate through it with a per-CPU
 * software TLB (pmap_access.h); docs/pmap.md describes the entry format,
 * the TLB and the shootdown protocol.
 *
 * Modern DragonFly keeps no per-page pv lists: a page's mappings are found
 * through its object's backing_list (each vm_map_backing knows its pmap and
 * address range, and the page of pindex p sits at
 * ba->start + IDX_TO_OFF(p) - ba->offset when that falls in
 * [ba->start, ba->end)).  struct md_page only counts mappings so that
 * PG_MAPPED / PG_MAPPEDMULTI / PG_WRITEABLE can be kept right.
 *
 * Every function below that takes locks may block unless it says
 * otherwise; none may be called with a spinlock held.  The caller must be
 * a flyvm thread (kthread_enter).
 */
#ifndef _VM_PMAP_H_
#define _VM_PMAP_H_

#include <bsd/sys/queue.h>

#include "kern/lock.h"
#include "kern/thread.h"
#include "vm/vm.h"

/*
 * Per-page machine-dependent data (8 bytes: struct vm_page stays 128).
 * For a page that user or kernel ptes map: the number of such ptes and how
 * many of them are writeable.  For a page-table page (never itself mapped)
 * pmap_count is the number of valid entries in the table.  The two counts
 * also form one 64-bit word, md_counts (pmap_count the low half: x86 is
 * little-endian), so that a pte coming or going changes both with one
 * atomic instruction; neither count is ever negative, so the low half
 * never carries into or borrows from the high one.
 */
struct md_page {
	union {
		struct {
			int32_t	pmap_count;	/* (a) ptes mapping it */
			int32_t	writeable_count; /* (a) writeable ones */
		};
		uint64_t	md_counts;	/* (a) both, as one word */
	};
};
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "md_counts keeps pmap_count in its low half");

#define MD_COUNT_PTE		((uint64_t)1)		/* pmap_count 1 */
#define MD_COUNT_WRITEABLE	((uint64_t)1 << 32)	/* writeable 1 */

/* Address-space layout (x86-64, 48-bit virtual addresses). */
#ifndef VM_MIN_USER_ADDRESS
#define VM_MIN_USER_ADDRESS	((vm_offset_t)0)
#define VM_MAX_USER_ADDRESS	((vm_offset_t)0x0000800000000000ULL)
#define VM_MIN_KERNEL_ADDRESS	((vm_offset_t)0xffff800000000000ULL)
#define VM_MAX_KERNEL_ADDRESS	((vm_offset_t)0xfffffffffffff000ULL)
#endif

/* mincore(2) bits returned by pmap_mincore (DragonFly's sys/mman.h). */
#ifndef MINCORE_INCORE
#define MINCORE_INCORE		0x1
#define MINCORE_REFERENCED	0x2
#define MINCORE_MODIFIED	0x4
#define MINCORE_REFERENCED_OTHER 0x8
#define MINCORE_MODIFIED_OTHER	0x10
#define MINCORE_SUPER		0x20
#endif

typedef uint64_t	pt_entry_t;
typedef uint64_t	pd_entry_t;
typedef uint64_t	pdp_entry_t;
typedef uint64_t	pml4_entry_t;

/*
 * The valid leaf ptes are counted per CPU (struct pmap_slot, see
 * pmap_resident_count), so only the wired count is here.
 */
struct pmap_statistics {
	long	wired_count;		/* wired valid leaf ptes */
};

/*
 * One CPU's share of the resident count, a cache line each: every
 * pmap_enter adds to the slot of the CPU it runs on, so CPUs that fault in
 * one pmap write no common line, and (a CPU running one thread at a time)
 * with no locked instruction, as the per-CPU vmstats.  A slot may go
 * negative (pages entered on one CPU, removed on another); the sum is
 * exact.
 */
struct pmap_slot {
	long	ps_resident;		/* (a) */
} __cachealign;

/*
 * Lock legend for struct pmap:
 *   (c) constant between pmap_pinit and pmap_release
 *   (p) pm_lock exclusive to write, shared to read the page tables
 *   (a) atomic; written under pm_lock, read without it
 *   (l) pmap_list_lock (pmap.c)
 * Page-table entries themselves are changed with atomics under pm_lock by
 * the pmap, and by simulated CPUs' table walks (accessed and modified
 * bits, compare-and-swap) with no lock at all.
 */
struct pmap {
	/*
	 * Separate cache lines: the lock (taken on every pmap_enter, its
	 * shares counted per thread slot), the constants every table walk
	 * reads, the counters written now and then, and the per-CPU
	 * resident counts every pmap_enter writes, so threads faulting in
	 * one pmap do not make each other's walks miss.
	 */
	struct lock		pm_lock __cachealign; /* page-table changes */
	pml4_entry_t		*pm_pml4 __cachealign; /* (c) the PML4 (host) */
	struct vm_page		*pm_pml4pg;	/* (c) its page */
	struct pmap_statistics	pm_stats __cachealign; /* (a) */
	long			pm_ptpages;	/* (a) table pages */
	uint64_t		pm_active;	/* (a) CPUs whose TLB may hold
						 *     entries of this pmap */
	int			pm_count;	/* (a) references */
	int			pm_flags;	/* (a) PMAP_* */
	TAILQ_ENTRY(pmap)	pm_list;	/* (l) every live pmap */
	struct pmap_slot	pm_slots[MAXCPU]; /* resident, per CPU */
	struct lock_slot	pm_lock_slots[KTHREAD_NSLOTS]; /* pm_lock's */
};

#define PMAP_KERNEL	0x0001		/* kernel_pmap: no user bit */
#define PMAP_MULTI	0x0002		/* used by several threads */

extern struct pmap kernel_pmap;

/*
 * pmap_pgscan argument (DragonFly's struct pmap_pgscan_info).  The walk
 * visits managed ptes in [beg_addr, end_addr), hard-busies each page and
 * calls callback(info, va, m), which must dispose of the busy.  A negative
 * return stops the walk.  offset is where the walk stopped (resume point);
 * busycount counts pages that could not be busied.
 */
struct pmap_pgscan_info {
	struct pmap	*pmap;
	vm_offset_t	beg_addr;
	vm_offset_t	end_addr;
	vm_offset_t	offset;
	vm_pindex_t	limit;
	vm_pindex_t	busycount;
	int		(*callback)(struct pmap_pgscan_info *info,
			    vm_offset_t va, struct vm_page *m);
};

/* Boot and shutdown. */
void	pmap_init(void);
void	pmap_init2(void);
void	pmap_fini(void);
void	pmap_page_init(vm_page_t m);

/* Life cycle of a pmap (6.5). */
void	pmap_pinit0(pmap_t pmap);
void	pmap_pinit(pmap_t pmap);
void	pmap_pinit2(pmap_t pmap);
void	pmap_puninit(pmap_t pmap);
void	pmap_release(pmap_t pmap);
void	pmap_reference(pmap_t pmap);
void	pmap_maybethreaded(pmap_t pmap);
void	pmap_object_init(vm_object_t object);
void	pmap_object_free(vm_object_t object);

/* User mappings (6.1). */
void	pmap_enter(pmap_t pmap, vm_offset_t va, vm_page_t m, vm_prot_t prot,
	    boolean_t wired, vm_map_entry_t entry);
void	pmap_enter_access(pmap_t pmap, vm_offset_t va, vm_page_t m,
	    vm_prot_t prot, boolean_t wired, vm_map_entry_t entry,
	    vm_prot_t access);
void	pmap_remove(pmap_t pmap, vm_offset_t sva, vm_offset_t eva);
void	pmap_remove_pages(pmap_t pmap, vm_offset_t sva, vm_offset_t eva);
void	pmap_remove_specific(pmap_t pmap, vm_page_t m);
void	pmap_protect(pmap_t pmap, vm_offset_t sva, vm_offset_t eva,
	    vm_prot_t prot);
vm_page_t pmap_unwire(pmap_t pmap, vm_offset_t va);
void	pmap_copy(pmap_t dst_pmap, pmap_t src_pmap, vm_offset_t dst_addr,
	    vm_size_t len, vm_offset_t src_addr);
void	pmap_object_init_pt(pmap_t pmap, vm_map_entry_t entry,
	    vm_offset_t addr, vm_size_t size, int limit);
int	pmap_prefault_ok(pmap_t pmap, vm_offset_t va);
void	pmap_cow_prefetch(pmap_t pmap, vm_offset_t va);
uint64_t pmap_prefault_ok_n(pmap_t pmap, const vm_offset_t *va, int n);
vm_page_t pmap_fault_page_quick(pmap_t pmap, vm_offset_t va, vm_prot_t prot,
	    int *busyp);
int	pmap_mincore(pmap_t pmap, vm_offset_t va);
vm_paddr_t pmap_extract(pmap_t pmap, vm_offset_t va, void **handlep);
void	pmap_extract_done(void *handle);
void	pmap_pgscan(struct pmap_pgscan_info *info);
void	pmap_collect(void);
void	pmap_invalidate_range(pmap_t pmap, vm_offset_t sva,
	    vm_offset_t eva);
vm_offset_t pmap_addr_hint(vm_object_t obj, vm_offset_t addr,
	    vm_size_t size);

/* Every mapping of one page (6.2). */
void	pmap_page_protect(vm_page_t m, vm_prot_t prot);
void	pmap_remove_all(vm_page_t m);
void	pmap_remove_all_unwired(vm_page_t m);
int	pmap_mapped_sync(vm_page_t m);
int	pmap_ts_referenced(vm_page_t m);
boolean_t pmap_is_modified(vm_page_t m);
void	pmap_clear_modify(vm_page_t m);
void	pmap_clear_reference(vm_page_t m);
void	pmap_page_set_memattr(vm_page_t m, vm_memattr_t ma);

/* Kernel mappings (6.3), for pager I/O and the like. */
void	pmap_kenter(vm_offset_t va, vm_paddr_t pa);
void	pmap_kremove(vm_offset_t va);
vm_paddr_t pmap_kextract(vm_offset_t va);
void	pmap_qenter(vm_offset_t va, vm_page_t *m, int count);
void	pmap_qremove(vm_offset_t va, int count);

/* Page contents (6.4). */
void	pmap_zero_page(vm_paddr_t pa);
void	pmap_zero_page_area(vm_paddr_t pa, int off, int size);
void	pmap_copy_page(vm_paddr_t src, vm_paddr_t dst);
void	pmap_copy_page_frag(vm_paddr_t src, vm_paddr_t dst, size_t bytes);

/*
 * Counters (6.6).  pmap_resident_count sums the slots: exact when no
 * pmap_enter or removal runs concurrently, a snapshot otherwise.
 */
static inline long
pmap_resident_count(pmap_t pmap)
{
	long n = 0;
	int i;

	for (i = 0; i < ncpus; i++)
		n += __atomic_load_n(&pmap->pm_slots[i].ps_resident,
		    __ATOMIC_RELAXED);
	return (n);
}

/*
 * pmap_resident_add - count delta valid leaf ptes in the slot of the CPU
 * the caller runs on.  Only that CPU's thread writes the slot, and it
 * cannot lose the CPU between the load and the store (nothing blocks
 * there), so a plain read-modify-write is exact.
 */
static inline void
pmap_resident_add(pmap_t pmap, long delta)
{
	long *p = &pmap->pm_slots[mycpuid].ps_resident;

	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + delta,
	    __ATOMIC_RELAXED);
}

static inline long
pmap_wired_count(pmap_t pmap)
{
	return (__atomic_load_n(&pmap->pm_stats.wired_count,
	    __ATOMIC_RELAXED));
}

static inline long
pmap_resident_tlnw_count(pmap_t pmap)
{
	return (pmap_resident_count(pmap) - pmap_wired_count(pmap));
}

/*
 * pmap_audit - check every live pmap: each page-table page accounted for
 * (pm_ptpages, per-table valid-entry counts), resident and wired counts,
 * every managed pte pointing at a page whose object's backing_list has a
 * vm_map_backing of this pmap that places the page at that address, and
 * every page's md counts and PG_MAPPED/PG_WRITEABLE against the ptes.
 * Returns the number of problems (each described through kprintf).
 * Takes pmap and backing locks; exact only while nothing else changes
 * mappings.
 */
int	pmap_audit(void);

#endif /* !_VM_PMAP_H_ */
