/*
 * test_model.c - model-based differential test of the process and memory
 * system call API (flyvm.h, "Processes and the mmap family"; issue #5).
 *
 * A deliberately simple reference model of the facts sheet's section 1 is
 * kept beside flyvm: per process a sorted array of pages, each with its
 * protection, maximum protection, inheritance, wired flag, contents and
 * what we know of its page-table entry.  Random operations (mmap in all
 * its forms and with bad arguments, munmap, mprotect, minherit, madvise,
 * mincore, mlock, munlock, brk, sbrk, setrlimit, fork, exit, loads,
 * stores, bulk copies, cas, fetch-add) run on both; every result must
 * match.  See "What is compared" below.
 *
 *   test_model                      the harness tests (fixed seeds)
 *   test_model --random SECONDS [--threads N [--procs P]] [--seed S]
 *              [--ops N]            random seeds (from S) for that long;
 *                                   on the first divergence: seed,
 *                                   operation index and a reproduction
 *                                   shrunk by dropping operations
 *   MODEL_TRACE=1 / MODEL_TRACE_THREAD=i / MODEL_STATS=1
 *                                   print every op and its result / those
 *                                   of thread i / counts per kind
 *
 * Every sequential run is made in a child process, so a panic is reported
 * (and shrunk) as a divergence at the op that was running.
 *
 * Model of contents.  A page's bytes live in a reference-counted buffer
 * (NULL: never written, all zeros).  Private pages share buffers after a
 * fork with INHERIT_COPY and copy on the first write (a snapshot, which
 * is what copy-on-write shows as long as nobody writes the backing object
 * in place).  Pages inherited SHARE become a `cell' that every sharing
 * process points to, so a write by one is seen by all.  MADV_FREE makes
 * the written bytes of the range unknown: the next read of an unknown
 * byte is not compared but learned.
 *
 * Model of page-table entries (pte: NO, MAYBE, YES).  On x86 a present pte
 * allows reads whatever the entry's protection, so a page without
 * PROT_READ (PROT_WRITE or PROT_EXEC only) is readable exactly when the
 * process has a pte for it: after it wrote the page, after mlock, after a
 * prefault of a neighbour; not after mprotect to a protection without
 * READ or EXEC (pmap_protect removes), madvise(MADV_INVAL), or a fork
 * that write-protects a COPY entry (which for such a page removes).  The
 * model is conservative: YES only after the process's own write or
 * successful read (or mlock of an accessible page) since the last fork or
 * exit in the system (which may collapse backing chains and drop ptes),
 * NO only where no pte can exist, MAYBE otherwise; a MAYBE page's read
 * may succeed or fault with SEGV_ACCERR, and the outcome is learned.
 *
 * What is compared:
 *   - return value / errno of every call, in the documented check order;
 *   - the address mmap returns (fixed, tryfixed and the first-fit search
 *     from vm_map_hint, with 2 MiB and MAP_SIZEALIGN alignment and the
 *     stack reserve treated as occupied);
 *   - signal, code and address of every faulting access;
 *   - every byte read (except unknown bytes, which are learned), and that
 *     a faulting store or copyout changed nothing;
 *   - the old value of cas / fetch-add;
 *   - sbrk's old break, the pid table's liveness (ESRCH on exited pids);
 *   - mincore: 0 for every unmapped page; MINCORE_INCORE for every page
 *     with a known pte (the process wrote or read it since the last event
 *     that could remove the pte); MINCORE_SUPER never.  Other bits are not
 *     compared: REFERENCED/MODIFIED depend on the pmap's A/M bits, which
 *     DONTNEED/FREE/fork clear or fold in ways the model does not follow,
 *     and INCORE of a page the process has not touched depends on
 *     prefaulting and on other processes sharing the object.
 *   - at the end (all processes exited): flyvm_audit() == 0 and the free
 *     page count equals its value before the first spawn.
 *
 * What the generator avoids (the model would have to follow more of the
 * VM than is worth it; each is a documented restriction, not a bug):
 *   - the stack: no map-changing call touches [FLYVM_USER_MAX - 512 MiB,
 *     FLYVM_USER_MAX) and accesses stay inside the mapped top 128 KiB
 *     (growth is not modelled); placement treats the reserve as occupied;
 *   - INHERIT_COPY on a page shared with another live process (the
 *     copies would keep seeing the sharers' later writes through the
 *     backing object until written, except where a prefault zero-filled
 *     them: not a snapshot);
 *   - mlock sizes between 1 MiB and vm.max_wired pages (whether EAGAIN
 *     happens depends on every wired page in the system);
 *   - mprotect over mlocked pages: DragonFly's refusal of write faults
 *     on user-wired copy-on-write entries needs pte write permission the
 *     model does not follow (see gen_acceptable);
 *
 * Threads (test model_threads, --threads): each process gets N host
 * threads, each owning a 1 MiB region with unmapped guards (wider than
 * the prefault window) and its own model of it; they run at once and each
 * compares its own results.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <flyvm/flyvm.h>

#include "harness.h"

#define PG		((uint64_t)4096)
#define PGMASK		(PG - 1)
#define UMAX		((uint64_t)FLYVM_USER_MAX)
#define DADDR		0x400000ULL		/* USRTEXT: data segment */
#define STACK_LO	(UMAX - (512ULL << 20))	/* stack reserve */
#define STACK_MAPPED	(UMAX - (128ULL << 10))	/* mapped top */
#define SEG		(2ULL << 20)
#define MAXPROCS	16
#define MAXDEAD		64
#define PROC_PAGES_MAX	24000		/* model pages per process */
#define COPY_MAX	(64 * 1024)
#define PROT_ALL	7
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define RND_PAGE(x)	(((x) + PGMASK) & ~PGMASK)	/* wraps, as DragonFly */
#define TRUNC_PAGE(x)	((x) & ~PGMASK)

enum { PTE_NO, PTE_MAYBE, PTE_YES };

/************************************************************************
 *				The model
 ************************************************************************/

struct mbuf {
	int		refs;
	uint8_t		*unk;		/* per byte: unknown (NULL: none) */
	uint8_t		data[PG];
};

struct mcell {				/* a page shared by several maps */
	int		refs;
	struct mbuf	*buf;
};

struct mpage {
	uint64_t	vpn;
	struct mbuf	*buf;		/* private contents (cell == NULL) */
	struct mcell	*cell;
	uint8_t		prot, maxprot, inherit, wired, pte;
	uint8_t		cowed;		/* forked INHERIT_COPY (NEEDS_COPY) */
};

struct mproc {
	int		alive;
	flyvm_pid_t	pid;
	uint32_t	uid;
	struct mpage	*pg;
	size_t		npg, cap;
	uint64_t	dsize;		/* bytes of data segment */
	int64_t		rl[2][2];	/* [RL_DATA, RL_MEMLOCK][cur, max] */
};
#define RL_DATA		0
#define RL_MEMLOCK	1

struct model {
	struct mproc	procs[MAXPROCS];
	flyvm_pid_t	dead[MAXDEAD];
	int		ndead;
	int		threaded;	/* one proc view of a thread's region */
	uint64_t	reg_lo, reg_hi;	/* threaded: the region */
	int64_t		max_wired;	/* vm.max_wired, pages */
	int		prefault;	/* pages each side a fault may map */
	int64_t		ml_cur, ml_max;	/* spawn's RLIMIT_MEMLOCK */
};

static struct mbuf *
buf_new(void)
{
	struct mbuf *b = calloc(1, sizeof(*b));

	if (b == NULL)
		abort();
	b->refs = 1;
	return (b);
}

static void
buf_unref(struct mbuf *b)
{
	if (b != NULL && --b->refs == 0) {
		free(b->unk);
		free(b);
	}
}

static struct mbuf *
buf_ref(struct mbuf *b)
{
	if (b != NULL)
		b->refs++;
	return (b);
}

static void
cell_unref(struct mcell *c)
{
	if (c != NULL && --c->refs == 0) {
		buf_unref(c->buf);
		free(c);
	}
}

static void
page_release(struct mpage *p)
{
	buf_unref(p->buf);
	cell_unref(p->cell);
	p->buf = NULL;
	p->cell = NULL;
}

/* The buffer holding p's contents (NULL: zeros). */
static struct mbuf **
page_bufp(struct mpage *p)
{
	return (p->cell != NULL ? &p->cell->buf : &p->buf);
}

/* p's buffer, private to it (or to its cell): copy on write. */
static struct mbuf *
page_wbuf(struct mpage *p)
{
	struct mbuf **bp = page_bufp(p), *nb;

	if (*bp == NULL) {
		*bp = buf_new();
	} else if ((*bp)->refs > 1) {
		nb = buf_new();
		memcpy(nb->data, (*bp)->data, PG);
		if ((*bp)->unk != NULL) {
			nb->unk = malloc(PG);
			memcpy(nb->unk, (*bp)->unk, PG);
		}
		buf_unref(*bp);
		*bp = nb;
	}
	return (*bp);
}

/* Byte off of p into *v; FALSE if unknown. */
static int
page_byte(struct mpage *p, unsigned off, uint8_t *v)
{
	struct mbuf *b = *page_bufp(p);

	if (b == NULL) {
		*v = 0;
		return (1);
	}
	*v = b->data[off];
	return (b->unk == NULL || b->unk[off] == 0);
}

/* Set (write or learn) byte off of p. */
static void
page_set(struct mpage *p, unsigned off, uint8_t v, int learn)
{
	struct mbuf *b = learn ? *page_bufp(p) : page_wbuf(p);

	b->data[off] = v;
	if (b->unk != NULL)
		b->unk[off] = 0;
}

static void
page_forget(struct mpage *p)
{
	struct mbuf *b;

	if (*page_bufp(p) == NULL)
		return;			/* never written: stays zeros */
	b = page_wbuf(p);
	if (b->unk == NULL)
		b->unk = malloc(PG);
	memset(b->unk, 1, PG);
}

