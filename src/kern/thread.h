/*
 * thread.h - simulated CPUs (globaldata) and kernel threads.
 *
 * A simulated CPU is a slot in globaldata_array[0 .. ncpus-1].  A host
 * thread becomes a flyvm thread with kthread_enter(); from then on it runs
 * on exactly one simulated CPU at a time, and `mycpu' is that CPU's
 * per-CPU data.  No two running threads share a CPU, so per-CPU data can be
 * touched without locks by the thread that is on that CPU (as in a kernel
 * critical section).
 *
 * A thread gives up its CPU whenever it blocks (tsleep, a lockmgr wait, a
 * contended token) and takes whichever CPU is free when it resumes,
 * preferring the one it had.  So `mycpu' may change across any call that
 * can block; code that caches per-CPU pointers must re-read them after a
 * blocking call.  Spinlock holders never block and keep their CPU.
 *
 * When more threads want to run than there are CPUs, the extra ones wait
 * in kthread_enter() or on wakeup, as runnable threads wait for a CPU.
 *
 * Lock legend for struct globaldata:
 *   (c) constant after boot
 *   (m) only the thread running on this CPU touches it
 *   (a) atomic (other CPUs read or swap it)
 */
#ifndef _KERN_THREAD_H_
#define _KERN_THREAD_H_

#include "kern/systm.h"
#include "kern/vmmeter.h"

#define MAXCPU		64
#define LWKT_MAXTOKENS	32	/* tokens one thread may hold at once */
#define THREAD_MAXLOCKS	16	/* spin/lockmgr locks tracked for lock order */
#define KTHREAD_NSLOTS	16	/* td_slot values (a power of two) */

struct lwkt_token;
struct thread;
struct proc;
struct lwp;

/* One token reference held by a thread (td_toks_array). */
struct lwkt_tokref {
	struct lwkt_token	*tr_tok;
	long			tr_count;	/* TOK_EXCLUSIVE or TOK_INCR */
	struct thread		*tr_owner;
};

/*
 * Per-CPU data.  The vm fields are DragonFly's: gd_vmstats_adj collects
 * counter deltas that vmstats_rollup() folds into the global vmstats,
 * gd_vmstats is this CPU's cached copy of the global counts (hot paths read
 * it instead of the shared line), gd_cnt counts events.
 */
struct globaldata {
	int		gd_cpuid;		/* (c) */
	struct thread	*gd_curthread;		/* (a) thread running here */
	uint32_t	gd_quick_color;		/* (m) vm_quickcolor() */
	void		*gd_zone_caches;	/* (m) kern_zone.c */
	/* vm_map_entry reserve (vm_map.c) */
	void		*gd_vme_base;		/* (m) free entries */
	int		gd_vme_avail;		/* (m) */
	struct vmstats	gd_vmstats_adj __cachealign; /* (a) deltas */
	struct vmstats	gd_vmstats;		/* (a) cached global copy */
	struct vmmeter	gd_cnt;			/* (a) event counters */
} __cachealign;

typedef struct globaldata *globaldata_t;

/* Thread flags (td_flags). */
#define TDF_SYSTHREAD	0x0001	/* pageout daemon etc: may use reserves */
#define TDF_NOFAULT	0x0002	/* faults that need I/O must fail */
#define TDF_SLEEPING	0x0004	/* (internal) in tsleep */
#define TDF_TIMEOUT	0x0008	/* (internal) sleep timed out */

