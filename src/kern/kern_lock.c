/*
 * kern_lock.c - lockmgr sleep locks (see lock.h for the request types).
 *
 * Design note.  As in DragonFly, the lock's state is one atomic count
 * word, lk_count: the number of shared holders (LKC_SMASK) and the bits
 * LKC_EXCL (held exclusively), LKC_BLOCK (an exclusive or upgrade request
 * is pending: new shares must wait) and LKC_WAIT (someone sleeps on the
 * lock).  A shared request that finds neither EXCL nor BLOCK takes its
 * share with one compare-and-swap, and a shared release that finds no
 * WAIT drops it with one: the common read-lock pair (the vm_map and pmap
 * read locks of every fault) never touches the spinlock.  Everything else
 * - exclusive requests, upgrades, downgrades, waiting, waking - runs under
 * the lock's spinlock lk_spin, which also guards the bookkeeping fields
 * the bits summarise; under lk_spin lk_count still only changes by atomic
 * read-modify-write, since the fast paths do not take lk_spin.  Waiting
 * is tsleep() on the lock's address, so a waiter gives up its tokens and
 * CPU like any other sleeper.
 *
 * Invariants:
 *   1. lk_lockholder != NULL  <=>  LKC_EXCL  <=>  lk_exclusivecount > 0,
 *      and then the share count is 0.  EXCL is only set under lk_spin, by
 *      a compare-and-swap that sees no shares.
 *   2. lk_upreq is 1 while one thread waits to upgrade; it has already
 *      given up its share, and no other request is granted before it.
 *   3. lk_exclreq counts exclusive requests queued; while it is non-zero
 *      new shared requests wait (writer preference).
 *   4. LKC_BLOCK == (lk_exclreq > 0 || lk_upreq), LKC_WAIT == (lk_waiters
 *      > 0), brought up to date (lk_sync_bits) under lk_spin after every
 *      change of those fields.
 *   5. No lost wakeup: a waiter sets WAIT (an atomic write to lk_count)
 *      and only then re-reads lk_count to decide to sleep.  A fast release
 *      that the re-read does not see must have loaded lk_count before the
 *      WAIT write, so its compare-and-swap fails and it retries, sees WAIT
 *      and takes the slow path, which wakes under lk_spin.
 *   6. Every failed request leaves the caller holding nothing more than
 *      before, except a failed upgrade: the caller's share is gone (the
 *      DragonFly contract that vm_map_lock_upgrade relies on).
 *
 * Per-slot shares (lockinit_slots, a flyvm extension).  A lock every
 * fault of an address space takes shared (the map lock, pm_lock) would
 * have both CPUs write
 * lk_count twice per fault.  With lockinit_slots the shares live instead in
 * lk_slots[td_slot], a cache line per slot; the share count in lk_count
 * stays 0.  A thread's slot is fixed for its life (not the CPU, which
 * changes when a holder blocks), so a release drops the count its acquire
 * added.  The fast shared path adds to its slot and then reads lk_count;
 * an exclusive grant sets EXCL in lk_count and then sums the slots.  Both
 * sides are sequentially consistent (a Dekker pair), so either the sharer
 * sees EXCL (or BLOCK) and backs out into the slow path, or the grant
 * counts the share, clears EXCL again and waits like any blocked request:
 *   7. (slotted) EXCL stays set (is granted) only if the slots sum
 *      to 0 after it was set; a fast share counts itself only if it finds
 *      neither EXCL nor BLOCK after its slot increment.  A grant that
 *      fails clears EXCL before it drops lk_spin, so only the fast path,
 *      which then retries under lk_spin, can see the transient bit.
 *   8. (slotted) A slot decrement (release, or a fast path backing
 *      out) is followed by a full fence and a read of WAIT; if set, the
 *      releaser takes lk_spin and wakes the waiters (the waiter side of 5.
 *      sums the slots after setting WAIT).
 * Writers pay for this: every exclusive grant reads KTHREAD_NSLOTS lines.
 *
 * Lock order: lockmgr locks are classes named by lk_wmesg; lk_spin is the
 * class "lockmgr interlock" and is innermost among flyvm locks.
 */
#include <string.h>

#include "kern/kern_priv.h"
#include "kern/lock.h"
#include "kern/lockorder.h"
#include "kern/synch.h"