/* Index of the first page with vpn >= vpn. */
static size_t
pg_lower(const struct mproc *m, uint64_t vpn)
{
	size_t lo = 0, hi = m->npg, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (m->pg[mid].vpn < vpn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

static struct mpage *
pg_find(struct mproc *m, uint64_t vpn)
{
	size_t i = pg_lower(m, vpn);

	return (i < m->npg && m->pg[i].vpn == vpn ? &m->pg[i] : NULL);
}

/* Pages with vpn in [lo, hi): [*ip, *jp). */
static void
pg_span(const struct mproc *m, uint64_t lo, uint64_t hi, size_t *ip,
    size_t *jp)
{
	*ip = pg_lower(m, lo);
	*jp = hi <= lo ? *ip : pg_lower(m, hi);
}

static void
pg_remove(struct mproc *m, uint64_t lo, uint64_t hi)
{
	size_t i, j, k;

	pg_span(m, lo, hi, &i, &j);
	for (k = i; k < j; k++)
		page_release(&m->pg[k]);
	memmove(&m->pg[i], &m->pg[j], (m->npg - j) * sizeof(m->pg[0]));
	m->npg -= j - i;
}

/* Insert fresh pages [lo, hi) (none there); returns the first. */
static struct mpage *
pg_insert(struct mproc *m, uint64_t lo, uint64_t hi, int prot, int inherit)
{
	size_t i, n = hi - lo, k;

	if (m->npg + n > m->cap) {
		m->cap = (m->npg + n) * 2 + 64;
		m->pg = realloc(m->pg, m->cap * sizeof(m->pg[0]));
		if (m->pg == NULL)
			abort();
	}
	i = pg_lower(m, lo);
	memmove(&m->pg[i + n], &m->pg[i], (m->npg - i) * sizeof(m->pg[0]));
	for (k = 0; k < n; k++) {
		memset(&m->pg[i + k], 0, sizeof(m->pg[0]));
		m->pg[i + k].vpn = lo + k;
		m->pg[i + k].prot = (uint8_t)prot;
		m->pg[i + k].maxprot = PROT_ALL;
		m->pg[i + k].inherit = (uint8_t)inherit;
	}
	m->npg += n;
	return (&m->pg[i]);
}

static size_t
pg_count(const struct mproc *m, uint64_t lo, uint64_t hi)
{
	size_t i, j;

	pg_span(m, lo, hi, &i, &j);
	return (j - i);
}

static void
mproc_clear(struct mproc *m)
{
	size_t k;

	for (k = 0; k < m->npg; k++)
		page_release(&m->pg[k]);
	free(m->pg);
	memset(m, 0, sizeof(*m));
}

static void
model_free(struct model *md)
{
	int i;

	for (i = 0; i < MAXPROCS; i++)
		mproc_clear(&md->procs[i]);
}

static struct mproc *
model_pid(struct model *md, flyvm_pid_t pid)
{
	int i;

	for (i = 0; i < MAXPROCS; i++)
		if (md->procs[i].alive && md->procs[i].pid == pid)
			return (&md->procs[i]);
	return (NULL);
}

static int
model_nalive(const struct model *md)
{
	int i, n = 0;

	for (i = 0; i < MAXPROCS; i++)
		n += md->procs[i].alive;
	return (n);
}

/* A page a process may touch without the model losing track of it. */
static int
in_stack(uint64_t lo, uint64_t hi)
{
	return (hi > STACK_LO && lo < UMAX);
}

/* The pages of a fresh exec-style process: the mapped stack top. */
static void
mproc_spawn(struct model *md, struct mproc *m, flyvm_pid_t pid, uint32_t uid)
{
	memset(m, 0, sizeof(*m));
	m->alive = 1;
	m->pid = pid;
	m->uid = uid;
	m->rl[RL_DATA][0] = 128LL << 20;
	m->rl[RL_DATA][1] = 32LL << 30;
	m->rl[RL_MEMLOCK][0] = md->ml_cur;
	m->rl[RL_MEMLOCK][1] = md->ml_max;
	pg_insert(m, STACK_MAPPED / PG, UMAX / PG, PROT_ALL,
	    FLYVM_INHERIT_COPY);
}

/*
 * Fork: each page by its inheritance (vmspace_fork).  SHARE pages become
 * cells; COPY pages are snapshots (private buffer shared until written);
 * a wired COPY page stays where it is in the parent and is copied (and
 * mapped) in the child at once.
 */
static void
mproc_fork(struct model *md, struct mproc *par, struct mproc *ch,
    flyvm_pid_t pid)
{
	struct mpage *p, *c;
	size_t k;

	memset(ch, 0, sizeof(*ch));
	ch->alive = 1;
	ch->pid = pid;
	ch->uid = par->uid;
	ch->dsize = par->dsize;
	memcpy(ch->rl, par->rl, sizeof(ch->rl));
	for (k = 0; k < par->npg; k++) {
		p = &par->pg[k];
		if (p->inherit == FLYVM_INHERIT_NONE)
			continue;
		c = pg_insert(ch, p->vpn, p->vpn + 1, p->prot, p->inherit);
		p = &par->pg[k];	/* no realloc of par, but be plain */
		c->maxprot = p->maxprot;
		c->pte = PTE_NO;
		if (p->inherit == FLYVM_INHERIT_SHARE) {
			if (p->cell == NULL) {
				p->cell = calloc(1, sizeof(*p->cell));
				if (p->cell == NULL)
					abort();
				p->cell->refs = 1;
				p->cell->buf = p->buf;
				p->buf = NULL;
			}
			p->cell->refs++;
			c->cell = p->cell;
			continue;
		}
		c->buf = buf_ref(*page_bufp(p));
		if (p->wired) {
			c->pte = PTE_MAYBE;
			continue;
		}
		p->cowed = c->cowed = 1;
		if (p->cell != NULL) {
			p->buf = buf_ref(p->cell->buf);
			cell_unref(p->cell);
			p->cell = NULL;
		}
		if ((p->prot & (FLYVM_PROT_READ | FLYVM_PROT_EXEC)) == 0 &&
		    p->pte != PTE_NO)
			p->pte = PTE_MAYBE;
	}
	(void)md;
}

/*
 * Address placement (vm_map_hint + vm_map_findspace, facts 1.4): first
 * fit at or above start with the given alignment; entries and the stack
 * reserve are occupied.
 */
static uint64_t
model_hint(struct mproc *m, uint64_t addr)
{
	uint64_t dend = DADDR + (uint64_t)m->rl[RL_DATA][0];

	if (addr == 0 || (addr >= DADDR && addr < RND_PAGE(dend)))
		addr = RND_PAGE(dend);
	return (RND_PAGE(addr));
}

static int
model_findspace(struct mproc *m, uint64_t start, uint64_t len, uint64_t align,
    uint64_t *out)
{
	size_t i;
	uint64_t end;

	for (;;) {
		if (start + (align - 1) < start)
			return (ENOMEM);
		start = (start + align - 1) & ~(align - 1);
		end = start + len;
		if (end < start || end > UMAX)
			return (ENOMEM);
		if (end > STACK_LO) {
			start = UMAX;
			continue;
		}
		i = pg_lower(m, start / PG);
		if (i < m->npg && m->pg[i].vpn < end / PG) {
			while (i + 1 < m->npg &&
			    m->pg[i + 1].vpn == m->pg[i].vpn + 1)
				i++;
			start = (m->pg[i].vpn + 1) * PG;
			continue;
		}
		*out = start;
		return (0);
	}
}

/* The wired pages of a process (its pmap's wired count). */
static uint64_t
mproc_wired(const struct mproc *m)
{
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < m->npg; k++)
		n += m->pg[k].wired;
	return (n);
}

/* Prefault: a fault at vpn may map neighbours of the same entry. */
static void
model_prefault(struct model *md, struct mproc *m, uint64_t lo, uint64_t hi)
{
	uint64_t a = lo > (uint64_t)md->prefault ? lo - md->prefault : 0;
	uint64_t b = hi + md->prefault;
	size_t i, j;

	pg_span(m, a, b, &i, &j);
	for (; i < j; i++)
		if (m->pg[i].pte == PTE_NO)
			m->pg[i].pte = PTE_MAYBE;
}

/************************************************************************
 *				Operations
 ************************************************************************/

enum {
	OP_SPAWN, OP_FORK, OP_EXIT, OP_MMAP, OP_MUNMAP, OP_MPROTECT,
	OP_MINHERIT, OP_MADVISE, OP_MINCORE, OP_MLOCK, OP_MUNLOCK, OP_BRK,
	OP_SBRK, OP_SETRLIMIT, OP_LOAD, OP_STORE, OP_COPYIN, OP_COPYOUT,
	OP_CAS, OP_FETCHADD, OP_NKINDS
};

static const char *const op_names[OP_NKINDS] = {
	"proc_spawn", "proc_fork", "proc_exit", "mmap", "munmap", "mprotect",
	"minherit", "madvise", "mincore", "mlock", "munlock", "brk", "sbrk",
	"setrlimit", "load", "store", "copyin", "copyout", "cas", "fetchadd",
};

/* Which calls the library has (see enable_all). */
static int op_enabled[OP_NKINDS];
/* MODEL_TRACE set: print every op before it runs. */
static int model_trace;
/* MODEL_STATS set: count successes and errors of each kind, and print. */
static long model_stats[OP_NKINDS][2];
/* MODEL_TRACE_THREAD=i: print the ops of thread i of run_threads. */
static int model_trace_thread = -1;
/* The op a run is at, in memory its parent can read if it crashes. */
static volatile long *model_progress;
/* The kind of a divergence that is a crash (a panic). */
#define KIND_CRASH	OP_NKINDS
/* The kind of a divergence found after the last op (audit, free pages). */
#define KIND_END	(OP_NKINDS + 1)

struct op {
	int		kind;
	int		slot;		/* process slot; -1: pid is literal */
	int		slot2;		/* spawn/fork: the new slot */
	flyvm_pid_t	pid;		/* literal pid (slot < 0) */
	uint64_t	addr, len, val, val2;
	int64_t		pos;
	int		prot, flags, fd, size;
	int		nullout;	/* pass NULL for the out-parameter */
	int		nosi;		/* pass NULL siginfo */
	uint32_t	dseed;		/* bytes of a store or copyout */
};

struct ctx {
	struct flyvm	*vm;
	struct model	*md;
	int		stats;		/* count results in model_stats */
	int		trace;		/* print each result */
	int		quiet;
	int		diverged;
	long		idx;		/* index of the running op */
	char		msg[1024];
};

static void
op_format(const struct op *o, const struct model *md, char *buf, size_t n)
{
	char who[32];

	if (o->slot >= 0)
		snprintf(who, sizeof(who), "P%d", o->slot);
	else
		snprintf(who, sizeof(who), "pid %d", (int)o->pid);
	switch (o->kind) {
	case OP_SPAWN:
		snprintf(buf, n, "P%d = proc_spawn(uid %u)", o->slot2,
		    (unsigned)o->val);
		break;
	case OP_FORK:
		snprintf(buf, n, "P%d = proc_fork(%s)", o->slot2, who);
		break;
	case OP_EXIT:
		snprintf(buf, n, "proc_exit(%s)", who);
		break;
	case OP_MMAP:
		snprintf(buf, n, "mmap(%s, 0x%" PRIx64 ", 0x%" PRIx64
		    ", prot 0x%x, flags 0x%x, fd %d, pos %" PRId64 "%s)", who,
		    o->addr, o->len, o->prot, o->flags, o->fd, o->pos,
		    o->nullout ? ", NULL" : "");
		break;
	case OP_MINCORE:
		snprintf(buf, n, "mincore(%s, 0x%" PRIx64 ", 0x%" PRIx64
		    ", vec %s, veclen %" PRIu64 ")", who, o->addr, o->len,
		    o->nullout ? "NULL" : "buf", o->val);
		break;
	case OP_MUNMAP: case OP_MPROTECT: case OP_MINHERIT: case OP_MADVISE:
	case OP_MLOCK: case OP_MUNLOCK:
		snprintf(buf, n, "%s(%s, 0x%" PRIx64 ", 0x%" PRIx64 ", %d)",
		    op_names[o->kind], who, o->addr, o->len, o->prot);
		break;
	case OP_BRK:
		snprintf(buf, n, "brk(%s, 0x%" PRIx64 ")", who, o->addr);
		break;
	case OP_SBRK:
		snprintf(buf, n, "sbrk(%s, %" PRId64 "%s)", who,
		    (int64_t)o->val, o->nullout ? ", NULL" : "");
		break;
	case OP_SETRLIMIT:
		snprintf(buf, n, "setrlimit(%s, %d, {%" PRId64 ", %" PRId64
		    "})", who, o->prot, (int64_t)o->val, (int64_t)o->val2);
		break;
	case OP_LOAD:
		snprintf(buf, n, "load(%s, 0x%" PRIx64 ", %d%s)", who,
		    o->addr, o->size, o->nullout ? ", NULL" : "");
		break;
	case OP_STORE:
		snprintf(buf, n, "store(%s, 0x%" PRIx64 ", %d, 0x%" PRIx64 ")",
		    who, o->addr, o->size, o->val);
		break;
	case OP_COPYIN: case OP_COPYOUT:
		snprintf(buf, n, "%s(%s, 0x%" PRIx64 ", len 0x%" PRIx64 "%s)",
		    op_names[o->kind], who, o->addr, o->len,
		    o->nullout ? ", NULL buf" : "");
		break;
	case OP_CAS:
		snprintf(buf, n, "cas(%s, 0x%" PRIx64 ", %d, 0x%" PRIx64
		    ", 0x%" PRIx64 "%s)", who, o->addr, o->size, o->val,
		    o->val2, o->nullout ? ", NULL" : "");
		break;
	case OP_FETCHADD:
		snprintf(buf, n, "fetchadd(%s, 0x%" PRIx64 ", %d, 0x%" PRIx64
		    "%s)", who, o->addr, o->size, o->val,
		    o->nullout ? ", NULL" : "");
		break;
	default:
		snprintf(buf, n, "op %d", o->kind);
	}
	(void)md;
}

static void
diverge(struct ctx *c, const struct op *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
diverge(struct ctx *c, const struct op *o, const char *fmt, ...)
{
	char desc[256];
	va_list ap;
	int n;

	if (c->diverged)
		return;
	c->diverged = 1;
	op_format(o, c->md, desc, sizeof(desc));
	n = snprintf(c->msg, sizeof(c->msg), "op %ld %s: ", c->idx, desc);
	va_start(ap, fmt);
	vsnprintf(c->msg + n, sizeof(c->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (!c->quiet)
		fprintf(stderr, "DIVERGENCE %s\n", c->msg);
}

/* Compare an errno; TRUE if equal (else the op has diverged). */
static int
check_err(struct ctx *c, const struct op *o, int got, int want)
{
	if (c->stats)
		model_stats[o->kind][got != 0]++;
	if (c->trace)
		fprintf(stderr, "    -> %d (model %d)\n", got, want);
	if (got == want)
		return (1);
	diverge(c, o, "returned %d, model says %d", got, want);
	return (0);
}

/* The bytes a store or copyout writes. */
static void
op_data(const struct op *o, uint8_t *buf, size_t len)
{
	uint64_t s = o->dseed * 0x9E3779B97F4A7C15ULL + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		buf[i] = (uint8_t)s;
	}
}

/*
 * The common range normalisation of munmap, mprotect, minherit, mlock
 * and munlock (facts 1.2).  EINVAL on a wrap; else the pages in *lop and *hip.
 */
static int
norm_range(uint64_t addr, uint64_t len, uint64_t *lop, uint64_t *hip)
{
	uint64_t off = addr & PGMASK, a = addr - off, size;

	size = RND_PAGE(len + off);
	if (size < len)
		return (EINVAL);
	if (a + size < a)
		return (EINVAL);
	*lop = a / PG;
	*hip = (a + size) / PG;
	return (0);
}

/* The process check and range normalisation of a range call. */
static int
model_range(struct mproc *m, const struct op *o, uint64_t *lop,
    uint64_t *hip)
{
	if (m == NULL)
		return (ESRCH);
	return (norm_range(o->addr, o->len, lop, hip) != 0 ? EINVAL : 0);
}

/************************************************************************
 *			Memory access in the model
 ************************************************************************/

#define ACC_OK		0
#define ACC_MAPERR	1
#define ACC_ACCERR	2
#define ACC_MAYBE	3

static int
acc_page(struct mproc *m, uint64_t vpn, int write)
{
	struct mpage *p = pg_find(m, vpn);

	if (p == NULL)
		return (ACC_MAPERR);
	if (write)
		return ((p->prot & FLYVM_PROT_WRITE) ? ACC_OK : ACC_ACCERR);
	if (p->prot & FLYVM_PROT_READ)
		return (ACC_OK);
	if (p->pte == PTE_YES)
		return (ACC_OK);
	return (p->pte == PTE_MAYBE ? ACC_MAYBE : ACC_ACCERR);
}

/*
 * The outcomes an access of [addr, addr + len) may have: a fault at one
 * of the MAYBE pages, or the definite end (success, or the first certain
 * fault).
 */
struct acc_out {
	int		n;
	int		code[24];	/* 0: success, else SEGV_* */
	uint64_t	addr[24];
};

static void
acc_outcomes(struct mproc *m, uint64_t addr, uint64_t len, int write,
    struct acc_out *ao)
{
	uint64_t a = addr, end, pend;
	int st;

	ao->n = 0;
	if (addr >= UMAX) {
		ao->code[ao->n] = FLYVM_SEGV_MAPERR;
		ao->addr[ao->n++] = addr;
		return;
	}
	if (len > UMAX - addr) {
		/* pmap_user_check: reported at the end of user space. */
		ao->code[ao->n] = FLYVM_SEGV_MAPERR;
		ao->addr[ao->n++] = UMAX;
		return;
	}
	end = addr + len;
	while (a < end) {
		pend = TRUNC_PAGE(a) + PG;
		st = acc_page(m, a / PG, write);
		if (st == ACC_MAPERR || st == ACC_ACCERR) {
			ao->code[ao->n] = st == ACC_MAPERR ? FLYVM_SEGV_MAPERR :
			    FLYVM_SEGV_ACCERR;
			ao->addr[ao->n++] = a;
			return;
		}
		if (st == ACC_MAYBE && ao->n < 23) {
			ao->code[ao->n] = FLYVM_SEGV_ACCERR;
			ao->addr[ao->n++] = a;
		}
		a = pend;
	}
	ao->code[ao->n] = 0;
	ao->addr[ao->n++] = 0;
}

/*
 * Learn from the outcome of an access that reached `upto' (the fault
 * address, or the end): after a success every page has a pte; after a
 * fault the pages before may have one; the faulting MAYBE page of a read
 * has none.
 */
static void
acc_learn(struct model *md, struct mproc *m, uint64_t addr, uint64_t upto,
    int write, int ok, int faultcode)
{
	uint64_t vpn, lo = addr / PG, hi;
	struct mpage *p;

	hi = upto > addr ? (upto - 1) / PG + 1 : lo;
	if (hi > UMAX / PG)
		hi = UMAX / PG;
	if (lo >= UMAX / PG)
		return;
	model_prefault(md, m, lo, hi + 1);
	for (vpn = lo; vpn < hi; vpn++) {
		p = pg_find(m, vpn);
		if (p == NULL)
			continue;
		/*
		 * A failed access may have touched nothing before the fault
		 * (an access crossing the end of user space faults there
		 * first).
		 */
		if (ok)
			p->pte = PTE_YES;
		else if (p->pte == PTE_NO)
			p->pte = PTE_MAYBE;
	}
	if (!ok && faultcode == FLYVM_SEGV_ACCERR && !write &&
	    (p = pg_find(m, upto / PG)) != NULL && p->pte == PTE_MAYBE)
		p->pte = PTE_NO;
}

/*
 * Compare a flyvm access result with the outcomes; on a match learn from
 * it and return TRUE.  *okp: the access completed.
 */
static int
acc_match(struct ctx *c, const struct op *o, struct mproc *m, int write,
    int err, const struct flyvm_siginfo *si, const struct acc_out *ao,
    int *okp)
{
	struct mpage *p;
	char st[64];
	int i;

	*okp = 0;
	if (c->stats)
		model_stats[o->kind][err != 0]++;
	if (c->trace)
		fprintf(stderr, "    -> %d sig %d code %d addr 0x%" PRIx64
		    " (%d outcomes)\n", err, o->nosi ? 0 : si->signo,
		    o->nosi ? 0 : si->code, o->nosi ? 0 : si->addr, ao->n);
	for (i = 0; i < ao->n; i++) {
		if (ao->code[i] == 0 && err == 0) {
			acc_learn(c->md, m, o->addr, o->addr + o->len, write, 1,
			    0);
			*okp = 1;
			return (1);
		}
		if (ao->code[i] != 0 && err == EFAULT && !o->nosi &&
		    si->signo == FLYVM_SIGSEGV && si->code == ao->code[i] &&
		    si->addr == ao->addr[i]) {
			acc_learn(c->md, m, o->addr, ao->addr[i], write, 0,
			    ao->code[i]);
			return (1);
		}
	}
	/* No siginfo: any fault outcome will do, and nothing is learned. */
	for (i = ao->n - 1; i >= 0 && o->nosi && err == EFAULT; i--) {
		if (ao->code[i] != 0) {
			acc_learn(c->md, m, o->addr, ao->addr[i] + 1, write, 0,
			    0);
			return (1);
		}
	}
	if ((p = pg_find(m, o->addr / PG)) != NULL)
		snprintf(st, sizeof(st), " [page prot %d pte %d wired %d]",
		    p->prot, p->pte, p->wired);
	else
		snprintf(st, sizeof(st), " [page unmapped]");
	if (err == EFAULT && !o->nosi)
		diverge(c, o, "EFAULT sig %d code %d addr 0x%" PRIx64
		    "; model: %s code %d addr 0x%" PRIx64 " (%d outcomes)%s",
		    si->signo, si->code, si->addr,
		    ao->code[ao->n - 1] ? "fault" : "success",
		    ao->code[ao->n - 1], ao->addr[ao->n - 1], ao->n, st);
	else
		diverge(c, o, "returned %d; model: %s code %d addr 0x%" PRIx64
		    " (%d outcomes)%s", err,
		    ao->code[ao->n - 1] ? "fault" : "success",
		    ao->code[ao->n - 1], ao->addr[ao->n - 1], ao->n, st);
	return (0);
}

/* Compare bytes read at addr with the model (learning unknown ones). */
static void
read_compare(struct ctx *c, const struct op *o, struct mproc *m,
    uint64_t addr, const uint8_t *got, size_t len)
{
	struct mpage *p;
	uint8_t v;
	size_t i;

	for (i = 0; i < len; i++) {
		p = pg_find(m, (addr + i) / PG);
		if (p == NULL)
			continue;	/* a MAYBE-passed page cannot be absent */
		if (!page_byte(p, (unsigned)((addr + i) & PGMASK), &v)) {
			page_set(p, (unsigned)((addr + i) & PGMASK), got[i], 1);
			continue;
		}
		if (v != got[i]) {
			diverge(c, o, "byte at 0x%" PRIx64 " is 0x%02x, model "
			    "says 0x%02x", addr + i, got[i], v);
			return;
		}
	}
}

/* Read len bytes of the model at addr (unknown bytes: *unkp set). */
static void
model_read(struct mproc *m, uint64_t addr, uint8_t *buf, size_t len,
    int *unkp)
{
	struct mpage *p;
	size_t i;

	*unkp = 0;
	for (i = 0; i < len; i++) {
		p = pg_find(m, (addr + i) / PG);
		buf[i] = 0;
		if (p != NULL &&
		    !page_byte(p, (unsigned)((addr + i) & PGMASK), &buf[i]))
			*unkp = 1;
	}
}

static void
model_write(struct mproc *m, uint64_t addr, const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		page_set(pg_find(m, (addr + i) / PG),
		    (unsigned)((addr + i) & PGMASK), buf[i], 0);
}

static uint64_t
le_get(const uint8_t *b, int size)
{
	uint64_t v = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		v = (v << 8) | b[i];
	return (v);
}

static void
le_put(uint8_t *b, int size, uint64_t v)
{
	int i;

	for (i = 0; i < size; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

/************************************************************************
 *		Each call on flyvm and on the model
 ************************************************************************/

/* The process an op names; FALSE: skip the op (its slot is empty). */
static int
op_proc(struct ctx *c, const struct op *o, struct mproc **mp,
    flyvm_pid_t *pidp)
{
	if (o->slot >= 0) {
		if (!c->md->procs[o->slot].alive)
			return (0);
		*mp = &c->md->procs[o->slot];
		*pidp = (*mp)->pid;
		return (1);
	}
	*pidp = o->pid;
	*mp = model_pid(c->md, o->pid);
	return (1);
}

/*
 * A fork or an exit may collapse backing chains, moving pages between
 * objects and dropping the ptes that mapped them: no pte is certain
 * afterwards.
 */
static void
model_ptes_uncertain(struct model *md)
{
	size_t k;
	int i;

	for (i = 0; i < MAXPROCS; i++)
		for (k = 0; k < md->procs[i].npg; k++)
			if (md->procs[i].pg[k].pte == PTE_YES)
				md->procs[i].pg[k].pte = PTE_MAYBE;
}

static void
model_bury(struct model *md, struct mproc *m)
{
	model_ptes_uncertain(md);
	if (md->ndead < MAXDEAD)
		md->dead[md->ndead++] = m->pid;
	else
		md->dead[(unsigned)m->pid % MAXDEAD] = m->pid;
	mproc_clear(m);
}

/* After a spawn: the default limits are the model's. */
static void
spawn_limits(struct ctx *c, const struct op *o, struct mproc *m)
{
	struct flyvm_rlimit rl;
	int err;

	err = flyvm_getrlimit(c->vm, m->pid, FLYVM_RLIMIT_DATA, &rl);
	if (!check_err(c, o, err, 0))
		return;
	if (rl.rlim_cur != m->rl[RL_DATA][0] ||
	    rl.rlim_max != m->rl[RL_DATA][1])
		diverge(c, o, "RLIMIT_DATA {%" PRId64 ", %" PRId64 "}",
		    rl.rlim_cur, rl.rlim_max);
	err = flyvm_getrlimit(c->vm, m->pid, FLYVM_RLIMIT_MEMLOCK, &rl);
	if (!check_err(c, o, err, 0))
		return;
	/* ptoa(free pages at boot) / 3: taken from flyvm, once. */
	if (c->md->ml_max == 0) {
		c->md->ml_cur = rl.rlim_cur;
		c->md->ml_max = rl.rlim_max;
		m->rl[RL_MEMLOCK][0] = rl.rlim_cur;
		m->rl[RL_MEMLOCK][1] = rl.rlim_max;
	}
	if (rl.rlim_cur != c->md->ml_cur || rl.rlim_max != c->md->ml_max)
		diverge(c, o, "RLIMIT_MEMLOCK changed between spawns");
}

static void
exec_spawn(struct ctx *c, const struct op *o, struct mproc *unused,
    flyvm_pid_t unused_pid)
{
	flyvm_pid_t pid = -1;
	struct mproc *m = &c->md->procs[o->slot2];
	int err;

	if (m->alive)
		return;
	err = flyvm_proc_spawn(c->vm, (uint32_t)o->val,
	    o->nullout ? NULL : &pid);
	if (!check_err(c, o, err, o->nullout ? EFAULT : 0) || o->nullout)
		return;
	if (pid <= 0 || model_pid(c->md, pid) != NULL) {
		diverge(c, o, "spawn gave pid %d", (int)pid);
		return;
	}
	mproc_spawn(c->md, m, pid, (uint32_t)o->val);
	spawn_limits(c, o, m);
}

static void
exec_fork(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct mproc *ch = &c->md->procs[o->slot2];
	flyvm_pid_t cpid = -1;
	int err, want;

	if (ch->alive)
		return;
	err = flyvm_proc_fork(c->vm, pid, o->nullout ? NULL : &cpid);
	want = m == NULL ? ESRCH : o->nullout ? EFAULT : 0;
	if (!check_err(c, o, err, want) || want != 0)
		return;
	if (cpid <= 0 || model_pid(c->md, cpid) != NULL) {
		diverge(c, o, "fork gave pid %d", (int)cpid);
		return;
	}
	model_ptes_uncertain(c->md);
	mproc_fork(c->md, m, ch, cpid);
}

static void
exec_exit(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	int err;

	err = flyvm_proc_exit(c->vm, pid, (int)o->val);
	if (check_err(c, o, err, m == NULL ? ESRCH : 0) && m != NULL)
		model_bury(c->md, m);
}

/* mmap on the model (facts 1.3, 1.4); on success *addrp. */
static int
model_mmap(struct mproc *m, const struct op *o, uint64_t *addrp)
{
	int flags = o->flags, prot = o->prot;
	int64_t pos = o->pos;
	uint64_t addr = o->addr, size, pageoff, align, lo, hi;

	if (m == NULL)
		return (ESRCH);
	if (o->nullout)
		return (EFAULT);
	if (flags & FLYVM_MAP_STACK) {
		if (o->fd != -1 || (prot & (FLYVM_PROT_READ |
		    FLYVM_PROT_WRITE)) != (FLYVM_PROT_READ | FLYVM_PROT_WRITE))
			return (EINVAL);
		flags = (flags & ~FLYVM_MAP_STACK) | FLYVM_MAP_ANON;
		pos = 0;
	}
	prot &= PROT_ALL;
	if ((flags & FLYVM_MAP_ANON) && (o->fd != -1 || pos != 0))
		return (EINVAL);
	if (o->len == 0)
		return (EINVAL);
	if (flags & FLYVM_MAP_VPAGETABLE)
		return (EOPNOTSUPP);
	pageoff = (uint64_t)pos & PGMASK;
	size = RND_PAGE(o->len + pageoff);
	if (size < o->len)
		return (EINVAL);
	if (flags & (FLYVM_MAP_FIXED | FLYVM_MAP_TRYFIXED)) {
		addr -= pageoff;
		if ((addr & PGMASK) != 0 || addr + size < addr ||
		    addr + size > UMAX)
			return (EINVAL);
	} else {
		addr = model_hint(m, addr);
	}
	if ((flags & FLYVM_MAP_ANON) == 0)
		return (EBADF);
	/* vm_mmap: RLIMIT_AS (infinite) and its overflow check. */
	if (m->npg * PG + size < size)
		return (ENOMEM);
	if (flags & FLYVM_MAP_SIZEALIGN) {
		if ((size & (size - 1)) != 0)
			return (EINVAL);
		align = size;
	} else if ((flags & FLYVM_MAP_FIXED) == 0 &&
	    ((size & (SEG - 1)) == 0 || size > 16 * SEG)) {
		align = SEG;
	} else {
		align = PG;
	}
	if ((flags & (FLYVM_MAP_FIXED | FLYVM_MAP_TRYFIXED)) == 0) {
		if (model_findspace(m, addr, size, align, &addr) != 0)
			return (ENOMEM);
	} else if ((flags & FLYVM_MAP_FIXED) == 0 &&
	    pg_count(m, addr / PG, (addr + size) / PG) != 0) {
		return (ENOMEM);
	}
	lo = addr / PG;
	hi = (addr + size) / PG;
	pg_remove(m, lo, hi);
	pg_insert(m, lo, hi, prot, (flags & (FLYVM_MAP_SHARED |
	    FLYVM_MAP_INHERIT)) ? FLYVM_INHERIT_SHARE : FLYVM_INHERIT_COPY);
	*addrp = addr + pageoff;
	return (0);
}

static void
exec_mmap(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	uint64_t got = 0xdeadbeef, want_addr = 0;
	int err, want;

	err = flyvm_mmap(c->vm, pid, o->addr, o->len, o->prot, o->flags,
	    o->fd, o->pos, o->nullout ? NULL : &got);
	want = model_mmap(m, o, &want_addr);
	if (c->trace && err == 0)
		fprintf(stderr, "    at 0x%" PRIx64 " (model 0x%" PRIx64 ")\n",
		    got, want_addr);
	if (check_err(c, o, err, want) && want == 0 && got != want_addr)
		diverge(c, o, "mapped at 0x%" PRIx64 ", model says 0x%" PRIx64,
		    got, want_addr);
}

static int
model_munmap(struct mproc *m, const struct op *o)
{
	uint64_t lo, hi;
	int err;

	if ((err = model_range(m, o, &lo, &hi)) != 0)
		return (err);
	if (lo == hi)
		return (0);
	if (hi > UMAX / PG)
		return (EINVAL);
	if (pg_count(m, lo, hi) != hi - lo)
		return (EINVAL);
	pg_remove(m, lo, hi);
	return (0);
}

static int
model_mprotect(struct mproc *m, const struct op *o)
{
	int prot = o->prot & PROT_ALL;
	uint64_t lo, hi;
	size_t i, j, k;
	struct mpage *p;
	int err;

	if ((err = model_range(m, o, &lo, &hi)) != 0)
		return (err);
	pg_span(m, lo, hi, &i, &j);
	for (k = i; k < j; k++)
		if ((prot & ~m->pg[k].maxprot) != 0)
			return (EACCES);
	for (k = i; k < j; k++) {
		p = &m->pg[k];
		/* pmap_protect removes the ptes of a page left unreadable. */
		if ((prot & (FLYVM_PROT_READ | FLYVM_PROT_EXEC)) == 0) {
			if (p->prot != prot)
				p->pte = PTE_NO;
			else if (p->pte == PTE_YES)
				p->pte = PTE_MAYBE;
		}
		p->prot = (uint8_t)prot;
	}
	return (0);
}

/* Predicates on a page, for model_range_any. */
typedef int page_pred_t(const struct mpage *);

/* Shared with another live process (INHERIT_COPY would not snapshot). */
static int
page_shared(const struct mpage *p)
{
	return (p->cell != NULL && p->cell->refs > 1);
}

static int
page_wired(const struct mpage *p)
{
	return (p->wired);
}

static int
page_prot_none(const struct mpage *p)
{
	return (p->prot == 0);
}

/* Has [lo, hi) (in pages) a page for which pred holds? */
static int
model_range_any(struct mproc *m, uint64_t lo, uint64_t hi, page_pred_t *pred)
{
	size_t i, j;

	if (hi < lo)
		return (0);
	pg_span(m, lo, hi, &i, &j);
	for (; i < j; i++)
		if (pred(&m->pg[i]))
			return (1);
	return (0);
}

static int
model_minherit(struct mproc *m, const struct op *o)
{
	uint64_t lo, hi;
	size_t i, j;
	int err;

	if ((err = model_range(m, o, &lo, &hi)) != 0)
		return (err);
	if (o->prot < 0 || o->prot > 2)
		return (EINVAL);
	pg_span(m, lo, hi, &i, &j);
	for (; i < j; i++)
		m->pg[i].inherit = (uint8_t)o->prot;
	return (0);
}

static int
model_madvise(struct mproc *m, const struct op *o)
{
	uint64_t end = o->addr + o->len;
	size_t i, j;

	if (m == NULL)
		return (ESRCH);
	if (o->prot < 0 || o->prot >= FLYVM_MADV_SETMAP)
		return (EINVAL);
	if (end < o->addr || end > UMAX)
		return (EINVAL);
	pg_span(m, o->addr / PG, RND_PAGE(end) / PG, &i, &j);
	for (; i < j; i++) {
		switch (o->prot) {
		case FLYVM_MADV_FREE:
			page_forget(&m->pg[i]);
			break;
		case FLYVM_MADV_INVAL:
			/* Wired pages may stay mapped (as msync's does). */
			if (!m->pg[i].wired)
				m->pg[i].pte = PTE_NO;
			else if (m->pg[i].pte == PTE_YES)
				m->pg[i].pte = PTE_MAYBE;
			break;
		}
	}
	return (0);
}

static void
exec_range(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	int err = 0, want = 0;

	switch (o->kind) {
	case OP_MUNMAP:
		err = flyvm_munmap(c->vm, pid, o->addr, o->len);
		want = model_munmap(m, o);
		break;
	case OP_MPROTECT:
		err = flyvm_mprotect(c->vm, pid, o->addr, o->len, o->prot);
		want = model_mprotect(m, o);
		break;
	case OP_MINHERIT:
		err = flyvm_minherit(c->vm, pid, o->addr, o->len, o->prot);
		want = model_minherit(m, o);
		break;
	case OP_MADVISE:
		err = flyvm_madvise(c->vm, pid, o->addr, o->len, o->prot);
		want = model_madvise(m, o);
		break;
	}
	check_err(c, o, err, want);
}

static void
exec_mincore(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	uint64_t lo, rl, end, n, k;
	unsigned char *vec = NULL;
	struct mpage *p;
	int err, want;

	if (!o->nullout) {
		vec = malloc(o->val + 1);
		memset(vec, 0xee, o->val + 1);
	}
	err = flyvm_mincore(c->vm, pid, o->addr, o->len, vec, o->val);
	lo = TRUNC_PAGE(o->addr);
	rl = RND_PAGE(o->len);
	end = lo + rl;
	n = rl / PG;
	if (m == NULL)
		want = ESRCH;
	else if (o->nullout)
		want = EFAULT;
	else if (end > UMAX || end < lo || rl < o->len)
		want = EINVAL;
	else if (o->val < n)
		want = EFAULT;
	else
		want = 0;
	if (!check_err(c, o, err, want) || want != 0)
		goto out;
	if (vec[o->val] != 0xee) {
		diverge(c, o, "mincore wrote past the vector");
		goto out;
	}
	for (k = 0; k < n; k++) {
		p = pg_find(m, lo / PG + k);
		if ((vec[k] & ~0x1f) != 0 ||
		    (p == NULL && vec[k] != 0) ||
		    (p != NULL && p->pte == PTE_YES &&
		    (vec[k] & FLYVM_MINCORE_INCORE) == 0)) {
			diverge(c, o, "page 0x%" PRIx64 ": mincore 0x%x (%s, "
			    "pte %d)", lo + k * PG, vec[k],
			    p == NULL ? "unmapped" : "mapped",
			    p == NULL ? -1 : p->pte);
			break;
		}
	}
out:
	free(vec);
}

/*
 * mlock (facts 1.11 with flyvm's differences, docs/mmap.md): EAGAIN over
 * vm.max_wired, ENOMEM over RLIMIT_MEMLOCK, on a hole or on a PROT_NONE
 * page (nothing to fault it in with).
 */
static int
model_mlock(struct model *md, struct mproc *m, const struct op *o)
{
	uint64_t lo, hi;
	int err;

	if ((err = model_range(m, o, &lo, &hi)) != 0)
		return (err);
	if (lo == hi)
		return (0);
	if ((int64_t)(hi - lo) > md->max_wired)
		return (EAGAIN);
	if ((hi - lo + mproc_wired(m)) * PG >
	    (uint64_t)m->rl[RL_MEMLOCK][0])
		return (ENOMEM);
	if (pg_count(m, lo, hi) != hi - lo || model_range_any(m, lo, hi, page_prot_none))
		return (ENOMEM);
	return (0);
}

static void
model_wire(struct mproc *m, uint64_t lo, uint64_t hi, int wire)
{
	size_t i, j;

	pg_span(m, lo, hi, &i, &j);
	for (; i < j; i++) {
		/* Only entries not wired yet are faulted in. */
		if (wire && !m->pg[i].wired)
			m->pg[i].pte = m->pg[i].prot != 0 ? PTE_YES : PTE_MAYBE;
		m->pg[i].wired = (uint8_t)wire;
	}
}

static int
model_munlock(struct mproc *m, const struct op *o)
{
	uint64_t lo, hi;
	size_t i, j;
	int err;

	if ((err = model_range(m, o, &lo, &hi)) != 0)
		return (err);
	if (lo == hi)
		return (0);
	if (pg_count(m, lo, hi) != hi - lo)
		return (ENOMEM);
	pg_span(m, lo, hi, &i, &j);
	for (; i < j; i++)
		if (!m->pg[i].wired)
			return (ENOMEM);
	model_wire(m, lo, hi, 0);
	return (0);
}

static void
exec_mlock(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	uint64_t lo, hi;
	int err, want;

	if (o->kind == OP_MUNLOCK) {
		err = flyvm_munlock(c->vm, pid, o->addr, o->len);
		want = model_munlock(m, o);
		check_err(c, o, err, want);
		return;
	}
	err = flyvm_mlock(c->vm, pid, o->addr, o->len);
	want = model_mlock(c->md, m, o);
	if (!check_err(c, o, err, want) ||
	    norm_range(o->addr, o->len, &lo, &hi) != 0)
		return;
	if (want == 0)
		model_wire(m, lo, hi, 1);
	else if (want == ENOMEM)
		/* Wired part way, then unwound: the ptes may stay. */
		model_prefault(c->md, m, lo, hi);
}

/* Map the data segment's new pages [lo, hi); ENOMEM if taken. */
static int
model_brk_grow(struct mproc *m, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return (0);
	if (pg_count(m, lo / PG, hi / PG) != 0)
		return (ENOMEM);
	pg_insert(m, lo / PG, hi / PG, PROT_ALL, FLYVM_INHERIT_COPY);
	return (0);
}

/* obreak (facts 1.12). */
static int
model_brk(struct mproc *m, uint64_t nsize)
{
	uint64_t base = DADDR, nw = RND_PAGE(nsize);
	uint64_t old = base + RND_PAGE(m->dsize);
	int err;

	if (nw > base) {
		if (nw > old && nw - base > (uint64_t)m->rl[RL_DATA][0])
			return (ENOMEM);
		if (nw >= UMAX)
			return (ENOMEM);
	} else if (nw < base) {
		return (EINVAL);
	}
	if (nw > old) {
		err = model_brk_grow(m, old, nw);
		if (err == 0)
			m->dsize = nw - base;
		return (err);
	}
	if (nw < old)
		return (EOPNOTSUPP);
	m->dsize = nw - base;	/* a partial page left by sbrk fills */
	return (0);
}

/* sbrk (facts 1.12): *oldp the old break. */
static int
model_sbrk(struct mproc *m, int64_t incr, uint64_t *oldp)
{
	uint64_t brk = DADDR + m->dsize, nend;
	int err;

	if (incr < 0)
		return (EOPNOTSUPP);
	*oldp = brk;
	if (incr == 0)
		return (0);
	nend = brk + (uint64_t)incr;
	if (nend < brk || nend >= UMAX ||
	    nend - DADDR > (uint64_t)m->rl[RL_DATA][0])
		return (ENOMEM);
	err = model_brk_grow(m, RND_PAGE(brk), RND_PAGE(nend));
	if (err == 0)
		m->dsize += (uint64_t)incr;
	return (err);
}

static void
exec_brk(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	uint64_t got = 0xdead, want_old = 0;
	int err, want;

	if (o->kind == OP_BRK) {
		err = flyvm_brk(c->vm, pid, o->addr);
		want = m == NULL ? ESRCH : model_brk(m, o->addr);
		check_err(c, o, err, want);
		return;
	}
	err = flyvm_sbrk(c->vm, pid, (int64_t)o->val, o->nullout ? NULL : &got);
	want = m == NULL ? ESRCH : o->nullout ? EFAULT :
	    model_sbrk(m, (int64_t)o->val, &want_old);
	if (check_err(c, o, err, want) && want == 0 && got != want_old)
		diverge(c, o, "old break 0x%" PRIx64 ", model says 0x%" PRIx64,
		    got, want_old);
}

static int
rl_index(int resource)
{
	switch (resource) {
	case FLYVM_RLIMIT_DATA:
		return (RL_DATA);
	case FLYVM_RLIMIT_MEMLOCK:
		return (RL_MEMLOCK);
	default:
		return (-1);
	}
}

/* setrlimit (kern_setrlimit) of RLIMIT_DATA, RLIMIT_MEMLOCK or junk. */
static int
model_setrlimit(struct mproc *m, const struct op *o)
{
	int64_t cur = (int64_t)o->val, max = (int64_t)o->val2;
	int r;

	if (m == NULL)
		return (ESRCH);
	if (o->nullout)
		return (EFAULT);
	if (o->prot < 0 || o->prot >= FLYVM_RLIM_NLIMITS)
		return (EINVAL);
	if (cur < 0 || max < 0 || cur > max)
		return (EINVAL);
	r = rl_index(o->prot);
	if (r < 0)
		return (0);		/* the generator only lowers others */
	if (max > m->rl[r][1] && m->uid != 0)
		return (EPERM);
	if (r == RL_DATA) {
		cur = cur < (32LL << 30) ? cur : (32LL << 30);
		max = max < (32LL << 30) ? max : (32LL << 30);
	}
	m->rl[r][0] = cur;
	m->rl[r][1] = max;
	return (0);
}

static void
exec_setrlimit(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct flyvm_rlimit rl = { (int64_t)o->val, (int64_t)o->val2 };
	int err;

	err = flyvm_setrlimit(c->vm, pid, o->prot, o->nullout ? NULL : &rl);
	check_err(c, o, err, model_setrlimit(m, o));
}

static void
exec_load(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct flyvm_siginfo si = { 0, 0, 0 };
	struct acc_out ao;
	uint8_t b[8];
	uint64_t v = 0;
	int err, ok;

	err = flyvm_load(c->vm, pid, o->addr, o->size, o->nullout ? NULL : &v,
	    o->nosi ? NULL : &si);
	if (m == NULL || o->nullout || (o->size != 1 && o->size != 2 &&
	    o->size != 4 && o->size != 8)) {
		check_err(c, o, err, m == NULL ? ESRCH : o->nullout ? EFAULT :
		    EINVAL);
		return;
	}
	acc_outcomes(m, o->addr, (uint64_t)o->size, 0, &ao);
	if (!acc_match(c, o, m, 0, err, &si, &ao, &ok) || !ok)
		return;
	le_put(b, o->size, v);
	read_compare(c, o, m, o->addr, b, (size_t)o->size);
}

/* A write access of len bytes at addr: compare, then apply buf. */
static void
do_write(struct ctx *c, const struct op *o, struct mproc *m, int err,
    const struct flyvm_siginfo *si, const uint8_t *buf, uint64_t len)
{
	struct acc_out ao;
	int ok;

	acc_outcomes(m, o->addr, len, 1, &ao);
	if (acc_match(c, o, m, 1, err, si, &ao, &ok) && ok)
		model_write(m, o->addr, buf, (size_t)len);
}

static void
exec_store(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct flyvm_siginfo si = { 0, 0, 0 };
	uint8_t b[8];
	int err;

	err = flyvm_store(c->vm, pid, o->addr, o->size, o->val,
	    o->nosi ? NULL : &si);
	if (m == NULL || (o->size != 1 && o->size != 2 && o->size != 4 &&
	    o->size != 8)) {
		check_err(c, o, err, m == NULL ? ESRCH : EINVAL);
		return;
	}
	le_put(b, o->size, o->val);
	do_write(c, o, m, err, &si, b, (uint64_t)o->size);
}

static void
exec_copy(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct flyvm_siginfo si = { 0, 0, 0 };
	struct acc_out ao;
	uint8_t *buf;
	int err, ok;

	buf = malloc(o->len + 1);
	op_data(o, buf, (size_t)o->len);
	if (o->kind == OP_COPYIN)
		err = flyvm_copyin(c->vm, pid, o->addr, o->nullout ? NULL : buf,
		    (size_t)o->len, o->nosi ? NULL : &si);
	else
		err = flyvm_copyout(c->vm, pid, o->nullout ? NULL : buf,
		    o->addr, (size_t)o->len, o->nosi ? NULL : &si);
	if (m == NULL || o->nullout || o->len == 0) {
		/* docs/api.md: a zero-length copy touches nothing. */
		check_err(c, o, err, m == NULL ? ESRCH : o->nullout ? EFAULT :
		    0);
	} else if (o->kind == OP_COPYOUT) {
		do_write(c, o, m, err, &si, buf, o->len);
	} else {
		acc_outcomes(m, o->addr, o->len, 0, &ao);
		if (acc_match(c, o, m, 0, err, &si, &ao, &ok) && ok)
			read_compare(c, o, m, o->addr, buf, (size_t)o->len);
	}
	free(buf);
}

static void
exec_atomic(struct ctx *c, const struct op *o, struct mproc *m,
    flyvm_pid_t pid)
{
	struct flyvm_siginfo si = { 0, 0, 0 };
	struct acc_out ao;
	uint64_t old = 0xdead, mold, nv, mask;
	uint8_t b[8];
	int err, ok, unk;

	if (o->kind == OP_CAS)
		err = flyvm_cas(c->vm, pid, o->addr, o->size, o->val, o->val2,
		    o->nullout ? NULL : &old, o->nosi ? NULL : &si);
	else
		err = flyvm_fetchadd(c->vm, pid, o->addr, o->size, o->val,
		    o->nullout ? NULL : &old, o->nosi ? NULL : &si);
	if (m == NULL || o->nullout || (o->size != 4 && o->size != 8)) {
		check_err(c, o, err, m == NULL ? ESRCH : o->nullout ? EFAULT :
		    EINVAL);
		return;
	}
	if ((o->addr & (uint64_t)(o->size - 1)) != 0) {
		if (check_err(c, o, err, EFAULT) && !o->nosi &&
		    (si.signo != FLYVM_SIGBUS ||
		    si.code != FLYVM_BUS_ADRALN || si.addr != o->addr))
			diverge(c, o, "misaligned: sig %d code %d addr 0x%"
			    PRIx64, si.signo, si.code, si.addr);
		return;
	}
	acc_outcomes(m, o->addr, (uint64_t)o->size, 1, &ao);
	if (!acc_match(c, o, m, 1, err, &si, &ao, &ok) || !ok)
		return;
	mask = o->size == 8 ? ~0ULL : 0xffffffffULL;
	model_read(m, o->addr, b, (size_t)o->size, &unk);
	mold = le_get(b, o->size);
	if (!unk && mold != old) {
		diverge(c, o, "old value 0x%" PRIx64 ", model says 0x%" PRIx64,
		    old, mold);
		return;
	}
	mold = old & mask;
	if (o->kind == OP_CAS)
		nv = mold == (o->val & mask) ? o->val2 : mold;
	else
		nv = mold + o->val;
	le_put(b, o->size, nv & mask);
	model_write(m, o->addr, b, (size_t)o->size);
}

/* Each takes the process the op names (m NULL: none alive) and its pid. */
typedef void op_exec_t(struct ctx *, const struct op *, struct mproc *,
    flyvm_pid_t);

static op_exec_t *const op_exec_fns[OP_NKINDS] = {
	[OP_SPAWN] = exec_spawn, [OP_FORK] = exec_fork,
	[OP_EXIT] = exec_exit, [OP_MMAP] = exec_mmap,
	[OP_MUNMAP] = exec_range, [OP_MPROTECT] = exec_range,
	[OP_MINHERIT] = exec_range, [OP_MADVISE] = exec_range,
	[OP_MINCORE] = exec_mincore, [OP_MLOCK] = exec_mlock,
	[OP_MUNLOCK] = exec_mlock, [OP_BRK] = exec_brk, [OP_SBRK] = exec_brk,
	[OP_SETRLIMIT] = exec_setrlimit, [OP_LOAD] = exec_load,
	[OP_STORE] = exec_store, [OP_COPYIN] = exec_copy,
	[OP_COPYOUT] = exec_copy, [OP_CAS] = exec_atomic,
	[OP_FETCHADD] = exec_atomic,
};

static void
op_exec(struct ctx *c, const struct op *o)
{
	struct mproc *m = NULL;
	flyvm_pid_t pid = 0;

	if (o->kind != OP_SPAWN && !op_proc(c, o, &m, &pid))
		return;
	op_exec_fns[o->kind](c, o, m, pid);
}

/************************************************************************
 *				The generator
 ************************************************************************/

struct gen {
	uint64_t	s;
	struct model	*md;
	int		focus;		/* the slot most ops go to */
	uint64_t	lock_addr;	/* the last mlock's range */
	uint64_t	lock_len;
};

static uint64_t
rnd64(struct gen *g)
{
	uint64_t z = (g->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (z ^ (z >> 31));
}

static uint64_t
rnd(struct gen *g, uint64_t n)
{
	return (n == 0 ? 0 : rnd64(g) % n);
}

static int
chance(struct gen *g, int pct)
{
	return ((int)rnd(g, 100) < pct);
}

/*
 * A live slot (-1 if none): mostly the focus, which moves now and then,
 * so that each address space sees long runs of calls.
 */
static int
gen_slot(struct gen *g)
{
	int live[MAXPROCS], i, n = 0;

	for (i = 0; i < MAXPROCS; i++)
		if (g->md->procs[i].alive)
			live[n++] = i;
	if (n == 0)
		return (-1);
	if (!g->md->procs[g->focus].alive || chance(g, 3))
		g->focus = live[rnd(g, (uint64_t)n)];
	return (chance(g, 75) ? g->focus : live[rnd(g, (uint64_t)n)]);
}

static int
gen_free_slot(struct gen *g)
{
	int i;

	for (i = 0; i < MAXPROCS; i++)
		if (!g->md->procs[i].alive)
			return (i);
	return (-1);
}

/* Sometimes name the process by a dead or junk pid. */
static void
gen_who(struct gen *g, struct op *o, int slot)
{
	static const flyvm_pid_t junk[] = { -1, 0, 999999, INT32_MAX };

	o->slot = slot;
	if (g->md->threaded || !chance(g, 3))
		return;
	o->slot = -1;
	if (g->md->ndead > 0 && chance(g, 70))
		o->pid = g->md->dead[rnd(g, (uint64_t)g->md->ndead)];
	else
		o->pid = junk[rnd(g, NITEMS(junk))];
}

/* Some mapped page of m (0 if none). */
static uint64_t
gen_mapped(struct gen *g, struct mproc *m)
{
	if (m->npg == 0)
		return (g->md->threaded ? g->md->reg_lo : 0x10000000);
	return (m->pg[rnd(g, m->npg)].vpn * PG);
}

/* An address to access or to change: mostly near what is mapped. */
static uint64_t
gen_addr(struct gen *g, struct mproc *m)
{
	struct model *md = g->md;
	uint64_t a;

	switch (rnd(g, 10)) {
	case 0:
		if (md->threaded)
			return (md->reg_lo + rnd(g, md->reg_hi - md->reg_lo));
		return (rnd(g, 2) ? rnd(g, 0x20000000) :
		    0x10000000 + rnd(g, 0x100000000ULL));
	case 1:
		a = gen_mapped(g, m);
		return (a - rnd(g, 64));
	case 2:
		a = gen_mapped(g, m);
		return (a + PG - 1 - rnd(g, 16));
	default:
		return (gen_mapped(g, m) + rnd(g, PG));
	}
}

/* Junk addresses: the edges of user space and beyond. */
static uint64_t
gen_junk_addr(struct gen *g)
{
	switch (rnd(g, 5)) {
	case 0:
		return (UMAX - 1 - rnd(g, 16));
	case 1:
		return (UMAX + rnd(g, 3) * PG);
	case 2:
		return (~0ULL - rnd(g, 16));
	case 3:
		return (~0ULL - PG * rnd(g, 4) + 1);
	default:
		return (UMAX - PG * (1 + rnd(g, 8)));
	}
}

static uint64_t
gen_len(struct gen *g)
{
	switch (rnd(g, 10)) {
	case 0:
		return (0);
	case 1:
		return (~0ULL - rnd(g, 2 * PG));
	case 2:
		return (rnd(g, PG));
	case 3:
		return (PG * (1 + rnd(g, 64)) + rnd(g, 2));
	default:
		return (PG * (1 + rnd(g, 8)));
	}
}

/*
 * Does an access or a change of [a, a + len) stay clear of what the model
 * does not follow: the stack (beyond reading and writing its mapped top)
 * and, for a thread, anything outside its region?
 */
static int
gen_range_ok(struct gen *g, uint64_t a, uint64_t len, int change)
{
	uint64_t end = a + len;

	if (a >= UMAX)
		return (1);		/* faults before touching anything */
	if (end < a || end > UMAX)
		end = UMAX;
	if (g->md->threaded)
		return (a >= g->md->reg_lo && end <= g->md->reg_hi);
	if (change)
		return (!in_stack(a, end));
	return (end <= STACK_LO || a >= STACK_MAPPED);
}

/* A range op's (addr, len), normalised as the call will. */
static int
gen_change_ok(struct gen *g, const struct op *o, int rounded)
{
	uint64_t lo, hi;

	if (rounded) {
		if (o->addr + o->len < o->addr || o->addr + o->len > UMAX)
			return (1);
		return (gen_range_ok(g, TRUNC_PAGE(o->addr),
		    RND_PAGE(o->addr + o->len) - TRUNC_PAGE(o->addr), 1));
	}
	if (norm_range(o->addr, o->len, &lo, &hi) != 0)
		return (1);
	return (gen_range_ok(g, lo * PG, (hi - lo) * PG, 1));
}

static int
gen_mmap_flags(struct gen *g)
{
	int f = FLYVM_MAP_ANON;

	switch (rnd(g, 6)) {
	case 0:
		f |= FLYVM_MAP_SHARED;
		break;
	case 1:
		f |= FLYVM_MAP_SHARED | FLYVM_MAP_PRIVATE;
		break;
	case 2:
		break;
	default:
		f |= FLYVM_MAP_PRIVATE;
	}
	if (chance(g, 10))
		f |= FLYVM_MAP_INHERIT;
	if (chance(g, 5))
		f |= FLYVM_MAP_NOCORE | FLYVM_MAP_NOSYNC;
	if (chance(g, 3))
		f |= FLYVM_MAP_NORESERVE | FLYVM_MAP_HASSEMAPHORE | 0x4000000;
	if (chance(g, 3))
		f |= FLYVM_MAP_STACK;
	if (chance(g, 4))
		f &= ~FLYVM_MAP_ANON;
	if (chance(g, 2))
		f |= FLYVM_MAP_VPAGETABLE;
	return (f);
}

static void
gen_mmap(struct gen *g, struct op *o, struct mproc *m)
{
	struct model *md = g->md;
	uint64_t big = m->npg < PROC_PAGES_MAX - 9000;

	o->flags = gen_mmap_flags(g);
	o->prot = (int)rnd(g, 8);
	if (chance(g, 3))
		o->prot |= 0x30;
	if (chance(g, 30))
		o->prot = FLYVM_PROT_READ | FLYVM_PROT_WRITE;
	o->fd = chance(g, 95) ? -1 : (int)rnd(g, 5) - 2;
	o->pos = chance(g, 95) ? 0 : (chance(g, 50) ? (int64_t)PG : 1);
	switch (rnd(g, 12)) {
	case 0: case 11:
		o->len = big ? SEG * (1 + rnd(g, 2)) : PG;
		break;
	case 1:
		o->len = big && chance(g, 20) ? 33ULL << 20 : 3 * PG;
		break;
	case 2:
		o->len = chance(g, 50) ? 0 : ~0ULL - rnd(g, 3 * PG);
		break;
	case 3:
		o->len = PG << rnd(g, 5);	/* SIZEALIGN candidates */
		break;
	default:
		o->len = PG * (1 + rnd(g, 16)) - rnd(g, 3) * (uint64_t)rnd(g, 100);
	}
	if (chance(g, 8))
		o->flags |= FLYVM_MAP_SIZEALIGN;
	o->nullout = chance(g, 2);
	if (md->threaded) {
		/* Fixed inside the region, or arguments that fail early. */
		o->flags |= chance(g, 70) ? FLYVM_MAP_FIXED :
		    FLYVM_MAP_TRYFIXED;
		o->flags &= ~FLYVM_MAP_SIZEALIGN;
		o->addr = TRUNC_PAGE(gen_addr(g, m));
		if (o->len > md->reg_hi - md->reg_lo)
			o->len = PG;
		if (chance(g, 5))
			o->addr = gen_junk_addr(g);
		return;
	}
	switch (rnd(g, 8)) {
	case 0:
		o->flags |= FLYVM_MAP_FIXED;
		o->addr = TRUNC_PAGE(gen_addr(g, m));
		break;
	case 1:
		o->flags |= FLYVM_MAP_FIXED;
		o->addr = PG * (1 + rnd(g, 0x3ff));	/* below the data */
		break;
	case 2:
		o->flags |= FLYVM_MAP_TRYFIXED;
		o->addr = TRUNC_PAGE(gen_addr(g, m)) + (chance(g, 5) ? 1 : 0);
		break;
	case 3:
		o->addr = chance(g, 50) ? gen_addr(g, m) : rnd(g, 0x400000);
		break;
	case 4:
		o->addr = chance(g, 50) ? gen_junk_addr(g) :
		    DADDR + rnd(g, 128ULL << 20);
		if (chance(g, 20))	/* just below the stack reserve */
			o->addr = STACK_LO - PG * rnd(g, 8);
		if (chance(g, 30))
			o->flags |= FLYVM_MAP_FIXED;
		break;
	default:
		o->addr = 0;
	}
}

/* A junk or ordinary length for a memory access. */
static uint64_t
gen_copy_len(struct gen *g)
{
	switch (rnd(g, 8)) {
	case 0:
		return (0);
	case 1:
		return (PG - 64 + rnd(g, 128) + PG * rnd(g, 2));
	case 2:
		return (1 + rnd(g, COPY_MAX));
	default:
		return (1 + rnd(g, 64));
	}
}

static void
gen_access(struct gen *g, struct op *o, struct mproc *m)
{
	static const int sizes[] = { 1, 2, 4, 8, 1, 2, 4, 8, 3, 0, 16 };
	int atomic = o->kind == OP_CAS || o->kind == OP_FETCHADD;

	o->addr = chance(g, 5) ? gen_junk_addr(g) : gen_addr(g, m);
	o->size = sizes[rnd(g, chance(g, 95) ? 8 : NITEMS(sizes))];
	if (atomic && chance(g, 90))
		o->size = chance(g, 50) ? 4 : 8;
	if (atomic && chance(g, 85))
		o->addr &= ~(uint64_t)7;
	o->len = (uint64_t)o->size;
	if (o->kind == OP_COPYIN || o->kind == OP_COPYOUT)
		o->len = gen_copy_len(g);
	o->val = rnd64(g);
	o->val2 = rnd64(g);
	o->dseed = (uint32_t)rnd64(g);
	o->nosi = chance(g, 5);
	o->nullout = chance(g, 2) && o->kind != OP_STORE;
	if (o->kind == OP_CAS && chance(g, 50)) {
		/* Often expect what is there, so the swap happens. */
		uint8_t b[8];
		int unk;

		if (pg_find(m, o->addr / PG) != NULL &&
		    pg_find(m, (o->addr + 7) / PG) != NULL) {
			model_read(m, o->addr, b, 8, &unk);
			o->val = le_get(b, o->size > 0 && o->size <= 8 ?
			    o->size : 8);
		}
	}
}

/* The total of wired pages in the model. */
static uint64_t
gen_wired(struct gen *g)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < MAXPROCS; i++)
		if (g->md->procs[i].alive)
			n += mproc_wired(&g->md->procs[i]);
	return (n);
}

static void
gen_range(struct gen *g, struct op *o, struct mproc *m)
{
	o->addr = chance(g, 4) ? gen_junk_addr(g) : gen_addr(g, m);
	if (chance(g, 60))
		o->addr = TRUNC_PAGE(o->addr);
	o->len = gen_len(g);
	switch (o->kind) {
	case OP_MPROTECT:
		o->prot = (int)rnd(g, 8) | (chance(g, 3) ? 0x10 : 0);
		break;
	case OP_MINHERIT:
		o->prot = chance(g, 90) ? (int)rnd(g, 3) : (int)rnd(g, 9) - 3;
		break;
	case OP_MADVISE:
		o->prot = chance(g, 90) ? (int)rnd(g, 11) : (int)rnd(g, 16) - 3;
		break;
	case OP_MLOCK:
		/* Small, or so large it is EAGAIN whatever else is wired. */
		if (o->len > 256 * PG && o->len < ~0ULL - 4 * PG)
			o->len = 1ULL << 40;
		if (gen_wired(g) > 2000)
			o->len = 0;
		g->lock_addr = o->addr;
		g->lock_len = o->len;
		break;
	case OP_MUNLOCK:
		if (chance(g, 50)) {
			o->addr = g->lock_addr;
			o->len = g->lock_len;
		}
		break;
	}
}

static void
gen_brk(struct gen *g, struct op *o, struct mproc *m)
{
	uint64_t brk = DADDR + m->dsize;

	if (o->kind == OP_BRK) {
		switch (rnd(g, 5)) {
		case 0:
			o->addr = brk - rnd(g, 3 * PG);
			break;
		case 1:
			o->addr = chance(g, 50) ? rnd(g, DADDR) :
			    gen_junk_addr(g);
			break;
		case 2:
			o->addr = DADDR + (128ULL << 20) + rnd(g, 3) * PG - PG;
			break;
		default:
			o->addr = brk + rnd(g, 8 * PG);
		}
		return;
	}
	switch (rnd(g, 6)) {
	case 0:
		o->val = 0;
		break;
	case 1:
		o->val = (uint64_t)-(int64_t)(1 + rnd(g, 100));
		break;
	case 2:
		o->val = chance(g, 50) ? (129ULL << 20) : INT64_MAX;
		break;
	default:
		o->val = rnd(g, 3 * PG);
	}
	o->nullout = chance(g, 3);
}

static void
gen_setrlimit(struct gen *g, struct op *o, struct mproc *m)
{
	static const int res[] = { FLYVM_RLIMIT_DATA, FLYVM_RLIMIT_MEMLOCK,
	    FLYVM_RLIMIT_DATA, FLYVM_RLIMIT_MEMLOCK, -1, FLYVM_RLIM_NLIMITS };
	int r;

	o->prot = res[rnd(g, NITEMS(res))];
	r = rl_index(o->prot);
	if (r < 0) {
		o->val = 0;
		o->val2 = 0;
		return;
	}
	o->val2 = (uint64_t)m->rl[r][1];
	if (chance(g, 10))
		o->val2 += PG;		/* raise the hard limit */
	if (r == RL_DATA)
		o->val = chance(g, 50) ? (128ULL << 20) :
		    (m->dsize & ~PGMASK) + PG * rnd(g, 64);
	else
		o->val = PG * rnd(g, 128);
	if (chance(g, 5))
		o->val = (uint64_t)-1;
	if (o->val > o->val2 && chance(g, 80))
		o->val = o->val2;
	o->nullout = chance(g, 2);
}

/* Weights of each kind, for processes run alone and for threads. */
static const int gen_weights[2][OP_NKINDS] = {
	/* spawn fork exit mmap munmap mprotect minherit madvise mincore
	   mlock munlock brk sbrk setrlimit load store copyin copyout cas
	   fetchadd */
	{ 1, 2, 1, 12, 5, 6, 3, 4, 4, 3, 3, 2, 2, 1, 12, 12, 6, 6, 4, 4 },
	{ 0, 0, 0, 6, 3, 6, 2, 4, 4, 3, 2, 0, 0, 0, 14, 14, 6, 6, 5, 5 },
};

static int
gen_kind(struct gen *g)
{
	const int *w = gen_weights[g->md->threaded != 0];
	int i, total = 0, r;

	for (i = 0; i < OP_NKINDS; i++)
		total += op_enabled[i] ? w[i] : 0;
	r = (int)rnd(g, (uint64_t)total);
	for (i = 0; i < OP_NKINDS; i++) {
		if (!op_enabled[i])
			continue;
		if (r < w[i])
			return (i);
		r -= w[i];
	}
	return (OP_LOAD);
}

/* Can the op be used as generated (else draw another)? */
static int
gen_acceptable(struct gen *g, struct op *o, struct mproc *m)
{
	uint64_t lo, hi;

	switch (o->kind) {
	case OP_MMAP:
		if ((o->flags & (FLYVM_MAP_FIXED | FLYVM_MAP_TRYFIXED)) &&
		    o->addr < UMAX && o->len < UMAX &&
		    !gen_range_ok(g, TRUNC_PAGE(o->addr),
		    RND_PAGE(o->len + PG), 1))
			return (0);
		if (g->md->threaded && (o->flags & (FLYVM_MAP_FIXED |
		    FLYVM_MAP_TRYFIXED)) == 0)
			return (0);
		return (1);
	case OP_MUNMAP: case OP_MPROTECT: case OP_MINHERIT: case OP_MLOCK:
	case OP_MUNLOCK:
		if (!gen_change_ok(g, o, 0))
			return (0);
		/*
		 * No mprotect over mlocked pages: any change write-protects
		 * the ptes of a copy-on-write (forked) entry, and a write
		 * fault on a user-wired COW entry is refused
		 * (vm_map_lookup_check, as DragonFly): the model does not
		 * follow pte write permission.  (It also made the wired
		 * pages leak once; model_mprotect_wired keeps that fixed.)
		 */
		if (o->kind == OP_MPROTECT &&
		    norm_range(o->addr, o->len, &lo, &hi) == 0 &&
		    model_range_any(m, lo, hi, page_wired))
			return (0);
		if (o->kind == OP_MINHERIT && o->prot == FLYVM_INHERIT_COPY &&
		    norm_range(o->addr, o->len, &lo, &hi) == 0 &&
		    model_range_any(m, lo, hi, page_shared))
			return (0);
		return (1);
	case OP_MADVISE:
		return (gen_change_ok(g, o, 1));
	case OP_MINCORE:
		return (1);
	case OP_LOAD: case OP_STORE: case OP_COPYIN: case OP_COPYOUT:
	case OP_CAS: case OP_FETCHADD:
		return (gen_range_ok(g, o->addr, o->len, 0));
	default:
		return (1);
	}
}

/* Draw the next op for the model's current state. */
static void
gen_op(struct gen *g, struct op *o)
{
	struct model *md = g->md;
	struct mproc *m;
	int slot, tries;

	for (tries = 0;; tries++) {
		memset(o, 0, sizeof(*o));
		o->slot2 = -1;
		o->kind = gen_kind(g);
		slot = gen_slot(g);
		if (slot < 0 || (o->kind == OP_SPAWN &&
		    model_nalive(md) < MAXPROCS)) {
			o->kind = OP_SPAWN;
			o->slot = -1;
			o->slot2 = gen_free_slot(g);
			o->val = chance(g, 20) ? 0 : 1000;
			o->nullout = chance(g, 3);
			return;
		}
		if (o->kind == OP_SPAWN)
			continue;
		m = &md->procs[slot];
		gen_who(g, o, slot);
		switch (o->kind) {
		case OP_FORK:
			o->slot2 = gen_free_slot(g);
			if (o->slot2 < 0 || m->npg > PROC_PAGES_MAX / 2)
				continue;
			o->nullout = chance(g, 3);
			break;
		case OP_EXIT:
			if (model_nalive(md) < 3 && chance(g, 70))
				continue;
			o->val = rnd(g, 256);
			break;
		case OP_MMAP:
			gen_mmap(g, o, m);
			break;
		case OP_MINCORE:
			o->addr = chance(g, 5) ? gen_junk_addr(g) :
			    gen_addr(g, m);
			o->len = gen_len(g);
			o->val = RND_PAGE(o->len) / PG;
			if (o->val > 4096 || chance(g, 5))
				o->val = rnd(g, 4);
			o->nullout = chance(g, 2);
			break;
		case OP_BRK: case OP_SBRK:
			gen_brk(g, o, m);
			break;
		case OP_SETRLIMIT:
			gen_setrlimit(g, o, m);
			break;
		case OP_LOAD: case OP_STORE: case OP_COPYIN: case OP_COPYOUT:
		case OP_CAS: case OP_FETCHADD:
			gen_access(g, o, m);
			break;
		default:
			gen_range(g, o, m);
		}
		if (gen_acceptable(g, o, m))
			return;
		if (tries > 1000) {
			/* Nothing fits: a load that faults at once. */
			memset(o, 0, sizeof(*o));
			o->kind = OP_LOAD;
			o->slot = slot;
			o->slot2 = -1;
			o->addr = UMAX;
			o->size = 8;
			o->len = 8;
			return;
		}
	}
}

/************************************************************************
 *				Running
 ************************************************************************/

#if defined(__SANITIZE_THREAD__)
#define DEFAULT_OPS	1500
#define THREAD_OPS	600
#else
#define DEFAULT_OPS	8000
#define THREAD_OPS	3000
#endif

/* Zeroed memory a forked child writes and its parent reads. */
static void *
model_shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		abort();
	return (p);
}

static struct flyvm *
vm_boot(int ncpus)
{
	struct flyvm_config cfg;
	struct flyvm *vm = NULL;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 128ULL << 20;
	cfg.ncpus = ncpus;
	if (flyvm_boot(&cfg, &vm, err, sizeof(err)) != 0) {
		fprintf(stderr, "flyvm_boot: %s\n", err);
		exit(2);
	}
	return (vm);
}

static void
model_init(struct model *md, struct flyvm *vm)
{
	int64_t v;

	memset(md, 0, sizeof(*md));
	md->max_wired = flyvm_sysctl_get(vm, "vm.max_wired", &v) == 0 ? v :
	    INT64_MAX;
	/* vm_fault_prefault alternates after and before the fault. */
	md->prefault = flyvm_sysctl_get(vm, "vm.prefault_pages", &v) == 0 ?
	    (int)v / 2 + 2 : 40;
}

static uint64_t
free_count(struct flyvm *vm)
{
	struct flyvm_vmstats st;

	if (flyvm_get_vmstats(vm, &st) != 0)
		return (0);
	return (st.free_count);
}

/*
 * Exit every process left, then the system must be whole again: audit
 * clean, every page back.  Returns 0, or 1 with a message.
 */
static int
run_finish(struct ctx *c, uint64_t free0)
{
	uint64_t fc;
	int i, err;

	for (i = 0; i < MAXPROCS; i++) {
		if (!c->md->procs[i].alive)
			continue;
		err = flyvm_proc_exit(c->vm, c->md->procs[i].pid, 0);
		if (err != 0 && !c->diverged) {
			c->diverged = 1;
			snprintf(c->msg, sizeof(c->msg), "final exit of pid %d: "
			    "%d", (int)c->md->procs[i].pid, err);
		}
		model_bury(c->md, &c->md->procs[i]);
	}
	if (flyvm_audit(c->vm) != 0 && !c->diverged) {
		c->diverged = 1;
		snprintf(c->msg, sizeof(c->msg), "flyvm_audit failed after "
		    "all processes exited");
	}
	fc = free_count(c->vm);
	if (fc != free0 && !c->diverged) {
		c->diverged = 1;
		snprintf(c->msg, sizeof(c->msg), "free pages %" PRIu64
		    " after all processes exited, %" PRIu64 " before", fc,
		    free0);
	}
	return (c->diverged);
}

/*
 * One sequential run on a fresh system.  gen != NULL: draw nops ops into
 * ops (stopping at the first divergence, whose index goes to *failp);
 * else replay ops[i] for which keep[i] (keep NULL: all).  Returns TRUE if
 * it diverged; msg (if not NULL) gets the message, *kindp the kind of
 * the op that diverged (-1: at the end).
 */
static int
run_seq(uint64_t seed, struct op *ops, long nops, const char *keep,
    int generate, int quiet, long *failp, int *kindp, char *msg, size_t msgl)
{
	struct model md;
	struct gen g;
	struct ctx c;
	uint64_t free0;
	char trace[256];
	long i;

	memset(&c, 0, sizeof(c));
	c.vm = vm_boot(2);
	flyvm_thread_enter(c.vm, "model");
	model_init(&md, c.vm);
	c.md = &md;
	c.quiet = quiet;
	c.trace = model_trace && !quiet;
	c.stats = getenv("MODEL_STATS") != NULL && !quiet;
	memset(&g, 0, sizeof(g));
	g.s = seed;
	g.md = &md;
	free0 = free_count(c.vm);
	*failp = -1;
	*kindp = -1;
	for (i = 0; i < nops && !c.diverged; i++) {
		if (keep != NULL && !keep[i])
			continue;
		if (generate)
			gen_op(&g, &ops[i]);
		c.idx = i;
		if (model_trace && !quiet) {
			op_format(&ops[i], &md, trace, sizeof(trace));
			fprintf(stderr, "[%ld] %s\n", i, trace);
		}
		if (model_progress != NULL)
			*model_progress = i;
		op_exec(&c, &ops[i]);
		if (c.diverged) {
			*failp = i;
			*kindp = ops[i].kind;
		}
	}
	if (!c.diverged && run_finish(&c, free0)) {
		*failp = nops - 1;
		*kindp = KIND_END;
	} else
		model_free(&md);
	if (msg != NULL)
		snprintf(msg, msgl, "%s", c.msg);
	for (i = 0; c.stats && i < OP_NKINDS; i++)
		fprintf(stderr, "%-10s %6ld ok %6ld failed\n", op_names[i],
		    model_stats[i][0], model_stats[i][1]);
	flyvm_thread_leave(c.vm);
	flyvm_shutdown(c.vm);
	return (c.diverged);
}

/* What a run in a child process reports to its parent. */
struct run_shared {
	long		progress;
	long		fail;
	int		kind;
	int		diverged;
	char		msg[1024];
};

/*
 * run_seq in a child process, so that a panic (which aborts) is reported
 * as a divergence of kind KIND_CRASH at the op that was running.  ops must
 * be shared memory (model_shared_alloc) when generate is set.
 */
static int
run_isolated(uint64_t seed, struct op *ops, long nops, const char *keep,
    int generate, int quiet, long *failp, int *kindp, char *msg, size_t msgl)
{
	struct run_shared *rs = model_shared_alloc(sizeof(*rs));
	int status, devnull;
	pid_t child;

	rs->progress = -1;
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child == 0) {
		if (quiet && (devnull = open("/dev/null", O_WRONLY)) >= 0)
			dup2(devnull, 2);
		model_progress = &rs->progress;
		rs->diverged = run_seq(seed, ops, nops, keep, generate, quiet,
		    &rs->fail, &rs->kind, rs->msg, sizeof(rs->msg));
		_exit(0);
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		abort();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		*failp = rs->fail;
		*kindp = rs->kind;
		snprintf(msg, msgl, "%s", rs->msg);
	} else {
		rs->diverged = 1;
		*failp = rs->progress;
		*kindp = KIND_CRASH;
		snprintf(msg, msgl, "op %ld: the system crashed (status 0x%x: "
		    "a panic, see its message above)", rs->progress, status);
	}
	status = rs->diverged;
	munmap(rs, sizeof(*rs));
	return (status);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* One pass of shrinking: drop halves, quarters, ... while it diverges. */
static void
shrink_pass(uint64_t seed, struct op *ops, long n, char *keep, char *trial,
    int kind, double budget, double t0)
{
	char msg[1024];
	long chunk, i, j, f;
	int k;

	for (chunk = n / 2; chunk >= 1 && now_s() - t0 < budget; chunk /= 2) {
		for (i = 0; i < n - 1 && now_s() - t0 < budget; i += chunk) {
			memcpy(trial, keep, (size_t)n);
			for (j = i; j < i + chunk && j < n - 1; j++)
				trial[j] = 0;
			if (memcmp(trial, keep, (size_t)n) == 0)
				continue;
			if (run_isolated(seed, ops, n, trial, 0, 1, &f, &k, msg,
			    sizeof(msg)) && k == kind)
				memcpy(keep, trial, (size_t)n);
		}
	}
}

/*
 * Shrink a divergence at ops[fail] of kind `kind': drop chunks of the
 * prefix while a replay still diverges at an op of that kind; then print
 * what is left as calls.
 */
static void
shrink_and_print(uint64_t seed, struct op *ops, long fail, int kind,
    double budget)
{
	long n = fail + 1, i, f, left;
	char *keep = malloc((size_t)n), *trial = malloc((size_t)n);
	char msg[1024], desc[256];
	double t0 = now_s();
	int k;

	memset(keep, 1, (size_t)n);
	do {
		left = 0;
		for (i = 0; i < n; i++)
			left += keep[i];
		shrink_pass(seed, ops, n, keep, trial, kind, budget, t0);
		for (i = 0; i < n; i++)
			left -= keep[i];
	} while (left > 0 && now_s() - t0 < budget);
	run_isolated(seed, ops, n, keep, 0, 1, &f, &k, msg, sizeof(msg));
	for (i = 0, left = 0; i < n; i++)
		left += keep[i];
	printf("reproduction (seed 0x%" PRIx64 ", %ld of %ld ops kept, "
	    "%.0f s):\n", seed, left, n, now_s() - t0);
	for (i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		op_format(&ops[i], NULL, desc, sizeof(desc));
		printf("  [%ld] %s\n", i, desc);
	}
	printf("  -> %s\n", msg);
	free(keep);
	free(trial);
}

/************************************************************************
 *			Threads: disjoint regions
 ************************************************************************/

#define THR_REGION	(1ULL << 20)
#define THR_STRIDE	(4ULL << 20)	/* region + guard */
#define THR_BASE	0x200000000ULL

struct tctx {
	struct flyvm	*vm;
	flyvm_pid_t	pid;
	int		proc, thr;
	uint64_t	seed;
	long		nops;
	struct model	md;
	int		diverged;
	char		msg[1024];
	int		trace;
};

static void *
thread_main(void *arg)
{
	struct tctx *t = arg;
	struct gen g;
	struct ctx c;
	struct op o;
	char name[256];
	long i;

	snprintf(name, sizeof(name), "p%dt%d", t->proc, t->thr);
	flyvm_thread_enter(t->vm, name);
	memset(&c, 0, sizeof(c));
	c.vm = t->vm;
	c.md = &t->md;
	c.quiet = 1;
	c.trace = t->trace;
	memset(&g, 0, sizeof(g));
	g.s = t->seed;
	g.md = &t->md;
	for (i = 0; i < t->nops && !c.diverged; i++) {
		gen_op(&g, &o);
		c.idx = i;
		if (t->trace) {
			op_format(&o, &t->md, name, sizeof(name));
			fprintf(stderr, "p%dt%d [%ld] %s\n", t->proc, t->thr,
			    i, name);
		}
		op_exec(&c, &o);
	}
	flyvm_thread_leave(t->vm);
	t->diverged = c.diverged;
	snprintf(t->msg, sizeof(t->msg), "%s", c.msg);
	return (NULL);
}

/*
 * nprocs processes (a spawned one and forks of it), nthreads threads in
 * each, every thread on its own region.  Returns TRUE if any diverged
 * (messages printed).
 */
static int
run_threads(uint64_t seed, int nprocs, int nthreads, long nops)
{
	struct tctx *t = calloc((size_t)(nprocs * nthreads), sizeof(*t));
	pthread_t *tid = calloc((size_t)(nprocs * nthreads), sizeof(*tid));
	flyvm_pid_t pids[MAXPROCS];
	struct flyvm *vm;
	uint64_t free0, a, got;
	int i, j, n = nprocs * nthreads, bad = 0, err;

	vm = vm_boot(n + 1 < 64 ? n + 1 : 64);
	flyvm_thread_enter(vm, "main");
	free0 = free_count(vm);
	if (flyvm_proc_spawn(vm, 1000, &pids[0]) != 0)
		return (1);
	for (i = 1; i < nprocs; i++)
		if (flyvm_proc_fork(vm, pids[0], &pids[i]) != 0)
			return (1);
	for (i = 0; i < n; i++) {
		t[i].vm = vm;
		t[i].proc = i / nthreads;
		t[i].thr = i % nthreads;
		t[i].pid = pids[t[i].proc];
		t[i].seed = seed * 1000003 + (uint64_t)i;
		t[i].nops = nops;
		t[i].trace = model_trace_thread == i;
		model_init(&t[i].md, vm);
		t[i].md.threaded = 1;
		a = THR_BASE + (uint64_t)t[i].thr * THR_STRIDE;
		t[i].md.reg_lo = a;
		t[i].md.reg_hi = a + THR_REGION;
		err = flyvm_mmap(vm, t[i].pid, a, THR_REGION,
		    FLYVM_PROT_READ | FLYVM_PROT_WRITE,
		    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE | FLYVM_MAP_FIXED, -1, 0,
		    &got);
		if (err != 0 || got != a) {
			fprintf(stderr, "region mmap: %d\n", err);
			return (1);
		}
		t[i].md.procs[0].alive = 1;
		t[i].md.procs[0].pid = t[i].pid;
		t[i].md.procs[0].uid = 1000;
		t[i].md.procs[0].rl[RL_MEMLOCK][0] = INT64_MAX;
		pg_insert(&t[i].md.procs[0], a / PG, (a + THR_REGION) / PG,
		    FLYVM_PROT_READ | FLYVM_PROT_WRITE, FLYVM_INHERIT_COPY);
	}
	flyvm_thread_leave(vm);
	for (i = 0; i < n; i++)
		pthread_create(&tid[i], NULL, thread_main, &t[i]);
	for (i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	flyvm_thread_enter(vm, "main");
	for (i = 0; i < n; i++) {
		if (t[i].diverged) {
			printf("DIVERGENCE seed 0x%" PRIx64 " process %d thread "
			    "%d: %s\n", seed, t[i].proc, t[i].thr, t[i].msg);
			bad = 1;
		}
		model_free(&t[i].md);
	}
	for (j = 0; j < nprocs; j++)
		if (flyvm_proc_exit(vm, pids[j], 0) != 0)
			bad = 1;
	if (flyvm_audit(vm) != 0 || free_count(vm) != free0) {
		printf("after the threads: audit %d, free %" PRIu64 " (before %"
		    PRIu64 ")\n", flyvm_audit(vm), free_count(vm), free0);
		bad = 1;
	}
	flyvm_thread_leave(vm);
	flyvm_shutdown(vm);
	free(t);
	free(tid);
	return (bad);
}

/************************************************************************
 *				Tests and main
 ************************************************************************/

/* Every call is in the library: the generator may draw every kind. */
static int
enable_all(void)
{
	int i;

	for (i = 0; i < OP_NKINDS; i++)
		op_enabled[i] = 1;
	return (1);
}

/* Run seed for nops; on a divergence print it and shrink. */
static int
run_seed(uint64_t seed, long nops, double shrink_budget)
{
	struct op *ops = model_shared_alloc((size_t)nops * sizeof(*ops));
	char msg[1024];
	long fail;
	int kind, bad;

	bad = run_isolated(seed, ops, nops, NULL, 1, 0, &fail, &kind, msg,
	    sizeof(msg));
	if (bad) {
		printf("DIVERGENCE seed 0x%" PRIx64 " op %ld: %s\n", seed, fail,
		    msg);
		if (fail >= 0)
			shrink_and_print(seed, ops, fail, kind, shrink_budget);
	}
	munmap(ops, (size_t)nops * sizeof(*ops));
	return (bad);
}

/*
 * Regression cases: reproductions the shrinker printed, replayed as they
 * are (a divergence, a crash or a leak fails them).
 */
#define R_SPAWN(s)	{ .kind = OP_SPAWN, .slot = -1, .slot2 = (s), .val = 1000 }
#define R_FORK(p, s)	{ .kind = OP_FORK, .slot = (p), .slot2 = (s) }
#define R_MMAP(p, a, l, pr, f) { .kind = OP_MMAP, .slot = (p), .slot2 = -1, \
	.addr = (a), .len = (l), .prot = (pr), .flags = (f), .fd = -1 }
#define R_STORE(p, a, v) { .kind = OP_STORE, .slot = (p), .slot2 = -1, \
	.addr = (a), .len = 8, .size = 8, .val = (v) }
#define R_RANGE(k, p, a, l, pr) { .kind = (k), .slot = (p), .slot2 = -1, \
	.addr = (a), .len = (l), .prot = (pr) }
#define R_LOAD(p, a)	{ .kind = OP_LOAD, .slot = (p), .slot2 = -1, \
	.addr = (a), .len = 8, .size = 8 }
