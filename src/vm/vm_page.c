/*
 * vm_page.c - physical pages: boot, queues and colors, allocation and
 * freeing, busy/wire/hold, object membership, valid/dirty bits, the
 * per-CPU statistics and the audit (DragonFly's vm/vm_page.c).
 *
 * Design.  Physical memory is one host mapping (MAP_NORESERVE), and
 * vm_page_array describes it, one 128-byte struct vm_page per page, also
 * MAP_NORESERVE.  Page i is "materialized" (its struct initialized and put
 * on a free queue) lazily, a block of PQ_L2_SIZE pages at a time: a 32 GiB
 * system boots at once and touches only the page structs it uses.  A block
 * holds one page of every color, so materializing order does not upset
 * the color balance.
 *
 * Each queue type (FREE, INACTIVE, ACTIVE, CACHE, HOLD) has PQ_L2_SIZE
 * colored sub-queues, each with its own spinlock and cache line.  A page's
 * color (m->pc) is fixed at boot and it only ever sits on sub-queues of its
 * own color.  Allocation picks a color from the CPU and the (object,
 * pindex) (vm_get_pg_color): each CPU owns a range of colors, so CPUs
 * allocating at once take different locks.  When a color runs dry the
 * search widens to aligned groups of 16, 32, ... colors around it.
 *
 * The fast path.  Each CPU keeps a few free pages (VM_PAGE_PCPU_CACHE) in
 * a private stack, touched only by the thread running on that CPU:
 * freeing a page that is on no queue pushes it there, and an allocation
 * without object or CPU hint pops one, each with a single atomic (the busy
 * word) and no lock.  The pages stay free in every sense that counts (in
 * v_free_count, no object, not busy, PG_PCPUCACHE set, checked by the
 * audit).  Near the reserve frees bypass the cache, and contiguous
 * allocation and vm_wait drain their CPU's cache, so few pages are ever
 * stranded where another CPU cannot reach them.
 *
 * Counts live in three places: the global vmstats, each CPU's
 * gd_vmstats_adj (deltas only that CPU writes, plain stores) and each
 * CPU's gd_vmstats (its cached copy of vmstats, read by the vm_paging_*
 * predicates).  A CPU folds its deltas into vmstats every VMSTATS_FOLD_OPS
 * updates and refreshes its copy; vmstats_rollup() folds every CPU.  A fold
 * records what it has taken in vm_page_pcpu[].folded, so no CPU ever
 * writes another CPU's deltas.  Admission decisions near a threshold roll
 * up first, so they are exact when no other CPU is running.
 *
 * Invariants (the audit checks those marked *):
 *   1.* A page is on at most one sub-queue; m->queue is that sub-queue's
 *       index (base + m->pc) or PQ_NONE, and each sub-queue's lcnt is the
 *       length of its list.
 *   2.  m->queue, m->pageq and the lists change only with m->spin and the
 *       sub-queue's spin held, page spin first.  (Exception: a page being
 *       materialized, which no other thread can see yet.)
 *   3.* A page on PQ_FREE has no object, no wiring, no hold, no hard busy,
 *       and valid == dirty == flags == 0.  (vm_page_hash_get may soft-busy
 *       it for an instant.)
 *   4.* A page on PQ_HOLD has no object and is not busy; it moves to
 *       PQ_FREE when its last hold is dropped.
 *   5.* A page on PQ_CACHE is in an object, clean, unwired and unheld.
 *   5b.* A page in a CPU's page cache is on no queue, has no object, no
 *       wiring, no busy, valid == dirty == 0 and flags == PG_PCPUCACHE.
 *       It may be held: the allocator then moves it to PQ_HOLD.
 *   6.  object/pindex change only with the page hard-busied and the
 *       object's token held exclusively.
 *   7.* vmstats + sum over CPUs of (gd_vmstats_adj - folded) equals the
 *       true counts; v_free_count includes pages not yet materialized.
 *   8.  A page that may be mapped (PG_MAPPED) is never freed or cached:
 *       the pmap must unmap it first.
 *   9.  Free pages go in at the head of their sub-queue (cache-hot first).
 *
 * Lock order: object token -> page spin -> sub-queue spin.  The virgin
 * spin (materializing) -> sub-queue spin.  Spinlock holders never block.
 * The allocator walks a sub-queue with its spin held and only *tries* page
 * spins, so the reverse order there cannot deadlock.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flyvm/flyvm.h"
#include "kern/fault_inject.h"
#include "kern/hostmem.h"
#include "kern/lockorder.h"
#include "kern/spinlock.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "kern/token.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_object.h"
#include "vm/vm_tunables.h"

#define VM_PAGE_BLOCK		PQ_L2_SIZE	/* pages materialized at once */
#define VM_PAGE_EAGER_BLOCKS	64		/* materialized at boot */
#define VMSTATS_FOLD_OPS	64		/* updates between folds */
#define VM_PAGE_HASH_SET	4		/* ways of the page hash */
#define VM_PAGE_HASH_MAX	(8L * 1024 * 1024)
#define VM_ALLOC_TRIES		4		/* admitted but nothing found */
#define VM_PAGE_PCPU_CACHE	16		/* free pages a CPU keeps */

struct vpgqueues vm_page_queues[PQ_COUNT];
struct vm_page *vm_page_array;
long vm_page_array_size;
char *vm_phys_base_ptr;
struct vmstats vmstats;

int vm_pages_needed;
int vm_pages_waiting;
int vm_pageout_pages_needed;
int vm_pageout_deficit;
struct thread *pagethread;		/* owned by vm_pageout.c later */

/* Per-CPU private state. */
struct vm_page_pcpu {
	long		ops;		/* (m) stat updates since last fold */
	unsigned int	dnweight;	/* (m) vm_page_dontneed rotor */
	int		ncache;		/* (m) pages in cache[] */
	vm_page_t	cache[VM_PAGE_PCPU_CACHE]; /* (m) free pages */
	struct vmstats	folded;		/* (a) deltas already in vmstats */
} __cachealign;

static struct vm_page_pcpu vm_page_pcpu[MAXCPU];
static size_t vm_phys_bytes;			/* (c) */
static long vm_page_nblocks;			/* (c) */
static long vm_page_virgin_next;		/* (a) first virgin block */
static struct spinlock vm_page_virgin_spin;
static long vm_page_stats_margin;		/* (c) max unfolded drift */
static unsigned int vm_page_cpu_base[MAXCPU];	/* (c) first color */
static unsigned int vm_page_cpu_cmask;		/* (c) colors per CPU - 1 */
static struct fault_inject vm_page_alloc_fi;

struct vm_page_hash_elm {
	vm_page_t	m;		/* (a) */
	vm_object_t	object;		/* (a) */
	vm_pindex_t	pindex;		/* (a) */
	unsigned int	age;		/* (a) higher: used more recently */
};
static struct vm_page_hash_elm *vm_page_hash;	/* (c) */
static long vm_page_hash_mask;			/* (c) elements - 1 */

/* The vmstats fields that are counts (folded) rather than thresholds. */
static const int vmstats_count_off[] = {
	offsetof(struct vmstats, v_free_count),
	offsetof(struct vmstats, v_cache_count),
	offsetof(struct vmstats, v_inactive_count),
	offsetof(struct vmstats, v_active_count),
	offsetof(struct vmstats, v_hold_count),
	offsetof(struct vmstats, v_wire_count),
};

#define VMS_FIELD(vs, off)	((long *)((char *)(vs) + (off)))

/* Fields other threads may change under us: always read atomically. */
#define PG_BUSY(m)	atomic_load_relaxed(&(m)->busy_count)
#define PG_WIRE(m)	atomic_load_relaxed(&(m)->wire_count)
#define PG_HOLD(m)	atomic_load_relaxed(&(m)->hold_count)
#define PG_VALID(m)	atomic_load_relaxed(&(m)->valid)
#define PG_DIRTY(m)	atomic_load_relaxed(&(m)->dirty)

static int	vm_page_materialize(void);
static vm_page_t vm_page_list_find(int basequeue, unsigned int index);
static void	vm_page_deactivate_spinlocked(vm_page_t m, int athead);

/*
 * rb_vm_page_compare - order pages in an object's tree by pindex.
 */
static int
rb_vm_page_compare(struct vm_page *p1, struct vm_page *p2)
{
	if (p1->pindex < p2->pindex)
		return (-1);
	return (p1->pindex > p2->pindex);
}

RB_GENERATE(vm_page_rb_tree, vm_page, rb_entry, rb_vm_page_compare);

/*
 * ===================================================================
 * Per-CPU statistics
 * ===================================================================
 */

/*
 * vmstats_refresh_copy - copy the global vmstats into gd's cached copy.
 * Called only by the thread running on gd.
 */
static void
vmstats_refresh_copy(globaldata_t gd)
{
	const long *src = (const long *)&vmstats;
	long *dst = (long *)&gd->gd_vmstats;
	size_t i;

	for (i = 0; i < sizeof(vmstats) / sizeof(long); i++)
		atomic_store_relaxed(&dst[i], atomic_load_relaxed(&src[i]));
}

/*
 * vmstats_rollup_cpu - fold gd's not yet folded deltas into the global
 * vmstats.  Lock-free: the amount taken is swapped into the CPU's
 * `folded' record, so concurrent folds of one CPU add up exactly.
 * No requirements; never blocks.
 */
void
vmstats_rollup_cpu(globaldata_t gd)
{
	struct vm_page_pcpu *pc = &vm_page_pcpu[gd->gd_cpuid];
	size_t i;
	long cur, old;
	int off;

	for (i = 0; i < nitems(vmstats_count_off); i++) {
		off = vmstats_count_off[i];
		cur = atomic_load_relaxed(VMS_FIELD(&gd->gd_vmstats_adj, off));
		if (cur == atomic_load_relaxed(VMS_FIELD(&pc->folded, off)))
			continue;
		old = atomic_swap_long(VMS_FIELD(&pc->folded, off), cur);
		atomic_add_long(VMS_FIELD(&vmstats, off), cur - old);
	}
}

/*
 * vmstats_rollup - fold every CPU's deltas into vmstats and refresh the
 * calling CPU's cached copy.  Callable from any host thread (the copy is
 * refreshed only for an entered one).  Never blocks.
 */
void
vmstats_rollup(void)
{
	int cpu;

	if (globaldata_array == NULL)
		return;
	for (cpu = 0; cpu < ncpus; cpu++)
		vmstats_rollup_cpu(globaldata_find(cpu));
	if (curthread != NULL && curthread->td_gd != NULL)
		vmstats_refresh_copy(mycpu);
}

/*
 * vm_page_stat_adj - add delta to the count at offset `off' of struct
 * vmstats, on the calling CPU.  Every VMSTATS_FOLD_OPS calls the CPU folds
 * its deltas and refreshes its cached copy.  Caller is an entered thread;
 * never blocks (may be called with spinlocks held).
 */
static __inline void
vm_page_stat_adj(int off, long delta)
{
	globaldata_t gd = mycpu;
	struct vm_page_pcpu *pc = &vm_page_pcpu[gd->gd_cpuid];
	long *p = VMS_FIELD(&gd->gd_vmstats_adj, off);
	long ops;

	atomic_store_relaxed(p, atomic_load_relaxed(p) + delta);
	ops = atomic_load_relaxed(&pc->ops) + 1;
	if (__predict_false(ops >= VMSTATS_FOLD_OPS)) {
		ops = 0;
		vmstats_rollup_cpu(gd);
		vmstats_refresh_copy(gd);
	}
	atomic_store_relaxed(&pc->ops, ops);
}

/*
 * vm_page_stats_reset - zero every CPU's deltas, fold records and copies.
 * Boot and shutdown only.
 */
static void
vm_page_stats_reset(void)
{
	int cpu;

	memset(vm_page_pcpu, 0, sizeof(vm_page_pcpu));
	for (cpu = 0; cpu < ncpus; cpu++) {
		globaldata_t gd = globaldata_find(cpu);

		memset(&gd->gd_vmstats_adj, 0, sizeof(gd->gd_vmstats_adj));
		memset(&gd->gd_vmstats, 0, sizeof(gd->gd_vmstats));
	}
}

/*
 * ===================================================================
 * Boot: thresholds, colors, queues, materializing pages
 * ===================================================================
 */

/*
 * vm_page_calc_thresholds - the paging thresholds of facts sheet 4.1 for
 * vs->v_page_count pages, with vs->v_free_count free.  No requirements.
 */
static void
vm_page_calc_thresholds(struct vmstats *vs)
{
	long min = 64 + vs->v_page_count / 200;

	vs->v_free_min = min;
	vs->v_free_reserved = min * 4 / 8 + 7;
	vs->v_free_severe = min * 4 / 8 + 0;
	vs->v_pageout_free_min = min * 2 / 8 + 7;
	vs->v_interrupt_free_min = min * 1 / 8 + 7;
	vs->v_free_target = min * 2;
	vs->v_paging_wait = min * 2;
	vs->v_paging_start = min * 3;
	vs->v_paging_target1 = min * 4;
	vs->v_paging_target2 = min * 5;
	vs->v_inactive_target = vs->v_free_count / 16;
}

/*
 * vm_page_color_of - the fixed color of page index idx: the low bits of
 * the page number rotated by the higher ones, so that every block of
 * PQ_L2_SIZE pages holds each color exactly once and a CPU's range of
 * colors lies in a different part of each block.  DragonFly twists with
 * XOR (pfn ^ pfn / PQ_L2_SIZE ^ ...), which has both properties but
 * shuffles the order: consecutive colors, which vm_get_pg_color gives
 * consecutive pages of an object, then sit in a permuted order inside
 * the block.  Adding keeps them at consecutive physical addresses (one
 * wrap per block), and memory that is touched in order is faster to
 * zero, copy and describe (docs/vm_page.md, "Queues and colors").
 */
static __inline unsigned int
vm_page_color_of(long idx)
{
	unsigned long pfn = (unsigned long)idx;

	return ((pfn + pfn / PQ_L2_SIZE +
	    pfn / ((unsigned long)PQ_L2_SIZE * PQ_L2_SIZE)) & PQ_L2_MASK);
}

