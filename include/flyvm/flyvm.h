/*
 * flyvm.h - the public API of libflyvm, DragonFly BSD's virtual memory
 * system in user space.
 *
 * This is the only header a program includes.  Every call returns 0 or an
 * errno value and writes its results through out-parameters.
 *
 * One system is booted per host process at a time (the VM keeps its state
 * in globals, as a kernel does); flyvm_boot() answers EBUSY while one runs.
 *
 *	struct flyvm_config cfg;
 *	struct flyvm *vm;
 *	char err[256];
 *
 *	flyvm_config_init(&cfg);		// 256 MiB, 2 CPUs
 *	cfg.mem_bytes = 64 << 20;
 *	flyvm_config_set(&cfg, "vm.max_launder", 64);
 *	if (flyvm_boot(&cfg, &vm, err, sizeof(err)) != 0)
 *		errx(1, "%s", err);
 *	...
 *	flyvm_shutdown(vm);
 */
#ifndef _FLYVM_FLYVM_H_
#define _FLYVM_FLYVM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FLYVM_EXPORT	__attribute__((visibility("default")))

#define FLYVM_MAX_TUNABLES	64
#define FLYVM_NAME_MAX		64

/* Accepted configuration ranges. */
#define FLYVM_MEM_MIN		(8ULL << 20)	/* 8 MiB */
#define FLYVM_MEM_MAX		(64ULL << 30)	/* 64 GiB */
#define FLYVM_NCPUS_MAX		64

struct flyvm;

struct flyvm_tunable {
	char	name[FLYVM_NAME_MAX];	/* sysctl name, e.g. "vm.max_launder" */
	int64_t	value;
};

struct flyvm_config {
	uint64_t	mem_bytes;	/* physical memory; page multiple */
	int		ncpus;		/* simulated CPUs, 1..FLYVM_NCPUS_MAX */
	int		ntunables;
	struct flyvm_tunable tunables[FLYVM_MAX_TUNABLES];
	/* Boot messages and console output; NULL discards them. */
	void		(*console)(const char *line, void *arg);
	void		*console_arg;
};

/* flyvm_config_init - the defaults: 256 MiB, 2 CPUs, no tunables. */
FLYVM_EXPORT void flyvm_config_init(struct flyvm_config *cfg);
/*
 * flyvm_config_set - record tunable `name' = value, applied at boot after
 * the defaults are computed.  EINVAL if the name is too long or the table
 * is full (names and ranges are checked by flyvm_boot).
 */
FLYVM_EXPORT int flyvm_config_set(struct flyvm_config *cfg, const char *name,
	    int64_t value);
/*
 * flyvm_parse_size - "4096", "64K", "256M", "8G" to bytes.  EINVAL on
 * anything else or on overflow.
 */
FLYVM_EXPORT int flyvm_parse_size(const char *s, uint64_t *bytesp);

/*
 * flyvm_boot - boot a system.  On failure returns an errno and writes a
 * message naming the problem (and the accepted range) into err:
 *   EINVAL  bad memory size, CPU count, unknown tunable or value out of range
 *   ENOMEM  the host could not provide the memory
 *   EBUSY   a system is already booted in this process
 * The calling thread is not entered; see flyvm_thread_enter().
 */
FLYVM_EXPORT int flyvm_boot(const struct flyvm_config *cfg, struct flyvm **vmp,
	    char *err, size_t errlen);
/*
 * flyvm_shutdown - stop the system and release all its memory.  No thread
 * may still be entered.  EINVAL for a NULL or stale handle.
 */
FLYVM_EXPORT int flyvm_shutdown(struct flyvm *vm);

/*
 * flyvm_thread_enter - make the calling host thread a simulated thread of
 * the system, running on one of its CPUs (waiting for a free one).
 * flyvm_thread_leave gives the CPU back.  EINVAL on a bad handle, EBUSY if
 * already entered (enter) or not entered (leave).
 */
FLYVM_EXPORT int flyvm_thread_enter(struct flyvm *vm, const char *name);
FLYVM_EXPORT int flyvm_thread_leave(struct flyvm *vm);

