/*
 * kern_proc.c - simulated processes: the pid table, spawn (an exec-style
 * address space), fork, exit and resource limits.
 *
 * The pid table is a red-black tree under proc_token.  A process holds
 * one p_hold for the table; pfind() adds one for its caller.  Exit sets
 * P_WEXIT (so pfind fails from then on), unlinks the process, waits for
 * every other hold to go and then runs the two stages of vmspace
 * teardown: vmspace_relexit() (stage 1: mappings and pages go when the
 * last reference does) and vmspace_exitfree() (stage 2: the structure),
 * which is what DragonFly's exit1() and the reaper do between them.
 */
#include <errno.h>
#include <string.h>

#include "kern/proc.h"
#include "kern/refcount.h"
#include "kern/synch.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/zone.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"

int maxproc;

static RB_HEAD(proc_tree, proc) proc_tree_head;
static struct lwkt_token proc_token;
static vm_zone_t proc_zone;
static int nprocs;		/* (t) live processes */
static pid_t proc_lastpid;	/* (t) last pid handed out */
static rlim_t proc_lim0;	/* ptoa(v_free_count) at boot */

static int
proc_cmp(const struct proc *a, const struct proc *b)
{
	return ((a->p_pid > b->p_pid) - (a->p_pid < b->p_pid));
}

RB_GENERATE_STATIC(proc_tree, proc, p_entry, proc_cmp)

static const struct sysctl_oid proc_oids[] = {
	{ "kern.maxproc", CTLTYPE_INT, CTLFLAG_RW | CTLFLAG_TUN, &maxproc,
	  1, PID_MAX, NULL, "Maximum number of processes" },
};

void
proc_init(void)
{
	RB_INIT(&proc_tree_head);
	lwkt_token_init(&proc_token, "proc");
	proc_zone = zinit("proc", sizeof(struct proc), 0);
	nprocs = 0;
	proc_lastpid = 0;
	maxproc = 4096;
	proc_lim0 = (rlim_t)ptoa((rlim_t)vmstats.v_free_count);
	sysctl_register(proc_oids, nitems(proc_oids));
}

void
proc_fini(void)
{
	struct proc *p;

	for (;;) {
		lwkt_gettoken(&proc_token);
		p = RB_MIN(proc_tree, &proc_tree_head);
		if (p != NULL)
			proc_hold(p);
		lwkt_reltoken(&proc_token);
		if (p == NULL)
			break;
		if (proc_exit(p, 0) != 0)
			proc_drop(p);
	}
	sysctl_unregister(proc_oids, nitems(proc_oids));
	zdestroy(proc_zone);
	proc_zone = NULL;
	lwkt_token_uninit(&proc_token);
}

/* plimit_init0: what DragonFly gives proc0 (facts 1.11). */
static void
proc_limits_init0(struct proc *p)
{
	int i;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		p->p_rlimit[i].rlim_cur = RLIM_INFINITY;
		p->p_rlimit[i].rlim_max = RLIM_INFINITY;
	}
	p->p_rlimit[RLIMIT_DATA].rlim_cur = DFLDSIZ;
	p->p_rlimit[RLIMIT_DATA].rlim_max = MAXDSIZ;
	p->p_rlimit[RLIMIT_STACK].rlim_cur = DFLSSIZ;
	p->p_rlimit[RLIMIT_STACK].rlim_max = MAXSSIZ;
	p->p_rlimit[RLIMIT_MEMLOCK].rlim_max = proc_lim0;
	p->p_rlimit[RLIMIT_MEMLOCK].rlim_cur = proc_lim0 / 3;
	p->p_rlimit[RLIMIT_RSS].rlim_max = proc_lim0;
	p->p_rlimit[RLIMIT_RSS].rlim_cur = proc_lim0;
}

/*
 * The vmspace's copies of the limits the map layer applies itself (stack
 * growth, address-space size).  p_token held.
 */
static void
proc_sync_vmlimits(struct proc *p)
{
	struct vmspace *vm = p->p_vmspace;

	lwkt_gettoken(&vm->vm_map.token);
	vm->vm_stacklim = (vm_size_t)p->p_rlimit[RLIMIT_STACK].rlim_cur;
	vm->vm_vmemlim = (vm_size_t)p->p_rlimit[RLIMIT_AS].rlim_cur;
	lwkt_reltoken(&vm->vm_map.token);
}

/*
 * A free pid after proc_lastpid, wrapping at PID_MAX.  proc_token held
 * and nprocs < maxproc <= PID_MAX, so one exists.
 */
static pid_t
proc_alloc_pid(void)
{
	struct proc key;
	pid_t pid = proc_lastpid;

	for (;;) {
		if (++pid > PID_MAX)
			pid = 1;
		key.p_pid = pid;
		if (RB_FIND(proc_tree, &proc_tree_head, &key) == NULL)
			break;
	}
	proc_lastpid = pid;
	return (pid);
}

/* Free a process that never made it into the table. */
static void
proc_free(struct proc *p)
{
	lwkt_token_uninit(&p->p_token);
	zfree(proc_zone, p);
}

