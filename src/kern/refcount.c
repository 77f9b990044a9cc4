/*
 * refcount.c - the sleeping half of refcount.h.
 *
 * Design note.  A thread that must wait for a count to drain sets
 * REFCNTF_WAITING in the count word and sleeps on the word's address.  The
 * release that takes the count to zero sees the flag in the same atomic
 * operation and wakes the sleepers.  The waiter queues itself
 * (tsleep_interlock) before it sets the flag, so the wakeup cannot pass it
 * by; if the count changed under it, the flag was not set and it retries.
 */
#include "kern/refcount.h"
#include "kern/synch.h"

/*
 * refcount_release_wakeup - drop one reference; at zero, clear
 * REFCNTF_WAITING and wake refcount_wait() sleepers.  Never blocks.
 * Returns TRUE if this was the last reference.
 */
int
refcount_release_wakeup(volatile u_int *countp)
{
	u_int old = atomic_load_int(countp), new;

	do {
		KASSERT((old & ~REFCNTF_WAITING) > 0, ("refcount underflow"));
		if ((old & ~REFCNTF_WAITING) == 1)
			new = 0;
		else
			new = old - 1;
	} while (!atomic_fcmpset_int(countp, &old, new));
	if (new != 0)
		return (FALSE);
	if (old & REFCNTF_WAITING)
		wakeup(countp);
	return (TRUE);
}

/*
 * refcount_wait - sleep until *countp reaches zero.  The caller is a flyvm
 * thread holding no spinlock.  May block (releasing tokens).
 */
void
refcount_wait(volatile u_int *countp, const char *wstr)
{
	u_int old;

	for (;;) {
		old = atomic_load_int(countp);
		if ((old & ~REFCNTF_WAITING) == 0)
			return;
		tsleep_interlock(countp, 0);
		if (atomic_cmpset_int(countp, old, old | REFCNTF_WAITING))
			tsleep(countp, PINTERLOCKED, wstr, 0);
		else
			tsleep_remove();
	}
}
