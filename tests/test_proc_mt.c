/*
 * test_proc_mt.c - several host threads calling in at once through the
 * public API: many threads for one process (atomics, loads, stores and
 * copies on its stack), fork while others write, exit while others call
 * (each call completes or gets ESRCH; of two exits one wins), and several
 * processes at once.  Every page comes back and the audits pass.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <flyvm/flyvm.h>

#include "harness.h"

#define PG		4096ULL
#define STACK_TOP	FLYVM_USER_MAX
#define NTHREADS	4
#define NCPUS		4

static struct flyvm *vm;

static void
boot(void)
{
	struct flyvm_config cfg;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 64ULL << 20;
	cfg.ncpus = NCPUS;
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
}

static void
finish(void)
{
	size_t n;

	ASSERT_EQ(flyvm_proc_list(vm, NULL, 0, &n), 0);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

static uint64_t
free_count(void)
{
	struct flyvm_vmstats st;

	ASSERT_EQ(flyvm_get_vmstats(vm, &st), 0);
	return (st.free_count);
}

static void
run_threads(void *(*fn)(void *), void *args, size_t argsize, int n)
{
	pthread_t t[16];
	int i;

	for (i = 0; i < n; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, fn,
		    (char *)args + (size_t)i * argsize), 0);
	for (i = 0; i < n; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
}

/*
 * One process, many threads (and an inspector).  Word layout on the
 * stack: a fetch-add counter, a CAS counter, and one private page per
 * thread below them.
 */
#define W_ADD		(STACK_TOP - 8)
#define W_CAS		(STACK_TOP - 16)
#define SLOT(i)		(STACK_TOP - (uint64_t)(2 + (i)) * PG)
#define ROUNDS		2000

struct worker {
	flyvm_pid_t	pid;
	int		index;
	int		enter;		/* keep a CPU across calls */
	int		errors;
};

static void *
one_process_worker(void *arg)
{
	struct worker *w = arg;
	unsigned char out[PG + 100], in[PG + 100];
	uint64_t old, cur, v;
	int r;

	if (w->enter && flyvm_thread_enter(vm, "worker") != 0)
		w->errors++;
	for (r = 0; r < ROUNDS; r++) {
		if (flyvm_fetchadd(vm, w->pid, W_ADD, 8, 1, &old, NULL) != 0)
			w->errors++;
		do {
			if (flyvm_load(vm, w->pid, W_CAS, 4, &cur, NULL) != 0)
				w->errors++;
			if (flyvm_cas(vm, w->pid, W_CAS, 4, cur, cur + 1, &old,
			    NULL) != 0)
				w->errors++;
		} while (old != cur && w->errors == 0);
		if (flyvm_store(vm, w->pid, SLOT(w->index) + 8 * (r % 64), 8,
		    (uint64_t)r, NULL) != 0)
			w->errors++;
		if (flyvm_load(vm, w->pid, SLOT(w->index) + 8 * (r % 64), 8,
		    &v, NULL) != 0 || v != (uint64_t)r)
			w->errors++;
		if (r % 100 == 0) {
			memset(out, r & 0xff, sizeof(out));
			if (flyvm_copyout(vm, w->pid, out,
			    SLOT(w->index) + 1000, sizeof(out) - 1000 - 100,
			    NULL) != 0 ||
			    flyvm_copyin(vm, w->pid, SLOT(w->index) + 1000, in,
			    sizeof(out) - 1000 - 100, NULL) != 0 ||
			    memcmp(in, out, sizeof(out) - 1000 - 100) != 0)
				w->errors++;
		}
	}
	if (w->enter && flyvm_thread_leave(vm) != 0)
		w->errors++;
	return (NULL);
}

/*
 * An inspector: map, object and process snapshots of a process other
 * threads are faulting in and writing.
 */