/*
 * vm_page_cpu_colors_init - give each CPU a power-of-two range of colors,
 * starting at cpu * PQ_L2_SIZE / ncpus.
 */
static void
vm_page_cpu_colors_init(void)
{
	unsigned int scale = PQ_L2_SIZE;
	int cpu;

	while (scale > 1 && scale * (unsigned int)ncpus > PQ_L2_SIZE)
		scale >>= 1;
	vm_page_cpu_cmask = scale - 1;
	for (cpu = 0; cpu < MAXCPU; cpu++)
		vm_page_cpu_base[cpu] = (unsigned int)(cpu % ncpus) *
		    PQ_L2_SIZE / (unsigned int)ncpus;
}

/*
 * vm_page_queue_init - empty every sub-queue and give each the offset of
 * the vmstats count it feeds.  Boot and shutdown only.
 */
static void
vm_page_queue_init(void)
{
	static const struct { int base; int off; } counts[] = {
		{ PQ_FREE, offsetof(struct vmstats, v_free_count) },
		{ PQ_INACTIVE, offsetof(struct vmstats, v_inactive_count) },
		{ PQ_ACTIVE, offsetof(struct vmstats, v_active_count) },
		{ PQ_CACHE, offsetof(struct vmstats, v_cache_count) },
		{ PQ_HOLD, offsetof(struct vmstats, v_hold_count) },
	};
	struct vpgqueues *pq;
	size_t t;
	int i;

	for (i = 0; i < PQ_COUNT; i++) {
		pq = &vm_page_queues[i];
		spin_init(&pq->spin, "vm_pageq");
		TAILQ_INIT(&pq->pl);
		pq->lcnt = 0;
		pq->adds = 0;
		pq->cnt_offset = -1;
		pq->lastq = -1;
	}
	for (t = 0; t < nitems(counts); t++)
		for (i = 0; i < PQ_L2_SIZE; i++)
			vm_page_queues[counts[t].base + i].cnt_offset =
			    counts[t].off;
}

/*
 * vm_page_materialize_block - initialize the structs of block k and put
 * its pages at the tail of their free sub-queues.  The pages are already
 * counted in v_free_count.  Virgin spin held.
 */
static void
vm_page_materialize_block(long k)
{
	long idx, end;
	struct vpgqueues *pq;
	vm_page_t m;

	end = MIN((k + 1) * VM_PAGE_BLOCK, vm_page_array_size);
	for (idx = k * VM_PAGE_BLOCK; idx < end; idx++) {
		m = &vm_page_array[idx];
		spin_init(&m->spin, "vm_page");
		m->phys_addr = VM_PHYS_BASE + ptoa((vm_paddr_t)idx);
		m->pc = (uint16_t)vm_page_color_of(idx);
		m->pat_mode = VM_MEMATTR_DEFAULT;
		pq = &vm_page_queues[PQ_FREE + m->pc];
		spin_lock(&pq->spin);
		TAILQ_INSERT_TAIL(&pq->pl, m, pageq);
		atomic_store_relaxed(&m->queue, (uint16_t)(PQ_FREE + m->pc));
		atomic_store_relaxed(&pq->lcnt, pq->lcnt + 1);
		spin_unlock(&pq->spin);
	}
}

/*
 * vm_page_materialize - materialize the next virgin block.  Returns TRUE
 * if a block was added (by us or by a racing thread), FALSE if every
 * block already was.  No spinlocks held on entry; never blocks.
 */
static int
vm_page_materialize(void)
{
	long k;

	if (atomic_load_long(&vm_page_virgin_next) >= vm_page_nblocks)
		return (FALSE);
	spin_lock(&vm_page_virgin_spin);
	k = vm_page_virgin_next;
	if (k < vm_page_nblocks) {
		vm_page_materialize_block(k);
		atomic_store_long(&vm_page_virgin_next, k + 1);
	}
	spin_unlock(&vm_page_virgin_spin);
	return (TRUE);
}

/* Number of page structs initialized so far (a prefix of the array). */
static long
vm_page_materialized(void)
{
	return (MIN(atomic_load_long(&vm_page_virgin_next) * VM_PAGE_BLOCK,
	    vm_page_array_size));
}

/* vm_page_errmsg - format a boot error naming the size, if errbuf. */
static void
vm_page_errmsg(char *errbuf, size_t errlen, const char *fmt, size_t bytes)
{
	if (errbuf != NULL && errlen > 0)
		snprintf(errbuf, errlen, fmt, bytes);
}

/*
 * vm_page_host_alloc - reserve host memory for the pages and their
 * structs (NORESERVE: nothing is committed until touched) and for the
 * page hash.  Returns 0 or ENOMEM.
 */
static int
vm_page_host_alloc(size_t bytes, long npages)
{
	long hsize = VM_PAGE_HASH_SET * 16;

	vm_phys_base_ptr = hostmem_reserve(bytes);
	if (vm_phys_base_ptr == NULL)
		return (ENOMEM);
	vm_page_array = hostmem_reserve((size_t)npages *
	    sizeof(struct vm_page));
	if (vm_page_array == NULL)
		goto fail_phys;
	while (hsize < npages / 16 && hsize < VM_PAGE_HASH_MAX)
		hsize <<= 1;
	vm_page_hash = hostmem_reserve((size_t)hsize * sizeof(*vm_page_hash));
	if (vm_page_hash == NULL)
		goto fail_array;
	vm_page_hash_mask = hsize - 1;
	return (0);

fail_array:
	hostmem_release(vm_page_array, (size_t)npages *
	    sizeof(struct vm_page));
	vm_page_array = NULL;
fail_phys:
	hostmem_release(vm_phys_base_ptr, bytes);
	vm_phys_base_ptr = NULL;
	return (ENOMEM);
}

/*
 * vm_page_startup - boot physical memory: `bytes' of host memory (a page
 * multiple within [FLYVM_MEM_MIN, FLYVM_MEM_MAX]) become free pages, and
 * the paging thresholds are computed (facts sheet 4.1).  Also boots the
 * minimal vm_object layer.  The caller is an entered thread, after
 * vm_sysctl_init().  Returns 0, or EINVAL (bad size), ENOMEM (host) or
 * EBUSY (already booted) with a message in errbuf.  May be called again
 * after vm_page_shutdown().
 */
int
vm_page_startup(size_t bytes, char *errbuf, size_t errlen)
{
	long npages, k;

	if (vm_page_array != NULL) {
		vm_page_errmsg(errbuf, errlen, "physical memory already "
		    "booted (%zu)", bytes);
		return (EBUSY);
	}
	if (bytes % PAGE_SIZE != 0) {
		vm_page_errmsg(errbuf, errlen, "memory size %zu is not a "
		    "multiple of the page size (4096)", bytes);
		return (EINVAL);
	}
	if (bytes < FLYVM_MEM_MIN || bytes > FLYVM_MEM_MAX) {
		vm_page_errmsg(errbuf, errlen, "memory size %zu is outside "
		    "8M..64G", bytes);
		return (EINVAL);
	}
	npages = (long)(bytes / PAGE_SIZE);
	if (vm_page_host_alloc(bytes, npages) != 0) {
		vm_page_errmsg(errbuf, errlen, "host cannot map %zu bytes of "
		    "physical memory", bytes);
		return (ENOMEM);
	}
	vm_phys_bytes = bytes;
	vm_page_array_size = npages;
	vm_page_nblocks = howmany(npages, VM_PAGE_BLOCK);
	vm_page_virgin_next = 0;
	spin_init(&vm_page_virgin_spin, "vm_page_virgin");
	lockorder_declare("vm_page", "vm_pageq");
	vm_page_queue_init();
	vm_page_cpu_colors_init();
	vm_page_stats_reset();
	vm_page_stats_margin = 2L * ncpus * VMSTATS_FOLD_OPS;

	memset(&vmstats, 0, sizeof(vmstats));
	vmstats.v_page_size = PAGE_SIZE;
	vmstats.v_page_count = npages;
	vmstats.v_free_count = npages;
	vm_page_calc_thresholds(&vmstats);
	if (vm_page_max_wired == 0)
		vm_page_max_wired = vmstats.v_free_count / 3;
	vm_pages_needed = vm_pages_waiting = 0;
	vm_pageout_pages_needed = vm_pageout_deficit = 0;
	fault_inject_arm(&vm_page_alloc_fi, 0, 0);

	for (k = 0; k < MIN(vm_page_nblocks, VM_PAGE_EAGER_BLOCKS); k++)
		vm_page_materialize();
	vmstats_rollup();
	vm_object_init();
	return (0);
}

/*
 * vm_page_shutdown - release physical memory and reset every global so
 * that vm_page_startup() can run again.  Every object must be gone and no
 * other thread may be using pages.  The caller is an entered thread.
 */
void
vm_page_shutdown(void)
{
	if (vm_page_array == NULL)
		return;
	vm_object_fini();
	hostmem_release(vm_page_array, (size_t)vm_page_array_size *
	    sizeof(struct vm_page));
	hostmem_release(vm_phys_base_ptr, vm_phys_bytes);
	hostmem_release(vm_page_hash, (size_t)(vm_page_hash_mask + 1) *
	    sizeof(*vm_page_hash));
	vm_page_array = NULL;
	vm_phys_base_ptr = NULL;
	vm_page_hash = NULL;
	vm_page_array_size = 0;
	vm_page_nblocks = 0;
	vm_page_virgin_next = 0;
	vm_page_queue_init();
	vm_page_stats_reset();
	memset(&vmstats, 0, sizeof(vmstats));
	fault_inject_arm(&vm_page_alloc_fi, 0, 0);
}

/*
 * vm_page_alloc_fault - the injector consulted by every vm_page_alloc and
 * vm_page_alloc_contig (tests arm it).  No requirements.
 */
struct fault_inject *
vm_page_alloc_fault(void)
{
	return (&vm_page_alloc_fi);
}

/*
 * ===================================================================
 * Colors
 * ===================================================================
 */

/*
 * vm_get_pg_color - the preferred color for (object, pindex) allocated on
 * cpuid: a color in that CPU's range, spread by pindex and the object's
 * own color so that consecutive pages of an object get distinct colors.
 * No requirements.
 */
unsigned int
vm_get_pg_color(int cpuid, vm_object_t object, vm_pindex_t pindex)
{
	unsigned int off = object != NULL ? object->pg_color : 0;

	KASSERT(cpuid >= 0 && cpuid < MAXCPU, ("bad cpuid %d", cpuid));
	return ((vm_page_cpu_base[cpuid] +
	    ((unsigned int)(pindex + off) & vm_page_cpu_cmask)) & PQ_L2_MASK);
}

/*
 * vm_quickcolor - a color base for a new object, rotating by PQ_PRIME2 on
 * each call so that objects spread over the CPU's colors.  Entered thread.
 */
unsigned short
vm_quickcolor(void)
{
	globaldata_t gd = mycpu;
	uint32_t c = gd->gd_quick_color;

	gd->gd_quick_color = c + PQ_PRIME2;
	return ((unsigned short)(c & PQ_L2_MASK));
}

/*
 * ===================================================================
 * Queue primitives
 * ===================================================================
 */

/*
 * vm_page_spin_lock / unlock - the page's own spinlock, which guards its
 * queue membership (and serializes hold against free).  Never blocks.
 */
void
vm_page_spin_lock(vm_page_t m)
{
	spin_lock(&m->spin);
}

void
vm_page_spin_unlock(vm_page_t m)
{
	spin_unlock(&m->spin);
}

/*
 * vm_page_rem_queue_locked - unlink m from sub-queue pq.  m->spin and
 * pq->spin held.  Returns the base queue m was on.
 */
static __inline int
vm_page_rem_queue_locked(vm_page_t m, struct vpgqueues *pq)
{
	int base = m->queue - m->pc;

	TAILQ_REMOVE(&pq->pl, m, pageq);
	atomic_store_relaxed(&pq->lcnt, pq->lcnt - 1);
	atomic_store_relaxed(&m->queue, (uint16_t)PQ_NONE);
	vm_page_stat_adj(pq->cnt_offset, -1);
	return (base);
}

/*
 * vm_page_add_queue_locked - link m, on no queue, onto sub-queue `queue'
 * (pq), at its head or tail.  m->spin and pq->spin held.
 */
static __inline void
vm_page_add_queue_locked(vm_page_t m, int queue, struct vpgqueues *pq,
    int athead)
{
	if (athead)
		TAILQ_INSERT_HEAD(&pq->pl, m, pageq);
	else
		TAILQ_INSERT_TAIL(&pq->pl, m, pageq);
	atomic_store_relaxed(&pq->lcnt, pq->lcnt + 1);
	atomic_store_relaxed(&m->queue, (uint16_t)queue);
	vm_page_stat_adj(pq->cnt_offset, 1);
}

/*
 * vm_page_rem_queue_spinlocked - take m off whatever queue it is on.
 * m->spin held (and kept); takes and drops the sub-queue spin.  Returns
 * the base queue it was on, or PQ_NONE.
 */
static int
vm_page_rem_queue_spinlocked(vm_page_t m)
{
	struct vpgqueues *pq;
	int base;

	SPIN_ASSERT_HELD(&m->spin);
	if (m->queue == PQ_NONE)
		return (PQ_NONE);
	pq = &vm_page_queues[m->queue];
	spin_lock(&pq->spin);
	base = vm_page_rem_queue_locked(m, pq);
	spin_unlock(&pq->spin);
	return (base);
}

/*
 * vm_page_add_queue_spinlocked - put m, on no queue, on sub-queue
 * `queue'.  m->spin held (and kept).  Free pages always go at the head.
 */
