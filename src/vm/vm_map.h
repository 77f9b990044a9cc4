/*
 * vm_map.h - address spaces (DragonFly's vm/vm_map.h).
 *
 * A vm_map is a red-black tree of vm_map_entry structures, each mapping
 * one page-aligned range [ba.start, ba.end) of the address space.  What
 * backs the range is the entry's embedded vm_map_backing (ba): an object,
 * the offset of ba.start in it, and a chain (ba.backing_ba) of the
 * objects it was copied from, newest first.  A vmspace is a process's
 * address space: a vm_map plus the pmap it drives and the process's
 * segment sizes.  See docs/vm_map.md and the design note in vm_map.c.
 */
#ifndef _VM_VM_MAP_H_
#define _VM_VM_MAP_H_

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include "kern/lock.h"
#include "kern/spinlock.h"
#include "kern/token.h"
#include "vm/vm.h"
#include "vm/pmap.h"

/*
 * struct vm_map_backing - one link of an entry's backing chain.
 *
 * The head of the chain is embedded in the entry; each backing_ba points
 * one shadow level deeper, to a link allocated separately and owned by
 * the same entry.  Every link whose store is an object holds one
 * reference on it and sits on the object's backing_list, and knows the
 * pmap and the address range it is mapped at, so the page of pindex p of
 * the object appears at
 *	va = start + (IDX_TO_OFF(p) - offset)	when start <= va < end.
 *
 * Lock legend:
 *   (m) the vm_map's lock (exclusive to write)
 *   (b) the object's backing_lk as well, for fields the pmap reads from
 *       the object side (start, end, offset, pmap, entry)
 */
struct cdev;

struct vm_map_backing {
	vm_offset_t	start;		/* (m,b) start in pmap */
	vm_offset_t	end;		/* (m,b) end in pmap */
	struct pmap	*pmap;		/* (m,b) where it is mapped */
	struct vm_map_backing *backing_ba; /* (m) next shadow level */
	TAILQ_ENTRY(vm_map_backing) entry; /* (b) object's backing_list */
	union {
		struct vm_object *object;	/* VM_MAPTYPE_NORMAL */
		struct vm_map	*sub_map;	/* VM_MAPTYPE_SUBMAP */
		int		(*uksmap)(struct vm_map_backing *ba, int op,
				    struct cdev *dev, vm_page_t fake);
		void		*map_object;	/* generic */
	};
	void		*aux_info;	/* (m) uksmap argument etc. */
	vm_ooffset_t	offset;		/* (m,b) into the store */
	uint32_t	flags;		/* (m) VM_MAP_BACK_* */
	uint32_t	backing_count;	/* (m) entries backing us */
};

#define VM_MAP_BACK_EXCL_HEUR	0x00000001U

/*
 * Subsystem that created an entry (debugging aid: who owns this range).
 */
typedef enum {
	VM_SUBSYS_UNKNOWN,
	VM_SUBSYS_KMALLOC,
	VM_SUBSYS_STACK,
	VM_SUBSYS_IMGACT,
	VM_SUBSYS_PROC,
	VM_SUBSYS_SHMEM,
	VM_SUBSYS_MMAP,
	VM_SUBSYS_BRK,
	VM_SUBSYS_BUF,
	VM_SUBSYS_ZALLOC,
	VM_SUBSYS_TEST,
	VM_SUBSYS_LIMIT
} vm_subsys_t;

/* Per-maptype auxiliary data. */
union vm_map_aux {
	vm_offset_t	avail_ssize;	/* MAP_ENTRY_STACK: room to grow */
	void		*map_aux;	/* generic */
};

typedef u_int vm_eflags_t;

/*
 * struct vm_map_entry - one mapped range.
 *
 * Lock legend:
 *   (m) map lock, exclusive to write; shared is enough to read
 *   (t) map lock, plus MAP_ENTRY_IN_TRANSITION: only the thread that set
 *       IN_TRANSITION changes the field while the flag is set
 */
