/*
 * bench_util.h - shared helpers for the benchmarks under bench/.
 *
 * Every benchmark measures its baseline in the same run and reports each
 * figure with the ratio value / baseline.  Plain output is one line per
 * figure; with --json, one JSON object per line:
 *   {"name": ..., "value": ..., "unit": ..., "baseline": ..., "ratio": ...,
 *    "baseline_name": ...}
 * (a figure compared with several baselines prints one object for each,
 * told apart by baseline_name).
 * --runs N (default 5) repeats each measurement; the median is reported.
 * --only WORD runs only the parts whose name contains WORD, and
 * --no-baseline skips the host baselines (reported as 0): both are for
 * profiling one figure with perf, not for quoting.
 */
#ifndef _BENCH_UTIL_H_
#define _BENCH_UTIL_H_

struct bench_opts {
	int	json;
	int	runs;
	int	quick;		/* --quick: smaller sizes, for smoke runs */
	const char *only;	/* --only WORD: run the parts named WORD */
	int	nobase;		/* --no-baseline: skip host baselines (perf) */
};

/* bench_wants - whether --only allows the part called `part'. */
int	bench_wants(const struct bench_opts *opts, const char *part);

void	bench_parse(int argc, char **argv, struct bench_opts *opts);
double	bench_now_ns(void);
double	bench_median(double *v, int n);
/*
 * bench_report - print one figure.  baseline_name describes what the
 * baseline measured (e.g. "glibc malloc+free").
 */
void	bench_report(const struct bench_opts *opts, const char *name,
	    double value, const char *unit, const char *baseline_name,
	    double baseline);

/*
 * Host memory, for the native baselines.  The host's <sys/mman.h> lives
 * only in bench_util.c: its MADV_* values clash with DragonFly's in
 * vm/vm_map.h.  bench_host_map returns a private anonymous mapping of
 * bytes (pre-faulted when populate), or NULL.
 */
#include <stddef.h>

void	*bench_host_map(size_t bytes, int populate);
void	bench_host_unmap(void *p, size_t bytes);
/*
 * The host kernel's fault costs, ns per page, for the fault benchmarks:
 * zero-fill (first write to fresh anonymous memory), soft fault (read of
 * a page-cache page after its mapping was removed) and copy-on-write
 * (a forked child writing pages the parent had written).  -1 on error.
 */
double	bench_host_zero_fill_ns(size_t pages);
double	bench_host_soft_fault_ns(size_t pages);
double	bench_host_cow_ns(size_t pages);
/*
 * memset (copy 0) or memcpy (copy 1) of 4 KiB into pages picked all over
 * `pages' resident host pages: what touching a page that is not in the
 * caches or the TLB costs on this host.  ns per page, -1 on error.
 */
double	bench_host_cold_memset_ns(size_t pages, int copy);
/*
 * The same into the pages in address order: the rate at which this
 * host's memory takes pages zeroed or copied one after another, the floor
 * for a fault that zeroes or copies a page nobody touched lately.
 */
double	bench_host_stream_memset_ns(size_t pages, int copy);

/*
 * bench_host_fork_ms - ms the host takes to fork a process with `bytes'
 * of written anonymous memory (the parent's fork() call, the child exits
 * at once).  -1 on error.
 */
double	bench_host_fork_ms(size_t bytes);
/*
 * bench_host_mmap_ns - ns for mmap + munmap of one anonymous page in a
 * process that has `nentries' other one-page mappings (each its own
 * VMA); `iters' pairs are timed.  The host caps the number of mappings
 * (vm.max_map_count): *made receives how many it could make.  -1 on
 * error.
 */
double	bench_host_mmap_ns(long nentries, long iters, long *made);

#endif /* !_BENCH_UTIL_H_ */