static void
vm_page_add_queue_spinlocked(vm_page_t m, int queue, int athead)
{
	struct vpgqueues *pq = &vm_page_queues[queue];

	SPIN_ASSERT_HELD(&m->spin);
	KASSERT(m->queue == PQ_NONE, ("page %p already on queue %d", m,
	    m->queue));
	KASSERT(queue - m->pc == PQ_FREE || queue - m->pc == PQ_INACTIVE ||
	    queue - m->pc == PQ_ACTIVE || queue - m->pc == PQ_CACHE ||
	    queue - m->pc == PQ_HOLD, ("bad queue %d for color %d", queue,
	    m->pc));
	if (queue - m->pc == PQ_FREE)
		athead = 1;
	spin_lock(&pq->spin);
	vm_page_add_queue_locked(m, queue, pq, athead);
	spin_unlock(&pq->spin);
}

/*
 * vm_page_take_locked - claim the first claimable page of sub-queue pq:
 * one whose spin can be had without waiting and that is not busy at all.
 * pq->spin held.  Returns the page hard-busied and off the queue, or NULL.
 */
static vm_page_t
vm_page_take_locked(struct vpgqueues *pq)
{
	vm_page_t m;

	TAILQ_FOREACH(m, &pq->pl, pageq) {
		if ((vm_page_flags(m) & PG_MARKER) || !spin_trylock(&m->spin))
			continue;
		if (atomic_cmpset_int(&m->busy_count, 0, PBUSY_LOCKED)) {
			vm_page_rem_queue_locked(m, pq);
			spin_unlock(&m->spin);
			return (m);
		}
		spin_unlock(&m->spin);
	}
	return (NULL);
}

/*
 * vm_page_list_take - vm_page_take_locked on sub-queue base + index, if it
 * looks non-empty.  No spinlocks held; never blocks.
 */
static vm_page_t
vm_page_list_take(int basequeue, unsigned int index)
{
	struct vpgqueues *pq = &vm_page_queues[basequeue + index];
	vm_page_t m;

	if (atomic_load_relaxed(&pq->lcnt) == 0)
		return (NULL);
	spin_lock(&pq->spin);
	m = vm_page_take_locked(pq);
	spin_unlock(&pq->spin);
	return (m);
}

/*
 * vm_page_list_find_after - the sub-queue that last served a dry color
 * (lastq) ran dry too.  Other colors' queues drain in the order the
 * search reaches them, so the next one with pages is found by walking on
 * from lastq (wrapping once round), not by widening from the color again:
 * that would re-read every empty queue header between them, once per
 * color, which made allocation cost grow with the memory in use.
 * Returns a hard-busied page off its queue, or NULL.  Never blocks.
 */
static vm_page_t
vm_page_list_find_after(int basequeue, struct vpgqueues *pq0, int lastq)
{
	unsigned int i, q;
	vm_page_t m;

	for (i = 1; i <= PQ_L2_SIZE; i++) {
		q = ((unsigned int)lastq + i) & PQ_L2_MASK;
		m = vm_page_list_take(basequeue, q);
		if (m != NULL) {
			atomic_store_relaxed(&pq0->lastq, (int)q);
			return (m);
		}
	}
	atomic_store_relaxed(&pq0->lastq, -1);
	return (NULL);
}

/*
 * vm_page_list_find_wide - the color `index' ran dry: try the sub-queue
 * that last served it (pq->lastq) and the ones after it; with no lastq,
 * aligned groups of 16, 32, 64 ... colors around it, each group skipping
 * the smaller one already searched.
 * Returns a hard-busied page off its queue, or NULL.  Never blocks.
 */
static vm_page_t
vm_page_list_find_wide(int basequeue, unsigned int index)
{
	struct vpgqueues *pq0 = &vm_page_queues[basequeue + index];
	unsigned int range, start, q, lo, hi;
	int lastq = atomic_load_relaxed(&pq0->lastq);
	vm_page_t m;

	if (lastq >= 0) {
		if ((m = vm_page_list_take(basequeue, lastq)) != NULL)
			return (m);
		return (vm_page_list_find_after(basequeue, pq0, lastq));
	}
	lo = index;
	hi = index + 1;
	for (range = 16; range <= PQ_L2_SIZE; range <<= 1) {
		start = index & ~(range - 1);
		for (q = start; q < start + range; q++) {
			if (q == lo) {
				q = hi - 1;
				continue;
			}
			m = vm_page_list_take(basequeue, q);
			if (m != NULL) {
				atomic_store_relaxed(&pq0->lastq, (int)q);
				return (m);
			}
		}
		lo = start;
		hi = start + range;
	}
	atomic_store_relaxed(&pq0->lastq, -1);
	return (NULL);
}

/*
 * vm_page_list_find - a page of color `index' from queue type basequeue,
 * else (free queue) a newly materialized block, else a nearby color.
 * Returns a hard-busied page on no queue, or NULL.  Never blocks.
 */
static vm_page_t
vm_page_list_find(int basequeue, unsigned int index)
{
	vm_page_t m;

	m = vm_page_list_take(basequeue, index);
	if (__predict_true(m != NULL))
		return (m);
	if (basequeue == PQ_FREE) {
		while (vm_page_materialize()) {
			m = vm_page_list_take(basequeue, index);
			if (m != NULL)
				return (m);
		}
	}
	return (vm_page_list_find_wide(basequeue, index));
}

/*
 * ===================================================================
 * The per-CPU page cache
 * ===================================================================
 */

/* Is memory plentiful enough for freed pages to stay in a CPU cache? */
static __inline int
vm_page_pcpu_ok(void)
{
	return (atomic_load_relaxed(&vmstats.v_free_count) >=
	    atomic_load_relaxed(&vmstats.v_free_reserved) +
	    vm_page_stats_margin);
}

/*
 * vm_page_pcpu_unload - put a page just taken out of a CPU cache on its
 * free sub-queue, or on PQ_HOLD if someone held it meanwhile.  With
 * `busied' the caller's hard busy is released too.  Never blocks.
 */
static void
vm_page_pcpu_unload(vm_page_t m, int busied)
{
	uint32_t o = 0;

	vm_page_spin_lock(m);
	atomic_store_relaxed(&m->flags, 0);
	vm_page_add_queue_spinlocked(m, (PG_HOLD(m) != 0 ? PQ_HOLD : PQ_FREE) +
	    m->pc, 1);
	if (busied)
		o = atomic_swap_int(&m->busy_count, 0);
	vm_page_spin_unlock(m);
	if (o & PBUSY_WANTED)
		wakeup(m);
}

/*
 * vm_page_pcpu_get - pop a page from this CPU's cache, hard-busied, or
 * NULL when the cache is empty.  A page someone soft-busied (a hash_get
 * peek) or held meanwhile is moved to a queue instead.  Never blocks.
 */
static vm_page_t
vm_page_pcpu_get(void)
{
	struct vm_page_pcpu *pc = &vm_page_pcpu[mycpuid];
	vm_page_t m;

	while (pc->ncache > 0) {
		m = pc->cache[--pc->ncache];
		vm_page_stat_adj(offsetof(struct vmstats, v_free_count), -1);
		if (__predict_false(!atomic_cmpset_int(&m->busy_count, 0,
		    PBUSY_LOCKED))) {
			vm_page_pcpu_unload(m, FALSE);
			continue;
		}
		if (__predict_false(PG_HOLD(m) != 0)) {
			vm_page_pcpu_unload(m, TRUE);
			continue;
		}
		atomic_store_relaxed(&m->flags, 0);
		return (m);
	}
	return (NULL);
}

/*
 * vm_page_pcpu_put - keep a page being freed in this CPU's cache if there
 * is room and memory is not short.  m hard-busied, with no object, on no
 * queue and not held.  Returns TRUE if kept (m is then free and
 * unbusied), FALSE if the caller must queue it.  Never blocks.
 */
static int
vm_page_pcpu_put(vm_page_t m)
{
	struct vm_page_pcpu *pc = &vm_page_pcpu[mycpuid];
	uint32_t o;

	if (pc->ncache >= VM_PAGE_PCPU_CACHE || !vm_page_pcpu_ok())
		return (FALSE);
	atomic_store_relaxed(&m->valid, 0);
	atomic_store_relaxed(&m->dirty, 0);
	atomic_store_relaxed(&m->flags, PG_PCPUCACHE);
	m->act_count = 0;
	pc->cache[pc->ncache++] = m;
	vm_page_stat_adj(offsetof(struct vmstats, v_free_count), 1);
	o = atomic_swap_int(&m->busy_count, 0);
	if (o & PBUSY_WANTED)
		wakeup(m);
	return (TRUE);
}

/*
 * vm_page_pcpu_drain - move every page of this CPU's cache to the free
 * queues, where any CPU (and the contiguous allocator) can find them.
 * Never blocks.
 */
static void
vm_page_pcpu_drain(void)
{
	struct vm_page_pcpu *pc = &vm_page_pcpu[mycpuid];

	while (pc->ncache > 0) {
		vm_page_stat_adj(offsetof(struct vmstats, v_free_count), -1);
		vm_page_pcpu_unload(pc->cache[--pc->ncache], FALSE);
	}
}

/*
 * ===================================================================
 * Busy
 * ===================================================================
 */

/*
 * vm_page_busy_try - hard-busy m if nobody has it hard-busied (and, when
 * also_m_busy, nobody soft-busied).  Returns FALSE on success (m now
 * hard-busied), TRUE if it is busy.  Never blocks.
 */
int
vm_page_busy_try(vm_page_t m, int also_m_busy)
{
	uint32_t o = atomic_load_relaxed(&m->busy_count);

	for (;;) {
		if (o & PBUSY_LOCKED)
			return (TRUE);
		if (also_m_busy && (o & PBUSY_MASK))
			return (TRUE);
		if (atomic_fcmpset_int(&m->busy_count, &o, o | PBUSY_LOCKED))
			return (FALSE);
	}
}

/*
 * vm_page_busy_sleep - one wait for m's busy state to change: set
 * PBUSY_WANTED and sleep on m unless the state moved meanwhile.  `o' is
 * the busy word the caller saw.  No spinlocks held; blocks (tokens are
 * released and re-acquired).
 */
static void
vm_page_busy_sleep(vm_page_t m, uint32_t o, const char *msg)
{
	tsleep_interlock(m, 0);
	if (atomic_cmpset_int(&m->busy_count, o, o | PBUSY_WANTED))
		tsleep(m, PINTERLOCKED, msg, 0);
	else
		tsleep_remove();
}

/* Is the busy word one that vm_page_busy_wait/sleep_busy must wait out? */
static __inline int
vm_page_busy_conflict(uint32_t o, int also_m_busy)
{
	return ((o & PBUSY_LOCKED) || (also_m_busy && (o & PBUSY_MASK)));
}

/*
 * vm_page_busy_wait - hard-busy m, sleeping while it is hard-busied (and,
 * when also_m_busy, soft-busied).  No spinlocks held; may block, so the
 * caller must re-validate m (its object and pindex) afterwards.  Returns
 * with m hard-busied.
 */
void
vm_page_busy_wait(vm_page_t m, int also_m_busy, const char *msg)
{
	uint32_t o;

	for (;;) {
		o = atomic_load_relaxed(&m->busy_count);
		if (!vm_page_busy_conflict(o, also_m_busy)) {
			if (atomic_cmpset_int(&m->busy_count, o,
			    o | PBUSY_LOCKED))
				return;
			continue;
		}
		vm_page_busy_sleep(m, o, msg);
	}
}

/*
 * vm_page_sleep_busy - wait until m is not hard-busied (nor soft-busied
 * when also_m_busy), without busying it.  No spinlocks held; may block.
 */
void
vm_page_sleep_busy(vm_page_t m, int also_m_busy, const char *msg)
{
	uint32_t o;

	for (;;) {
		o = atomic_load_relaxed(&m->busy_count);
		if (!vm_page_busy_conflict(o, also_m_busy))
			return;
		vm_page_busy_sleep(m, o, msg);
	}
}

/*
 * vm_page_wakeup - release the caller's hard busy and wake any waiters.
 * m hard-busied on entry; never blocks.
 */
void
vm_page_wakeup(vm_page_t m)
{
	uint32_t o = atomic_load_relaxed(&m->busy_count);

	KASSERT(o & PBUSY_LOCKED, ("vm_page_wakeup: page %p not busy", m));
	while (!atomic_fcmpset_int(&m->busy_count, &o,
	    o & ~(PBUSY_LOCKED | PBUSY_WANTED)))
		;
	if (o & PBUSY_WANTED)
		wakeup(m);
}

/*
 * vm_page_io_start - add a soft-busy (I/O in progress) to a page the
 * caller holds busy.  Never blocks.
 */
void
vm_page_io_start(vm_page_t m)
{
	vm_page_sbusy_hold(m);
}

/*
 * vm_page_io_finish - drop a soft-busy; when the last goes, wake waiters.
 * Never blocks.
 */
void
vm_page_io_finish(vm_page_t m)
{
	uint32_t o = atomic_load_relaxed(&m->busy_count);
	uint32_t n;

	for (;;) {
		KASSERT(o & PBUSY_MASK, ("vm_page_io_finish: page %p not "
		    "soft-busied", m));
		n = o - 1;
		if ((n & PBUSY_MASK) == 0)
			n &= ~PBUSY_WANTED;
		if (atomic_fcmpset_int(&m->busy_count, &o, n))
			break;
	}
	if ((o & PBUSY_WANTED) && (n & PBUSY_WANTED) == 0)
		wakeup(m);
}

/*
 * vm_page_sbusy_try - soft-busy m unless it is hard-busied.  Returns FALSE
 * on success, TRUE if hard-busied.  Never blocks.
 */
int
vm_page_sbusy_try(vm_page_t m)
{
	uint32_t o = atomic_load_relaxed(&m->busy_count);

	for (;;) {
		if (o & PBUSY_LOCKED)
			return (TRUE);
		KASSERT((o & PBUSY_MASK) != PBUSY_MASK, ("sbusy overflow"));
		if (atomic_fcmpset_int(&m->busy_count, &o, o + 1))
			return (FALSE);
	}
}

/*
 * ===================================================================
 * Allocation
 * ===================================================================
 */

/*
 * vm_page_admit_exact - facts sheet 4.9: may a `flags' allocation take a
 * free page, judged on the global (just rolled up) counts?
 */
