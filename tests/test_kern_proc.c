/*
 * test_kern_proc.c - the process table: spawn lays out an exec-style
 * address space, fork copies it, exit gives every page back, limits
 * follow kern_setrlimit, pfind stops finding an exiting process.
 */
#include <errno.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "harness.h"
#include "kern/proc.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"

static struct flyvm *
boot(void)
{
	struct flyvm_config cfg;
	struct flyvm *vm = NULL;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 64ULL << 20;
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
	ASSERT_EQ(flyvm_thread_enter(vm, "test"), 0);
	return (vm);
}

static void
finish(struct flyvm *vm)
{
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_thread_leave(vm), 0);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

static long
free_pages(void)
{
	vmstats_rollup();
	return (vmstats.v_free_count);
}

TEST(spawn_lays_out_stack_and_data)
{
	struct flyvm *vm = boot();
	struct proc *p;
	struct vmspace *vms;
	vm_map_entry_t e;

	ASSERT_EQ(proc_spawn(1000, &p), 0);
	ASSERT_TRUE(p->p_pid > 0);
	ASSERT_EQ(p->p_uid, 1000u);
	vms = p->p_vmspace;
	ASSERT_EQ(vms->vm_daddr, USRTEXT);
	ASSERT_EQ(vms->vm_minsaddr, USRSTACK);
	ASSERT_EQ(vms->vm_maxsaddr, USRSTACK - (vm_offset_t)MAXSSIZ);
	ASSERT_EQ(vms->vm_stacklim, (vm_size_t)DFLSSIZ);
	vm_map_lock_read(&vms->vm_map);
	ASSERT_TRUE(vm_map_lookup_entry(&vms->vm_map, USRSTACK - 1, &e));
	ASSERT_TRUE((e->eflags & MAP_ENTRY_STACK) != 0);
	ASSERT_EQ(e->ba.end, USRSTACK);
	ASSERT_EQ(e->ba.start, USRSTACK - SGROWSIZ);
	vm_map_unlock_read(&vms->vm_map);
	ASSERT_EQ(proc_count(), 1);
	proc_drop(p);
	finish(vm);
}

TEST(fork_and_exit_return_every_page)
{
	struct flyvm *vm = boot();
	struct proc *p, *c;
	pid_t pids[4];
	long free0 = free_pages();

	ASSERT_EQ(proc_spawn(0, &p), 0);
	ASSERT_EQ(proc_fork(p, &c), 0);
	ASSERT_EQ(c->p_ppid, p->p_pid);
	ASSERT_TRUE(c->p_pid != p->p_pid);
	ASSERT_EQ(proc_list(pids, 4), 2u);
	ASSERT_TRUE(pids[0] < pids[1]);
	ASSERT_EQ(proc_exit(c, 0), 0);
	ASSERT_NULL(pfind(pids[1]));
	ASSERT_EQ(proc_exit(p, 0), 0);
	ASSERT_EQ(proc_count(), 0);
	ASSERT_EQ(vmspace_count(), 0);
	ASSERT_EQ(free_pages(), free0);
	finish(vm);
}

TEST(rlimits_follow_kern_setrlimit)
{
	struct flyvm *vm = boot();
	struct proc *p;
	struct rlimit rl;

	ASSERT_EQ(proc_spawn(1000, &p), 0);
	ASSERT_EQ(proc_getrlimit(p, RLIMIT_DATA, &rl), 0);
	ASSERT_EQ(rl.rlim_cur, DFLDSIZ);
	ASSERT_EQ(rl.rlim_max, MAXDSIZ);
	ASSERT_EQ(proc_getrlimit(p, RLIM_NLIMITS, &rl), EINVAL);
	ASSERT_EQ(proc_getrlimit(p, -1, &rl), EINVAL);
	rl.rlim_cur = 2; rl.rlim_max = 1;
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_AS, &rl), EINVAL);
	rl.rlim_cur = -1; rl.rlim_max = 1;
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_AS, &rl), EINVAL);
	rl.rlim_cur = 1 << 20; rl.rlim_max = 2 << 20;
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_AS, &rl), 0);
	ASSERT_EQ(p->p_vmspace->vm_vmemlim, (vm_size_t)1 << 20);
	rl.rlim_max = 4 << 20;		/* raise the hard limit: not root */
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_AS, &rl), EPERM);
	ASSERT_EQ(proc_setuid(p, 0), EPERM);
	ASSERT_EQ(proc_setuid(p, 1000), 0);
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_STACK, &rl), EPERM);
	rl.rlim_cur = rl.rlim_max = MAXSSIZ;
	ASSERT_EQ(proc_setrlimit(p, RLIMIT_STACK, &rl), 0);
	proc_drop(p);
	finish(vm);
}

TEST(maxproc_gives_eagain)
{
	struct flyvm *vm = boot();
	struct proc *p, *c;

	ASSERT_EQ(flyvm_sysctl_set(vm, "kern.maxproc", 1), 0);
	ASSERT_EQ(proc_spawn(0, &p), 0);
	ASSERT_EQ(proc_fork(p, &c), EAGAIN);
	ASSERT_EQ(proc_spawn(0, &c), EAGAIN);
	ASSERT_EQ(proc_count(), 1);
	proc_drop(p);
	finish(vm);			/* shutdown exits p */
}

