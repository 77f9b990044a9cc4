/*
 * test_pmap_race.c - the shootdown guarantee under fire.
 *
 * Writer threads (each on its own simulated CPU) store increasing
 * sequence numbers into their own word of one page through the software
 * MMU.  Another thread keeps changing the mapping under them.  What must
 * hold, whatever the interleaving:
 *
 *   write_protect: after pmap_page_protect(m, READ) returns, every store a
 *   writer saw succeed is in the page (a snapshot taken then), and if the
 *   page changed since the previous snapshot it is marked modified.
 *
 *   remove: after pmap_remove returns, the old page never changes again
 *   until it is mapped again.
 *
 *   replace: the same after a pmap_enter of another page over the valid
 *   pte (done under pm_lock shared).
 *
 *   cow_prefetch: pmap_cow_prefetch reads the tables with no lock, inside
 *   an access window, while another CPU unmaps them: no table is freed
 *   (and reused) before the window that might read it closes.
 *
 *   link_tables: two CPUs enter pages under one missing table at once,
 *   each holding pm_lock shared: one links each table, the other uses it,
 *   and no table page is lost or counted twice.
 *
 * Run under ThreadSanitizer too (FLYVM_CONCURRENCY_TESTS): the protocol
 * must give every byte of the page a happens-before edge to the snapshot.
 */
#include <sched.h>

#include "pmap_util.h"
#include "vm/pmap_access.h"

#define NWRITERS	2
#define SLOT(w)		((vm_offset_t)(w) * 64)

struct race {
	struct fx	*f;
	vm_offset_t	va;
	int		stop;			/* (a) */
	uint64_t	last_ok[NWRITERS];	/* (a) last store that did */
	uint64_t	tried[NWRITERS];	/* (a) last store attempted */
	uint64_t	faults[NWRITERS];	/* writer's own */
	int		id[NWRITERS];
};

static struct race rc;

static void
writer(void *arg)
{
	int w = *(int *)arg;
	uint64_t seq = 0;

	while (!atomic_load_int(&rc.stop)) {
		seq++;
		__atomic_store_n(&rc.tried[w], seq, __ATOMIC_RELEASE);
		while (pmap_store_8(&rc.f->pmap, rc.va + SLOT(w), seq,
		    NULL) != 0) {
			rc.faults[w]++;
			if (atomic_load_int(&rc.stop))
				return;
			sched_yield();
		}
		__atomic_store_n(&rc.last_ok[w], seq, __ATOMIC_RELEASE);
	}
}

static void
start_writers(struct kthread_handle **h)
{
	int w;

	for (w = 0; w < NWRITERS; w++) {
		rc.id[w] = w;
		ASSERT_EQ(kthread_create(writer, &rc.id[w], "writer", &h[w]),
		    0);
	}
}

static void
stop_writers(struct kthread_handle **h)
{
	int w;

	atomic_store_int(&rc.stop, 1);
	for (w = 0; w < NWRITERS; w++)
		kthread_join(h[w]);
}

/* Let the writers run a little (about 20 us) between two changes. */
static void
let_them_write(void)
{
	uint64_t t0 = nanouptime_ns();

	while (nanouptime_ns() - t0 < 20000)
		cpu_pause();
	sched_yield();
}

/* Snapshot of a whole page's writer words. */
static void
snap_words(vm_page_t m, uint64_t *out)
{
	int w;

	for (w = 0; w < NWRITERS; w++)
		out[w] = *(volatile uint64_t *)((char *)vm_page_data(m) +
		    SLOT(w));
}

