/*
 * kern_thread.c - simulated CPUs and flyvm threads.
 *
 * Design note.  The environment boots ncpus CPU slots (globaldata).  A
 * host thread becomes a flyvm thread with kthread_enter() and from then on
 * owns exactly one slot while it runs.  It gives the slot up only at a
 * blocking point (lwkt_block_begin: tsleep, a lockmgr wait, a contended
 * token, kthread_join, lwkt_yield) and takes one back before it continues
 * (lwkt_block_end).
 *
 * Invariants:
 *   1. gd->gd_curthread == td  <=>  td->td_gd == gd; a slot has at most
 *      one thread.  Only the owning thread writes its td_gd.
 *   2. A thread waiting for a CPU holds no token and no spinlock.
 *   3. A thread holds tokens only while it owns a CPU: lwkt_block_begin
 *      releases the tokens before the CPU, lwkt_block_end takes the CPU
 *      before the tokens.
 *   4. CPU waiters are served first come, first served: a released slot is
 *      handed straight to the oldest waiter, so lwkt_yield() really lets
 *      the others run.  A thread that finds a free slot and nobody waiting
 *      prefers the slot it had last (td_last_cpu).
 *
 * Lock order: the scheduler mutex (sched_mtx) is a host mutex and
 * innermost; nothing else is taken while it is held.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_priv.h"
#include "kern/lockorder.h"
#include "kern/token.h"

int ncpus;
struct globaldata *globaldata_array;
__thread struct thread *curthread_tls;

static struct {
	pthread_mutex_t	mtx;
	struct thread	*waitq_head;	/* threads waiting for a CPU */
	struct thread	*waitq_tail;
	int		nwaiting;	/* (a) length of the wait queue */
	int		nentered;	/* (a) flyvm threads alive */
	int		booted;		/* (a) */
} sched = { .mtx = PTHREAD_MUTEX_INITIALIZER };

static int next_tid;			/* (a) last td_tid handed out */

struct kthread_handle {
	pthread_t	kh_thread;
	kthread_func_t	kh_func;
	void		*kh_arg;
	const char	*kh_name;
};

/*
 * kern_init - boot ncpus_arg simulated CPUs and the environment.
 * No thread may be entered.  Returns 0, or EINVAL if ncpus_arg is outside
 * [1, MAXCPU] or the environment is already booted.
 */
int
kern_init(int ncpus_arg)
{
	int i;

	if (ncpus_arg < 1 || ncpus_arg > MAXCPU ||
	    atomic_load_int(&sched.booted))
		return (EINVAL);
	globaldata_array = aligned_alloc(64,
	    sizeof(struct globaldata) * (size_t)ncpus_arg);
	if (globaldata_array == NULL)
		return (ENOMEM);
	memset(globaldata_array, 0,
	    sizeof(struct globaldata) * (size_t)ncpus_arg);
	for (i = 0; i < ncpus_arg; i++)
		globaldata_array[i].gd_cpuid = i;
	ncpus = ncpus_arg;
	kern_clock_boot();
	sleepq_boot();
	lwkt_token_boot();
	kern_sysctl_boot();
	atomic_store_int(&sched.booted, 1);
	return (0);
}

/*
 * kern_fini - shut the environment down.  Panics if a thread is still
 * entered.
 */
void
kern_fini(void)
{
	KASSERT(atomic_load_int(&sched.nentered) == 0,
	    ("kern_fini with %d threads entered", sched.nentered));
	if (!atomic_load_int(&sched.booted))
		return;
	kern_sysctl_shutdown();
	free(globaldata_array);
	globaldata_array = NULL;
	ncpus = 0;
	atomic_store_int(&sched.booted, 0);
}

/* cpu_pick_free - a free slot, td's last one if possible.  sched_mtx held. */
static struct globaldata *
cpu_pick_free(struct thread *td)
{
	struct globaldata *gd;
	int i;

	if (td->td_last_cpu >= 0 && td->td_last_cpu < ncpus) {
		gd = globaldata_find(td->td_last_cpu);
		if (atomic_load_ptr(&gd->gd_curthread) == NULL)
			return (gd);
	}
	for (i = 0; i < ncpus; i++) {
		gd = globaldata_find(i);
		if (atomic_load_ptr(&gd->gd_curthread) == NULL)
			return (gd);
	}
	return (NULL);
}

