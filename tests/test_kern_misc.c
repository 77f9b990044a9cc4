/*
 * test_kern_misc.c - CPUs and threads, spinlocks, refcounts, the lock-order
 * checker, panic/KASSERT/kprintf, the tick clock and fault injectors.
 */
#include "kern_util.h"
#include "kern/fault_inject.h"
#include "kern/lock.h"
#include "kern/lockorder.h"
#include "kern/refcount.h"
#include "kern/spinlock.h"

static int flag1, flag2;		/* (a) */

/* kern_init accepts 1..MAXCPU CPUs, once per boot. */
TEST(thread_kern_init_bounds)
{
	ASSERT_EQ(kern_init(0), EINVAL);
	ASSERT_EQ(kern_init(MAXCPU + 1), EINVAL);
	ASSERT_EQ(kern_init(MAXCPU), 0);
	ASSERT_EQ(ncpus, MAXCPU);
	ASSERT_EQ(kern_init(1), EINVAL);	/* already booted */
	kern_fini();
	ASSERT_EQ(kern_init(3), 0);
	ASSERT_EQ(ncpus, 3);
	ASSERT_FALSE(kthread_entered());
	kern_fini();
}

static int cpu_busy[MAXCPU];		/* (a) 1 while a thread is on it */

static void
cpu_user(void *arg)
{
	int i, cpu, expect;

	ASSERT_NE(curthread->td_tid, 0);
	for (i = 0; i < 2000; i++) {
		cpu = mycpuid;
		ASSERT_PTR_EQ(mycpu->gd_curthread, curthread);
		expect = 0;
		ASSERT_TRUE(__atomic_compare_exchange_n(&cpu_busy[cpu],
		    &expect, curthread->td_tid, 0, __ATOMIC_ACQ_REL,
		    __ATOMIC_RELAXED));
		atomic_store_int(&cpu_busy[cpu], 0);
		if (i % 100 == 0)
			tsleep(&flag1, 0, "migrate", 1);
		else if (i % 10 == 0)
			lwkt_yield();
	}
}

/*
 * With more threads than CPUs, no two threads ever run on one CPU at once
 * and each sees itself as its CPU's current thread.
 */
TEST(thread_cpu_slots_are_exclusive)
{
	kt_boot(2);
	kt_run(cpu_user, NULL, 0, 6);
	kt_shutdown();
}

static void
set_flag1(void *arg)
{
	atomic_store_int(&flag1, 1);
}

/*
 * With one CPU a new thread cannot run while main keeps the CPU;
 * lwkt_yield() hands it over.
 */
TEST(thread_yield_hands_over_the_cpu)
{
	struct kthread_handle *h;

	kt_boot(1);
	ASSERT_EQ(kthread_create(set_flag1, NULL, "flagger", &h), 0);
	usleep(20000);
	ASSERT_EQ(atomic_load_int(&flag1), 0);
	KT_SPIN((lwkt_yield(), atomic_load_int(&flag1)));
	kthread_join(h);
	kt_shutdown();
}

/* Thread ids are unique and non-zero; crit sections nest. */
TEST(thread_ids_and_crit)
{
	int tid;

	kt_boot(1);
	tid = curthread->td_tid;
	ASSERT_NE(tid, 0);
	kthread_leave();
	kthread_enter("again");
	ASSERT_NE(curthread->td_tid, tid);
	crit_enter();
	crit_enter();
	ASSERT_EQ(curthread->td_nest_count, 2);
	crit_exit();
	crit_exit();
	ASSERT_EQ(curthread->td_nest_count, 0);
	kt_shutdown();
}

static struct spinlock sp = SPINLOCK_INITIALIZER("test spin");
static long spin_counter;		/* (sp) */

#define SPIN_ITERS	100000

static void
spin_incrementer(void *arg)
{
	int i;

	for (i = 0; i < SPIN_ITERS; i++) {
		spin_lock(&sp);
		spin_counter++;
		spin_unlock(&sp);
	}
}

/* N threads x M increments under a spinlock give exactly N*M. */
TEST(spin_counter_race)
{
	kt_boot(4);
	kt_run(spin_incrementer, NULL, 0, 4);
	ASSERT_EQ(spin_counter, 4L * SPIN_ITERS);
	kt_shutdown();
}

static void
spin_observer(void *arg)
{
	atomic_store_int(&flag1, spin_held(&sp) ? 1 : 2);
	atomic_store_int(&flag2, spin_trylock(&sp) ? 1 : 2);
}

