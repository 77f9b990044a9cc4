/*
 * test_proc.c - processes through the public API only: spawn, fork,
 * exit, credentials and limits; user memory on the stack (loads, stores,
 * copies, atomics, the fault each failure reports, stack growth,
 * copy-on-write after fork); inspection of maps, objects and processes;
 * RLIMIT_RSS on faults; and every page back after the last exit.
 */
#include <errno.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "harness.h"

#define PG		4096ULL
#define STACK_TOP	FLYVM_USER_MAX
#define STACK_INIT	(128ULL << 10)		/* mapped at spawn */
#define STACK_BASE	(STACK_TOP - STACK_INIT)
#define PID_NONE	999998			/* never handed out here */

static struct flyvm *
boot_mem(uint64_t bytes)
{
	struct flyvm_config cfg;
	struct flyvm *vm = NULL;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = bytes;
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
	return (vm);
}

static struct flyvm *
boot(void)
{
	return (boot_mem(64ULL << 20));
}

static void
finish(struct flyvm *vm)
{
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

static uint64_t
free_count(struct flyvm *vm)
{
	struct flyvm_vmstats st;

	ASSERT_EQ(flyvm_get_vmstats(vm, &st), 0);
	return (st.free_count);
}

static flyvm_pid_t
spawn(struct flyvm *vm, uint32_t uid)
{
	flyvm_pid_t pid = -1;

	ASSERT_EQ(flyvm_proc_spawn(vm, uid, &pid), 0);
	ASSERT_TRUE(pid > 0);
	return (pid);
}

static uint64_t
load(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size)
{
	uint64_t v = 0;

	ASSERT_EQ(flyvm_load(vm, pid, addr, size, &v, NULL), 0);
	return (v);
}

static void
store(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size,
    uint64_t val)
{
	ASSERT_EQ(flyvm_store(vm, pid, addr, size, val, NULL), 0);
}

static struct flyvm_proc_info
pinfo(struct flyvm *vm, flyvm_pid_t pid)
{
	struct flyvm_proc_info pi;

	ASSERT_EQ(flyvm_proc_info(vm, pid, &pi), 0);
	return (pi);
}

/* The map entry containing addr. */
static struct flyvm_map_entry_info
entry_at(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr)
{
	struct flyvm_map_entry_info buf[16];
	size_t i, n;

	ASSERT_EQ(flyvm_proc_map(vm, pid, buf, 16, &n), 0);
	ASSERT_LE(n, 16);
	for (i = 0; i < n; i++)
		if (buf[i].start <= addr && addr < buf[i].end)
			return (buf[i]);
	harness_fail(__FILE__, __LINE__, "no entry at %#llx",
	    (unsigned long long)addr);
}

/* A failed access must report exactly this fault. */
#define ASSERT_FAULT(si, esig, ecode, eaddr) do {			\
	ASSERT_EQ((si).signo, (esig));				\
	ASSERT_EQ((si).code, (ecode));				\
	ASSERT_EQ((si).addr, (eaddr));				\
} while (0)

TEST(spawn_fork_exit_and_list)
{
	struct flyvm *vm = boot();
	struct flyvm_proc_info pi;
	flyvm_pid_t a, b, c, pids[8];
	size_t n;

	a = spawn(vm, 1000);
	b = spawn(vm, 0);
	ASSERT_EQ(flyvm_proc_fork(vm, a, &c), 0);
	ASSERT_EQ(flyvm_proc_list(vm, pids, 8, &n), 0);
	ASSERT_EQ(n, 3);
	ASSERT_TRUE(pids[0] < pids[1] && pids[1] < pids[2]);
	ASSERT_TRUE(pids[0] == a || pids[1] == a || pids[2] == a);
	/* Fewer slots than processes: the total still comes back. */
	ASSERT_EQ(flyvm_proc_list(vm, pids, 1, &n), 0);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(flyvm_proc_list(vm, NULL, 0, &n), 0);
	ASSERT_EQ(n, 3);
	pi = pinfo(vm, c);
	ASSERT_EQ(pi.pid, c);
	ASSERT_EQ(pi.ppid, a);
	ASSERT_EQ(pi.uid, 1000);
	ASSERT_EQ(pinfo(vm, a).ppid, 0);
	ASSERT_EQ(flyvm_proc_exit(vm, a, 0), 0);
	/* The child outlives its parent. */
	ASSERT_EQ(pinfo(vm, c).ppid, a);
	ASSERT_EQ(flyvm_proc_exit(vm, a, 0), ESRCH);
	ASSERT_EQ(flyvm_proc_info(vm, a, &pi), ESRCH);
	ASSERT_EQ(flyvm_proc_list(vm, pids, 8, &n), 0);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(flyvm_proc_exit(vm, b, 0), 0);
	ASSERT_EQ(flyvm_proc_exit(vm, c, 3), 0);
	ASSERT_EQ(flyvm_proc_list(vm, pids, 8, &n), 0);
	ASSERT_EQ(n, 0);
	finish(vm);
}

TEST(maxproc_gives_eagain)
{
	struct flyvm *vm = boot();
	flyvm_pid_t a, b;

	ASSERT_EQ(flyvm_sysctl_set(vm, "kern.maxproc", 2), 0);
	a = spawn(vm, 0);
	ASSERT_EQ(flyvm_proc_fork(vm, a, &b), 0);
	ASSERT_EQ(flyvm_proc_fork(vm, a, &b), EAGAIN);
	ASSERT_EQ(flyvm_proc_spawn(vm, 0, &b), EAGAIN);
	finish(vm);		/* shutdown exits what is left */
}

