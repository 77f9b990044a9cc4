/*
 * test_kern_synch.c - tsleep/wakeup: waking, timeouts, the interlock,
 * wakeup_one, CPU release while asleep, ssleep, and a ping-pong stress
 * that would stall on a lost wakeup.
 */
#include "kern_util.h"
#include "kern/spinlock.h"

static int chan;
static int woken;			/* (a) sleepers done recording */
static int nslots;			/* (a) */
static int order[3];			/* (a) 1 + id of each woken sleeper */

static void
sleeper(void *arg)
{
	ASSERT_EQ(tsleep(&chan, 0, "sleeper", 0), 0);
	atomic_store_int(&order[atomic_fetchadd_int(&nslots, 1)],
	    *(int *)arg + 1);
	atomic_add_int(&woken, 1);
}

/* wakeup() wakes a sleeper, which then returns 0. */
TEST(synch_wakeup_wakes_sleeper)
{
	struct kthread_handle *h;
	int id = 7;

	kt_boot(2);
	ASSERT_EQ(kthread_create(sleeper, &id, "sleeper", &h), 0);
	KT_WAIT(tsleep_count(&chan) == 1);
	ASSERT_EQ(atomic_load_int(&woken), 0);
	wakeup(&chan);
	kthread_join(h);
	ASSERT_EQ(atomic_load_int(&woken), 1);
	ASSERT_EQ(tsleep_count(&chan), 0);
	kt_shutdown();
}

/* A sleep with a timeout and no wakeup returns EWOULDBLOCK, not early. */
TEST(synch_timeout_returns_ewouldblock)
{
	int t0;

	kt_boot(1);
	t0 = ticks;
	ASSERT_EQ(tsleep(&chan, 0, "timeout", 3), EWOULDBLOCK);
	ASSERT_GE(ticks - t0, 3);
	ASSERT_EQ(tsleep_count(&chan), 0);
	kt_shutdown();
}

/*
 * A wakeup between tsleep_interlock() and tsleep(PINTERLOCKED) is not
 * lost: the tsleep returns 0 at once instead of timing out.
 */
TEST(synch_interlock_keeps_early_wakeup)
{
	kt_boot(1);
	tsleep_interlock(&chan, 0);
	ASSERT_EQ(tsleep_count(&chan), 1);
	wakeup(&chan);
	ASSERT_EQ(tsleep_count(&chan), 0);
	ASSERT_EQ(tsleep(&chan, PINTERLOCKED, "early", 10 * hz), 0);
	kt_shutdown();
}

/* tsleep_remove() takes a thread that decided not to sleep off the queue. */
TEST(synch_tsleep_remove)
{
	kt_boot(1);
	tsleep_interlock(&chan, 0);
	ASSERT_EQ(tsleep_count(&chan), 1);
	tsleep_remove();
	ASSERT_EQ(tsleep_count(&chan), 0);
	/* Re-interlocking on another address moves the thread. */
	tsleep_interlock(&chan, 0);
	tsleep_interlock(&woken, 0);
	ASSERT_EQ(tsleep_count(&chan), 0);
	ASSERT_EQ(tsleep_count(&woken), 1);
	tsleep_remove();
	kt_shutdown();
}

/* wakeup_one wakes exactly one sleeper, the one that slept first. */
TEST(synch_wakeup_one_wakes_oldest_only)
{
	struct kthread_handle *h[3];
	int ids[3] = { 0, 1, 2 }, i;

	kt_boot(4);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(kthread_create(sleeper, &ids[i], "sleeper", &h[i]),
		    0);
		KT_WAIT(tsleep_count(&chan) == i + 1);
	}
	wakeup_one(&chan);
	KT_WAIT(atomic_load_int(&woken) == 1);
	ASSERT_EQ(atomic_load_int(&order[0]), 1);
	ASSERT_EQ(tsleep_count(&chan), 2);
	wakeup_one(&chan);
	KT_WAIT(atomic_load_int(&woken) == 2);
	ASSERT_EQ(atomic_load_int(&order[1]), 2);
	wakeup(&chan);
	for (i = 0; i < 3; i++)
		kthread_join(h[i]);
	ASSERT_EQ(atomic_load_int(&order[2]), 3);
	kt_shutdown();
}

static void
waker(void *arg)
{
	atomic_store_int(&woken, 1);
	wakeup(&chan);
}

/*
 * With one CPU, a sleeper must give its CPU up: the waker can only run
 * (and wake it) while it sleeps.
 */