struct vm_map_entry {
	RB_ENTRY(vm_map_entry) rb_entry;	/* (m) map's tree */
	union vm_map_aux aux;			/* (m) */
	struct vm_map_backing ba;		/* (m) head of the chain */
	vm_eflags_t	eflags;			/* (m,t) MAP_ENTRY_* */
	vm_maptype_t	maptype;		/* (m) VM_MAPTYPE_* */
	vm_prot_t	protection;		/* (m) current protection */
	vm_prot_t	max_protection;		/* (m) ceiling of protection */
	vm_inherit_t	inheritance;		/* (m) VM_INHERIT_* for fork */
	int		wired_count;		/* (t) 0: pageable */
	vm_subsys_t	id;			/* (m) creator */
};

#define MAP_ENTRY_NOSYNC		0x0001	/* pages skip the syncer */
#define MAP_ENTRY_STACK			0x0002	/* grow-down stack segment */
#define MAP_ENTRY_COW			0x0004	/* copy on write */
#define MAP_ENTRY_NEEDS_COPY		0x0008	/* shadow before writing */
#define MAP_ENTRY_NOFAULT		0x0010	/* never faulted, no object */
#define MAP_ENTRY_USER_WIRED		0x0020	/* mlock()ed */
#define MAP_ENTRY_BEHAV_NORMAL		0x0000	/* default paging behaviour */
#define MAP_ENTRY_BEHAV_SEQUENTIAL	0x0040	/* expect sequential access */
#define MAP_ENTRY_BEHAV_RANDOM		0x0080	/* expect random access */
#define MAP_ENTRY_BEHAV_RESERVED	0x00C0
#define MAP_ENTRY_BEHAV_MASK		0x00C0
#define MAP_ENTRY_IN_TRANSITION		0x0100	/* owned by a wiring thread */
#define MAP_ENTRY_NEEDS_WAKEUP		0x0200	/* someone waits on it */
#define MAP_ENTRY_NOCOREDUMP		0x0400	/* skip in core dumps */
#define MAP_ENTRY_KSTACK		0x0800	/* kernel stack, guard page */
#define MAP_ENTRY_WIRE_SKIP		0x1000	/* (t) wiring call skips it */

#define MAP_ENTRY_BEHAV(entry)	((entry)->eflags & MAP_ENTRY_BEHAV_MASK)

/*
 * Large anonymous entries are split into 32 MiB partitions when first
 * faulted, so that faults in different partitions use different objects
 * (and object tokens).
 */
#define MAP_ENTRY_PARTITION_SIZE	((vm_offset_t)32 * 1024 * 1024)
#define MAP_ENTRY_PARTITION_MASK	(MAP_ENTRY_PARTITION_SIZE - 1)
#define VM_MAP_ENTRY_WITHIN_PARTITION(entry)				\
	(((entry)->ba.start & ~MAP_ENTRY_PARTITION_MASK) ==		\
	 (((entry)->ba.end - 1) & ~MAP_ENTRY_PARTITION_MASK))

RB_HEAD(vm_map_rb_tree, vm_map_entry);
RB_PROTOTYPE(vm_map_rb_tree, vm_map_entry, rb_entry, rb_vm_map_compare);

/*
 * Range interlock (MADV_INVAL against concurrent faults).
 */
struct vm_map_ilock {
	struct vm_map_ilock *next;
	int		flags;
	vm_offset_t	ran_beg;
	vm_offset_t	ran_end;	/* exclusive */
};

#define ILOCK_WAITING	0x00000001

/*
 * Free-space hint: for requests of exactly (length, align), no hole that
 * could hold one lies in [base, start).  A search that begins anywhere in
 * [base, start] may skip to start.  mmap's searches all begin at the same
 * place (vm_map_hint), so base is usually that address.
 */
struct vm_map_freehint {
	vm_offset_t	base;
	vm_offset_t	start;
	vm_offset_t	length;
	vm_offset_t	align;
};