/*
 * Give the new process p (limits set) its vmspace vm and link it into
 * the table; the result is held for the caller.  EAGAIN at maxproc (vm
 * is then released and p freed).
 */
static int
proc_link(struct proc *p, struct vmspace *vm, struct proc **pp)
{
	p->p_vmspace = vm;
	lwkt_gettoken(&p->p_token);
	proc_sync_vmlimits(p);
	lwkt_reltoken(&p->p_token);
	lwkt_gettoken(&proc_token);
	if (nprocs >= maxproc) {
		lwkt_reltoken(&proc_token);
		vmspace_rel(vm);
		proc_free(p);
		return (EAGAIN);
	}
	p->p_pid = proc_alloc_pid();
	refcount_init(&p->p_hold, 2);
	RB_INSERT(proc_tree, &proc_tree_head, p);
	nprocs++;
	lwkt_reltoken(&proc_token);
	*pp = p;
	return (0);
}

static struct proc *
proc_alloc(uint32_t uid, pid_t ppid)
{
	struct proc *p;

	p = zalloc(proc_zone);
	if (p == NULL)
		return (NULL);
	memset(p, 0, sizeof(*p));
	p->p_uid = uid;
	p->p_ppid = ppid;
	lwkt_token_init(&p->p_token, "proc");
	return (p);
}

/*
 * exec_new_vmspace for an image with no text: the data segment (brk)
 * starts empty at USRTEXT, and a grow-down stack reserves maxssiz bytes
 * below USRSTACK of which SGROWSIZ are mapped.
 */