static void *
inspector(void *arg)
{
	static struct flyvm_page_info pages[256];
	struct worker *w = arg;
	struct flyvm_map_entry_info ents[8];
	struct flyvm_backing_info refs[8];
	struct flyvm_object_info oi;
	struct flyvm_proc_info pi;
	size_t n, k;
	int r, e;

	for (r = 0; r < 200; r++) {
		if (flyvm_proc_map(vm, w->pid, ents, 8, &n) != 0 ||
		    flyvm_proc_info(vm, w->pid, &pi) != 0 || pi.nthreads < 1)
			w->errors++;
		for (k = 0; k < n && k < 8; k++) {
			if (ents[k].obj_id == 0)
				continue;
			e = flyvm_object_info(vm, ents[k].obj_id, &oi, pages,
			    256, refs, 8);
			if (e != 0 && e != ENOENT)
				w->errors++;
		}
	}
	return (NULL);
}

static void *
one_process_role(void *arg)
{
	struct worker *w = arg;

	if (w->index == NTHREADS)
		return (inspector(w));
	return (one_process_worker(w));
}

TEST(many_threads_one_process)
{
	struct worker w[NTHREADS + 1];
	flyvm_pid_t pid;
	uint64_t v;
	int i;

	boot();
	ASSERT_EQ(flyvm_proc_spawn(vm, 0, &pid), 0);
	memset(w, 0, sizeof(w));
	for (i = 0; i <= NTHREADS; i++) {
		w[i].pid = pid;
		w[i].index = i;
		w[i].enter = (i < 2);
	}
	run_threads(one_process_role, w, sizeof(w[0]), NTHREADS + 1);
	for (i = 0; i <= NTHREADS; i++)
		ASSERT_EQ(w[i].errors, 0);
	ASSERT_EQ(flyvm_load(vm, pid, W_ADD, 8, &v, NULL), 0);
	ASSERT_EQ(v, (uint64_t)NTHREADS * ROUNDS);
	ASSERT_EQ(flyvm_load(vm, pid, W_CAS, 4, &v, NULL), 0);
	ASSERT_EQ(v, (uint64_t)NTHREADS * ROUNDS);
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	finish();
}

/*
 * Fork while other threads write: each writer bumps its own word; every
 * child sees for each word a value no newer than the parent's after the
 * fork, and keeps seeing it while the parent goes on writing.
 */
struct writer {
	flyvm_pid_t	pid;
	int		index;
	int		errors;
	volatile int	*stop;
};

static void *
fork_writer(void *arg)
{
	struct writer *w = arg;
	uint64_t n = 0;

	while (!__atomic_load_n(w->stop, __ATOMIC_ACQUIRE)) {
		n++;
		if (flyvm_store(vm, w->pid, SLOT(w->index), 8, n, NULL) != 0)
			w->errors++;
	}
	return (NULL);
}

static void *
forker(void *arg)
{
	struct writer *w = arg;	/* w[0..NTHREADS-2] are the writers */
	flyvm_pid_t child;
	uint64_t cv[NTHREADS], pv, again;
	int f, i;

	for (f = 0; f < 20; f++) {
		if (flyvm_proc_fork(vm, w[0].pid, &child) != 0) {
			w[NTHREADS - 1].errors++;
			continue;
		}
		for (i = 0; i < NTHREADS - 1; i++) {
			if (flyvm_load(vm, w[0].pid, SLOT(i), 8, &pv, NULL) ||
			    flyvm_load(vm, child, SLOT(i), 8, &cv[i], NULL) ||
			    cv[i] > pv)
				w[NTHREADS - 1].errors++;
		}
		usleep(1000);
		for (i = 0; i < NTHREADS - 1; i++) {
			if (flyvm_load(vm, child, SLOT(i), 8, &again, NULL) ||
			    again != cv[i])
				w[NTHREADS - 1].errors++;
		}
		if (flyvm_proc_exit(vm, child, 0) != 0)
			w[NTHREADS - 1].errors++;
	}
	__atomic_store_n(w[0].stop, 1, __ATOMIC_RELEASE);
	return (NULL);
}

static void *
fork_role(void *arg)
{
	struct writer *w = arg;

	if (w->index == NTHREADS - 1)
		return (forker(w - w->index));
	return (fork_writer(w));
}