#define VM_MAP_FFCOUNT	4
#define VM_MAP_FFMASK	(VM_MAP_FFCOUNT - 1)

/*
 * struct vm_map - an address space.
 *
 * Lock legend:
 *   (m) map lock (lockmgr), exclusive to write, shared to read
 *   (i) ilock_spin
 *   (c) constant after vm_map_init
 * The token is the map's soft serializer: callers such as mmap hold it
 * around check-then-modify sequences made of several map calls.  The
 * lock is not the first member so that sleeping on the map's address
 * (transition waits) never aliases a lock channel.
 */
struct vm_map {
	struct vm_map_rb_tree rb_root;		/* (m) entries by start */
	/*
	 * The lock's count word changes twice per fault: it gets a cache
	 * line of its own, away from the tree and bounds every lookup reads.
	 */
	struct lock	lock __cachealign;	/* the hard lock */
	vm_offset_t	min_addr __cachealign;	/* (c) */
	vm_offset_t	max_addr;		/* (c) */
	int		nentries;		/* (m) entries in the tree */
	unsigned int	timestamp;		/* (m) bumped per excl lock */
	vm_size_t	size;			/* (m) bytes mapped */
	u_char		system_map;		/* (c) kernel map */
	u_char		freehint_newindex;	/* (m) round robin slot */
	u_int		flags;			/* (m) MAP_WIREFUTURE ... */
	struct vm_map_freehint freehint[VM_MAP_FFCOUNT]; /* (m) */
	struct pmap	*pmap;			/* (c) */
	struct vm_map_ilock *ilock_base;	/* (i) range interlocks */
	struct spinlock	ilock_spin;
	struct lwkt_token token;		/* soft serializer */
	vm_offset_t	pgout_offset;		/* (a) RSS scan resume hint */
	/* the lock's per-thread-slot share counts (lockinit_slots) */
	struct lock_slot lock_slots[KTHREAD_NSLOTS];
};

/* map->flags */
#define MAP_WIREFUTURE	0x0001	/* wire mappings as they are made */
#define MAP_VMSPACE	0x0002	/* (c) embedded in a struct vmspace */

#define vm_map_min(map)		((map)->min_addr)
#define vm_map_max(map)		((map)->max_addr)
#define vm_map_pmap(map)	((map)->pmap)

/*
 * struct vmspace - a process's address space.
 *
 * Two counts keep it alive.  vm_refcnt counts users of the address space
 * (processes, rfork sharers); each reference also holds one vm_holdcnt.
 * vm_holdcnt also counts short-term holders (vmspace_hold) that only need
 * the structure.  refs 1 -> 0 runs stage 1 of termination (the mappings
 * go, refcnt becomes VM_REF_DELETED); holds 1 -> 0 runs stage 2 (the pmap
 * is released and the structure freed).
 *
 * Lock legend:
 *   (a) atomic   (m) vm_map lock   (c) constant   (t) map token
 */
struct vmspace {
	struct vm_map	vm_map;		/* the address space */
	struct pmap	vm_pmap;	/* its physical map */
	int		vm_flags;	/* (a) VMSPACE_EXIT1, VMSPACE_EXIT2 */
	void		*vm_shm;	/* (t) SysV shm data, unused */
/* fields from vm_startcopy to vm_endcopy are copied on fork */
#define vm_startcopy	vm_rssize
	long		vm_rssize;	/* (t) resident pages (RSS) */
	long		vm_swrss;	/* (t) RSS before last swap */
	long		vm_tsize;	/* (t) text size, pages */
	long		vm_dsize;	/* (t) data pages mapped (brk) */
	vm_size_t	vm_dbytes;	/* (t) break - vm_daddr: sbrk moves
					 * it by bytes, vm_dsize is it in
					 * pages rounded up */
	long		vm_ssize;	/* (t) stack size, pages */
	vm_offset_t	vm_taddr;	/* (t) text start */
	vm_offset_t	vm_daddr;	/* (t) data start */
	vm_offset_t	vm_maxsaddr;	/* (t) lowest stack address */
	vm_offset_t	vm_minsaddr;	/* (t) top of the stack */
	/*
	 * Stand-ins for the owning process's RLIMIT_STACK and RLIMIT_VMEM
	 * (rlim_cur, bytes) until flyvm has processes.
	 */
	vm_size_t	vm_stacklim;	/* (t) */
	vm_size_t	vm_vmemlim;	/* (t) */
#define vm_endcopy	vm_pagesupply
	int		vm_pagesupply;
	u_int		vm_holdcnt;	/* (a) holds, see above */
	u_int		vm_refcnt;	/* (a) references, see above */
};

