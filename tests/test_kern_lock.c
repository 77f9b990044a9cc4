/*
 * test_kern_lock.c - lockmgr: shared and exclusive exclusion, recursion,
 * NOWAIT, TIMELOCK, SLEEPFAIL, upgrade (and its DragonFly failure modes),
 * downgrade, writer preference, and tokens released while waiting; and all
 * of it again for locks with per-slot shares (lockinit_slots) (the pcpu_ variants), plus that
 * mode's own promises: shares never touch the lock word, and a holder
 * that blocks and resumes on another CPU releases the share it took.
 */
#include "kern_util.h"
#include "kern/lock.h"
#include "kern/token.h"

#define RACE_ITERS	20000
#define TIMO		5		/* ticks, for LK_TIMELOCK */

static struct lock lk;
static long field_a, field_b;		/* (lk) always equal when unlocked */
static int flag1, flag2;		/* (a) */
static int result1, result2;		/* (a) */
static int lk_mode;			/* pcpu_ tests: lockinit_slots */
static struct lock_slot lk_slots[KTHREAD_NSLOTS];

static void
boot_lock(int n, int flags)
{
	kt_boot(n);
	if (lk_mode)
		lockinit_slots(&lk, "test_lk", TIMO, flags, lk_slots);
	else
		lockinit(&lk, "test_lk", TIMO, flags);
}

static void
writer_reader(void *arg)
{
	int writer = *(int *)arg, i;

	for (i = 0; i < RACE_ITERS; i++) {
		if (writer || (i % 4) == 0) {
			ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
			field_a++;
			field_b++;
		} else {
			ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
			ASSERT_EQ(field_a, field_b);
		}
		lockmgr(&lk, LK_RELEASE);
	}
}

/*
 * Writers and readers race: readers never see a half-done update and the
 * writers' count is exact.
 */
TEST(lock_readers_writers_race)
{
	int roles[4] = { 1, 0, 1, 0 };

	boot_lock(4, 0);
	kt_run(writer_reader, roles, sizeof(int), 4);
	ASSERT_EQ(field_a, 2L * RACE_ITERS + 2L * (RACE_ITERS / 4));
	ASSERT_EQ(field_b, field_a);
	ASSERT_EQ(lockstatus(&lk, curthread), 0);
	lockuninit(&lk);
	kt_shutdown();
}

static void
shared_pair(void *arg)
{
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	atomic_add_int(&flag1, 1);
	KT_SPIN(atomic_load_int(&flag1) >= 2);
	ASSERT_EQ(lockcountnb(&lk), 2);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_SHARED);
	atomic_add_int(&flag1, 1);
	KT_SPIN(atomic_load_int(&flag1) >= 4);
	lockmgr(&lk, LK_RELEASE);
}

/* Shared holders hold the lock at the same time. */
TEST(lock_shared_holders_coexist)
{
	boot_lock(2, 0);
	kt_run(shared_pair, NULL, 0, 2);
	ASSERT_EQ(lockcountnb(&lk), 0);
	kt_shutdown();
}

static void
try_lock(void *arg)
{
	unsigned int flags = *(unsigned int *)arg;

	atomic_store_int(&result1, lockmgr(&lk, flags) + 1000);
	if (atomic_load_int(&result1) == 1000)
		lockmgr(&lk, LK_RELEASE);
}

/* try_other - run lockmgr(flags) in another thread; its result. */
static int
try_other(unsigned int flags)
{
	struct kthread_handle *h;

	atomic_store_int(&result1, 0);
	ASSERT_EQ(kthread_create(try_lock, &flags, "try", &h), 0);
	KT_SPIN(atomic_load_int(&result1) != 0);
	kthread_join(h);
	return (atomic_load_int(&result1) - 1000);
}

/* LK_NOWAIT fails with EBUSY exactly when the request conflicts. */
TEST(lock_nowait_ebusy)
{
	boot_lock(2, 0);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(lockowned(&lk), 1);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), EBUSY);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_NOWAIT), EBUSY);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE | LK_NOWAIT), EBUSY); /* self */
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), 0);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_NOWAIT), EBUSY);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_NOWAIT), 0);
	kt_shutdown();
}

/* LK_TIMELOCK gives up after lk_timo ticks with EWOULDBLOCK. */
TEST(lock_timelock_times_out)
{
	int t0;

	boot_lock(2, 0);
	t0 = ticks;
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_TIMELOCK), EWOULDBLOCK);
	ASSERT_EQ(try_other(LK_SHARED | LK_TIMELOCK), EWOULDBLOCK);
	ASSERT_GE(ticks - t0, 2 * TIMO);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_EXCLUSIVE);
	ASSERT_EQ(lockcountnb(&lk), 1);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_TIMELOCK), 0);
	kt_shutdown();
}