/* spin_held is exact: true for the owner only; trylock fails when held. */
TEST(spin_held_is_exact)
{
	struct kthread_handle *h;

	kt_boot(2);
	ASSERT_FALSE(spin_held(&sp));
	spin_lock(&sp);
	ASSERT_TRUE(spin_held(&sp));
	ASSERT_EQ(sp.lock, curthread->td_tid);
	ASSERT_EQ(curthread->td_spinlocks, 1);
	ASSERT_EQ(kthread_create(spin_observer, NULL, "observer", &h), 0);
	KT_SPIN(atomic_load_int(&flag2) != 0);
	ASSERT_EQ(flag1, 2);
	ASSERT_EQ(flag2, 2);
	spin_unlock(&sp);
	ASSERT_EQ(curthread->td_spinlocks, 0);
	ASSERT_TRUE(spin_trylock(&sp));
	spin_unlock(&sp);
	kthread_join(h);
	kt_shutdown();
}

static void
spin_recurse(void *arg)
{
	kt_boot(1);
	spin_lock(&sp);
	spin_lock(&sp);
}

static void
spin_unlock_unheld(void *arg)
{
	kt_boot(1);
	spin_unlock(&sp);
}

TEST(spin_misuse_panics)
{
	ASSERT_DEBUG_PANICS(spin_recurse, NULL, "recursive spinlock test spin");
	ASSERT_DEBUG_PANICS(spin_unlock_unheld, NULL, "not held by caller");
}

static volatile u_int refs;

static void
ref_dropper(void *arg)
{
	KT_WAIT(tsleep_count(&refs) == 1);
	ASSERT_FALSE(refcount_release_wakeup(&refs));
	ASSERT_TRUE(refcount_release_wakeup(&refs));
}

/* refcount_wait sleeps until the last reference goes, then returns. */
TEST(refcount_wait_for_zero)
{
	struct kthread_handle *h;

	kt_boot(2);
	refcount_init(&refs, 0);
	refcount_wait(&refs, "none");		/* zero: returns at once */
	refcount_init(&refs, 2);
	refcount_acquire(&refs);
	ASSERT_FALSE(refcount_release(&refs));
	ASSERT_EQ(kthread_create(ref_dropper, NULL, "dropper", &h), 0);
	refcount_wait(&refs, "drain");
	ASSERT_EQ(refs, 0);			/* REFCNTF_WAITING cleared */
	kthread_join(h);
	kt_shutdown();
}

static struct spinlock lo_a = SPINLOCK_INITIALIZER("lo class A");
static struct spinlock lo_b = SPINLOCK_INITIALIZER("lo class B");
static struct spinlock lo_c = SPINLOCK_INITIALIZER("lo class C");

static void
take2(struct spinlock *first, struct spinlock *second)
{
	spin_lock(first);
	spin_lock(second);
	spin_unlock(second);
	spin_unlock(first);
}

static void
lo_reversal(void *arg)
{
	kt_boot(1);
	take2(&lo_a, &lo_b);
	take2(&lo_b, &lo_a);
}

static void
lo_transitive(void *arg)
{
	kt_boot(1);
	take2(&lo_a, &lo_b);
	take2(&lo_b, &lo_c);
	take2(&lo_c, &lo_a);
}

static void
lo_declared(void *arg)
{
	kt_boot(1);
	lockorder_declare("lo class C", "lo class A");
	take2(&lo_a, &lo_c);
}

static void
lo_lockmgr_vs_spin(void *arg)
{
	static struct lock l;

	kt_boot(1);
	lockinit(&l, "lo sleep lock", 0, 0);
	lockmgr(&l, LK_EXCLUSIVE);
	spin_lock(&lo_a);
	spin_unlock(&lo_a);
	lockmgr(&l, LK_RELEASE);
	spin_lock(&lo_a);
	lockmgr(&l, LK_EXCLUSIVE | LK_NOWAIT);	/* a try: allowed */
	lockmgr(&l, LK_RELEASE);
	spin_unlock(&lo_a);
	spin_lock(&lo_a);
	lockmgr(&l, LK_SHARED);			/* may wait: reversal */
}

/* The lock-order checker panics on reversals, naming both classes. */
TEST(lockorder_reversals_panic)
{
	ASSERT_DEBUG_PANICS(lo_reversal, NULL,
	    "taking \"lo class A\" while holding \"lo class B\"");
	ASSERT_DEBUG_PANICS(lo_transitive, NULL,
	    "\"lo class A\" -> \"lo class C\" was recorded");
	ASSERT_DEBUG_PANICS(lo_declared, NULL,
	    "\"lo class C\" -> \"lo class A\" was recorded");
	ASSERT_DEBUG_PANICS(lo_lockmgr_vs_spin, NULL,
	    "taking \"lo sleep lock\" while holding \"lo class A\"");
}

/* Consistent orders, same-class nesting and trylocks do not panic. */
TEST(lockorder_consistent_orders_pass)
{
	static struct spinlock a2 = SPINLOCK_INITIALIZER("lo class A");

	kt_boot(1);
	take2(&lo_a, &lo_b);
	take2(&lo_a, &lo_b);
	take2(&lo_b, &lo_c);
	take2(&lo_a, &lo_c);
	take2(&lo_a, &a2);
	take2(&a2, &lo_a);
	spin_lock(&lo_c);
	ASSERT_TRUE(spin_trylock(&lo_a));	/* reversed, but a try */
	spin_unlock(&lo_a);
	spin_unlock(&lo_c);
	ASSERT_EQ(curthread->td_nlocks, 0);
	lockorder_reset();
	take2(&lo_c, &lo_a);			/* forgotten: fine now */
	kt_shutdown();
}