static int
vm_page_admit_exact(int flags)
{
	long f = atomic_load_relaxed(&vmstats.v_free_count);
	long c = atomic_load_relaxed(&vmstats.v_cache_count);

	if (f >= atomic_load_relaxed(&vmstats.v_free_reserved))
		return (TRUE);
	if ((flags & VM_ALLOC_INTERRUPT) && f > 0)
		return (TRUE);
	if ((flags & VM_ALLOC_SYSTEM) && c == 0 &&
	    f > atomic_load_relaxed(&vmstats.v_interrupt_free_min))
		return (TRUE);
	return (FALSE);
}

/*
 * vm_page_admit - the same, cheaply: far above the reserve the global
 * count, however stale, is good enough; near it, roll up and decide
 * exactly.  Never blocks.
 */
static __inline int
vm_page_admit(int flags)
{
	long f = atomic_load_relaxed(&vmstats.v_free_count);

	if (__predict_true(f >= atomic_load_relaxed(&vmstats.v_free_reserved) +
	    vm_page_stats_margin))
		return (TRUE);
	vmstats_rollup();
	return (vm_page_admit_exact(flags));
}

/*
 * vm_page_select_cache - a clean cache page, hard-busied and off its
 * queue, preferring color pg_color.  Never blocks.
 */
static vm_page_t
vm_page_select_cache(unsigned int pg_color)
{
	vm_page_t m;

	while ((m = vm_page_list_find(PQ_CACHE, pg_color)) != NULL) {
		if (atomic_load_relaxed(&m->dirty) == 0 &&
		    (vm_page_flags(m) & PG_MAPPED) == 0)
			return (m);
		vm_page_deactivate(m);
		vm_page_wakeup(m);
	}
	return (NULL);
}

/*
 * vm_page_reclaim_cache - free one cache page so that a NORMAL allocation
 * can proceed (facts 4.9).  Never blocks: a page whose object token is
 * contended goes back to the cache.  Returns TRUE if a page was freed.
 */
static int
vm_page_reclaim_cache(unsigned int pg_color)
{
	vm_object_t obj;
	vm_page_t m;

	m = vm_page_select_cache(pg_color);
	if (m == NULL)
		return (FALSE);
	obj = m->object;
	KASSERT(obj != NULL, ("cache page %p without object", m));
	if (!vm_object_hold_try(obj)) {
		vm_page_cache(m);
		return (FALSE);
	}
	vm_page_free(m);
	vm_object_drop(obj);
	return (TRUE);
}

/*
 * vm_page_alloc_fail - account a failed allocation and kick the daemon.
 */
static vm_page_t
vm_page_alloc_fail(void)
{
	atomic_add_int(&vm_pageout_deficit, 1);
	pagedaemon_wakeup();
	return (NULL);
}

/*
 * vm_page_alloc_color - the color to start from for this allocation.
 */
static __inline unsigned int
vm_page_alloc_color(vm_object_t object, vm_pindex_t pindex, int flags)
{
	int cpuid;

	if (flags & VM_ALLOC_CPU_SPEC)
		cpuid = VM_ALLOC_GETCPU(flags) % ncpus;
	else
		cpuid = mycpuid;
	return (vm_get_pg_color(cpuid, object, pindex));
}

/*
 * vm_page_alloc_take - a free page for `flags', or NULL: if admitted, from
 * this CPU's page cache (when `usecache') or the free queues; else
 * (NORMAL) reclaim PQ_CACHE pages until admitted.
 */
static vm_page_t
vm_page_alloc_take(unsigned int pg_color, int flags, int usecache)
{
	vm_page_t m;
	int tries;

	for (tries = 0; tries < VM_ALLOC_TRIES; ) {
		if (vm_page_admit(flags)) {
			if (usecache && (m = vm_page_pcpu_get()) != NULL)
				return (m);
			m = vm_page_list_find(PQ_FREE, pg_color);
			if (__predict_true(m != NULL))
				return (m);
			/* Counted free, yet in transit: look again. */
			tries++;
			vmstats_rollup();
			continue;
		}
		if ((flags & VM_ALLOC_NORMAL) && vm_page_reclaim_cache(pg_color))
			continue;
		break;
	}
	return (NULL);
}

/*
 * vm_page_alloc_init - set up a page just taken off the free queue.
 */
static __inline void
vm_page_alloc_init(vm_page_t m, vm_object_t object)
{
	KASSERT(m->object == NULL && PG_WIRE(m) == 0 &&
	    PG_HOLD(m) == 0 && PG_VALID(m) == 0 && PG_DIRTY(m) == 0 &&
	    vm_page_flags(m) == 0, ("vm_page_alloc: free page %p in a bad state", m));
	KASSERT((PG_BUSY(m) & ~PBUSY_MASK) == PBUSY_LOCKED,
	    ("vm_page_alloc: page %p not busied", m));
	m->act_count = 0;
	m->pat_mode = object != NULL ? object->memattr : VM_MEMATTR_DEFAULT;
}

/*
 * vm_page_alloc_prefetch - start loading, for writing, the struct of the
 * page the free queues would give (object, pindex) now: the head of that
 * color's free sub-queue.  Called for the index after the one being
 * allocated, since objects mostly fill in order (a process touching fresh
 * memory, the prefault burst, a pager reading ahead), and one allocation
 * is time enough to hide the miss the next would take on a struct last
 * touched when the page was freed.  When the guess is wrong the page
 * stays at its queue's head for the next allocation of that color, so
 * the load is seldom wasted.  The head is read without the queue's
 * spinlock: it is only a hint, checked to be a page of vm_page_array, and
 * prefetching never faults.  Not instrumented under ThreadSanitizer for
 * that reason.
 */
__attribute__((no_sanitize("thread")))
static void
vm_page_alloc_prefetch(vm_object_t object, vm_pindex_t pindex, int flags)
{
	struct vpgqueues *pq = &vm_page_queues[PQ_FREE +
	    vm_page_alloc_color(object, pindex, flags)];
	vm_page_t m = __atomic_load_n(&pq->pl.tqh_first, __ATOMIC_RELAXED);

	if (m >= vm_page_array && m < vm_page_array + vm_page_array_size)
		vm_page_prefetch(m);
}

/*
 * vm_page_alloc - allocate a page, and insert it at (object, pindex) if
 * object is not NULL.
 *
 * flags: one of VM_ALLOC_NORMAL (may reclaim cache pages), _QUICK (free
 * queue only), _SYSTEM (may dip to v_interrupt_free_min), _INTERRUPT (may
 * take the last free page); plus VM_ALLOC_ZERO (zero the contents),
 * VM_ALLOC_NULL_OK (NULL, not panic, if (object, pindex) is taken) and
 * VM_ALLOC_CPU(n) (allocate as if on CPU n).  Threads with TDF_SYSTHREAD
 * allocate as SYSTEM.
 *
 * object, if any, held exclusively.  Never sleeps (an object token may be
 * contended while reclaiming a cache page; then that page is skipped).
 * Returns the page hard-busied, unwired, on no queue, valid == 0; or NULL
 * when memory is short (the pagedaemon is woken and vm_pageout_deficit
 * counts it), when the fault injector fires, or on a NULL_OK collision.
 *
 * vm_page_alloc_fill is both vm_page_alloc (src NULL) and
 * vm_page_alloc_copy (src the page to copy).
 */
static vm_page_t
vm_page_alloc_fill(vm_object_t object, vm_pindex_t pindex, int flags,
    vm_page_t src)
{
	unsigned int pg_color;
	vm_page_t m;

	KASSERT(flags & (VM_ALLOC_NORMAL | VM_ALLOC_QUICK | VM_ALLOC_SYSTEM |
	    VM_ALLOC_INTERRUPT), ("vm_page_alloc: no class in %#x", flags));
	if (object != NULL)
		VM_OBJECT_ASSERT_HELD_EXCL(object);
	if (__predict_false(fault_inject_check(&vm_page_alloc_fi)))
		return (NULL);
	if (curthread->td_flags & TDF_SYSTHREAD)
		flags |= VM_ALLOC_SYSTEM;
	pg_color = vm_page_alloc_color(object, pindex, flags);
	m = vm_page_alloc_take(pg_color, flags, object == NULL &&
	    (flags & VM_ALLOC_CPU_SPEC) == 0);
	if (__predict_false(m == NULL))
		return (vm_page_alloc_fail());
	if (object != NULL)
		vm_page_alloc_prefetch(object, pindex + 1, flags);
	/*
	 * Fill before the insertion: the tree walk overlaps with the
	 * zeroing or copying stores draining, which the next locked
	 * instruction would otherwise wait for alone.
	 */
	if (src != NULL)
		pmap_copy_page(VM_PAGE_TO_PHYS(src), VM_PAGE_TO_PHYS(m));
	else if (flags & VM_ALLOC_ZERO)
		vm_page_zero_fill(m);
	vm_page_alloc_init(m, object);
	if (object != NULL && !vm_page_insert(m, object, pindex)) {
		if ((flags & VM_ALLOC_NULL_OK) == 0)
			panic("vm_page_alloc: %p/%ju already has a page",
			    object, (uintmax_t)pindex);
		vm_page_free(m);
		return (NULL);
	}
	VMCNT_ADD(v_pagealloc, 1);
	pagedaemon_wakeup();
	return (m);
}

vm_page_t
vm_page_alloc(vm_object_t object, vm_pindex_t pindex, int flags)
{
	return (vm_page_alloc_fill(object, pindex, flags, NULL));
}

vm_page_t
vm_page_alloc_copy(vm_object_t object, vm_pindex_t pindex, int flags,
    vm_page_t src)
{
	KASSERT(src != NULL && (PG_BUSY(src) & (PBUSY_LOCKED | PBUSY_MASK)),
	    ("vm_page_alloc_copy: source %p not busied", src));
	return (vm_page_alloc_fill(object, pindex, flags & ~VM_ALLOC_ZERO,
	    src));
}

/*
 * vm_page_grab - the page at (object, pindex), hard-busied, allocating it
 * if absent.  With VM_ALLOC_RETRY it waits for a busy page and for memory
 * (vm_wait) instead of failing.  VM_ALLOC_ZERO / _FORCE_ZERO: a page with
 * no valid bits is zeroed and marked fully valid.
 *
 * object held exclusively (it may be released and re-acquired while
 * blocking).  Returns the page hard-busied, or NULL (no RETRY) when it is
 * busy or memory is short.
 */
vm_page_t
vm_page_grab(vm_object_t object, vm_pindex_t pindex, int flags)
{
	int aflags = (flags & ~(VM_ALLOC_RETRY | VM_ALLOC_ZERO |
	    VM_ALLOC_FORCE_ZERO)) | VM_ALLOC_NULL_OK;
	vm_page_t m;
	int error;

	VM_OBJECT_ASSERT_HELD_EXCL(object);
	for (;;) {
		m = vm_page_lookup_busy_try(object, pindex, TRUE, &error);
		if (m != NULL && !error)
			break;
		if (m != NULL) {
			if ((flags & VM_ALLOC_RETRY) == 0)
				return (NULL);
			vm_page_sleep_busy(m, TRUE, "pgrbwt");
			continue;
		}
		m = vm_page_alloc(object, pindex, aflags);
		if (m != NULL)
			break;
		if ((flags & VM_ALLOC_RETRY) == 0)
			return (NULL);
		vm_wait(0);
	}
	if ((flags & (VM_ALLOC_ZERO | VM_ALLOC_FORCE_ZERO)) &&
	    atomic_load_relaxed(&m->valid) == 0) {
		vm_page_zero_fill(m);
		atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
	}
	return (m);
}

/*
 * ===================================================================
 * Contiguous allocation
 * ===================================================================
 */

/*
 * vm_page_claim_free - take m off its free sub-queue and hard-busy it, if
 * it is on one and not busy.  No spinlocks held; never blocks.  Returns
 * TRUE if claimed.
 */
static int
vm_page_claim_free(vm_page_t m)
{
	struct vpgqueues *pq;
	int ok = FALSE;

	vm_page_spin_lock(m);
	if (m->queue != PQ_NONE && m->queue - m->pc == PQ_FREE) {
		pq = &vm_page_queues[m->queue];
		spin_lock(&pq->spin);
		if (atomic_cmpset_int(&m->busy_count, 0, PBUSY_LOCKED)) {
			vm_page_rem_queue_locked(m, pq);
			ok = TRUE;
		}
		spin_unlock(&pq->spin);
	}
	vm_page_spin_unlock(m);
	return (ok);
}

#define VM_PHYS_BASE_PFN	((long)atop(VM_PHYS_BASE))

/* The page of physical page number pfn. */
static __inline vm_page_t
vm_contig_page(long pfn)
{
	return (&vm_page_array[pfn - VM_PHYS_BASE_PFN]);
}

/*
 * vm_contig_claim_run - claim the pages of pfns [pfn, pfn+npg).  On
 * failure, returns the already claimed ones to the free queue and gives
 * the pfn that could not be had in *badp.
 */
static int
vm_contig_claim_run(long pfn, long npg, long *badp)
{
	long i, j;

	for (i = 0; i < npg; i++) {
		if (!vm_page_claim_free(vm_contig_page(pfn + i))) {
			for (j = 0; j < i; j++)
				vm_page_free_toq(vm_contig_page(pfn + j));
			*badp = pfn + i;
			return (FALSE);
		}
	}
	return (TRUE);
}

/*
 * vm_contig_scan - look for and claim a run of npg free pages with page
 * numbers in [lo, hi), starting at a multiple of align pages and not
 * crossing a multiple of the boundary (bmask: ~(boundary pages - 1), or
 * 0).  Returns the first page number, or -1.
 */
