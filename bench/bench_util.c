/*
 * bench_util.c - see bench_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "bench_util.h"

void
bench_parse(int argc, char **argv, struct bench_opts *opts)
{
	int i;

	opts->json = 0;
	opts->runs = 5;
	opts->quick = 0;
	opts->only = NULL;
	opts->nobase = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			opts->json = 1;
		else if (strcmp(argv[i], "--quick") == 0)
			opts->quick = 1;
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			opts->runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--no-baseline") == 0)
			opts->nobase = 1;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			opts->only = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--json] [--runs N] "
			    "[--quick] [--only WORD] [--no-baseline]\n", argv[0]);
			exit(2);
		}
	}
	if (opts->runs < 1)
		opts->runs = 1;
}

int
bench_wants(const struct bench_opts *opts, const char *part)
{
	return (opts->only == NULL || strstr(part, opts->only) != NULL);
}

double
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	if (n % 2)
		return (v[n / 2]);
	return ((v[n / 2 - 1] + v[n / 2]) / 2);
}

void
bench_report(const struct bench_opts *opts, const char *name, double value,
    const char *unit, const char *baseline_name, double baseline)
{
	double ratio = baseline != 0 ? value / baseline : 0;

	if (opts->json) {
		printf("{\"name\": \"%s\", \"value\": %.4f, \"unit\": \"%s\", "
		    "\"baseline\": %.4f, \"ratio\": %.4f, "
		    "\"baseline_name\": \"%s\"}\n",
		    name, value, unit, baseline, ratio, baseline_name);
	} else {
		printf("%-44s %12.2f %-8s baseline (%s) %10.2f  ratio %.2f\n",
		    name, value, unit, baseline_name, baseline, ratio);
	}
	fflush(stdout);
}

void *
bench_host_map(size_t bytes, int populate)
{
	void *p;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0), -1, 0);
	return (p == MAP_FAILED ? NULL : p);
}

void
bench_host_unmap(void *p, size_t bytes)
{
	munmap(p, bytes);
}

/* Touch one byte of each page of [p, p + pages pages) for writing. */
static void
bench_host_touch(char *p, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * 4096] = 1;
}

double
bench_host_zero_fill_ns(size_t pages)
{
	char *p = bench_host_map(pages * 4096, 0);
	double t0, ns;

	if (p == NULL)
		return (-1);
	t0 = bench_now_ns();
	bench_host_touch(p, pages);
	ns = (bench_now_ns() - t0) / (double)pages;
	bench_host_unmap(p, pages * 4096);
	return (ns);
}

double
bench_host_soft_fault_ns(size_t pages)
{
	size_t bytes = pages * 4096, i;
	double t0, ns;
	char *p;
	int fd;

	fd = memfd_create("bench", 0);
	if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0)
		return (-1);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return (-1);
	bench_host_touch(p, pages);
	munmap(p, bytes);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return (-1);
	t0 = bench_now_ns();
	for (i = 0; i < pages; i++)
		(void)((volatile char *)p)[i * 4096];
	ns = (bench_now_ns() - t0) / (double)pages;
	munmap(p, bytes);
	close(fd);
	return (ns);
}

double
bench_host_cow_ns(size_t pages)
{
	char *p = bench_host_map(pages * 4096, 0);
	double ns = -1, t0;
	int fds[2], status;
	pid_t pid;

	if (p == NULL || pipe(fds) != 0)
		return (-1);
	bench_host_touch(p, pages);
	pid = fork();
	if (pid == 0) {
		t0 = bench_now_ns();
		bench_host_touch(p, pages);
		ns = (bench_now_ns() - t0) / (double)pages;
		if (write(fds[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		_exit(0);
	}
	if (pid < 0 || read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(fds[0]);
	close(fds[1]);
	bench_host_unmap(p, pages * 4096);
	return (ns);
}

/*
 * host_memset_ns - memset or memcpy of 4 KiB into each of `pages' pages,
 * visited i * stride modulo pages: stride 1 streams through memory in
 * address order, a large prime stride lands all over it.
 */
static double
host_memset_ns(size_t pages, int copy, size_t stride)
{
	size_t bytes = pages * 4096, i, j;
	char *p = bench_host_map(bytes, 1), *q = bench_host_map(bytes, 1);
	double t0, ns;

	if (p == NULL || q == NULL) {
		if (p != NULL)
			bench_host_unmap(p, bytes);
		if (q != NULL)
			bench_host_unmap(q, bytes);
		return (-1);
	}
	memset(p, 1, bytes);
	memset(q, 1, bytes);
	t0 = bench_now_ns();
	for (i = 0; i < pages; i++) {
		j = (i * stride) % pages;
		if (copy)
			memcpy(p + j * 4096, q + j * 4096, 4096);
		else
			memset(p + j * 4096, (int)i, 4096);
	}
	ns = (bench_now_ns() - t0) / (double)pages;
	bench_host_unmap(p, bytes);
	bench_host_unmap(q, bytes);
	return (ns);
}

double
bench_host_cold_memset_ns(size_t pages, int copy)
{
	return (host_memset_ns(pages, copy, 7919));
}

double
bench_host_stream_memset_ns(size_t pages, int copy)
{
	return (host_memset_ns(pages, copy, 1));
}

double
bench_host_fork_ms(size_t bytes)
{
	char *p = bench_host_map(bytes, 0);
	double t0, ms;
	int status;
	pid_t pid;

	if (p == NULL)
		return (-1);
	bench_host_touch(p, bytes / 4096);
	t0 = bench_now_ns();
	pid = fork();
	if (pid == 0)
		_exit(0);
	ms = (bench_now_ns() - t0) / 1e6;
	if (pid < 0)
		ms = -1;
	else
		waitpid(pid, &status, 0);
	bench_host_unmap(p, bytes);
	return (ms);
}

double
bench_host_mmap_ns(long nentries, long iters, long *made)
{
	/* One-page mappings two pages apart, high above the heap. */
	char *base = (char *)0x300000000000ULL, *q;
	double t0, ns;
	long i, n = 0;

	/* Stay clear of vm.max_map_count (65530 by default). */
	if (nentries > 60000)
		nentries = 60000;
	for (i = 0; i < nentries; i++) {
		q = mmap(base + i * 8192, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (q == MAP_FAILED)
			break;
		n++;
	}
	*made = n;
	t0 = bench_now_ns();
	for (i = 0; i < iters; i++) {
		q = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED || munmap(q, 4096) != 0)
			break;
	}
	ns = i == iters ? (bench_now_ns() - t0) / (double)iters : -1;
	for (i = 0; i < n; i++)
		munmap(base + i * 8192, 4096);
	return (ns);
}
