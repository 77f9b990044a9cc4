/*
 * kern_spinlock.c - exclusive spinlocks whose lock word is the owner.
 *
 * Design note.
 *   1. lock == 0 when free, else the owner's td_tid (never 0).  Taking the
 *      lock is one compare-and-set 0 -> tid with acquire order; releasing
 *      is a store of 0 with release order.  So spin_held() is exact.
 *   2. A waiter reads the word until it looks free (cpu_pause between
 *      reads) and only then retries the compare-and-set, so waiters do not
 *      bounce the cache line.  After SPIN_PAUSES reads it calls
 *      sched_yield() on every round: the host may have preempted the owner,
 *      and on a small machine the owner needs the core to finish.
 *   3. td_spinlocks counts the locks held; every blocking point asserts it
 *      is zero.  Debug builds report each acquisition to the lock-order
 *      checker under the lock's descr (trylocks only record the hold).
 */
#include <sched.h>

#include "kern/kern_priv.h"
#include "kern/lockorder.h"
#include "kern/spinlock.h"

#define SPIN_PAUSES	128

/* spin_init - an unlocked spinlock of class descr.  No requirements. */
void
spin_init(struct spinlock *spin, const char *descr)
{
	atomic_store_relaxed(&spin->lock, 0);
	spin->descr = descr;
}

/* spin_uninit - retire a spinlock.  It must not be held. */
void
spin_uninit(struct spinlock *spin)
{
	KASSERT(atomic_load_int(&spin->lock) == 0,
	    ("spin_uninit of held spinlock %s", spin->descr));
}

/* spin_try_word - one compare-and-set attempt.  TRUE if it took the lock. */
static inline int
spin_try_word(struct spinlock *spin, int tid)
{
	int expect = 0;

	return (__atomic_compare_exchange_n(&spin->lock, &expect, tid, 0,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
}

/* spin_wait_free - spin, then yield, until the word reads 0. */
static void
spin_wait_free(struct spinlock *spin)
{
	int n = 0;

	while (atomic_load_relaxed(&spin->lock) != 0) {
		if (++n < SPIN_PAUSES)
			cpu_pause();
		else
			sched_yield();
	}
}

/* spin_owner_check - panic if the caller cannot take spin.  Debug only. */
static inline struct thread *
spin_owner_check(struct spinlock *spin, const char *file, int line)
{
	struct thread *td = curthread;

	KASSERT(td != NULL, ("spinlock %s taken outside a flyvm thread at "
	    "%s:%d", spin->descr, file, line));
	KASSERT(atomic_load_relaxed(&spin->lock) != td->td_tid,
	    ("recursive spinlock %s at %s:%d", spin->descr, file, line));
	return (td);
}

/*
 * _spin_lock - take spin, spinning while another thread holds it.
 * The caller must be a flyvm thread and not hold spin.  Returns with spin
 * held; never blocks.
 */
void
_spin_lock(struct spinlock *spin, const char *file, int line)
{
	struct thread *td = spin_owner_check(spin, file, line);

	lockorder_acquire(spin, spin->descr);
	while (!spin_try_word(spin, td->td_tid))
		spin_wait_free(spin);
	td->td_spinlocks++;
}

/*
 * _spin_trylock - take spin if it is free.  Returns TRUE with spin held,
 * FALSE otherwise.  Never blocks or spins.
 */
int
_spin_trylock(struct spinlock *spin, const char *file, int line)
{
	struct thread *td = spin_owner_check(spin, file, line);

	if (!spin_try_word(spin, td->td_tid))
		return (FALSE);
	lockorder_acquire_try(spin, spin->descr);
	td->td_spinlocks++;
	return (TRUE);
}

/* spin_unlock - release spin, which the caller holds. */
void
spin_unlock(struct spinlock *spin)
{
	struct thread *td = curthread;

	KASSERT(td != NULL && atomic_load_relaxed(&spin->lock) == td->td_tid,
	    ("spin_unlock of %s not held by caller", spin->descr));
	td->td_spinlocks--;
	lockorder_release(spin);
	atomic_store_int(&spin->lock, 0);
}

/* spin_held - TRUE if the calling thread holds spin.  No requirements. */
int
spin_held(struct spinlock *spin)
{
	struct thread *td = curthread;

	return (td != NULL && atomic_load_relaxed(&spin->lock) == td->td_tid);
}