static struct vmspace *
proc_exec_vmspace(void)
{
	struct vmspace *vm;
	vm_offset_t stack_addr;

	vm = vmspace_alloc(VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
	if (vm == NULL)
		return (NULL);
	stack_addr = USRSTACK - (vm_offset_t)MAXSSIZ;
	if (vm_map_stack(&vm->vm_map, &stack_addr, (vm_size_t)MAXSSIZ, 0,
	    VM_PROT_ALL, VM_PROT_ALL, 0) != KERN_SUCCESS) {
		vmspace_rel(vm);
		return (NULL);
	}
	vm->vm_taddr = USRTEXT;
	vm->vm_tsize = 0;
	vm->vm_daddr = USRTEXT;
	vm->vm_dsize = 0;
	vm->vm_ssize = (long)atop(SGROWSIZ);
	vm->vm_maxsaddr = stack_addr;
	vm->vm_minsaddr = USRSTACK;
	return (vm);
}

int
proc_spawn(uint32_t uid, struct proc **pp)
{
	struct vmspace *vm;
	struct proc *p;

	p = proc_alloc(uid, NO_PID);
	if (p == NULL)
		return (ENOMEM);
	proc_limits_init0(p);
	vm = proc_exec_vmspace();
	if (vm == NULL) {
		proc_free(p);
		return (ENOMEM);
	}
	return (proc_link(p, vm, pp));
}

int
proc_fork(struct proc *p1, struct proc **p2p)
{
	struct vmspace *vm2;
	struct proc *p2;

	if (proc_count() >= maxproc)
		return (EAGAIN);
	lwkt_gettoken(&p1->p_token);
	p2 = proc_alloc(p1->p_uid, p1->p_pid);
	if (p2 != NULL)
		memcpy(p2->p_rlimit, p1->p_rlimit, sizeof(p2->p_rlimit));
	lwkt_reltoken(&p1->p_token);
	if (p2 == NULL)
		return (ENOMEM);
	vm2 = vmspace_fork(p1->p_vmspace);
	if (vm2 == NULL) {
		proc_free(p2);
		return (ENOMEM);
	}
	atomic_add_long(&mycpu->gd_cnt.v_forks, 1);
	return (proc_link(p2, vm2, p2p));
}

int
proc_exit(struct proc *p, int status)
{
	struct vmspace *vm;
	int flags;

	KASSERT(curthread->td_proc != p, ("proc_exit: caller bound to %d",
	    p->p_pid));
	flags = atomic_load_int(&p->p_flags);
	if ((flags & P_WEXIT) != 0 ||
	    !atomic_cmpset_int(&p->p_flags, flags, flags | P_WEXIT))
		return (EBUSY);
	/*
	 * Unlink before waiting: pfind() finds and holds under proc_token,
	 * so once the exclusive token has removed p every hold anyone will
	 * ever take on it is already counted, and the wait below sees them
	 * all.  (Waiting first would miss a pfind() that read the flags
	 * just before P_WEXIT was set and held just after the wait ended.)
	 */
	lwkt_gettoken(&proc_token);
	RB_REMOVE(proc_tree, &proc_tree_head, p);
	nprocs--;
	lwkt_reltoken(&proc_token);
	for (;;) {
		tsleep_interlock(&p->p_hold, 0);
		if (atomic_load_int(&p->p_hold) == 2) {
			tsleep_remove();
			break;
		}
		tsleep(&p->p_hold, PINTERLOCKED, "pexit", 0);
	}
	(void)status;		/* no parent waits for it: nothing reaps */
	vm = p->p_vmspace;
	p->p_vmspace = NULL;
	vmspace_relexit(vm);
	vmspace_exitfree(vm);
	proc_free(p);
	return (0);
}

struct proc *
pfind(pid_t pid)
{
	struct proc key, *p;

	key.p_pid = pid;
	lwkt_gettoken_shared(&proc_token);
	p = RB_FIND(proc_tree, &proc_tree_head, &key);
	if (p != NULL && (atomic_load_int(&p->p_flags) & P_WEXIT) != 0)
		p = NULL;
	if (p != NULL)
		proc_hold(p);
	lwkt_reltoken(&proc_token);
	return (p);
}

struct proc *
pfind_pmap(struct pmap *pmap)
{
	struct proc *p, *found = NULL;

	lwkt_gettoken_shared(&proc_token);
	RB_FOREACH(p, proc_tree, &proc_tree_head) {
		if ((atomic_load_int(&p->p_flags) & P_WEXIT) == 0 &&
		    vmspace_pmap(p->p_vmspace) == pmap) {
			found = p;
			proc_hold(p);
			break;
		}
	}
	lwkt_reltoken(&proc_token);
	return (found);
}

void
proc_hold(struct proc *p)
{
	atomic_add_int(&p->p_hold, 1);
}

void
proc_drop(struct proc *p)
{
	u_int old;

	old = atomic_fetchadd_int(&p->p_hold, -1);
	KASSERT(old > 1, ("proc_drop: pid %d hold %u", p->p_pid, old));
	/*
	 * An exiting process's last other holder (3 -> 2: the table and
	 * the exiter remain) wakes the exiter.  p must not be touched
	 * after the decrement, since the exiter may free it at once; so
	 * every 3 -> 2 drop wakes the channel, which is only an address.
	 */
	if (old == 3)
		wakeup(&p->p_hold);
}

void
proc_bind(struct proc *p)
{
	thread_t td = curthread;

	KASSERT(td->td_proc == NULL, ("proc_bind: already bound"));
	td->td_proc = p;
	atomic_add_int(&p->p_nthreads, 1);
}

void
proc_unbind(struct proc *p)
{
	thread_t td = curthread;

	KASSERT(td->td_proc == p, ("proc_unbind: not bound to %d",
	    p->p_pid));
	atomic_subtract_int(&p->p_nthreads, 1);
	td->td_proc = NULL;
}

int
proc_getrlimit(struct proc *p, int which, struct rlimit *rl)
{
	if (which < 0 || which >= RLIM_NLIMITS)
		return (EINVAL);
	lwkt_gettoken_shared(&p->p_token);
	*rl = p->p_rlimit[which];
	lwkt_reltoken(&p->p_token);
	return (0);
}

rlim_t
proc_rlimit_cur(struct proc *p, int which)
{
	return (atomic_load_relaxed(&p->p_rlimit[which].rlim_cur));
}

int
proc_setrlimit(struct proc *p, int which, const struct rlimit *rl)
{
	struct rlimit nl = *rl, *cur;

	if (which < 0 || which >= RLIM_NLIMITS)
		return (EINVAL);
	if (nl.rlim_cur < 0 || nl.rlim_max < 0 || nl.rlim_cur > nl.rlim_max)
		return (EINVAL);
	lwkt_gettoken(&p->p_token);
	cur = &p->p_rlimit[which];
	if (nl.rlim_max > cur->rlim_max && p->p_uid != 0) {
		lwkt_reltoken(&p->p_token);
		return (EPERM);
	}
	if (which == RLIMIT_DATA) {
		nl.rlim_cur = MIN(nl.rlim_cur, MAXDSIZ);
		nl.rlim_max = MIN(nl.rlim_max, MAXDSIZ);
	} else if (which == RLIMIT_STACK) {
		nl.rlim_cur = MIN(nl.rlim_cur, MAXSSIZ);
		nl.rlim_max = MIN(nl.rlim_max, MAXSSIZ);
	}
	atomic_store_relaxed(&cur->rlim_cur, nl.rlim_cur);
	atomic_store_relaxed(&cur->rlim_max, nl.rlim_max);
	if (which == RLIMIT_STACK || which == RLIMIT_AS)
		proc_sync_vmlimits(p);
	lwkt_reltoken(&p->p_token);
	return (0);
}

int
proc_setuid(struct proc *p, uint32_t uid)
{
	int error = 0;

	lwkt_gettoken(&p->p_token);
	if (p->p_uid != 0 && p->p_uid != uid)
		error = EPERM;
	else
		p->p_uid = uid;
	lwkt_reltoken(&p->p_token);
	return (error);
}

size_t
proc_list(pid_t *pids, size_t n)
{
	struct proc *p;
	size_t i = 0;

	lwkt_gettoken_shared(&proc_token);
	RB_FOREACH(p, proc_tree, &proc_tree_head) {
		if (i < n)
			pids[i] = p->p_pid;
		i++;
	}
	lwkt_reltoken(&proc_token);
	return (i);
}

int
proc_count(void)
{
	int n;

	lwkt_gettoken_shared(&proc_token);
	n = nprocs;
	lwkt_reltoken(&proc_token);
	return (n);
}
