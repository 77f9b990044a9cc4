/*
 * lwkt_token.c - LWKT tokens (see token.h for the rules callers follow).
 *
 * Design note.
 *   1. A thread's tokens are the refs td_toks_array[0 .. td_toks_stop-1],
 *      in acquisition order.  tr_count says what a ref contributes to its
 *      token's t_count: TOK_EXCLUSIVE (it owns the token), TOK_INCR (one
 *      share), or 0 (a nested acquisition under this thread's own
 *      exclusive hold, which adds nothing).
 *   2. While a thread runs it holds every one of its refs.  While it is
 *      blocked it holds none of them: lwkt_relalltokens() drops every
 *      contribution and leaves the refs in place; lwkt_getalltokens()
 *      takes them all again, in address order, or none.
 *   3. Contention.  A request first retries with exponential backoff of
 *      cpu_pause() up to lwkt.token_backoff_max.  Then the thread blocks:
 *      it releases everything it holds and its CPU, records the new ref,
 *      and lwkt_block_end() takes a CPU and tries the whole set.  If any
 *      token is busy, the thread drops what it took, gives up its CPU and
 *      waits on that token's wait bucket holding nothing at all.
 *   4. No deadlock: a thread never waits (for a token or a CPU) while
 *      holding a token, so no cycle of waits through tokens can form.
 *      Taking the set in address order makes two contending threads
 *      collide on the same first token instead of each taking half.
 *   5. Writer preference: a waiting exclusive requester sets TOK_EXCLREQ;
 *      new shared requests then wait, unless the requester already holds
 *      tokens (it might otherwise wait on a thread that waits on it, via
 *      some other token).  Taking the token exclusively clears the bit;
 *      later exclusive waiters set it again when they retry.
 *   6. Waking: every release that makes a token more available checks its
 *      wait bucket's waiter count (after the release, both sequentially
 *      consistent) and broadcasts if anyone waits.  A waiter counts itself
 *      under the bucket mutex before re-checking the token, so a release
 *      cannot slip between the check and the wait.
 */
#include "kern/kern_priv.h"
#include "kern/token.h"

#define TOKWAIT_BUCKETS		256
#define LWKT_BACKOFF_DEFAULT	4096

int lwkt_token_backoff_max = LWKT_BACKOFF_DEFAULT;	/* (a) sysctl */

static struct lwkt_token lwkt_pool[LWKT_POOL_TOKENS];
static long lwkt_collisions;				/* (a) */

static struct tokwait {
	pthread_mutex_t	mtx;
	pthread_cond_t	cv;
	int		waiters;	/* (a) threads counted in, see 6. */
} __cachealign tokwait[TOKWAIT_BUCKETS];

/* ptr_hash - mix an address for the pool and the wait buckets. */
static inline uintptr_t
ptr_hash(const void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;

	return ((p >> 4) ^ (p >> 12) ^ (p >> 20));
}

/* tokwait_bucket - the wait bucket of tok. */
static inline struct tokwait *
tokwait_bucket(struct lwkt_token *tok)
{
	return (&tokwait[ptr_hash(tok) % TOKWAIT_BUCKETS]);
}

/*
 * lwkt_token_boot - reset the pool, the wait buckets and the tunable.
 * Called by kern_init() with no thread entered.
 */
void
lwkt_token_boot(void)
{
	int i;

	for (i = 0; i < LWKT_POOL_TOKENS; i++)
		lwkt_token_init(&lwkt_pool[i], "pool token");
	for (i = 0; i < TOKWAIT_BUCKETS; i++) {
		pthread_mutex_init(&tokwait[i].mtx, NULL);
		pthread_cond_init(&tokwait[i].cv, NULL);
		tokwait[i].waiters = 0;
	}
	atomic_store_int(&lwkt_token_backoff_max, LWKT_BACKOFF_DEFAULT);
	atomic_store_long(&lwkt_collisions, 0);
}

/* lwkt_token_init - a free token named desc.  No requirements. */
void
lwkt_token_init(struct lwkt_token *tok, const char *desc)
{
	atomic_store_relaxed(&tok->t_count, 0);
	atomic_store_relaxed(&tok->t_ref, NULL);
	tok->t_collisions = 0;
	tok->t_desc = desc;
}

/* lwkt_token_uninit - retire a token.  Nobody may hold it. */
void
lwkt_token_uninit(struct lwkt_token *tok)
{
	KASSERT((atomic_load_long(&tok->t_count) & ~TOK_EXCLREQ) == 0,
	    ("token %s uninit while held", tok->t_desc));
}

