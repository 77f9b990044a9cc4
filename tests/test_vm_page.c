/*
 * test_vm_page.c - physical pages: boot and thresholds, allocation and
 * reserves, colors and the widening search, busy/wire/hold, every queue
 * move, object membership and lookups, valid/dirty bits, contiguous
 * allocation, memory waits, per-CPU statistics and the audit.
 */
#include "vm_util.h"

#define NPG_8M	2048

/*
 * ------------------------------------------------------------------
 * Boot, thresholds, statistics
 * ------------------------------------------------------------------
 */

/* Boot and shut down repeatedly in one process; every boot is fresh. */
TEST(boot_shutdown_repeats)
{
	size_t sizes[] = { VT_MB(8), VT_MB(64), VT_MB(8) + 4096 };
	vm_page_t m;
	int i;

	for (i = 0; i < 3; i++) {
		vt_boot(sizes[i]);
		ASSERT_EQ(vmstats.v_page_count, (long)(sizes[i] / PAGE_SIZE));
		ASSERT_EQ(vt_free(), (long)(sizes[i] / PAGE_SIZE));
		ASSERT_EQ(vmstats.v_page_size, PAGE_SIZE);
		m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
		ASSERT_NOT_NULL(m);
		vm_page_free(m);
		vt_shutdown();
	}
}

TEST(startup_rejects_bad_sizes)
{
	char err[256];

	kt_boot(2);
	vm_sysctl_init();
	ASSERT_EQ(vm_page_startup(VT_MB(8) - PAGE_SIZE, err, sizeof(err)),
	    EINVAL);
	ASSERT_STR_CONTAINS(err, "8M..64G");
	ASSERT_EQ(vm_page_startup(VT_MB(8) + 100, err, sizeof(err)), EINVAL);
	ASSERT_STR_CONTAINS(err, "multiple of the page size");
	ASSERT_EQ(vm_page_startup(VT_GB(65), err, sizeof(err)), EINVAL);
	ASSERT_EQ(vm_page_startup(VT_MB(8), err, sizeof(err)), 0);
	ASSERT_EQ(vm_page_startup(VT_MB(8), err, sizeof(err)), EBUSY);
	ASSERT_STR_CONTAINS(err, "already");
	vm_page_shutdown();
	vm_sysctl_fini();
	kt_shutdown();
}

/* Facts sheet 4.1, computed independently for a given page count. */
static void
check_thresholds(long npages)
{
	long min = 64 + npages / 200;
	int64_t v;

	ASSERT_EQ(vmstats.v_page_count, npages);
	ASSERT_EQ(vmstats.v_free_min, min);
	ASSERT_EQ(vmstats.v_free_reserved, min * 4 / 8 + 7);
	ASSERT_EQ(vmstats.v_free_severe, min * 4 / 8);
	ASSERT_EQ(vmstats.v_pageout_free_min, min * 2 / 8 + 7);
	ASSERT_EQ(vmstats.v_interrupt_free_min, min / 8 + 7);
	ASSERT_EQ(vmstats.v_free_target, 2 * min);
	ASSERT_EQ(vmstats.v_paging_wait, 2 * min);
	ASSERT_EQ(vmstats.v_paging_start, 3 * min);
	ASSERT_EQ(vmstats.v_paging_target1, 4 * min);
	ASSERT_EQ(vmstats.v_paging_target2, 5 * min);
	ASSERT_EQ(vmstats.v_inactive_target, npages / 16);
	ASSERT_EQ(vm_page_max_wired, npages / 3);
	ASSERT_EQ(sysctl_get("vm.v_free_min", &v), 0);
	ASSERT_EQ(v, min);
	ASSERT_EQ(sysctl_get("vm.max_wired", &v), 0);
	ASSERT_EQ(v, npages / 3);
}

TEST(thresholds_8m)
{
	vt_boot(VT_MB(8));
	check_thresholds(NPG_8M);
	ASSERT_EQ(vmstats.v_free_min, 74);
	ASSERT_EQ(vmstats.v_free_reserved, 44);
	vt_shutdown();
}

TEST(thresholds_256m)
{
	vt_boot(VT_MB(256));
	check_thresholds(65536);
	ASSERT_EQ(vmstats.v_free_min, 391);
	vt_shutdown();
}

/* The facts sheet's worked example. */
TEST(thresholds_16g_worked_example)
{
	vt_boot(VT_GB(16));
	check_thresholds(4194304);
	ASSERT_EQ(vmstats.v_free_min, 21035);
	ASSERT_EQ(vmstats.v_free_reserved, 10524);
	ASSERT_EQ(vmstats.v_free_severe, 10517);
	ASSERT_EQ(vmstats.v_pageout_free_min, 5265);
	ASSERT_EQ(vmstats.v_interrupt_free_min, 2636);
	ASSERT_EQ(vmstats.v_free_target, 42070);
	ASSERT_EQ(vmstats.v_paging_wait, 42070);
	ASSERT_EQ(vmstats.v_paging_start, 63105);
	ASSERT_EQ(vmstats.v_paging_target1, 84140);
	ASSERT_EQ(vmstats.v_paging_target2, 105175);
	vt_shutdown();
}

/* A preset vm.max_wired survives boot. */
TEST(max_wired_preset_kept)
{
	char err[128];

	kt_boot(2);
	vm_sysctl_init();
	ASSERT_EQ(sysctl_set_boot("vm.max_wired", 1000), 0);
	ASSERT_EQ(vm_page_startup(VT_MB(8), err, sizeof(err)), 0);
	ASSERT_EQ(vm_page_max_wired, 1000);
	vt_shutdown();
}

/* 32 GiB boots without touching its page structs; pages work. */
TEST(boot_32g_is_lazy)
{
	vm_page_t m[4];
	int i;

	vt_boot(VT_GB(32));
	ASSERT_EQ(vt_free(), 8L * 1024 * 1024);
	for (i = 0; i < 4; i++) {
		m[i] = vm_page_alloc(NULL, (vm_pindex_t)i, VM_ALLOC_NORMAL);
		ASSERT_NOT_NULL(m[i]);
		memset(vm_page_data(m[i]), i, PAGE_SIZE);
	}
	for (i = 0; i < 4; i++)
		vm_page_free(m[i]);
	ASSERT_EQ(vt_free(), 8L * 1024 * 1024);
	vt_shutdown();
}

/* Counts change in per-CPU deltas; rollup folds them in. */
TEST(vmstats_per_cpu_deltas)
{
	vm_page_t m[200];
	long before, adj0;
	int i;

	vt_boot(VT_MB(8));
	before = vmstats.v_free_count;
	adj0 = mycpu->gd_vmstats_adj.v_free_count;
	for (i = 0; i < 10; i++)
		m[i] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_EQ(mycpu->gd_vmstats_adj.v_free_count, adj0 - 10);
	ASSERT_EQ(vmstats.v_free_count, before);	/* not folded yet */
	vmstats_rollup();
	ASSERT_EQ(vmstats.v_free_count, before - 10);
	ASSERT_EQ(mycpu->gd_vmstats.v_free_count, before - 10);
	for (i = 10; i < 200; i++)
		m[i] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	/* Folded on the way, without a rollup: within the fold period. */
	ASSERT_LE(vmstats.v_free_count, before - 200 + 64);
	for (i = 0; i < 200; i++)
		vm_page_free(m[i]);
	ASSERT_EQ(vt_free(), before);
	vt_shutdown();
}

/*
 * ------------------------------------------------------------------
 * Allocation, reserves, colors
 * ------------------------------------------------------------------
 */

/* A new page is hard-busied, clean and on no queue; freeing restores. */
TEST(alloc_free_basic)
{
	vm_page_t m;
	long free0;
	struct vmmeter sum;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(m->busy_count, PBUSY_LOCKED);
	ASSERT_EQ(m->queue, PQ_NONE);
	ASSERT_NULL(m->object);
	ASSERT_EQ(m->wire_count, 0);
	ASSERT_EQ(m->valid, 0);
	ASSERT_EQ(m->dirty, 0);
	ASSERT_PTR_EQ(PHYS_TO_VM_PAGE(VM_PAGE_TO_PHYS(m)), m);
	ASSERT_EQ(vt_free(), free0 - 1);
	vm_page_free(m);
	ASSERT_TRUE(vt_page_free(m));
	ASSERT_EQ(vt_free(), free0);
	vmmeter_sum(&sum);
	ASSERT_EQ(sum.v_pagealloc, 1);
	ASSERT_EQ(sum.v_tfree, 1);
	vt_shutdown();
}