/* Every call: a NULL or stale handle is EINVAL, before anything else. */
TEST(bad_handle_is_einval)
{
	struct flyvm *vm = boot();
	struct flyvm *bad = (struct flyvm *)&vm;
	struct flyvm_siginfo si;
	struct flyvm_rlimit rl = { 1, 1 };
	struct flyvm_map_entry_info mi;
	struct flyvm_object_info oi;
	struct flyvm_proc_info pi;
	flyvm_pid_t pid = spawn(vm, 0), p2;
	uint64_t v;
	size_t n;
	char b[8];
	struct flyvm *vms[2] = { NULL, bad };
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(flyvm_proc_spawn(vms[i], 0, &p2), EINVAL);
		ASSERT_EQ(flyvm_proc_fork(vms[i], pid, &p2), EINVAL);
		ASSERT_EQ(flyvm_proc_exit(vms[i], pid, 0), EINVAL);
		ASSERT_EQ(flyvm_proc_setuid(vms[i], pid, 0), EINVAL);
		ASSERT_EQ(flyvm_getrlimit(vms[i], pid, 0, &rl), EINVAL);
		ASSERT_EQ(flyvm_setrlimit(vms[i], pid, 0, &rl), EINVAL);
		ASSERT_EQ(flyvm_proc_list(vms[i], NULL, 0, &n), EINVAL);
		ASSERT_EQ(flyvm_load(vms[i], pid, STACK_BASE, 8, &v, &si),
		    EINVAL);
		ASSERT_EQ(flyvm_store(vms[i], pid, STACK_BASE, 8, 0, &si),
		    EINVAL);
		ASSERT_EQ(flyvm_copyin(vms[i], pid, STACK_BASE, b, 8, &si),
		    EINVAL);
		ASSERT_EQ(flyvm_copyout(vms[i], pid, b, STACK_BASE, 8, &si),
		    EINVAL);
		ASSERT_EQ(flyvm_cas(vms[i], pid, STACK_BASE, 8, 0, 0, &v, &si),
		    EINVAL);
		ASSERT_EQ(flyvm_fetchadd(vms[i], pid, STACK_BASE, 8, 0, &v,
		    &si), EINVAL);
		ASSERT_EQ(flyvm_proc_map(vms[i], pid, &mi, 1, &n), EINVAL);
		ASSERT_EQ(flyvm_object_info(vms[i], 1, &oi, NULL, 0, NULL, 0),
		    EINVAL);
		ASSERT_EQ(flyvm_proc_info(vms[i], pid, &pi), EINVAL);
	}
	/* EINVAL comes before ESRCH and EFAULT. */
	ASSERT_EQ(flyvm_proc_info(NULL, PID_NONE, NULL), EINVAL);
	finish(vm);
}

/* A pid that never existed, or has exited, is ESRCH everywhere. */
TEST(stale_pid_is_esrch)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	struct flyvm_rlimit rl = { 1, 1 };
	struct flyvm_map_entry_info mi;
	struct flyvm_proc_info pi;
	flyvm_pid_t gone = spawn(vm, 0), p2, pids[2] = { PID_NONE, gone };
	uint64_t v;
	size_t n;
	char b[8];
	int i;

	ASSERT_EQ(flyvm_proc_exit(vm, gone, 0), 0);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(flyvm_proc_fork(vm, pids[i], &p2), ESRCH);
		ASSERT_EQ(flyvm_proc_exit(vm, pids[i], 0), ESRCH);
		ASSERT_EQ(flyvm_proc_setuid(vm, pids[i], 0), ESRCH);
		ASSERT_EQ(flyvm_getrlimit(vm, pids[i], 0, &rl), ESRCH);
		ASSERT_EQ(flyvm_setrlimit(vm, pids[i], 0, &rl), ESRCH);
		ASSERT_EQ(flyvm_load(vm, pids[i], STACK_BASE, 8, &v, &si),
		    ESRCH);
		ASSERT_EQ(flyvm_store(vm, pids[i], STACK_BASE, 8, 0, &si),
		    ESRCH);
		ASSERT_EQ(flyvm_copyin(vm, pids[i], STACK_BASE, b, 8, &si),
		    ESRCH);
		ASSERT_EQ(flyvm_copyout(vm, pids[i], b, STACK_BASE, 8, &si),
		    ESRCH);
		ASSERT_EQ(flyvm_cas(vm, pids[i], STACK_BASE, 8, 0, 0, &v, &si),
		    ESRCH);
		ASSERT_EQ(flyvm_fetchadd(vm, pids[i], STACK_BASE, 8, 0, &v,
		    &si), ESRCH);
		ASSERT_EQ(flyvm_proc_map(vm, pids[i], &mi, 1, &n), ESRCH);
		ASSERT_EQ(flyvm_proc_info(vm, pids[i], &pi), ESRCH);
		/* ESRCH comes before EFAULT. */
		ASSERT_EQ(flyvm_proc_info(vm, pids[i], NULL), ESRCH);
		ASSERT_EQ(flyvm_load(vm, pids[i], STACK_BASE, 3, NULL, NULL),
		    ESRCH);
	}
	ASSERT_EQ(flyvm_proc_fork(vm, 0, &p2), ESRCH);
	ASSERT_EQ(flyvm_proc_info(vm, -1, &pi), ESRCH);
	finish(vm);
}

