/*
 * kern_lock.c - lockmgr sleep locks (see lock.h for the request types).
 *
 * Design note.  The lock's state lives in a few counters guarded by the
 * lock's own spinlock, lk_spin; waiting is tsleep() on the lock's address,
 * so a waiter gives up its tokens and CPU like any other sleeper.
 *
 * Invariants (under lk_spin):
 *   1. lk_lockholder != NULL  <=>  lk_exclusivecount > 0, and then
 *      lk_sharecount == 0.
 *   2. lk_upreq is 1 while one thread waits to upgrade; it has already
 *      given up its share, and no other request is granted before it.
 *   3. lk_exclreq counts exclusive requests asleep; while it is non-zero
 *      new shared requests wait (writer preference).
 *   4. lk_waiters counts threads between tsleep_interlock() and waking.
 *      Whoever changes the state so that a waiter might proceed (full
 *      release, last share gone, a request withdrawn) reads lk_waiters
 *      under lk_spin and calls wakeup(lkp) after dropping it.  A waiter
 *      queues itself before dropping lk_spin, so no wakeup is lost.
 *   5. Every failed request leaves the caller holding nothing more than
 *      before, except a failed upgrade: the caller's share is gone (the
 *      DragonFly contract that vm_map_lock_upgrade relies on).
 *
 * Lock order: lockmgr locks are classes named by lk_wmesg; lk_spin is the
 * class "lockmgr interlock" and is innermost among flyvm locks.
 */
#include "kern/kern_priv.h"
#include "kern/lock.h"
#include "kern/lockorder.h"
#include "kern/synch.h"

#define LK_MODIFIERS	(LK_NOWAIT | LK_SLEEPFAIL | LK_CANRECURSE |	\
			 LK_NOCOLLSTATS | LK_CANCELABLE | LK_TIMELOCK |	\
			 LK_PCATCH)

/* lockinit - an unlocked lock of class wmesg.  No requirements. */
void
lockinit(struct lock *lkp, const char *wmesg, int timo, int flags)
{
	spin_init(&lkp->lk_spin, "lockmgr interlock");
	lkp->lk_flags = flags & LK_MODIFIERS;
	lkp->lk_sharecount = 0;
	lkp->lk_exclusivecount = 0;
	lkp->lk_waiters = 0;
	lkp->lk_exclreq = 0;
	lkp->lk_upreq = 0;
	lkp->lk_timo = timo;
	atomic_store_ptr(&lkp->lk_lockholder, NULL);
	lkp->lk_wmesg = wmesg;
}

/* lockuninit - retire a lock.  It must be unlocked, with no waiters. */
void
lockuninit(struct lock *lkp)
{
	spin_lock(&lkp->lk_spin);
	KASSERT(lkp->lk_sharecount == 0 && lkp->lk_exclusivecount == 0 &&
	    lkp->lk_waiters == 0, ("lockuninit of busy lock %s",
	    lkp->lk_wmesg));
	spin_unlock(&lkp->lk_spin);
	spin_uninit(&lkp->lk_spin);
}

/*
 * lk_sleep - wait once for the lock's state to change.  lk_spin held on
 * entry and return (dropped while asleep); *deadline is the tick at which
 * LK_TIMELOCK gives up.  Returns 0, EWOULDBLOCK or (LK_SLEEPFAIL) ENOLCK.
 */