static void
sleepfail_waiter(void *arg)
{
	atomic_store_int(&result2, lockmgr(&lk, LK_EXCLUSIVE | LK_SLEEPFAIL) +
	    1000);
	/* ENOLCK: the waiter does not hold the lock. */
	ASSERT_NE(lockstatus(&lk, curthread), LK_EXCLUSIVE);
}

/* LK_SLEEPFAIL sleeps once, then fails with ENOLCK without the lock. */
TEST(lock_sleepfail_enolck)
{
	struct kthread_handle *h;

	boot_lock(2, 0);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(kthread_create(sleepfail_waiter, NULL, "sf", &h), 0);
	KT_SPIN(tsleep_count(&lk) == 1);
	lockmgr(&lk, LK_RELEASE);
	kthread_join(h);
	ASSERT_EQ(atomic_load_int(&result2) - 1000, ENOLCK);
	ASSERT_EQ(lockcountnb(&lk), 0);
	kt_shutdown();
}

static void
recurse_without_flag(void *arg)
{
	boot_lock(1, 0);
	lockmgr(&lk, LK_EXCLUSIVE);
	lockmgr(&lk, LK_EXCLUSIVE);
}

static void
release_unlocked(void *arg)
{
	boot_lock(1, 0);
	lockmgr(&lk, LK_RELEASE);
}

/* Recursion needs LK_CANRECURSE; without it the second request panics. */
TEST(lock_recursion)
{
	ASSERT_PANICS(recurse_without_flag, NULL, "locking against myself");
	ASSERT_DEBUG_PANICS(release_unlocked, NULL, "release of unlocked lock");
	boot_lock(1, LK_CANRECURSE);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	/* Shared while held exclusively adds an exclusive count. */
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(lockcountnb(&lk), 3);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_EXCLUSIVE);
	lockmgr(&lk, LK_RELEASE);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(lockowned(&lk), 1);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(lockstatus(&lk, curthread), 0);
	kt_shutdown();
}

/* The sole shared holder upgrades at once; downgrade lets readers in. */
TEST(lock_upgrade_sole_holder_and_downgrade)
{
	boot_lock(2, 0);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE | LK_NOWAIT), 0);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_EXCLUSIVE);
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE), 0);	/* already exclusive */
	ASSERT_EQ(lockmgr(&lk, LK_DOWNGRADE), 0);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_SHARED);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), 0);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_NOWAIT), EBUSY);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUPGRADE), 0);
	ASSERT_EQ(lockowned(&lk), 1);
	lockmgr(&lk, LK_RELEASE);
	kt_shutdown();
}

static void
shared_then_release_on_flag(void *arg)
{
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	atomic_store_int(&flag1, 1);
	KT_SPIN(atomic_load_int(&flag2) == 1);
	lockmgr(&lk, LK_RELEASE);
}

/*
 * An upgrade waits for the other shared holders to leave; a failed
 * (timed-out) upgrade leaves the caller holding nothing.
 */
TEST(lock_upgrade_waits_and_failure_unlocks)
{
	struct kthread_handle *h;

	boot_lock(2, 0);
	ASSERT_EQ(kthread_create(shared_then_release_on_flag, NULL, "other",
	    &h), 0);
	KT_SPIN(atomic_load_int(&flag1) == 1);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE | LK_TIMELOCK), EWOULDBLOCK);
	ASSERT_EQ(lockcountnb(&lk), 1);		/* only the other's share */
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE | LK_NOWAIT), EBUSY);
	ASSERT_EQ(lockcountnb(&lk), 1);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	atomic_store_int(&flag2, 1);		/* the other releases... */
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE), 0);	/* ...and we get it */
	ASSERT_EQ(lockstatus(&lk, curthread), LK_EXCLUSIVE);
	lockmgr(&lk, LK_RELEASE);
	kthread_join(h);
	kt_shutdown();
}

static void
upgrader(void *arg)
{
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	atomic_store_int(&flag1, 1);
	KT_SPIN(lockcountnb(&lk) == 2);		/* main holds it shared too */
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE), 0);
	atomic_store_int(&flag2, 1);
	lockmgr(&lk, LK_RELEASE);
}

/*
 * Two upgraders: the second one's LK_EXCLUPGRADE fails with EBUSY and
 * leaves it unlocked (so the first upgrade completes); its LK_UPGRADE
 * instead falls back to a plain exclusive request, after the first.
 */
