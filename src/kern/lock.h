/*
 * lock.h - lockmgr sleep locks (DragonFly's kern_lock.c semantics).
 *
 * A lockmgr lock may be held shared or exclusive; a waiter sleeps (and so
 * releases its tokens and its CPU, see token.h).  Requests:
 *
 *   LK_SHARED      shared; waits while an exclusive holder or an exclusive
 *                  or upgrade request is pending (writer preference).  If
 *                  the caller holds it exclusively: with LK_CANRECURSE
 *                  another exclusive count is added, otherwise panic
 *                  ("locking against myself"), or EBUSY with LK_NOWAIT.
 *   LK_EXCLUSIVE   exclusive; recursion needs LK_CANRECURSE.
 *   LK_UPGRADE     shared -> exclusive.  Granted at once if the caller is
 *                  the only shared holder, otherwise waits for the others.
 *                  If another upgrade is already pending, the shared lock
 *                  is released and a plain exclusive request is made: the
 *                  caller loses its shared lock on that path.
 *   LK_EXCLUPGRADE like LK_UPGRADE, but when another upgrade is pending it
 *                  releases the shared lock and fails with EBUSY: the
 *                  caller then holds no lock.
 *                  Any failed upgrade (EBUSY, ENOLCK, EWOULDBLOCK) leaves
 *                  the caller holding no lock.  Upgrading a lock the
 *                  caller holds exclusively succeeds and changes nothing.
 *   LK_DOWNGRADE   exclusive -> shared (all recursion counts).
 *   LK_RELEASE     release one count.
 *
 * Modifiers: LK_NOWAIT (EBUSY instead of sleeping), LK_SLEEPFAIL (sleep
 * once, then fail with ENOLCK), LK_TIMELOCK (sleep at most lk_timo ticks,
 * then fail with EWOULDBLOCK), LK_CANRECURSE, LK_PCATCH (accepted; there
 * are no signals in flyvm so it never interrupts).
 *
 * lockmgr() returns 0 on success or one of the errno values above.
 *
 * lockinit_slots (a flyvm extension): shares are counted in
 * per-thread-slot counters (td_slot), each in its own cache line, instead
 * of in the lock word, so shared holders on different CPUs write no common
 * line; exclusive requests and upgrades scan the slots instead.  Every
 * request type and modifier above behaves the same.  For the locks every
 * fault takes shared (the vm_map lock, pm_lock); DragonFly has no such
 * mode (docs/kern.md, "Locks").
 */
#ifndef _KERN_LOCK_H_
#define _KERN_LOCK_H_

#include "kern/systm.h"
#include "kern/lockorder.h"
#include "kern/spinlock.h"
#include "kern/thread.h"

#define LK_TYPE_MASK	0x0000000f
#define LK_SHARED	1
#define LK_EXCLUSIVE	2
#define LK_UPGRADE	3
#define LK_EXCLUPGRADE	4
#define LK_DOWNGRADE	5
#define LK_RELEASE	6
#define LK_WAITUPGRADE	7
#define LK_EXCLOTHER	8

#define LK_NOWAIT	0x00000010
#define LK_SLEEPFAIL	0x00000020
#define LK_CANRECURSE	0x00000040
#define LK_NOCOLLSTATS	0x00000080
#define LK_CANCELABLE	0x01000000
#define LK_TIMELOCK	0x02000000
#define LK_PCATCH	0x04000000

/* lk_count: the share count and three state bits (kern_lock.c). */
#define LKC_SMASK	0x0fffffffU	/* shared holders */
#define LKC_EXCL	0x10000000U	/* held exclusively */
#define LKC_BLOCK	0x20000000U	/* exclusive/upgrade request pending */
#define LKC_WAIT	0x40000000U	/* someone sleeps on the lock */

/* One slot's share count of a lockinit_slots lock: a cache line each. */
struct lock_slot {
	u_int		ls_count;	/* (a) shares taken by the slot's
					 *     threads */
} __cachealign;

/*
 * Lock legend: (a) atomic, changed under lk_spin except by the shared
 * fast paths; (s) lk_spin; (c) constant after lockinit.
 */
struct lock {
	u_int		lk_count;	/* (a) shares | LKC_* */
	struct spinlock	lk_spin;	/* guards the (s) fields */
	int		lk_flags;	/* (c) LK_CANRECURSE etc. default */
	int		lk_exclusivecount; /* (s) recursion depth */
	int		lk_waiters;	/* (s) sleepers */
	int		lk_exclreq;	/* (s) exclusive requests pending */
	int		lk_upreq;	/* (s) an upgrade is pending */
	int		lk_timo;	/* (c) LK_TIMELOCK timeout, ticks */
	struct thread	*lk_lockholder;	/* (s) exclusive holder */
	const char	*lk_wmesg;	/* (c) class name */
	struct lock_slot *lk_slots;	/* (c) lockinit_slots: KTHREAD_NSLOTS
					 *     share counts, else NULL */
};

