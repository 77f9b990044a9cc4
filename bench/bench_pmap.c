/*
 * bench_pmap.c - the software MMU's costs, each next to what the host
 * does for the same work:
 *
 *   tlb_hit_load / _store  ns per 8-byte access whose page is in the TLB;
 *                          baseline: a plain host load/store loop.
 *   tlb_miss_walk          ns per load that misses the TLB and walks the
 *                          four-level table (one word per page over more
 *                          pages than the TLB holds); baseline: the same
 *                          stride over host memory.
 *   copyin / copyout       GB/s over a resident region (64 MiB); baseline:
 *                          memcpy of the same size.
 *   pmap_enter / _remove   ns per page over the region, tables included;
 *                          baseline: host mmap(MAP_POPULATE) / munmap.
 *
 * Usage: bench_pmap [--json] [--runs N] [--quick]; medians of N runs.
 * Every figure, baselines included, is timed with the thread's CPU clock
 * (bp_now_ns), so that time the host gives to other processes on a busy
 * machine does not count; the work is single-threaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/pmap_access.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

#define BP_BASE		((vm_offset_t)0x10000000)
#define BP_HOT_PAGES	16		/* fit the TLB */

struct bp {
	struct pmap		pmap;
	vm_object_t		obj;
	struct vm_map_backing	ba;
	vm_page_t		*pages;
	long			npages;
	size_t			bytes;
	char			*hbuf;		/* host buffers */
	char			*hbuf2;
	volatile uint64_t	sink;
};

/* bp_now_ns - this thread's CPU time in ns. */
static double
bp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}

static void
bp_die(const char *what)
{
	fprintf(stderr, "bench_pmap: %s\n", what);
	exit(1);
}

static void
bp_boot(struct bp *b, long npages)
{
	char err[128];
	long i;

	b->npages = npages;
	b->bytes = (size_t)npages * PAGE_SIZE;
	if (kern_init(2) != 0)
		bp_die("kern_init");
	kthread_enter("bench");
	vm_sysctl_init();
	if (vm_page_startup(b->bytes + b->bytes / 4 + (32 << 20), err,
	    sizeof(err)) != 0)
		bp_die(err);
	pmap_init();
	pmap_pinit(&b->pmap);
	b->obj = vm_object_allocate(OBJT_DEFAULT, npages);
	b->pages = calloc(npages, sizeof(*b->pages));
	b->hbuf = aligned_alloc(PAGE_SIZE, b->bytes);
	b->hbuf2 = aligned_alloc(PAGE_SIZE, b->bytes);
	if (b->obj == NULL || b->pages == NULL || b->hbuf == NULL ||
	    b->hbuf2 == NULL)
		bp_die("out of memory");
	memset(b->hbuf, 1, b->bytes);
	memset(b->hbuf2, 2, b->bytes);
	b->ba.start = BP_BASE;
	b->ba.end = BP_BASE + b->bytes;
	b->ba.pmap = &b->pmap;
	b->ba.object = b->obj;
	TAILQ_INSERT_TAIL(&b->obj->backing_list, &b->ba, entry);
	vm_object_hold(b->obj);
	for (i = 0; i < npages; i++) {
		b->pages[i] = vm_page_alloc(b->obj, i, VM_ALLOC_NORMAL |
		    VM_ALLOC_ZERO);
		if (b->pages[i] == NULL)
			bp_die("vm_page_alloc");
	}
	vm_object_drop(b->obj);
}