TEST(lock_concurrent_upgrades)
{
	struct kthread_handle *h;

	boot_lock(2, 0);
	ASSERT_EQ(kthread_create(upgrader, NULL, "upgrader", &h), 0);
	KT_SPIN(atomic_load_int(&flag1) == 1);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	KT_SPIN(tsleep_count(&lk) == 1);	/* the upgrader waits for us */
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUPGRADE), EBUSY);
	/* Our share is gone: the first upgrade completes and ends. */
	KT_SPIN(atomic_load_int(&flag2) == 1);
	kthread_join(h);
	ASSERT_EQ(lockcountnb(&lk), 0);

	atomic_store_int(&flag1, 0);
	atomic_store_int(&flag2, 0);
	ASSERT_EQ(kthread_create(upgrader, NULL, "upgrader", &h), 0);
	KT_SPIN(atomic_load_int(&flag1) == 1);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	KT_SPIN(tsleep_count(&lk) == 1);
	ASSERT_EQ(lockmgr(&lk, LK_UPGRADE), 0);	/* share lost, then excl */
	ASSERT_EQ(atomic_load_int(&flag2), 1);	/* the first went first */
	ASSERT_EQ(lockstatus(&lk, curthread), LK_EXCLUSIVE);
	lockmgr(&lk, LK_RELEASE);
	kthread_join(h);
	kt_shutdown();
}

static void
exclusive_waiter(void *arg)
{
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	lockmgr(&lk, LK_RELEASE);
}

/* A waiting exclusive request holds back new shared requests. */
TEST(lock_writer_preference)
{
	struct kthread_handle *h;

	boot_lock(2, 0);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), 0);
	ASSERT_EQ(kthread_create(exclusive_waiter, NULL, "writer", &h), 0);
	KT_SPIN(tsleep_count(&lk) == 1);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), EBUSY);
	lockmgr(&lk, LK_RELEASE);
	kthread_join(h);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), 0);
	kt_shutdown();
}

static struct lwkt_token lk_tok = LWKT_TOKEN_INITIALIZER("lk_tok");

static void
token_holding_waiter(void *arg)
{
	lwkt_gettoken(&lk_tok);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_TRUE(lwkt_token_is_held(&lk_tok, 1));
	lockmgr(&lk, LK_RELEASE);
	lwkt_reltoken(&lk_tok);
}

/* A thread waiting for a lockmgr lock does not keep its tokens. */
TEST(lock_waiter_releases_tokens)
{
	struct kthread_handle *h;

	boot_lock(2, 0);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(kthread_create(token_holding_waiter, NULL, "waiter", &h),
	    0);
	KT_SPIN(tsleep_count(&lk) == 1);
	/* Queued first, tokens dropped just after: free while it waits. */
	KT_SPIN(lwkt_trytoken(&lk_tok));
	lwkt_reltoken(&lk_tok);
	lockmgr(&lk, LK_RELEASE);
	kthread_join(h);
	kt_shutdown();
}

/*
 * One step of the mixed race: a share that is checked, upgraded (either
 * way: LK_UPGRADE always ends exclusive, LK_EXCLUPGRADE may fail holding
 * nothing) or released, an update under the exclusive hold, a downgrade
 * and a check under the share again.
 */
static void
mixed_step(int i)
{
	int how = i % 5;

	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(field_a, field_b);
	if (how == 0 || how == 1) {
		if (lockmgr(&lk, how == 0 ? LK_UPGRADE : LK_EXCLUPGRADE) != 0)
			return;			/* failed: holds nothing */
		field_a++;
		field_b++;
		ASSERT_EQ(lockmgr(&lk, LK_DOWNGRADE), 0);
		ASSERT_EQ(field_a, field_b);
	}
	lockmgr(&lk, LK_RELEASE);
}

static void
mixed_racer(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < RACE_ITERS; i++)
		mixed_step(i);
}

/*
 * The shared fast path against upgrades, downgrades and the slow path's
 * waits: no update is torn and no waiter is left asleep (a lost wakeup
 * would hang here).
 */
TEST(lock_fast_path_mixed_race)
{
	int ids[4] = { 0, 1, 2, 3 };

	boot_lock(4, 0);
	kt_run(mixed_racer, ids, sizeof(int), 4);
	ASSERT_EQ(field_b, field_a);
	ASSERT_GE(field_a, 4L * (RACE_ITERS / 5));
	ASSERT_EQ(lockcountnb(&lk), 0);
	ASSERT_EQ(lockstatus(&lk, curthread), 0);
	lockuninit(&lk);
	kt_shutdown();
}