static long
vm_contig_scan(long lo, long hi, long npg, long align, long bmask)
{
	long pfn, i, bad;

	pfn = roundup2(lo, align);
	while (pfn + npg <= hi) {
		if (bmask && ((pfn ^ (pfn + npg - 1)) & bmask)) {
			pfn = roundup2((pfn + npg - 1) & bmask, align);
			continue;
		}
		bad = -1;
		for (i = npg - 1; i >= 0; i--) {
			if (vm_page_qbase(vm_contig_page(pfn + i)) != PQ_FREE) {
				bad = pfn + i;
				break;
			}
		}
		if (bad < 0 && vm_contig_claim_run(pfn, npg, &bad))
			return (pfn);
		pfn = roundup2(bad + 1, align);
	}
	return (-1);
}

/*
 * vm_contig_prepare - set up a claimed run as vm_page_alloc_contig
 * returns it: wired, PG_UNQUEUED, memattr.
 */
static void
vm_contig_prepare(vm_page_t m, long npg, vm_memattr_t memattr)
{
	long i;

	for (i = 0; i < npg; i++) {
		vm_page_alloc_init(&m[i], NULL);
		m[i].pat_mode = memattr;
		vm_page_flag_set(&m[i], PG_UNQUEUED);
		vm_page_wire(&m[i]);
	}
	VMCNT_ADD(v_pagealloc, npg);
}

/*
 * vm_contig_search - vm_contig_scan over pfns [lo, hi), materializing
 * virgin blocks as the scan runs out of materialized pages.
 */
static long
vm_contig_search(long lo, long hi, long npg, long align, long bmask)
{
	long limit, done = lo, pfn;

	for (;;) {
		limit = MIN(hi, VM_PHYS_BASE_PFN + vm_page_materialized());
		pfn = vm_contig_scan(MAX(lo, done - npg - align), limit, npg,
		    align, bmask);
		if (pfn >= 0 || limit >= hi || !vm_page_materialize())
			return (pfn);
		done = limit;
	}
}

/*
 * vm_page_alloc_contig - allocate `size' bytes (rounded up to pages) of
 * physically contiguous memory within [low, high), starting at a multiple
 * of `alignment' (a power of two; 0 means a page) and not crossing a
 * multiple of `boundary' (a power of two, or 0 for none).
 *
 * No requirements; never blocks.  Returns the first vm_page of the run;
 * every page is hard-busied, wired once, PG_UNQUEUED, with no object.  NULL
 * if no such run is free, memory is below the reserve, or the injector
 * fires.  Free with vm_page_free_contig().
 */
vm_page_t
vm_page_alloc_contig(vm_paddr_t low, vm_paddr_t high,
    unsigned long alignment, unsigned long boundary, unsigned long size,
    vm_memattr_t memattr)
{
	long npg = (long)atop(round_page(size));
	long align = (long)MAX(atop(alignment), 1);
	long bmask = boundary ? ~((long)atop(boundary) - 1) : 0;
	long lo, hi, pfn;

	KASSERT(npg > 0 && powerof2(align), ("bad contig size/alignment"));
	KASSERT(boundary == 0 || (powerof2(boundary) && boundary >= size),
	    ("bad contig boundary %#lx", boundary));
	if (fault_inject_check(&vm_page_alloc_fi))
		return (NULL);
	vm_page_pcpu_drain();
	vmstats_rollup();
	if (atomic_load_relaxed(&vmstats.v_free_count) - npg <
	    atomic_load_relaxed(&vmstats.v_free_reserved))
		return (NULL);
	lo = MAX((long)atop(low + PAGE_MASK), VM_PHYS_BASE_PFN);
	hi = MIN((long)atop(high), VM_PHYS_BASE_PFN + vm_page_array_size);
	pfn = vm_contig_search(lo, hi, npg, align, bmask);
	if (pfn < 0)
		return (NULL);
	vm_contig_prepare(vm_contig_page(pfn), npg, memattr);
	return (vm_contig_page(pfn));
}

/*
 * vm_page_free_contig - free a run from vm_page_alloc_contig, its pages
 * still hard-busied and wired once.  May block (as vm_page_free).
 */
void
vm_page_free_contig(vm_page_t m, unsigned long size)
{
	long npg = (long)atop(round_page(size));
	long i;

	for (i = 0; i < npg; i++) {
		KASSERT(PG_WIRE(&m[i]) == 1 && (vm_page_flags(&m[i]) & PG_UNQUEUED),
		    ("vm_page_free_contig: page %p not from alloc_contig",
		    &m[i]));
		vm_page_unwire(&m[i], 0);
		vm_page_free(&m[i]);
	}
}

/*
 * ===================================================================
 * Freeing and memory pressure
 * ===================================================================
 */

/*
 * vm_page_free_toq - return m to the free pages (PQ_HOLD if it is held):
 * remove it from its object and queue, clear valid, dirty and flags, and
 * keep it in this CPU's page cache or put it at the head of its free
 * sub-queue.
 *
 * m hard-busied by the caller, not soft-busied, not wired, not mapped
 * (PG_MAPPED: the pmap must unmap it first).  Its object, if any, held
 * exclusively or not at all; may block to get the object's token.  On
 * return m is no longer busy and no longer the caller's.
 */
void
vm_page_free_toq(vm_page_t m)
{
	uint32_t o;

	KASSERT((PG_BUSY(m) & ~PBUSY_WANTED) == PBUSY_LOCKED,
	    ("vm_page_free_toq: page %p busy %#x", m, PG_BUSY(m)));
	KASSERT(PG_WIRE(m) == 0, ("vm_page_free_toq: page %p wired", m));
	KASSERT((vm_page_flags(m) & PG_MAPPED) == 0,
	    ("vm_page_free_toq: page %p mapped", m));
	VMCNT_ADD(v_tfree, 1);
	if (m->object != NULL)
		vm_page_remove(m);
	if (vm_page_flags(m) & PG_FICTITIOUS) {
		vm_page_wakeup(m);
		return;
	}
	if (atomic_load_relaxed(&m->queue) == PQ_NONE && PG_HOLD(m) == 0 &&
	    vm_page_pcpu_put(m)) {
		vm_page_free_wakeup();
		return;
	}
	vm_page_spin_lock(m);
	vm_page_rem_queue_spinlocked(m);
	atomic_store_relaxed(&m->valid, 0);
	atomic_store_relaxed(&m->dirty, 0);
	atomic_store_relaxed(&m->flags, 0);
	m->act_count = 0;
	if (atomic_load_relaxed(&m->hold_count) != 0)
		vm_page_add_queue_spinlocked(m, PQ_HOLD + m->pc, 0);
	else
		vm_page_add_queue_spinlocked(m, PQ_FREE + m->pc, 1);
	o = atomic_swap_int(&m->busy_count, 0);
	vm_page_spin_unlock(m);
	if (o & PBUSY_WANTED)
		wakeup(m);
	vm_page_free_wakeup();
}

/*
 * vm_page_free_wakeup - pages were freed or cached: wake the pageout
 * thread if it waits and free+cache reached v_pageout_free_min, and wake
 * vm_wait sleepers once free+cache is vm.page_free_hysteresis pages above
 * v_free_min or target1 is met (facts 4.9).  Costs two loads when nobody
 * waits.  No requirements; never blocks.
 */
void
vm_page_free_wakeup(void)
{
	globaldata_t gd;

	if (__predict_true((atomic_load_relaxed(&vm_pageout_pages_needed) |
	    atomic_load_relaxed(&vm_pages_waiting)) == 0))
		return;
	vmstats_rollup();
	gd = mycpu;
	if (atomic_load_relaxed(&vm_pageout_pages_needed) &&
	    VMS_LOAD(gd, v_free_count) + VMS_LOAD(gd, v_cache_count) >=
	    VMS_LOAD(gd, v_pageout_free_min)) {
		atomic_store_int(&vm_pageout_pages_needed, 0);
		wakeup(&vm_pageout_pages_needed);
	}
	if (atomic_load_relaxed(&vm_pages_waiting) &&
	    (!vm_paging_min_dnc(vm_page_free_hysteresis) ||
	    !vm_paging_target1())) {
		atomic_store_int(&vm_pages_waiting, 0);
		wakeup(&vmstats.v_free_count);
	}
}

/*
 * pagedaemon_wakeup - memory is getting short (vm_paging_start): note that
 * the pagedaemon is needed and wake it.  Until the daemon exists this only
 * sets and wakes &vm_pages_needed.  No requirements; never blocks.
 */
void
pagedaemon_wakeup(void)
{
	int n;

	if (__predict_true(!vm_paging_start(0)) || curthread == pagethread)
		return;
	n = atomic_load_relaxed(&vm_pages_needed);
	if (n <= 1) {
		atomic_store_int(&vm_pages_needed, 1);
		wakeup(&vm_pages_needed);
	} else if (vm_paging_min()) {
		atomic_add_int(&vm_pages_needed, 1);
	}
}

/* The calling thread's nice value (0 without a process). */
static __inline int
vm_curnice(void)
{
	return (0);
}

/*
 * vm_wait_sleep - register as a waiter and sleep on &vmstats.v_free_count
 * for at most timo ticks, unless `still_short' no longer holds once the
 * registration is visible to freeing threads.
 */
static void
vm_wait_sleep(int (*still_short)(int), int arg, const char *wmesg,
    int timo)
{
	vm_page_pcpu_drain();
	tsleep_interlock(&vmstats.v_free_count, 0);
	atomic_add_int(&vm_pages_waiting, 1);
	vmstats_rollup();
	if (still_short(arg)) {
		if (atomic_load_relaxed(&vm_pages_needed) <= 1) {
			atomic_add_int(&vm_pages_needed, 1);
			wakeup(&vm_pages_needed);
		}
		tsleep(&vmstats.v_free_count, PINTERLOCKED, wmesg, timo);
	} else {
		tsleep_remove();
	}
}

/* vm_wait's condition: still below v_free_min for this nice value? */
static int
vm_wait_min_nice(int nice)
{
	return (vm_paging_min_nice(nice));
}

/*
 * vm_wait - wait (at most timo ticks; 0 means hz, never forever) for
 * memory to be freed, if free+cache is below v_free_min (nice-adjusted).
 * The pageout thread itself waits on &vm_pageout_pages_needed instead.
 * No spinlocks held; may block (tokens are released meanwhile).
 */
void
vm_wait(int timo)
{
	if (timo == 0)
		timo = hz;
	vmstats_rollup();
	if (pagethread != NULL && curthread == pagethread) {
		if (vm_paging_min()) {
			atomic_store_int(&vm_pageout_pages_needed, 1);
			tsleep(&vm_pageout_pages_needed, 0, "VMWait", timo);
		}
		return;
	}
	if (vm_paging_min_nice(vm_curnice() + 1))
		vm_wait_sleep(vm_wait_min_nice, vm_curnice() + 1, "vmwait",
		    timo);
}

/* vm_wait_pfault's condition: still severely short? */
static int
vm_wait_severe(int unused)
{
	return (vm_paging_severe());
}

/*
 * vm_wait_pfault - a page fault ran short of memory: while below
 * v_free_min (nice-adjusted) wait in hz/10 slices until the severe level
 * clears (facts 4.9).  No spinlocks held; may block.
 */
void
vm_wait_pfault(void)
{
	vmstats_rollup();
	if (!vm_paging_min_nice(vm_curnice()))
		return;
	do {
		vm_wait_sleep(vm_wait_severe, 0, "pfault", hz / 10 + 1);
		vmstats_rollup();
	} while (vm_paging_severe());
}

/*
 * vm_wait_nominal - wait until free+cache is back above v_free_min.
 * No spinlocks held; may block.
 */
void
vm_wait_nominal(void)
{
	vmstats_rollup();
	while (vm_paging_min()) {
		vm_wait(0);
		vmstats_rollup();
	}
}

/*
 * ===================================================================
 * Wire and hold
 * ===================================================================
 */

/*
 * vm_page_wire - add a wiring.  m hard-busied (0 -> 1 needs it, rule 1).
 * Wiring never moves the page between queues.  Never blocks.
 */
void
vm_page_wire(vm_page_t m)
{
	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_wire: %p not busy",
	    m));
	if (vm_page_flags(m) & PG_FICTITIOUS)
		return;
	if (atomic_fetchadd_int(&m->wire_count, 1) == 0)
		vm_page_stat_adj(offsetof(struct vmstats, v_wire_count), 1);
	KASSERT(PG_WIRE(m) != 0, ("vm_page_wire: %p overflow", m));
}

/*
 * vm_page_unwire - drop a wiring.  On the last one the page is activated
 * (if `activate' or PG_NEED_COMMIT) or deactivated, unless PG_UNQUEUED.
 * m hard-busied and wired.  Never blocks.
 */
void
vm_page_unwire(vm_page_t m, int activate)
{
	unsigned int fl = vm_page_flags(m);

	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_unwire: %p not busy",
	    m));
	if (fl & PG_FICTITIOUS)
		return;
	KASSERT((int)PG_WIRE(m) > 0, ("vm_page_unwire: %p not wired", m));
	if (atomic_fetchadd_int(&m->wire_count, -1) != 1)
		return;
	vm_page_stat_adj(offsetof(struct vmstats, v_wire_count), -1);
	if (fl & PG_UNQUEUED)
		return;
	if (activate || (fl & PG_NEED_COMMIT))
		vm_page_activate(m);
	else
		vm_page_deactivate(m);
}

/*
 * vm_page_hold - keep m from being reused: if it is freed while held it
 * waits on PQ_HOLD.  A free page that is held moves to PQ_HOLD at once.
 * The caller must know m is a real page; never blocks.
 */
void
vm_page_hold(vm_page_t m)
{
	vm_page_spin_lock(m);
	atomic_add_int(&m->hold_count, 1);
	if (m->queue != PQ_NONE && m->queue - m->pc == PQ_FREE) {
		vm_page_rem_queue_spinlocked(m);
		vm_page_add_queue_spinlocked(m, PQ_HOLD + m->pc, 0);
	}
	vm_page_spin_unlock(m);
}

/*
 * vm_page_unhold - drop a hold; the last one moves a page waiting on
 * PQ_HOLD to PQ_FREE.  m held; never blocks.
 */