struct thread {
	struct globaldata *td_gd;	/* current CPU, NULL while blocked */
	int		td_tid;		/* unique, non-zero; spinlock owner id */
	const char	*td_name;
	int		td_flags;
	int		td_nest_count;
	int		td_last_cpu;	/* preferred CPU when resuming */
	/*
	 * (c) Index into per-slot counters (lockinit_slots locks), fixed
	 * for the thread's life so that a share it takes is given back in
	 * the same slot even after it blocked and moved to another CPU.  Handed out round-robin: threads share a slot only
	 * past KTHREAD_NSLOTS live threads, which costs speed, not safety.
	 */
	int		td_slot;
	/* tokens held, in acquisition order */
	struct lwkt_tokref td_toks_array[LWKT_MAXTOKENS];
	int		td_toks_stop;	/* number of valid refs */
	/* lock-order tracking (debug builds) */
	const void	*td_locks[THREAD_MAXLOCKS];
	int		td_lockcls[THREAD_MAXLOCKS]; /* their classes */
	int		td_nlocks;
	int		td_spinlocks;	/* spinlocks held: may not block */
	/* sleep queue linkage, owned by kern_synch.c */
	const volatile void *td_wchan;
	const char	*td_wmesg;
	struct thread	*td_sleepq_next;
	struct thread	*td_sleepq_prev;
	int		td_wakeup;	/* (a) set by wakeup */
	void		*td_sched;	/* host-side condition, kern private */
	/* process context for faults and limits */
	struct proc	*td_proc;
	struct lwp	*td_lwp;
	void		*td_private;	/* for callers of kthread_create */
};

typedef struct thread *thread_t;

extern int ncpus;			/* simulated CPUs configured */
extern struct globaldata *globaldata_array;
extern __thread struct thread *curthread_tls;

#define curthread	(curthread_tls)
#define mycpu		(curthread_tls->td_gd)
#define mycpuid		(curthread_tls->td_gd->gd_cpuid)
#define globaldata_find(cpu)	(&globaldata_array[(cpu)])

/*
 * kern_init - set up ncpus simulated CPUs and the environment's own state
 * (sleep queues, token pool, sysctl tree, zones).  Called once per boot
 * before any thread enters.  Returns 0 or EINVAL if ncpus is out of range
 * [1, MAXCPU].
 */
int	kern_init(int ncpus_arg);
/*
 * kern_fini - tear the environment down.  No thread may still be entered.
 */
void	kern_fini(void);

/*
 * kthread_enter - make the calling host thread a flyvm thread and give it a
 * CPU, blocking until one is free.  The thread must not already be entered.
 * kthread_leave - give up the CPU and stop being a flyvm thread.  The thread
 * must hold no tokens, spinlocks or locks.
 */
void	kthread_enter(const char *name);
void	kthread_leave(void);
bool	kthread_entered(void);

/*
 * kthread_create - start a host thread that enters flyvm as `name' and runs
 * func(arg).  It leaves flyvm when func returns.  *hp receives a handle to
 * pass to kthread_join().  Returns 0 or an errno.
 * kthread_join - wait for it to finish.  A blocking point: an entered
 * caller releases its tokens and CPU while it waits.
 */
typedef void (*kthread_func_t)(void *arg);
struct kthread_handle;
int	kthread_create(kthread_func_t func, void *arg, const char *name,
	    struct kthread_handle **hp);
void	kthread_join(struct kthread_handle *h);

/*
 * Blocking points.  lwkt_block_begin() releases all of the thread's tokens
 * and its CPU; lwkt_block_end() takes a CPU and then re-acquires every
 * token before returning.  tsleep, lockmgr waits and token contention use
 * them; VM code never calls them directly.
 */
void	lwkt_block_begin(void);
void	lwkt_block_end(void);

/*
 * lwkt_yield - let another runnable thread have this CPU for a moment.  If
 * a thread is waiting for a CPU this is a blocking point (tokens are
 * released and re-acquired); otherwise only the host thread yields.
 */
void	lwkt_yield(void);

/*
 * Critical sections: in a kernel they stop preemption.  Here threads are
 * never preempted off their CPU except at blocking points, so these only
 * count, and every blocking point (tsleep, a lockmgr wait, a contended
 * token) panics inside one in debug builds.
 */
void	crit_enter(void);
void	crit_exit(void);

#endif /* !_KERN_THREAD_H_ */