/*
 * The pcpu_ variants: each test above, on a lock made by lockinit_slots.  (Each
 * test runs in a child of its own, so lk_mode does not leak.)
 */
#define PCPU_VARIANT(name)						\
	TEST(pcpu_##name)						\
	{								\
		lk_mode = 1;				\
		name();							\
		lk_mode = 0;						\
	}

PCPU_VARIANT(lock_readers_writers_race)
PCPU_VARIANT(lock_fast_path_mixed_race)
PCPU_VARIANT(lock_shared_holders_coexist)
PCPU_VARIANT(lock_nowait_ebusy)
PCPU_VARIANT(lock_timelock_times_out)
PCPU_VARIANT(lock_sleepfail_enolck)
PCPU_VARIANT(lock_recursion)
PCPU_VARIANT(lock_upgrade_sole_holder_and_downgrade)
PCPU_VARIANT(lock_upgrade_waits_and_failure_unlocks)
PCPU_VARIANT(lock_concurrent_upgrades)
PCPU_VARIANT(lock_writer_preference)
PCPU_VARIANT(lock_waiter_releases_tokens)

/* The share count of td's slot of lk. */
static u_int
slot_count(struct thread *td)
{
	return (atomic_load_int(&lk.lk_slots[td->td_slot].ls_count));
}

/*
 * A share of a slotted lock is counted in the holder's slot only: taking and
 * dropping it leaves the lock word untouched (what lets two CPUs fault in
 * one address space without sharing a written line).  A downgrade moves
 * the exclusive hold into the slot, and threads get distinct slots.
 */
TEST(pcpu_shares_stay_in_the_slot)
{
	struct thread *td;

	lk_mode = 1;
	boot_lock(2, 0);
	td = curthread;
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	ASSERT_EQ(atomic_load_int(&lk.lk_count), 0U);
	ASSERT_EQ(slot_count(td), 2U);
	ASSERT_EQ(lockstatus(&lk, td), LK_SHARED);
	ASSERT_EQ(lockcountnb(&lk), 2);
	ASSERT_EQ(try_other(LK_SHARED | LK_NOWAIT), 0);
	ASSERT_EQ(atomic_load_int(&lk.lk_count), 0U);
	ASSERT_EQ(try_other(LK_EXCLUSIVE | LK_NOWAIT), EBUSY);
	lockmgr(&lk, LK_RELEASE);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(slot_count(td), 0U);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
	ASSERT_EQ(atomic_load_int(&lk.lk_count), LKC_EXCL);
	ASSERT_EQ(lockmgr(&lk, LK_DOWNGRADE), 0);
	ASSERT_EQ(atomic_load_int(&lk.lk_count), 0U);
	ASSERT_EQ(slot_count(td), 1U);
	lockmgr(&lk, LK_RELEASE);
	ASSERT_EQ(lockcountnb(&lk), 0);
	lockuninit(&lk);
	kt_shutdown();
}

static int mig_cpu0, mig_cpu1;		/* (a) the holder's CPUs */
static int mig_wake, mig_done;		/* (a) */

/* Take a share, sleep, and release it after resuming (elsewhere). */
static void
migrating_holder(void *arg)
{
	(void)arg;
	ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
	atomic_store_int(&mig_cpu0, mycpuid);
	while (!atomic_load_int(&mig_wake))
		tsleep(&mig_wake, 0, "mig", 0);
	atomic_store_int(&mig_cpu1, mycpuid);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_SHARED);
	lockmgr(&lk, LK_RELEASE);
	atomic_store_int(&mig_done, 1);
}

/* Keep the CPU the holder slept on until the holder is done. */
static void
cpu_squatter(void *arg)
{
	(void)arg;
	KT_SPIN(atomic_load_int(&mig_done));
}

/*
 * A shared holder that blocks gives up its CPU and resumes on another
 * one (its old CPU is kept busy); its release still drops the share it
 * took, so the lock is free afterwards and an exclusive request is
 * granted at once.  With per-CPU (not per-thread) slots the release
 * would hit the wrong counter and the lock would stay shared forever.
 */