/* tok_try_excl - one attempt to own tok.  TRUE on success. */
static int
tok_try_excl(struct lwkt_token *tok)
{
	long c = atomic_load_long(&tok->t_count);

	while ((c & ~TOK_EXCLREQ) == 0) {
		if (atomic_fcmpset_long(&tok->t_count, &c, TOK_EXCLUSIVE))
			return (TRUE);
	}
	return (FALSE);
}

/*
 * tok_try_shared - one attempt to add a share.  honor: a pending exclusive
 * request makes it fail (see 5.).  TRUE on success.
 */
static int
tok_try_shared(struct lwkt_token *tok, int honor)
{
	long c = atomic_load_long(&tok->t_count);

	while ((c & TOK_EXCLUSIVE) == 0 && !(honor && (c & TOK_EXCLREQ))) {
		if (atomic_fcmpset_long(&tok->t_count, &c, c + TOK_INCR))
			return (TRUE);
	}
	return (FALSE);
}

/* tok_try - one attempt at an exclusive or shared (count) hold. */
static int
tok_try(struct lwkt_token *tok, long count, int honor)
{
	if (count == TOK_EXCLUSIVE)
		return (tok_try_excl(tok));
	return (tok_try_shared(tok, honor));
}

/* tok_available - would a request of this kind succeed right now? */
static int
tok_available(struct lwkt_token *tok, long count, int honor)
{
	long c = __atomic_load_n(&tok->t_count, __ATOMIC_SEQ_CST);

	if (count == TOK_EXCLUSIVE)
		return ((c & ~TOK_EXCLREQ) == 0);
	return ((c & TOK_EXCLUSIVE) == 0 && !(honor && (c & TOK_EXCLREQ)));
}

/* tok_wake - wake the threads waiting for tok's bucket (see 6.). */
static void
tok_wake(struct lwkt_token *tok)
{
	struct tokwait *b = tokwait_bucket(tok);

	if (__atomic_load_n(&b->waiters, __ATOMIC_SEQ_CST) == 0)
		return;
	pthread_mutex_lock(&b->mtx);
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mtx);
}

/* tok_release - drop one contribution `count' to tok and wake waiters. */
static void
tok_release(struct lwkt_token *tok, long count)
{
	if (count == 0)
		return;
	if (count == TOK_EXCLUSIVE) {
		atomic_store_ptr(&tok->t_ref, NULL);
		__atomic_and_fetch(&tok->t_count, ~TOK_EXCLUSIVE,
		    __ATOMIC_SEQ_CST);
	} else {
		__atomic_sub_fetch(&tok->t_count, TOK_INCR, __ATOMIC_SEQ_CST);
	}
	tok_wake(tok);
}

/* tokref_try - take what ref stands for.  TRUE on success. */
static int
tokref_try(struct lwkt_tokref *ref, int honor)
{
	if (ref->tr_count == 0)
		return (TRUE);
	if (!tok_try(ref->tr_tok, ref->tr_count, honor))
		return (FALSE);
	if (ref->tr_count == TOK_EXCLUSIVE)
		atomic_store_ptr(&ref->tr_tok->t_ref, ref);
	return (TRUE);
}

/* tokref_push - append a ref to td's array.  Panics when it is full. */
static struct lwkt_tokref *
tokref_push(struct thread *td, struct lwkt_token *tok, long count)
{
	struct lwkt_tokref *ref;

	KASSERT(td->td_toks_stop < LWKT_MAXTOKENS, ("%s holds more than %d "
	    "tokens", td->td_name, LWKT_MAXTOKENS));
	ref = &td->td_toks_array[td->td_toks_stop++];
	ref->tr_tok = tok;
	ref->tr_count = count;
	ref->tr_owner = td;
	if (count == TOK_EXCLUSIVE)
		atomic_store_ptr(&tok->t_ref, ref);
	return (ref);
}

/*
 * tok_held_count - how td holds tok: TOK_EXCLUSIVE, TOK_INCR (shared
 * only) or 0 (not at all).
 */
static long
tok_held_count(struct thread *td, struct lwkt_token *tok)
{
	long held = 0;
	int i;

	for (i = 0; i < td->td_toks_stop; i++) {
		if (td->td_toks_array[i].tr_tok != tok)
			continue;
		if (td->td_toks_array[i].tr_count == TOK_EXCLUSIVE)
			return (TOK_EXCLUSIVE);
		held = TOK_INCR;
	}
	return (held);
}

/* tok_caller - the calling thread, checked for the right to take tokens. */
static struct thread *
tok_caller(struct lwkt_token *tok)
{
	struct thread *td = curthread;

	KASSERT(td != NULL && td->td_gd != NULL, ("token %s taken outside a "
	    "running flyvm thread", tok->t_desc));
	KASSERT(td->td_spinlocks == 0, ("token %s taken holding a spinlock",
	    tok->t_desc));
	return (td);
}