#define VM_REF_DELETED	0x80000000U	/* stage 1 has run */
#define VMSPACE_EXIT1	0x0001		/* stage 1 of termination done */
#define VMSPACE_EXIT2	0x0002		/* stage 2 of termination done */
#define VM_RLIM_INFINITY ((vm_size_t)-1)

#define vmspace_pmap(vm)	(&(vm)->vm_pmap)

/*
 * Map locking.  vm_map_lock and a successful vm_map_lock_upgrade bump the
 * timestamp, so a thread that dropped the lock can tell whether the map
 * may have changed.  vm_map_lock_upgrade fails with EBUSY when another
 * upgrade is pending, and the caller then holds no lock at all.
 */
void	vm_map_lock(vm_map_t map);
void	vm_map_unlock(vm_map_t map);
void	vm_map_lock_read(vm_map_t map);
void	vm_map_unlock_read(vm_map_t map);
int	vm_map_lock_read_try(vm_map_t map);
int	vm_map_lock_read_to(vm_map_t map);
int	vm_map_lock_upgrade(vm_map_t map);
void	vm_map_lock_downgrade(vm_map_t map);
int	vm_map_locked_excl(vm_map_t map);	/* by the caller */
int	vm_map_locked(vm_map_t map);		/* by anyone, any mode */

#define VM_MAP_ASSERT_LOCKED(map)					\
	KASSERT(vm_map_locked_excl(map), ("map %p not locked excl", (map)))
#define VM_MAP_ASSERT_LOCKED_ANY(map)					\
	KASSERT(vm_map_locked(map), ("map %p not locked", (map)))

/* Copy-on-write and other insert flags (the `cow' argument). */
#define COWF_COPY_ON_WRITE	0x0002
#define COWF_NOFAULT		0x0004
#define COWF_PREFAULT		0x0008
#define COWF_PREFAULT_PARTIAL	0x0010
#define COWF_DISABLE_SYNCER	0x0020
#define COWF_IS_STACK		0x0040
#define COWF_IS_KSTACK		0x0080
#define COWF_DISABLE_COREDUMP	0x0100
#define COWF_PREFAULT_MADVISE	0x0200
#define COWF_SHARED		0x0800
#define COWF_ALL		0x0bfe

/* vm_map_findspace / vm_map_stack flags (values of DragonFly's mman.h). */
#ifndef MAP_TRYFIXED			/* also in vm_mman.h */
#define MAP_TRYFIXED		0x00010000	/* may use stack reserve */
#endif

/* vm_map_clip_range flags */
#define MAP_CLIP_NO_HOLES	0x0001

/* vm_map_kernel_wiring flags */
#define KM_PAGEABLE		0x0001	/* unwire instead of wire */
#define KM_KRESERVE		0x0002	/* entries from the kernel reserve */

/* vm_map_lookup *wflags */
#define FW_WIRED		0x0001	/* the entry is wired */
#define FW_DIDCOW		0x0002	/* lookup shadowed the entry */

/*
 * Map-entry reserve.  A caller reserves the entries a map operation may
 * need before taking the map lock (clipping must never allocate while the
 * map is locked) and releases what is left afterwards.
 */
