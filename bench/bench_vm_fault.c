/*
 * bench_vm_fault.c - the fault path's costs, through the software MMU as
 * a user program sees them (a store or load that faults), each next to
 * what the host does for the same work in the same run:
 *
 *   zero_fill		us per page, first write to fresh anonymous memory,
 *			one fault per page (vm.prefault_pages=0);
 *			baselines: memset of 4 KiB (hot; into a page
 *			out of cache and TLB; into pages in address order,
 *			the memory's streaming rate), the host kernel's
 *			zero-fill fault.
 *   zero_fill_burst	the same with the default prefault burst.
 *   soft_refault	us per page, read of a resident page whose mapping
 *			was removed; baseline: host soft fault (memfd).
 *   cow		us per page, parent's write after a fork; baselines:
 *			memcpy of 4 KiB (hot, cold, pages in order), the
 *			host kernel's COW fault.
 *   throughput		zero-fill faults per second on 1 and 2 threads,
 *			each thread in its own address space, then all in
 *			one (a mapping each); the 2/1 ratio from the wall
 *			clock and from per-thread CPU time.
 *   scaling		zero-fill cost with 1 MiB and with 4 GiB resident.
 *
 * Usage: bench_vm_fault [--json] [--runs N] [--quick] [--only PART]; medians
 * of N runs (the four latencies' runs taken in turn, so that the host's
 * slow spells spread over the figures).  PART: zero-fill, burst, soft,
 * cow, threads-each, threads-one, scaling (any part of those names).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/pmap_access.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

#define BF_VA		((vm_offset_t)0x10000000)
#define BF_SPAN		((vm_offset_t)0x100000000ULL)	/* per thread */
#define BF_MAXRUNS	64

static long bf_pages;		/* pages per measurement */
static int bf_go;		/* (a) start flag for the thread runs */

static void
bf_die(const char *what)
{
	fprintf(stderr, "bench_vm_fault: %s\n", what);
	exit(1);
}

static double
bf_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}

static struct vmspace *
bf_vm(vm_offset_t addr, long pages)
{
	struct vmspace *vm = vmspace_alloc(0x1000, 0x0000700000000000ULL);

	if (vm == NULL || vm_map_find(&vm->vm_map, NULL, NULL, 0, &addr,
	    (vm_size_t)pages * PAGE_SIZE, 0, FALSE, VM_MAPTYPE_NORMAL,
	    VM_SUBSYS_TEST, VM_PROT_ALL, VM_PROT_ALL, 0) != KERN_SUCCESS)
		bf_die("cannot map");
	return (vm);
}

static void
bf_map(struct vmspace *vm, vm_offset_t addr, long pages)
{
	if (vm_map_find(&vm->vm_map, NULL, NULL, 0, &addr,
	    (vm_size_t)pages * PAGE_SIZE, 0, FALSE, VM_MAPTYPE_NORMAL,
	    VM_SUBSYS_TEST, VM_PROT_ALL, VM_PROT_ALL, 0) != KERN_SUCCESS)
		bf_die("cannot map");
}

/* Write (or read) one word of each page; ns per page. */
static double
bf_touch(struct vmspace *vm, vm_offset_t base, long pages, int write)
{
	struct pmap_fault pf;
	pmap_t pmap = vmspace_pmap(vm);
	double t0 = bench_now_ns();
	uint64_t v;
	long i;

	for (i = 0; i < pages; i++) {
		vm_offset_t va = base + (vm_offset_t)i * PAGE_SIZE;

		if ((write ? pmap_store_8(pmap, va, (uint64_t)i, &pf) :
		    pmap_fetch_8(pmap, va, &v, &pf)) != 0)
			bf_die("unexpected signal");
	}
	return ((bench_now_ns() - t0) / (double)pages);
}

static double
bf_zero_fill(int prefault)
{
	struct vmspace *vm = bf_vm(BF_VA, bf_pages);
	double ns;

	vm_prefault_pages = prefault;
	ns = bf_touch(vm, BF_VA, bf_pages, 1);
	vm_prefault_pages = 8;
	vmspace_rel(vm);
	return (ns);
}

static double
bf_soft_refault(void)
{
	struct vmspace *vm = bf_vm(BF_VA, bf_pages);
	double ns;

	bf_touch(vm, BF_VA, bf_pages, 1);
	pmap_remove(vmspace_pmap(vm), BF_VA,
	    BF_VA + (vm_offset_t)bf_pages * PAGE_SIZE);
	vm_prefault_pages = 0;
	ns = bf_touch(vm, BF_VA, bf_pages, 0);
	vm_prefault_pages = 8;
	vmspace_rel(vm);
	return (ns);
}