static void lk_unlock_wake(struct lock *lkp, int wake);
static u_int lk_slot_shares(struct lock *lkp);

#define LK_MODIFIERS	(LK_NOWAIT | LK_SLEEPFAIL | LK_CANRECURSE |	\
			 LK_NOCOLLSTATS | LK_CANCELABLE | LK_TIMELOCK |	\
			 LK_PCATCH)

/* lockinit - an unlocked lock of class wmesg.  No requirements. */
void
lockinit(struct lock *lkp, const char *wmesg, int timo, int flags)
{
	spin_init(&lkp->lk_spin, "lockmgr interlock");
	lkp->lk_flags = flags & LK_MODIFIERS;
	atomic_store_int(&lkp->lk_count, 0);
	lkp->lk_exclusivecount = 0;
	lkp->lk_waiters = 0;
	lkp->lk_exclreq = 0;
	lkp->lk_upreq = 0;
	lkp->lk_timo = timo;
	atomic_store_ptr(&lkp->lk_lockholder, NULL);
	lkp->lk_wmesg = wmesg;
	lkp->lk_slots = NULL;
}

/* lockinit_slots - see lock.h.  No requirements. */
void
lockinit_slots(struct lock *lkp, const char *wmesg, int timo, int flags,
    struct lock_slot *slots)
{
	lockinit(lkp, wmesg, timo, flags);
	memset(slots, 0, KTHREAD_NSLOTS * sizeof(*slots));
	lkp->lk_slots = slots;
}

/* lockuninit - retire a lock.  It must be unlocked, with no waiters. */
void
lockuninit(struct lock *lkp)
{
	spin_lock(&lkp->lk_spin);
	KASSERT(atomic_load_int(&lkp->lk_count) == 0 &&
	    lk_slot_shares(lkp) == 0 &&
	    lkp->lk_waiters == 0, ("lockuninit of busy lock %s",
	    lkp->lk_wmesg));
	spin_unlock(&lkp->lk_spin);
	spin_uninit(&lkp->lk_spin);
	lkp->lk_slots = NULL;
}

/*
 * lk_slot_sum - the shares counted in the slots (slotted), each
 * read sequentially consistent: after a sequentially consistent write of
 * lk_count by the caller, it sees every share whose fast path did not see
 * that write (7., 8.).
 */
static u_int
lk_slot_sum(struct lock *lkp)
{
	u_int n = 0;
	int i;

	if (lkp->lk_slots == NULL)
		return (0);
	for (i = 0; i < KTHREAD_NSLOTS; i++)
		n += __atomic_load_n(&lkp->lk_slots[i].ls_count,
		    __ATOMIC_SEQ_CST);
	return (n);
}

/*
 * lk_slot_shares - lk_slot_sum after a full fence: the waiter's side of
 * 8. (its WAIT was set by an earlier, weaker RMW).  The fence is a
 * sequentially consistent no-op RMW of lk_count, which ThreadSanitizer
 * understands (it does not model atomic_thread_fence).
 */
static u_int
lk_slot_shares(struct lock *lkp)
{
	if (lkp->lk_slots == NULL)
		return (0);
	(void)__atomic_fetch_or(&lkp->lk_count, 0, __ATOMIC_SEQ_CST);
	return (lk_slot_sum(lkp));
}

/* lk_shares - the share count right now (lk_count's, or the slots'). */
static inline u_int
lk_shares(struct lock *lkp)
{
	return ((atomic_load_int(&lkp->lk_count) & LKC_SMASK) +
	    lk_slot_shares(lkp));
}

/*
 * lk_slot_wake - a share just left a slot while someone sleeps on the
 * lock: wake the sleepers, which may have counted it.  No lk_spin on
 * entry.  Never blocks.
 */
void
lk_slot_wake(struct lock *lkp)
{
	spin_lock(&lkp->lk_spin);
	lk_unlock_wake(lkp, TRUE);
}

/*
 * lk_sync_bits - make BLOCK and WAIT match lk_exclreq, lk_upreq and
 * lk_waiters (4.).  lk_spin held.
 */
static void
lk_sync_bits(struct lock *lkp)
{
	u_int c, n, want;

	want = (lkp->lk_exclreq > 0 || lkp->lk_upreq ? LKC_BLOCK : 0) |
	    (lkp->lk_waiters > 0 ? LKC_WAIT : 0);
	c = atomic_load_int(&lkp->lk_count);
	do {
		n = (c & ~(LKC_BLOCK | LKC_WAIT)) | want;
	} while (n != c && !atomic_fcmpset_int(&lkp->lk_count, &c, n));
}

