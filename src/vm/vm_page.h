/*
 * vm_page.h - physical pages (DragonFly's vm/vm_page.h).
 *
 * Physical memory is one host allocation of vm_page_array_size pages.  A
 * page's physical address is its offset in that allocation plus
 * VM_PHYS_BASE, and PHYS_TO_VM_PAGE() / VM_PAGE_TO_PHYS() convert.  The
 * page's bytes are reached through vm_page_data(m) (the kernel's direct
 * map).
 *
 * Each page is on at most one queue: PQ_FREE, PQ_CACHE, PQ_INACTIVE,
 * PQ_ACTIVE or PQ_HOLD, each split into PQ_L2_SIZE colored sub-queues with
 * their own spinlock, so that CPUs working on different colors never touch
 * the same lock.  m->queue is base + color, or PQ_NONE.
 *
 * Life cycle (the function that makes each move):
 *
 *            vm_page_alloc                 vm_page_activate
 *   PQ_FREE ---------------> (busy, PQ_NONE) ------------> PQ_ACTIVE
 *      ^                          |                         |    ^
 *      |  vm_page_free            | vm_page_deactivate      |    | activate
 *      +--------------------------+                         v    |
 *      |                   vm_page_deactivate          PQ_INACTIVE
 *      |                                                    |
 *      |  vm_page_free    PQ_CACHE <------------------------+
 *      +---------------------'        vm_page_cache (clean pages only)
 *   PQ_HOLD: a page freed while held waits here until vm_page_unhold.
 *   Wired pages stay on their queue; the pageout scan drops them lazily.
 *   A free page may also sit in its CPU's small page cache (PG_PCPUCACHE,
 *   on no queue, still counted free): see the design note in vm_page.c.
 *
 * Locking rules (DragonFly's, numbered for reference):
 *   1. Hard busy (PBUSY_LOCKED) is required to change object/pindex,
 *      wire_count 0 <-> non-0, valid, and to clear PG_MAPPED/PG_WRITEABLE.
 *   2. Soft busy (the PBUSY_MASK count) is enough to set PG_MAPPED and
 *      PG_WRITEABLE, and to map the page.
 *   3. hold_count, PG_REFERENCED (if mapped) and dirty (if writeable)
 *      change with atomics and no busy.
 *   4. Queue changes need m->spin and then the sub-queue's spinlock, in
 *      that order.
 *   5. Insert/remove in an object's tree need the object token held
 *      exclusively and the page hard-busied.
 *
 * Lock legend for struct vm_page:
 *   (q) m->spin + queue spinlock   (o) object token   (b) hard busy
 *   (a) atomic                     (c) constant after boot
 */
#ifndef _VM_VM_PAGE_H_
#define _VM_VM_PAGE_H_

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include "kern/spinlock.h"
#include "kern/vmmeter.h"
#include "vm/vm.h"
#include "vm/vm_object.h"
#include "vm/pmap.h"

struct globaldata;

/*
 * The first cache line holds what a walk of an object's tree reads of
 * each node it passes (the links and pindex), so that a walk through
 * cold pages misses once per level, not twice.
 */
struct vm_page {
	TAILQ_ENTRY(vm_page) pageq;	/* (q) queue linkage */
	RB_ENTRY(vm_page) rb_entry;	/* (o) object's tree */
	vm_pindex_t	pindex;		/* (o,b) index in object */
	struct vm_object *object;	/* (o,b) containing object */
	struct md_page	md;		/* (a) pmap's per-page data */
	vm_paddr_t	phys_addr;	/* (c) */
	uint32_t	wire_count;	/* (a) wirings */
	uint32_t	busy_count;	/* (a) PBUSY_* + soft-busy count */
	int		hold_count;	/* (a) holds, keep from reuse */
	uint32_t	flags;		/* (a) PG_* */
	uint16_t	queue;		/* (q) PQ_* base + color */
	uint16_t	pc;		/* (c) page color */
	uint8_t		act_count;	/* (q) activity, 0..ACT_MAX */
	uint8_t		pat_mode;	/* (b) memory attribute */
	uint8_t		valid;		/* (b) valid DEV_BSIZE chunks */
	uint8_t		dirty;		/* (a) dirty DEV_BSIZE chunks */
	int		ku_pagecnt;	/* unused: kmalloc helper in DragonFly */
	struct spinlock	spin;		/* queue changes only */
} __attribute__((aligned(128)));