TEST(synch_sleep_releases_cpu)
{
	struct kthread_handle *h;

	kt_boot(1);
	ASSERT_EQ(kthread_create(waker, NULL, "waker", &h), 0);
	tsleep_interlock(&chan, 0);
	ASSERT_EQ(atomic_load_int(&woken), 0);	/* waker has no CPU yet */
	ASSERT_EQ(tsleep(&chan, PINTERLOCKED, "cpu", 10 * hz), 0);
	ASSERT_EQ(atomic_load_int(&woken), 1);
	ASSERT_PTR_EQ(mycpu->gd_curthread, curthread);
	kthread_join(h);
	kt_shutdown();
}

static struct spinlock ss_spin = SPINLOCK_INITIALIZER("ss_spin");
static int ss_cond;			/* (ss_spin) */

static void
ss_setter(void *arg)
{
	KT_WAIT(tsleep_count(&ss_cond) == 1);
	spin_lock(&ss_spin);
	ss_cond = 1;
	spin_unlock(&ss_spin);
	wakeup(&ss_cond);
}

/* ssleep drops the spinlock while asleep and holds it again on return. */
TEST(synch_ssleep_reacquires_spinlock)
{
	struct kthread_handle *h;

	kt_boot(2);
	ASSERT_EQ(kthread_create(ss_setter, NULL, "setter", &h), 0);
	spin_lock(&ss_spin);
	while (ss_cond == 0)
		ASSERT_EQ(ssleep(&ss_cond, &ss_spin, 0, "ss", 10 * hz), 0);
	ASSERT_TRUE(spin_held(&ss_spin));
	spin_unlock(&ss_spin);
	kthread_join(h);
	kt_shutdown();
}

#define PINGPONG_ROUNDS	100000
static int pp_turn;			/* (a) 0 or 1: whose move */

/*
 * pingpong - wait for my turn with the bare interlock pattern on an
 * atomic, then pass the turn.  A lost wakeup shows as a 10 s timeout.
 */
static void
pingpong(void *arg)
{
	int me = *(int *)arg, r;

	for (r = 0; r < PINGPONG_ROUNDS; r++) {
		for (;;) {
			tsleep_interlock(&pp_turn, 0);
			if (atomic_load_int(&pp_turn) == me) {
				tsleep_remove();
				break;
			}
			ASSERT_EQ(tsleep(&pp_turn, PINTERLOCKED, "pp", 10 * hz),
			    0);
		}
		atomic_store_int(&pp_turn, !me);
		wakeup(&pp_turn);
	}
}

/* Two threads pass a turn back and forth; no wakeup may be lost. */
TEST(synch_pingpong_no_lost_wakeups)
{
	int ids[2] = { 0, 1 };

	kt_boot(2);
	kt_run(pingpong, ids, sizeof(int), 2);
	ASSERT_EQ(atomic_load_int(&pp_turn), 0);
	kt_shutdown();
}

static void
pingpong_ssleep(void *arg)
{
	int me = *(int *)arg, r;

	for (r = 0; r < PINGPONG_ROUNDS / 4; r++) {
		spin_lock(&ss_spin);
		while (ss_cond != me)
			ASSERT_EQ(ssleep(&ss_cond, &ss_spin, 0, "pps", 10 * hz),
			    0);
		ss_cond = (me + 1) % 3;
		spin_unlock(&ss_spin);
		wakeup(&ss_cond);
	}
}

/* Three threads on two CPUs pass a turn around a ring with ssleep. */
TEST(synch_ring_ssleep_more_threads_than_cpus)
{
	int ids[3] = { 0, 1, 2 };

	kt_boot(2);
	kt_run(pingpong_ssleep, ids, sizeof(int), 3);
	ASSERT_EQ(ss_cond, 0);
	kt_shutdown();
}

static void
sleep_holding_spin(void *arg)
{
	kt_boot(1);
	spin_lock(&ss_spin);
	tsleep(&chan, 0, "bad", 1);
}

static void
sleep_in_critical_section(void *arg)
{
	kt_boot(1);
	crit_enter();
	tsleep(&chan, 0, "bad", 1);
}

TEST(synch_misuse_panics)
{
	ASSERT_DEBUG_PANICS(sleep_holding_spin, NULL, "holding a spinlock");
	ASSERT_DEBUG_PANICS(sleep_in_critical_section, NULL, "critical section");
}

TEST_MAIN(
	TEST_ENTRY(synch_wakeup_wakes_sleeper),
	TEST_ENTRY(synch_timeout_returns_ewouldblock),
	TEST_ENTRY(synch_interlock_keeps_early_wakeup),
	TEST_ENTRY(synch_tsleep_remove),
	TEST_ENTRY(synch_wakeup_one_wakes_oldest_only),
	TEST_ENTRY(synch_sleep_releases_cpu),
	TEST_ENTRY(synch_ssleep_reacquires_spinlock),
	TEST_ENTRY(synch_pingpong_no_lost_wakeups),
	TEST_ENTRY(synch_ring_ssleep_more_threads_than_cpus),
	TEST_ENTRY(synch_misuse_panics),
)