TEST(fork_while_others_write)
{
	struct writer w[NTHREADS];
	volatile int stop = 0;
	flyvm_pid_t pid;
	uint64_t free0;
	int i;

	boot();
	free0 = free_count();
	ASSERT_EQ(flyvm_proc_spawn(vm, 0, &pid), 0);
	memset(w, 0, sizeof(w));
	for (i = 0; i < NTHREADS; i++) {
		w[i].pid = pid;
		w[i].index = i;
		w[i].stop = &stop;
	}
	run_threads(fork_role, w, sizeof(w[0]), NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(w[i].errors, 0);
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	ASSERT_EQ(free_count(), free0);
	finish();
}

/*
 * Exit while others call: callers loop until they get ESRCH; every call
 * before that completes.  Two threads exit at once: one wins, the other
 * gets ESRCH.
 */
struct caller {
	flyvm_pid_t	pid;
	int		index;
	int		calls;
	int		errors;
	int		exit_rv;
	int		*started;	/* callers past their first call */
};

static void *
exit_caller(void *arg)
{
	struct caller *c = arg;
	struct flyvm_proc_info pi;
	flyvm_pid_t child;
	uint64_t v = 0;
	int e;

	if (c->index >= NTHREADS - 2) {
		/* The two exiters: wait until every caller is going. */
		while (__atomic_load_n(c->started, __ATOMIC_ACQUIRE) <
		    NTHREADS - 2)
			usleep(1000);
		c->exit_rv = flyvm_proc_exit(vm, c->pid, 0);
		return (NULL);
	}
	for (;;) {
		if (c->calls == 1)
			__atomic_add_fetch(c->started, 1, __ATOMIC_RELEASE);
		switch (c->calls % 5) {
		case 0:
			e = flyvm_fetchadd(vm, c->pid, W_ADD, 8, 1, &v, NULL);
			break;
		case 1:
			e = flyvm_store(vm, c->pid, SLOT(c->index), 8, v, NULL);
			break;
		case 2:
			e = flyvm_proc_info(vm, c->pid, &pi);
			break;
		case 3:
			e = flyvm_proc_fork(vm, c->pid, &child);
			if (e == 0 && flyvm_proc_exit(vm, child, 0) != 0)
				c->errors++;
			break;
		default:
			e = flyvm_load(vm, c->pid, SLOT(c->index), 8, &v,
			    NULL);
			break;
		}
		if (e == ESRCH)
			return (NULL);
		if (e != 0)
			c->errors++;
		c->calls++;
	}
}

TEST(exit_while_others_call)
{
	struct caller c[NTHREADS];
	flyvm_pid_t pid;
	uint64_t free0;
	int i, round, wins, started;

	boot();
	free0 = free_count();
	for (round = 0; round < 5; round++) {
		ASSERT_EQ(flyvm_proc_spawn(vm, 0, &pid), 0);
		memset(c, 0, sizeof(c));
		started = 0;
		for (i = 0; i < NTHREADS; i++) {
			c[i].pid = pid;
			c[i].index = i;
			c[i].started = &started;
		}
		run_threads(exit_caller, c, sizeof(c[0]), NTHREADS);
		wins = 0;
		for (i = 0; i < NTHREADS; i++) {
			ASSERT_EQ(c[i].errors, 0);
			if (i >= NTHREADS - 2) {
				ASSERT_TRUE(c[i].exit_rv == 0 ||
				    c[i].exit_rv == ESRCH);
				wins += (c[i].exit_rv == 0);
			} else {
				ASSERT_TRUE(c[i].calls > 0);
			}
		}
		ASSERT_EQ(wins, 1);
	}
	ASSERT_EQ(free_count(), free0);
	finish();
}

/* Several processes at once, each driven by its own thread. */
static void *
own_process(void *arg)
{
	struct worker *w = arg;
	flyvm_pid_t pid, child;
	uint64_t i, v;
	int r;

	for (r = 0; r < 10; r++) {
		if (flyvm_proc_spawn(vm, (uint32_t)w->index, &pid) != 0) {
			w->errors++;
			return (NULL);
		}
		for (i = 1; i <= 32; i++)
			if (flyvm_store(vm, pid, STACK_TOP - i * PG, 8,
			    i + (uint64_t)w->index, NULL) != 0)
				w->errors++;
		if (flyvm_proc_fork(vm, pid, &child) != 0) {
			w->errors++;
		} else {
			for (i = 1; i <= 32; i++)
				if (flyvm_store(vm, child, STACK_TOP - i * PG,
				    8, 0, NULL) != 0)
					w->errors++;
			if (flyvm_proc_exit(vm, child, 0) != 0)
				w->errors++;
		}
		for (i = 1; i <= 32; i++)
			if (flyvm_load(vm, pid, STACK_TOP - i * PG, 8, &v,
			    NULL) != 0 || v != i + (uint64_t)w->index)
				w->errors++;
		if (flyvm_proc_exit(vm, pid, 0) != 0)
			w->errors++;
	}
	return (NULL);
}

TEST(several_processes_at_once)
{
	struct worker w[NTHREADS];
	uint64_t free0;
	int i;

	boot();
	free0 = free_count();
	memset(w, 0, sizeof(w));
	for (i = 0; i < NTHREADS; i++)
		w[i].index = i;
	run_threads(own_process, w, sizeof(w[0]), NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(w[i].errors, 0);
	ASSERT_EQ(free_count(), free0);
	finish();
}

/*
 * RLIMIT_RSS with several threads faulting at once: their scans of the
 * one pmap overlap, every value survives, and pages were taken out.
 */
#define RSS_PAGES	1100		/* per thread; 4 threads > 4096 + 64 */

static void *
rss_worker(void *arg)
{
	struct worker *w = arg;
	uint64_t i, v, base = STACK_TOP - (uint64_t)w->index * RSS_PAGES * PG;

	for (i = 1; i <= RSS_PAGES; i++)
		if (flyvm_store(vm, w->pid, base - i * PG, 8, i, NULL) != 0)
			w->errors++;
	for (i = 1; i <= RSS_PAGES; i++)
		if (flyvm_load(vm, w->pid, base - i * PG, 8, &v, NULL) != 0 ||
		    v != i)
			w->errors++;
	return (NULL);
}

TEST(rlimit_rss_with_threads_faulting)
{
	struct worker w[NTHREADS];
	struct flyvm_rlimit rl = { 64LL << 20, 512LL << 20 };
	struct flyvm_proc_info pi;
	flyvm_pid_t pid;
	int i;

	boot();
	ASSERT_EQ(flyvm_proc_spawn(vm, 0, &pid), 0);
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(flyvm_getrlimit(vm, pid, FLYVM_RLIMIT_RSS, &rl), 0);
	rl.rlim_cur = 64 * PG;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_RSS, &rl), 0);
	/* Grow the whole stack first so the workers never race to grow. */
	ASSERT_EQ(flyvm_store(vm, pid,
	    STACK_TOP - (uint64_t)NTHREADS * RSS_PAGES * PG, 8, 0, NULL), 0);
	memset(w, 0, sizeof(w));
	for (i = 0; i < NTHREADS; i++) {
		w[i].pid = pid;
		w[i].index = i;
	}
	run_threads(rss_worker, w, sizeof(w[0]), NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(w[i].errors, 0);
	ASSERT_EQ(flyvm_proc_info(vm, pid, &pi), 0);
	ASSERT_TRUE(pi.resident < (uint64_t)NTHREADS * RSS_PAGES);
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	finish();
}

TEST_MAIN(
	TEST_ENTRY(many_threads_one_process),
	TEST_ENTRY(fork_while_others_write),
	TEST_ENTRY(exit_while_others_call),
	TEST_ENTRY(several_processes_at_once),
	TEST_ENTRY(rlimit_rss_with_threads_faulting),
)
