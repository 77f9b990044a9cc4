/*
 * kern_synch.c - sleep and wakeup on any address (see synch.h).
 *
 * Design note.
 *   1. Sleep queues are hashed by address into SLPQUE_BUCKETS buckets, each
 *      a host mutex and a FIFO list of threads linked through
 *      td_sleepq_next/prev.  A thread is on a queue exactly while its
 *      td_wchan is non-NULL; td_wchan is set only by the thread itself and
 *      cleared only under the bucket mutex (by wakeup, a timeout or
 *      tsleep_remove).
 *   2. No lost wakeups: tsleep_interlock() queues the thread before the
 *      caller tests its condition.  A wakeup from then on clears td_wchan,
 *      and tsleep() returns at once when it finds td_wchan cleared.  Whoever
 *      makes the condition true and then calls wakeup() therefore either
 *      runs before the test (the test sees it) or finds the thread queued.
 *   3. tsleep() releases every token and the CPU (lwkt_block_begin) only
 *      after the thread is queued, waits on its own condition variable with
 *      the bucket mutex, and takes a CPU and the tokens back before it
 *      returns (lwkt_block_end).
 *   4. A timeout is an absolute CLOCK_MONOTONIC deadline; a thread still
 *      queued at the deadline dequeues itself and returns EWOULDBLOCK.
 *
 * Lock order: bucket mutexes are innermost.  wakeup() may be called
 * holding spinlocks and tokens, and from host threads that are not flyvm
 * threads.
 */
#include "kern/kern_priv.h"
#include "kern/spinlock.h"
#include "kern/synch.h"

#define SLPQUE_BUCKETS	512

static struct slpque {
	pthread_mutex_t	mtx;
	struct thread	*head;		/* (mtx) oldest sleeper first */
	struct thread	*tail;		/* (mtx) */
} __cachealign slpque[SLPQUE_BUCKETS];

/* slpque_bucket - the sleep queue bucket ident hashes to. */
static inline struct slpque *
slpque_bucket(const volatile void *ident)
{
	uintptr_t p = (uintptr_t)ident;

	return (&slpque[((p >> 3) ^ (p >> 11)) % SLPQUE_BUCKETS]);
}

/* sleepq_boot - empty every sleep queue.  kern_init, no thread entered. */
void
sleepq_boot(void)
{
	int i;

	for (i = 0; i < SLPQUE_BUCKETS; i++) {
		pthread_mutex_init(&slpque[i].mtx, NULL);
		slpque[i].head = slpque[i].tail = NULL;
	}
}

/* slpque_insert - append td to b.  b's mutex held. */
static void
slpque_insert(struct slpque *b, struct thread *td, const volatile void *id)
{
	td->td_sleepq_next = NULL;
	td->td_sleepq_prev = b->tail;
	if (b->tail != NULL)
		b->tail->td_sleepq_next = td;
	else
		b->head = td;
	b->tail = td;
	atomic_store_int(&td->td_wakeup, 0);
	atomic_store_ptr(&td->td_wchan, id);
}

/* slpque_unlink - take td off b and clear its td_wchan.  b's mutex held. */
static void
slpque_unlink(struct slpque *b, struct thread *td)
{
	if (td->td_sleepq_prev != NULL)
		td->td_sleepq_prev->td_sleepq_next = td->td_sleepq_next;
	else
		b->head = td->td_sleepq_next;
	if (td->td_sleepq_next != NULL)
		td->td_sleepq_next->td_sleepq_prev = td->td_sleepq_prev;
	else
		b->tail = td->td_sleepq_prev;
	td->td_sleepq_next = td->td_sleepq_prev = NULL;
	atomic_store_ptr(&td->td_wchan, NULL);
}

/*
 * tsleep_remove - take the calling thread off the sleep queue it joined
 * with tsleep_interlock(), if a wakeup has not already done so.
 * Never blocks on flyvm locks.
 */
void
tsleep_remove(void)
{
	struct thread *td = curthread;
	const volatile void *ident = atomic_load_ptr(&td->td_wchan);
	struct slpque *b;

	if (ident == NULL)
		return;
	b = slpque_bucket(ident);
	pthread_mutex_lock(&b->mtx);
	if (atomic_load_ptr(&td->td_wchan) == ident)
		slpque_unlink(b, td);
	pthread_mutex_unlock(&b->mtx);
}

/*
 * tsleep_interlock - queue the calling thread on ident, so that a wakeup
 * from now on is not lost (see 2.).  Leaves any queue it was on.  May be
 * called holding spinlocks; never blocks on flyvm locks.
 */
void
tsleep_interlock(const volatile void *ident, int flags)
{
	struct thread *td = curthread;
	struct slpque *b = slpque_bucket(ident);

	KASSERT(td != NULL, ("tsleep_interlock outside a flyvm thread"));
	tsleep_remove();
	pthread_mutex_lock(&b->mtx);
	slpque_insert(b, td, ident);
	pthread_mutex_unlock(&b->mtx);
}