/* One write-protect round; returns TRUE if some writer's word changed. */
static int
protect_round(vm_page_t m, uint64_t *prev)
{
	uint64_t snap[NWRITERS], again[NWRITERS], ok;
	int w, modified, changed = 0;

	pmap_page_protect(m, VM_PROT_READ);
	modified = m->dirty != 0 || pmap_is_modified(m);
	pmap_clear_modify(m);
	m->dirty = 0;
	snap_words(m, snap);
	/* Nothing lands late through an old translation. */
	let_them_write();
	snap_words(m, again);
	ASSERT_EQ(memcmp(snap, again, sizeof(snap)), 0);
	for (w = 0; w < NWRITERS; w++) {
		ok = __atomic_load_n(&rc.last_ok[w], __ATOMIC_ACQUIRE);
		if (snap[w] < ok)
			harness_fail(__FILE__, __LINE__, "writer %d: store "
			    "%ju succeeded but the page holds %ju", w,
			    (uintmax_t)ok, (uintmax_t)snap[w]);
		ASSERT_LE(snap[w], __atomic_load_n(&rc.tried[w],
		    __ATOMIC_ACQUIRE));
		if (snap[w] != prev[w])
			changed = 1;
		prev[w] = snap[w];
	}
	if (changed && !modified)
		harness_fail(__FILE__, __LINE__, "page changed but was not "
		    "marked modified");
	pmap_enter(&rc.f->pmap, rc.va, m, VM_PROT_ALL, FALSE, NULL);
	return (changed);
}

