/*
 * kern_lockorder.c - the run-time lock-order checker (see lockorder.h).
 *
 * Design note.
 *   1. A lock class is a name (a spinlock's descr, a lockmgr lock's wmesg),
 *      interned once into a small integer.  Names are compared by content,
 *      so two files spelling "vm_page spin" share a class.
 *   2. The recorded orders form a directed graph, edge[a][b] meaning "a
 *      was held while b was taken".  The graph stays acyclic: an edge is
 *      added only after checking that b does not already reach a; if it
 *      does, the new acquisition reverses a recorded (possibly transitive)
 *      order and the checker panics naming both classes.
 *   3. Each thread keeps the locks it holds, with their classes, in
 *      td_locks / td_lockcls: only that thread reads or writes them.
 *   4. The fast path (an order already recorded) only reads edge bytes;
 *      interning a new name and adding an edge take lo.mtx, a host mutex
 *      that is innermost.
 *   5. Holding two locks of one class (two pages' spins) records nothing:
 *      ordering within a class is the caller's business.
 */
#include <string.h>

#include "kern/kern_priv.h"
#include "kern/lockorder.h"

#define LO_MAXCLASS	256
#define LO_HASHSIZE	512		/* power of 2, > LO_MAXCLASS */

static struct {
	pthread_mutex_t	mtx;
	const char	*hname[LO_HASHSIZE];	/* (a) published names */
	int		hid[LO_HASHSIZE];	/* (mtx) before publication */
	const char	*cname[LO_MAXCLASS];	/* (mtx) class -> name */
	int		nclass;			/* (mtx) */
	uint8_t		edge[LO_MAXCLASS][LO_MAXCLASS]; /* (a) */
} lo = { .mtx = PTHREAD_MUTEX_INITIALIZER };

/* lo_hash - FNV-1a of a class name. */
static unsigned
lo_hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

/*
 * lo_probe - the slot of name in the intern table, or of the empty slot
 * where it would go.  Lock-free: names are published with release order.
 */
static unsigned
lo_probe(const char *name)
{
	unsigned i = lo_hash(name) & (LO_HASHSIZE - 1);
	const char *n;

	while ((n = atomic_load_ptr(&lo.hname[i])) != NULL &&
	    strcmp(n, name) != 0)
		i = (i + 1) & (LO_HASHSIZE - 1);
	return (i);
}

/* lo_intern - add name to the intern table; its class.  Takes lo.mtx. */
static int
lo_intern(const char *name)
{
	unsigned i;
	int id;

	pthread_mutex_lock(&lo.mtx);
	i = lo_probe(name);
	if (lo.hname[i] == NULL) {
		if (lo.nclass == LO_MAXCLASS) {
			pthread_mutex_unlock(&lo.mtx);
			panic("lockorder: more than %d lock classes",
			    LO_MAXCLASS);
		}
		lo.hid[i] = lo.nclass;
		lo.cname[lo.nclass++] = name;
		atomic_store_ptr(&lo.hname[i], name);
	}
	id = lo.hid[i];
	pthread_mutex_unlock(&lo.mtx);
	return (id);
}

/*
 * A small per-thread cache from name pointer to class, so the hot path
 * does not hash the name (classes are never renumbered).
 */
#define LO_CACHE	16
static __thread const char *lo_cache_name[LO_CACHE];
static __thread int lo_cache_id[LO_CACHE];

/* lo_class - the class number of name, interning it if new. */
static int
lo_class(const char *name)
{
	unsigned c = (unsigned)(((uintptr_t)name >> 3) % LO_CACHE);
	unsigned i;
	int id;

	if (lo_cache_name[c] == name)
		return (lo_cache_id[c]);
	i = lo_probe(name);
	if (atomic_load_ptr(&lo.hname[i]) == NULL)
		id = lo_intern(name);
	else
		id = lo.hid[i];
	lo_cache_name[c] = name;
	lo_cache_id[c] = id;
	return (id);
}