_Static_assert(sizeof(struct vm_page) == 128, "struct vm_page is 128 bytes");
_Static_assert(offsetof(struct vm_page, pindex) + sizeof(vm_pindex_t) <= 64,
    "an object's tree walk reads one line per page");

TAILQ_HEAD(pglist, vm_page);
RB_PROTOTYPE(vm_page_rb_tree, vm_page, rb_entry, rb_vm_page_compare);

/* busy_count */
#define PBUSY_LOCKED	0x80000000U	/* hard busy */
#define PBUSY_WANTED	0x40000000U	/* a thread sleeps on the page */
#define PBUSY_SWAPINPROG 0x20000000U	/* swap I/O in progress */
#define PBUSY_MASK	0x1FFFFFFFU	/* soft-busy count */

/* flags */
#define PG_PCPUCACHE	0x00000001	/* free, in a CPU's page cache */
#define PG_UNUSED0002	0x00000002
#define PG_WINATCFLS	0x00000004	/* dirty: second trip on inactive */
#define PG_FICTITIOUS	0x00000008	/* not in vm_page_array */
#define PG_WRITEABLE	0x00000010	/* may be writeable in some pte */
#define PG_MAPPED	0x00000020	/* may be mapped in some pmap */
#define PG_MAPPEDMULTI	0x00000040	/* may be mapped more than once */
#define PG_REFERENCED	0x00000080	/* accessed bit synced from pmap */
#define PG_CLEANCHK	0x00000100	/* page_clean scan marker */
#define PG_UNUSED0200	0x00000200
#define PG_NOSYNC	0x00000400	/* syncer skips */
#define PG_UNQUEUED	0x00000800	/* never on a paging queue */
#define PG_MARKER	0x00001000	/* scan marker, not a page */
#define PG_RAM		0x00002000	/* read-ahead mark */
#define PG_SWAPPED	0x00004000	/* backed by swap */
#define PG_NOTMETA	0x00008000	/* do not back with swap */
#define PG_NEED_COMMIT	0x00040000	/* clean but needs remote commit */

/* queues */
#define PQ_PRIME1	31
#define PQ_PRIME2	23
#define PQ_L2_SIZE	1024
#define PQ_L2_MASK	(PQ_L2_SIZE - 1)
#define PQ_NONE		0
#define PQ_FREE		(1 + 0 * PQ_L2_SIZE)
#define PQ_INACTIVE	(1 + 1 * PQ_L2_SIZE)
#define PQ_ACTIVE	(1 + 2 * PQ_L2_SIZE)
#define PQ_CACHE	(1 + 3 * PQ_L2_SIZE)
#define PQ_HOLD		(1 + 4 * PQ_L2_SIZE)
#define PQ_COUNT	(1 + 5 * PQ_L2_SIZE)

/* activity */
#define ACT_DECLINE	1
#define ACT_ADVANCE	3
#define ACT_INIT	5
#define ACT_MAX		64

/* valid/dirty bits: one per DEV_BSIZE chunk */
#define VM_PAGE_BITS_ALL	0xffU

struct vpgqueues {
	struct spinlock	spin;
	struct pglist	pl;
	long		lcnt;		/* pages on this sub-queue */
	long		adds;		/* heuristic */
	int		cnt_offset;	/* offset of the vmstats count */
	int		lastq;		/* widening-search heuristic */
} __cachealign;

extern struct vpgqueues vm_page_queues[PQ_COUNT];
extern struct vm_page *vm_page_array;
extern long vm_page_array_size;
extern char *vm_phys_base_ptr;		/* host address of physical memory */
extern struct vmstats vmstats;		/* global counts and thresholds */

/*
 * Memory-pressure handshakes (facts sheet 4.9), all accessed atomically.
 * vm_pages_needed: the pagedaemon is wanted (sleeps on &vm_pages_needed).
 * vm_pages_waiting: threads sleep in vm_wait on &vmstats.v_free_count.
 * vm_pageout_pages_needed: the pageout thread itself waits for pages.
 * vm_pageout_deficit: allocations that failed since the last scan.
 * pagethread: the pageout daemon's thread (NULL until it exists).
 */
