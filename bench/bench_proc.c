/*
 * bench_proc.c - processes and the mmap family through the public API,
 * as a program linked against libflyvm sees them, each figure next to
 * the host kernel doing the same work in the same run:
 *
 *   fork_1g		ms for flyvm_proc_fork of a process with 1 GiB
 *			written; baseline: the host forking a process with
 *			1 GiB written.
 *   mmap_munmap_10	us for flyvm_mmap + flyvm_munmap of one anonymous
 *			page while the map holds 10 other entries;
 *			baseline: the host's mmap + munmap likewise.
 *   mmap_munmap_100000	the same with 100,000 other entries, packed from
 *			the mmap hint upward so that every placement has to
 *			get past them; baseline: the host with as many
 *			mappings as it allows (vm.max_map_count).
 *   mmap_growth	mmap_munmap_100000 / mmap_munmap_10 (goal <= 2);
 *			baseline: the host's growth.
 *   zero_fill		us per page, flyvm_store to fresh anonymous memory
 *			(one fault each); baseline: host zero-fill fault.
 *   cow		us per page, the parent's flyvm_store after a fork;
 *			baseline: host copy-on-write fault.
 *
 * Usage: bench_proc [--json] [--runs N] [--quick]; medians of N runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "bench_util.h"

#define BP_PAGE		4096ULL
#define BP_MAXRUNS	64

static struct flyvm *bp_vm;

static void
bp_check(int error, const char *what)
{
	if (error != 0) {
		fprintf(stderr, "bench_proc: %s: error %d\n", what, error);
		exit(1);
	}
}

/* Anonymous private read-write memory of `bytes' in pid. */
static uint64_t
bp_map(flyvm_pid_t pid, uint64_t bytes)
{
	uint64_t addr;

	bp_check(flyvm_mmap(bp_vm, pid, 0, bytes,
	    FLYVM_PROT_READ | FLYVM_PROT_WRITE,
	    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE, -1, 0, &addr), "mmap");
	return (addr);
}

/* Write one word into each page of [addr, addr + pages pages). */
static void
bp_touch(flyvm_pid_t pid, uint64_t addr, uint64_t pages, uint64_t val)
{
	uint64_t i;

	for (i = 0; i < pages; i++)
		bp_check(flyvm_store(bp_vm, pid, addr + i * BP_PAGE, 8,
		    val + i, NULL), "store");
}

static void
bench_fork(const struct bench_opts *o)
{
	uint64_t bytes = o->quick ? (64ULL << 20) : (1ULL << 30);
	double v[BP_MAXRUNS], b[BP_MAXRUNS], t0;
	flyvm_pid_t pid, child;
	uint64_t addr;
	char name[64];
	int r;

	bp_check(flyvm_proc_spawn(bp_vm, 0, &pid), "spawn");
	addr = bp_map(pid, bytes);
	bp_touch(pid, addr, bytes / BP_PAGE, 1);
	for (r = 0; r < o->runs; r++) {
		t0 = bench_now_ns();
		bp_check(flyvm_proc_fork(bp_vm, pid, &child), "fork");
		v[r] = (bench_now_ns() - t0) / 1e6;
		bp_check(flyvm_proc_exit(bp_vm, child, 0), "exit");
		b[r] = bench_host_fork_ms(bytes);
	}
	bp_check(flyvm_proc_exit(bp_vm, pid, 0), "exit");
	snprintf(name, sizeof(name), "fork_%llum",
	    (unsigned long long)(bytes >> 20));
	bench_report(o, name, bench_median(v, o->runs), "ms",
	    "host fork() with the same memory written",
	    bench_median(b, o->runs));
}

/*
 * us per mmap + munmap of one page in a process whose map has `others'
 * one-page entries packed from the mmap hint upward (alternating
 * protections keep them from merging).
 */