/* NULL out-parameters are EFAULT; then each call's own argument checks. */
TEST(null_out_params_and_bad_arguments)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	struct flyvm_rlimit rl;
	struct flyvm_object_info oi;
	flyvm_pid_t pid = spawn(vm, 0);
	uint64_t v;
	size_t n;
	char b[8];

	ASSERT_EQ(flyvm_proc_spawn(vm, 0, NULL), EFAULT);
	ASSERT_EQ(flyvm_proc_fork(vm, pid, NULL), EFAULT);
	ASSERT_EQ(flyvm_getrlimit(vm, pid, FLYVM_RLIMIT_DATA, NULL), EFAULT);
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_DATA, NULL), EFAULT);
	ASSERT_EQ(flyvm_proc_list(vm, NULL, 0, NULL), EFAULT);
	ASSERT_EQ(flyvm_proc_list(vm, NULL, 4, &n), EFAULT);
	ASSERT_EQ(flyvm_load(vm, pid, STACK_BASE, 8, NULL, &si), EFAULT);
	ASSERT_EQ(flyvm_copyin(vm, pid, STACK_BASE, NULL, 8, &si), EFAULT);
	ASSERT_EQ(flyvm_copyout(vm, pid, NULL, STACK_BASE, 8, &si), EFAULT);
	ASSERT_EQ(flyvm_cas(vm, pid, STACK_BASE, 8, 0, 0, NULL, &si), EFAULT);
	ASSERT_EQ(flyvm_fetchadd(vm, pid, STACK_BASE, 8, 1, NULL, &si),
	    EFAULT);
	ASSERT_EQ(flyvm_proc_map(vm, pid, NULL, 0, NULL), EFAULT);
	ASSERT_EQ(flyvm_proc_map(vm, pid, NULL, 3, &n), EFAULT);
	ASSERT_EQ(flyvm_proc_info(vm, pid, NULL), EFAULT);
	ASSERT_EQ(flyvm_object_info(vm, 1, NULL, NULL, 0, NULL, 0), EFAULT);
	ASSERT_EQ(flyvm_object_info(vm, 1, &oi, NULL, 1, NULL, 0), EFAULT);
	ASSERT_EQ(flyvm_object_info(vm, 1, &oi, NULL, 0, NULL, 1), EFAULT);
	/* EFAULT for a NULL result comes before EINVAL for a bad size. */
	ASSERT_EQ(flyvm_load(vm, pid, STACK_BASE, 3, NULL, &si), EFAULT);

	/* Sizes: 1, 2, 4, 8; only 4 and 8 for the atomics. */
	ASSERT_EQ(flyvm_load(vm, pid, STACK_BASE, 3, &v, &si), EINVAL);
	ASSERT_EQ(flyvm_load(vm, pid, STACK_BASE, 0, &v, &si), EINVAL);
	ASSERT_EQ(flyvm_load(vm, pid, STACK_BASE, 16, &v, &si), EINVAL);
	ASSERT_EQ(flyvm_store(vm, pid, STACK_BASE, -8, 0, &si), EINVAL);
	ASSERT_EQ(flyvm_cas(vm, pid, STACK_BASE, 2, 0, 0, &v, &si), EINVAL);
	ASSERT_EQ(flyvm_cas(vm, pid, STACK_BASE, 1, 0, 0, &v, &si), EINVAL);
	ASSERT_EQ(flyvm_fetchadd(vm, pid, STACK_BASE, 2, 1, &v, &si), EINVAL);
	/* Resources. */
	ASSERT_EQ(flyvm_getrlimit(vm, pid, FLYVM_RLIM_NLIMITS, &rl), EINVAL);
	ASSERT_EQ(flyvm_getrlimit(vm, pid, -1, &rl), EINVAL);
	rl.rlim_cur = rl.rlim_max = 1;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIM_NLIMITS, &rl), EINVAL);
	ASSERT_EQ(flyvm_setrlimit(vm, pid, -1, &rl), EINVAL);
	rl.rlim_cur = 2;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_AS, &rl), EINVAL);
	rl.rlim_cur = -1;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_AS, &rl), EINVAL);
	/* No object has id 0 (ids start at 1) and none this large. */
	ASSERT_EQ(flyvm_object_info(vm, 0, &oi, NULL, 0, NULL, 0), ENOENT);
	ASSERT_EQ(flyvm_object_info(vm, UINT64_MAX, &oi, NULL, 0, NULL, 0),
	    ENOENT);
	/* Zero-length copies do nothing and succeed anywhere. */
	ASSERT_EQ(flyvm_copyin(vm, pid, 0, b, 0, &si), 0);
	ASSERT_EQ(flyvm_copyout(vm, pid, b, 0, 0, &si), 0);
	finish(vm);
}

