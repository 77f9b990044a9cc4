/*
 * spinlock.h - exclusive spinlocks.
 *
 * A spinlock is held for a few instructions and its holder never blocks:
 * no tsleep, no lockmgr wait, no token that might be contended, no
 * allocation that might sleep.  The lock word records the owning thread, so
 * spin_held() is exact; debug builds also feed the lock-order checker.  A waiter spins
 * with cpu_pause() and backs off to sched_yield() so that a preempted host
 * thread holding the lock can run.
 *
 * Lock order between spinlock classes is declared by their names (see
 * lockorder.h); e.g. a page's spin before a page-queue spin.
 */
#ifndef _KERN_SPINLOCK_H_
#define _KERN_SPINLOCK_H_

#include "kern/systm.h"

struct thread;

/*
 * The lock word holds the owning thread's td_tid (never 0) while held, so
 * "held by me" is exact in every build at no extra space: a struct vm_page
 * embeds one and must stay 128 bytes.
 */
struct spinlock {
	int		lock;		/* (a) 0 free, else owner's td_tid */
	const char	*descr;		/* lock class name, for lock order */
};

#define SPINLOCK_INITIALIZER(name)	{ .lock = 0, .descr = (name) }

/*
 * spin_init - initialize an unlocked spinlock of class `descr'.
 * No requirements.
 */
void	spin_init(struct spinlock *spin, const char *descr);
void	spin_uninit(struct spinlock *spin);

/*
 * spin_lock - take the lock, spinning until it is free.  The caller must be
 * a flyvm thread (kthread_enter) and must not already hold `spin'.
 * Returns with the lock held; may not block.
 */
#define spin_lock(s)		_spin_lock((s), __FILE__, __LINE__)
/*
 * spin_trylock - take the lock if it is free.  Returns TRUE if taken.
 */
#define spin_trylock(s)		_spin_trylock((s), __FILE__, __LINE__)
void	_spin_lock(struct spinlock *spin, const char *file, int line);
int	_spin_trylock(struct spinlock *spin, const char *file, int line);
/*
 * spin_unlock - release a lock held by the caller.
 */
void	spin_unlock(struct spinlock *spin);

/* spin_held - TRUE if the calling thread holds it (exact in debug builds). */
int	spin_held(struct spinlock *spin);

#define SPIN_ASSERT_HELD(s)	KASSERT(spin_held(s), ("spinlock not held"))
#define SPIN_ASSERT_NOTHELD(s)	KASSERT(!spin_held(s), ("spinlock held"))

#endif /* !_KERN_SPINLOCK_H_ */