/* System statistics, in pages unless noted (DragonFly's vmstats). */
struct flyvm_vmstats {
	uint64_t	page_size;		/* bytes */
	uint64_t	page_count;
	uint64_t	free_count;
	uint64_t	cache_count;
	uint64_t	inactive_count;
	uint64_t	active_count;
	uint64_t	hold_count;
	uint64_t	wire_count;
	uint64_t	free_reserved;
	uint64_t	free_severe;
	uint64_t	free_min;
	uint64_t	free_target;
	uint64_t	paging_wait;
	uint64_t	paging_start;
	uint64_t	paging_target1;
	uint64_t	paging_target2;
	uint64_t	pageout_free_min;
	uint64_t	interrupt_free_min;
	uint64_t	inactive_target;
	uint64_t	dma_pages;
	/* events */
	uint64_t	faults;
	uint64_t	cow_faults;
	uint64_t	zfod;
	uint64_t	reactivated;
	uint64_t	swapin, swapout, swappgsin, swappgsout;
	uint64_t	vnodein, vnodeout, vnodepgsin, vnodepgsout;
	uint64_t	pdwakeups, pdpages;
	uint64_t	tfree;
	uint64_t	forks;
	uint64_t	pagealloc;
};

/* flyvm_get_vmstats - current counts (rolled up from every CPU). */
FLYVM_EXPORT int flyvm_get_vmstats(struct flyvm *vm, struct flyvm_vmstats *st);

/*
 * Tunables and statistics by sysctl name.  ENOENT for an unknown name,
 * EPERM for a read-only one, EINVAL for a value out of range (and for
 * NULL arguments).
 */
FLYVM_EXPORT int flyvm_sysctl_get(struct flyvm *vm, const char *name,
	    int64_t *valp);
FLYVM_EXPORT int flyvm_sysctl_set(struct flyvm *vm, const char *name,
	    int64_t value);
/*
 * flyvm_sysctl_describe - "NAME: description (range MIN..MAX, rw)" into buf.
 */
FLYVM_EXPORT int flyvm_sysctl_describe(struct flyvm *vm, const char *name,
	    char *buf, size_t len);
/*
 * flyvm_sysctl_list - call fn(name, value, arg) for every sysctl whose
 * name starts with prefix, in name order.
 */
FLYVM_EXPORT int flyvm_sysctl_list(struct flyvm *vm, const char *prefix,
	    void (*fn)(const char *name, int64_t value, void *arg), void *arg);

/*
 * flyvm_audit - run every whole-structure audit (pages, and later pmap,
 * objects and maps).  Returns 0 if consistent, EFAULT (and a report on the
 * console) if not.  Exact only while no other thread runs in the system.
 */
FLYVM_EXPORT int flyvm_audit(struct flyvm *vm);

/*
 * ----------------------------------------------------------------------
 * Processes and the mmap family (docs/api.md).
 *
 * A process is named by its pid.  Every call below takes the system and
 * a pid and returns 0 or an errno, writing results through
 * out-parameters.  The errors every call shares, checked in this order:
 *   EINVAL  vm is NULL or not the booted system
 *   ESRCH   no such process (never existed, or has exited)
 *   EFAULT  a required out-parameter (or in-buffer) is NULL
 * after which each call checks its arguments exactly as DragonFly's
 * system call does (see the facts sheet, section 1, and docs/api.md for
 * the few places flyvm differs on purpose).
 *
 * Threads: any host thread may call in for any process; for the length of
 * the call it runs as one of that process's threads on a simulated CPU.
 * A thread already entered with flyvm_thread_enter() keeps its CPU between
 * calls (cheaper for loops of loads and stores); one that is not entered
 * is entered and left again by each call.  Several threads may call in for
 * one process at once.
 *
 * Constants carry DragonFly's values (sys/mman.h, sys/resource.h,
 * sys/signal.h), not the host's: use the FLYVM_ names.
 * ----------------------------------------------------------------------
 */
typedef int32_t flyvm_pid_t;

#define FLYVM_PROT_NONE		0x00
#define FLYVM_PROT_READ		0x01
#define FLYVM_PROT_WRITE	0x02
#define FLYVM_PROT_EXEC		0x04

