/*
 * test_vm_fault_mt.c - faults from several threads at once (both CPUs):
 * on one address space (the same pages and disjoint ones, with mappings
 * torn away underneath), on several address spaces sharing
 * copy-on-write pages, and against forks of the space being written.
 * Runs under TSan (FLYVM_CONCURRENCY_TESTS).
 */
#include <time.h>

#include "vm_fault_util.h"

#define NTHR		2
#define SPAN_PAGES	64
#define SHARED_PAGES	8

struct mt_arg {
	struct vmspace	*vm;
	vm_offset_t	base;		/* this thread's private span */
	int		id;
	double		seconds;
	long		rounds;
	int		failed;
};

static double
mt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec * 1e-9);
}

/* A store or load that must succeed; failures are counted, not fatal. */
static void
mt_store(struct mt_arg *a, struct vmspace *vm, vm_offset_t va, uint64_t v)
{
	struct pmap_fault pf;

	if (pmap_store_8(vmspace_pmap(vm), va, v, &pf) != 0)
		a->failed++;
}

static uint64_t
mt_fetch(struct mt_arg *a, struct vmspace *vm, vm_offset_t va)
{
	struct pmap_fault pf;
	uint64_t v = 0;

	if (pmap_fetch_8(vmspace_pmap(vm), va, &v, &pf) != 0)
		a->failed++;
	return (v);
}

/*
 * One round on a span: write every page (zero-fill or COW faults), read
 * it back, and every other round knock the mappings out so the next
 * round soft-faults them back in.
 */
static void
mt_span_round(struct mt_arg *a, struct vmspace *vm, vm_offset_t base,
    long round)
{
	vm_offset_t va;
	int i;

	for (i = 0; i < SPAN_PAGES; i++) {
		va = base + (vm_offset_t)i * PAGE_SIZE;
		mt_store(a, vm, va, (uint64_t)round << 8 | (uint64_t)i);
	}
	for (i = 0; i < SPAN_PAGES; i++) {
		va = base + (vm_offset_t)i * PAGE_SIZE;
		if (mt_fetch(a, vm, va) != ((uint64_t)round << 8 | (uint64_t)i))
			a->failed++;
	}
	if (round & 1)
		pmap_remove(vmspace_pmap(vm), base,
		    base + SPAN_PAGES * PAGE_SIZE);
}

/* Shared pages: each thread owns one word of every page. */
static void
mt_shared_round(struct mt_arg *a, long round)
{
	vm_offset_t va;
	int i;

	for (i = 0; i < SHARED_PAGES; i++) {
		va = VFT_VA + (vm_offset_t)i * PAGE_SIZE + 8 * a->id;
		mt_store(a, a->vm, va, (uint64_t)round);
		if (mt_fetch(a, a->vm, va) != (uint64_t)round)
			a->failed++;
	}
}

static void
mt_one_space_thread(void *arg)
{
	struct mt_arg *a = arg;
	double end = mt_now() + a->seconds;

	do {
		mt_span_round(a, a->vm, a->base, a->rounds);
		mt_shared_round(a, a->rounds);
		a->rounds++;
	} while (mt_now() < end);
}

static void
mt_run(kthread_func_t fn, struct mt_arg *args, int n)
{
	struct kthread_handle *h[NTHR];
	int i;

	for (i = 0; i < n; i++)
		ASSERT_EQ(kthread_create(fn, &args[i], "faulter", &h[i]), 0);
	for (i = 0; i < n; i++)
		kthread_join(h[i]);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(args[i].failed, 0);
		ASSERT_GE(args[i].rounds, 1);
	}
}

static void
mt_args(struct mt_arg *args, struct vmspace *vm, double seconds)
{
	int i;

	memset(args, 0, sizeof(*args) * NTHR);
	for (i = 0; i < NTHR; i++) {
		args[i].vm = vm;
		args[i].id = i;
		args[i].seconds = seconds;
		args[i].base = VFT_VA + (vm_offset_t)(i + 1) * 0x4000000;
	}
}

/*
 * Boot, and a space with `pages' of anonymous memory at VFT_VA; args set
 * up for NTHR threads on it.  mt_end audits, releases and tears down.
 */