TEST(pcpu_holder_blocks_and_migrates)
{
	struct kthread_handle *holder, *squatter;

	lk_mode = 1;
	boot_lock(2, 0);
	ASSERT_EQ(kthread_create(migrating_holder, NULL, "holder", &holder),
	    0);
	KT_SPIN(tsleep_count(&mig_wake) == 1);
	ASSERT_EQ(lockstatus(&lk, curthread), LK_SHARED);
	ASSERT_EQ(kthread_create(cpu_squatter, NULL, "squat", &squatter), 0);
	KT_SPIN(atomic_load_int(&globaldata_find(mig_cpu0)->gd_curthread) !=
	    NULL);
	atomic_store_int(&mig_wake, 1);
	wakeup(&mig_wake);
	kthread_join(holder);		/* gives the holder our CPU */
	kthread_join(squatter);
	ASSERT_NE(atomic_load_int(&mig_cpu0), atomic_load_int(&mig_cpu1));
	ASSERT_EQ(lockcountnb(&lk), 0);
	ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE | LK_NOWAIT), 0);
	lockmgr(&lk, LK_RELEASE);
	lockuninit(&lk);
	kt_shutdown();
}

static int excl_holders;		/* (a) exclusive holders right now */
static int shared_holders;		/* (a) shared holders right now */

/*
 * Many threads mixing every kind of request on a lock made by lockinit_slots
 * never see an exclusive holder next to any other holder.
 */
static void
exclusion_racer(void *arg)
{
	int id = *(int *)arg, i;

	for (i = 0; i < RACE_ITERS; i++) {
		if ((i + id) % 7 == 0) {
			ASSERT_EQ(lockmgr(&lk, LK_EXCLUSIVE), 0);
			ASSERT_EQ(atomic_fetchadd_int(&excl_holders, 1), 0);
			ASSERT_EQ(atomic_load_int(&shared_holders), 0);
			atomic_subtract_int(&excl_holders, 1);
		} else if ((i + id) % 7 == 1 &&
		    lockmgr(&lk, LK_SHARED | LK_NOWAIT) != 0) {
			continue;
		} else if ((i + id) % 7 != 1) {
			ASSERT_EQ(lockmgr(&lk, LK_SHARED), 0);
		}
		if ((i + id) % 7 != 0) {
			atomic_add_int(&shared_holders, 1);
			ASSERT_EQ(atomic_load_int(&excl_holders), 0);
			atomic_subtract_int(&shared_holders, 1);
		}
		lockmgr(&lk, LK_RELEASE);
	}
}

TEST(pcpu_exclusion_many_threads)
{
	int ids[6] = { 0, 1, 2, 3, 4, 5 };

	lk_mode = 1;
	boot_lock(4, 0);
	kt_run(exclusion_racer, ids, sizeof(int), 6);
	ASSERT_EQ(lockcountnb(&lk), 0);
	ASSERT_EQ(lockstatus(&lk, curthread), 0);
	lockuninit(&lk);
	kt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(lock_readers_writers_race),
	TEST_ENTRY(lock_fast_path_mixed_race),
	TEST_ENTRY(lock_shared_holders_coexist),
	TEST_ENTRY(lock_nowait_ebusy),
	TEST_ENTRY(lock_timelock_times_out),
	TEST_ENTRY(lock_sleepfail_enolck),
	TEST_ENTRY(lock_recursion),
	TEST_ENTRY(lock_upgrade_sole_holder_and_downgrade),
	TEST_ENTRY(lock_upgrade_waits_and_failure_unlocks),
	TEST_ENTRY(lock_concurrent_upgrades),
	TEST_ENTRY(lock_writer_preference),
	TEST_ENTRY(lock_waiter_releases_tokens),
	TEST_ENTRY(pcpu_lock_readers_writers_race),
	TEST_ENTRY(pcpu_lock_fast_path_mixed_race),
	TEST_ENTRY(pcpu_lock_shared_holders_coexist),
	TEST_ENTRY(pcpu_lock_nowait_ebusy),
	TEST_ENTRY(pcpu_lock_timelock_times_out),
	TEST_ENTRY(pcpu_lock_sleepfail_enolck),
	TEST_ENTRY(pcpu_lock_recursion),
	TEST_ENTRY(pcpu_lock_upgrade_sole_holder_and_downgrade),
	TEST_ENTRY(pcpu_lock_upgrade_waits_and_failure_unlocks),
	TEST_ENTRY(pcpu_lock_concurrent_upgrades),
	TEST_ENTRY(pcpu_lock_writer_preference),
	TEST_ENTRY(pcpu_lock_waiter_releases_tokens),
	TEST_ENTRY(pcpu_shares_stay_in_the_slot),
	TEST_ENTRY(pcpu_holder_blocks_and_migrates),
	TEST_ENTRY(pcpu_exclusion_many_threads),
)