static double
bf_cow(void)
{
	struct vmspace *vm = bf_vm(BF_VA, bf_pages), *child;
	double ns;

	bf_touch(vm, BF_VA, bf_pages, 1);
	child = vmspace_fork(vm);
	if (child == NULL)
		bf_die("fork");
	ns = bf_touch(vm, BF_VA, bf_pages, 1);
	vmspace_rel(child);
	vmspace_rel(vm);
	return (ns);
}

static double
bf_memop(int copy)
{
	static char a[PAGE_SIZE] __attribute__((aligned(64)));
	static char b[PAGE_SIZE] __attribute__((aligned(64)));
	double t0;
	long i, n = 200000;

	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		if (copy)
			memcpy(a, b, PAGE_SIZE);
		else
			memset(a, (int)i, PAGE_SIZE);
		__asm__ volatile("" : : "r"(a) : "memory");
	}
	return ((bench_now_ns() - t0) / (double)n);
}

struct bf_thr {
	struct vmspace	*vm;
	vm_offset_t	base;
	double		t_start;	/* when it began faulting (ns) */
	double		t_end;		/* when it finished */
	double		cpu_ns;
	int		hostcpu;	/* host CPU to run on, -1 for any */
	int		ready;	/* (a) */
};

static void
bf_thread(void *arg)
{
	struct bf_thr *t = arg;
	cpu_set_t set;
	double c0;

	if (t->hostcpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(t->hostcpu, &set);
		(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}

	atomic_store_int(&t->ready, 1);
	while (!atomic_load_int(&bf_go))
		cpu_pause();
	t->t_start = bench_now_ns();
	c0 = bf_cpu_ns();
	bf_touch(t->vm, t->base, bf_pages, 1);
	t->t_end = bench_now_ns();
	t->cpu_ns = bf_cpu_ns() - c0;
}

/*
 * Zero-fill faults on n threads at once, prefault off: in one address
 * space (a mapping each) when `one_space', else in an address space each.
 * Returns faults per second over the wall time from the first thread's
 * first fault to the last thread's last, both read by the threads
 * themselves; *cpu_rate the same from the threads' CPU time.
 *
 * The span leaves out starting and joining the threads, which belong to
 * the host, not to the faults: timed from the main thread, before the
 * start flag to after the joins, a 2-thread run of 15 ms took 1-4 ms
 * longer than its slower thread did.  For the same reason the main
 * thread sleeps, rather than spins, while the threads get ready: with
 * two host CPUs, a third spinning thread kept one of them off its CPU.
 * And each thread is bound to a host CPU of its own (when the host has
 * enough): left to the host's scheduler, both sometimes shared one CPU
 * for milliseconds of a 15 ms run while the other idled, which cut the
 * run's wall-clock rate but not its CPU-time rate.
 */
static double
bf_threads(int n, int one_space, double *cpu_rate)
{
	static const struct timespec nap = { 0, 100000 };
	struct kthread_handle *h[2];
	struct bf_thr t[2];
	double first, last, cpu = 0;
	long hostcpus = sysconf(_SC_NPROCESSORS_ONLN);
	int i;

	memset(t, 0, sizeof(t));
	vm_prefault_pages = 0;
	for (i = 0; i < n; i++) {
		t[i].hostcpu = hostcpus >= n ? i : -1;
		t[i].base = BF_VA + (vm_offset_t)(i + 1) * BF_SPAN;
		if (i == 0 || !one_space)
			t[i].vm = bf_vm(t[i].base, bf_pages);
		else {
			t[i].vm = t[0].vm;
			bf_map(t[i].vm, t[i].base, bf_pages);
		}
	}
	atomic_store_int(&bf_go, 0);
	kthread_leave();
	for (i = 0; i < n; i++)
		if (kthread_create(bf_thread, &t[i], "bench", &h[i]) != 0)
			bf_die("thread");
	for (i = 0; i < n; i++)
		while (!atomic_load_int(&t[i].ready))
			nanosleep(&nap, NULL);
	atomic_store_int(&bf_go, 1);
	for (i = 0; i < n; i++)
		kthread_join(h[i]);
	kthread_enter("bench");
	first = t[0].t_start;
	last = t[0].t_end;
	for (i = 0; i < n; i++) {
		first = MIN(first, t[i].t_start);
		last = MAX(last, t[i].t_end);
		cpu += t[i].cpu_ns;
		if (i == 0 || !one_space)
			vmspace_rel(t[i].vm);
	}
	vm_prefault_pages = 8;
	*cpu_rate = (double)n * bf_pages / (cpu / n) * 1e9;
	return ((double)n * bf_pages / (last - first) * 1e9);
}

/*
 * Zero-fill cost (prefault off) with `resident' bytes already faulted in
 * elsewhere in the same address space.
 */
static double
bf_scaling(size_t resident)
{
	long rpages = (long)(resident / PAGE_SIZE);
	struct vmspace *vm = bf_vm(BF_VA, rpages);
	vm_offset_t probe = BF_VA + 2 * BF_SPAN;
	double ns;

	bf_touch(vm, BF_VA, rpages, 1);
	bf_map(vm, probe, bf_pages);
	vm_prefault_pages = 0;
	ns = bf_touch(vm, probe, bf_pages, 1);
	vm_prefault_pages = 8;
	vmspace_rel(vm);
	return (ns);
}

static double
bf_median_of(const struct bench_opts *o, double (*fn)(int), int arg)
{
	double v[BF_MAXRUNS];
	int r;

	for (r = 0; r < o->runs; r++)
		v[r] = fn(arg);
	return (bench_median(v, o->runs));
}

static double
bf_median_host(const struct bench_opts *o, double (*fn)(size_t))
{
	double v[BF_MAXRUNS];
	int r;

	if (o->nobase)
		return (0);
	for (r = 0; r < o->runs; r++)
		v[r] = fn((size_t)bf_pages);
	return (bench_median(v, o->runs));
}

static double
bf_median_cold(const struct bench_opts *o, int copy,
    double (*fn)(size_t, int))
{
	double v[BF_MAXRUNS];
	int r;

	if (o->nobase)
		return (0);
	for (r = 0; r < o->runs; r++)
		v[r] = fn((size_t)bf_pages * 2, copy);
	return (bench_median(v, o->runs));
}

/* The latency parts, measured run by run in turn (bf_report_latencies). */
enum { BF_ZF, BF_BURST, BF_SOFT, BF_COW, BF_NLAT };

static double
bf_latency_run(int part)
{
	switch (part) {
	case BF_ZF:
		return (bf_zero_fill(0));
	case BF_BURST:
		return (bf_zero_fill(8));
	case BF_SOFT:
		return (bf_soft_refault());
	default:
		return (bf_cow());
	}
}

/*
 * bf_report_latencies - the per-page latencies.  Run r of every part
 * comes before run r + 1 of any, so that a spell of host slowness (the
 * host is shared) falls on one run of each figure, which the median
 * drops, not on every run of one figure.
 */
static void
bf_report_latencies(const struct bench_opts *o)
{
	static const char *const names[BF_NLAT] = { "zero-fill", "burst",
	    "soft", "cow" };
	double memset_ns = bf_median_of(o, bf_memop, 0);
	double memcpy_ns = bf_median_of(o, bf_memop, 1);
	double runs[BF_NLAT][BF_MAXRUNS], lat[BF_NLAT] = { 0 }, v;
	int part, r;

	for (r = 0; r < o->runs; r++)
		for (part = 0; part < BF_NLAT; part++)
			if (bench_wants(o, names[part]))
				runs[part][r] = bf_latency_run(part);
	for (part = 0; part < BF_NLAT; part++)
		if (bench_wants(o, names[part]))
			lat[part] = bench_median(runs[part], o->runs);
	if (bench_wants(o, "zero-fill")) {
		v = lat[BF_ZF];
		bench_report(o, "zero-fill fault", v / 1000, "us/page",
		    "memset 4 KiB", memset_ns / 1000);
		bench_report(o, "zero-fill fault", v / 1000, "us/page",
		    "host zero-fill fault",
		    bf_median_host(o, bench_host_zero_fill_ns) / 1000);
		bench_report(o, "zero-fill fault", v / 1000, "us/page",
		    "memset 4 KiB, cold page", bf_median_cold(o, 0,
		    bench_host_cold_memset_ns) / 1000);
		bench_report(o, "zero-fill fault", v / 1000, "us/page",
		    "memset 4 KiB, pages in order", bf_median_cold(o, 0,
		    bench_host_stream_memset_ns) / 1000);
	}
	if (bench_wants(o, "burst"))
		bench_report(o, "zero-fill, prefault burst 8",
		    lat[BF_BURST] / 1000, "us/page", "memset 4 KiB",
		    memset_ns / 1000);
	if (bench_wants(o, "soft"))
		bench_report(o, "soft re-fault", lat[BF_SOFT] / 1000,
		    "us/page", "host soft fault",
		    bf_median_host(o, bench_host_soft_fault_ns) / 1000);
	if (bench_wants(o, "cow")) {
		v = lat[BF_COW];
		bench_report(o, "copy-on-write fault", v / 1000, "us/page",
		    "memcpy 4 KiB", memcpy_ns / 1000);
		bench_report(o, "copy-on-write fault", v / 1000, "us/page",
		    "memcpy 4 KiB, cold pages", bf_median_cold(o, 1,
		    bench_host_cold_memset_ns) / 1000);
		bench_report(o, "copy-on-write fault", v / 1000, "us/page",
		    "memcpy 4 KiB, pages in order", bf_median_cold(o, 1,
		    bench_host_stream_memset_ns) / 1000);
		bench_report(o, "copy-on-write fault", v / 1000, "us/page",
		    "host COW fault", bf_median_host(o, bench_host_cow_ns) /
		    1000);
	}
}

static void
bf_report_threads(const struct bench_opts *o, int one_space)
{
	double w1[BF_MAXRUNS], w2[BF_MAXRUNS], c1[BF_MAXRUNS], c2[BF_MAXRUNS];
	double rw[BF_MAXRUNS], rc[BF_MAXRUNS];
	const char *how = one_space ? "one space" : "a space each";
	char name[96];
	int r;

	for (r = 0; r < o->runs; r++) {
		w1[r] = bf_threads(1, one_space, &c1[r]);
		w2[r] = bf_threads(2, one_space, &c2[r]);
		rw[r] = w2[r] / w1[r];
		rc[r] = c2[r] / c1[r];
	}
	snprintf(name, sizeof(name), "fault throughput, 2 threads, %s", how);
	bench_report(o, name, bench_median(w2, o->runs) / 1e6, "Mfaults/s",
	    "1 thread", bench_median(w1, o->runs) / 1e6);
	snprintf(name, sizeof(name), "2/1-thread throughput, %s", how);
	bench_report(o, name, bench_median(rw, o->runs), "x", "ideal", 2.0);
	snprintf(name, sizeof(name), "2/1-thread throughput, %s (CPU time)",
	    how);
	bench_report(o, name, bench_median(rc, o->runs), "x", "ideal", 2.0);
}

static void
bf_report_scaling(const struct bench_opts *o, size_t big)
{
	double v[BF_MAXRUNS], s[BF_MAXRUNS];
	char name[64];
	int r;

	for (r = 0; r < o->runs; r++) {
		s[r] = bf_scaling((size_t)1 << 20);
		v[r] = bf_scaling(big);
	}
	snprintf(name, sizeof(name), "zero-fill with %zu MiB resident",
	    big >> 20);
	bench_report(o, name, bench_median(v, o->runs) / 1000, "us/page",
	    "with 1 MiB resident", bench_median(s, o->runs) / 1000);
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	size_t big;
	char err[128];

	bench_parse(argc, argv, &o);
	if (o.runs > BF_MAXRUNS)
		o.runs = BF_MAXRUNS;
	bf_pages = o.quick ? 4096 : 32768;
	big = o.quick ? (size_t)256 << 20 : (size_t)4 << 30;
	if (kern_init(2) != 0)
		bf_die("kern_init");
	kthread_enter("bench");
	vm_sysctl_init();
	if (vm_page_startup(big + big / 4 + ((size_t)512 << 20), err,
	    sizeof(err)) != 0)
		bf_die(err);
	/*
	 * Fault in the host memory behind flyvm's physical pages now, so
	 * that no figure below pays the host's first-touch cost.
	 */
	memset(vm_phys_base_ptr, 0, (size_t)vm_page_array_size * PAGE_SIZE);
	pmap_init();
	vm_map_startup();
	vm_fault_init();
	bf_zero_fill(0);			/* warm-up */
	bf_report_latencies(&o);
	if (bench_wants(&o, "threads-each"))
		bf_report_threads(&o, 0);
	if (bench_wants(&o, "threads-one"))
		bf_report_threads(&o, 1);
	if (bench_wants(&o, "scaling"))
		bf_report_scaling(&o, big);
	vm_fault_fini();
	vm_map_shutdown();
	pmap_fini();
	vm_page_shutdown();
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
	return (0);
}