#define FLYVM_MAP_SHARED	0x0001
#define FLYVM_MAP_PRIVATE	0x0002
#define FLYVM_MAP_COPY		FLYVM_MAP_PRIVATE
#define FLYVM_MAP_FIXED		0x0010
#define FLYVM_MAP_RENAME	0x0020		/* accepted, ignored */
#define FLYVM_MAP_NORESERVE	0x0040		/* accepted, ignored */
#define FLYVM_MAP_INHERIT	0x0080
#define FLYVM_MAP_NOEXTEND	0x0100		/* accepted, ignored */
#define FLYVM_MAP_HASSEMAPHORE	0x0200		/* accepted, ignored */
#define FLYVM_MAP_STACK		0x0400
#define FLYVM_MAP_NOSYNC	0x0800
#define FLYVM_MAP_FILE		0x0000
#define FLYVM_MAP_ANON		0x1000
#define FLYVM_MAP_ANONYMOUS	FLYVM_MAP_ANON
#define FLYVM_MAP_VPAGETABLE	0x2000
#define FLYVM_MAP_TRYFIXED	0x00010000
#define FLYVM_MAP_NOCORE	0x00020000
#define FLYVM_MAP_SIZEALIGN	0x00040000

#define FLYVM_INHERIT_SHARE	0
#define FLYVM_INHERIT_COPY	1
#define FLYVM_INHERIT_NONE	2

#define FLYVM_MADV_NORMAL	0
#define FLYVM_MADV_RANDOM	1
#define FLYVM_MADV_SEQUENTIAL	2
#define FLYVM_MADV_WILLNEED	3
#define FLYVM_MADV_DONTNEED	4
#define FLYVM_MADV_FREE		5
#define FLYVM_MADV_NOSYNC	6
#define FLYVM_MADV_AUTOSYNC	7
#define FLYVM_MADV_NOCORE	8
#define FLYVM_MADV_CORE		9
#define FLYVM_MADV_INVAL	10
#define FLYVM_MADV_SETMAP	11		/* mcontrol only */

#define FLYVM_MINCORE_INCORE		0x01
#define FLYVM_MINCORE_REFERENCED	0x02
#define FLYVM_MINCORE_MODIFIED		0x04
#define FLYVM_MINCORE_REFERENCED_OTHER	0x08
#define FLYVM_MINCORE_MODIFIED_OTHER	0x10
#define FLYVM_MINCORE_SUPER		0x20	/* never set (x86_64) */

#define FLYVM_MCL_CURRENT	0x0001
#define FLYVM_MCL_FUTURE	0x0002

#define FLYVM_MS_SYNC		0x0000
#define FLYVM_MS_ASYNC		0x0001
#define FLYVM_MS_INVALIDATE	0x0002

#define FLYVM_RLIMIT_CPU	0
#define FLYVM_RLIMIT_FSIZE	1
#define FLYVM_RLIMIT_DATA	2
#define FLYVM_RLIMIT_STACK	3
#define FLYVM_RLIMIT_CORE	4
#define FLYVM_RLIMIT_RSS	5
#define FLYVM_RLIMIT_MEMLOCK	6
#define FLYVM_RLIMIT_NPROC	7
#define FLYVM_RLIMIT_NOFILE	8
#define FLYVM_RLIMIT_SBSIZE	9
#define FLYVM_RLIMIT_AS		10
#define FLYVM_RLIMIT_VMEM	FLYVM_RLIMIT_AS
#define FLYVM_RLIMIT_POSIXLOCKS	11
#define FLYVM_RLIM_NLIMITS	12
#define FLYVM_RLIM_INFINITY	INT64_MAX

/* Signals and codes a faulting access reports (DragonFly numbering). */
#define FLYVM_SIGBUS		10
#define FLYVM_SIGSEGV		11
#define FLYVM_SEGV_MAPERR	1	/* no mapping at the address */
#define FLYVM_SEGV_ACCERR	2	/* mapping forbids the access */
#define FLYVM_BUS_ADRALN	1	/* misaligned atomic */
#define FLYVM_BUS_ADRERR	2	/* no physical memory behind it */
#define FLYVM_BUS_OBJERR	3	/* the backing object failed */