extern int vm_pages_needed;
extern int vm_pages_waiting;
extern int vm_pageout_pages_needed;
extern int vm_pageout_deficit;
extern struct thread *pagethread;

#define VM_PHYS_BASE	((vm_paddr_t)0x100000)	/* 1 MiB, like a PC */

static inline vm_page_t
PHYS_TO_VM_PAGE(vm_paddr_t pa)
{
	return (&vm_page_array[(pa - VM_PHYS_BASE) >> PAGE_SHIFT]);
}
#define VM_PAGE_TO_PHYS(m)	((m)->phys_addr)
/* The page's bytes, through the host mapping of physical memory. */
static inline void *
vm_page_data(vm_page_t m)
{
	return (vm_phys_base_ptr + (m->phys_addr - VM_PHYS_BASE));
}
static inline void *
PHYS_TO_DMAP(vm_paddr_t pa)
{
	return (vm_phys_base_ptr + (pa - VM_PHYS_BASE));
}
/*
 * vm_page_prefetch - start loading m's struct (its two cache lines) for
 * writing: a hint, prefetching never faults.  Not the page's bytes: on
 * this project's host, prefetching a page's 64 lines in one burst slowed
 * the zeroing and copying faults it was meant to help (docs/vm_fault.md,
 * "Costs", seventh round); the hardware prefetcher streams through a
 * page once its first lines are touched.
 */
static inline void
vm_page_prefetch(vm_page_t m)
{
	__builtin_prefetch(m, 1);
	__builtin_prefetch((char *)m + 64, 1);
}

/* vm_page_alloc flags */
#define VM_ALLOC_NORMAL		0x0001	/* may reclaim a cache page */
#define VM_ALLOC_SYSTEM		0x0002	/* may dip into the reserve */
#define VM_ALLOC_INTERRUPT	0x0004	/* may take the last free page */
#define VM_ALLOC_ZERO		0x0008	/* zero the page */
#define VM_ALLOC_QUICK		0x0010	/* free queue only */
#define VM_ALLOC_FORCE_ZERO	0x0020	/* zero even if valid (grab) */
#define VM_ALLOC_NULL_OK	0x0040	/* NULL instead of panic on collision */
#define VM_ALLOC_RETRY		0x0080	/* grab: wait instead of failing */
#define VM_ALLOC_USE_GD		0x0100
#define VM_ALLOC_CPU_SPEC	0x0200	/* VM_ALLOC_CPU(n) given */
#define VM_ALLOC_CPU_SHIFT	16
#define VM_ALLOC_CPU(n)		(((n) << VM_ALLOC_CPU_SHIFT) | VM_ALLOC_CPU_SPEC)
#define VM_ALLOC_GETCPU(flags)	((flags) >> VM_ALLOC_CPU_SHIFT)

/*
 * Boot and shutdown.  vm_page_startup carves `bytes' of host memory into
 * pages, puts them on the free queues and computes the paging thresholds
 * (facts sheet 4.1).  Returns 0, or EINVAL/ENOMEM with a message in errbuf.
 */
int	vm_page_startup(size_t bytes, char *errbuf, size_t errlen);
void	vm_page_shutdown(void);

/* Allocation and freeing. */
vm_page_t vm_page_alloc(vm_object_t object, vm_pindex_t pindex, int flags);
/*
 * vm_page_alloc_copy - vm_page_alloc whose page gets src's bytes before it
 * is inserted (a copy-on-write fault's copy: its stores drain while the
 * object's tree is walked).  src busied.  The caller sets valid and dirty.
 * A flyvm addition.
 */
vm_page_t vm_page_alloc_copy(vm_object_t object, vm_pindex_t pindex,
	    int flags, vm_page_t src);
vm_page_t vm_page_alloc_contig(vm_paddr_t low, vm_paddr_t high,
	    unsigned long alignment, unsigned long boundary,
	    unsigned long size, vm_memattr_t memattr);
void	vm_page_free_contig(vm_page_t m, unsigned long size);
void	vm_page_free_toq(vm_page_t m);
vm_page_t vm_page_grab(vm_object_t object, vm_pindex_t pindex, int flags);