/* Free pages go in at the head: the next allocation gets the same page. */
TEST(free_goes_to_head)
{
	const int flags = VM_ALLOC_NORMAL | VM_ALLOC_CPU(0);
	vm_object_t obj;
	vm_page_t m, m2;

	obj = vt_boot_obj(1);
	m = vt_obj_alloc(obj, 0);
	vm_page_activate(m);			/* queued: bypasses the cache */
	vm_page_free(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_FREE);
	ASSERT_PTR_EQ(TAILQ_FIRST(&vm_page_queues[PQ_FREE + m->pc].pl), m);
	m2 = vm_page_alloc(NULL, (vm_pindex_t)m->pc, flags);
	ASSERT_PTR_EQ(m2, m);
	vm_page_free(m2);
	vt_finish_obj(obj);
}

/*
 * The per-CPU page cache: objectless frees land there (LIFO) until it is
 * full, objectless allocations without a CPU hint take from it, a held
 * cached page is diverted to PQ_HOLD, contig allocation drains it.
 */
TEST(pcpu_page_cache)
{
	vm_page_t m[20], c;
	long free0;
	int i;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	for (i = 0; i < 20; i++)
		m[i] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	for (i = 0; i < 20; i++)
		vm_page_free(m[i]);
	for (i = 0; i < 16; i++)
		ASSERT_TRUE(vm_page_flags(m[i]) & PG_PCPUCACHE);
	for (i = 16; i < 20; i++)
		ASSERT_EQ(vm_page_qbase(m[i]), PQ_FREE);	/* overflow */
	ASSERT_EQ(vt_free(), free0);
	ASSERT_EQ(vm_page_audit(), 0);
	c = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_PTR_EQ(c, m[15]);				/* LIFO */
	ASSERT_EQ(c->flags, 0);
	vm_page_free(c);
	/* A CPU hint goes to the queues of that CPU's colors. */
	c = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL | VM_ALLOC_CPU(1));
	ASSERT_FALSE(vm_page_flags(c) & PG_PCPUCACHE);
	ASSERT_GE(c->pc, 512);
	vm_page_free(c);			/* cache full: to its queue */
	ASSERT_EQ(vm_page_qbase(c), PQ_FREE);
	/* Holding a cached page: the next allocation moves it to PQ_HOLD. */
	vm_page_hold(m[15]);
	c = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_PTR_EQ(c, m[14]);
	ASSERT_EQ(vm_page_qbase(m[15]), PQ_HOLD);
	ASSERT_EQ(vt_free(), free0 - 2);
	vm_page_unhold(m[15]);
	ASSERT_EQ(vm_page_qbase(m[15]), PQ_FREE);
	vm_page_free(c);
	/* Contig allocation drains the cache onto the queues. */
	c = vm_page_alloc_contig(0, ~(vm_paddr_t)0, 0, 0, PAGE_SIZE,
	    VM_MEMATTR_DEFAULT);
	for (i = 0; i < 20; i++)
		ASSERT_FALSE(vm_page_flags(m[i]) & PG_PCPUCACHE);
	vm_page_free_contig(c, PAGE_SIZE);
	ASSERT_EQ(vt_free(), free0);
	vt_shutdown();
}

TEST(alloc_zero)
{
	vm_page_t m;
	unsigned char *p;
	int i;

	vt_boot(VT_MB(8));
	m = vm_page_alloc(NULL, 3, VM_ALLOC_NORMAL | VM_ALLOC_CPU(0));
	memset(vm_page_data(m), 0xa5, PAGE_SIZE);
	vm_page_free(m);
	m = vm_page_alloc(NULL, 3, VM_ALLOC_NORMAL | VM_ALLOC_CPU(0) |
	    VM_ALLOC_ZERO);
	p = vm_page_data(m);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		ASSERT_EQ(p[i], 0);
	vm_page_free(m);
	vt_shutdown();
}

static vm_page_t drained[NPG_8M];
static int ndrained;

static int
drain(int flags)
{
	vm_page_t m;
	int n = 0;

	while ((m = vm_page_alloc(NULL, 0, flags)) != NULL) {
		drained[ndrained++] = m;
		n++;
	}
	return (n);
}

static void
undrain(int keep)
{
	while (ndrained > keep)
		vm_page_free(drained[--ndrained]);
}

/*
 * NORMAL/QUICK stop at v_free_reserved; SYSTEM dips to
 * v_interrupt_free_min; INTERRUPT takes the last page (facts 4.9).
 */
TEST(reserve_rules)
{
	vt_boot(VT_MB(8));
	ndrained = 0;
	ASSERT_EQ(drain(VM_ALLOC_NORMAL), NPG_8M - 43);
	ASSERT_EQ(vt_free(), vmstats.v_free_reserved - 1);
	ASSERT_EQ(drain(VM_ALLOC_QUICK), 0);
	ASSERT_GE(atomic_load_int(&vm_pageout_deficit), 2);
	ASSERT_EQ(atomic_load_int(&vm_pages_needed), 1);
	ASSERT_EQ(drain(VM_ALLOC_SYSTEM), 43 - 16);
	ASSERT_EQ(vt_free(), vmstats.v_interrupt_free_min);
	ASSERT_EQ(drain(VM_ALLOC_INTERRUPT), 16);
	ASSERT_EQ(vt_free(), 0);
	ASSERT_EQ(drain(VM_ALLOC_INTERRUPT), 0);
	undrain(0);
	ASSERT_EQ(vt_free(), NPG_8M);
	vt_shutdown();
}

/* A TDF_SYSTHREAD thread allocates as SYSTEM. */
TEST(systhread_dips_into_reserve)
{
	vt_boot(VT_MB(8));
	ndrained = 0;
	drain(VM_ALLOC_NORMAL);
	curthread->td_flags |= TDF_SYSTHREAD;
	ASSERT_EQ(drain(VM_ALLOC_NORMAL), 43 - 16);
	curthread->td_flags &= ~TDF_SYSTHREAD;
	undrain(0);
	vt_shutdown();
}

/* Put n clean pages of a fresh object on the cache queue. */
static vm_object_t
make_cached(int n)
{
	vm_object_t obj = vm_object_allocate(OBJT_DEFAULT, (vm_pindex_t)n);
	vm_page_t m;
	int i;

	vm_object_hold(obj);
	for (i = 0; i < n; i++) {
		m = vt_obj_alloc(obj, (vm_pindex_t)i);
		atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
		vm_page_cache(m);
		ASSERT_EQ(vm_page_qbase(m), PQ_CACHE);
	}
	vm_object_drop(obj);
	return (obj);
}

/* At the reserve NORMAL reclaims cache pages; QUICK does not. */
TEST(normal_reclaims_cache)
{
	vm_object_t obj;

	vt_boot(VT_MB(8));
	obj = make_cached(100);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 100);
	ndrained = 0;
	ASSERT_EQ(drain(VM_ALLOC_QUICK), NPG_8M - 100 - 43);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 100);
	ASSERT_EQ(drain(VM_ALLOC_NORMAL), 100);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 0);
	ASSERT_EQ(obj->resident_page_count, 0);
	ASSERT_EQ(vt_free(), vmstats.v_free_reserved - 1);
	/* SYSTEM may not dip while cache pages remain: none remain now. */
	ASSERT_EQ(drain(VM_ALLOC_SYSTEM), 43 - 16);
	undrain(0);
	vm_object_deallocate(obj);
	vt_shutdown();
}

/* SYSTEM does not dip below the reserve while cache pages exist. */
TEST(system_respects_cache)
{
	vm_object_t obj;

	vt_boot(VT_MB(8));
	obj = make_cached(10);
	ndrained = 0;
	drain(VM_ALLOC_QUICK);
	ASSERT_EQ(drain(VM_ALLOC_SYSTEM), 0);
	undrain(0);
	vm_object_deallocate(obj);
	vt_shutdown();
}

/* Each CPU draws from its own range of colors; objects spread pindexes. */
TEST(color_localization)
{
	vm_object_t obj;
	vm_page_t m;
	int i;

	vt_boot(VT_MB(64));
	for (i = 0; i < 64; i++) {
		m = vm_page_alloc(NULL, (vm_pindex_t)i, VM_ALLOC_NORMAL |
		    VM_ALLOC_CPU(0));
		ASSERT_LE(m->pc, 511);
		ASSERT_EQ(m->pc, i);
		vm_page_free(m);
		m = vm_page_alloc(NULL, (vm_pindex_t)i, VM_ALLOC_NORMAL |
		    VM_ALLOC_CPU(1));
		ASSERT_GE(m->pc, 512);
		ASSERT_EQ(m->pc, 512 + i);
		vm_page_free(m);
	}
	ASSERT_EQ(vm_get_pg_color(0, NULL, 511), 511);
	ASSERT_EQ(vm_get_pg_color(0, NULL, 512), 0);
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 8);
	for (i = 0; i < 8; i++) {
		m = vt_obj_alloc(obj, (vm_pindex_t)i);
		ASSERT_EQ(m->pc, vm_get_pg_color(mycpuid, obj, (vm_pindex_t)i));
		ASSERT_EQ(m->pc % 512, (obj->pg_color + i) % 512);
		vm_page_wakeup(m);
	}
	vt_finish_obj(obj);
}