/* The user address range every process has: [0, FLYVM_USER_MAX). */
#define FLYVM_USER_MAX		0x0000800000000000ULL

struct flyvm_rlimit {
	int64_t		rlim_cur;	/* soft limit */
	int64_t		rlim_max;	/* hard limit */
};

/* What a faulting access reports instead of killing the process. */
struct flyvm_siginfo {
	int		signo;	/* FLYVM_SIGSEGV or FLYVM_SIGBUS */
	int		code;	/* FLYVM_SEGV_* or FLYVM_BUS_* */
	uint64_t	addr;	/* first byte that faulted */
};

/*
 * flyvm_proc_spawn - a new process with credentials uid, its address
 * space laid out as exec leaves it: no text, an empty data segment at
 * 4 MiB that brk grows under RLIMIT_DATA, and an auto-growing stack
 * below FLYVM_USER_MAX under RLIMIT_STACK.  Limits are the defaults
 * (docs/api.md).  EAGAIN when kern.maxproc processes exist.
 */
FLYVM_EXPORT int flyvm_proc_spawn(struct flyvm *vm, uint32_t uid,
	    flyvm_pid_t *pidp);
/*
 * flyvm_proc_fork - a child of pid: its address space forked by each
 * entry's inheritance (copy-on-write for COPY), its uid and limits
 * copied.  *childp receives the child's pid.  EAGAIN at kern.maxproc.
 */
FLYVM_EXPORT int flyvm_proc_fork(struct flyvm *vm, flyvm_pid_t pid,
	    flyvm_pid_t *childp);
/*
 * flyvm_proc_exit - the process exits: it waits for calls other threads
 * are making for it to finish (new ones get ESRCH), then its address
 * space is torn down and every page, object and swap reference it held is
 * released.  The pid is gone when this returns (there is no zombie: no
 * parent waits, so status is accepted for the exit(2) shape and dropped).
 */
FLYVM_EXPORT int flyvm_proc_exit(struct flyvm *vm, flyvm_pid_t pid,
	    int status);
/*
 * flyvm_proc_setuid - change the process's uid.  EPERM unless the
 * process runs as root (uid 0) or uid is already its uid.
 */
FLYVM_EXPORT int flyvm_proc_setuid(struct flyvm *vm, flyvm_pid_t pid,
	    uint32_t uid);
/*
 * flyvm_getrlimit / flyvm_setrlimit - a resource limit (FLYVM_RLIMIT_*).
 * setrlimit: EINVAL for an unknown resource, a negative value or
 * cur > max; EPERM when raising max above its current value without
 * root.  Lowering RLIMIT_STACK or RLIMIT_AS below what is in use is
 * allowed and only affects growth.
 */
FLYVM_EXPORT int flyvm_getrlimit(struct flyvm *vm, flyvm_pid_t pid,
	    int resource, struct flyvm_rlimit *rlp);
FLYVM_EXPORT int flyvm_setrlimit(struct flyvm *vm, flyvm_pid_t pid,
	    int resource, const struct flyvm_rlimit *rlp);
/*
 * flyvm_proc_list - the pids of live processes in increasing order:
 * up to n of them into pids, the total into *countp.
 */
FLYVM_EXPORT int flyvm_proc_list(struct flyvm *vm, flyvm_pid_t *pids,
	    size_t n, size_t *countp);

/* System calls; the rules of each are in docs/api.md. */
FLYVM_EXPORT int flyvm_mmap(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
	    uint64_t len, int prot, int flags, int fd, int64_t pos,
	    uint64_t *addrp);
FLYVM_EXPORT int flyvm_munmap(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len);
FLYVM_EXPORT int flyvm_msync(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, int flags);
FLYVM_EXPORT int flyvm_mprotect(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, int prot);
FLYVM_EXPORT int flyvm_minherit(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, int inherit);
FLYVM_EXPORT int flyvm_madvise(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, int behav);
FLYVM_EXPORT int flyvm_mcontrol(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, int behav, int64_t value);
/*
 * flyvm_mincore - one byte of FLYVM_MINCORE_* bits per page of
 * [trunc_page(addr), trunc_page(addr) + round_page(len)) into vec, which
 * holds veclen bytes.  EFAULT if vec is NULL or too short (the kernel's
 * copyout to a bad user address).
 */