static void
bp_shutdown(struct bp *b)
{
	long i;

	pmap_remove(&b->pmap, VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
	for (i = 0; i < b->npages; i++) {
		pmap_mapped_sync(b->pages[i]);
		vm_page_free_toq(b->pages[i]);
	}
	TAILQ_REMOVE(&b->obj->backing_list, &b->ba, entry);
	vm_object_deallocate(b->obj);
	pmap_release(&b->pmap);
	pmap_puninit(&b->pmap);
	pmap_fini();
	vm_page_shutdown();
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
	free(b->pages);
	free(b->hbuf);
	free(b->hbuf2);
}

static void
bp_map(struct bp *b, long npages)
{
	long i;

	for (i = 0; i < npages; i++)
		pmap_enter(&b->pmap, BP_BASE + ptoa(i), b->pages[i],
		    VM_PROT_ALL, FALSE, NULL);
}

/*
 * One measurement each: returns ns per operation (or GB/s for copies).
 */

static double
bp_hit_load(struct bp *b, long iters)
{
	const vm_offset_t mask = BP_HOT_PAGES * PAGE_SIZE - 1;
	uint64_t v, sum = 0;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++) {
		if (pmap_fetch_8(&b->pmap, BP_BASE + (((vm_offset_t)i * 8) &
		    mask), &v, NULL) != 0)
			bp_die("load faulted");
		sum += v;
	}
	t0 = bp_now_ns() - t0;
	b->sink = sum;
	return (t0 / iters);
}

static double
bp_hit_load_host(struct bp *b, long iters)
{
	const size_t mask = BP_HOT_PAGES * PAGE_SIZE - 1;
	uint64_t sum = 0;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++)
		sum += *(volatile uint64_t *)(b->hbuf + (((size_t)i * 8) &
		    mask));
	t0 = bp_now_ns() - t0;
	b->sink = sum;
	return (t0 / iters);
}

static double
bp_hit_store(struct bp *b, long iters)
{
	const vm_offset_t mask = BP_HOT_PAGES * PAGE_SIZE - 1;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++) {
		if (pmap_store_8(&b->pmap, BP_BASE + (((vm_offset_t)i * 8) &
		    mask), (uint64_t)i, NULL) != 0)
			bp_die("store faulted");
	}
	return ((bp_now_ns() - t0) / iters);
}

static double
bp_hit_store_host(struct bp *b, long iters)
{
	const size_t mask = BP_HOT_PAGES * PAGE_SIZE - 1;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++)
		*(volatile uint64_t *)(b->hbuf + (((size_t)i * 8) & mask)) =
		    (uint64_t)i;
	return ((bp_now_ns() - t0) / iters);
}

/* One load per page, over every page: each misses a 256-entry TLB. */
static double
bp_miss_load(struct bp *b, long iters)
{
	uint64_t v, sum = 0;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++) {
		if (pmap_fetch_8(&b->pmap, BP_BASE + ptoa(i % b->npages) +
		    (i & 0xff8), &v, NULL) != 0)
			bp_die("load faulted");
		sum += v;
	}
	t0 = bp_now_ns() - t0;
	b->sink = sum;
	return (t0 / iters);
}

static double
bp_miss_load_host(struct bp *b, long iters)
{
	uint64_t sum = 0;
	double t0;
	long i;

	t0 = bp_now_ns();
	for (i = 0; i < iters; i++)
		sum += *(volatile uint64_t *)(b->hbuf + ptoa(i % b->npages) +
		    (i & 0xff8));
	t0 = bp_now_ns() - t0;
	b->sink = sum;
	return (t0 / iters);
}

static double
bp_gbps(size_t bytes, double ns)
{
	return ((double)bytes / ns);
}

static double
bp_copyin(struct bp *b)
{
	double t0 = bp_now_ns();

	if (pmap_copyin(&b->pmap, BP_BASE, b->hbuf, b->bytes, NULL) != 0)
		bp_die("copyin faulted");
	return (bp_gbps(b->bytes, bp_now_ns() - t0));
}

static double
bp_copyout(struct bp *b)
{
	double t0 = bp_now_ns();

	if (pmap_copyout(&b->pmap, b->hbuf, BP_BASE, b->bytes, NULL) != 0)
		bp_die("copyout faulted");
	return (bp_gbps(b->bytes, bp_now_ns() - t0));
}

static double
bp_memcpy(struct bp *b)
{
	double t0 = bp_now_ns();

	memcpy(b->hbuf2, b->hbuf, b->bytes);
	t0 = bp_now_ns() - t0;
	b->sink = (uint64_t)b->hbuf2[b->bytes / 2];
	return (bp_gbps(b->bytes, t0));
}

