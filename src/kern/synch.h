/*
 * synch.h - sleep and wakeup on any address (DragonFly's kern_synch.c).
 *
 * tsleep(ident, flags, wmesg, timo) blocks the calling thread until
 * wakeup(ident) or wakeup_one(ident), or until timo ticks pass (timo 0:
 * no timeout).  It releases every token and the thread's CPU while asleep
 * and re-acquires them before returning.  Returns 0 when woken, EWOULDBLOCK
 * on timeout.  The caller must hold no spinlock, unless it uses the
 * interlock pattern below.
 *
 * No lost wakeups (the interlock pattern):
 *
 *	tsleep_interlock(ident, 0);	// now on ident's sleep queue
 *	if (condition still false) {	// test, then drop the spinlock
 *		spin_unlock(&spin);
 *		tsleep(ident, PINTERLOCKED, "wait", 0);
 *	}
 *
 * A wakeup that arrives between tsleep_interlock() and tsleep() makes the
 * tsleep return at once.  If the caller decides not to sleep after
 * tsleep_interlock(), it must call tsleep_remove().
 */
#ifndef _KERN_SYNCH_H_
#define _KERN_SYNCH_H_

#include "kern/systm.h"

#define PCATCH		0x00000100
#define PINTERLOCKED	0x00000400
#define PWAKEUP_CPUMASK	0x00003FFF
#define PWAKEUP_MYCPU	0x00004000
#define PWAKEUP_ONE	0x00008000

int	tsleep(const volatile void *ident, int flags, const char *wmesg,
	    int timo);
void	tsleep_interlock(const volatile void *ident, int flags);
void	tsleep_remove(void);
/*
 * ssleep - sleep releasing spin atomically, re-acquiring it afterwards.
 * The spinlock is held on entry and on return.
 */
struct spinlock;
int	ssleep(const volatile void *ident, struct spinlock *spin, int flags,
	    const char *wmesg, int timo);
void	wakeup(const volatile void *ident);
void	wakeup_one(const volatile void *ident);

/* Number of threads asleep on ident (for tests and audits). */
int	tsleep_count(const volatile void *ident);

#endif /* !_KERN_SYNCH_H_ */