static void
holder(void *arg)
{
	struct proc *p = arg;

	proc_bind(p);
	tsleep(&holder, 0, "hold", 5);
	proc_unbind(p);
	proc_drop(p);
}

TEST(exit_waits_for_other_threads)
{
	struct flyvm *vm = boot();
	struct kthread_handle *h;
	struct proc *p;
	pid_t pid;

	ASSERT_EQ(proc_spawn(0, &p), 0);
	pid = p->p_pid;
	proc_hold(p);
	ASSERT_EQ(kthread_create(holder, p, "holder", &h), 0);
	ASSERT_EQ(proc_exit(p, 0), 0);
	ASSERT_NULL(pfind(pid));
	kthread_join(h);
	finish(vm);
}

/*
 * The public user-memory calls on mappings only the map layer can make
 * yet: a copy across a hole in the middle of its range, and a read-only
 * page.  A copy that faults part way writes no byte.
 */
static void
map_anon(vm_map_t map, vm_offset_t addr, vm_prot_t prot)
{
	ASSERT_EQ(vm_map_find(map, NULL, NULL, 0, &addr, PAGE_SIZE, PAGE_SIZE,
	    FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, prot, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
}

TEST(user_copies_across_holes_change_nothing)
{
	struct flyvm *vm = boot();
	struct flyvm_siginfo si;
	unsigned char buf[3 * PAGE_SIZE], back[PAGE_SIZE];
	vm_offset_t a = 0x10000000, b = a + 2 * PAGE_SIZE, ro = b + PAGE_SIZE;
	struct proc *p;
	uint64_t v;
	pid_t pid;
	size_t i;

	ASSERT_EQ(proc_spawn(0, &p), 0);
	pid = p->p_pid;
	map_anon(&p->p_vmspace->vm_map, a, VM_PROT_ALL);	/* then a hole */
	map_anon(&p->p_vmspace->vm_map, b, VM_PROT_ALL);
	map_anon(&p->p_vmspace->vm_map, ro, VM_PROT_READ);
	proc_drop(p);
	memset(back, 0x11, sizeof(back));
	ASSERT_EQ(flyvm_copyout(vm, pid, back, a, PAGE_SIZE, NULL), 0);
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(flyvm_copyout(vm, pid, buf, a + 8, sizeof(buf), &si),
	    EFAULT);
	ASSERT_EQ(si.signo, FLYVM_SIGSEGV);
	ASSERT_EQ(si.code, FLYVM_SEGV_MAPERR);
	ASSERT_EQ(si.addr, a + PAGE_SIZE);
	ASSERT_EQ(flyvm_copyin(vm, pid, a, back, sizeof(back), NULL), 0);
	for (i = 0; i < sizeof(back); i++)
		ASSERT_EQ(back[i], 0x11);
	/* Into the read-only page: SEGV_ACCERR, the page before unchanged. */
	ASSERT_EQ(flyvm_copyout(vm, pid, buf, b, 2 * PAGE_SIZE, &si), EFAULT);
	ASSERT_EQ(si.signo, FLYVM_SIGSEGV);
	ASSERT_EQ(si.code, FLYVM_SEGV_ACCERR);
	ASSERT_EQ(si.addr, ro);
	ASSERT_EQ(flyvm_load(vm, pid, b, 8, &v, NULL), 0);
	ASSERT_EQ(v, 0);
	ASSERT_EQ(flyvm_store(vm, pid, ro + 8, 8, 1, &si), EFAULT);
	ASSERT_EQ(si.code, FLYVM_SEGV_ACCERR);
	ASSERT_EQ(si.addr, ro + 8);
	ASSERT_EQ(flyvm_fetchadd(vm, pid, ro, 8, 1, &v, &si), EFAULT);
	ASSERT_EQ(si.code, FLYVM_SEGV_ACCERR);
	ASSERT_EQ(flyvm_load(vm, pid, ro + 8, 8, &v, NULL), 0);
	ASSERT_EQ(v, 0);
	ASSERT_EQ(flyvm_copyin(vm, pid, ro, back, sizeof(back), NULL), 0);
	/* A copyin over the hole leaves the buffer alone. */
	memset(buf, 0x42, sizeof(buf));
	ASSERT_EQ(flyvm_copyin(vm, pid, a, buf, sizeof(buf), &si), EFAULT);
	ASSERT_EQ(si.addr, a + PAGE_SIZE);
	for (i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(buf[i], 0x42);
	ASSERT_EQ(flyvm_proc_exit(vm, pid, 0), 0);
	finish(vm);
}

TEST_MAIN(
	TEST_ENTRY(user_copies_across_holes_change_nothing),
	TEST_ENTRY(spawn_lays_out_stack_and_data),
	TEST_ENTRY(fork_and_exit_return_every_page),
	TEST_ENTRY(rlimits_follow_kern_setrlimit),
	TEST_ENTRY(maxproc_gives_eagain),
	TEST_ENTRY(exit_waits_for_other_threads),
)