/* lk_shared_blocked - may a new shared request not be granted?  lk_spin. */
static int
lk_shared_blocked(struct lock *lkp)
{
	return ((atomic_load_int(&lkp->lk_count) & LKC_EXCL) ||
	    lkp->lk_exclreq > 0 || lkp->lk_upreq);
}

/* lk_excl_blocked - may an exclusive request not be granted?  lk_spin. */
static int
lk_excl_blocked(struct lock *lkp)
{
	return ((atomic_load_int(&lkp->lk_count) & (LKC_EXCL | LKC_SMASK)) ||
	    lkp->lk_upreq || lk_slot_shares(lkp) != 0);
}

/* lk_upgrade_blocked - must a pending upgrade still wait?  lk_spin. */
static int
lk_upgrade_blocked(struct lock *lkp)
{
	return ((atomic_load_int(&lkp->lk_count) &
	    (LKC_EXCL | LKC_SMASK)) != 0 || lk_slot_shares(lkp) != 0);
}

/*
 * lk_excl_grant - set EXCL if nothing holds the lock: one compare-and-swap
 * against the shared fast path, and for a slotted lock a sum of
 * the slots after it, which takes EXCL back if a share got in (7.).
 * lk_spin held; `upgrade' when the caller is the pending upgrade itself.
 * TRUE if the caller now holds it.
 */