FLYVM_EXPORT int flyvm_mincore(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len, unsigned char *vec, size_t veclen);
FLYVM_EXPORT int flyvm_mlock(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len);
FLYVM_EXPORT int flyvm_munlock(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, uint64_t len);
FLYVM_EXPORT int flyvm_mlockall(struct flyvm *vm, flyvm_pid_t pid, int how);
FLYVM_EXPORT int flyvm_munlockall(struct flyvm *vm, flyvm_pid_t pid);
/* brk (obreak): set the break to nsize (an address). */
FLYVM_EXPORT int flyvm_brk(struct flyvm *vm, flyvm_pid_t pid, uint64_t nsize);
/* sbrk: grow the break by incr; *oldbrkp receives the old break. */
FLYVM_EXPORT int flyvm_sbrk(struct flyvm *vm, flyvm_pid_t pid, int64_t incr,
	    uint64_t *oldbrkp);

/*
 * User memory, through the software MMU as the process's own thread
 * would touch it (faults are taken and resolved as a CPU's would be).
 * An access the process would die of returns EFAULT with *si (if not
 * NULL) naming the signal, code and address, and changes nothing: a
 * copy that cannot complete writes no byte.  size is 1, 2, 4 or 8
 * (4 or 8 for the atomics, which need natural alignment), else EINVAL.
 *   flyvm_copyin:  process memory -> buf
 *   flyvm_copyout: buf -> process memory
 *   flyvm_cas:     if *addr == expect, *addr = nval; *oldp = old value
 *   flyvm_fetchadd: *addr += incr; *oldp = old value
 */
FLYVM_EXPORT int flyvm_load(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
	    int size, uint64_t *valp, struct flyvm_siginfo *si);
FLYVM_EXPORT int flyvm_store(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
	    int size, uint64_t val, struct flyvm_siginfo *si);
FLYVM_EXPORT int flyvm_copyin(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, void *buf, size_t len, struct flyvm_siginfo *si);
FLYVM_EXPORT int flyvm_copyout(struct flyvm *vm, flyvm_pid_t pid,
	    const void *buf, uint64_t addr, size_t len,
	    struct flyvm_siginfo *si);
FLYVM_EXPORT int flyvm_cas(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
	    int size, uint64_t expect, uint64_t nval, uint64_t *oldp,
	    struct flyvm_siginfo *si);
FLYVM_EXPORT int flyvm_fetchadd(struct flyvm *vm, flyvm_pid_t pid,
	    uint64_t addr, int size, uint64_t incr, uint64_t *oldp,
	    struct flyvm_siginfo *si);

/*
 * Inspection.
 */
#define FLYVM_OBJT_NONE		(-1)	/* no object yet (untouched) */
#define FLYVM_OBJT_DEFAULT	0
#define FLYVM_OBJT_SWAP		1
#define FLYVM_OBJT_VNODE	2
#define FLYVM_OBJT_DEVICE	3
#define FLYVM_OBJT_MGTDEVICE	4
#define FLYVM_OBJT_PHYS		5
#define FLYVM_OBJT_DEAD		6

/* Map entry flags (DragonFly's MAP_ENTRY_*). */
#define FLYVM_ME_NOSYNC		0x0001
#define FLYVM_ME_STACK		0x0002
#define FLYVM_ME_COW		0x0004
#define FLYVM_ME_NEEDS_COPY	0x0008
#define FLYVM_ME_NOFAULT	0x0010
#define FLYVM_ME_USER_WIRED	0x0020
#define FLYVM_ME_BEHAV_SEQUENTIAL 0x0040
#define FLYVM_ME_BEHAV_RANDOM	0x0080
#define FLYVM_ME_IN_TRANSITION	0x0100
#define FLYVM_ME_NOCOREDUMP	0x0400

