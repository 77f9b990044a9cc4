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

#ifdef __cplusplus
}
#endif

#endif /* !_FLYVM_FLYVM_H_ */