/*
 * Count how many of obj's pages 0..n-1 sit right after the page before
 * them in physical memory.
 */
static int
count_in_order(vm_page_t *m, int n)
{
	int i, adj = 0;

	for (i = 1; i < n; i++)
		if (VM_PAGE_TO_PHYS(m[i]) == VM_PAGE_TO_PHYS(m[i - 1]) +
		    PAGE_SIZE)
			adj++;
	return (adj);
}

/*
 * Consecutive pages of an object, allocated in order on one CPU, get
 * consecutive frames: consecutive colors sit side by side in every block
 * (vm_page_color_of rotates, it does not shuffle).  Within a CPU's 512
 * colors the order breaks at most where the colors wrap, where the
 * offsets wrap and where a new block starts: a handful of times per 512
 * pages.  The same holds for pages reallocated after a free.
 */
TEST(object_pages_get_consecutive_frames)
{
	enum { N = 2048 };
	static vm_page_t m[N];
	vm_object_t obj;
	int i, round;

	vt_boot(VT_MB(64));
	obj = vm_object_allocate_hold(OBJT_DEFAULT, N);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < N; i++) {
			m[i] = vt_obj_alloc(obj, (vm_pindex_t)i);
			vm_page_wakeup(m[i]);
		}
		ASSERT_GE(count_in_order(m, N), N - 1 - 3 * (N / 512));
		for (i = 0; i < N; i++) {
			vm_page_busy_wait(m[i], FALSE, "test");
			vm_page_free(m[i]);
		}
	}
	vt_finish_obj(obj);
}

/*
 * 8 MiB holds two pages of each color.  Draining color 37 widens to
 * its group of 16 colors, then to the group of 32.
 */
TEST(widening_search)
{
	const int flags = VM_ALLOC_NORMAL | VM_ALLOC_CPU(0);
	vm_page_t m[40];
	int i;

	vt_boot(VT_MB(8));
	for (i = 0; i < 40; i++) {
		m[i] = vm_page_alloc(NULL, 37, flags);
		ASSERT_NOT_NULL(m[i]);
		if (i < 2)
			ASSERT_EQ(m[i]->pc, 37);
		else if (i < 32)
			ASSERT_TRUE(m[i]->pc >= 32 && m[i]->pc < 48);
		else
			ASSERT_TRUE(m[i]->pc >= 48 && m[i]->pc < 64);
	}
	for (i = 0; i < 40; i++)
		vm_page_free(m[i]);
	vt_shutdown();
}

/* The Nth allocation fails when the injector is armed. */
TEST(alloc_fault_injection)
{
	vm_page_t m[5];
	int i;

	vt_boot(VT_MB(8));
	fault_inject_arm(vm_page_alloc_fault(), 3, 0);
	for (i = 0; i < 5; i++) {
		m[i] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
		if (i == 2)
			ASSERT_NULL(m[i]);
		else
			ASSERT_NOT_NULL(m[i]);
	}
	ASSERT_EQ(fault_inject_hits(vm_page_alloc_fault()), 1);
	for (i = 0; i < 5; i++)
		if (m[i] != NULL)
			vm_page_free(m[i]);
	vt_shutdown();
}

/*
 * ------------------------------------------------------------------
 * Busy, wire, hold
 * ------------------------------------------------------------------
 */

TEST(busy_protocol)
{
	vm_page_t m;

	vt_boot(VT_MB(8));
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_TRUE(vm_page_busy_try(m, FALSE));	/* already ours */
	ASSERT_TRUE(vm_page_sbusy_try(m));		/* hard excludes soft */
	vm_page_io_start(m);
	ASSERT_EQ(m->busy_count, PBUSY_LOCKED | 1);
	vm_page_wakeup(m);
	ASSERT_EQ(m->busy_count, 1);			/* soft remains */
	ASSERT_TRUE(vm_page_busy_try(m, TRUE));		/* soft blocks also */
	ASSERT_FALSE(vm_page_sbusy_try(m));
	ASSERT_EQ(m->busy_count, 2);
	vm_page_sbusy_drop(m);
	vm_page_io_finish(m);
	ASSERT_EQ(m->busy_count, 0);
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_sbusy_hold(m);
	vm_page_sbusy_drop(m);
	vm_page_flash(m);
	ASSERT_EQ(m->busy_count, PBUSY_LOCKED);
	vm_page_free(m);
	vt_shutdown();
}

struct waiter {
	vm_page_t	m;
	vm_object_t	obj;
	vm_page_t	got;
	int		done;
};

static void
busy_waiter(void *arg)
{
	struct waiter *w = arg;

	vm_page_busy_wait(w->m, TRUE, "tbusy");
	w->got = w->m;
	atomic_store_int(&w->done, 1);
	vm_page_wakeup(w->m);
}

/* busy_wait sleeps (PBUSY_WANTED) until the owner releases the page. */
TEST(busy_wait_blocks_until_wakeup)
{
	struct kthread_handle *h;
	struct waiter w = { 0 };

	vt_boot(VT_MB(8));
	w.m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_EQ(kthread_create(busy_waiter, &w, "waiter", &h), 0);
	KT_WAIT(atomic_load_int(&w.m->busy_count) & PBUSY_WANTED);
	ASSERT_EQ(atomic_load_int(&w.done), 0);
	ASSERT_TRUE(w.m->busy_count & PBUSY_WANTED);
	vm_page_wakeup(w.m);
	kthread_join(h);
	ASSERT_EQ(w.done, 1);
	vm_page_busy_wait(w.m, TRUE, "tbusy");
	vm_page_free(w.m);
	vt_shutdown();
}

/* Waiting for the last soft-busy also works (also_m_busy). */
TEST(busy_wait_for_soft_busy)
{
	struct kthread_handle *h;
	struct waiter w = { 0 };

	vt_boot(VT_MB(8));
	w.m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	vm_page_io_start(w.m);
	vm_page_wakeup(w.m);
	ASSERT_EQ(kthread_create(busy_waiter, &w, "waiter", &h), 0);
	KT_WAIT(atomic_load_int(&w.m->busy_count) & PBUSY_WANTED);
	vm_page_io_finish(w.m);
	kthread_join(h);
	ASSERT_EQ(w.done, 1);
	vm_page_busy_wait(w.m, TRUE, "tbusy");
	vm_page_free(w.m);
	vt_shutdown();
}

static void
grabber(void *arg)
{
	struct waiter *w = arg;

	vm_object_hold(w->obj);
	w->got = vm_page_grab(w->obj, 3, VM_ALLOC_NORMAL | VM_ALLOC_RETRY);
	atomic_store_int(&w->done, 1);
	vm_page_wakeup(w->got);
	vm_object_drop(w->obj);
}

/* grab with RETRY waits for a busy page released by another thread. */
TEST(grab_retry_waits_for_busy_page)
{
	struct kthread_handle *h;
	struct waiter w = { 0 };

	vt_boot(VT_MB(8));
	w.obj = vm_object_allocate_hold(OBJT_DEFAULT, 8);
	w.m = vt_obj_alloc(w.obj, 3);
	vm_object_drop(w.obj);
	ASSERT_EQ(kthread_create(grabber, &w, "grabber", &h), 0);
	KT_WAIT(atomic_load_int(&w.m->busy_count) & PBUSY_WANTED);
	ASSERT_EQ(atomic_load_int(&w.done), 0);
	vm_page_wakeup(w.m);
	kthread_join(h);
	ASSERT_PTR_EQ(w.got, w.m);
	vm_object_deallocate(w.obj);
	vt_shutdown();
}

/* grab allocates absent pages, zeroing them with VM_ALLOC_ZERO. */
TEST(grab_allocates_and_zeroes)
{
	vm_object_t obj;
	vm_page_t m, m2;
	unsigned char *p;

	obj = vt_boot_obj(8);
	m = vm_page_grab(obj, 5, VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(m->valid, VM_PAGE_BITS_ALL);
	p = vm_page_data(m);
	ASSERT_EQ(p[0] | p[PAGE_SIZE - 1], 0);
	ASSERT_NULL(vm_page_grab(obj, 5, VM_ALLOC_NORMAL));	/* busy */
	vm_page_wakeup(m);
	m2 = vm_page_grab(obj, 5, VM_ALLOC_NORMAL);
	ASSERT_PTR_EQ(m2, m);
	vm_page_wakeup(m2);
	vt_finish_obj(obj);
}

TEST(wire_unwire)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(8);
	m = vt_obj_alloc(obj, 0);
	vm_page_wire(m);
	vm_page_wire(m);
	ASSERT_EQ(m->wire_count, 2);
	ASSERT_EQ(vt_count(&vmstats.v_wire_count), 1);
	vm_page_wire_quick(m);
	ASSERT_FALSE(vm_page_unwire_quick(m));
	ASSERT_FALSE(vm_page_unwire_quick(m));
	ASSERT_TRUE(vm_page_unwire_quick(m));		/* would drop to 0 */
	ASSERT_EQ(m->wire_count, 1);
	ASSERT_EQ(m->queue, PQ_NONE);			/* wiring never moves */
	vm_page_unwire(m, 0);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);
	ASSERT_EQ(vt_count(&vmstats.v_wire_count), 0);
	vm_page_wire(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);	/* stays queued */
	vm_page_unwire(m, 1);
	ASSERT_EQ(vm_page_qbase(m), PQ_ACTIVE);
	vm_page_deactivate(m);
	vm_page_wire(m);
	vm_page_need_commit(m);
	vm_page_unwire(m, 0);				/* NEED_COMMIT */
	ASSERT_EQ(vm_page_qbase(m), PQ_ACTIVE);
	vm_page_clear_commit(m);
	vm_page_unqueue(m);
	vm_page_flag_set(m, PG_UNQUEUED);
	vm_page_wire(m);
	vm_page_unwire(m, 1);
	ASSERT_EQ(m->queue, PQ_NONE);
	vm_page_flag_clear(m, PG_UNQUEUED);
	vm_page_free(m);
	vt_finish_obj(obj);
}

