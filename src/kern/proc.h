/*
 * proc.h - simulated processes (DragonFly's struct proc, reduced to what
 * the VM needs: a pid, credentials, resource limits and a vmspace).
 *
 * A process is alive from proc_spawn()/proc_fork() until proc_exit().
 * It is found by pid with pfind(), which returns it held; every caller
 * drops its hold with proc_drop().  proc_exit() marks the process
 * exiting and unlinks it from the pid table (pfind stops finding it),
 * waits until the only holds left are its own and the table's, then
 * tears the address space down in DragonFly's two stages and frees the
 * structure.
 *
 * A host thread acts as one of a process's threads while it is bound to
 * it (proc_bind/proc_unbind around one call): curthread->td_proc is the
 * process, so the fault path charges faults and applies limits to it.
 *
 * Lock legend:
 *   (c) constant after creation
 *   (a) atomic
 *   (p) p_token
 *   (t) the pid table's token
 */
#ifndef _KERN_PROC_H_
#define _KERN_PROC_H_

#include "kern/systm.h"

#include <bsd/sys/tree.h>

#include "kern/token.h"

#ifdef RLIM_INFINITY
#error "kern/proc.h and the host's <sys/resource.h> define the same names"
#endif

/* DragonFly's sys/resource.h numbering. */
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_MEMLOCK	6
#define RLIMIT_NPROC	7
#define RLIMIT_NOFILE	8
#define RLIMIT_SBSIZE	9
#define RLIMIT_AS	10
#define RLIMIT_VMEM	RLIMIT_AS
#define RLIMIT_POSIXLOCKS 11
#define RLIM_NLIMITS	12
#define RLIM_INFINITY	INT64_MAX

typedef int64_t rlim_t;
typedef int32_t pid_t;

struct rlimit {
	rlim_t	rlim_cur;
	rlim_t	rlim_max;
};

/*
 * Exec layout (x86_64 vmparam.h): the data segment (brk) starts at
 * USRTEXT, the stack hangs below USRSTACK with maxssiz bytes reserved.
 */
#define USRTEXT		((vm_offset_t)0x400000)
#define USRSTACK	VM_MAX_USER_ADDRESS
#define DFLDSIZ		((rlim_t)128 << 20)	/* default RLIMIT_DATA */
#define MAXDSIZ		((rlim_t)32 << 30)	/* hard RLIMIT_DATA */
#define DFLSSIZ		((rlim_t)8 << 20)	/* default RLIMIT_STACK */
#define MAXSSIZ		((rlim_t)512 << 20)	/* hard RLIMIT_STACK */
#define PID_MAX		999999
#define NO_PID		0

#define P_WEXIT		0x0001	/* (a) exiting: pfind fails */

struct pmap;
struct vmspace;

struct proc {
	RB_ENTRY(proc)	p_entry;		/* (t) pid table */
	pid_t		p_pid;			/* (c) */
	pid_t		p_ppid;			/* (c) */
	uint32_t	p_uid;			/* (p) */
	int		p_flags;		/* (a) P_* */
	u_int		p_hold;			/* (a) table + holders */
	int		p_nthreads;		/* (a) bound threads */
	struct vmspace	*p_vmspace;		/* (c) until exit */
	struct lwkt_token p_token;		/* limits, credentials */
	struct rlimit	p_rlimit[RLIM_NLIMITS];	/* (p) */
	long		p_minflt;		/* (a) faults without I/O */
	long		p_majflt;		/* (a) faults that did I/O */
};

/*
 * Boot and shutdown of the process table.  proc_fini() exits every
 * process still alive (their memory goes back).  Entered thread.
 */
void	proc_init(void);
void	proc_fini(void);

/*
 * proc_spawn - a new process running as uid with default limits and a
 * fresh exec-style vmspace.  Returns it held (the caller drops).
 * EAGAIN at kern.maxproc, ENOMEM if the vmspace cannot be made.
 */
int	proc_spawn(uint32_t uid, struct proc **pp);
/*
 * proc_fork - a child of p1 (held by the caller): vmspace_fork, uid and
 * limits copied.  Returns the child held.  EAGAIN at kern.maxproc, ENOMEM.
 */
int	proc_fork(struct proc *p1, struct proc **p2p);
/*
 * proc_exit - p (held by the caller, who must not be bound to it) exits.
 * Waits for other holders; on return p is freed and the caller's hold is
 * gone.  EBUSY (nothing done) if another thread is already exiting it.
 */
int	proc_exit(struct proc *p, int status);

/* pfind - the live process with this pid, held; NULL if none. */
struct proc *pfind(pid_t pid);
/*
 * pfind_pmap - the live process whose vmspace drives pmap, held; NULL if
 * none (a kernel or stand-alone pmap, or an exiting process).  Walks the
 * whole table: for inspection, not for hot paths.
 */
struct proc *pfind_pmap(struct pmap *pmap);
void	proc_hold(struct proc *p);
void	proc_drop(struct proc *p);

/*
 * proc_bind / proc_unbind - the calling (entered) thread acts as a thread
 * of p (held) until unbind.  Binding does not nest.
 */
void	proc_bind(struct proc *p);
void	proc_unbind(struct proc *p);

/*
 * Resource limits.  proc_getrlimit reads; proc_setrlimit follows
 * kern_setrlimit: EINVAL for an unknown resource, a negative value or
 * cur > max, EPERM raising max without root.  RLIMIT_DATA and
 * RLIMIT_STACK are clamped to MAXDSIZ / MAXSSIZ as in DragonFly.
 * proc_rlimit_cur is the fast read of one soft limit.
 */
int	proc_getrlimit(struct proc *p, int which, struct rlimit *rl);
int	proc_setrlimit(struct proc *p, int which, const struct rlimit *rl);
rlim_t	proc_rlimit_cur(struct proc *p, int which);

/* proc_setuid - EPERM unless p runs as root or uid is its uid. */
int	proc_setuid(struct proc *p, uint32_t uid);

/*
 * proc_list - pids of live processes, ascending: up to n into pids; the
 * number alive is returned.
 */
size_t	proc_list(pid_t *pids, size_t n);
int	proc_count(void);		/* live processes */

/* Kernel-wide limits (sysctl kern.maxproc). */
extern int maxproc;

#endif /* !_KERN_PROC_H_ */