/* cpu_wait_enqueue - wait in FIFO order to be handed a CPU.  sched_mtx. */
static struct globaldata *
cpu_wait_enqueue(struct thread *td)
{
	struct td_host *th = td_host(td);
	struct globaldata *gd;

	th->th_cpu_next = NULL;
	if (sched.waitq_tail != NULL)
		td_host(sched.waitq_tail)->th_cpu_next = td;
	else
		sched.waitq_head = td;
	sched.waitq_tail = td;
	atomic_add_int(&sched.nwaiting, 1);
	while (th->th_granted == NULL)
		pthread_cond_wait(&th->th_cpu_cv, &sched.mtx);
	gd = th->th_granted;
	th->th_granted = NULL;
	return (gd);
}

/*
 * cpu_acquire - give td a CPU, waiting (on the host) until one is free.
 * td must hold no CPU, token or spinlock.  Returns with td->td_gd set.
 */
void
cpu_acquire(struct thread *td)
{
	struct globaldata *gd;

	KASSERT(td->td_gd == NULL, ("%s already has a CPU", td->td_name));
	pthread_mutex_lock(&sched.mtx);
	gd = NULL;
	if (sched.waitq_head == NULL) {
		gd = cpu_pick_free(td);
		if (gd != NULL)
			atomic_store_ptr(&gd->gd_curthread, td);
	}
	if (gd == NULL)
		gd = cpu_wait_enqueue(td);
	pthread_mutex_unlock(&sched.mtx);
	td->td_gd = gd;
	td->td_last_cpu = gd->gd_cpuid;
}

/*
 * cpu_release - give up td's CPU, handing it to the oldest waiter.
 * td must own a CPU and hold no token.  Never blocks on flyvm locks.
 */
void
cpu_release(struct thread *td)
{
	struct globaldata *gd = td->td_gd;
	struct thread *next;

	KASSERT(gd != NULL && gd->gd_curthread == td,
	    ("%s releases a CPU it does not own", td->td_name));
	td->td_gd = NULL;
	pthread_mutex_lock(&sched.mtx);
	next = sched.waitq_head;
	if (next != NULL) {
		sched.waitq_head = td_host(next)->th_cpu_next;
		if (sched.waitq_head == NULL)
			sched.waitq_tail = NULL;
		atomic_subtract_int(&sched.nwaiting, 1);
		atomic_store_ptr(&gd->gd_curthread, next);
		td_host(next)->th_granted = gd;
		pthread_cond_signal(&td_host(next)->th_cpu_cv);
	} else {
		atomic_store_ptr(&gd->gd_curthread, NULL);
	}
	pthread_mutex_unlock(&sched.mtx);
}

/* thread_alloc - a new thread structure with its host state. */
static struct thread *
thread_alloc(const char *name)
{
	struct thread *td;
	struct td_host *th;

	td = calloc(1, sizeof(*td));
	th = calloc(1, sizeof(*th));
	if (td == NULL || th == NULL)
		panic("kthread_enter: out of memory");
	kern_cond_init(&th->th_cpu_cv);
	kern_cond_init(&th->th_sleep_cv);
	td->td_sched = th;
	td->td_name = name;
	td->td_tid = atomic_fetchadd_int(&next_tid, 1) + 1;
	td->td_slot = td->td_tid & (KTHREAD_NSLOTS - 1);
	td->td_last_cpu = -1;
	return (td);
}

/* thread_free - free a thread that has left flyvm. */
static void
thread_free(struct thread *td)
{
	struct td_host *th = td_host(td);

	pthread_cond_destroy(&th->th_cpu_cv);
	pthread_cond_destroy(&th->th_sleep_cv);
	free(th);
	free(td);
}

/*
 * kthread_enter - make the calling host thread a flyvm thread named `name'
 * and give it a CPU.  May block waiting for a CPU.  The environment must be
 * booted and the thread not already entered.
 */
void
kthread_enter(const char *name)
{
	struct thread *td;

	KASSERT(atomic_load_int(&sched.booted), ("kthread_enter before "
	    "kern_init"));
	KASSERT(curthread_tls == NULL, ("kthread_enter: %s already entered",
	    curthread_tls->td_name));
	td = thread_alloc(name);
	atomic_add_int(&sched.nentered, 1);
	curthread_tls = td;
	cpu_acquire(td);
}

/*
 * kthread_leave - stop being a flyvm thread.  The caller must hold no
 * token, spinlock or lock and must not be on a sleep queue.
 */
