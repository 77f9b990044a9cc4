/*
 * refcount.h - reference counts (DragonFly's sys/refcount.h).
 * All operations are atomic; no locks are needed.
 */
#ifndef _KERN_REFCOUNT_H_
#define _KERN_REFCOUNT_H_

#include "kern/systm.h"
#include "kern/synch.h"

#define REFCNTF_WAITING	0x40000000u	/* someone waits for zero */

static inline void
refcount_init(volatile u_int *countp, u_int value)
{
	__atomic_store_n(countp, value, __ATOMIC_RELEASE);
}

static inline void
refcount_acquire(volatile u_int *countp)
{
	__atomic_add_fetch(countp, 1, __ATOMIC_ACQ_REL);
}

/* refcount_release - drop one reference; TRUE if it was the last. */
static inline int
refcount_release(volatile u_int *countp)
{
	u_int old = __atomic_fetch_sub(countp, 1, __ATOMIC_ACQ_REL);

	KASSERT((old & ~REFCNTF_WAITING) > 0, ("refcount underflow"));
	return ((old & ~REFCNTF_WAITING) == 1);
}

/*
 * refcount_release_wakeup - drop one reference and wake waiters of
 * refcount_wait() if it reached zero.  TRUE if it was the last.
 */
int	refcount_release_wakeup(volatile u_int *countp);
/*
 * refcount_wait - sleep until *countp reaches zero.  May block.
 */
void	refcount_wait(volatile u_int *countp, const char *wstr);

#endif /* !_KERN_REFCOUNT_H_ */
