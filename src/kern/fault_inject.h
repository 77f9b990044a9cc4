/*
 * fault_inject.h - countdown fault injectors (SQLite test_vfs style).
 *
 * Every allocator and backing store owns one.  Armed with N, the Nth call
 * that checks it fails (once, or that call and every later one when
 * persistent).  Tests sweep N from 1 upward.  Disarmed (N == 0) a check
 * costs one relaxed atomic load.
 */
#ifndef _KERN_FAULT_INJECT_H_
#define _KERN_FAULT_INJECT_H_

#include "kern/systm.h"

struct fault_inject {
	long	fi_countdown;	/* (a) 0 = disarmed */
	int	fi_persistent;	/* (a) keep failing once fired */
	int	fi_fired;	/* (a) has fired (persistent mode) */
	long	fi_hits;	/* (a) failures injected so far */
};

/* Arm: the nth check from now fails; nth 0 disarms. */
void	fault_inject_arm(struct fault_inject *fi, long nth, int persistent);
int	fault_inject_check_slow(struct fault_inject *fi);
/* TRUE if this call must fail. */
static inline int
fault_inject_check(struct fault_inject *fi)
{
	if (__predict_true(__atomic_load_n(&fi->fi_countdown,
	    __ATOMIC_RELAXED) == 0 &&
	    !__atomic_load_n(&fi->fi_fired, __ATOMIC_RELAXED)))
		return (0);
	return (fault_inject_check_slow(fi));
}
long	fault_inject_hits(struct fault_inject *fi);

#endif /* !_KERN_FAULT_INJECT_H_ */