#define MAP_RESERVE_COUNT	4	/* one clip at each end, and slack */
#define MAP_RESERVE_SLOP	32	/* per-CPU cache trimmed above this */
#define MAP_RESERVE_HYST	(MAP_RESERVE_SLOP - MAP_RESERVE_SLOP / 8)

#define SGROWSIZ		((vm_size_t)128 * 1024)	/* stack growth step */

/*
 * Hooks the fault layer fills (vm_fault.c).  The defaults keep the map
 * bookkeeping working without touching pages: wire and unwire do nothing,
 * collapse declines (the chain is kept) and copy_entry copies nothing.
 *   fault_wire(map, entry, user_wire, kmflags): fault in and wire every
 *     page of the IN_TRANSITION entry; the map is locked exclusively on
 *     entry and on return and may be unlocked in between.  KERN_*.
 *   fault_unwire(map, entry): unwire the entry's pages.  Map locked.
 *   fault_collapse(map, entry): copy every page of the chain into the
 *     head object so the chain can go.  Map locked.  KERN_SUCCESS or
 *     anything else to keep the chain.
 *   fault_copy_entry(dst_map, src_map, dst_entry, src_entry): copy the
 *     pages of a wired entry into dst_entry's fresh object at fork.
 */
struct vm_map_fault_hooks {
	int	(*fault_wire)(vm_map_t map, vm_map_entry_t entry,
		    boolean_t user_wire, int kmflags);
	void	(*fault_unwire)(vm_map_t map, vm_map_entry_t entry);
	int	(*fault_collapse)(vm_map_t map, vm_map_entry_t entry);
	void	(*fault_copy_entry)(vm_map_t dst_map, vm_map_t src_map,
		    vm_map_entry_t dst_entry, vm_map_entry_t src_entry);
};

/*
 * vm_map_set_fault_hooks - install hooks (NULL: the defaults).  Returns
 * the previous set.  Called at boot, with no map operation running.
 */
const struct vm_map_fault_hooks *vm_map_set_fault_hooks(
	    const struct vm_map_fault_hooks *hooks);

/* Boot and shutdown. */
void	vm_map_startup(void);
void	vm_map_shutdown(void);

/* Entry reserve. */
int	vm_map_entry_reserve(int count);
void	vm_map_entry_release(int count);
int	vm_map_entry_kreserve(int count);
void	vm_map_entry_krelease(int count);

/* Maps. */
void	vm_map_init(vm_map_t map, vm_offset_t min, vm_offset_t max,
	    pmap_t pmap);
void	vm_map_uninit(vm_map_t map);
boolean_t vm_map_lookup_entry(vm_map_t map, vm_offset_t address,
	    vm_map_entry_t *entry);
int	vm_map_insert(vm_map_t map, int *countp, void *map_object,
	    void *map_aux, vm_ooffset_t offset, void *aux_info,
	    vm_offset_t start, vm_offset_t end, vm_maptype_t maptype,
	    vm_subsys_t id, vm_prot_t prot, vm_prot_t max, int cow);
int	vm_map_findspace(vm_map_t map, vm_offset_t start, vm_size_t length,
	    vm_size_t align, int flags, vm_offset_t *addr);
int	vm_map_find(vm_map_t map, void *map_object, void *map_aux,
	    vm_ooffset_t offset, vm_offset_t *addr, vm_size_t length,
	    vm_size_t align, boolean_t fitit, vm_maptype_t maptype,
	    vm_subsys_t id, vm_prot_t prot, vm_prot_t max, int cow);
int	vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end,
	    int *countp);
int	vm_map_remove(vm_map_t map, vm_offset_t start, vm_offset_t end);
int	vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end,
	    vm_prot_t new_prot, boolean_t set_max);
int	vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end,
	    vm_inherit_t new_inheritance);
int	vm_map_madvise(vm_map_t map, vm_offset_t start, vm_offset_t end,
	    int behav, off_t value);	/* MADV_*: vm/vm_mman.h */
int	vm_map_user_wiring(vm_map_t map, vm_offset_t start,
	    vm_offset_t end, boolean_t new_pageable);
