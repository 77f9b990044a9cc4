/*
 * kern_priv.h - what the files of the kernel environment share among
 * themselves.  Only the environment's own .c files (src/kern) include it:
 * outside them no flyvm code sees <pthread.h>.
 *
 * Host-side waiting.  A flyvm thread waits in exactly three places, each
 * on its own host condition variable so a thread never waits on one
 * condition with two mutexes:
 *   th_cpu_cv    for a CPU slot (kern_thread.c, under the scheduler mutex);
 *   th_sleep_cv  on a sleep queue (kern_synch.c, under the bucket mutex);
 *   token waits  use the token wait bucket's shared condition variable.
 * These host mutexes are innermost: nothing is acquired while one is held.
 */
#ifndef _KERN_KERN_PRIV_H_
#define _KERN_KERN_PRIV_H_

#include <pthread.h>

#include "kern/systm.h"
#include "kern/thread.h"

/* Host-side scheduling state of a thread (td_sched points at it). */
struct td_host {
	pthread_cond_t	th_cpu_cv;	/* waits for a CPU (sched mutex) */
	pthread_cond_t	th_sleep_cv;	/* waits on a sleep queue (bucket) */
	struct globaldata *th_granted;	/* CPU handed over by cpu_release */
	struct thread	*th_cpu_next;	/* CPU wait queue linkage */
};

static inline struct td_host *
td_host(struct thread *td)
{
	return ((struct td_host *)td->td_sched);
}

/* kern_panic.c: the boot time `ticks' counts from. */
void	kern_clock_boot(void);
/* Initialise a condition variable that times out on CLOCK_MONOTONIC. */
void	kern_cond_init(pthread_cond_t *cv);
/* Absolute CLOCK_MONOTONIC deadline `timo' ticks from now. */
void	kern_deadline(struct timespec *ts, int timo);

/* kern_thread.c: CPU slots. */
void	cpu_acquire(struct thread *td);
void	cpu_release(struct thread *td);

/* lwkt_token.c: release and re-acquire everything a thread holds. */
void	lwkt_relalltokens(struct thread *td);
struct lwkt_tokref *lwkt_getalltokens(struct thread *td);
void	lwkt_token_wait(struct thread *td, struct lwkt_tokref *ref);
void	lwkt_token_boot(void);
extern int lwkt_token_backoff_max;

/* kern_synch.c */
void	sleepq_boot(void);

/* kern_sysctl.c: the kern.* and lwkt.* oids. */
void	kern_sysctl_boot(void);
void	kern_sysctl_shutdown(void);

#endif /* !_KERN_KERN_PRIV_H_ */