TEST(setuid_and_rlimits)
{
	struct flyvm *vm = boot();
	struct flyvm_rlimit rl;
	flyvm_pid_t user = spawn(vm, 1000), root = spawn(vm, 0), child;

	/* Defaults (plimit_init0). */
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_DATA, &rl), 0);
	ASSERT_EQ(rl.rlim_cur, 128LL << 20);
	ASSERT_EQ(rl.rlim_max, 32LL << 30);
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(rl.rlim_cur, 8LL << 20);
	ASSERT_EQ(rl.rlim_max, 512LL << 20);
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_AS, &rl), 0);
	ASSERT_EQ(rl.rlim_cur, FLYVM_RLIM_INFINITY);
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_MEMLOCK, &rl), 0);
	ASSERT_TRUE(rl.rlim_cur > 0 && rl.rlim_cur == rl.rlim_max / 3);
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_RSS, &rl), 0);
	ASSERT_TRUE(rl.rlim_cur > 0 && rl.rlim_cur == rl.rlim_max);

	/* Lowering is allowed; raising the hard limit needs root. */
	rl.rlim_cur = 1 << 20;
	rl.rlim_max = 2 << 20;
	ASSERT_EQ(flyvm_setrlimit(vm, user, FLYVM_RLIMIT_DATA, &rl), 0);
	rl.rlim_max = 4 << 20;
	ASSERT_EQ(flyvm_setrlimit(vm, user, FLYVM_RLIMIT_DATA, &rl), EPERM);
	ASSERT_EQ(flyvm_getrlimit(vm, user, FLYVM_RLIMIT_DATA, &rl), 0);
	ASSERT_EQ(rl.rlim_max, 2 << 20);
	rl.rlim_cur = rl.rlim_max = FLYVM_RLIM_INFINITY;
	ASSERT_EQ(flyvm_setrlimit(vm, root, FLYVM_RLIMIT_CORE, &rl), 0);
	/* RLIMIT_STACK is clamped to the reserve (MAXSSIZ). */
	ASSERT_EQ(flyvm_setrlimit(vm, root, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(flyvm_getrlimit(vm, root, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(rl.rlim_max, 512LL << 20);

	/* setuid: EPERM unless root or the same uid. */
	ASSERT_EQ(flyvm_proc_setuid(vm, user, 0), EPERM);
	ASSERT_EQ(flyvm_proc_setuid(vm, user, 1000), 0);
	ASSERT_EQ(flyvm_proc_setuid(vm, root, 5), 0);
	ASSERT_EQ(pinfo(vm, root).uid, 5);
	ASSERT_EQ(flyvm_proc_setuid(vm, root, 0), EPERM);

	/* fork copies uid and limits. */
	ASSERT_EQ(flyvm_proc_fork(vm, user, &child), 0);
	ASSERT_EQ(pinfo(vm, child).uid, 1000);
	ASSERT_EQ(flyvm_getrlimit(vm, child, FLYVM_RLIMIT_DATA, &rl), 0);
	ASSERT_EQ(rl.rlim_cur, 1 << 20);
	ASSERT_EQ(rl.rlim_max, 2 << 20);
	finish(vm);
}

TEST(loads_stores_and_copies_on_the_stack)
{
	struct flyvm *vm = boot();
	flyvm_pid_t pid = spawn(vm, 0);
	unsigned char out[3 * PG], in[3 * PG];
	uint64_t top8 = STACK_TOP - 8, v;
	size_t i;

	/* Fresh stack memory reads as zeros. */
	ASSERT_EQ(load(vm, pid, top8, 8), 0);
	store(vm, pid, top8, 8, 0x1122334455667788ULL);
	ASSERT_EQ(load(vm, pid, top8, 8), 0x1122334455667788ULL);
	ASSERT_EQ(load(vm, pid, top8, 4), 0x55667788);	/* little-endian */
	ASSERT_EQ(load(vm, pid, top8 + 4, 2), 0x3344);
	ASSERT_EQ(load(vm, pid, top8 + 7, 1), 0x11);
	store(vm, pid, top8 + 1, 1, 0xab);
	ASSERT_EQ(load(vm, pid, top8, 2), 0xab88);
	/* Misaligned, across a page boundary. */
	store(vm, pid, STACK_BASE + PG - 3, 8, 0x0102030405060708ULL);
	ASSERT_EQ(load(vm, pid, STACK_BASE + PG - 3, 8),
	    0x0102030405060708ULL);
	ASSERT_EQ(load(vm, pid, STACK_BASE + PG, 1), 0x05);
	/* Only the low size bytes of the value are stored. */
	store(vm, pid, STACK_BASE, 2, 0xffffffffffffbeefULL);
	ASSERT_EQ(load(vm, pid, STACK_BASE, 8), 0xbeef);

	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + 3);
	ASSERT_EQ(flyvm_copyout(vm, pid, out, STACK_BASE + 100, sizeof(out),
	    NULL), 0);
	memset(in, 0, sizeof(in));
	ASSERT_EQ(flyvm_copyin(vm, pid, STACK_BASE + 100, in, sizeof(in),
	    NULL), 0);
	ASSERT_EQ(memcmp(in, out, sizeof(in)), 0);
	v = load(vm, pid, STACK_BASE + 100 + PG, 1);
	ASSERT_EQ(v, out[PG]);
	finish(vm);
}

TEST(atomics)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	flyvm_pid_t pid = spawn(vm, 0);
	uint64_t a = STACK_TOP - 64, old;

	store(vm, pid, a, 8, 10);
	ASSERT_EQ(flyvm_cas(vm, pid, a, 8, 10, 20, &old, NULL), 0);
	ASSERT_EQ(old, 10);
	ASSERT_EQ(load(vm, pid, a, 8), 20);
	/* A failed compare stores nothing and returns the current value. */
	ASSERT_EQ(flyvm_cas(vm, pid, a, 8, 10, 30, &old, NULL), 0);
	ASSERT_EQ(old, 20);
	ASSERT_EQ(load(vm, pid, a, 8), 20);
	ASSERT_EQ(flyvm_fetchadd(vm, pid, a, 8, 5, &old, NULL), 0);
	ASSERT_EQ(old, 20);
	ASSERT_EQ(load(vm, pid, a, 8), 25);
	/* 4 bytes: the high half of the arguments is ignored. */
	store(vm, pid, a + 8, 8, 0xaaaaaaaa00000001ULL);
	ASSERT_EQ(flyvm_cas(vm, pid, a + 8, 4, 0xff00000001ULL, 7, &old,
	    NULL), 0);
	ASSERT_EQ(old, 1);
	ASSERT_EQ(load(vm, pid, a + 8, 8), 0xaaaaaaaa00000007ULL);
	ASSERT_EQ(flyvm_fetchadd(vm, pid, a + 8, 4, 0xffffffff, &old, NULL),
	    0);
	ASSERT_EQ(old, 7);
	ASSERT_EQ(load(vm, pid, a + 8, 8), 0xaaaaaaaa00000006ULL);
	/* Misaligned atomics: SIGBUS/BUS_ADRALN, nothing changes. */
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(flyvm_cas(vm, pid, a + 4, 8, 0, 1, &old, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGBUS, FLYVM_BUS_ADRALN, a + 4);
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(flyvm_fetchadd(vm, pid, a + 2, 4, 1, &old, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGBUS, FLYVM_BUS_ADRALN, a + 2);
	ASSERT_EQ(load(vm, pid, a, 8), 25);
	ASSERT_EQ(load(vm, pid, a + 8, 8), 0xaaaaaaaa00000006ULL);
	/* Unmapped: SIGSEGV/SEGV_MAPERR. */
	ASSERT_EQ(flyvm_cas(vm, pid, 0x1000, 8, 0, 1, &old, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, 0x1000);
	finish(vm);
}

TEST(faults_report_signal_code_and_address)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	flyvm_pid_t pid = spawn(vm, 0);
	uint64_t v = 77, far = STACK_TOP - (1ULL << 30);
	char b[16];

	/* Nothing mapped at the bottom of the address space. */
	ASSERT_EQ(flyvm_load(vm, pid, 0, 8, &v, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, 0);
	ASSERT_EQ(v, 77);		/* untouched */
	/* Below the stack's reserve. */
	ASSERT_EQ(flyvm_store(vm, pid, far, 8, 1, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, far);
	/* In the reserve but past RLIMIT_STACK (8 MiB): no growth. */
	ASSERT_EQ(flyvm_store(vm, pid, STACK_TOP - (16ULL << 20), 1, 1, &si),
	    EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR,
	    STACK_TOP - (16ULL << 20));
	/* Outside user space (and a copy running out of it). */
	ASSERT_EQ(flyvm_load(vm, pid, STACK_TOP, 1, &v, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, STACK_TOP);
	ASSERT_EQ(flyvm_load(vm, pid, ~0ULL - 7, 8, &v, &si), EFAULT);
	ASSERT_EQ(si.signo, FLYVM_SIGSEGV);
	ASSERT_EQ(flyvm_copyin(vm, pid, STACK_TOP - 8, b, 16, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, STACK_TOP);
	ASSERT_EQ(flyvm_copyin(vm, pid, 5, b, 16, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, 5);
	/* si may be NULL. */
	ASSERT_EQ(flyvm_load(vm, pid, 0, 8, &v, NULL), EFAULT);
	/* A store straddling the end of user space writes nothing. */
	store(vm, pid, STACK_TOP - 8, 8, 0x5555555555555555ULL);
	ASSERT_EQ(flyvm_store(vm, pid, STACK_TOP - 4, 8, 0, &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, STACK_TOP);
	ASSERT_EQ(load(vm, pid, STACK_TOP - 8, 8), 0x5555555555555555ULL);
	finish(vm);
}

/* A copyout that would fault part way writes no byte. */
TEST(copyout_that_faults_changes_nothing)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	flyvm_pid_t pid = spawn(vm, 0);
	unsigned char buf[4 * PG], back[2 * PG];
	uint64_t dst = STACK_TOP - 2 * PG;
	size_t i;

	memset(buf, 0xee, sizeof(buf));
	memset(back, 0x11, sizeof(back));
	ASSERT_EQ(flyvm_copyout(vm, pid, back, dst, sizeof(back), NULL), 0);
	/* Two pages fit, the third is past the end of user space. */
	ASSERT_EQ(flyvm_copyout(vm, pid, buf, dst, sizeof(buf), &si),
	    EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, STACK_TOP);
	memset(back, 0, sizeof(back));
	ASSERT_EQ(flyvm_copyin(vm, pid, dst, back, sizeof(back), NULL), 0);
	for (i = 0; i < sizeof(back); i++)
		ASSERT_EQ(back[i], 0x11);
	/* A copyin that faults leaves the buffer alone too. */
	memset(buf, 0x42, sizeof(buf));
	ASSERT_EQ(flyvm_copyin(vm, pid, dst, buf, sizeof(buf), &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR, STACK_TOP);
	ASSERT_EQ(buf[0], 0x42);
	ASSERT_EQ(buf[2 * PG - 1], 0x42);
	finish(vm);
}

TEST(stack_grows_down_under_rlimit_stack)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	struct flyvm_rlimit rl;
	struct flyvm_proc_info pi;
	struct flyvm_map_entry_info me;
	flyvm_pid_t pid = spawn(vm, 1000);
	uint64_t below = STACK_BASE - 8;

	pi = pinfo(vm, pid);
	ASSERT_EQ(pi.stack_top, STACK_TOP);
	ASSERT_EQ(pi.stack_size, STACK_INIT);
	ASSERT_EQ(pi.nentries, 1);
	ASSERT_EQ(pi.map_size, STACK_INIT);
	ASSERT_EQ(pi.daddr, 0x400000);
	ASSERT_EQ(pi.brk, 0x400000);
	/* Just below the stack: it grows (by at least 128 KiB). */
	store(vm, pid, below, 8, 99);
	ASSERT_EQ(load(vm, pid, below, 8), 99);
	pi = pinfo(vm, pid);
	ASSERT_EQ(pi.stack_size, 2 * STACK_INIT);
	ASSERT_EQ(pi.map_size, 2 * STACK_INIT);
	me = entry_at(vm, pid, below);
	ASSERT_TRUE(me.start <= STACK_BASE - STACK_INIT);
	ASSERT_TRUE(me.flags & FLYVM_ME_STACK);
	/* Lowering RLIMIT_STACK below what is in use only stops growth. */
	rl.rlim_cur = STACK_INIT;
	rl.rlim_max = 512LL << 20;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(load(vm, pid, below, 8), 99);
	ASSERT_EQ(flyvm_store(vm, pid, STACK_TOP - 3 * STACK_INIT - 8, 8, 1,
	    &si), EFAULT);
	ASSERT_FAULT(si, FLYVM_SIGSEGV, FLYVM_SEGV_MAPERR,
	    STACK_TOP - 3 * STACK_INIT - 8);
	ASSERT_EQ(pinfo(vm, pid).stack_size, 2 * STACK_INIT);
	finish(vm);
}

TEST(fork_is_copy_on_write)
{
	struct flyvm *vm = boot();
	flyvm_pid_t parent = spawn(vm, 0), child, grand;
	uint64_t a = STACK_TOP - PG;

	store(vm, parent, a, 8, 1);
	store(vm, parent, a - PG, 8, 2);
	ASSERT_EQ(flyvm_proc_fork(vm, parent, &child), 0);
	ASSERT_EQ(load(vm, child, a, 8), 1);
	store(vm, child, a, 8, 10);
	ASSERT_EQ(load(vm, child, a, 8), 10);
	ASSERT_EQ(load(vm, parent, a, 8), 1);
	store(vm, parent, a - PG, 8, 20);
	ASSERT_EQ(load(vm, parent, a - PG, 8), 20);
	ASSERT_EQ(load(vm, child, a - PG, 8), 2);
	/* A grandchild sees the child's view. */
	ASSERT_EQ(flyvm_proc_fork(vm, child, &grand), 0);
	ASSERT_EQ(load(vm, grand, a, 8), 10);
	ASSERT_EQ(load(vm, grand, a - PG, 8), 2);
	/* The parent's exit does not disturb the child's copy. */
	ASSERT_EQ(flyvm_proc_exit(vm, parent, 0), 0);
	ASSERT_EQ(load(vm, child, a, 8), 10);
	ASSERT_EQ(load(vm, child, a - PG, 8), 2);
	ASSERT_EQ(flyvm_audit(vm), 0);
	finish(vm);
}

/* Pages of object `id' on each queue. */
static void
object_queues(struct flyvm *vm, uint64_t id, int counts[6])
{
	static struct flyvm_page_info pages[8192];
	struct flyvm_object_info oi;
	uint64_t i;

	ASSERT_EQ(flyvm_object_info(vm, id, &oi, pages, 8192, NULL, 0), 0);
	ASSERT_LE(oi.resident, 8192);
	for (i = 0; i < oi.resident; i++) {
		ASSERT_TRUE(pages[i].queue >= 0 && pages[i].queue < 6);
		counts[pages[i].queue]++;
	}
}

TEST(inspection_after_fork_and_write)
{
	struct flyvm *vm = boot();
	struct flyvm_map_entry_info pe, ce;
	struct flyvm_object_info oi;
	struct flyvm_page_info pages[64];
	struct flyvm_backing_info refs[8];
	flyvm_pid_t parent = spawn(vm, 0), child;
	uint64_t a = STACK_TOP - PG, i;
	int pdepth = -2, cdepth = -2;

	/* Untouched: no object yet. */
	pe = entry_at(vm, parent, a);
	ASSERT_EQ(pe.obj_type, FLYVM_OBJT_NONE);
	ASSERT_EQ(pe.obj_id, 0);
	ASSERT_EQ(pe.prot, FLYVM_PROT_READ | FLYVM_PROT_WRITE |
	    FLYVM_PROT_EXEC);
	ASSERT_EQ(pe.max_prot, pe.prot);
	ASSERT_EQ(pe.inheritance, FLYVM_INHERIT_COPY);
	ASSERT_EQ(pe.wired_count, 0);
	ASSERT_EQ(pe.chain_depth, 0);
	ASSERT_TRUE(pe.flags & FLYVM_ME_STACK);
	store(vm, parent, a, 8, 1);
	pe = entry_at(vm, parent, a);
	ASSERT_EQ(pe.obj_type, FLYVM_OBJT_DEFAULT);
	ASSERT_NE(pe.obj_id, 0);
	ASSERT_GE(pe.resident, 1);
	ASSERT_EQ(pe.chain_depth, 0);

	ASSERT_EQ(flyvm_proc_fork(vm, parent, &child), 0);
	pe = entry_at(vm, parent, a);
	ce = entry_at(vm, child, a);
	ASSERT_EQ(ce.obj_id, pe.obj_id);		/* shared until written */
	ASSERT_TRUE(pe.flags & FLYVM_ME_NEEDS_COPY);
	ASSERT_TRUE(ce.flags & FLYVM_ME_NEEDS_COPY);
	ASSERT_TRUE(ce.flags & FLYVM_ME_COW);

	store(vm, child, a, 8, 2);
	ce = entry_at(vm, child, a);
	ASSERT_NE(ce.obj_id, pe.obj_id);		/* shadowed */
	ASSERT_EQ(ce.chain_depth, 1);
	ASSERT_FALSE(ce.flags & FLYVM_ME_NEEDS_COPY);
	ASSERT_EQ(ce.resident, 1);

	/* The child's new object: one page, dirty, active, one backing. */
	ASSERT_EQ(flyvm_object_info(vm, ce.obj_id, &oi, pages, 64, refs, 8),
	    0);
	ASSERT_EQ(oi.id, ce.obj_id);
	ASSERT_EQ(oi.type, FLYVM_OBJT_DEFAULT);
	ASSERT_EQ(oi.resident, 1);
	ASSERT_EQ(pages[0].pindex, (a - ce.start + ce.offset) / PG);
	ASSERT_EQ(pages[0].queue, FLYVM_PQ_ACTIVE);
	ASSERT_EQ(pages[0].valid, 0xff);
	ASSERT_EQ(pages[0].dirty, 0xff);
	ASSERT_EQ(pages[0].wire_count, 0);
	ASSERT_NE(pages[0].phys, 0);
	ASSERT_EQ(oi.nbacking, 1);
	ASSERT_EQ(refs[0].pid, child);
	ASSERT_EQ(refs[0].depth, 0);
	ASSERT_EQ(refs[0].start, ce.start);
	ASSERT_EQ(refs[0].end, ce.end);

	/* The original: the parent's top, one level down in the child. */
	ASSERT_EQ(flyvm_object_info(vm, pe.obj_id, &oi, pages, 64, refs, 8),
	    0);
	ASSERT_EQ(oi.nbacking, 2);
	ASSERT_GE(oi.ref_count, 2);
	ASSERT_GE(oi.resident, 1);
	for (i = 1; i < oi.resident && i < 64; i++)
		ASSERT_TRUE(pages[i].pindex > pages[i - 1].pindex);
	for (i = 0; i < 2; i++) {
		if (refs[i].pid == parent)
			pdepth = refs[i].depth;
		else if (refs[i].pid == child)
			cdepth = refs[i].depth;
	}
	ASSERT_EQ(pdepth, 0);
	ASSERT_EQ(cdepth, 1);
	/* Fewer slots than backings: the total is still reported. */
	ASSERT_EQ(flyvm_object_info(vm, pe.obj_id, &oi, NULL, 0, refs, 1), 0);
	ASSERT_EQ(oi.nbacking, 2);

	/* Once the parent exits its backing goes with it. */
	ASSERT_EQ(flyvm_proc_exit(vm, parent, 0), 0);
	ASSERT_EQ(flyvm_object_info(vm, pe.obj_id, &oi, NULL, 0, refs, 8), 0);
	ASSERT_EQ(oi.nbacking, 1);
	ASSERT_EQ(refs[0].pid, child);
	finish(vm);
}

TEST(faults_are_counted_per_process)
{
	struct flyvm *vm = boot();
	struct flyvm_proc_info p0, p1, q;
	flyvm_pid_t pid = spawn(vm, 0), other = spawn(vm, 0);
	uint64_t i;

	p0 = pinfo(vm, pid);
	ASSERT_EQ(p0.minflt, 0);
	ASSERT_EQ(p0.majflt, 0);
	ASSERT_EQ(p0.resident, 0);
	ASSERT_EQ(p0.wired, 0);
	ASSERT_EQ(p0.swap, 0);
	ASSERT_EQ(p0.nthreads, 1);	/* the caller, for its call */
	for (i = 1; i <= 16; i++)
		store(vm, pid, STACK_TOP - i * PG, 8, i);
	p1 = pinfo(vm, pid);
	ASSERT_GE(p1.minflt, 1);
	ASSERT_LE(p1.minflt, 16);
	ASSERT_GE(p1.resident, 16);
	ASSERT_EQ(p1.majflt, 0);
	/* Another process's counters did not move. */
	q = pinfo(vm, other);
	ASSERT_EQ(q.minflt, 0);
	ASSERT_EQ(q.resident, 0);
	finish(vm);
}

/*
 * RLIMIT_RSS: a process more than 4096 pages (DragonFly's slack) over
 * its limit has pages taken out of its pmap and deactivated on its next
 * fault; the data stays, and touching it again faults it back in.
 */
static void
rss_run(int memuse_mode)
{
	struct flyvm *vm = boot_mem(128ULL << 20);
	struct flyvm_rlimit rl;
	struct flyvm_proc_info pi;
	static struct flyvm_map_entry_info ents[512];
	flyvm_pid_t pid = spawn(vm, 0);
	uint64_t i, npages = 4096 + 64 + 200, flt;
	int64_t prefault;
	int counts[6] = { 0 };
	size_t n, k;

	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.pageout_memuse_mode", memuse_mode),
	    0);
	rl.rlim_cur = 64LL << 20;
	rl.rlim_max = 512LL << 20;
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_STACK, &rl), 0);
	ASSERT_EQ(flyvm_getrlimit(vm, pid, FLYVM_RLIMIT_RSS, &rl), 0);
	rl.rlim_cur = 64 * PG;			/* 64 pages */
	ASSERT_EQ(flyvm_setrlimit(vm, pid, FLYVM_RLIMIT_RSS, &rl), 0);
	for (i = 1; i <= npages; i++)
		store(vm, pid, STACK_TOP - i * PG, 8, i);
	pi = pinfo(vm, pid);
	ASSERT_EQ(flyvm_proc_map(vm, pid, ents, 512, &n), 0);
	ASSERT_LE(n, 512);
	for (k = 0; k < n; k++)
		if (ents[k].obj_id != 0)
			object_queues(vm, ents[k].obj_id, counts);
	if (memuse_mode == 0) {
		ASSERT_GE(pi.resident, npages);
		ASSERT_EQ(counts[FLYVM_PQ_INACTIVE], 0);
	} else {
		ASSERT_LE(pi.resident, 4096 + 64);
		ASSERT_GE(counts[FLYVM_PQ_INACTIVE], 4000);
	}
	ASSERT_GE(counts[FLYVM_PQ_INACTIVE] + counts[FLYVM_PQ_ACTIVE],
	    npages);
	/* Every value is still there; the pages fault back in. */
	flt = pi.minflt;
	for (i = 1; i <= npages; i++)
		ASSERT_EQ(load(vm, pid, STACK_TOP - i * PG, 8), i);
	/* Each fault maps up to vm.prefault_pages neighbours as well. */
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.prefault_pages", &prefault), 0);
	if (memuse_mode != 0)
		ASSERT_GE(pinfo(vm, pid).minflt, flt + 4000 / (prefault + 1));
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	finish(vm);
}

TEST(rlimit_rss_deactivates_pages_on_fault)
{
	rss_run(2);
}

TEST(rlimit_rss_off_with_memuse_mode_0)
{
	rss_run(0);
}

TEST(every_page_comes_back_after_exit)
{
	struct flyvm *vm = boot();
	flyvm_pid_t a, b, c;
	uint64_t free0, i;
	unsigned char buf[8 * PG];

	free0 = free_count(vm);

	a = spawn(vm, 0);
	b = spawn(vm, 1000);
	memset(buf, 0x5a, sizeof(buf));
	ASSERT_EQ(flyvm_copyout(vm, a, buf, STACK_TOP - sizeof(buf),
	    sizeof(buf), NULL), 0);
	store(vm, a, STACK_BASE - 8, 8, 1);		/* grow */
	ASSERT_EQ(flyvm_proc_fork(vm, a, &c), 0);
	for (i = 1; i <= 8; i++)
		store(vm, c, STACK_TOP - i * PG, 8, i);
	store(vm, b, STACK_TOP - 8, 8, 3);
	ASSERT_TRUE(free_count(vm) < free0);
	ASSERT_EQ(flyvm_proc_exit(vm, a, 0), 0);
	ASSERT_EQ(flyvm_proc_exit(vm, c, 0), 0);
	ASSERT_EQ(flyvm_proc_exit(vm, b, 0), 0);
	ASSERT_EQ(free_count(vm), free0);
	ASSERT_EQ(flyvm_audit(vm), 0);
	finish(vm);
}

/* A thread entered with flyvm_thread_enter keeps its CPU across calls. */
TEST(entered_thread_calls_in)
{
	struct flyvm *vm = boot();
	flyvm_pid_t pid;
	uint64_t i;

	ASSERT_EQ(flyvm_thread_enter(vm, "user"), 0);
	pid = spawn(vm, 0);
	for (i = 0; i < 100; i++)
		store(vm, pid, STACK_TOP - 8 - i * 8, 8, i);
	for (i = 0; i < 100; i++)
		ASSERT_EQ(load(vm, pid, STACK_TOP - 8 - i * 8, 8), i);
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	ASSERT_EQ(flyvm_thread_leave(vm), 0);
	finish(vm);
}

TEST_MAIN(
	TEST_ENTRY(spawn_fork_exit_and_list),
	TEST_ENTRY(maxproc_gives_eagain),
	TEST_ENTRY(bad_handle_is_einval),
	TEST_ENTRY(stale_pid_is_esrch),
	TEST_ENTRY(null_out_params_and_bad_arguments),
	TEST_ENTRY(setuid_and_rlimits),
	TEST_ENTRY(loads_stores_and_copies_on_the_stack),
	TEST_ENTRY(atomics),
	TEST_ENTRY(faults_report_signal_code_and_address),
	TEST_ENTRY(copyout_that_faults_changes_nothing),
	TEST_ENTRY(stack_grows_down_under_rlimit_stack),
	TEST_ENTRY(fork_is_copy_on_write),
	TEST_ENTRY(inspection_after_fork_and_write),
	TEST_ENTRY(faults_are_counted_per_process),
	TEST_ENTRY(rlimit_rss_deactivates_pages_on_fault),
	TEST_ENTRY(rlimit_rss_off_with_memuse_mode_0),
	TEST_ENTRY(every_page_comes_back_after_exit),
	TEST_ENTRY(entered_thread_calls_in),
)