void	vm_map_user_unwire_all(vm_map_t map);
int	vm_map_kernel_wiring(vm_map_t map, vm_offset_t start,
	    vm_offset_t end, int kmflags);
int	vm_map_set_wired_quick(vm_map_t map, vm_offset_t addr,
	    vm_size_t size, int *countp);
boolean_t vm_map_check_protection(vm_map_t map, vm_offset_t start,
	    vm_offset_t end, vm_prot_t protection, boolean_t have_lock);
int	vm_map_clean(vm_map_t map, vm_offset_t start, vm_offset_t end,
	    boolean_t syncio, boolean_t invalidate);
int	vm_map_stack(vm_map_t map, vm_offset_t *addrbos, vm_size_t max_ssize,
	    int flags, vm_prot_t prot, vm_prot_t max, int cow);
int	vm_map_growstack(vm_map_t map, vm_offset_t addr);

/* Clipping (map locked exclusively, entries reserved). */
void	vm_map_clip_start(vm_map_t map, vm_map_entry_t entry,
	    vm_offset_t start, int *countp);
void	vm_map_clip_end(vm_map_t map, vm_map_entry_t entry,
	    vm_offset_t end, int *countp);
vm_map_entry_t vm_map_clip_range(vm_map_t map, vm_offset_t start,
	    vm_offset_t end, int *countp, int flags);
void	vm_map_unclip_range(vm_map_t map, vm_map_entry_t start_entry,
	    vm_offset_t start, vm_offset_t end, int *countp, int flags);
void	vm_map_simplify_entry(vm_map_t map, vm_map_entry_t entry,
	    int *countp);
void	vm_map_transition_wait(vm_map_t map, int relock);

/* Backing chains. */
int	vm_map_entry_shadow(vm_map_entry_t entry);
int	vm_map_entry_allocate_object(vm_map_entry_t entry);

/* The fault path's part. */
int	vm_map_lookup(vm_map_t *var_map, vm_offset_t vaddr,
	    vm_prot_t fault_type, vm_map_entry_t *out_entry,
	    struct vm_map_backing **bap, vm_pindex_t *pindex,
	    vm_pindex_t *pcount, vm_prot_t *out_prot, int *wflags);
void	vm_map_lookup_done(vm_map_t map, vm_map_entry_t entry, int count);

/* Range interlocks. */
void	vm_map_interlock(vm_map_t map, struct vm_map_ilock *ilock,
	    vm_offset_t ran_beg, vm_offset_t ran_end);
void	vm_map_deinterlock(vm_map_t map, struct vm_map_ilock *ilock);

/* vmspaces. */
struct vmspace *vmspace_alloc(vm_offset_t min, vm_offset_t max);
void	vmspace_ref(struct vmspace *vm);
void	vmspace_rel(struct vmspace *vm);
void	vmspace_hold(struct vmspace *vm);
void	vmspace_drop(struct vmspace *vm);
void	vmspace_relexit(struct vmspace *vm);
void	vmspace_exitfree(struct vmspace *vm);
int	vmspace_getrefs(struct vmspace *vm);
struct vmspace *vmspace_fork(struct vmspace *vm1);
struct vmspace *vmspace_exec(struct vmspace *vm, struct vmspace *vmcopy);
struct vmspace *vmspace_unshare(struct vmspace *vm);
long	vmspace_swap_count(struct vmspace *vm);
long	vmspace_anonymous_count(struct vmspace *vm);

/* Audits, counters and inspection (tests, debugging). */
int	vm_map_audit(vm_map_t map);
void	vm_map_print(vm_map_t map);
long	vm_map_entry_count(void);	/* entries in maps */
long	vm_map_backing_count(void);	/* separately allocated links */
long	vmspace_count(void);		/* live vmspaces */
struct fault_inject *vm_map_backing_fault(void);	/* link allocator */

#endif /* !_VM_VM_MAP_H_ */