static double
bench_mmap_one(const struct bench_opts *o, long others)
{
	uint64_t hint = 0x400000ULL + (128ULL << 20), addr, out;
	long i, iters = o->quick ? 2000 : 20000;
	double v[BP_MAXRUNS], t0;
	flyvm_pid_t pid;
	int r, prot;

	bp_check(flyvm_proc_spawn(bp_vm, 0, &pid), "spawn");
	for (i = 0; i < others; i++) {
		prot = (i & 1) ? FLYVM_PROT_READ :
		    FLYVM_PROT_READ | FLYVM_PROT_WRITE;
		bp_check(flyvm_mmap(bp_vm, pid, hint + (uint64_t)i * BP_PAGE,
		    BP_PAGE, prot, FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE |
		    FLYVM_MAP_FIXED, -1, 0, &out), "mmap fixed");
	}
	for (r = 0; r < o->runs; r++) {
		t0 = bench_now_ns();
		for (i = 0; i < iters; i++) {
			addr = bp_map(pid, BP_PAGE);
			bp_check(flyvm_munmap(bp_vm, pid, addr, BP_PAGE),
			    "munmap");
		}
		v[r] = (bench_now_ns() - t0) / (double)iters / 1e3;
	}
	bp_check(flyvm_proc_exit(bp_vm, pid, 0), "exit");
	return (bench_median(v, o->runs));
}

static double
bench_host_mmap_us(const struct bench_opts *o, long others, long *made)
{
	double b[BP_MAXRUNS];
	int r;

	for (r = 0; r < o->runs; r++)
		b[r] = bench_host_mmap_ns(others, o->quick ? 2000 : 20000,
		    made) / 1e3;
	return (bench_median(b, o->runs));
}

static void
bench_mmap(const struct bench_opts *o)
{
	long big = o->quick ? 10000 : 100000, made_small, made_big;
	double small, large, hsmall, hlarge;
	char name[64], base[96];

	small = bench_mmap_one(o, 10);
	large = bench_mmap_one(o, big);
	hsmall = bench_host_mmap_us(o, 10, &made_small);
	hlarge = bench_host_mmap_us(o, big, &made_big);
	bench_report(o, "mmap_munmap_10", small, "us",
	    "host mmap+munmap, 10 other mappings", hsmall);
	snprintf(name, sizeof(name), "mmap_munmap_%ld", big);
	snprintf(base, sizeof(base), "host mmap+munmap, %ld other mappings",
	    made_big);
	bench_report(o, name, large, "us", base, hlarge);
	bench_report(o, "mmap_growth", large / small, "x",
	    "host growth over the same range", hlarge / hsmall);
}

static void
bench_faults(const struct bench_opts *o)
{
	uint64_t pages = o->quick ? 2048 : 32768, addr;
	double v[BP_MAXRUNS], c[BP_MAXRUNS], t0;
	flyvm_pid_t pid, child;
	int r;

	for (r = 0; r < o->runs; r++) {
		bp_check(flyvm_proc_spawn(bp_vm, 0, &pid), "spawn");
		addr = bp_map(pid, pages * BP_PAGE);
		t0 = bench_now_ns();
		bp_touch(pid, addr, pages, 1);
		v[r] = (bench_now_ns() - t0) / (double)pages / 1e3;
		bp_check(flyvm_proc_fork(bp_vm, pid, &child), "fork");
		t0 = bench_now_ns();
		bp_touch(pid, addr, pages, 2);
		c[r] = (bench_now_ns() - t0) / (double)pages / 1e3;
		bp_check(flyvm_proc_exit(bp_vm, child, 0), "exit");
		bp_check(flyvm_proc_exit(bp_vm, pid, 0), "exit");
	}
	bench_report(o, "zero_fill", bench_median(v, o->runs), "us",
	    "host zero-fill fault", bench_host_zero_fill_ns(pages) / 1e3);
	bench_report(o, "cow", bench_median(c, o->runs), "us",
	    "host copy-on-write fault", bench_host_cow_ns(pages) / 1e3);
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	struct flyvm_config cfg;
	char err[256];

	bench_parse(argc, argv, &o);
	if (o.runs > BP_MAXRUNS)
		o.runs = BP_MAXRUNS;
	flyvm_config_init(&cfg);
	cfg.mem_bytes = o.quick ? (256ULL << 20) : (1536ULL << 20);
	if (flyvm_boot(&cfg, &bp_vm, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_proc: boot: %s\n", err);
		return (1);
	}
	bp_check(flyvm_thread_enter(bp_vm, "bench"), "thread_enter");
	bench_fork(&o);
	bench_mmap(&o);
	bench_faults(&o);
	bp_check(flyvm_thread_leave(bp_vm), "thread_leave");
	bp_check(flyvm_shutdown(bp_vm), "shutdown");
	return (0);
}