static int
lk_sleep(struct lock *lkp, u_int flags, int deadline)
{
	int error, timo = 0;

	if ((flags & LK_TIMELOCK) && lkp->lk_timo > 0) {
		timo = deadline - ticks;
		if (timo <= 0)
			return (EWOULDBLOCK);
	}
	lkp->lk_waiters++;
	tsleep_interlock(lkp, 0);
	spin_unlock(&lkp->lk_spin);
	error = tsleep(lkp, PINTERLOCKED, lkp->lk_wmesg, timo);
	spin_lock(&lkp->lk_spin);
	lkp->lk_waiters--;
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

/* lk_shared_blocked - may a new shared request not be granted?  lk_spin. */
static inline int
lk_shared_blocked(struct lock *lkp)
{
	return (lkp->lk_lockholder != NULL || lkp->lk_exclreq > 0 ||
	    lkp->lk_upreq);
}

/* lk_excl_blocked - may an exclusive request not be granted?  lk_spin. */
static inline int
lk_excl_blocked(struct lock *lkp)
{
	return (lkp->lk_lockholder != NULL || lkp->lk_sharecount > 0 ||
	    lkp->lk_upreq);
}

/* lk_shared - LK_SHARED.  See lock.h.  May block unless LK_NOWAIT. */
static int
lk_shared(struct lock *lkp, struct thread *td, u_int flags, int deadline)
{
	int error = 0;

	lk_order_begin(lkp, flags);
	spin_lock(&lkp->lk_spin);
	while (error == 0 && lk_shared_blocked(lkp))
		error = (flags & LK_NOWAIT) ? EBUSY :
		    lk_sleep(lkp, flags, deadline);
	if (error == 0)
		lkp->lk_sharecount++;
	spin_unlock(&lkp->lk_spin);
	return (lk_order_end(lkp, flags, error));
}

/*
 * lk_exclusive_locked - wait for and take the lock exclusively, lk_spin
 * held throughout (dropped while asleep).  Returns 0 or an errno.
 */
static int
lk_exclusive_locked(struct lock *lkp, struct thread *td, u_int flags,
    int deadline)
{
	int error = 0;

	while (error == 0 && lk_excl_blocked(lkp)) {
		if (flags & LK_NOWAIT) {
			error = EBUSY;
			break;
		}
		lkp->lk_exclreq++;
		error = lk_sleep(lkp, flags, deadline);
		lkp->lk_exclreq--;
	}
	if (error == 0) {
		atomic_store_ptr(&lkp->lk_lockholder, td);
		lkp->lk_exclusivecount = 1;
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
 * lk_upgrade_conflict - another upgrade is pending: give up the share,
 * then fail (LK_EXCLUPGRADE) or queue as a plain exclusive request.
 * lk_spin held on entry, dropped on return.
 */
static int
lk_upgrade_conflict(struct lock *lkp, struct thread *td, u_int flags,
    int deadline, int exclupgrade)
{
	lkp->lk_sharecount--;
	lockorder_release(lkp);
	if (exclupgrade) {
		lk_unlock_wake(lkp, lkp->lk_sharecount == 0);
		return (EBUSY);
	}
	lk_unlock_wake(lkp, lkp->lk_sharecount == 0);
	return (lk_exclusive(lkp, td, flags, deadline));
}

/*
 * lk_upgrade - LK_UPGRADE / LK_EXCLUPGRADE: the caller's share becomes the
 * exclusive hold, or on any failure the caller holds nothing (5.).
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
	KASSERT(lkp->lk_sharecount > 0 && lkp->lk_lockholder == NULL,
	    ("lockmgr: upgrade of %s not held shared", lkp->lk_wmesg));
	if (lkp->lk_upreq)
		return (lk_upgrade_conflict(lkp, td, flags, deadline,
		    exclupgrade));
	lkp->lk_sharecount--;
	lkp->lk_upreq = 1;
	while (error == 0 && (lkp->lk_sharecount > 0 ||
	    lkp->lk_lockholder != NULL))
		error = (flags & LK_NOWAIT) ? EBUSY :
		    lk_sleep(lkp, flags, deadline);
	lkp->lk_upreq = 0;
	if (error == 0) {
		atomic_store_ptr(&lkp->lk_lockholder, td);
		lkp->lk_exclusivecount = 1;
	} else {
		lockorder_release(lkp);
	}
	lk_unlock_wake(lkp, error != 0);
	return (error);
}

/* lk_downgrade - LK_DOWNGRADE: every exclusive count becomes a share. */
static int
lk_downgrade(struct lock *lkp, struct thread *td)
{
	spin_lock(&lkp->lk_spin);
	KASSERT(lkp->lk_lockholder == td, ("lockmgr: downgrade of %s not held "
	    "exclusively by %s", lkp->lk_wmesg, td->td_name));
	lkp->lk_sharecount = lkp->lk_exclusivecount;
	lkp->lk_exclusivecount = 0;
	atomic_store_ptr(&lkp->lk_lockholder, NULL);
	lk_unlock_wake(lkp, TRUE);
	return (0);
}

/* lk_release - LK_RELEASE: drop one count held by the caller. */
static int
lk_release(struct lock *lkp, struct thread *td)
{
	int freed, gone;

	spin_lock(&lkp->lk_spin);
	if (lkp->lk_lockholder != NULL) {
		KASSERT(lkp->lk_lockholder == td, ("lockmgr: %s released by %s,"
		    " held by %s", lkp->lk_wmesg, td->td_name,
		    lkp->lk_lockholder->td_name));
		freed = (--lkp->lk_exclusivecount == 0);
		if (freed)
			atomic_store_ptr(&lkp->lk_lockholder, NULL);
		gone = freed;
	} else {
		KASSERT(lkp->lk_sharecount > 0, ("lockmgr: release of unlocked"
		    " lock %s", lkp->lk_wmesg));
		freed = (--lkp->lk_sharecount == 0);
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
	else if (lkp->lk_sharecount > 0)
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
	    lkp->lk_sharecount;
	spin_unlock(&lkp->lk_spin);
	return (n);
}