static struct vmspace *
mt_begin(struct mt_arg *args, vm_size_t pages)
{
	struct vmspace *vm;

	vft_boot(2, 64);
	vm = vft_vm();
	vft_map(vm, VFT_VA, pages * PAGE_SIZE, VM_PROT_ALL);
	mt_args(args, vm, harness_stress_seconds(3.0));
	return (vm);
}

static void
mt_end(struct vmspace *vm)
{
	VFT_AUDIT(&vm->vm_map);
	vmspace_rel(vm);
	vft_teardown();
}

TEST(one_space_many_threads)
{
	struct mt_arg args[NTHR];
	struct vmspace *vm = mt_begin(args, SHARED_PAGES);
	int i;

	for (i = 0; i < NTHR; i++)
		vft_map(vm, args[i].base, SPAN_PAGES * PAGE_SIZE, VM_PROT_ALL);
	mt_run(mt_one_space_thread, args, NTHR);
	mt_end(vm);
}

/*
 * Each thread forks its own space from a common parent and faults in it:
 * copy-on-write of the parent's pages from both CPUs at once, while the
 * parent's pages are only read.
 */
static void
mt_forked_thread(void *arg)
{
	struct mt_arg *a = arg;
	struct vmspace *vm;
	double end = mt_now() + a->seconds;
	int i;

	do {
		vm = vmspace_fork(a->vm);
		if (vm == NULL) {
			a->failed++;
			return;
		}
		for (i = 0; i < SHARED_PAGES; i++)
			if (mt_fetch(a, vm, VFT_VA + i * PAGE_SIZE) !=
			    (uint64_t)i + 1)
				a->failed++;
		mt_span_round(a, vm, VFT_VA, a->rounds);
		vmspace_rel(vm);
		a->rounds++;
	} while (mt_now() < end);
}

TEST(several_spaces_cow_from_one_parent)
{
	struct mt_arg args[NTHR];
	struct vmspace *vm = mt_begin(args, SPAN_PAGES);
	int i;

	for (i = 0; i < SHARED_PAGES; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, (uint64_t)i + 1);
	mt_run(mt_forked_thread, args, NTHR);
	for (i = 0; i < SHARED_PAGES; i++)
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE), i + 1);
	mt_end(vm);
}

/*
 * Thread 0 keeps writing a rising counter to every page of the parent;
 * thread 1 forks it over and over and checks that each child saw a
 * snapshot: no page newer than the counter after the fork, and nothing
 * the parent writes later.
 */
static void
mt_writer_thread(void *arg)
{
	struct mt_arg *a = arg;
	double end = mt_now() + a->seconds;
	int i;

	do {
		a->rounds++;
		for (i = 0; i < SHARED_PAGES; i++)
			mt_store(a, a->vm, VFT_VA + i * PAGE_SIZE, a->rounds);
	} while (mt_now() < end);
}

static void
mt_forker_thread(void *arg)
{
	struct mt_arg *a = arg;
	struct vmspace *vm;
	uint64_t v[SHARED_PAGES];
	double end = mt_now() + a->seconds;
	int i;

	do {
		vm = vmspace_fork(a->vm);
		if (vm == NULL) {
			a->failed++;
			return;
		}
		for (i = 0; i < SHARED_PAGES; i++)
			v[i] = mt_fetch(a, vm, VFT_VA + i * PAGE_SIZE);
		/* Pages are written in order: a snapshot never rises. */
		for (i = 1; i < SHARED_PAGES; i++)
			if (v[i] > v[i - 1])
				a->failed++;
		for (i = 0; i < SHARED_PAGES; i++)
			if (mt_fetch(a, vm, VFT_VA + i * PAGE_SIZE) != v[i])
				a->failed++;
		vmspace_rel(vm);
		a->rounds++;
	} while (mt_now() < end);
}

static void
mt_fork_dispatch(void *arg)
{
	struct mt_arg *a = arg;

	if (a->id == 0)
		mt_writer_thread(a);
	else
		mt_forker_thread(a);
}

TEST(fork_while_writing)
{
	struct mt_arg args[NTHR];
	struct vmspace *vm = mt_begin(args, SHARED_PAGES);

	mt_run(mt_fork_dispatch, args, NTHR);
	mt_end(vm);
}

TEST_MAIN(
	TEST_ENTRY(one_space_many_threads),
	TEST_ENTRY(several_spaces_cow_from_one_parent),
	TEST_ENTRY(fork_while_writing)
)
