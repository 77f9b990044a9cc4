/*
 * test_vm_page_stress.c - both CPUs hammer the page layer at once: page
 * allocation and freeing without objects, hoarding down to the reserve,
 * private objects, shared objects (grab with RETRY, rename between them,
 * lookups), the lockless hash, contiguous runs, and every queue move.  Afterwards the audit
 * must pass and every page must be free again.
 *
 * FLYVM_STRESS_SECONDS sets the duration (default 4 s, 8 s under TSan).
 * Each thread holds at most one page of a shared object busy at a time,
 * so the threads cannot wait on each other in a cycle.
 */
#include "vm_util.h"

#ifdef FLYVM_TSAN
#define STRESS_SECONDS	8.0
#else
#define STRESS_SECONDS	4.0
#endif

#define NTHREADS	2
#define NSHARED		4
#define SHARED_PAGES	64
#define PRIVATE_PAGES	256
#define HOARD_MAX	2500		/* two threads together exceed 16 MiB */

static vm_object_t shared[NSHARED];
static uint64_t stress_deadline;

struct worker {
	uint64_t	rng;
	vm_object_t	priv;
	vm_page_t	hoard[HOARD_MAX];
	int		nhoard;
	long		ops;
	long		allocs;
	long		alloc_fails;
	long		hash_hits;
	long		contigs;
};

static struct worker workers[NTHREADS];

static uint32_t
rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return ((uint32_t)(w->rng >> 11));
}

/* An objectless page: allocated, maybe soft-busied for "I/O", freed. */
static void
op_alloc_free(struct worker *w)
{
	vm_page_t m = vm_page_alloc(NULL, rnd(w) & 7, VM_ALLOC_NORMAL);

	if (m == NULL) {
		w->alloc_fails++;
		return;
	}
	w->allocs++;
	if (rnd(w) & 1) {
		vm_page_io_start(m);
		vm_page_io_finish(m);
	}
	vm_page_free(m);
}

/* Keep pages until the allocator says no, then give them all back. */
static void
op_hoard(struct worker *w)
{
	vm_page_t m = NULL;

	if (w->nhoard < HOARD_MAX)
		m = vm_page_alloc(NULL, 0, (rnd(w) & 15) ? VM_ALLOC_QUICK :
		    VM_ALLOC_SYSTEM);
	if (m != NULL) {
		w->allocs++;
		w->hoard[w->nhoard++] = m;
		return;
	}
	w->alloc_fails++;
	while (w->nhoard > 0)
		vm_page_free(w->hoard[--w->nhoard]);
}

/* A random shared object and page index. */
static vm_object_t
shared_pick(struct worker *w, vm_pindex_t *pip)
{
	*pip = rnd(w) % SHARED_PAGES;
	return (shared[rnd(w) % NSHARED]);
}

/* Do one random thing with a hard-busied page of an object; unbusies. */
static void
page_action(struct worker *w, vm_page_t m)
{
	switch (rnd(w) % 8) {
	case 0:
		vm_page_set_validclean(m, 0, PAGE_SIZE);
		vm_page_cache(m);
		return;
	case 1:
		vm_page_activate(m);
		break;
	case 2:
		vm_page_deactivate(m);
		break;
	case 3:
		vm_page_free(m);
		return;
	case 4:
		vm_page_wire(m);
		vm_page_unwire(m, rnd(w) & 1);
		break;
	case 5:
		vm_page_hold(m);
		vm_page_free(m);
		vm_page_unhold(m);
		return;
	case 6:
		vm_page_set_validdirty(m, 0, (int)(rnd(w) % PAGE_SIZE) + 1);
		break;
	default:
		vm_page_try_to_cache(m);
		return;
	}
	vm_page_wakeup(m);
}

static void
op_private(struct worker *w)
{
	vm_page_t m;

	vm_object_hold(w->priv);
	m = vm_page_grab(w->priv, rnd(w) % PRIVATE_PAGES, VM_ALLOC_NORMAL);
	if (m != NULL) {
		ASSERT_PTR_EQ(m->object, w->priv);
		page_action(w, m);
	}
	vm_object_drop(w->priv);
}

/* Move m to a free slot of another shared object (both held). */
static void
op_rename(struct worker *w, vm_object_t from, vm_page_t m)
{
	vm_pindex_t pi;
	vm_object_t to = shared_pick(w, &pi);

	if (to == from) {
		vm_page_wakeup(m);
		return;
	}
	vm_object_hold(to);
	/* Holding `to' may have blocked: m is still ours (busied). */
	if (m->object == from && vm_page_lookup(to, pi) == NULL)
		vm_page_rename(m, to, pi);
	vm_page_wakeup(m);
	vm_object_drop(to);
}