#define R_EXIT(p)	{ .kind = OP_EXIT, .slot = (p), .slot2 = -1 }

static int
run_ops(const struct op *ops, long n)
{
	struct op *copy = calloc((size_t)n, sizeof(*copy));
	char msg[1024];
	long fail;
	int kind, bad;

	memcpy(copy, ops, (size_t)n * sizeof(*copy));
	bad = run_isolated(0, copy, n, NULL, 0, 0, &fail, &kind, msg,
	    sizeof(msg));
	if (bad)
		printf("  %s\n", msg);
	free(copy);
	return (bad);
}

/*
 * A write fault in a write-only copy-on-write entry prefaulted a
 * neighbour found in the backing object with no protection at all
 * (pmap_enter panicked).
 */
TEST(model_prefault_write_only)
{
	static const struct op ops[] = {
		R_SPAWN(0),
		R_MMAP(0, 0, SEG, FLYVM_PROT_WRITE,
		    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE),
		R_STORE(0, 0x8400000 + 3 * PG, 1),
		R_FORK(0, 1),
		R_STORE(0, 0x8400000 + 5 * PG, 2),
	};

	ASSERT_EQ(run_ops(ops, (long)NITEMS(ops)), 0);
}

/*
 * Fork folds a long backing chain into its head; for a wired entry that
 * dropped the translations of wired pages: writes to the mlocked
 * copy-on-write range were refused, and exit leaked the pages.
 */