/* A held page freed waits on PQ_HOLD; the last unhold frees it. */
TEST(hold_unhold)
{
	vm_page_t m;
	long free0;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	vm_page_hold(m);
	vm_page_hold(m);
	vm_page_free(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_HOLD);
	ASSERT_EQ(vt_count(&vmstats.v_hold_count), 1);
	ASSERT_EQ(vt_free(), free0 - 1);
	ASSERT_EQ(vm_page_audit(), 0);
	vm_page_unhold(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_HOLD);
	vm_page_unhold(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_FREE);
	ASSERT_EQ(vt_count(&vmstats.v_hold_count), 0);
	ASSERT_EQ(vt_free(), free0);
	/* Holding a free page takes it off the free queue. */
	vm_page_hold(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_HOLD);
	ASSERT_EQ(vt_free(), free0 - 1);
	vm_page_unhold(m);
	ASSERT_EQ(vt_free(), free0);
	vt_shutdown();
}

/*
 * ------------------------------------------------------------------
 * Queue moves
 * ------------------------------------------------------------------
 */

TEST(queue_moves)
{
	struct vmmeter sum;
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(8);
	m = vt_obj_alloc(obj, 0);
	vm_page_activate(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_ACTIVE);
	ASSERT_EQ(m->act_count, ACT_INIT);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 1);
	vm_page_deactivate(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 0);
	ASSERT_EQ(vt_count(&vmstats.v_inactive_count), 1);
	vm_page_soft_activate(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_ACTIVE);
	/* clean: to the cache, unbusied */
	atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
	vm_page_cache(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_CACHE);
	ASSERT_EQ(m->busy_count, 0);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 1);
	/* back from the cache counts as a reactivation */
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_activate(m);
	vmmeter_sum(&sum);
	ASSERT_EQ(sum.v_reactivated, 1);
	ASSERT_EQ(vt_count(&vmstats.v_cache_count), 0);
	/* dirty pages are deactivated instead of cached */
	vm_page_dirty(m);
	ASSERT_TRUE(obj->flags & OBJ_MIGHTBEDIRTY);
	vm_page_cache(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);
	ASSERT_EQ(m->busy_count, 0);
	/* try_to_cache: dirty -> no; clean -> yes */
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	ASSERT_FALSE(vm_page_try_to_cache(m));
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_undirty(m);
	ASSERT_TRUE(vm_page_try_to_cache(m));
	ASSERT_EQ(vm_page_qbase(m), PQ_CACHE);
	/* try_to_free an unbusied cache page */
	ASSERT_TRUE(vm_page_try_to_free(m));
	ASSERT_EQ(vm_page_qbase(m), PQ_FREE);
	ASSERT_EQ(obj->resident_page_count, 0);
	vt_finish_obj(obj);
}

/* Pages that must stay put are not cached or freed by the try_ calls. */
TEST(cache_and_free_refusals)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(8);
	m = vt_obj_alloc(obj, 0);
	vm_page_activate(m);
	vm_page_wire(m);
	vm_page_cache(m);				/* wired: left alone */
	ASSERT_EQ(vm_page_qbase(m), PQ_ACTIVE);
	ASSERT_FALSE(vm_page_try_to_free(m));
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_unwire(m, 1);
	vm_page_need_commit(m);
	ASSERT_FALSE(vm_page_try_to_cache(m));
	ASSERT_FALSE(vm_page_try_to_free(m));
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_clear_commit(m);
	vm_page_hold(m);
	ASSERT_FALSE(vm_page_try_to_cache(m));		/* held */
	ASSERT_FALSE(vm_page_try_to_free(m));
	vm_page_unhold(m);
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	ASSERT_TRUE(vm_page_try_to_free(m) == FALSE);	/* we hold busy */
	vm_page_wakeup(m);
	ASSERT_TRUE(vm_page_try_to_free(m));
	vt_finish_obj(obj);
}

/* dontneed leaves the page alone at first, then deactivates it. */
TEST(dontneed_deactivates)
{
	vm_object_t obj;
	vm_page_t m;
	int i;

	obj = vt_boot_obj(8);
	m = vt_obj_alloc(obj, 0);
	vm_page_activate(m);
	m->act_count = 10;
	vm_page_flag_set(m, PG_REFERENCED);
	for (i = 0; i < 64 && vm_page_qbase(m) == PQ_ACTIVE; i++)
		vm_page_dontneed(m);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);
	ASSERT_LE(m->act_count, 9);
	ASSERT_FALSE(vm_page_flags(m) & PG_REFERENCED);
	vm_page_unqueue(m);
	ASSERT_EQ(m->queue, PQ_NONE);
	ASSERT_EQ(vt_count(&vmstats.v_inactive_count), 0);
	vm_page_free(m);
	vt_finish_obj(obj);
}

/*
 * ------------------------------------------------------------------
 * Objects: insert, lookup, rename, the hash
 * ------------------------------------------------------------------
 */

TEST(insert_lookup_remove)
{
	vm_object_t obj;
	vm_page_t m, m2;
	int error;

	obj = vt_boot_obj(16);
	m = vt_obj_alloc(obj, 5);
	ASSERT_PTR_EQ(m->object, obj);
	ASSERT_EQ(m->pindex, 5);
	ASSERT_EQ(obj->resident_page_count, 1);
	ASSERT_PTR_EQ(vm_page_lookup(obj, 5), m);
	ASSERT_NULL(vm_page_lookup(obj, 6));
	ASSERT_NULL(vm_page_alloc(obj, 5, VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK));
	ASSERT_PTR_EQ(vm_page_lookup_busy_try(obj, 5, FALSE, &error), m);
	ASSERT_TRUE(error);
	vm_page_wakeup(m);
	ASSERT_PTR_EQ(vm_page_lookup_busy_try(obj, 5, FALSE, &error), m);
	ASSERT_FALSE(error);
	vm_page_wakeup(m);
	m2 = vm_page_lookup_busy_wait(obj, 5, TRUE, "tlook");
	ASSERT_PTR_EQ(m2, m);
	ASSERT_NULL(vm_page_lookup_busy_wait(obj, 7, TRUE, "tlook"));
	vm_page_remove(m);
	ASSERT_NULL(m->object);
	ASSERT_EQ(obj->resident_page_count, 0);
	ASSERT_NULL(vm_page_lookup(obj, 5));
	ASSERT_TRUE(vm_page_insert(m, obj, 9));
	ASSERT_PTR_EQ(vm_page_lookup(obj, 9), m);
	vm_page_free(m);
	ASSERT_EQ(obj->resident_page_count, 0);
	vt_finish_obj(obj);
}

/*
 * rb_tree_check - rb_memq is a red-black tree: links agree with parent
 * pointers, pindexes ascend in order, no red node has a red child, and
 * every path down has the same number of black nodes.  Returns the
 * black height of the subtree at m, or -1 if something is wrong.
 */
static int
rb_tree_check(vm_page_t m, vm_page_t parent, vm_pindex_t lo, vm_pindex_t hi)
{
	vm_page_t l, r;
	int hl, hr;

	if (m == NULL)
		return (1);
	l = RB_LEFT(m, rb_entry);
	r = RB_RIGHT(m, rb_entry);
	if (RB_PARENT(m, rb_entry) != parent || m->pindex < lo ||
	    m->pindex > hi)
		return (-1);
	if (RB_COLOR(m, rb_entry) == RB_RED &&
	    ((l != NULL && RB_COLOR(l, rb_entry) == RB_RED) ||
	    (r != NULL && RB_COLOR(r, rb_entry) == RB_RED)))
		return (-1);
	hl = rb_tree_check(l, m, lo, m->pindex == 0 ? 0 : m->pindex - 1);
	hr = rb_tree_check(r, m, m->pindex + 1, hi);
	if ((l != NULL && m->pindex == 0) || hl < 0 || hl != hr)
		return (-1);
	return (hl + (RB_COLOR(m, rb_entry) == RB_BLACK));
}

