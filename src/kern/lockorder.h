/*
 * lockorder.h - run-time lock-order checker (debug builds), in the role
 * WITNESS plays in FreeBSD.
 *
 * Locks are grouped in classes by their descriptive name (the spinlock's
 * descr, the lockmgr lock's wmesg).  The first time a thread takes a lock
 * of class B while holding one of class A, the order A -> B is recorded.
 * Taking A while holding B afterwards panics with both orders.  Tokens are
 * exempt: they cannot deadlock (token.h).
 *
 * The declared global order (checked the same way, and written down once
 * here):
 *
 *   vm_map lock -> vm_object backing_lk -> page spin -> page queue spin
 *   sleep queue locks are innermost (kern private).
 */
#ifndef _KERN_LOCKORDER_H_
#define _KERN_LOCKORDER_H_

#include "kern/systm.h"

/*
 * lockorder_acquire - the calling thread is about to wait for `lock' of
 * class cls: check the order against every lock it holds, record new
 * orders, and note the hold.  Panics on a reversal.
 * lockorder_acquire_try - note a hold taken without waiting (a trylock
 * cannot deadlock, so no order is checked or recorded).
 * lockorder_release - forget one hold of `lock' by the calling thread.
 * All three do nothing for a host thread that is not a flyvm thread.
 */
#ifdef INVARIANTS
void	lockorder_acquire(const void *lock, const char *cls);
void	lockorder_acquire_try(const void *lock, const char *cls);
void	lockorder_release(const void *lock);
#else
#define lockorder_acquire(lock, cls)	((void)0)
#define lockorder_acquire_try(lock, cls) ((void)0)
#define lockorder_release(lock)		((void)0)
#endif
/*
 * lockorder_declare - record "first before second" up front (optional;
 * observed orders are added too).  Panics if it contradicts a recorded
 * order.  lockorder_reset - forget every recorded order (tests).  Both
 * work in every build; without INVARIANTS nothing consults the orders.
 */
void	lockorder_declare(const char *first, const char *second);
void	lockorder_reset(void);

#endif /* !_KERN_LOCKORDER_H_ */