TEST(model_collapse_wired)
{
	static const struct op ops[] = {
		R_SPAWN(0),
		R_MMAP(0, 0, 4 * PG, FLYVM_PROT_READ | FLYVM_PROT_WRITE,
		    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE),
		R_FORK(0, 1), R_STORE(0, 0x8400008, 1),
		R_FORK(0, 2), R_STORE(0, 0x8400008, 2),
		R_FORK(0, 3), R_STORE(0, 0x8400008, 3),
		R_FORK(0, 4), R_STORE(0, 0x8400008, 4),
		R_FORK(0, 5), R_STORE(0, 0x8400008, 5),
		R_FORK(0, 6), R_STORE(0, 0x8400008, 6),
		R_RANGE(OP_MLOCK, 0, 0x8400000, 4 * PG, 0),
		R_FORK(0, 7),
		R_STORE(0, 0x8400010, 7),
		R_STORE(0, 0x8401010, 8),
	};

	ASSERT_EQ(run_ops(ops, (long)NITEMS(ops)), 0);
}

/*
 * A fork sharing (INHERIT_SHARE) an entry still copy-on-write from an
 * earlier fork: the parent kept read-only ptes to the backing page and
 * missed the child's write into the shared shadow.
 */
TEST(model_share_after_cow)
{
	static const struct op ops[] = {
		R_SPAWN(0),
		R_MMAP(0, 0, 4 * PG, FLYVM_PROT_READ | FLYVM_PROT_WRITE,
		    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE),
		R_STORE(0, 0x8400008, 0x74),
		R_FORK(0, 1),
		R_LOAD(0, 0x8400008),
		R_RANGE(OP_MINHERIT, 0, 0x8400000, 4 * PG,
		    FLYVM_INHERIT_SHARE),
		R_FORK(0, 2),
		R_STORE(2, 0x8400008, 0x99),
		R_LOAD(0, 0x8400008),
		R_STORE(0, 0x8400010, 0x55),
		R_LOAD(2, 0x8400010),
		R_LOAD(1, 0x8400008),
	};

	ASSERT_EQ(run_ops(ops, (long)NITEMS(ops)), 0);
}