/* lo_reaches - TRUE if the graph has a path from -> to.  lo.mtx held. */
static int
lo_reaches(int from, int to, uint8_t *seen)
{
	int c;

	if (from == to)
		return (TRUE);
	seen[from] = 1;
	for (c = 0; c < lo.nclass; c++) {
		if (lo.edge[from][c] && !seen[c] && lo_reaches(c, to, seen))
			return (TRUE);
	}
	return (FALSE);
}

/*
 * lo_add_edge - record "a before b".  Panics if b already comes before a.
 * Takes and releases lo.mtx.
 */
static void
lo_add_edge(int a, int b)
{
	uint8_t seen[LO_MAXCLASS];
	const char *an, *bn;

	pthread_mutex_lock(&lo.mtx);
	if (lo.edge[a][b]) {
		pthread_mutex_unlock(&lo.mtx);
		return;
	}
	memset(seen, 0, sizeof(seen));
	if (lo_reaches(b, a, seen)) {
		an = lo.cname[a];
		bn = lo.cname[b];
		pthread_mutex_unlock(&lo.mtx);
		panic("lock order reversal: taking \"%s\" while holding \"%s\","
		    " but \"%s\" -> \"%s\" was recorded", bn, an, bn, an);
	}
	atomic_store_relaxed(&lo.edge[a][b], 1);
	pthread_mutex_unlock(&lo.mtx);
}

/*
 * lockorder_declare - record first -> second.  Panics if it contradicts a
 * recorded order.  No requirements.
 */
void
lockorder_declare(const char *first, const char *second)
{
	int a = lo_class(first), b = lo_class(second);

	if (a != b)
		lo_add_edge(a, b);
}

/*
 * lockorder_reset - forget all recorded orders (class names stay).  Only
 * while no thread takes locks.
 */
void
lockorder_reset(void)
{
	pthread_mutex_lock(&lo.mtx);
	memset(lo.edge, 0, sizeof(lo.edge));
	pthread_mutex_unlock(&lo.mtx);
}

#ifdef INVARIANTS

/* lo_push - note that td holds lock of class id. */
static void
lo_push(struct thread *td, const void *lock, int id)
{
	KASSERT(td->td_nlocks < THREAD_MAXLOCKS, ("%s holds more than %d "
	    "locks", td->td_name, THREAD_MAXLOCKS));
	td->td_locks[td->td_nlocks] = lock;
	td->td_lockcls[td->td_nlocks] = id;
	td->td_nlocks++;
}

/*
 * lockorder_acquire - check and record the order of cls after every class
 * the caller holds, then note the hold.  Panics on a reversal.
 * No requirements (a no-op for non-flyvm host threads or a NULL class).
 */
void
lockorder_acquire(const void *lock, const char *cls)
{
	struct thread *td = curthread;
	int i, id, held;

	if (td == NULL || cls == NULL)
		return;
	id = lo_class(cls);
	for (i = 0; i < td->td_nlocks; i++) {
		held = td->td_lockcls[i];
		if (held != id && !atomic_load_relaxed(&lo.edge[held][id]))
			lo_add_edge(held, id);
	}
	lo_push(td, lock, id);
}

/* lockorder_acquire_try - note a hold taken without waiting. */
void
lockorder_acquire_try(const void *lock, const char *cls)
{
	struct thread *td = curthread;

	if (td == NULL || cls == NULL)
		return;
	lo_push(td, lock, lo_class(cls));
}

/*
 * lockorder_release - forget the caller's most recent hold of lock.
 * Holds it never noted (a downgraded lock's extra shares) are ignored.
 */
void
lockorder_release(const void *lock)
{
	struct thread *td = curthread;
	int i;

	if (td == NULL)
		return;
	for (i = td->td_nlocks - 1; i >= 0; i--) {
		if (td->td_locks[i] != lock)
			continue;
		td->td_nlocks--;
		memmove(&td->td_locks[i], &td->td_locks[i + 1],
		    sizeof(td->td_locks[0]) * (size_t)(td->td_nlocks - i));
		memmove(&td->td_lockcls[i], &td->td_lockcls[i + 1],
		    sizeof(td->td_lockcls[0]) * (size_t)(td->td_nlocks - i));
		return;
	}
}

#endif /* INVARIANTS */