/* The write-protect cycle against NWRITERS writers for secs seconds. */
static void
run_write_protect(double secs)
{
	struct kthread_handle *h[NWRITERS];
	uint64_t prev[NWRITERS] = { 0 };
	uint64_t t0, rounds = 0, changed = 0;
	struct fx f;
	int w;

	memset(&rc, 0, sizeof(rc));
	fx_setup_cpus(&f, NWRITERS + 1);
#ifndef FLYVM_TSAN
	ASSERT_EQ(pmap_entry_fence, pmap_tlb_no_membarrier);
#endif
	rc.f = &f;
	rc.va = fx_va(0);
	pmap_enter(&f.pmap, rc.va, f.m[0], VM_PROT_ALL, FALSE, NULL);
	start_writers(h);
	t0 = nanouptime_ns();
	while (nanouptime_ns() - t0 < (uint64_t)(secs * 1e9)) {
		changed += protect_round(f.m[0], prev);
		rounds++;
		let_them_write();
	}
	stop_writers(h);
	(void)protect_round(f.m[0], prev);
	for (w = 0; w < NWRITERS; w++)
		ASSERT_EQ(prev[w], rc.last_ok[w]);
	kprintf("write_protect: %ju rounds, %ju with stores, %ju+%ju "
	    "faults\n", (uintmax_t)rounds, (uintmax_t)changed,
	    (uintmax_t)rc.faults[0], (uintmax_t)rc.faults[1]);
	ASSERT_GE(changed, 1);
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(write_protect_never_loses_a_store)
{
	run_write_protect(harness_stress_seconds(5.0));
}

/*
 * The same on a host without membarrier: a full fence at window entry and
 * in the shootdown instead (pmap_entry_fence).  TSan builds always use
 * sequentially consistent entries, so there it would repeat the above.
 */
TEST(write_protect_with_fence_fallback)
{
#ifndef FLYVM_TSAN
	pmap_tlb_no_membarrier = 1;
	run_write_protect(harness_stress_seconds(5.0) / 2);
	pmap_tlb_no_membarrier = 0;
#endif
}

/*
 * The current page is switched to the other one by pmap_remove then
 * pmap_enter (replace == 0), or by one pmap_enter over the valid pte
 * (replace == 1: the shared-lock replacement a copy-on-write fault does).
 * Either way, once the call that took the page away returns, no writer's
 * store may reach it.
 */
static void
run_switch(int replace)
{
	struct kthread_handle *h[NWRITERS];
	uint64_t snap[2][NWRITERS], now[NWRITERS];
	uint64_t t0, rounds = 0;
	double secs = harness_stress_seconds(5.0);
	struct vm_map_backing sba;
	vm_page_t pg[2];
	struct fx f;
	int cur = 0, i, w;

	memset(&rc, 0, sizeof(rc));
	fx_setup_cpus(&f, NWRITERS + 1);
	fx_shadow(&f, &sba);
	pg[0] = f.m[0];
	pg[1] = pt_page(sba.object, 0);
	rc.f = &f;
	rc.va = fx_va(0);
	memset(snap, 0, sizeof(snap));
	pmap_enter(&f.pmap, rc.va, pg[0], VM_PROT_ALL, FALSE, NULL);
	start_writers(h);
	t0 = nanouptime_ns();
	while (nanouptime_ns() - t0 < (uint64_t)(secs * 1e9)) {
		let_them_write();
		/* Unmap the current page; from now on it must not change. */
		if (replace)
			pmap_enter(&f.pmap, rc.va, pg[!cur], VM_PROT_ALL,
			    FALSE, NULL);
		else
			pmap_remove(&f.pmap, rc.va, rc.va + PAGE_SIZE);
		snap_words(pg[cur], snap[cur]);
		/*
		 * The unmapped page is left alone: the other one since its
		 * own removal a round ago; with replace, this one while the
		 * writers go on through the new pte.
		 */
		if (replace)
			let_them_write();
		w = replace ? cur : !cur;
		snap_words(pg[w], now);
		for (i = 0; i < NWRITERS; i++)
			if (now[i] != snap[w][i])
				harness_fail(__FILE__, __LINE__, "writer %d "
				    "wrote %ju into an unmapped page", i,
				    (uintmax_t)now[i]);
		cur = !cur;
		if (!replace)
			pmap_enter(&f.pmap, rc.va, pg[cur], VM_PROT_ALL,
			    FALSE, NULL);
		rounds++;
	}
	stop_writers(h);
	kprintf("%s: %ju rounds, %ju+%ju faults\n",
	    replace ? "replace" : "remove", (uintmax_t)rounds,
	    (uintmax_t)rc.faults[0], (uintmax_t)rc.faults[1]);
	PT_AUDIT();
	pmap_remove(&f.pmap, rc.va, rc.va + PAGE_SIZE);
	pt_page_free(pg[1]);
	fx_unshadow(&sba);
	fx_teardown(&f);
}

TEST(remove_stops_every_cpu)
{
	run_switch(0);
}

TEST(replace_stops_every_cpu)
{
	run_switch(1);
}

/* Prefetch each page of the fixture in turn until told to stop. */
static void
prefetcher(void *arg)
{
	int w = *(int *)arg, i = 0;
	uint64_t v;

	/* Walk once (faulting or not), as a CPU that ran the process. */
	(void)pmap_fetch_8(&rc.f->pmap, fx_va(0), &v, NULL);
	rc.faults[w] = 1ULL << mycpuid;		/* its CPU, for the check */
	while (!atomic_load_int(&rc.stop)) {
		pmap_cow_prefetch(&rc.f->pmap, fx_va(i++ % PT_NPG));
		__atomic_store_n(&rc.tried[w], rc.tried[w] + 1,
		    __ATOMIC_RELAXED);
	}
}

/*
 * Prefetchers on two CPUs read the tables while this thread maps the
 * fixture's pages read-only, lets them read, and unmaps them all, which
 * frees the table pages (pm_ptpages falls back to the PML4 alone); the
 * next round allocates and zeroes them again.  Under ThreadSanitizer a
 * prefetch reading a table page after its free races with that zeroing;
 * elsewhere such a read goes unseen (the page stays host memory), so this
 * test earns its keep in the TSan build.
 */
TEST(cow_prefetch_races_table_frees)
{
	struct kthread_handle *h[NWRITERS];
	double secs = harness_stress_seconds(2.0);
	uint64_t t0, rounds = 0;
	struct fx f;
	int i, w;

	memset(&rc, 0, sizeof(rc));
	fx_setup_cpus(&f, NWRITERS + 1);
	rc.f = &f;
	for (w = 0; w < NWRITERS; w++) {
		rc.id[w] = w;
		ASSERT_EQ(kthread_create(prefetcher, &rc.id[w], "prefetch",
		    &h[w]), 0);
	}
	t0 = nanouptime_ns();
	while (nanouptime_ns() - t0 < (uint64_t)(secs * 1e9)) {
		for (i = 0; i < PT_NPG; i++)
			pmap_enter(&f.pmap, fx_va(i), f.m[i], VM_PROT_READ,
			    FALSE, NULL);
		ASSERT_GE(atomic_load_long(&f.pmap.pm_ptpages), 4);
		let_them_write();
		pmap_remove(&f.pmap, fx_va(0), fx_va(PT_NPG));
		ASSERT_EQ(atomic_load_long(&f.pmap.pm_ptpages), 1);
		rounds++;
	}
	stop_writers(h);
	kprintf("cow_prefetch: %ju rounds, %ju+%ju prefetches\n",
	    (uintmax_t)rounds, (uintmax_t)rc.tried[0],
	    (uintmax_t)rc.tried[1]);
	ASSERT_GE(rounds, 1);
	ASSERT_GE(rc.tried[0] + rc.tried[1], 1);
	/* Their CPUs walked, so the prefetches really read the tables. */
	for (w = 0; w < NWRITERS; w++)
		ASSERT_EQ(f.pmap.pm_active & rc.faults[w], rc.faults[w]);
	PT_AUDIT();
	fx_teardown(&f);
}

static int link_round;			/* (a) round to run */
static int link_arrived;		/* (a) linkers ready, all rounds */
static int link_done[NWRITERS];		/* (a) last round run */

/* Spin until *p reaches v, giving the host CPU away now and then. */
static void
spin_until(int *p, int v)
{
	int spins = 0;

	while (atomic_load_int(p) < v && !atomic_load_int(&rc.stop))
		if (++spins % 256 == 0)
			sched_yield();
		else
			cpu_pause();
}

/*
 * Enter every other page of the fixture, once per round, starting when
 * both linkers are running (the test thread yields meanwhile), so that
 * both find the tables missing.
 */
static void
linker(void *arg)
{
	int w = *(int *)arg, r, i;

	for (r = 1;; r++) {
		spin_until(&link_round, r);
		__atomic_add_fetch(&link_arrived, 1, __ATOMIC_SEQ_CST);
		spin_until(&link_arrived, NWRITERS * r);
		if (atomic_load_int(&rc.stop))
			return;
		for (i = w; i < PT_NPG; i += NWRITERS)
			pmap_enter(&rc.f->pmap, fx_va(i), rc.f->m[i],
			    VM_PROT_ALL, FALSE, NULL);
		atomic_store_int(&link_done[w], r);
	}
}

/*
 * Each round starts with no table below the PML4; both CPUs then enter
 * their pages at once, so both find the same three tables missing,
 * allocate spares for them and race to link them.  Every round must end
 * with one table per level, counted right (the audit checks each table's
 * count of valid entries against its contents), and the losers' spares
 * freed: the teardown finds every page back.
 */
TEST(shared_enters_link_tables_in_parallel)
{
	struct kthread_handle *h[NWRITERS];
	double secs = harness_stress_seconds(1.0);
	uint64_t t0;
	struct fx f;
	long free0;
	int r = 0, w;

	memset(&rc, 0, sizeof(rc));
	memset(link_done, 0, sizeof(link_done));
	atomic_store_int(&link_round, 0);
	atomic_store_int(&link_arrived, 0);
	fx_setup_cpus(&f, NWRITERS + 1);
	rc.f = &f;
	vmstats_rollup();
	free0 = atomic_load_long(&vmstats.v_free_count);
	for (w = 0; w < NWRITERS; w++) {
		rc.id[w] = w;
		ASSERT_EQ(kthread_create(linker, &rc.id[w], "linker", &h[w]),
		    0);
	}
	t0 = nanouptime_ns();
	while (r == 0 || nanouptime_ns() - t0 < (uint64_t)(secs * 1e9)) {
		atomic_store_int(&link_round, ++r);
		for (w = 0; w < NWRITERS; w++)
			while (atomic_load_int(&link_done[w]) < r)
				sched_yield();
		ASSERT_EQ(atomic_load_long(&f.pmap.pm_ptpages), 4);
		ASSERT_EQ(pmap_resident_count(&f.pmap), PT_NPG);
		PT_AUDIT();
		pmap_remove(&f.pmap, fx_va(0), fx_va(PT_NPG));
		ASSERT_EQ(atomic_load_long(&f.pmap.pm_ptpages), 1);
	}
	stop_writers(h);
	kprintf("link_tables: %d rounds\n", r);
	/* Every spare that lost a race went back. */
	vmstats_rollup();
	ASSERT_EQ(atomic_load_long(&vmstats.v_free_count), free0);
	fx_teardown(&f);
}

TEST_MAIN(
	TEST_ENTRY(write_protect_never_loses_a_store),
	TEST_ENTRY(write_protect_with_fence_fallback),
	TEST_ENTRY(remove_stops_every_cpu),
	TEST_ENTRY(replace_stops_every_cpu),
	TEST_ENTRY(cow_prefetch_races_table_frees),
	TEST_ENTRY(shared_enters_link_tables_in_parallel),
)