/*
 * mprotect of mlocked pages to an inaccessible protection took the
 * wired ptes away, and with them the record of the wiring: the pages
 * stayed wired after exit (the run's free-count check fails on a leak).
 */
TEST(model_mprotect_wired)
{
	static const struct op ops[] = {
		R_SPAWN(0),
		R_MMAP(0, 0, 16 * PG, FLYVM_PROT_EXEC,
		    FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE),
		R_RANGE(OP_MLOCK, 0, 0x840c000, 3 * PG, 0),
		R_RANGE(OP_MPROTECT, 0, 0x840d254, 6 * PG, FLYVM_PROT_WRITE),
		R_RANGE(OP_MUNLOCK, 0, 0x840c000, PG, 0),
		R_EXIT(0),
	};

	ASSERT_EQ(run_ops(ops, (long)NITEMS(ops)), 0);
}

TEST(model_fixed_seed)
{
	if (!enable_all())
		return;
	ASSERT_EQ(run_seed(0x5eed0001ULL, DEFAULT_OPS, 60), 0);
}

TEST(model_second_seed)
{
	if (!enable_all())
		return;
	ASSERT_EQ(run_seed(0x5eed0002ULL, DEFAULT_OPS / 2, 60), 0);
}

TEST(model_threads)
{
	if (!enable_all())
		return;
	ASSERT_EQ(run_threads(0x7bead5ULL, 2, 3, THREAD_OPS), 0);
}