/* One map entry, as `procstat -v' shows it. */
struct flyvm_map_entry_info {
	uint64_t	start, end;	/* [start, end) */
	int		prot;		/* FLYVM_PROT_* */
	int		max_prot;
	int		inheritance;	/* FLYVM_INHERIT_* */
	int		wired_count;
	int		obj_type;	/* FLYVM_OBJT_* of the top object */
	uint64_t	obj_id;		/* 0 if none */
	uint64_t	offset;		/* of start in the top object */
	uint64_t	resident;	/* pages of the range in the top object */
	int		chain_depth;	/* backing levels below the top */
	uint32_t	flags;		/* FLYVM_ME_* */
};
/*
 * flyvm_proc_map - the process's map entries in address order: up to n
 * into buf (which may be NULL when n is 0), the total into *countp.
 */
FLYVM_EXPORT int flyvm_proc_map(struct flyvm *vm, flyvm_pid_t pid,
	    struct flyvm_map_entry_info *buf, size_t n, size_t *countp);

/* Page queues (DragonFly's PQ_*, without the color). */
#define FLYVM_PQ_NONE		0
#define FLYVM_PQ_FREE		1
#define FLYVM_PQ_INACTIVE	2
#define FLYVM_PQ_ACTIVE		3
#define FLYVM_PQ_CACHE		4
#define FLYVM_PQ_HOLD		5

struct flyvm_page_info {
	uint64_t	pindex;		/* index in the object */
	uint64_t	phys;		/* physical address */
	int		queue;		/* FLYVM_PQ_* */
	int		wire_count;
	int		act_count;
	uint32_t	flags;		/* DragonFly's PG_* */
	uint32_t	valid;		/* DEV_BSIZE chunks valid (bitmask) */
	uint32_t	dirty;		/* DEV_BSIZE chunks dirty (bitmask) */
};

/* A map entry (of some process) whose backing chain holds the object. */
struct flyvm_backing_info {
	flyvm_pid_t	pid;		/* owner of the map, -1 if none */
	uint64_t	start, end;	/* range it backs */
	uint64_t	offset;		/* of start in the object */
	int		depth;		/* 0: the entry's top object */
};

struct flyvm_object_info {
	uint64_t	id;
	int		type;		/* FLYVM_OBJT_* */
	uint64_t	size;		/* pages */
	uint64_t	resident;	/* resident pages */
	int		ref_count;
	uint32_t	flags;		/* DragonFly's OBJ_* */
	uint64_t	nbacking;	/* map backings that reference it */
};
/*
 * flyvm_object_info - the object with this id (from flyvm_proc_map), its
 * resident pages in pindex order (up to npages into pages) and the map
 * backings that reference it (up to nrefs into refs); the totals are in
 * oi->resident and oi->nbacking.  ENOENT if no live object has the id.
 */
FLYVM_EXPORT int flyvm_object_info(struct flyvm *vm, uint64_t id,
	    struct flyvm_object_info *oi, struct flyvm_page_info *pages,
	    size_t npages, struct flyvm_backing_info *refs, size_t nrefs);

/* Per-process figures. */
struct flyvm_proc_info {
	flyvm_pid_t	pid;
	flyvm_pid_t	ppid;		/* 0 for a spawned process */
	uint32_t	uid;
	int		nthreads;	/* threads in a call for it now */
	uint64_t	minflt;		/* faults served without I/O */
	uint64_t	majflt;		/* faults that read a pager */
	uint64_t	resident;	/* pages mapped in its pmap */
	uint64_t	wired;		/* wired pages in its pmap */
	uint64_t	swap;		/* pages of its objects on swap */
	uint64_t	map_size;	/* bytes mapped */
	uint64_t	nentries;	/* map entries */
	uint64_t	daddr;		/* data segment start */
	uint64_t	brk;		/* current break */
	uint64_t	stack_top;	/* top of the user stack */
	uint64_t	stack_size;	/* bytes of stack grown */
};
FLYVM_EXPORT int flyvm_proc_info(struct flyvm *vm, flyvm_pid_t pid,
	    struct flyvm_proc_info *pi);

#ifdef __cplusplus
}
#endif

#endif /* !_FLYVM_FLYVM_H_ */