static void
op_shared_grab(struct worker *w)
{
	vm_pindex_t pi;
	vm_object_t obj = shared_pick(w, &pi);
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_grab(obj, pi, VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	if (m == NULL) {
		/*
		 * Busy, or memory is short: give the hoard back before
		 * waiting, so two waiting threads always find memory.
		 */
		while (w->nhoard > 0)
			vm_page_free(w->hoard[--w->nhoard]);
		m = vm_page_grab(obj, pi, VM_ALLOC_NORMAL | VM_ALLOC_RETRY |
		    VM_ALLOC_ZERO);
	}
	ASSERT_PTR_EQ(m->object, obj);
	ASSERT_EQ(m->pindex, pi);
	if ((rnd(w) & 7) == 0)
		op_rename(w, obj, m);
	else
		page_action(w, m);
	vm_object_drop(obj);
}

static void
op_shared_lookup(struct worker *w)
{
	vm_pindex_t pi;
	vm_object_t obj = shared_pick(w, &pi);
	vm_page_t m;

	if (rnd(w) & 1) {
		vm_object_hold_shared(obj);
		m = vm_page_lookup_sbusy_try(obj, pi, 0, 512);
		if (m != NULL) {
			ASSERT_PTR_EQ(m->object, obj);
			vm_page_sbusy_drop(m);
		}
	} else {
		vm_object_hold(obj);
		m = vm_page_lookup_busy_wait(obj, pi, TRUE, "stress");
		if (m != NULL) {
			ASSERT_PTR_EQ(m->object, obj);
			vm_page_wakeup(m);
			m = vm_page_lookup(obj, pi);
			if (m != NULL)
				vm_page_try_to_free(m);
		}
	}
	vm_object_drop(obj);
}

/* The lockless hash: a hit is soft-busied and really (obj, pindex). */
static void
op_hash(struct worker *w)
{
	vm_pindex_t pi;
	vm_object_t obj = shared_pick(w, &pi);
	vm_page_t m = vm_page_hash_get(obj, pi);

	if (m == NULL)
		return;
	w->hash_hits++;
	ASSERT_PTR_EQ(atomic_load_relaxed(&m->object), obj);
	ASSERT_EQ(atomic_load_relaxed(&m->pindex), pi);
	vm_page_sbusy_drop(m);
}

/* A small contiguous run, racing the other CPU's allocations. */
static void
op_contig(struct worker *w)
{
	unsigned long size = ((rnd(w) & 7) + 1) * PAGE_SIZE;
	vm_page_t m;

	m = vm_page_alloc_contig(0, ~(vm_paddr_t)0, PAGE_SIZE << (rnd(w) & 3),
	    0, size, VM_MEMATTR_DEFAULT);
	if (m == NULL) {
		w->alloc_fails++;
		return;
	}
	w->contigs++;
	ASSERT_EQ(m[atop(size) - 1].phys_addr, m->phys_addr + size -
	    PAGE_SIZE);
	vm_page_free_contig(m, size);
}

static void
stress_worker(void *arg)
{
	struct worker *w = arg;
	unsigned int r;

	w->priv = vm_object_allocate(OBJT_DEFAULT, PRIVATE_PAGES);
	while (nanouptime_ns() < stress_deadline) {
		for (r = 0; r < 256; r++, w->ops++) {
			switch (rnd(w) % 16) {
			case 0: case 1: case 2: case 3: case 4:
				op_alloc_free(w);
				break;
			case 5: case 6:
				op_hoard(w);
				break;
			case 7: case 8: case 9:
				op_private(w);
				break;
			case 10: case 11:
				op_shared_grab(w);
				break;
			case 12: case 13:
				op_shared_lookup(w);
				break;
			case 14:
				op_hash(w);
				break;
			default:
				if ((rnd(w) & 7) == 0)
					op_contig(w);
				else
					op_hash(w);
				break;
			}
		}
	}
	while (w->nhoard > 0)
		vm_page_free(w->hoard[--w->nhoard]);
	vm_object_deallocate(w->priv);
}

static void
run_stress(size_t mem)
{
	long npages = (long)(mem / PAGE_SIZE), ops = 0, allocs = 0;
	long fails = 0, hits = 0, contigs = 0;
	int i;

	vt_boot(mem);
	for (i = 0; i < NSHARED; i++)
		shared[i] = vm_object_allocate(OBJT_DEFAULT, SHARED_PAGES);
	memset(workers, 0, sizeof(workers));
	for (i = 0; i < NTHREADS; i++)
		workers[i].rng = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1);
	stress_deadline = nanouptime_ns() +
	    (uint64_t)(harness_stress_seconds(STRESS_SECONDS) * 1e9);
	kthread_leave();		/* give both CPUs to the workers */
	kt_run(stress_worker, workers, sizeof(workers[0]), NTHREADS);
	kthread_enter("main");
	for (i = 0; i < NSHARED; i++)
		vm_object_deallocate(shared[i]);
	for (i = 0; i < NTHREADS; i++) {
		ops += workers[i].ops;
		allocs += workers[i].allocs;
		fails += workers[i].alloc_fails;
		hits += workers[i].hash_hits;
		contigs += workers[i].contigs;
	}
	printf("  %ld ops, %ld allocations (%ld refused), %ld hash hits, "
	    "%ld contiguous runs\n", ops, allocs, fails, hits, contigs);
	ASSERT_GE(fails, 1);		/* the hoards reached the reserve */
	ASSERT_GE(hits, 1);
	ASSERT_GE(contigs, 1);
	ASSERT_EQ(vm_page_audit(), 0);
	ASSERT_EQ(vt_free(), npages);
	ASSERT_EQ(vt_count(&vmstats.v_wire_count), 0);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 0);
	vt_shutdown();
}

TEST(stress_two_cpus_16m)
{
	run_stress(VT_MB(16));
}

TEST_MAIN(
	TEST_ENTRY(stress_two_cpus_16m)
)