/*
 * The end of a model test: every index of obj looks up as pages[] says,
 * then every page is freed.  obj held.
 */
static void
model_check_and_free(vm_object_t obj, vm_page_t *pages, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ASSERT_PTR_EQ(vm_page_lookup(obj, (vm_pindex_t)i), pages[i]);
		if (pages[i] != NULL) {
			vm_page_busy_wait(pages[i], FALSE, "tmodel");
			vm_page_free(pages[i]);
		}
	}
}

/*
 * TRUE if rb_max or rb_cursor alone must settle a lookup of p, whether
 * the model has a page there or not: p is past the last page, or at the
 * cursor's page or before the next page after it.
 */
static int
near_settles(vm_object_t obj, vm_page_t *pages, int n, vm_pindex_t p)
{
	vm_page_t c = obj->rb_cursor;
	vm_pindex_t i;

	if (obj->rb_max == NULL || p > obj->rb_max->pindex)
		return (TRUE);
	if (c == NULL || c->pindex > p)
		return (FALSE);
	for (i = c->pindex + 1; i < p && i < (vm_pindex_t)n; i++)
		if (pages[i] != NULL)
			return (FALSE);
	return (TRUE);
}

/*
 * An insert finds its slot as a lookup does (rb_max, rb_cursor, else a
 * walk) and links the page there.  Random lookups, inserts and removes,
 * each insert sometimes of the index just looked up, sometimes just after
 * the cursor, sometimes anywhere: after every step the tree is a valid
 * red-black tree holding exactly the model's pages, and inserts through
 * both kinds of slot were made many times.
 */
TEST(insert_keeps_tree_valid)
{
	enum { N = 96 };
	vm_page_t pages[N] = { NULL };
	vm_object_t obj;
	vm_pindex_t p, q;
	unsigned int seed = 12345;
	int step, n = 0, near = 0, walked = 0;

	obj = vt_boot_obj(N);
	for (step = 0; step < 4000; step++) {
		p = (vm_pindex_t)(rand_r(&seed) % N);
		q = (vm_pindex_t)(rand_r(&seed) % N);
		if (pages[p] == NULL)
			ASSERT_NULL(vm_page_lookup(obj, p));
		else
			ASSERT_PTR_EQ(vm_page_lookup(obj, p), pages[p]);
		if (pages[q] != NULL && rand_r(&seed) % 3 == 0) {
			vm_page_busy_wait(pages[q], FALSE, "tins");
			vm_page_free(pages[q]);
			pages[q] = NULL;
			n--;
		}
		if (rand_r(&seed) % 2 == 0)
			q = p;		/* the index just missed */
		else if (rand_r(&seed) % 2 == 0 && obj->rb_cursor != NULL)
			q = (obj->rb_cursor->pindex + 1) % N;
		if (pages[q] == NULL && n < N - 8) {
			if (near_settles(obj, pages, N, q))
				near++;
			else
				walked++;
			pages[q] = vt_obj_alloc(obj, q);
			vm_page_wakeup(pages[q]);
			n++;
		}
		ASSERT_TRUE(rb_tree_check(RB_ROOT(&obj->rb_memq), NULL, 0,
		    N) > 0);
		ASSERT_EQ(obj->resident_page_count, n);
	}
	/* Both kinds of slot were used many times. */
	ASSERT_TRUE(near > 150 && walked > 300);
	model_check_and_free(obj, pages, N);
	ASSERT_EQ(vm_object_audit(obj), 0);
	vt_finish_obj(obj);
}

/*
 * rb_max and rb_cursor (vm_object.h): runs of lookups in ascending order
 * (hits and misses), appends past the last page, inserts anywhere and
 * frees (of the last page and of the cursor's page too) give the model's
 * answer every time, and the lookups the cursor must answer alone are
 * answered with the tree's root hidden; a hit leaves the cursor on the
 * page found; and after
 * every step the audit finds rb_max the last page and rb_cursor a page of
 * the object.  The steps the two shortcuts serve were taken many times.
 */
TEST(lookup_near_matches_walk)
{
	enum { N = 128 };
	vm_page_t pages[N] = { NULL }, m, root;
	vm_object_t obj;
	vm_pindex_t p, top;
	unsigned int seed = 777;
	int step, k, len, settled = 0, past = 0;

	obj = vt_boot_obj(N);
	for (step = 0; step < 3000; step++) {
		switch (rand_r(&seed) % 4) {
		case 0:		/* a run of lookups in order */
			p = (vm_pindex_t)(rand_r(&seed) % N);
			len = 1 + (int)(rand_r(&seed) % 12);
			for (k = 0; k < len && p < N; k++, p++) {
				if (pages[p] != NULL &&
				    near_settles(obj, pages, N, p)) {
					/*
					 * The cursor or its successor must
					 * answer: hide the root so that a
					 * walk would find nothing.
					 */
					root = RB_ROOT(&obj->rb_memq);
					RB_ROOT(&obj->rb_memq) = NULL;
					m = vm_page_lookup(obj, p);
					RB_ROOT(&obj->rb_memq) = root;
					ASSERT_PTR_EQ(m, pages[p]);
					settled++;
				} else {
					ASSERT_PTR_EQ(vm_page_lookup(obj, p),
					    pages[p]);
				}
				if (pages[p] != NULL)
					ASSERT_PTR_EQ(obj->rb_cursor, pages[p]);
			}
			break;
		case 1:		/* append past the last page */
			top = obj->rb_max == NULL ? 0 : obj->rb_max->pindex + 1;
			if (top < N && pages[top] == NULL) {
				past++;
				ASSERT_NULL(vm_page_lookup(obj, top));
				pages[top] = vt_obj_alloc(obj, top);
				vm_page_wakeup(pages[top]);
			}
			break;
		case 2:		/* insert anywhere */
			p = (vm_pindex_t)(rand_r(&seed) % N);
			if (pages[p] == NULL) {
				ASSERT_NULL(vm_page_lookup(obj, p));
				pages[p] = vt_obj_alloc(obj, p);
				vm_page_wakeup(pages[p]);
			}
			break;
		default:	/* free: the last page, the cursor's, or any */
			k = (int)(rand_r(&seed) % 3);
			m = k == 0 ? obj->rb_max : k == 1 ? obj->rb_cursor :
			    pages[rand_r(&seed) % N];
			if (m != NULL) {
				pages[m->pindex] = NULL;
				vm_page_busy_wait(m, FALSE, "tnear");
				vm_page_free(m);
			}
			break;
		}
		ASSERT_TRUE(rb_tree_check(RB_ROOT(&obj->rb_memq), NULL, 0,
		    N) > 0);
		ASSERT_EQ(vm_object_audit(obj), 0);
	}
	ASSERT_TRUE(settled > 500 && past > 100);
	model_check_and_free(obj, pages, N);
	ASSERT_NULL(obj->rb_max);
	ASSERT_NULL(obj->rb_cursor);
	ASSERT_EQ(vm_object_audit(obj), 0);
	vt_finish_obj(obj);
}

/*
 * vm_page_alloc_copy: the new page has the source's bytes and sits at
 * (object, pindex) like any other; a taken index gives NULL (NULL_OK),
 * frees the page it took, and leaves the source alone.
 */
TEST(alloc_copy)
{
	vm_object_t obj;
	vm_page_t src, m;
	unsigned char *p;
	long freecnt;
	int i;

	obj = vt_boot_obj(16);
	src = vt_obj_alloc(obj, 1);
	p = vm_page_data(src);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		p[i] = (unsigned char)(i * 13);
	m = vm_page_alloc_copy(obj, 2, VM_ALLOC_NORMAL | VM_ALLOC_ZERO, src);
	ASSERT_NOT_NULL(m);
	ASSERT_PTR_EQ(vm_page_lookup(obj, 2), m);
	ASSERT_EQ(m->valid, 0);
	ASSERT_EQ(memcmp(vm_page_data(m), vm_page_data(src), PAGE_SIZE), 0);
	vmstats_rollup();
	freecnt = vmstats.v_free_count;
	ASSERT_NULL(vm_page_alloc_copy(obj, 2,
	    VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK, src));
	vmstats_rollup();
	ASSERT_EQ(vmstats.v_free_count, freecnt);
	ASSERT_PTR_EQ(vm_page_lookup(obj, 2), m);
	ASSERT_EQ(p[77], (unsigned char)(77 * 13));
	ASSERT_EQ(obj->resident_page_count, 2);
	vm_page_free(m);
	vm_page_free(src);
	ASSERT_EQ(vm_page_audit(), 0);
	vt_finish_obj(obj);
}

static void
collide(void *arg)
{
	vm_object_t obj = arg;

	vm_object_hold(obj);
	vm_page_alloc(obj, 1, VM_ALLOC_NORMAL);
}