/*
 * lockinit - initialize an unlocked lock; flags are LK_* modifiers applied
 * to every request.  No requirements.
 * lockinit_slots - the same for a lock whose shares are counted in
 * `slots', KTHREAD_NSLOTS of them, which the caller provides (usually
 * beside the lock, so they come with its structure's memory) and keeps
 * until lockuninit.
 */
void	lockinit(struct lock *lkp, const char *wmesg, int timo, int flags);
void	lockinit_slots(struct lock *lkp, const char *wmesg, int timo,
	    int flags, struct lock_slot *slots);
void	lockuninit(struct lock *lkp);

/*
 * lockmgr - perform `flags' (a request type and modifiers) on lkp.
 * May block unless LK_NOWAIT.  The caller must hold no spinlock.
 * Returns 0 or EBUSY, ENOLCK, EWOULDBLOCK as described above.
 */
#define lockmgr(lkp, flags)	lockmgr_inline((lkp), (flags), __FILE__, __LINE__)
int	_lockmgr(struct lock *lkp, unsigned int flags, const char *file,
	    int line);
void	lk_slot_wake(struct lock *lkp);

/*
 * The slot protocol of a lockinit_slots lock (kern_lock.c, 7. and 8.),
 * here so that lockmgr_inline and kern_lock.c share one copy.
 * lk_slot - the calling thread's slot.
 * lk_slot_dec - take one share out of td's slot (it must hold one).
 * lk_slot_drop - the same, then wake waiters that may have counted it.
 *   No lk_spin on entry; takes it only to wake.  Never blocks.
 * lk_slot_fast - the shared fast path: count the share in td's slot, then
 *   keep it only if nothing holds or wants the lock exclusively; else
 *   take it back out.  TRUE on success.  Never blocks.
 */
static inline struct lock_slot *
lk_slot(struct lock *lkp, struct thread *td)
{
	return (&lkp->lk_slots[td->td_slot]);
}

static inline void
lk_slot_dec(struct lock *lkp, struct thread *td)
{
	u_int old;

	old = __atomic_fetch_sub(&lk_slot(lkp, td)->ls_count, 1,
	    __ATOMIC_SEQ_CST);
	KASSERT(old > 0, ("lockmgr: release of unlocked lock %s",
	    lkp->lk_wmesg));
	(void)old;
}

static inline void
lk_slot_drop(struct lock *lkp, struct thread *td)
{
	lk_slot_dec(lkp, td);
	if (__atomic_load_n(&lkp->lk_count, __ATOMIC_SEQ_CST) & LKC_WAIT)
		lk_slot_wake(lkp);
}

static inline int
lk_slot_fast(struct lock *lkp, struct thread *td)
{
	__atomic_add_fetch(&lk_slot(lkp, td)->ls_count, 1, __ATOMIC_SEQ_CST);
	if ((__atomic_load_n(&lkp->lk_count, __ATOMIC_SEQ_CST) &
	    (LKC_EXCL | LKC_BLOCK)) == 0)
		return (TRUE);
	lk_slot_drop(lkp, td);
	return (FALSE);
}

/*
 * lockmgr_inline - the requests every fault makes two or three times, a
 * share of a slotted lock taken (LK_SHARED, with or without LK_NOWAIT)
 * or given back with no exclusive holder, request or sleeper in the way,
 * done in line (lk_slot_fast and lk_slot_drop above); everything
 * else is _lockmgr's.  A share taken here never waited, so its order is
 * checked once it is held (a NOWAIT one is only noted, as in _lockmgr).
 */
static inline int
lockmgr_inline(struct lock *lkp, unsigned int flags, const char *file,
    int line)
{
	struct thread *td = curthread;

	if (lkp->lk_slots == NULL || td == NULL || lkp->lk_flags != 0 ||
	    (flags != LK_SHARED && flags != (LK_SHARED | LK_NOWAIT) &&
	    flags != LK_RELEASE))
		return (_lockmgr(lkp, flags, file, line));
	if (flags != LK_RELEASE) {
		if (!lk_slot_fast(lkp, td))
			return (_lockmgr(lkp, flags, file, line));
		if (flags & LK_NOWAIT)
			lockorder_acquire_try(lkp, lkp->lk_wmesg);
		else
			lockorder_acquire(lkp, lkp->lk_wmesg);
		return (0);
	}
	if (__atomic_load_n(&lkp->lk_lockholder, __ATOMIC_RELAXED) == td)
		return (_lockmgr(lkp, flags, file, line));
	lk_slot_drop(lkp, td);
	lockorder_release(lkp);
	return (0);
}

/*
 * lockstatus - LK_EXCLUSIVE if td holds it exclusively, LK_EXCLOTHER if
 * another thread does, LK_SHARED if it is held shared, else 0.
 */
int	lockstatus(struct lock *lkp, struct thread *td);
/* lockowned - TRUE if the caller holds it exclusively. */
int	lockowned(struct lock *lkp);
/* lockcountnb - number of holds (shared count or exclusive depth). */
int	lockcountnb(struct lock *lkp);

#endif /* !_KERN_LOCK_H_ */