void
kthread_leave(void)
{
	struct thread *td = curthread;

	KASSERT(td != NULL, ("kthread_leave: not entered"));
	KASSERT(td->td_toks_stop == 0, ("%s leaves holding %d tokens",
	    td->td_name, td->td_toks_stop));
	KASSERT(td->td_spinlocks == 0, ("%s leaves holding a spinlock",
	    td->td_name));
	KASSERT(td->td_nlocks == 0, ("%s leaves holding %d locks",
	    td->td_name, td->td_nlocks));
	KASSERT(atomic_load_ptr(&td->td_wchan) == NULL,
	    ("%s leaves on a sleep queue", td->td_name));
	cpu_release(td);
	curthread_tls = NULL;
	atomic_subtract_int(&sched.nentered, 1);
	thread_free(td);
}

/* kthread_entered - TRUE if the calling host thread is a flyvm thread. */
bool
kthread_entered(void)
{
	return (curthread_tls != NULL);
}

/* kthread_start - body of a kthread_create()d host thread. */
static void *
kthread_start(void *arg)
{
	struct kthread_handle *h = arg;

	kthread_enter(h->kh_name);
	h->kh_func(h->kh_arg);
	kthread_leave();
	return (NULL);
}

/*
 * kthread_create - run func(arg) in a new flyvm thread.  Never blocks.
 * Returns 0 and the join handle in *hp, or the host's errno.
 */
int
kthread_create(kthread_func_t func, void *arg, const char *name,
    struct kthread_handle **hp)
{
	struct kthread_handle *h;
	int error;

	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return (ENOMEM);
	h->kh_func = func;
	h->kh_arg = arg;
	h->kh_name = name;
	error = pthread_create(&h->kh_thread, NULL, kthread_start, h);
	if (error != 0) {
		free(h);
		return (error);
	}
	*hp = h;
	return (0);
}

/*
 * kthread_join - wait for a kthread_create()d thread to finish and free
 * its handle.  A blocking point: an entered caller gives up its tokens and
 * CPU while it waits.
 */
void
kthread_join(struct kthread_handle *h)
{
	int entered = kthread_entered();

	if (entered)
		lwkt_block_begin();
	pthread_join(h->kh_thread, NULL);
	if (entered)
		lwkt_block_end();
	free(h);
}

/*
 * lwkt_block_begin - the calling thread is about to block: release all of
 * its tokens, then its CPU.  It must hold no spinlock and be outside any
 * critical section.
 */
void
lwkt_block_begin(void)
{
	struct thread *td = curthread;

	KASSERT(td != NULL, ("blocking outside a flyvm thread"));
	KASSERT(td->td_spinlocks == 0, ("%s blocks holding %d spinlocks",
	    td->td_name, td->td_spinlocks));
	KASSERT(td->td_nest_count == 0, ("%s blocks in a critical section",
	    td->td_name));
	lwkt_relalltokens(td);
	cpu_release(td);
}

/*
 * lwkt_block_end - the thread resumes: take a CPU, then every token it
 * held.  If a token is busy, give the CPU back, wait (holding nothing)
 * until the token looks free, and try the whole set again.  Returns
 * holding a CPU and all tokens.
 */
void
lwkt_block_end(void)
{
	struct thread *td = curthread;
	struct lwkt_tokref *busy;

	for (;;) {
		cpu_acquire(td);
		busy = lwkt_getalltokens(td);
		if (busy == NULL)
			return;
		cpu_release(td);
		lwkt_token_wait(td, busy);
	}
}

/*
 * lwkt_yield - let a thread that waits for a CPU run.  If one waits, this
 * is a blocking point (tokens are released and re-acquired); otherwise
 * only the host thread yields.  The caller must hold no spinlock.
 */
void
lwkt_yield(void)
{
	if (atomic_load_int(&sched.nwaiting) > 0) {
		lwkt_block_begin();
		lwkt_block_end();
	} else {
		sched_yield();
	}
}

/* crit_enter - enter a critical section (a count).  No requirements. */
void
crit_enter(void)
{
	curthread->td_nest_count++;
}

/* crit_exit - leave the critical section crit_enter() opened. */
void
crit_exit(void)
{
	KASSERT(curthread->td_nest_count > 0, ("crit_exit without enter"));
	curthread->td_nest_count--;
}