TEST(alloc_collision_panics)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(4);
	m = vt_obj_alloc(obj, 1);
	vm_object_drop(obj);
	ASSERT_PANICS(collide, obj, "already has a page");
	vm_page_free(m);
	vm_object_deallocate(obj);
	vt_shutdown();
}

TEST(lookup_sbusy_try_checks_validity)
{
	vm_object_t obj;
	vm_page_t m, s;

	obj = vt_boot_obj(4);
	m = vt_obj_alloc(obj, 2);
	ASSERT_NULL(vm_page_lookup_sbusy_try(obj, 2, 0, 512));	/* hard */
	vm_page_set_valid(m, 0, 1024);
	vm_page_wakeup(m);
	ASSERT_NULL(vm_page_lookup_sbusy_try(obj, 2, 1024, 512));
	s = vm_page_lookup_sbusy_try(obj, 2, 512, 512);
	ASSERT_PTR_EQ(s, m);
	ASSERT_EQ(m->busy_count, 1);
	vm_page_sbusy_drop(m);
	ASSERT_NULL(vm_page_lookup_sbusy_try(obj, 3, 0, 512));
	vt_finish_obj(obj);
}

TEST(rename_moves_and_dirties)
{
	vm_object_t a, b;
	vm_page_t m;

	vt_boot(VT_MB(8));
	a = vm_object_allocate_hold(OBJT_DEFAULT, 4);
	b = vm_object_allocate_hold(OBJT_DEFAULT, 4);
	m = vt_obj_alloc(a, 1);
	vm_page_rename(m, b, 3);
	ASSERT_PTR_EQ(m->object, b);
	ASSERT_EQ(m->pindex, 3);
	ASSERT_EQ(m->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(a->resident_page_count, 0);
	ASSERT_EQ(b->resident_page_count, 1);
	ASSERT_PTR_EQ(vm_page_lookup(b, 3), m);
	vm_page_wakeup(m);
	vm_object_drop(b);
	vm_object_drop(a);
	vm_object_deallocate(a);
	vm_object_deallocate(b);
	vt_shutdown();
}

/* The lockless hash finds looked-up pages, soft-busied, and no others. */
TEST(page_hash_get)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(16);
	m = vt_obj_alloc(obj, 7);
	vm_page_wakeup(m);
	ASSERT_NULL(vm_page_hash_get(obj, 7));		/* never looked up */
	ASSERT_EQ(obj->flags & OBJ_HASHED, 0);		/* so never probed */
	ASSERT_PTR_EQ(vm_page_lookup(obj, 7), m);
	ASSERT_EQ(obj->flags & OBJ_HASHED, OBJ_HASHED);
	vm_object_drop(obj);
	ASSERT_PTR_EQ(vm_page_hash_get(obj, 7), m);
	ASSERT_EQ(m->busy_count, 1);
	vm_page_sbusy_drop(m);
	ASSERT_NULL(vm_page_hash_get(obj, 8));
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	ASSERT_NULL(vm_page_hash_get(obj, 7));		/* hard-busied */
	vm_object_hold(obj);
	vm_page_free(m);
	vm_object_drop(obj);
	ASSERT_NULL(vm_page_hash_get(obj, 7));		/* gone */
	vm_object_deallocate(obj);
	vt_shutdown();
}

/*
 * The hash replaces the least recently used way of a set: a page found
 * through the hash between every other lookup stays in it, while 300
 * pages pass through an 8 MiB system's 128 entries.
 */
TEST(page_hash_keeps_hot_page)
{
	vm_object_t obj;
	vm_page_t m, hot;
	int i;

	obj = vt_boot_obj(300);
	for (i = 0; i < 300; i++)
		vm_page_wakeup(vt_obj_alloc(obj, (vm_pindex_t)i));
	hot = vm_page_lookup(obj, 0);
	for (i = 1; i < 300; i++) {
		m = vm_page_lookup(obj, (vm_pindex_t)i);
		ASSERT_PTR_EQ(vm_page_hash_get(obj, (vm_pindex_t)i), m);
		vm_page_sbusy_drop(m);
		ASSERT_PTR_EQ(vm_page_hash_get(obj, 0), hot);
		vm_page_sbusy_drop(hot);
	}
	vt_finish_obj(obj);
}

/*
 * ------------------------------------------------------------------
 * Valid and dirty bits
 * ------------------------------------------------------------------
 */

TEST(page_bits)
{
	vt_boot(VT_MB(8));
	ASSERT_EQ(vm_page_bits(0, 0), 0);
	ASSERT_EQ(vm_page_bits(0, 1), 0x01);
	ASSERT_EQ(vm_page_bits(0, 512), 0x01);
	ASSERT_EQ(vm_page_bits(0, 513), 0x03);
	ASSERT_EQ(vm_page_bits(511, 2), 0x03);
	ASSERT_EQ(vm_page_bits(512, 512), 0x02);
	ASSERT_EQ(vm_page_bits(4095, 1), 0x80);
	ASSERT_EQ(vm_page_bits(100, 3000), 0x7f);
	ASSERT_EQ(vm_page_bits(0, PAGE_SIZE), VM_PAGE_BITS_ALL);
	vt_shutdown();
}

static int
all_bytes(vm_page_t m, int from, int to, int val)
{
	unsigned char *p = vm_page_data(m);
	int i;

	for (i = from; i < to; i++)
		if (p[i] != val)
			return (0);
	return (1);
}

/* Partial chunks at the edges of a newly valid range are zeroed. */
TEST(set_valid_zeroes_partial_edges)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(4);
	m = vt_obj_alloc(obj, 0);
	memset(vm_page_data(m), 0xaa, PAGE_SIZE);
	vm_page_set_valid(m, 100, 300);
	ASSERT_EQ(m->valid, 0x01);
	ASSERT_TRUE(all_bytes(m, 0, 100, 0));
	ASSERT_TRUE(all_bytes(m, 100, 400, 0xaa));
	ASSERT_TRUE(all_bytes(m, 400, 512, 0));
	ASSERT_TRUE(all_bytes(m, 512, PAGE_SIZE, 0xaa));
	/* An already valid chunk is not zeroed again. */
	memset(vm_page_data(m), 0xbb, 512);
	vm_page_set_valid(m, 200, 1000);		/* chunks 0-2 */
	ASSERT_EQ(m->valid, 0x07);
	ASSERT_TRUE(all_bytes(m, 0, 512, 0xbb));
	ASSERT_TRUE(all_bytes(m, 1200, 1536, 0));
	ASSERT_TRUE(vm_page_is_valid(m, 0, 1536));
	ASSERT_FALSE(vm_page_is_valid(m, 1000, 600));
	ASSERT_TRUE(vm_page_is_valid(m, 0, 0));
	/* zero_invalid zeroes the rest and may mark it all valid */
	vm_page_zero_invalid(m, TRUE);
	ASSERT_EQ(m->valid, VM_PAGE_BITS_ALL);
	ASSERT_TRUE(all_bytes(m, 1536, PAGE_SIZE, 0));
	ASSERT_TRUE(all_bytes(m, 0, 512, 0xbb));
	vm_page_set_invalid(m, 600, 1);
	ASSERT_EQ(m->valid, 0xfd);
	vm_page_wakeup(m);
	vt_finish_obj(obj);
}

TEST(dirty_bits)
{
	vm_object_t obj;
	vm_page_t m;

	obj = vt_boot_obj(4);
	m = vt_obj_alloc(obj, 0);
	vm_page_set_validdirty(m, 0, 1024);
	ASSERT_EQ(m->valid, 0x03);
	ASSERT_EQ(m->dirty, 0x03);
	ASSERT_TRUE(obj->flags & OBJ_WRITEABLE);
	vm_page_set_validclean(m, 512, 1024);
	ASSERT_EQ(m->valid, 0x07);
	ASSERT_EQ(m->dirty, 0x01);
	vm_page_dirty(m);
	ASSERT_EQ(m->dirty, VM_PAGE_BITS_ALL);
	vm_page_clear_dirty(m, 1024, 1024);
	ASSERT_EQ(m->dirty, 0xf3);
	/* [100, 1100): the partial chunks at both ends stay dirty */
	vm_page_dirty(m);
	vm_page_clear_dirty_end_nonincl(m, 100, 1000);	/* end 1100 */
	ASSERT_EQ(m->dirty, 0xfc);			/* chunks 0,1 cleared */
	vm_page_dirty(m);
	vm_page_clear_dirty_beg_nonincl(m, 100, 1000);	/* from 512 */
	ASSERT_EQ(m->dirty, 0xf9);			/* chunks 1,2 cleared */
	vm_page_set_invalid(m, 0, PAGE_SIZE);
	ASSERT_EQ(m->valid | m->dirty, 0);
	vm_page_dirty(m);
	vm_page_undirty(m);
	ASSERT_EQ(m->dirty, 0);
	vm_page_test_dirty(m);				/* no mapping sets M */
	ASSERT_EQ(m->dirty, 0);
	vm_page_wakeup(m);
	vt_finish_obj(obj);
}