void
vm_page_unhold(vm_page_t m)
{
	int freed = FALSE;

	vm_page_spin_lock(m);
	KASSERT(PG_HOLD(m) > 0, ("vm_page_unhold: %p not held", m));
	atomic_subtract_int(&m->hold_count, 1);
	if (PG_HOLD(m) == 0 && m->queue != PQ_NONE &&
	    m->queue - m->pc == PQ_HOLD) {
		vm_page_rem_queue_spinlocked(m);
		vm_page_add_queue_spinlocked(m, PQ_FREE + m->pc, 1);
		freed = TRUE;
	}
	vm_page_spin_unlock(m);
	if (freed)
		vm_page_free_wakeup();
}

/*
 * ===================================================================
 * Queue moves
 * ===================================================================
 */

/* Is m a page the paging queues never hold (fictitious or unqueued)? */
static __inline int
vm_page_unmanaged(vm_page_t m)
{
	return ((vm_page_flags(m) & (PG_FICTITIOUS | PG_UNQUEUED)) != 0);
}

#define VM_PAGE_ASSERT_BUSIED(m, fn)					\
	KASSERT(atomic_load_relaxed(&(m)->busy_count) &			\
	    (PBUSY_LOCKED | PBUSY_MASK), (fn ": page %p not busy", (m)))

/*
 * vm_page_activate - put m on the active queue, with act_count at least
 * ACT_INIT.  Leaving PQ_CACHE counts as a reactivation; leaving CACHE or
 * FREE wakes the pagedaemon.  m busied (hard or soft); never blocks.
 */
void
vm_page_activate(vm_page_t m)
{
	int oqueue;

	VM_PAGE_ASSERT_BUSIED(m, "vm_page_activate");
	vm_page_spin_lock(m);
	if (vm_page_unmanaged(m) ||
	    (m->queue != PQ_NONE && m->queue - m->pc == PQ_ACTIVE)) {
		if (m->act_count < ACT_INIT)
			m->act_count = ACT_INIT;
		vm_page_spin_unlock(m);
		return;
	}
	oqueue = vm_page_rem_queue_spinlocked(m);
	if (oqueue == PQ_CACHE)
		VMCNT_ADD(v_reactivated, 1);
	if (m->act_count < ACT_INIT)
		m->act_count = ACT_INIT;
	vm_page_add_queue_spinlocked(m, PQ_ACTIVE + m->pc, 0);
	vm_page_spin_unlock(m);
	if (oqueue == PQ_CACHE || oqueue == PQ_FREE)
		pagedaemon_wakeup();
}

/*
 * vm_page_soft_activate - as vm_page_activate, but a page already active
 * only has its act_count raised.  m busied; never blocks.
 */
void
vm_page_soft_activate(vm_page_t m)
{
	vm_page_activate(m);
}

/*
 * vm_page_deactivate_spinlocked - move m to the inactive queue (head or
 * tail), clearing PG_WINATCFLS.  m->spin held; never blocks.
 */
static void
vm_page_deactivate_spinlocked(vm_page_t m, int athead)
{
	int oqueue;

	SPIN_ASSERT_HELD(&m->spin);
	if (vm_page_unmanaged(m) ||
	    (m->queue != PQ_NONE && m->queue - m->pc == PQ_INACTIVE))
		return;
	oqueue = vm_page_rem_queue_spinlocked(m);
	if (oqueue == PQ_CACHE)
		VMCNT_ADD(v_reactivated, 1);
	vm_page_flag_clear(m, PG_WINATCFLS);
	vm_page_add_queue_spinlocked(m, PQ_INACTIVE + m->pc, athead);
}

/*
 * vm_page_deactivate_locked - vm_page_deactivate with m->spin held.
 */
void
vm_page_deactivate_locked(vm_page_t m)
{
	vm_page_deactivate_spinlocked(m, 0);
}

/*
 * vm_page_deactivate - move m to the tail of the inactive queue.
 * m busied (hard or soft); never blocks.
 */
void
vm_page_deactivate(vm_page_t m)
{
	VM_PAGE_ASSERT_BUSIED(m, "vm_page_deactivate");
	vm_page_spin_lock(m);
	vm_page_deactivate_spinlocked(m, 0);
	vm_page_spin_unlock(m);
}

/*
 * vm_page_cache_ok - may m go to the cache queue now?
 */
static int
vm_page_cache_ok(vm_page_t m)
{
	return ((vm_page_flags(m) & (PG_UNQUEUED | PG_NEED_COMMIT |
	    PG_FICTITIOUS)) == 0 &&
	    (atomic_load_relaxed(&m->busy_count) & PBUSY_MASK) == 0 &&
	    atomic_load_relaxed(&m->wire_count) == 0 &&
	    atomic_load_relaxed(&m->hold_count) == 0);
}

/*
 * vm_page_cache - move a clean object page to the cache queue, where it
 * can be reclaimed at any time.  A page that cannot go there (wired, held,
 * soft-busied, unqueued, needing a commit) is left alone; a dirty one is
 * deactivated instead.  m hard-busied, in an object, not mapped (the pmap
 * must unmap it first).  The busy is released on return.  Never blocks.
 */
void
vm_page_cache(vm_page_t m)
{
	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_cache: %p not busy",
	    m));
	KASSERT(m->object != NULL, ("vm_page_cache: %p has no object", m));
	KASSERT((vm_page_flags(m) & PG_MAPPED) == 0,
	    ("vm_page_cache: page %p mapped", m));
	if (!vm_page_cache_ok(m) || vm_page_qbase(m) == PQ_CACHE) {
		vm_page_wakeup(m);
		return;
	}
	if (atomic_load_relaxed(&m->dirty) != 0) {
		vm_page_deactivate(m);
		vm_page_wakeup(m);
		return;
	}
	vm_page_spin_lock(m);
	vm_page_rem_queue_spinlocked(m);
	vm_page_add_queue_spinlocked(m, PQ_CACHE + m->pc, 0);
	vm_page_spin_unlock(m);
	VMCNT_ADD(v_tcached, 1);
	vm_page_wakeup(m);
	vm_page_free_wakeup();
}

/*
 * vm_page_try_to_cache - cache m if it is clean and cacheable; a dirty
 * page is deactivated instead.  m hard-busied; the busy is released on
 * return.  Returns TRUE if the page went to the cache.  Never blocks.
 */
int
vm_page_try_to_cache(vm_page_t m)
{
	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_try_to_cache: %p "
	    "not busy", m));
	if (!vm_page_cache_ok(m) || m->object == NULL ||
	    (vm_page_flags(m) & PG_MAPPED) || vm_page_qbase(m) == PQ_CACHE) {
		vm_page_wakeup(m);
		return (FALSE);
	}
	vm_page_test_dirty(m);
	if (atomic_load_relaxed(&m->dirty) != 0) {
		vm_page_deactivate(m);
		vm_page_wakeup(m);
		return (FALSE);
	}
	vm_page_cache(m);
	return (TRUE);
}

/*
 * vm_page_free_ok - may try_to_free free m now?  (Racy until busied.)
 */
static int
vm_page_free_ok(vm_page_t m)
{
	int base = vm_page_qbase(m);

	return (atomic_load_relaxed(&m->dirty) == 0 &&
	    atomic_load_relaxed(&m->hold_count) == 0 &&
	    atomic_load_relaxed(&m->wire_count) == 0 &&
	    (vm_page_flags(m) & (PG_UNQUEUED | PG_NEED_COMMIT |
	    PG_FICTITIOUS | PG_MAPPED)) == 0 &&
	    base != PQ_FREE && base != PQ_HOLD);
}

/*
 * vm_page_try_to_free - free m if it is clean, unwired, unheld, unmapped
 * and can be hard-busied at once.  m not busied by the caller; its object
 * held exclusively or not at all (may block on its token).  Returns TRUE
 * if freed.
 */
int
vm_page_try_to_free(vm_page_t m)
{
	if (!vm_page_free_ok(m) || vm_page_busy_try(m, TRUE))
		return (FALSE);
	vm_page_test_dirty(m);
	if (!vm_page_free_ok(m)) {
		vm_page_wakeup(m);
		return (FALSE);
	}
	vm_page_protect(m, VM_PROT_NONE);
	vm_page_free(m);
	return (TRUE);
}

/*
 * vm_page_dontneed - madvise(MADV_DONTNEED) on m: now and then leave it
 * alone (only aging it); otherwise deactivate it, at the head of the
 * inactive queue 28 times in 32 for a clean page (as good as caching it)
 * and at the tail otherwise.  m busied (hard or soft); never blocks.
 */
void
vm_page_dontneed(vm_page_t m)
{
	struct vm_page_pcpu *pc = &vm_page_pcpu[mycpuid];
	unsigned int dnw = ++pc->dnweight;
	int base = vm_page_qbase(m);
	int head;

	VM_PAGE_ASSERT_BUSIED(m, "vm_page_dontneed");
	vm_page_spin_lock(m);
	if ((dnw & 0x01F0) == 0 || base == PQ_INACTIVE || base == PQ_CACHE) {
		if (m->act_count >= ACT_INIT)
			m->act_count--;
		vm_page_spin_unlock(m);
		return;
	}
	vm_page_flag_clear(m, PG_REFERENCED);
	vm_page_spin_unlock(m);
	if (atomic_load_relaxed(&m->dirty) == 0)
		vm_page_test_dirty(m);
	head = !(atomic_load_relaxed(&m->dirty) || (dnw & 0x0070) == 0);
	vm_page_spin_lock(m);
	vm_page_deactivate_spinlocked(m, head);
	vm_page_spin_unlock(m);
}

/*
 * vm_page_need_commit - m is clean in memory but its backing store (NFS,
 * tmpfs) has not committed it: it must not be reclaimed.  Marks the
 * object possibly dirty.  m busied; never blocks.
 */
void
vm_page_need_commit(vm_page_t m)
{
	vm_page_flag_set(m, PG_NEED_COMMIT);
	if (m->object != NULL)
		vm_object_set_writeable_dirty(m->object);
}

/* vm_page_clear_commit - the commit happened.  m busied. */
void
vm_page_clear_commit(vm_page_t m)
{
	vm_page_flag_clear(m, PG_NEED_COMMIT);
}

/*
 * vm_page_unqueue_nowakeup - take m off its paging queue.  No
 * requirements beyond a stable page (busied or otherwise owned).
 */
void
vm_page_unqueue_nowakeup(vm_page_t m)
{
	vm_page_spin_lock(m);
	vm_page_rem_queue_spinlocked(m);
	vm_page_spin_unlock(m);
}

/*
 * vm_page_unqueue - the same; taking a page off FREE or CACHE may leave
 * memory short, so the pagedaemon is considered.
 */
void
vm_page_unqueue(vm_page_t m)
{
	int oqueue;

	vm_page_spin_lock(m);
	oqueue = vm_page_rem_queue_spinlocked(m);
	vm_page_spin_unlock(m);
	if (oqueue == PQ_FREE || oqueue == PQ_CACHE)
		pagedaemon_wakeup();
}

/*
 * ===================================================================
 * Objects: insert, remove, rename, lookup, the page hash
 * ===================================================================
 */

/* vm_page_hash_set - the first way of the set (object, pindex) maps to. */
static __inline struct vm_page_hash_elm *
vm_page_hash_set(vm_object_t object, vm_pindex_t pindex)
{
	uint64_t h = ((uint64_t)(uintptr_t)object >> 6) *
	    0x9E3779B97F4A7C15ULL;

	h ^= pindex * 0xC2B2AE3D27D4EB4FULL;
	h ^= h >> 29;
	return (&vm_page_hash[(long)h & vm_page_hash_mask &
	    ~(long)(VM_PAGE_HASH_SET - 1)]);
}

/*
 * vm_page_hash_touch - make way w the most recently used of its set: its
 * age becomes one more than the set's newest (no store if it already is
 * the newest, so a hot page costs no write).  Ages are renormalized long
 * before they could wrap.  Never blocks; races only blur the order.
 */
static void
vm_page_hash_touch(struct vm_page_hash_elm *set, int w)
{
	unsigned int top = 0, low = UINT32_MAX, u;
	int i;

	for (i = 0; i < VM_PAGE_HASH_SET; i++) {
		u = atomic_load_relaxed(&set[i].age);
		top = MAX(top, u);
		low = MIN(low, u);
	}
	if (atomic_load_relaxed(&set[w].age) == top && top != 0)
		return;
	if (top >= (1U << 30)) {
		for (i = 0; i < VM_PAGE_HASH_SET; i++)
			atomic_store_relaxed(&set[i].age,
			    atomic_load_relaxed(&set[i].age) - low);
		top -= low;
	}
	atomic_store_relaxed(&set[w].age, top + 1);
}

/*
 * vm_page_hash_enter - remember m under (m->object, m->pindex) in the
 * lockless lookup hash, replacing the least recently used way of its set.
 * m in an object whose token is held.  Never blocks.
 */
static void
vm_page_hash_enter(vm_page_t m)
{
	struct vm_page_hash_elm *set;
	int i, w = 0;

	if (vm_page_hash == NULL)
		return;
	if ((atomic_load_relaxed(&m->object->flags) & OBJ_HASHED) == 0)
		vm_object_set_flag(m->object, OBJ_HASHED);
	set = vm_page_hash_set(m->object, m->pindex);
	for (i = 0; i < VM_PAGE_HASH_SET; i++) {
		if (atomic_load_relaxed(&set[i].m) == m) {
			w = i;
			break;
		}
		if (atomic_load_relaxed(&set[i].age) <
		    atomic_load_relaxed(&set[w].age))
			w = i;
	}
	if (atomic_load_relaxed(&set[w].m) != m ||
	    atomic_load_relaxed(&set[w].object) != m->object ||
	    atomic_load_relaxed(&set[w].pindex) != m->pindex) {
		atomic_store_relaxed(&set[w].m, m);
		atomic_store_relaxed(&set[w].object, m->object);
		atomic_store_relaxed(&set[w].pindex, m->pindex);
	}
	vm_page_hash_touch(set, w);
}

/*
 * vm_page_hash_get - lockless heuristic lookup of (object, pindex),
 * without the object's token.  A hit is soft-busied and verified to still
 * be that page.  No requirements; never blocks.  Returns the page
 * soft-busied, or NULL (a miss says nothing: use vm_page_lookup).
 */