/* Lookup. */
vm_page_t vm_page_lookup(vm_object_t object, vm_pindex_t pindex);
vm_page_t vm_page_lookup_nohash(vm_object_t object, vm_pindex_t pindex);
vm_page_t vm_page_lookup_busy_wait(vm_object_t object, vm_pindex_t pindex,
	    int also_m_busy, const char *msg);
vm_page_t vm_page_lookup_busy_try(vm_object_t object, vm_pindex_t pindex,
	    int also_m_busy, int *errorp);
vm_page_t vm_page_lookup_sbusy_try(vm_object_t object, vm_pindex_t pindex,
	    int pgoff, int pgbytes);
vm_page_t vm_page_hash_get(vm_object_t object, vm_pindex_t pindex);

/* Object membership. */
int	vm_page_insert(vm_page_t m, vm_object_t object, vm_pindex_t pindex);
void	vm_page_remove(vm_page_t m);
void	vm_page_rename(vm_page_t m, vm_object_t new_object,
	    vm_pindex_t new_pindex);

/* Busy. */
void	vm_page_busy_wait(vm_page_t m, int also_m_busy, const char *msg);
int	vm_page_busy_try(vm_page_t m, int also_m_busy);
void	vm_page_wakeup(vm_page_t m);
void	vm_page_sleep_busy(vm_page_t m, int also_m_busy, const char *msg);
void	vm_page_io_start(vm_page_t m);
void	vm_page_io_finish(vm_page_t m);
int	vm_page_sbusy_try(vm_page_t m);

/* Wire and hold. */
void	vm_page_wire(vm_page_t m);
void	vm_page_unwire(vm_page_t m, int activate);
void	vm_page_hold(vm_page_t m);
void	vm_page_unhold(vm_page_t m);

/* Queue moves. */
void	vm_page_activate(vm_page_t m);
void	vm_page_soft_activate(vm_page_t m);
void	vm_page_deactivate(vm_page_t m);
void	vm_page_deactivate_locked(vm_page_t m);
void	vm_page_cache(vm_page_t m);
int	vm_page_try_to_cache(vm_page_t m);
int	vm_page_try_to_free(vm_page_t m);
void	vm_page_dontneed(vm_page_t m);
void	vm_page_need_commit(vm_page_t m);
void	vm_page_clear_commit(vm_page_t m);
void	vm_page_unqueue(vm_page_t m);
void	vm_page_unqueue_nowakeup(vm_page_t m);
void	vm_page_spin_lock(vm_page_t m);
void	vm_page_spin_unlock(vm_page_t m);

/* Valid and dirty bits. */
int	vm_page_bits(int base, int size);
void	vm_page_set_valid(vm_page_t m, int base, int size);
void	vm_page_set_validclean(vm_page_t m, int base, int size);
void	vm_page_set_validdirty(vm_page_t m, int base, int size);
void	vm_page_set_invalid(vm_page_t m, int base, int size);
void	vm_page_clear_dirty(vm_page_t m, int base, int size);
int	vm_page_is_valid(vm_page_t m, int base, int size);
void	vm_page_zero_invalid(vm_page_t m, int setvalid);
void	vm_page_test_dirty(vm_page_t m);
void	vm_page_dirty(vm_page_t m);

/* Memory pressure. */
void	vm_wait(int timo);
void	vm_wait_pfault(void);
void	vm_wait_nominal(void);
void	pagedaemon_wakeup(void);
void	vmstats_rollup(void);
void	vmstats_rollup_cpu(struct globaldata *gd);
void	vm_page_free_wakeup(void);

/* Page color for a CPU/object/pindex. */
unsigned int vm_get_pg_color(int cpuid, vm_object_t object,
	    vm_pindex_t pindex);
/* A new color base for an object (rotates per CPU). */
unsigned short vm_quickcolor(void);

/*
 * vm_page_audit - check every queue's count against its list, every page's
 * queue index against the queue it is on, busy/wire/hold consistency, and
 * vmstats against the truth.  Returns 0, or the number of problems found
 * (each described through kprintf).  Takes the queue spinlocks; callers
 * must hold none.  Exact only when no other thread changes pages.
 */
int	vm_page_audit(void);

/* Fault injection on vm_page_alloc (tests). */
struct fault_inject *vm_page_alloc_fault(void);

#endif /* !_VM_VM_PAGE_H_ */