/*
 * ------------------------------------------------------------------
 * Contiguous allocation
 * ------------------------------------------------------------------
 */

static void
check_run(vm_page_t m, long npg)
{
	long i;

	for (i = 0; i < npg; i++) {
		ASSERT_EQ(m[i].phys_addr, m[0].phys_addr + (vm_paddr_t)i *
		    PAGE_SIZE);
		ASSERT_TRUE(m[i].busy_count & PBUSY_LOCKED);
		ASSERT_EQ(m[i].wire_count, 1);
		ASSERT_TRUE(m[i].flags & PG_UNQUEUED);
		ASSERT_EQ(m[i].queue, PQ_NONE);
	}
}

TEST(contig_alignment_and_boundary)
{
	vm_page_t m, f[8];
	long free0;
	int i;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	/* Fragment the start of memory a little. */
	for (i = 0; i < 8; i++)
		f[i] = vm_page_alloc_contig(0, ~(vm_paddr_t)0, 0, 0,
		    PAGE_SIZE * 3, VM_MEMATTR_DEFAULT);
	m = vm_page_alloc_contig(0, ~(vm_paddr_t)0, 65536, 0, 16 * PAGE_SIZE,
	    VM_MEMATTR_UNCACHEABLE);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(m->phys_addr % 65536, 0);
	ASSERT_EQ(m->pat_mode, VM_MEMATTR_UNCACHEABLE);
	check_run(m, 16);
	ASSERT_EQ(vt_count(&vmstats.v_wire_count), 16 + 8 * 3);
	ASSERT_EQ(vt_free(), free0 - 16 - 8 * 3);
	ASSERT_EQ(vm_page_audit(), 0);
	vm_page_free_contig(m, 16 * PAGE_SIZE);
	/* 6 pages never crossing a 32 KiB boundary */
	for (i = 0; i < 4; i++) {
		m = vm_page_alloc_contig(0, ~(vm_paddr_t)0, 0, 32768,
		    6 * PAGE_SIZE, VM_MEMATTR_DEFAULT);
		ASSERT_NOT_NULL(m);
		ASSERT_EQ(m->phys_addr / 32768,
		    (m->phys_addr + 6 * PAGE_SIZE - 1) / 32768);
		check_run(m, 6);
		vm_page_free_contig(m, 6 * PAGE_SIZE);
	}
	for (i = 0; i < 8; i++)
		vm_page_free_contig(f[i], PAGE_SIZE * 3);
	ASSERT_EQ(vt_free(), free0);
	ASSERT_EQ(vt_count(&vmstats.v_wire_count), 0);
	vt_shutdown();
}

TEST(contig_range_and_failure)
{
	vm_paddr_t lo = VM_PHYS_BASE + VT_MB(4), hi = VM_PHYS_BASE + VT_MB(5);
	vm_page_t m;

	vt_boot(VT_MB(8));
	m = vm_page_alloc_contig(lo, hi, 0, 0, 100 * PAGE_SIZE,
	    VM_MEMATTR_DEFAULT);
	ASSERT_NOT_NULL(m);
	ASSERT_GE(m->phys_addr, lo);
	ASSERT_LE(m->phys_addr + 100 * PAGE_SIZE, hi);
	vm_page_free_contig(m, 100 * PAGE_SIZE);
	ASSERT_NULL(vm_page_alloc_contig(lo, hi, 0, 0, 300 * PAGE_SIZE,
	    VM_MEMATTR_DEFAULT));
	ASSERT_NULL(vm_page_alloc_contig(0, ~(vm_paddr_t)0, 0, 0,
	    VT_MB(8), VM_MEMATTR_DEFAULT));	/* below the reserve */
	fault_inject_arm(vm_page_alloc_fault(), 1, 0);
	ASSERT_NULL(vm_page_alloc_contig(0, ~(vm_paddr_t)0, 0, 0, PAGE_SIZE,
	    VM_MEMATTR_DEFAULT));
	vt_shutdown();
}

/* Contiguous runs beyond the eagerly materialized part are found. */
TEST(contig_materializes_lazily)
{
	vm_paddr_t lo = VM_PHYS_BASE + VT_MB(900);
	vm_page_t m;

	vt_boot(VT_GB(1));
	m = vm_page_alloc_contig(lo, ~(vm_paddr_t)0, VT_MB(2), 0, VT_MB(2),
	    VM_MEMATTR_DEFAULT);
	ASSERT_NOT_NULL(m);
	ASSERT_GE(m->phys_addr, lo);
	ASSERT_EQ(m->phys_addr % VT_MB(2), 0);
	check_run(m, 512);
	vm_page_free_contig(m, VT_MB(2));
	ASSERT_EQ(vt_free(), 262144);
	vt_shutdown();
}

/*
 * ------------------------------------------------------------------
 * Memory pressure
 * ------------------------------------------------------------------
 */

/* The vm_paging_* predicates at each level of the 8 MiB thresholds. */
TEST(paging_predicates)
{
	vt_boot(VT_MB(8));
	ndrained = 0;
	vmstats_rollup();
	ASSERT_FALSE(vm_paging_target2());
	ASSERT_FALSE(vm_paging_inactive());
	while (vt_free() > 300)
		drained[ndrained++] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_TRUE(vm_paging_target2());		/* 370 */
	ASSERT_FALSE(vm_paging_target1());		/* 296 */
	ASSERT_EQ(vm_paging_target1_count(), 296 - 300);
	ASSERT_EQ(vm_paging_target2_count(), 370 - 300);
	ASSERT_FALSE(vm_paging_start(0));		/* 222 */
	ASSERT_TRUE(vm_paging_start(-100));
	ASSERT_FALSE(vm_paging_inactive());		/* 74 + 128 */
	while (vt_free() > 200)
		drained[ndrained++] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_TRUE(vm_paging_start(0));
	ASSERT_TRUE(vm_paging_inactive());
	ASSERT_EQ(vm_paging_inactive_count(), 2);
	ASSERT_FALSE(vm_paging_wait());			/* 148 */
	ASSERT_EQ(atomic_load_int(&vm_pages_needed), 1);	/* kicked */
	while (vt_free() > 100)
		drained[ndrained++] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_TRUE(vm_paging_wait());
	ASSERT_FALSE(vm_paging_min());			/* 74 */
	ASSERT_TRUE(vm_paging_min_nice(20));		/* 74 + 36 */
	ASSERT_FALSE(vm_paging_min_nice(-20));
	ASSERT_TRUE(vm_paging_min_dnc(30));
	while (vt_free() > 50)
		drained[ndrained++] = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_TRUE(vm_paging_min());
	ASSERT_FALSE(vm_paging_severe());		/* 37, 44 */
	while (vt_free() > 40)
		drained[ndrained++] = vm_page_alloc(NULL, 0, VM_ALLOC_SYSTEM);
	ASSERT_TRUE(vm_paging_severe());
	undrain(0);
	vmstats_rollup();
	ASSERT_FALSE(vm_paging_target2());
	vt_shutdown();
}

struct vmwaiter {
	int	started;
	int	done;
	long	free_seen;
};

static void
vm_waiter(void *arg)
{
	struct vmwaiter *w = arg;

	atomic_store_int(&w->started, 1);
	vm_wait(60 * hz);
	w->free_seen = vt_free();
	atomic_store_int(&w->done, 1);
}

/* vm_wait blocks while memory is short and wakes when enough is freed. */
TEST(vm_wait_blocks_until_freed)
{
	struct kthread_handle *h;
	struct vmwaiter w = { 0 };
	int freed = 0;

	vt_boot(VT_MB(8));
	ndrained = 0;
	drain(VM_ALLOC_INTERRUPT);
	ASSERT_EQ(kthread_create(vm_waiter, &w, "vmwaiter", &h), 0);
	KT_WAIT(tsleep_count(&vmstats.v_free_count) == 1 &&
	    atomic_load_int(&vm_pages_waiting) == 1);
	/* Waiters wake at v_free_min + vm.page_free_hysteresis (90). */
	while (!atomic_load_int(&w.done)) {
		ASSERT_LE(freed, 90);
		if (freed < 90) {
			vm_page_free(drained[--ndrained]);
			freed++;
			ASSERT_TRUE(freed >= 90 ||
			    tsleep_count(&vmstats.v_free_count) == 1);
		} else {
			kt_nap();
		}
	}
	kthread_join(h);
	ASSERT_EQ(freed, 90);
	ASSERT_GE(w.free_seen, 90);
	undrain(0);
	vt_shutdown();
}

static void
pfault_waiter(void *arg)
{
	struct vmwaiter *w = arg;

	atomic_store_int(&w->started, 1);
	vm_wait_pfault();
	w->free_seen = vt_free();
	atomic_store_int(&w->done, 1);
}

/*
 * vm_wait_pfault sleeps in hz/10 slices while memory is severely short
 * and returns once the severe level clears (free >= reserved here).
 */