vm_page_t
vm_page_hash_get(vm_object_t object, vm_pindex_t pindex)
{
	struct vm_page_hash_elm *set;
	vm_page_t m;
	int i;

	if (vm_page_hash == NULL || object == NULL)
		return (NULL);
	/*
	 * No page of the object was ever entered: no way can match, and
	 * probing its set would be a random cache miss (most zero-fill and
	 * copy-on-write faults: their head pages are inserted, never looked
	 * up, so the bypass would always probe in vain).
	 */
	if ((atomic_load_relaxed(&object->flags) & OBJ_HASHED) == 0)
		return (NULL);
	set = vm_page_hash_set(object, pindex);
	for (i = 0; i < VM_PAGE_HASH_SET; i++) {
		if (atomic_load_relaxed(&set[i].object) != object ||
		    atomic_load_relaxed(&set[i].pindex) != pindex)
			continue;
		m = atomic_load_ptr(&set[i].m);
		if (m == NULL || vm_page_sbusy_try(m))
			continue;
		if (atomic_load_relaxed(&m->object) == object &&
		    atomic_load_relaxed(&m->pindex) == pindex) {
			vm_page_hash_touch(set, i);
			return (m);
		}
		vm_page_sbusy_drop(m);
	}
	return (NULL);
}

/* Which child slot of its parent a missing page would take. */
#define VM_PAGE_RB_LEFT		0
#define VM_PAGE_RB_RIGHT	1

static vm_page_t vm_page_rb_slot(vm_object_t object, vm_pindex_t pindex,
    vm_page_t *parentp, int *sidep);

/*
 * vm_page_rb_link - hang m (m->pindex set) in the empty slot `side' of
 * parent (the root if parent is NULL), then rebalance: RB_INSERT's work
 * once the slot is known.  object held exclusively.
 */
static void
vm_page_rb_link(vm_object_t object, vm_page_t m, vm_page_t parent, int side)
{
	RB_SET(m, parent, rb_entry);
	if (parent == NULL)
		RB_ROOT(&object->rb_memq) = m;
	else if (side == VM_PAGE_RB_RIGHT)
		RB_RIGHT(parent, rb_entry) = m;
	else
		RB_LEFT(parent, rb_entry) = m;
	vm_page_rb_tree_RB_INSERT_COLOR(&object->rb_memq, m);
}

/*
 * vm_page_insert - make m the page at (object, pindex).  object held
 * exclusively, m hard-busied and in no object.  Never blocks.  Returns
 * TRUE, or FALSE (nothing changed) if the object already has a page there.
 */
int
vm_page_insert(vm_page_t m, vm_object_t object, vm_pindex_t pindex)
{
	vm_page_t parent;
	int side;

	VM_OBJECT_ASSERT_HELD_EXCL(object);
	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_insert: %p not busy",
	    m));
	KASSERT(m->object == NULL, ("vm_page_insert: %p already in %p", m,
	    m->object));
	if (vm_page_rb_slot(object, pindex, &parent, &side) != NULL)
		return (FALSE);
	m->pindex = pindex;
	vm_page_rb_link(object, m, parent, side);
	if (object->rb_max == NULL || pindex > object->rb_max->pindex)
		object->rb_max = m;
	atomic_store_relaxed(&object->rb_cursor, m);
	atomic_store_relaxed(&m->object, object);
	object->resident_page_count++;
	object->generation++;
	if (atomic_load_relaxed(&m->dirty) != 0 ||
	    (vm_page_flags(m) & PG_NEED_COMMIT))
		vm_object_set_writeable_dirty(object);
	return (TRUE);
}

/*
 * vm_page_remove - take m out of its object (nothing if it has none).
 * m hard-busied; its object held exclusively or not at all (it is held
 * here, which may block).
 */
void
vm_page_remove(vm_page_t m)
{
	vm_object_t object = m->object;

	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_remove: %p not busy",
	    m));
	if (object == NULL)
		return;
	vm_object_hold(object);
	KASSERT(m->object == object, ("vm_page_remove: %p moved", m));
	if (object->rb_max == m)
		object->rb_max = RB_PREV(vm_page_rb_tree, &object->rb_memq, m);
	if (atomic_load_relaxed(&object->rb_cursor) == m)
		atomic_store_relaxed(&object->rb_cursor, object->rb_max);
	RB_REMOVE(vm_page_rb_tree, &object->rb_memq, m);
	object->resident_page_count--;
	object->generation++;
	atomic_store_relaxed(&m->object, NULL);
	vm_object_drop(object);
}

/*
 * vm_page_rename - move m to (new_object, new_pindex).  Its swap backing
 * (if any) is lost, so it is dirtied; a cache page is deactivated.  m
 * hard-busied; both objects held exclusively.  Panics if the target is
 * taken.  Never blocks.
 */
void
vm_page_rename(vm_page_t m, vm_object_t new_object, vm_pindex_t new_pindex)
{
	KASSERT(PG_BUSY(m) & PBUSY_LOCKED, ("vm_page_rename: %p not busy",
	    m));
	VM_OBJECT_ASSERT_HELD_EXCL(new_object);
	if (m->object != NULL) {
		VM_OBJECT_ASSERT_HELD_EXCL(m->object);
		vm_page_remove(m);
	}
	if (!vm_page_insert(m, new_object, new_pindex))
		panic("vm_page_rename: %p/%ju already has a page", new_object,
		    (uintmax_t)new_pindex);
	if (vm_page_qbase(m) == PQ_CACHE)
		vm_page_deactivate(m);
	vm_page_dirty(m);
}

/*
 * vm_page_lookup - the page at (object, pindex), or NULL.  object held
 * (shared is enough).  The page is returned as found (not busied: the
 * caller must busy it and re-check).  Never blocks.
 */
vm_page_t
vm_page_lookup(vm_object_t object, vm_pindex_t pindex)
{
	vm_page_t m;

	m = vm_page_lookup_nohash(object, pindex);
	if (m != NULL)
		vm_page_hash_enter(m);
	return (m);
}

/*
 * vm_page_cursor_set - make m the object's cursor, unless other threads
 * hold the object too (shared): then each lookup storing its own page
 * would only move the line between their CPUs and the others' cursor
 * away from their runs.  object held.
 */
static __inline void
vm_page_cursor_set(vm_object_t object, vm_page_t m)
{
	long c = atomic_load_relaxed(&object->token.t_count) & ~TOK_EXCLREQ;

	if ((c == TOK_INCR || c == TOK_EXCLUSIVE) &&
	    atomic_load_relaxed(&object->rb_cursor) != m)
		atomic_store_relaxed(&object->rb_cursor, m);
}

/*
 * vm_page_lookup_near - the lookups rb_max and rb_cursor settle without a
 * walk from the root (vm_object.h): past the last page, at the cursor, or
 * at or before the cursor's successor.  TRUE if settled, with *mp the
 * page or NULL and, on a miss, *parentp and *sidep where it would hang;
 * FALSE if the tree must be walked.  object held (shared is enough).
 */
static __inline int
vm_page_lookup_near(vm_object_t object, vm_pindex_t pindex, vm_page_t *mp,
    vm_page_t *parentp, int *sidep)
{
	vm_page_t max = object->rb_max, c, n;

	*mp = NULL;
	if (max == NULL || pindex > max->pindex) {
		*parentp = max;
		*sidep = VM_PAGE_RB_RIGHT;
		return (TRUE);
	}
	c = atomic_load_relaxed(&object->rb_cursor);
	if (c == NULL || c->pindex > pindex)
		return (FALSE);
	if (c->pindex == pindex) {
		*mp = c;
		return (TRUE);
	}
	/* c < pindex <= max, so c has a successor. */
	n = RB_NEXT(vm_page_rb_tree, &object->rb_memq, c);
	if (n->pindex < pindex)
		return (FALSE);
	if (n->pindex == pindex) {
		vm_page_cursor_set(object, n);
		*mp = n;
		return (TRUE);
	}
	/*
	 * Between c and n: n is the leftmost page of c's right subtree if c
	 * has one (then n has no left child), else c has no right child.
	 */
	if (RB_RIGHT(c, rb_entry) == NULL) {
		*parentp = c;
		*sidep = VM_PAGE_RB_RIGHT;
	} else {
		*parentp = n;
		*sidep = VM_PAGE_RB_LEFT;
	}
	return (TRUE);
}

/*
 * vm_page_rb_slot - the page at (object, pindex); or NULL, with *parentp
 * and *sidep the empty slot where it would hang (parent NULL: the root).
 * rb_max and rb_cursor settle it when they can, else a walk from the
 * root.  object held (shared is enough).  Never blocks.
 */
static vm_page_t
vm_page_rb_slot(vm_object_t object, vm_pindex_t pindex, vm_page_t *parentp,
    int *sidep)
{
	vm_page_t m;

	*parentp = NULL;
	*sidep = VM_PAGE_RB_LEFT;
	if (vm_page_lookup_near(object, pindex, &m, parentp, sidep))
		return (m);
	m = RB_ROOT(&object->rb_memq);
	while (m != NULL && m->pindex != pindex) {
		*parentp = m;
		*sidep = pindex < m->pindex ? VM_PAGE_RB_LEFT :
		    VM_PAGE_RB_RIGHT;
		m = *sidep == VM_PAGE_RB_LEFT ? RB_LEFT(m, rb_entry) :
		    RB_RIGHT(m, rb_entry);
	}
	if (m != NULL)
		vm_page_cursor_set(object, m);
	return (m);
}

/*
 * vm_page_lookup_nohash - vm_page_lookup without remembering the page in
 * the lockless hash, for a caller that is about to stop using it (a
 * copy-on-write fault copying it out of a backing object): entering it
 * would cost a random cache miss and evict a way a bypass could use.
 * object held (shared is enough).  Never blocks.
 */
vm_page_t
vm_page_lookup_nohash(vm_object_t object, vm_pindex_t pindex)
{
	vm_page_t parent;
	int side;

	ASSERT_LWKT_TOKEN_HELD_OBJ(object);
	return (vm_page_rb_slot(object, pindex, &parent, &side));
}

/*
 * vm_page_lookup_busy_wait - look up and hard-busy the page at (object,
 * pindex), sleeping while it is busy (soft busy too, if also_m_busy) and
 * looking again after each sleep.  object held; may block.  Returns the
 * page hard-busied, or NULL if there is none.
 */
vm_page_t
vm_page_lookup_busy_wait(vm_object_t object, vm_pindex_t pindex,
    int also_m_busy, const char *msg)
{
	vm_page_t m;
	uint32_t o;

	ASSERT_LWKT_TOKEN_HELD_OBJ(object);
	while ((m = vm_page_lookup(object, pindex)) != NULL) {
		o = atomic_load_relaxed(&m->busy_count);
		if (vm_page_busy_conflict(o, also_m_busy)) {
			vm_page_busy_sleep(m, o, msg);
			continue;
		}
		if (atomic_cmpset_int(&m->busy_count, o, o | PBUSY_LOCKED))
			break;
	}
	return (m);
}

/*
 * vm_page_lookup_busy_try - look up and try to hard-busy the page at
 * (object, pindex).  object held; never blocks.  Returns NULL if absent;
 * else the page, with *errorp FALSE if it is now hard-busied by the caller
 * or TRUE if it was busy (not busied then).
 */
vm_page_t
vm_page_lookup_busy_try(vm_object_t object, vm_pindex_t pindex,
    int also_m_busy, int *errorp)
{
	vm_page_t m;

	ASSERT_LWKT_TOKEN_HELD_OBJ(object);
	*errorp = FALSE;
	m = vm_page_lookup(object, pindex);
	if (m != NULL && vm_page_busy_try(m, also_m_busy))
		*errorp = TRUE;
	return (m);
}

/* Is [pgoff, pgoff+pgbytes) of m valid, and m a real page? */
static __inline int
vm_page_sbusy_usable(vm_page_t m, int pgoff, int pgbytes)
{
	if (vm_page_flags(m) & PG_FICTITIOUS)
		return (FALSE);
	return (atomic_load_relaxed(&m->valid) == VM_PAGE_BITS_ALL ||
	    vm_page_is_valid(m, pgoff, pgbytes));
}

/*
 * vm_page_lookup_sbusy_try - look up (object, pindex) and soft-busy it if
 * [pgoff, pgoff+pgbytes) is valid and it is not hard-busied.  object held;
 * never blocks.  Returns the page soft-busied, or NULL.
 */
vm_page_t
vm_page_lookup_sbusy_try(vm_object_t object, vm_pindex_t pindex,
    int pgoff, int pgbytes)
{
	vm_page_t m;

	ASSERT_LWKT_TOKEN_HELD_OBJ(object);
	m = vm_page_lookup(object, pindex);
	if (m == NULL || !vm_page_sbusy_usable(m, pgoff, pgbytes) ||
	    vm_page_sbusy_try(m))
		return (NULL);
	if (!vm_page_sbusy_usable(m, pgoff, pgbytes)) {
		vm_page_sbusy_drop(m);
		return (NULL);
	}
	return (m);
}

/*
 * ===================================================================
 * Valid and dirty bits (one per DEV_BSIZE chunk)
 * ===================================================================
 */

/*
 * vm_page_bits - the chunk bits covering bytes [base, base+size) of a
 * page.  Partly covered chunks count.  No requirements.
 */
int
vm_page_bits(int base, int size)
{
	int first, last;

	KASSERT(base >= 0 && size >= 0 && base + size <= (int)PAGE_SIZE,
	    ("vm_page_bits: bad range %d+%d", base, size));
	if (size == 0)
		return (0);
	first = base >> DEV_BSHIFT;
	last = (base + size - 1) >> DEV_BSHIFT;
	return ((2 << last) - (1 << first));
}

/*
 * vm_page_zero_edges - before [base, base+size) becomes valid, zero the
 * uncovered part of a partly covered chunk at either end, if that chunk
 * was not valid already: a valid chunk never holds stale bytes.
 */