/* tok_spin - retry with exponential backoff (see 3.).  TRUE if taken. */
static int
tok_spin(struct lwkt_token *tok, long count, int honor)
{
	int backoff, i, max = atomic_load_relaxed(&lwkt_token_backoff_max);

	for (backoff = 1; backoff <= max; backoff <<= 1) {
		for (i = 0; i < backoff; i++)
			cpu_pause();
		if (tok_try(tok, count, honor))
			return (TRUE);
	}
	return (FALSE);
}

/*
 * tok_contended - block until tok is granted with `count', releasing all
 * other tokens and the CPU meanwhile.  Returns holding all of them.
 */
static void
tok_contended(struct thread *td, struct lwkt_token *tok, long count)
{
	atomic_add_long(&tok->t_collisions, 1);
	atomic_add_long(&lwkt_collisions, 1);
	if (count == TOK_EXCLUSIVE)
		atomic_set_long(&tok->t_count, TOK_EXCLREQ);
	lwkt_block_begin();
	tokref_push(td, tok, count);
	lwkt_block_end();
}

/*
 * tok_get - take tok with count (TOK_EXCLUSIVE or TOK_INCR), the caller
 * not yet holding it.  May block.
 */
static void
tok_get(struct thread *td, struct lwkt_token *tok, long count)
{
	int honor = (td->td_toks_stop == 0);

	if (tok_try(tok, count, honor) || tok_spin(tok, count, honor))
		tokref_push(td, tok, count);
	else
		tok_contended(td, tok, count);
}

/*
 * tok_nest - how td holds tok (as tok_held_count); if exclusively, also
 * record a nested hold, which completes the caller's request.
 */
static long
tok_nest(struct thread *td, struct lwkt_token *tok)
{
	long held = tok_held_count(td, tok);

	if (held == TOK_EXCLUSIVE)
		tokref_push(td, tok, 0);
	return (held);
}

/*
 * lwkt_gettoken - take tok exclusively.  The caller is a running flyvm
 * thread holding no spinlock, and must not hold tok shared (panics).
 * May block, releasing every token it holds until tok is granted; returns
 * holding all of them and tok.
 */
void
lwkt_gettoken(struct lwkt_token *tok)
{
	struct thread *td = tok_caller(tok);
	long held = tok_nest(td, tok);

	if (held == TOK_EXCLUSIVE)
		return;
	KASSERT(held == 0, ("token %s taken exclusively while held shared "
	    "by %s", tok->t_desc, td->td_name));
	tok_get(td, tok, TOK_EXCLUSIVE);
}

/*
 * lwkt_gettoken_shared - take tok shared (nested if the caller holds it
 * exclusively).  Requirements and blocking as lwkt_gettoken.
 */
void
lwkt_gettoken_shared(struct lwkt_token *tok)
{
	struct thread *td = tok_caller(tok);

	if (tok_nest(td, tok) != TOK_EXCLUSIVE)
		tok_get(td, tok, TOK_INCR);
}

/*
 * lwkt_trytoken - take tok exclusively if that needs no waiting.  Never
 * blocks.  Returns TRUE if taken (or already held exclusively by the
 * caller), FALSE otherwise.
 */
int
lwkt_trytoken(struct lwkt_token *tok)
{
	struct thread *td = tok_caller(tok);
	long held = tok_nest(td, tok);

	if (held == TOK_EXCLUSIVE)
		return (TRUE);
	if (held != 0 || !tok_try_excl(tok))
		return (FALSE);
	tokref_push(td, tok, TOK_EXCLUSIVE);
	return (TRUE);
}

/* tokref_remove - delete td's ref i, keeping t_ref pointers right. */
static void
tokref_remove(struct thread *td, int i)
{
	struct lwkt_tokref *ref;

	td->td_toks_stop--;
	for (; i < td->td_toks_stop; i++) {
		ref = &td->td_toks_array[i];
		*ref = td->td_toks_array[i + 1];
		if (ref->tr_count == TOK_EXCLUSIVE)
			atomic_store_ptr(&ref->tr_tok->t_ref, ref);
	}
}

/*
 * lwkt_reltoken - release the caller's most recent acquisition of tok.
 * Other tokens may have been taken since (releasing out of order is
 * allowed across tokens; within one token the most recent hold goes first,
 * so a nested hold never outlives the exclusive one).  Never blocks.
 * Panics if the caller does not hold tok.
 */