static void
kassert_fails(void *arg)
{
	int x = 3;

	KASSERT(x == 4, ("x is %d", x));
	(void)x;
}

static void
plain_panic(void *arg)
{
	panic("boom %d", 42);
}

/* panic and KASSERT messages carry file:line, expression and message. */
TEST(panic_and_kassert_messages)
{
	ASSERT_DEBUG_PANICS(kassert_fails, NULL, "assertion \"x == 4\" failed: "
	    "x is 3");
	ASSERT_DEBUG_PANICS(kassert_fails, NULL, "test_kern_misc.c:");
	ASSERT_PANICS(plain_panic, NULL, "test_kern_misc.c:");
	ASSERT_PANICS(plain_panic, NULL, ": boom 42");
}

static char sink_buf[256];

static void
sink(const char *line, void *arg)
{
	strncat(sink_buf, line, sizeof(sink_buf) - strlen(sink_buf) - 1);
	(*(int *)arg)++;
}

/* kprintf goes to the installed sink, one call per kprintf. */
TEST(kprintf_sink)
{
	int calls = 0;

	kprintf_set_sink(sink, &calls);
	ASSERT_EQ(kprintf("hello %s %d\n", "kern", 7), 13);
	kprintf("second\n");
	kprintf_set_sink(NULL, NULL);
	ASSERT_EQ(calls, 2);
	ASSERT_EQ(strcmp(sink_buf, "hello kern 7\nsecond\n"), 0);
}

/* ticks counts hz per second from kern_init; uptime is monotonic. */
TEST(ticks_advance_from_boot)
{
	uint64_t n0;
	int t0;

	kt_boot(1);
	ASSERT_EQ(hz, 100);
	t0 = ticks;
	ASSERT_LE(t0, 100);			/* counted from kern_init */
	n0 = nanouptime_ns();
	tsleep(&flag1, 0, "tick", 2);
	ASSERT_GE(ticks, t0 + 2);
	ASSERT_GE(nanouptime_ns(), n0 + 2 * 10000000ull);
	kt_shutdown();
}

static struct fault_inject fi;

/* An armed injector fails exactly the nth check (and later, if persistent). */
TEST(fault_inject_countdown)
{
	int i;

	ASSERT_FALSE(fault_inject_check(&fi));
	fault_inject_arm(&fi, 3, 0);
	ASSERT_FALSE(fault_inject_check(&fi));
	ASSERT_FALSE(fault_inject_check(&fi));
	ASSERT_TRUE(fault_inject_check(&fi));
	for (i = 0; i < 10; i++)
		ASSERT_FALSE(fault_inject_check(&fi));
	ASSERT_EQ(fault_inject_hits(&fi), 1);

	fault_inject_arm(&fi, 2, 1);
	ASSERT_FALSE(fault_inject_check(&fi));
	for (i = 0; i < 5; i++)
		ASSERT_TRUE(fault_inject_check(&fi));
	ASSERT_EQ(fault_inject_hits(&fi), 5);
	fault_inject_arm(&fi, 0, 0);
	ASSERT_FALSE(fault_inject_check(&fi));
}

static void
fi_checker(void *arg)
{
	int i;

	for (i = 0; i < 1000; i++)
		if (fault_inject_check(&fi))
			atomic_add_int(&flag1, 1);
}

/* Many threads checking one armed injector: exactly one call fails. */
TEST(fault_inject_fires_once_under_concurrency)
{
	kt_boot(4);
	fault_inject_arm(&fi, 2500, 0);
	kt_run(fi_checker, NULL, 0, 4);
	ASSERT_EQ(atomic_load_int(&flag1), 1);
	ASSERT_EQ(fault_inject_hits(&fi), 1);
	kt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(thread_kern_init_bounds),
	TEST_ENTRY(thread_cpu_slots_are_exclusive),
	TEST_ENTRY(thread_yield_hands_over_the_cpu),
	TEST_ENTRY(thread_ids_and_crit),
	TEST_ENTRY(spin_counter_race),
	TEST_ENTRY(spin_held_is_exact),
	TEST_ENTRY(spin_misuse_panics),
	TEST_ENTRY(refcount_wait_for_zero),
	TEST_ENTRY(lockorder_reversals_panic),
	TEST_ENTRY(lockorder_consistent_orders_pass),
	TEST_ENTRY(panic_and_kassert_messages),
	TEST_ENTRY(kprintf_sink),
	TEST_ENTRY(ticks_advance_from_boot),
	TEST_ENTRY(fault_inject_countdown),
	TEST_ENTRY(fault_inject_fires_once_under_concurrency),
)