static void
vm_page_zero_edges(vm_page_t m, int base, int size)
{
	char *p = vm_page_data(m);
	int valid = atomic_load_relaxed(&m->valid);
	int frag, end;

	if (size == 0)
		return;
	frag = base & ~(DEV_BSIZE - 1);
	if (frag != base && (valid & (1 << (base >> DEV_BSHIFT))) == 0)
		memset(p + frag, 0, (size_t)(base - frag));
	end = base + size;
	frag = end & ~(DEV_BSIZE - 1);
	if (frag != end && (valid & (1 << (end >> DEV_BSHIFT))) == 0)
		memset(p + end, 0, (size_t)(DEV_BSIZE - (end - frag)));
}

/*
 * vm_page_set_valid - mark [base, base+size) valid, zeroing the rest of
 * partly covered chunks that were invalid.  m hard-busied.
 */
void
vm_page_set_valid(vm_page_t m, int base, int size)
{
	vm_page_zero_edges(m, base, size);
	atomic_set_int(&m->valid, (uint8_t)vm_page_bits(base, size));
}

/*
 * vm_page_set_validclean - set_valid and clear the range's dirty bits.
 * (Clearing the pmap's modified bits for a whole page comes with the
 * pmap.)  m hard-busied.
 */
void
vm_page_set_validclean(vm_page_t m, int base, int size)
{
	int bits = vm_page_bits(base, size);

	vm_page_zero_edges(m, base, size);
	atomic_set_int(&m->valid, (uint8_t)bits);
	atomic_clear_int(&m->dirty, (uint8_t)bits);
	if (base == 0 && size == (int)PAGE_SIZE)
		vm_page_flag_clear(m, PG_NOSYNC);
}

/*
 * vm_page_set_validdirty - set_valid and set the range's dirty bits,
 * marking the object possibly dirty.  m hard-busied.
 */
void
vm_page_set_validdirty(vm_page_t m, int base, int size)
{
	int bits = vm_page_bits(base, size);

	vm_page_zero_edges(m, base, size);
	atomic_set_int(&m->valid, (uint8_t)bits);
	atomic_set_int(&m->dirty, (uint8_t)bits);
	if (m->object != NULL)
		vm_object_set_writeable_dirty(m->object);
}

/*
 * vm_page_set_invalid - clear valid and dirty bits of every chunk the
 * range touches.  m hard-busied.
 */
void
vm_page_set_invalid(vm_page_t m, int base, int size)
{
	int bits = vm_page_bits(base, size);

	atomic_clear_int(&m->valid, (uint8_t)bits);
	atomic_clear_int(&m->dirty, (uint8_t)bits);
	if (m->object != NULL)
		m->object->generation++;
}

/*
 * vm_page_clear_dirty - clear the dirty bits of every chunk the range
 * touches.  m hard-busied.
 */
void
vm_page_clear_dirty(vm_page_t m, int base, int size)
{
	atomic_clear_int(&m->dirty, (uint8_t)vm_page_bits(base, size));
}

/*
 * vm_page_is_valid - is every chunk the range touches valid?  (An empty
 * range is valid if any chunk is.)  m busied.
 */
int
vm_page_is_valid(vm_page_t m, int base, int size)
{
	int bits = vm_page_bits(base, size);
	int valid = atomic_load_relaxed(&m->valid);

	return (valid != 0 && (valid & bits) == bits);
}

/*
 * vm_page_zero_invalid - zero every chunk that is not valid; with
 * setvalid, then mark the whole page valid.  m hard-busied.
 */
void
vm_page_zero_invalid(vm_page_t m, int setvalid)
{
	char *p = vm_page_data(m);
	int valid = atomic_load_relaxed(&m->valid);
	int b, e;

	for (b = 0; b < (int)(PAGE_SIZE / DEV_BSIZE); b = e) {
		for (e = b; e < (int)(PAGE_SIZE / DEV_BSIZE) &&
		    (valid & (1 << e)) == 0; e++)
			;
		if (e > b)
			memset(p + (b << DEV_BSHIFT), 0,
			    (size_t)(e - b) << DEV_BSHIFT);
		else
			e = b + 1;
	}
	if (setvalid)
		atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
}

/*
 * vm_page_test_dirty - pick up modifications made through mappings: a
 * page some pte has the modified bit set for becomes wholly dirty.  m
 * busied; may block briefly (pmap_is_modified).
 */
void
vm_page_test_dirty(vm_page_t m)
{
	VM_PAGE_ASSERT_BUSIED(m, "vm_page_test_dirty");
	if (atomic_load_relaxed(&m->dirty) != VM_PAGE_BITS_ALL &&
	    pmap_is_modified(m))
		vm_page_dirty(m);
}

/*
 * vm_page_dirty - mark the whole page dirty and its object possibly
 * dirty.  Not for cache pages.  m busied, or writeable-mapped (rule 3).
 */
void
vm_page_dirty(vm_page_t m)
{
	vm_object_t object;

	KASSERT(vm_page_qbase(m) != PQ_CACHE,
	    ("vm_page_dirty: page %p in cache", m));
	atomic_store_relaxed(&m->dirty, VM_PAGE_BITS_ALL);
	object = atomic_load_relaxed(&m->object);
	if (object != NULL)
		vm_object_set_writeable_dirty(object);
}

/*
 * ===================================================================
 * Audit
 * ===================================================================
 */

struct vm_page_audit_ctx {
	int	problems;
	long	cached;			/* pages in CPU caches */
	long	flagged;		/* pages with PG_PCPUCACHE */
	long	counts[PQ_COUNT];	/* pages each sub-queue lists */
	long	qtotal[5];		/* per base: FREE .. HOLD */
};

/* vm_page_audit_fail - count a problem and describe the first 20. */
static void __printflike(2, 3)
vm_page_audit_fail(struct vm_page_audit_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	char line[256];

	ctx->problems++;
	if (ctx->problems > 20)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kprintf("vm_page_audit: %s\n", line);
}

/*
 * vm_page_audit_queued - check one page found on sub-queue q against the
 * state its queue type promises (invariants 3-5).
 */
static void
vm_page_audit_queued(struct vm_page_audit_ctx *ctx, vm_page_t m, int q)
{
	int base = q - m->pc;
	uint32_t busy = atomic_load_relaxed(&m->busy_count);

	if (m->queue != q)
		vm_page_audit_fail(ctx, "page %p on queue %d says %d", m, q,
		    m->queue);
	if (base == PQ_FREE && (m->object != NULL || PG_WIRE(m) ||
	    PG_HOLD(m) || busy || PG_VALID(m) || PG_DIRTY(m) || vm_page_flags(m)))
		vm_page_audit_fail(ctx, "free page %p: obj %p wire %u hold %d "
		    "busy %#x valid %#x dirty %#x flags %#x", m, m->object,
		    PG_WIRE(m), PG_HOLD(m), busy, PG_VALID(m), PG_DIRTY(m),
		    vm_page_flags(m));
	if (base == PQ_HOLD && (m->object != NULL || busy))
		vm_page_audit_fail(ctx, "held free page %p: obj %p busy %#x",
		    m, m->object, busy);
	if (base == PQ_CACHE && (m->object == NULL || PG_DIRTY(m) ||
	    PG_WIRE(m) || PG_HOLD(m)))
		vm_page_audit_fail(ctx, "cache page %p: obj %p dirty %#x "
		    "wire %u hold %d", m, m->object, PG_DIRTY(m), PG_WIRE(m),
		    PG_HOLD(m));
}

/*
 * vm_page_audit_queues - walk every sub-queue: lcnt against the list,
 * each member against the queue (invariant 1).
 */
static void
vm_page_audit_queues(struct vm_page_audit_ctx *ctx)
{
	struct vpgqueues *pq;
	vm_page_t m;
	long n;
	int q;

	for (q = 1; q < PQ_COUNT; q++) {
		pq = &vm_page_queues[q];
		n = 0;
		spin_lock(&pq->spin);
		TAILQ_FOREACH(m, &pq->pl, pageq) {
			if (vm_page_flags(m) & PG_MARKER)
				continue;
			n++;
			vm_page_audit_queued(ctx, m, q);
		}
		if (n != pq->lcnt)
			vm_page_audit_fail(ctx, "queue %d: lcnt %ld, %ld "
			    "listed", q, pq->lcnt, n);
		spin_unlock(&pq->spin);
		ctx->counts[q] = n;
		ctx->qtotal[(q - 1) / PQ_L2_SIZE] += n;
	}
}

/*
 * vm_page_audit_page - one materialized page: its queue index and
 * busy/wire/hold state.  Adds it to *wiredp if wired.
 */
static void
vm_page_audit_page(struct vm_page_audit_ctx *ctx, vm_page_t m, long *onq,
    long *wiredp)
{
	uint32_t busy = atomic_load_relaxed(&m->busy_count);
	int q = atomic_load_relaxed(&m->queue);

	if (q != PQ_NONE) {
		if (q >= PQ_COUNT || (q - 1) % PQ_L2_SIZE != m->pc)
			vm_page_audit_fail(ctx, "page %p: queue %d, color %d",
			    m, q, m->pc);
		else
			onq[q]++;
	}
	if (PG_WIRE(m))
		(*wiredp)++;
	if ((int)PG_WIRE(m) < 0 || PG_HOLD(m) < 0)
		vm_page_audit_fail(ctx, "page %p: wire %u hold %d", m,
		    PG_WIRE(m), PG_HOLD(m));
	if ((busy & PBUSY_MASK) > 0x10000)
		vm_page_audit_fail(ctx, "page %p: soft-busy count %#x", m,
		    busy & PBUSY_MASK);
	if ((busy & PBUSY_WANTED) && !(busy & (PBUSY_LOCKED | PBUSY_MASK)))
		vm_page_audit_fail(ctx, "page %p: WANTED but not busy", m);
	if (m->object != NULL && m->object->resident_page_count <= 0)
		vm_page_audit_fail(ctx, "page %p: object %p has no pages", m,
		    m->object);
	if (vm_page_flags(m) & PG_PCPUCACHE)
		ctx->flagged++;
	if (m->object == NULL && q == PQ_NONE && busy == 0 &&
	    PG_WIRE(m) == 0 && PG_HOLD(m) == 0 &&
	    !(vm_page_flags(m) & (PG_FICTITIOUS | PG_UNQUEUED |
	    PG_PCPUCACHE)))
		vm_page_audit_fail(ctx, "page %p: orphan (no object, queue, "
		    "busy or wiring)", m);
}

/*
 * vm_page_audit_pcpu - every page in a CPU cache is free (invariant 5b).
 */
static void
vm_page_audit_pcpu(struct vm_page_audit_ctx *ctx)
{
	struct vm_page_pcpu *pc;
	vm_page_t m;
	int cpu, i;

	for (cpu = 0; cpu < ncpus; cpu++) {
		pc = &vm_page_pcpu[cpu];
		for (i = 0; i < pc->ncache; i++) {
			m = pc->cache[i];
			ctx->cached++;
			if (m->queue != PQ_NONE || m->object != NULL ||
			    PG_WIRE(m) || PG_BUSY(m) || PG_VALID(m) ||
			    PG_DIRTY(m) || vm_page_flags(m) != PG_PCPUCACHE)
				vm_page_audit_fail(ctx, "cpu %d cached page %p: "
				    "queue %d obj %p wire %u busy %#x flags %#x",
				    cpu, m, m->queue, m->object, PG_WIRE(m),
				    PG_BUSY(m), vm_page_flags(m));
		}
	}
}

/*
 * vm_page_audit_stats - rolled-up vmstats against the counts found.
 */
static void
vm_page_audit_stats(struct vm_page_audit_ctx *ctx, long wired)
{
	static const char *names[] = { "free", "inactive", "active", "cache",
	    "hold" };
	long want[5];
	int i;

	vmstats_rollup();
	want[0] = vmstats.v_free_count;
	want[1] = vmstats.v_inactive_count;
	want[2] = vmstats.v_active_count;
	want[3] = vmstats.v_cache_count;
	want[4] = vmstats.v_hold_count;
	ctx->qtotal[0] += vm_page_array_size - vm_page_materialized() +
	    ctx->cached;
	if (ctx->flagged != ctx->cached)
		vm_page_audit_fail(ctx, "%ld pages flagged PG_PCPUCACHE, %ld "
		    "in CPU caches", ctx->flagged, ctx->cached);
	for (i = 0; i < 5; i++)
		if (want[i] != ctx->qtotal[i])
			vm_page_audit_fail(ctx, "vmstats %s count %ld, queues "
			    "hold %ld", names[i], want[i], ctx->qtotal[i]);
	if (vmstats.v_wire_count != wired)
		vm_page_audit_fail(ctx, "vmstats wire count %ld, %ld pages "
		    "wired", vmstats.v_wire_count, wired);
}

/*
 * vm_page_audit - see vm_page.h.  Returns the number of problems found.
 * No spinlocks held; never blocks.  Exact only while no other thread
 * changes pages.
 */
int
vm_page_audit(void)
{
	struct vm_page_audit_ctx *ctx;
	long *onq, wired = 0, idx, n;
	int q, problems;

	if (vm_page_array == NULL)
		return (0);
	ctx = calloc(1, sizeof(*ctx));
	onq = calloc(PQ_COUNT, sizeof(*onq));
	if (ctx == NULL || onq == NULL)
		panic("vm_page_audit: out of host memory");
	vm_page_audit_queues(ctx);
	vm_page_audit_pcpu(ctx);
	n = vm_page_materialized();
	for (idx = 0; idx < n; idx++)
		vm_page_audit_page(ctx, &vm_page_array[idx], onq, &wired);
	for (q = 1; q < PQ_COUNT; q++)
		if (onq[q] != ctx->counts[q])
			vm_page_audit_fail(ctx, "queue %d: %ld pages say they "
			    "are on it, %ld listed", q, onq[q],
			    ctx->counts[q]);
	vm_page_audit_stats(ctx, wired);
	problems = ctx->problems;
	free(onq);
	free(ctx);
	return (problems);
}