void
lwkt_reltoken(struct lwkt_token *tok)
{
	struct thread *td = curthread;
	int i;

	for (i = td->td_toks_stop - 1; i >= 0; i--)
		if (td->td_toks_array[i].tr_tok == tok)
			break;
	KASSERT(i >= 0, ("token %s released but not held", tok->t_desc));
	tok_release(tok, td->td_toks_array[i].tr_count);
	tokref_remove(td, i);
}

/*
 * lwkt_relalltokens - drop every contribution td's refs make, keeping the
 * refs (td is about to block).  Never blocks.
 */
void
lwkt_relalltokens(struct thread *td)
{
	int i;

	for (i = td->td_toks_stop - 1; i >= 0; i--)
		tok_release(td->td_toks_array[i].tr_tok,
		    td->td_toks_array[i].tr_count);
}

/* tokref_sort - indices of td's refs in token address order. */
static void
tokref_sort(struct thread *td, int *order)
{
	struct lwkt_tokref *refs = td->td_toks_array;
	int i, j, k;

	for (i = 0; i < td->td_toks_stop; i++) {
		k = i;
		for (j = i; j > 0 && (uintptr_t)refs[order[j - 1]].tr_tok >
		    (uintptr_t)refs[k].tr_tok; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
}

/*
 * lwkt_getalltokens - take every one of td's refs, in token address
 * order, without waiting.  td owns a CPU.  Returns NULL holding all of
 * them, or the ref that could not be taken, holding none of them.
 */
struct lwkt_tokref *
lwkt_getalltokens(struct thread *td)
{
	struct lwkt_tokref *refs = td->td_toks_array, *ref;
	int order[LWKT_MAXTOKENS];
	int honor = (td->td_toks_stop == 1);
	int i;

	tokref_sort(td, order);
	for (i = 0; i < td->td_toks_stop; i++) {
		ref = &refs[order[i]];
		if (tokref_try(ref, honor))
			continue;
		while (--i >= 0)
			tok_release(refs[order[i]].tr_tok,
			    refs[order[i]].tr_count);
		return (ref);
	}
	return (NULL);
}

/*
 * lwkt_token_wait - wait until ref's token might be granted.  td holds no
 * token and no CPU.  May return early (the caller retries).
 */
void
lwkt_token_wait(struct thread *td, struct lwkt_tokref *ref)
{
	struct lwkt_token *tok = ref->tr_tok;
	struct tokwait *b = tokwait_bucket(tok);
	int honor = (td->td_toks_stop == 1);

	if (ref->tr_count == TOK_EXCLUSIVE)
		atomic_set_long(&tok->t_count, TOK_EXCLREQ);
	pthread_mutex_lock(&b->mtx);
	__atomic_add_fetch(&b->waiters, 1, __ATOMIC_SEQ_CST);
	if (!tok_available(tok, ref->tr_count, honor))
		pthread_cond_wait(&b->cv, &b->mtx);
	__atomic_sub_fetch(&b->waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&b->mtx);
}

/*
 * lwkt_token_is_held - TRUE if the caller holds tok (exclusively, if excl).
 * No requirements.
 */
int
lwkt_token_is_held(struct lwkt_token *tok, int excl)
{
	struct thread *td = curthread;
	long held;

	if (td == NULL)
		return (FALSE);
	held = tok_held_count(td, tok);
	return (excl ? held == TOK_EXCLUSIVE : held != 0);
}

/* lwkt_cnttoken - holders of tok right now (a snapshot). */
int
lwkt_cnttoken(struct lwkt_token *tok)
{
	long c = atomic_load_long(&tok->t_count);

	if (c & TOK_EXCLUSIVE)
		return (1);
	return ((int)((c & TOK_COUNTMASK) / TOK_INCR));
}

/* lwkt_token_pool_lookup - the pool token ptr hashes to. */
struct lwkt_token *
lwkt_token_pool_lookup(const void *ptr)
{
	return (&lwkt_pool[ptr_hash(ptr) & (LWKT_POOL_TOKENS - 1)]);
}

/* lwkt_getpooltoken - take ptr's pool token exclusively.  May block. */
void
lwkt_getpooltoken(const void *ptr)
{
	lwkt_gettoken(lwkt_token_pool_lookup(ptr));
}

/* lwkt_relpooltoken - release ptr's pool token. */
void
lwkt_relpooltoken(const void *ptr)
{
	lwkt_reltoken(lwkt_token_pool_lookup(ptr));
}

/* lwkt_token_collisions - token requests that had to block since boot. */
long
lwkt_token_collisions(void)
{
	return (atomic_load_long(&lwkt_collisions));
}