static int
lk_excl_grant(struct lock *lkp, struct thread *td, int upgrade)
{
	u_int c = atomic_load_int(&lkp->lk_count);

	do {
		if ((c & (LKC_EXCL | LKC_SMASK)) ||
		    (lkp->lk_upreq && !upgrade))
			return (FALSE);
	} while (!__atomic_compare_exchange_n(&lkp->lk_count, &c,
	    c | LKC_EXCL, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	if (lk_slot_sum(lkp) != 0) {
		atomic_clear_int(&lkp->lk_count, LKC_EXCL);
		return (FALSE);
	}
	atomic_store_ptr(&lkp->lk_lockholder, td);
	lkp->lk_exclusivecount = 1;
	return (TRUE);
}

/*
 * lk_sleep - wait once for the lock's state to change, unless `blocked'
 * no longer holds once WAIT is visible (5.).  lk_spin held on entry and
 * return (dropped while asleep); *deadline is the tick at which
 * LK_TIMELOCK gives up.  Returns 0, EWOULDBLOCK or (LK_SLEEPFAIL) ENOLCK.
 */
static int
lk_sleep(struct lock *lkp, u_int flags, int deadline,
    int (*blocked)(struct lock *))
{
	int error, timo = 0;

	if ((flags & LK_TIMELOCK) && lkp->lk_timo > 0) {
		timo = deadline - ticks;
		if (timo <= 0)
			return (EWOULDBLOCK);
	}
	lkp->lk_waiters++;
	lk_sync_bits(lkp);
	if (!blocked(lkp)) {
		lkp->lk_waiters--;
		lk_sync_bits(lkp);
		return (0);
	}
	tsleep_interlock(lkp, 0);
	spin_unlock(&lkp->lk_spin);
	error = tsleep(lkp, PINTERLOCKED, lkp->lk_wmesg, timo);
	spin_lock(&lkp->lk_spin);
	lkp->lk_waiters--;
	lk_sync_bits(lkp);
	if (error == 0 && (flags & LK_SLEEPFAIL))
		error = ENOLCK;
	return (error);
}

/* lk_unlock_wake - drop lk_spin and wake waiters if `wake'. */
static void
lk_unlock_wake(struct lock *lkp, int wake)
{
	wake = wake && lkp->lk_waiters > 0;
	spin_unlock(&lkp->lk_spin);
	if (wake)
		wakeup(lkp);
}

/*
 * lk_order_begin / lk_order_end - feed the lock-order checker: a request
 * that may wait is checked before it waits; a NOWAIT request only records
 * its hold once granted; a failed waiting request forgets its hold.
 */
static void
lk_order_begin(struct lock *lkp, u_int flags)
{
	if ((flags & LK_NOWAIT) == 0)
		lockorder_acquire(lkp, lkp->lk_wmesg);
}

/* lk_order_end - see lk_order_begin.  Returns error unchanged. */
static int
lk_order_end(struct lock *lkp, u_int flags, int error)
{
	if ((flags & LK_NOWAIT) == 0 && error != 0)
		lockorder_release(lkp);
	else if ((flags & LK_NOWAIT) != 0 && error == 0)
		lockorder_acquire_try(lkp, lkp->lk_wmesg);
	return (error);
}

/*
 * lk_recurse - the caller already holds lkp exclusively and asks again.
 * Adds a count with LK_CANRECURSE; EBUSY with LK_NOWAIT; else panics.
 */
static int
lk_recurse(struct lock *lkp, u_int flags, const char *file, int line)
{
	if ((flags & LK_CANRECURSE) == 0) {
		if (flags & LK_NOWAIT)
			return (EBUSY);
		_panic(file, line, "lockmgr: locking against myself (%s)",
		    lkp->lk_wmesg);
	}
	spin_lock(&lkp->lk_spin);
	lkp->lk_exclusivecount++;
	spin_unlock(&lkp->lk_spin);
	return (0);
}

/*
 * lk_shared_fast - take a share with one compare-and-swap if nothing
 * holds or wants the lock exclusively.  TRUE on success.  Never blocks.
 */
static inline int
lk_shared_fast(struct lock *lkp)
{
	u_int c = atomic_load_relaxed(&lkp->lk_count);

	do {
		if (c & (LKC_EXCL | LKC_BLOCK))
			return (FALSE);
	} while (!atomic_fcmpset_int(&lkp->lk_count, &c, c + 1));
	return (TRUE);
}

/* lk_share_add - count a share granted under lk_spin. */
static void
lk_share_add(struct lock *lkp, struct thread *td, u_int n)
{
	if (lkp->lk_slots != NULL)
		__atomic_add_fetch(&lk_slot(lkp, td)->ls_count, n,
		    __ATOMIC_SEQ_CST);
	else
		atomic_add_int(&lkp->lk_count, n);
}

/* lk_shared - LK_SHARED.  See lock.h.  May block unless LK_NOWAIT. */
static int
lk_shared(struct lock *lkp, struct thread *td, u_int flags, int deadline)
{
	int error = 0;

	lk_order_begin(lkp, flags);
	if (lkp->lk_slots != NULL ? lk_slot_fast(lkp, td) :
	    lk_shared_fast(lkp))
		return (lk_order_end(lkp, flags, 0));
	spin_lock(&lkp->lk_spin);
	while (error == 0 && lk_shared_blocked(lkp))
		error = (flags & LK_NOWAIT) ? EBUSY :
		    lk_sleep(lkp, flags, deadline, lk_shared_blocked);
	if (error == 0)
		lk_share_add(lkp, td, 1);
	spin_unlock(&lkp->lk_spin);
	return (lk_order_end(lkp, flags, error));
}

/*
 * lk_exclusive_locked - wait for and take the lock exclusively, lk_spin
 * held throughout (dropped while asleep).  The request is queued
 * (lk_exclreq, so BLOCK stops new shares) before it first waits.
 * Returns 0 or an errno.
 */
static int
lk_exclusive_locked(struct lock *lkp, struct thread *td, u_int flags,
    int deadline)
{
	int error = 0, queued = 0;

	while (!lk_excl_grant(lkp, td, FALSE)) {
		if (flags & LK_NOWAIT) {
			error = EBUSY;
			break;
		}
		if (!queued) {
			queued = 1;
			lkp->lk_exclreq++;
			lk_sync_bits(lkp);
			continue;
		}
		error = lk_sleep(lkp, flags, deadline, lk_excl_blocked);
		if (error != 0)
			break;
	}
	if (queued) {
		lkp->lk_exclreq--;
		lk_sync_bits(lkp);
	}
	return (error);
}

/* lk_exclusive - LK_EXCLUSIVE.  See lock.h.  May block unless LK_NOWAIT. */
static int
lk_exclusive(struct lock *lkp, struct thread *td, u_int flags, int deadline)
{
	int error;

	lk_order_begin(lkp, flags);
	spin_lock(&lkp->lk_spin);
	error = lk_exclusive_locked(lkp, td, flags, deadline);
	/* A withdrawn exclusive request may unblock shared waiters. */
	lk_unlock_wake(lkp, error != 0 && lkp->lk_exclreq == 0);
	return (lk_order_end(lkp, flags, error));
}

/*
 * lk_share_drop - give up td's share under lk_spin.  TRUE if it was the
 * last one (a waiter may now proceed).
 */
static int
lk_share_drop(struct lock *lkp, struct thread *td)
{
	u_int c;

	if (lkp->lk_slots != NULL) {
		lk_slot_dec(lkp, td);
		return (lk_shares(lkp) == 0);
	}
	c = atomic_fetchadd_int(&lkp->lk_count, (u_int)-1);
	KASSERT((c & LKC_SMASK) > 0 && (c & LKC_EXCL) == 0,
	    ("lockmgr: release of unlocked lock %s", lkp->lk_wmesg));
	return ((c & LKC_SMASK) == 1);
}

/*
 * lk_upgrade_conflict - another upgrade is pending: give up the share,
 * then fail (LK_EXCLUPGRADE) or queue as a plain exclusive request.
 * lk_spin held on entry, dropped on return.
 */
static int
lk_upgrade_conflict(struct lock *lkp, struct thread *td, u_int flags,
    int deadline, int exclupgrade)
{
	int last = lk_share_drop(lkp, td);

	lockorder_release(lkp);
	lk_unlock_wake(lkp, last);
	if (exclupgrade)
		return (EBUSY);
	return (lk_exclusive(lkp, td, flags, deadline));
}

/*
 * lk_upgrade - LK_UPGRADE / LK_EXCLUPGRADE: the caller's share becomes the
 * exclusive hold, or on any failure the caller holds nothing (6.).
 */
static int
lk_upgrade(struct lock *lkp, struct thread *td, u_int flags, int deadline,
    int exclupgrade)
{
	int error = 0;

	spin_lock(&lkp->lk_spin);
	if (lkp->lk_lockholder == td) {		/* already exclusive: no-op */
		spin_unlock(&lkp->lk_spin);
		return (0);
	}
	KASSERT(lk_shares(lkp) > 0 && lkp->lk_lockholder == NULL,
	    ("lockmgr: upgrade of %s not held shared", lkp->lk_wmesg));
	if (lkp->lk_upreq)
		return (lk_upgrade_conflict(lkp, td, flags, deadline,
		    exclupgrade));
	lkp->lk_upreq = 1;
	lk_sync_bits(lkp);
	(void)lk_share_drop(lkp, td);
	while (error == 0 && !lk_excl_grant(lkp, td, TRUE))
		error = (flags & LK_NOWAIT) ? EBUSY :
		    lk_sleep(lkp, flags, deadline, lk_upgrade_blocked);
	lkp->lk_upreq = 0;
	lk_sync_bits(lkp);
	if (error != 0)
		lockorder_release(lkp);
	lk_unlock_wake(lkp, error != 0);
	return (error);
}

/* lk_downgrade - LK_DOWNGRADE: every exclusive count becomes a share. */
static int
lk_downgrade(struct lock *lkp, struct thread *td)
{
	u_int c;

	spin_lock(&lkp->lk_spin);
	KASSERT(lkp->lk_lockholder == td, ("lockmgr: downgrade of %s not held "
	    "exclusively by %s", lkp->lk_wmesg, td->td_name));
	atomic_store_ptr(&lkp->lk_lockholder, NULL);
	if (lkp->lk_slots != NULL) {
		lk_share_add(lkp, td, (u_int)lkp->lk_exclusivecount);
		atomic_clear_int(&lkp->lk_count, LKC_EXCL);
	} else {
		c = atomic_load_int(&lkp->lk_count);
		while (!atomic_fcmpset_int(&lkp->lk_count, &c,
		    (c & ~LKC_EXCL) + (u_int)lkp->lk_exclusivecount))
			;
	}
	lkp->lk_exclusivecount = 0;
	lk_unlock_wake(lkp, TRUE);
	return (0);
}

/*
 * lk_release_fast - drop a share with one compare-and-swap when nobody
 * waits.  TRUE on success.  Never blocks.
 */
static inline int
lk_release_fast(struct lock *lkp)
{
	u_int c = atomic_load_relaxed(&lkp->lk_count);

	do {
		if ((c & (LKC_EXCL | LKC_WAIT)) || (c & LKC_SMASK) == 0)
			return (FALSE);
	} while (!atomic_fcmpset_int(&lkp->lk_count, &c, c - 1));
	return (TRUE);
}

/* lk_release - LK_RELEASE: drop one count held by the caller. */
static int
lk_release(struct lock *lkp, struct thread *td)
{
	int freed, gone;

	if (lkp->lk_slots != NULL &&
	    atomic_load_ptr(&lkp->lk_lockholder) != td) {
		lk_slot_drop(lkp, td);		/* a share: in td's slot */
		lockorder_release(lkp);
		return (0);
	}
	if (lkp->lk_slots == NULL && lk_release_fast(lkp)) {
		lockorder_release(lkp);
		return (0);
	}
	spin_lock(&lkp->lk_spin);
	if (lkp->lk_lockholder != NULL) {
		KASSERT(lkp->lk_lockholder == td, ("lockmgr: %s released by %s,"
		    " held by %s", lkp->lk_wmesg, td->td_name,
		    lkp->lk_lockholder->td_name));
		freed = (--lkp->lk_exclusivecount == 0);
		if (freed) {
			atomic_store_ptr(&lkp->lk_lockholder, NULL);
			atomic_clear_int(&lkp->lk_count, LKC_EXCL);
		}
		gone = freed;
	} else {
		freed = lk_share_drop(lkp, td);
		gone = TRUE;		/* each share is one hold */
	}
	lk_unlock_wake(lkp, freed);
	if (gone)
		lockorder_release(lkp);
	return (0);
}

/*
 * _lockmgr - perform the request in `flags' on lkp (see lock.h).  The
 * caller is a flyvm thread; unless LK_NOWAIT it holds no spinlock and may
 * block (releasing its tokens).  Returns 0, EBUSY, ENOLCK or EWOULDBLOCK.
 */
int
_lockmgr(struct lock *lkp, u_int flags, const char *file, int line)
{
	struct thread *td = curthread;
	int deadline = 0;

	KASSERT(td != NULL, ("lockmgr outside a flyvm thread"));
	flags |= (u_int)lkp->lk_flags;
	if ((flags & LK_TIMELOCK) && lkp->lk_timo > 0)
		deadline = ticks + lkp->lk_timo;
	switch (flags & LK_TYPE_MASK) {
	case LK_SHARED:
	case LK_EXCLUSIVE:
		if (atomic_load_ptr(&lkp->lk_lockholder) == td)
			return (lk_recurse(lkp, flags, file, line));
		if ((flags & LK_TYPE_MASK) == LK_SHARED)
			return (lk_shared(lkp, td, flags, deadline));
		return (lk_exclusive(lkp, td, flags, deadline));
	case LK_UPGRADE:
	case LK_EXCLUPGRADE:
		return (lk_upgrade(lkp, td, flags, deadline,
		    (flags & LK_TYPE_MASK) == LK_EXCLUPGRADE));
	case LK_DOWNGRADE:
		return (lk_downgrade(lkp, td));
	case LK_RELEASE:
		return (lk_release(lkp, td));
	}
	_panic(file, line, "lockmgr: unknown request %#x", flags);
}

/*
 * lockstatus - LK_EXCLUSIVE if td holds lkp exclusively, LK_EXCLOTHER if
 * another thread does, LK_SHARED if it is held shared, else 0.  A
 * snapshot; the caller is a flyvm thread.
 */
int
lockstatus(struct lock *lkp, struct thread *td)
{
	int status = 0;

	spin_lock(&lkp->lk_spin);
	if (lkp->lk_lockholder != NULL)
		status = lkp->lk_lockholder == td ? LK_EXCLUSIVE : LK_EXCLOTHER;
	else if (lk_shares(lkp) > 0)
		status = LK_SHARED;
	spin_unlock(&lkp->lk_spin);
	return (status);
}

/* lockowned - TRUE if the calling thread holds lkp exclusively. */
int
lockowned(struct lock *lkp)
{
	return (curthread != NULL &&
	    atomic_load_ptr(&lkp->lk_lockholder) == curthread);
}

/* lockcountnb - shares, or exclusive depth, right now (a snapshot). */
int
lockcountnb(struct lock *lkp)
{
	int n;

	spin_lock(&lkp->lk_spin);
	n = lkp->lk_lockholder != NULL ? lkp->lk_exclusivecount :
	    (int)lk_shares(lkp);
	spin_unlock(&lkp->lk_spin);
	return (n);
}