/* pmap_enter then pmap_remove over the region: ns per page each. */
static void
bp_enter_remove(struct bp *b, double *enter, double *remove)
{
	double t0;

	pmap_remove(&b->pmap, BP_BASE, BP_BASE + b->bytes);
	t0 = bp_now_ns();
	bp_map(b, b->npages);
	*enter = (bp_now_ns() - t0) / b->npages;
	t0 = bp_now_ns();
	pmap_remove(&b->pmap, BP_BASE, BP_BASE + b->bytes);
	*remove = (bp_now_ns() - t0) / b->npages;
	bp_map(b, b->npages);
}

static void
bp_mmap_munmap(struct bp *b, double *map, double *unmap)
{
	double t0;
	void *p;

	t0 = bp_now_ns();
	p = bench_host_map(b->bytes, 1);
	if (p == NULL)
		bp_die("mmap");
	*map = (bp_now_ns() - t0) / b->npages;
	t0 = bp_now_ns();
	bench_host_unmap(p, b->bytes);
	*unmap = (bp_now_ns() - t0) / b->npages;
}

#define BP_MAXRUNS	64

/* Run fn opts->runs times and return the median. */
static double
bp_median(const struct bench_opts *opts, struct bp *b,
    double (*fn)(struct bp *, long), long iters)
{
	double v[BP_MAXRUNS];
	int i, n = MIN(opts->runs, BP_MAXRUNS);

	(void)fn(b, iters / 10);		/* warm up */
	for (i = 0; i < n; i++)
		v[i] = fn(b, iters);
	return (bench_median(v, n));
}

static double
bp_median_copy(const struct bench_opts *opts, struct bp *b,
    double (*fn)(struct bp *))
{
	double v[BP_MAXRUNS];
	int i, n = MIN(opts->runs, BP_MAXRUNS);

	(void)fn(b);
	for (i = 0; i < n; i++)
		v[i] = fn(b);
	return (bench_median(v, n));
}

static void
bp_report_map(const struct bench_opts *opts, struct bp *b)
{
	double e[BP_MAXRUNS], r[BP_MAXRUNS], me[BP_MAXRUNS], mr[BP_MAXRUNS];
	int i, n = MIN(opts->runs, BP_MAXRUNS);

	for (i = 0; i < n; i++) {
		bp_enter_remove(b, &e[i], &r[i]);
		bp_mmap_munmap(b, &me[i], &mr[i]);
	}
	bench_report(opts, "pmap_enter", bench_median(e, n), "ns/page",
	    "mmap MAP_POPULATE", bench_median(me, n));
	bench_report(opts, "pmap_remove", bench_median(r, n), "ns/page",
	    "munmap", bench_median(mr, n));
}

int
main(int argc, char **argv)
{
	struct bench_opts opts;
	struct bp b;
	long iters;

	bench_parse(argc, argv, &opts);
	memset(&b, 0, sizeof(b));
	bp_boot(&b, opts.quick ? 1024 : 16384);
	iters = opts.quick ? 1L << 20 : 1L << 25;
	bp_map(&b, b.npages);

	bench_report(&opts, "tlb_hit_load_8", bp_median(&opts, &b,
	    bp_hit_load, iters), "ns", "host load",
	    bp_median(&opts, &b, bp_hit_load_host, iters));
	bench_report(&opts, "tlb_hit_store_8", bp_median(&opts, &b,
	    bp_hit_store, iters), "ns", "host store",
	    bp_median(&opts, &b, bp_hit_store_host, iters));
	bench_report(&opts, "tlb_miss_walk_load_8", bp_median(&opts, &b,
	    bp_miss_load, iters / 4), "ns", "host strided load",
	    bp_median(&opts, &b, bp_miss_load_host, iters / 4));
	bench_report(&opts, "copyin", bp_median_copy(&opts, &b, bp_copyin),
	    "GB/s", "memcpy", bp_median_copy(&opts, &b, bp_memcpy));
	bench_report(&opts, "copyout", bp_median_copy(&opts, &b,
	    bp_copyout), "GB/s", "memcpy", bp_median_copy(&opts, &b,
	    bp_memcpy));
	bp_report_map(&opts, &b);
	bp_shutdown(&b);
	return (0);
}