TEST(vm_wait_pfault_until_not_severe)
{
	struct kthread_handle *h;
	struct vmwaiter w = { 0 };
	int i;

	vt_boot(VT_MB(8));
	ndrained = 0;
	drain(VM_ALLOC_INTERRUPT);
	ASSERT_EQ(kthread_create(pfault_waiter, &w, "pfault", &h), 0);
	KT_WAIT(tsleep_count(&vmstats.v_free_count) == 1);
	for (i = 0; i < 30; i++)		/* a few slices go by */
		kt_nap();
	ASSERT_EQ(atomic_load_int(&w.done), 0);
	for (i = 0; i < 44; i++)
		vm_page_free(drained[--ndrained]);
	kthread_join(h);
	ASSERT_EQ(w.done, 1);
	ASSERT_GE(w.free_seen, vmstats.v_free_reserved);
	undrain(0);
	vt_shutdown();
}

/* With plenty of memory vm_wait and friends return at once. */
TEST(vm_wait_returns_when_not_short)
{
	vt_boot(VT_MB(8));
	vm_wait(0);
	vm_wait_pfault();
	vm_wait_nominal();
	ASSERT_EQ(tsleep_count(&vmstats.v_free_count), 0);
	vt_shutdown();
}

/*
 * ------------------------------------------------------------------
 * Contract violations and the audit
 * ------------------------------------------------------------------
 */

static void
free_wired(void *arg)
{
	vm_page_t m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);

	(void)arg;
	vm_page_wire(m);
	vm_page_free(m);
}

static void
free_sbusy(void *arg)
{
	vm_page_t m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);

	(void)arg;
	vm_page_io_start(m);
	vm_page_free(m);
}

static void
free_mapped(void *arg)
{
	vm_page_t m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);

	(void)arg;
	vm_page_flag_set(m, PG_MAPPED);
	vm_page_free(m);
}

static void
cache_mapped(void *arg)
{
	vm_object_t obj = vm_object_allocate_hold(OBJT_DEFAULT, 1);
	vm_page_t m = vm_page_alloc(obj, 0, VM_ALLOC_NORMAL);

	(void)arg;
	vm_page_flag_set(m, PG_MAPPED);
	vm_page_cache(m);
}

static void
wire_unbusied(void *arg)
{
	vm_page_t m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);

	(void)arg;
	vm_page_wakeup(m);
	vm_page_wire(m);
}

/*
 * These are KASSERTs: a build without INVARIANTS (release) does not check
 * the callers' side of the contract, and the test has nothing to run.
 */
TEST(contract_violations_panic)
{
#ifdef INVARIANTS
	vt_boot(VT_MB(8));
	ASSERT_PANICS(free_wired, NULL, "wired");
	ASSERT_PANICS(free_sbusy, NULL, "busy");
	ASSERT_PANICS(free_mapped, NULL, "mapped");
	ASSERT_PANICS(cache_mapped, NULL, "mapped");
	ASSERT_PANICS(wire_unbusied, NULL, "not busy");
	vt_shutdown();
#else
	(void)free_wired;
	(void)free_sbusy;
	(void)free_mapped;
	(void)cache_mapped;
	(void)wire_unbusied;
#endif
}

static char audit_log[16384];

static void
audit_sink(const char *line, void *arg)
{
	(void)arg;
	strncat(audit_log, line, sizeof(audit_log) - strlen(audit_log) - 1);
}

/* The audit finds a problem and its report mentions `what'. */
#define ASSERT_AUDIT_SAYS(what) do {					\
	audit_log[0] = '\0';						\
	ASSERT_GE(vm_page_audit(), 1);					\
	ASSERT_STR_CONTAINS(audit_log, what);				\
} while (0)

/* The audit notices each kind of injected inconsistency. */
TEST(audit_catches_injected_faults)
{
	struct vpgqueues *pq;
	vm_page_t m;

	vt_boot(VT_MB(8));
	ASSERT_EQ(vm_page_audit(), 0);
	kprintf_set_sink(audit_sink, NULL);
	/* a queue count that disagrees with its list */
	pq = &vm_page_queues[PQ_FREE + 5];
	pq->lcnt++;
	ASSERT_AUDIT_SAYS("queue 6: lcnt 3, 2 listed");
	pq->lcnt--;
	ASSERT_EQ(vm_page_audit(), 0);
	/* a page claiming a queue it is not on */
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	m->queue = (uint16_t)(PQ_ACTIVE + m->pc);
	ASSERT_AUDIT_SAYS("pages say they are on it");
	m->queue = PQ_NONE;
	ASSERT_EQ(vm_page_audit(), 0);
	/* a leaked page: no object, queue, busy or wiring */
	vm_page_wakeup(m);
	ASSERT_AUDIT_SAYS("orphan");
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_free(m);
	/* vmstats off by one */
	vmstats_rollup();
	atomic_add_long(&vmstats.v_free_count, 1);
	ASSERT_AUDIT_SAYS("vmstats free count");
	atomic_add_long(&vmstats.v_free_count, -1);
	/* a free page with valid bits */
	m = TAILQ_FIRST(&vm_page_queues[PQ_FREE + 7].pl);
	m->valid = 1;
	ASSERT_AUDIT_SAYS("valid 0x1");
	m->valid = 0;
	/* a wired page the stats do not know about */
	m->wire_count = 1;
	ASSERT_AUDIT_SAYS("vmstats wire count 0, 1 pages wired");
	m->wire_count = 0;
	/* a waiter flag on a page nobody has busy */
	m->busy_count = PBUSY_WANTED;
	ASSERT_AUDIT_SAYS("WANTED but not busy");
	m->busy_count = 0;
	/* a page in a CPU cache that lost its flag */
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	vm_page_free(m);
	ASSERT_TRUE(m->flags & PG_PCPUCACHE);
	m->flags = 0;
	ASSERT_AUDIT_SAYS("flagged PG_PCPUCACHE");
	m->flags = PG_PCPUCACHE;
	kprintf_set_sink(NULL, NULL);
	ASSERT_EQ(vm_page_audit(), 0);
	vt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(boot_shutdown_repeats),
	TEST_ENTRY(startup_rejects_bad_sizes),
	TEST_ENTRY(thresholds_8m),
	TEST_ENTRY(thresholds_256m),
	TEST_ENTRY(thresholds_16g_worked_example),
	TEST_ENTRY(max_wired_preset_kept),
	TEST_ENTRY(boot_32g_is_lazy),
	TEST_ENTRY(vmstats_per_cpu_deltas),
	TEST_ENTRY(alloc_free_basic),
	TEST_ENTRY(free_goes_to_head),
	TEST_ENTRY(pcpu_page_cache),
	TEST_ENTRY(alloc_zero),
	TEST_ENTRY(reserve_rules),
	TEST_ENTRY(systhread_dips_into_reserve),
	TEST_ENTRY(normal_reclaims_cache),
	TEST_ENTRY(system_respects_cache),
	TEST_ENTRY(color_localization),
	TEST_ENTRY(object_pages_get_consecutive_frames),
	TEST_ENTRY(widening_search),
	TEST_ENTRY(alloc_fault_injection),
	TEST_ENTRY(busy_protocol),
	TEST_ENTRY(busy_wait_blocks_until_wakeup),
	TEST_ENTRY(busy_wait_for_soft_busy),
	TEST_ENTRY(grab_retry_waits_for_busy_page),
	TEST_ENTRY(grab_allocates_and_zeroes),
	TEST_ENTRY(wire_unwire),
	TEST_ENTRY(hold_unhold),
	TEST_ENTRY(queue_moves),
	TEST_ENTRY(cache_and_free_refusals),
	TEST_ENTRY(dontneed_deactivates),
	TEST_ENTRY(insert_lookup_remove),
	TEST_ENTRY(insert_keeps_tree_valid),
	TEST_ENTRY(lookup_near_matches_walk),
	TEST_ENTRY(alloc_copy),
	TEST_ENTRY(alloc_collision_panics),
	TEST_ENTRY(lookup_sbusy_try_checks_validity),
	TEST_ENTRY(rename_moves_and_dirties),
	TEST_ENTRY(page_hash_get),
	TEST_ENTRY(page_hash_keeps_hot_page),
	TEST_ENTRY(page_bits),
	TEST_ENTRY(set_valid_zeroes_partial_edges),
	TEST_ENTRY(dirty_bits),
	TEST_ENTRY(contig_alignment_and_boundary),
	TEST_ENTRY(contig_range_and_failure),
	TEST_ENTRY(contig_materializes_lazily),
	TEST_ENTRY(paging_predicates),
	TEST_ENTRY(vm_wait_blocks_until_freed),
	TEST_ENTRY(vm_wait_pfault_until_not_severe),
	TEST_ENTRY(vm_wait_returns_when_not_short),
	TEST_ENTRY(contract_violations_panic),
	TEST_ENTRY(audit_catches_injected_faults)
)