static const struct test_case model_tests[] = {
	TEST_ENTRY(model_prefault_write_only),
	TEST_ENTRY(model_collapse_wired),
	TEST_ENTRY(model_share_after_cow),
	TEST_ENTRY(model_mprotect_wired),
	TEST_ENTRY(model_fixed_seed),
	TEST_ENTRY(model_second_seed),
	TEST_ENTRY(model_threads),
};

static int
random_mode(double seconds, int threads, int procs, uint64_t seed, long nops)
{
	double t0 = now_s();
	long runs = 0, total = 0;
	uint64_t s;

	enable_all();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (seed == 0)
		seed = (uint64_t)time(NULL) * 2654435761ULL;
	for (s = seed; now_s() - t0 < seconds; s++) {
		printf("seed 0x%" PRIx64 ": %ld ops%s\n", s, nops,
		    threads > 0 ? " (+ threads)" : "");
		if (run_seed(s, nops, 120))
			return (1);
		total += nops;
		if (threads > 0) {
			if (run_threads(s, procs, threads, nops / 2))
				return (1);
			total += (long)threads * procs * (nops / 2);
		}
		runs++;
	}
	printf("%ld seeds from 0x%" PRIx64 ", %ld ops, %.0f s: no divergence\n",
	    runs, seed, total, now_s() - t0);
	return (0);
}

int
main(int argc, char **argv)
{
	double seconds = -1;
	uint64_t seed = 0;
	long nops = DEFAULT_OPS;
	int i, threads = 0, procs = 2;

	model_trace = getenv("MODEL_TRACE") != NULL;
	if (getenv("MODEL_TRACE_THREAD") != NULL)
		model_trace_thread = atoi(getenv("MODEL_TRACE_THREAD"));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--random") == 0 && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--procs") == 0 && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc)
			nops = atol(argv[++i]);
		else if (strncmp(argv[i], "--", 2) == 0) {
			fprintf(stderr, "usage: %s [--random SECONDS "
			    "[--threads N [--procs P]] [--seed S] [--ops N]] "
			    "[TEST...]\n",
			    argv[0]);
			return (2);
		}
	}
	if (seconds >= 0)
		return (random_mode(seconds, threads, procs, seed, nops));
	return (harness_run(argc, argv, model_tests,
	    (int)NITEMS(model_tests)));
}