/*
 * sleepq_wait - wait, holding nothing, until td is off ident's queue or
 * timo ticks pass (timo <= 0: forever).  Returns 0 or EWOULDBLOCK.
 */
static int
sleepq_wait(struct thread *td, const volatile void *ident, int timo)
{
	struct slpque *b = slpque_bucket(ident);
	struct td_host *th = td_host(td);
	struct timespec deadline;
	int error = 0;

	if (timo > 0)
		kern_deadline(&deadline, timo);
	pthread_mutex_lock(&b->mtx);
	while (atomic_load_ptr(&td->td_wchan) == ident) {
		if (timo <= 0) {
			pthread_cond_wait(&th->th_sleep_cv, &b->mtx);
		} else if (pthread_cond_timedwait(&th->th_sleep_cv, &b->mtx,
		    &deadline) == ETIMEDOUT &&
		    atomic_load_ptr(&td->td_wchan) == ident) {
			slpque_unlink(b, td);
			error = EWOULDBLOCK;
		}
	}
	pthread_mutex_unlock(&b->mtx);
	return (error);
}

/*
 * tsleep - sleep on ident until a wakeup or timo ticks (0: no timeout).
 * The caller holds no spinlock (with PINTERLOCKED it called
 * tsleep_interlock(ident) first and has since dropped its spinlock).
 * Blocks, releasing all tokens and the CPU; returns holding them again.
 * Returns 0 when woken, EWOULDBLOCK on timeout.
 */
int
tsleep(const volatile void *ident, int flags, const char *wmesg, int timo)
{
	struct thread *td = curthread;
	const volatile void *cur;
	int error;

	KASSERT(td != NULL, ("tsleep outside a flyvm thread"));
	KASSERT(td->td_spinlocks == 0, ("tsleep \"%s\" holding a spinlock",
	    wmesg));
	if ((flags & PINTERLOCKED) == 0)
		tsleep_interlock(ident, flags);
	cur = atomic_load_ptr(&td->td_wchan);
	KASSERT(cur == ident || cur == NULL, ("tsleep \"%s\" interlocked on "
	    "another address", wmesg));
	if (cur == NULL)
		return (0);
	td->td_wmesg = wmesg;
	td->td_flags |= TDF_SLEEPING;
	lwkt_block_begin();
	error = sleepq_wait(td, ident, timo);
	lwkt_block_end();
	td->td_flags &= ~TDF_SLEEPING;
	if (error != 0)
		td->td_flags |= TDF_TIMEOUT;
	else
		td->td_flags &= ~TDF_TIMEOUT;
	td->td_wmesg = NULL;
	return (error);
}

/*
 * ssleep - tsleep that releases `spin' atomically with going to sleep.
 * spin is held on entry and again on return.  Returns as tsleep.
 */
int
ssleep(const volatile void *ident, struct spinlock *spin, int flags,
    const char *wmesg, int timo)
{
	int error;

	SPIN_ASSERT_HELD(spin);
	tsleep_interlock(ident, flags);
	spin_unlock(spin);
	error = tsleep(ident, flags | PINTERLOCKED, wmesg, timo);
	spin_lock(spin);
	return (error);
}

/* wakeup_common - wake the sleepers on ident (only the oldest if one). */
static void
wakeup_common(const volatile void *ident, int one)
{
	struct slpque *b = slpque_bucket(ident);
	struct thread *td, *next;

	pthread_mutex_lock(&b->mtx);
	for (td = b->head; td != NULL; td = next) {
		next = td->td_sleepq_next;
		if (atomic_load_ptr(&td->td_wchan) != ident)
			continue;
		slpque_unlink(b, td);
		atomic_store_int(&td->td_wakeup, 1);
		pthread_cond_signal(&td_host(td)->th_sleep_cv);
		if (one)
			break;
	}
	pthread_mutex_unlock(&b->mtx);
}

/*
 * wakeup - wake every thread sleeping on ident.  May be called holding
 * spinlocks and tokens, or from a host thread.  Never blocks.
 */
void
wakeup(const volatile void *ident)
{
	wakeup_common(ident, FALSE);
}

/* wakeup_one - wake the thread that has slept longest on ident. */
void
wakeup_one(const volatile void *ident)
{
	wakeup_common(ident, TRUE);
}

/* tsleep_count - threads queued on ident right now.  No requirements. */
int
tsleep_count(const volatile void *ident)
{
	struct slpque *b = slpque_bucket(ident);
	struct thread *td;
	int n = 0;

	pthread_mutex_lock(&b->mtx);
	for (td = b->head; td != NULL; td = td->td_sleepq_next)
		if (atomic_load_ptr(&td->td_wchan) == ident)
			n++;
	pthread_mutex_unlock(&b->mtx);
	return (n);
}
