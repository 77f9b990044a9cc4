/*
 * test_vm_mmap.c - the memory system calls through the public API
 * (flyvm_mmap ... flyvm_sbrk): every errno case of facts sheet 1.3-1.12
 * in DragonFly's order, each flag and limit, and that a refused call
 * leaves the map as it was.  Processes come from the internal
 * proc_spawn/proc_fork; user memory is touched through the process's
 * pmap by the test thread bound to the process.
 */
#include <errno.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "harness.h"
#include "kern/fault_inject.h"
#include "kern/proc.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/pmap_access.h"
#include "vm/vm_map.h"
#include "vm/vm_mmap.h"
#include "vm/vm_page.h"

#define PG		((uint64_t)PAGE_SIZE)
#define RW		(FLYVM_PROT_READ | FLYVM_PROT_WRITE)
#define ANON		(FLYVM_MAP_ANON | FLYVM_MAP_PRIVATE)
#define HEAP_END	(USRTEXT + (uint64_t)DFLDSIZ)	/* default hint */
#define FIXVA		((uint64_t)0x200000000ULL)	/* for MAP_FIXED */

static struct flyvm *vm;
static long free0;

static long
free_pages(void)
{
	vmstats_rollup();
	return (vmstats.v_free_count);
}

static struct flyvm *
boot(void)
{
	struct flyvm_config cfg;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 64ULL << 20;
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
	ASSERT_EQ(flyvm_thread_enter(vm, "test"), 0);
	free0 = free_pages();
	return (vm);
}

static struct proc *
spawn(void)
{
	struct proc *p;

	ASSERT_EQ(proc_spawn(1000, &p), 0);
	return (p);
}

static uint64_t mmap_ok(struct proc *p, uint64_t addr, uint64_t len,
    int prot, int flags);

/* A process with [FIXVA, +2 pages) and [FIXVA + 3 pages, +1) mapped. */
static struct proc *
spawn_with_hole(void)
{
	struct proc *p = spawn();

	mmap_ok(p, FIXVA, 2 * PG, RW, ANON | FLYVM_MAP_FIXED);
	mmap_ok(p, FIXVA + 3 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	return (p);
}

static void
proc_done(struct proc *p)
{
	ASSERT_EQ(vm_map_audit(&p->p_vmspace->vm_map), 0);
	ASSERT_EQ(proc_exit(p, 0), 0);
}

/* Every process has exited: all memory is back, everything audits. */
static void
finish(void)
{
	ASSERT_EQ(proc_count(), 0);
	ASSERT_EQ(free_pages(), free0);
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_thread_leave(vm), 0);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

/* The shape of a map, to show that a refused call changed nothing. */
struct snap {
	int		nentries;
	vm_size_t	size;
	long		wired;
};

static struct snap
snap(struct proc *p)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	struct snap s;

	vm_map_lock_read(map);
	s.nentries = map->nentries;
	s.size = map->size;
	vm_map_unlock_read(map);
	s.wired = pmap_wired_count(vmspace_pmap(p->p_vmspace));
	ASSERT_EQ(vm_map_audit(map), 0);
	return (s);
}

#define ASSERT_SAME(p, s) do {						\
	struct snap _n = snap(p);					\
	ASSERT_EQ(_n.nentries, (s).nentries);				\
	ASSERT_EQ(_n.size, (s).size);					\
	ASSERT_EQ(_n.wired, (s).wired);					\
} while (0)

/* A copy of the entry holding va (which must be mapped). */
static struct vm_map_entry
entry_at(struct proc *p, uint64_t va)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	vm_map_entry_t e;
	struct vm_map_entry copy;

	vm_map_lock_read(map);
	ASSERT_TRUE(vm_map_lookup_entry(map, va, &e));
	copy = *e;
	vm_map_unlock_read(map);
	return (copy);
}

static int
mapped(struct proc *p, uint64_t va)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	vm_map_entry_t e;
	int found;

	vm_map_lock_read(map);
	found = vm_map_lookup_entry(map, va, &e);
	vm_map_unlock_read(map);
	return (found);
}

/* A user store / load as p's own thread: 0 or the signal. */
static int
ustore(struct proc *p, uint64_t va, uint64_t v)
{
	int sig;

	proc_bind(p);
	sig = pmap_store_8(vmspace_pmap(p->p_vmspace), va, v, NULL);
	proc_unbind(p);
	return (sig);
}

static uint64_t
uload(struct proc *p, uint64_t va)
{
	uint64_t v = 0;

	proc_bind(p);
	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(p->p_vmspace), va, &v, NULL), 0);
	proc_unbind(p);
	return (v);
}

static uint64_t
mmap_ok(struct proc *p, uint64_t addr, uint64_t len, int prot, int flags)
{
	uint64_t a = 0;

	ASSERT_EQ(flyvm_mmap(vm, p->p_pid, addr, len, prot, flags, -1, 0, &a),
	    0);
	return (a);
}

static void
set_rlimit(struct proc *p, int which, rlim_t cur)
{
	struct rlimit rl;

	ASSERT_EQ(proc_getrlimit(p, which, &rl), 0);
	rl.rlim_cur = MIN(cur, rl.rlim_max);
	ASSERT_EQ(proc_setrlimit(p, which, &rl), 0);
}

static int
mmap_err(struct proc *p, uint64_t addr, uint64_t len, int prot, int flags,
    int fd, int64_t pos)
{
	uint64_t a = 0xdead;
	int error;

	error = flyvm_mmap(vm, p->p_pid, addr, len, prot, flags, fd, pos, &a);
	if (error != 0)
		ASSERT_EQ(a, 0xdead);
	return (error);
}

/************************************************************************
 *				mmap
 ************************************************************************/

TEST(mmap_anonymous_maps_zeroed_memory_above_the_heap)
{
	struct vm_map_entry e;
	struct proc *p;
	uint64_t a;

	boot();
	p = spawn();
	a = mmap_ok(p, 0, 3 * PG, RW, ANON);
	ASSERT_EQ(a, HEAP_END);
	e = entry_at(p, a);
	ASSERT_EQ(e.ba.start, a);
	ASSERT_EQ(e.ba.end, a + 3 * PG);
	ASSERT_EQ(e.protection, VM_PROT_READ | VM_PROT_WRITE);
	ASSERT_EQ(e.max_protection, VM_PROT_ALL);
	ASSERT_EQ(e.inheritance, VM_INHERIT_COPY);
	ASSERT_EQ(e.id, VM_SUBSYS_MMAP);
	ASSERT_EQ(e.eflags & (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY |
	    MAP_ENTRY_NOSYNC | MAP_ENTRY_NOCOREDUMP), 0);
	ASSERT_EQ(uload(p, a + PG), 0);
	ASSERT_EQ(ustore(p, a + 2 * PG + 8, 77), 0);
	ASSERT_EQ(uload(p, a + 2 * PG + 8), 77);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, 3 * PG), 0);
	ASSERT_FALSE(mapped(p, a));
	proc_done(p);
	finish();
}

TEST(mmap_checks_arguments_in_dragonfly_order)
{
	struct proc *p;
	struct snap s;
	uint64_t a;

	boot();
	p = spawn();
	s = snap(p);
	/* Userland MAP_STACK: fd, then read-write, then it is anonymous. */
	ASSERT_EQ(mmap_err(p, 0, PG, RW, FLYVM_MAP_STACK, 3, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, PG, FLYVM_PROT_READ, FLYVM_MAP_STACK, -1, 0),
	    EINVAL);
	ASSERT_EQ(mmap_err(p, 0, 0, FLYVM_PROT_READ, FLYVM_MAP_STACK, -1, 0),
	    EINVAL);
	/* MAP_ANON with a descriptor or an offset. */
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON, 3, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON, -1, PG), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON, -1, 1), EINVAL);
	/* Length 0, before the descriptor is looked at. */
	ASSERT_EQ(mmap_err(p, 0, 0, RW, ANON, -1, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, 0, RW, FLYVM_MAP_SHARED, 3, 0), EINVAL);
	/* MAP_VPAGETABLE needs vm.vkernel_enable. */
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON | FLYVM_MAP_VPAGETABLE, -1, 0),
	    EOPNOTSUPP);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.vkernel_enable", 1), 0);
	ASSERT_EQ(mmap_err(p, 0, PG, FLYVM_PROT_READ,
	    ANON | FLYVM_MAP_VPAGETABLE, -1, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON | FLYVM_MAP_VPAGETABLE, -1, 0),
	    EOPNOTSUPP);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.vkernel_enable", 0), 0);
	/* Lengths that wrap when rounded. */
	ASSERT_EQ(mmap_err(p, 0, UINT64_MAX, RW, ANON, -1, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, 0, UINT64_MAX - 100, RW, ANON, -1, 0), EINVAL);
	/* Fixed placement: aligned, inside [0, VM_MAX_USER_ADDRESS). */
	ASSERT_EQ(mmap_err(p, FIXVA + 1, PG, RW, ANON | FLYVM_MAP_FIXED, -1,
	    0), EINVAL);
	ASSERT_EQ(mmap_err(p, FLYVM_USER_MAX - PG, 2 * PG, RW,
	    ANON | FLYVM_MAP_FIXED, -1, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, FLYVM_USER_MAX, PG, RW,
	    ANON | FLYVM_MAP_TRYFIXED, -1, 0), EINVAL);
	ASSERT_EQ(mmap_err(p, UINT64_MAX & ~(PG - 1), PG, RW,
	    ANON | FLYVM_MAP_FIXED, -1, 0), EINVAL);
	/* A descriptor: no files (EBADF); fd -1 without MAP_ANON too. */
	ASSERT_EQ(mmap_err(p, 0, PG, RW, FLYVM_MAP_SHARED, 3, 0), EBADF);
	ASSERT_EQ(mmap_err(p, 0, PG, RW, FLYVM_MAP_PRIVATE, -1, 0), EBADF);
	ASSERT_EQ(mmap_err(p, FIXVA + 1, PG, RW, FLYVM_MAP_FIXED, 3, 0),
	    EINVAL);
	/* MAP_SIZEALIGN needs a power-of-2 size. */
	ASSERT_EQ(mmap_err(p, 0, 3 * PG, RW, ANON | FLYVM_MAP_SIZEALIGN, -1,
	    0), EINVAL);
	ASSERT_SAME(p, s);

	/* The last page of the user range is fine. */
	a = mmap_ok(p, FLYVM_USER_MAX - 2 * SGROWSIZ, PG, RW,
	    ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(a, FLYVM_USER_MAX - 2 * SGROWSIZ);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	/* Userland MAP_STACK is plain anonymous memory, pos ignored. */
	ASSERT_EQ(flyvm_mmap(vm, p->p_pid, 0, PG, RW | 0x100, FLYVM_MAP_STACK,
	    -1, 12345, &a), 0);
	ASSERT_EQ(entry_at(p, a).eflags & MAP_ENTRY_STACK, 0);
	ASSERT_EQ(entry_at(p, a).protection, VM_PROT_READ | VM_PROT_WRITE);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	/* Unknown PROT bits are dropped, unknown flags ignored. */
	a = mmap_ok(p, 0, PG, 0xff, ANON | 0x40000000 | FLYVM_MAP_RENAME |
	    FLYVM_MAP_NORESERVE | FLYVM_MAP_NOEXTEND |
	    FLYVM_MAP_HASSEMAPHORE);
	ASSERT_EQ(entry_at(p, a).protection, VM_PROT_ALL);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	ASSERT_SAME(p, s);
	proc_done(p);
	finish();
}

TEST(mmap_fixed_replaces_and_tryfixed_refuses)
{
	struct proc *p;
	struct snap s;
	uint64_t a;

	boot();
	p = spawn();
	a = mmap_ok(p, FIXVA, 4 * PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(a, FIXVA);
	ASSERT_EQ(ustore(p, FIXVA, 1), 0);
	ASSERT_EQ(ustore(p, FIXVA + PG, 2), 0);
	ASSERT_EQ(ustore(p, FIXVA + 3 * PG, 4), 0);
	/* MAP_FIXED over the middle: fresh zero pages, the ends kept. */
	a = mmap_ok(p, FIXVA + PG, 2 * PG, FLYVM_PROT_READ,
	    ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(a, FIXVA + PG);
	ASSERT_EQ(uload(p, FIXVA), 1);
	ASSERT_EQ(uload(p, FIXVA + PG), 0);
	ASSERT_EQ(uload(p, FIXVA + 3 * PG), 4);
	ASSERT_EQ(entry_at(p, FIXVA + PG).protection, VM_PROT_READ);
	ASSERT_EQ(entry_at(p, FIXVA + PG).ba.end, FIXVA + 3 * PG);
	/* MAP_TRYFIXED over anything mapped: ENOMEM, nothing changes. */
	s = snap(p);
	ASSERT_EQ(mmap_err(p, FIXVA + 3 * PG, 2 * PG, RW,
	    ANON | FLYVM_MAP_TRYFIXED, -1, 0), ENOMEM);
	ASSERT_EQ(uload(p, FIXVA + 3 * PG), 4);
	ASSERT_SAME(p, s);
	/* ... and exactly there when the range is free. */
	a = mmap_ok(p, FIXVA + 5 * PG, PG, RW, ANON | FLYVM_MAP_TRYFIXED);
	ASSERT_EQ(a, FIXVA + 5 * PG);
	/* TRYFIXED may use the stack's reserve; a hint never does. */
	a = mmap_ok(p, p->p_vmspace->vm_maxsaddr, PG, RW,
	    ANON | FLYVM_MAP_TRYFIXED);
	ASSERT_EQ(a, p->p_vmspace->vm_maxsaddr);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	ASSERT_EQ(mmap_err(p, p->p_vmspace->vm_maxsaddr, PG, RW, ANON, -1, 0),
	    ENOMEM);
	proc_done(p);
	finish();
}

TEST(mmap_sizealign_and_segment_alignment)
{
	struct proc *p;
	uint64_t a, b, c;

	boot();
	p = spawn();
	/* Knock the first fit off any natural alignment. */
	b = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_EQ(b, HEAP_END);
	a = mmap_ok(p, 0, 16 * PG, RW, ANON | FLYVM_MAP_SIZEALIGN);
	ASSERT_EQ(a % (16 * PG), 0);
	ASSERT_TRUE(a > b);
	c = mmap_ok(p, 0, 4ULL << 20, RW, ANON | FLYVM_MAP_SIZEALIGN);
	ASSERT_EQ(c % (4ULL << 20), 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, c, 4ULL << 20), 0);
	/* A 2 MiB multiple is SEG_SIZE aligned without asking. */
	c = mmap_ok(p, 0, 2ULL << 20, RW, ANON);
	ASSERT_EQ(c % SEG_SIZE, 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, c, 2ULL << 20), 0);
	/* With MAP_FIXED the size alignment does not move the address. */
	c = mmap_ok(p, FIXVA + PG, 4 * PG, RW,
	    ANON | FLYVM_MAP_FIXED | FLYVM_MAP_SIZEALIGN);
	ASSERT_EQ(c, FIXVA + PG);
	proc_done(p);
	finish();
}

TEST(mmap_hint_skips_the_heap_reserved_for_brk)
{
	struct proc *p;
	uint64_t a, lo = 0x100000, r;
	int i;

	boot();
	p = spawn();
	/* 0, or any hint in [taddr, daddr + RLIMIT_DATA): above it. */
	ASSERT_EQ(mmap_ok(p, 0, PG, RW, ANON), HEAP_END);
	ASSERT_EQ(mmap_ok(p, USRTEXT + 5 * PG, PG, RW, ANON), HEAP_END + PG);
	ASSERT_EQ(mmap_ok(p, HEAP_END - PG, PG, RW, ANON), HEAP_END + 2 * PG);
	/* Hints below the text or above the heap are honoured. */
	ASSERT_EQ(mmap_ok(p, lo, PG, RW, ANON), lo);
	ASSERT_EQ(mmap_ok(p, HEAP_END + 100 * PG + 5, PG, RW, ANON),
	    HEAP_END + 101 * PG);
	/* The heap region follows RLIMIT_DATA. */
	set_rlimit(p, RLIMIT_DATA, 16 << 20);
	ASSERT_EQ(mmap_ok(p, 0, PG, RW, ANON), USRTEXT + (16 << 20));
	ASSERT_EQ(vm_map_hint(p, 0, VM_PROT_READ), USRTEXT + (16 << 20));
	/* vm.randomize_mmap: a random page in the next RLIMIT_DATA. */
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.randomize_mmap", 1), 0);
	for (i = 0; i < 8; i++) {
		r = vm_map_hint(p, 0, VM_PROT_READ);
		ASSERT_EQ(r % PG, 0);
		ASSERT_TRUE(r >= USRTEXT + (16 << 20));
		ASSERT_TRUE(r <= USRTEXT + (32 << 20));
	}
	ASSERT_EQ(vm_map_hint(p, lo, VM_PROT_READ), lo);
	a = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_TRUE(a >= USRTEXT + (16 << 20));
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.randomize_mmap", 0), 0);
	proc_done(p);
	finish();
}

TEST(mmap_shared_and_inherit_are_seen_by_a_fork_child)
{
	struct proc *p, *c;
	uint64_t sh, inh, priv;

	boot();
	p = spawn();
	sh = mmap_ok(p, 0, PG, RW, FLYVM_MAP_ANON | FLYVM_MAP_SHARED);
	inh = mmap_ok(p, 0, PG, RW, ANON | FLYVM_MAP_INHERIT);
	priv = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_EQ(entry_at(p, sh).inheritance, VM_INHERIT_SHARE);
	ASSERT_EQ(entry_at(p, inh).inheritance, VM_INHERIT_SHARE);
	ASSERT_EQ(entry_at(p, priv).inheritance, VM_INHERIT_COPY);
	ASSERT_EQ(ustore(p, sh, 1), 0);
	ASSERT_EQ(ustore(p, inh, 1), 0);
	ASSERT_EQ(ustore(p, priv, 1), 0);
	ASSERT_EQ(proc_fork(p, &c), 0);
	ASSERT_EQ(ustore(c, sh, 2), 0);
	ASSERT_EQ(ustore(c, inh, 3), 0);
	ASSERT_EQ(ustore(c, priv, 4), 0);
	ASSERT_EQ(uload(p, sh), 2);
	ASSERT_EQ(uload(p, inh), 3);
	ASSERT_EQ(uload(p, priv), 1);
	ASSERT_EQ(ustore(p, sh, 5), 0);
	ASSERT_EQ(uload(c, sh), 5);
	proc_done(c);
	ASSERT_EQ(uload(p, sh), 5);
	proc_done(p);
	finish();
}

TEST(mmap_nosync_and_nocore_mark_the_entry)
{
	struct proc *p;
	uint64_t a, b;

	boot();
	p = spawn();
	a = mmap_ok(p, 0, PG, RW, ANON | FLYVM_MAP_NOSYNC);
	b = mmap_ok(p, 0, PG, RW, ANON | FLYVM_MAP_NOCORE);
	ASSERT_EQ(entry_at(p, a).eflags & (MAP_ENTRY_NOSYNC |
	    MAP_ENTRY_NOCOREDUMP), MAP_ENTRY_NOSYNC);
	ASSERT_EQ(entry_at(p, b).eflags & (MAP_ENTRY_NOSYNC |
	    MAP_ENTRY_NOCOREDUMP), MAP_ENTRY_NOCOREDUMP);
	ASSERT_TRUE(entry_at(p, a).ba.end <= b);
	proc_done(p);
	finish();
}

TEST(mmap_limits_rlimit_as_and_max_proc_mmap)
{
	struct proc *p;
	struct snap s;
	uint64_t a;

	boot();
	p = spawn();
	s = snap(p);
	/* RLIMIT_AS counts every byte mapped, the stack included. */
	set_rlimit(p, RLIMIT_AS, (rlim_t)(s.size + 2 * PG));
	ASSERT_EQ(mmap_err(p, 0, 3 * PG, RW, ANON, -1, 0), ENOMEM);
	ASSERT_EQ(mmap_err(p, FIXVA, 3 * PG, RW, ANON | FLYVM_MAP_FIXED, -1,
	    0), ENOMEM);
	ASSERT_SAME(p, s);
	a = mmap_ok(p, 0, 2 * PG, RW, ANON);
	ASSERT_EQ(mmap_err(p, 0, PG, RW, ANON, -1, 0), ENOMEM);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, 2 * PG), 0);
	set_rlimit(p, RLIMIT_AS, RLIM_INFINITY);
	/* vm.max_proc_mmap caps the entries (0: no cap). */
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_proc_mmap", s.nentries + 1),
	    0);
	a = mmap_ok(p, FIXVA, PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(mmap_err(p, FIXVA + 2 * PG, PG, RW, ANON | FLYVM_MAP_FIXED,
	    -1, 0), ENOMEM);
	ASSERT_FALSE(mapped(p, FIXVA + 2 * PG));
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_proc_mmap", 0), 0);
	mmap_ok(p, FIXVA + 2 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_proc_mmap", 1000000), 0);
	proc_done(p);
	finish();
}

/************************************************************************
 *			munmap, mprotect, minherit
 ************************************************************************/

TEST(munmap_needs_the_whole_range_mapped)
{
	struct proc *p;
	struct snap s;

	boot();
	p = spawn_with_hole();
	s = snap(p);
	/* A hole anywhere: EINVAL, nothing removed. */
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA, 4 * PG), EINVAL);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + 2 * PG, PG), EINVAL);
	/* Wraps and the end of the user range. */
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA, UINT64_MAX), EINVAL);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, UINT64_MAX - PG, 4 * PG),
	    EINVAL);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FLYVM_USER_MAX - PG, 2 * PG),
	    EINVAL);
	/* Length 0 is nothing to do, mapped or not. */
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + 2 * PG, 0), 0);
	ASSERT_SAME(p, s);
	/* An unaligned address takes its whole first page. */
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + PG + 5, 10), 0);
	ASSERT_TRUE(mapped(p, FIXVA));
	ASSERT_FALSE(mapped(p, FIXVA + PG));
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA, PG), 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + 3 * PG, PG), 0);
	ASSERT_FALSE(mapped(p, FIXVA + 3 * PG));
	proc_done(p);
	finish();
}

TEST(mprotect_skips_holes_and_refuses_above_max)
{
	struct proc *p;
	struct snap s;

	boot();
	p = spawn_with_hole();
	ASSERT_EQ(ustore(p, FIXVA, 9), 0);
	/* Holes are skipped; unknown bits dropped. */
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FIXVA - PG, 6 * PG,
	    FLYVM_PROT_READ | 0x80), 0);
	ASSERT_EQ(entry_at(p, FIXVA).protection, VM_PROT_READ);
	ASSERT_EQ(entry_at(p, FIXVA + 3 * PG).protection, VM_PROT_READ);
	ASSERT_EQ(ustore(p, FIXVA, 10), SIGSEGV);
	ASSERT_EQ(uload(p, FIXVA), 9);
	/* A range wholly unmapped, or past the user range: still 0. */
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FIXVA + 2 * PG, PG, 0), 0);
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FLYVM_USER_MAX, PG, 0), 0);
	/* Wrapping lengths. */
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FIXVA + 1, UINT64_MAX, 0),
	    EINVAL);
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, UINT64_MAX - PG, 4 * PG, 0),
	    EINVAL);
	/* Above an entry's maximum: EACCES and nothing changes. */
	ASSERT_EQ(vm_map_protect(&p->p_vmspace->vm_map, FIXVA + 3 * PG,
	    FIXVA + 4 * PG, VM_PROT_READ, TRUE), KERN_SUCCESS);
	s = snap(p);
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FIXVA, 4 * PG, RW), EACCES);
	ASSERT_EQ(entry_at(p, FIXVA).protection, VM_PROT_READ);
	ASSERT_SAME(p, s);
	ASSERT_EQ(flyvm_mprotect(vm, p->p_pid, FIXVA, 2 * PG, RW), 0);
	ASSERT_EQ(ustore(p, FIXVA, 10), 0);
	ASSERT_EQ(uload(p, FIXVA), 10);
	proc_done(p);
	finish();
}

TEST(minherit_values_and_fork)
{
	struct proc *p, *c;
	struct snap s;

	boot();
	p = spawn();
	mmap_ok(p, FIXVA, 2 * PG, RW, ANON | FLYVM_MAP_FIXED);
	s = snap(p);
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA, PG, 3), EINVAL);
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA, PG, -1), EINVAL);
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA, PG, 256), EINVAL);
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA, UINT64_MAX,
	    FLYVM_INHERIT_NONE), EINVAL);
	ASSERT_SAME(p, s);
	ASSERT_EQ(entry_at(p, FIXVA).inheritance, VM_INHERIT_COPY);
	/* Holes are skipped. */
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA + PG, 4 * PG,
	    FLYVM_INHERIT_NONE), 0);
	ASSERT_EQ(flyvm_minherit(vm, p->p_pid, FIXVA, PG,
	    FLYVM_INHERIT_SHARE), 0);
	ASSERT_EQ(ustore(p, FIXVA, 1), 0);
	ASSERT_EQ(proc_fork(p, &c), 0);
	ASSERT_TRUE(mapped(c, FIXVA));
	ASSERT_FALSE(mapped(c, FIXVA + PG));
	ASSERT_EQ(ustore(c, FIXVA, 2), 0);
	ASSERT_EQ(uload(p, FIXVA), 2);
	proc_done(c);
	proc_done(p);
	finish();
}

/************************************************************************
 *			madvise, mcontrol, msync, mincore
 ************************************************************************/

TEST(madvise_and_mcontrol_behaviours)
{
	struct proc *p;
	struct snap s;

	boot();
	p = spawn();
	mmap_ok(p, FIXVA, 4 * PG, RW, ANON | FLYVM_MAP_FIXED);
	s = snap(p);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA, PG, -1), EINVAL);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA, PG, FLYVM_MADV_SETMAP),
	    EINVAL);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA, UINT64_MAX,
	    FLYVM_MADV_NORMAL), EINVAL);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FLYVM_USER_MAX - PG, 2 * PG,
	    FLYVM_MADV_NORMAL), EINVAL);
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA, PG, 12, 0), EINVAL);
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA, PG, -1, 0), EINVAL);
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA, UINT64_MAX,
	    FLYVM_MADV_NORMAL, 0), EINVAL);
	/* SETMAP: no virtual page tables here. */
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA, PG, FLYVM_MADV_SETMAP,
	    0), EINVAL);
	ASSERT_SAME(p, s);
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA + 8 * PG, PG,
	    FLYVM_MADV_SETMAP, 0), 0);
	/* Unmapped ranges are fine. */
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA + 8 * PG, PG,
	    FLYVM_MADV_WILLNEED), 0);
	/* Entry behaviours, clipped to the (page-widened) range. */
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA + PG + 7, 10,
	    FLYVM_MADV_SEQUENTIAL), 0);
	ASSERT_EQ(MAP_ENTRY_BEHAV(&(struct vm_map_entry){
	    .eflags = entry_at(p, FIXVA + PG).eflags }),
	    MAP_ENTRY_BEHAV_SEQUENTIAL);
	ASSERT_EQ(entry_at(p, FIXVA + PG).ba.start, FIXVA + PG);
	ASSERT_EQ(entry_at(p, FIXVA + PG).ba.end, FIXVA + 2 * PG);
	ASSERT_EQ(flyvm_mcontrol(vm, p->p_pid, FIXVA, 4 * PG,
	    FLYVM_MADV_NOCORE, 99), 0);
	ASSERT_TRUE(entry_at(p, FIXVA + 3 * PG).eflags &
	    MAP_ENTRY_NOCOREDUMP);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA, 4 * PG,
	    FLYVM_MADV_NOSYNC), 0);
	ASSERT_TRUE(entry_at(p, FIXVA).eflags & MAP_ENTRY_NOSYNC);
	/* MADV_INVAL (accepted by madvise) drops the translations only. */
	ASSERT_EQ(ustore(p, FIXVA, 42), 0);
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, FIXVA, PG, FLYVM_MADV_INVAL),
	    0);
	ASSERT_EQ(pmap_mincore(vmspace_pmap(p->p_vmspace), FIXVA), 0);
	ASSERT_EQ(uload(p, FIXVA), 42);
	proc_done(p);
	finish();
}

TEST(msync_checks_holes_and_invalidates)
{
	struct proc *p;
	pmap_t pmap;

	boot();
	p = spawn_with_hole();
	pmap = vmspace_pmap(p->p_vmspace);
	ASSERT_EQ(ustore(p, FIXVA, 5), 0);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, PG,
	    FLYVM_MS_ASYNC | FLYVM_MS_INVALIDATE), EINVAL);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, 4 * PG, FLYVM_MS_SYNC),
	    EINVAL);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA + 2 * PG, PG,
	    FLYVM_MS_SYNC), EINVAL);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA + 2 * PG, 0,
	    FLYVM_MS_SYNC), EINVAL);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, UINT64_MAX,
	    FLYVM_MS_SYNC), EINVAL);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FLYVM_USER_MAX, PG,
	    FLYVM_MS_SYNC), EINVAL);
	/* A failed MS_INVALIDATE leaves the translations alone. */
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, 4 * PG,
	    FLYVM_MS_INVALIDATE), EINVAL);
	ASSERT_TRUE(pmap_mincore(pmap, FIXVA) & MINCORE_INCORE);
	/* Unknown bits are not checked; length 0 is the whole entry. */
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, 2 * PG, 0x100), 0);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA + PG, 0, FLYVM_MS_ASYNC),
	    0);
	/* An unaligned address with length 0 still means its page. */
	ASSERT_EQ(ustore(p, FIXVA + PG, 6), 0);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA + PG + 3, 0,
	    FLYVM_MS_INVALIDATE), 0);
	ASSERT_EQ(pmap_mincore(pmap, FIXVA + PG), 0);
	ASSERT_TRUE(pmap_mincore(pmap, FIXVA) & MINCORE_INCORE);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA + PG, 0,
	    FLYVM_MS_INVALIDATE), 0);
	ASSERT_EQ(pmap_mincore(pmap, FIXVA), 0);
	ASSERT_EQ(uload(p, FIXVA + PG), 6);
	ASSERT_EQ(pmap_resident_count(pmap) >= 0, 1);
	ASSERT_EQ(uload(p, FIXVA), 5);
	proc_done(p);
	finish();
}

TEST(mincore_reports_pmap_and_object_state)
{
	unsigned char vec[8];
	struct proc *p;
	pmap_t pmap;
	uint64_t a = FIXVA;

	boot();
	p = spawn();
	pmap = vmspace_pmap(p->p_vmspace);
	/* One page per fault, so that each page's bits are its own. */
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.prefault_pages", 0), 0);
	mmap_ok(p, a, 3 * PG, RW, ANON | FLYVM_MAP_FIXED);
	mmap_ok(p, a + 4 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	/* Untouched memory (no object yet) and holes read 0. */
	memset(vec, 0xee, sizeof(vec));
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a, 5 * PG, vec, 5), 0);
	ASSERT_EQ(vec[0] | vec[1] | vec[2] | vec[3] | vec[4], 0);
	ASSERT_EQ(vec[5], 0xee);
	/* A read, a write. */
	(void)uload(p, a);
	ASSERT_EQ(ustore(p, a + PG, 1), 0);
	ASSERT_EQ(ustore(p, a + 4 * PG, 1), 0);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a + 5, 5 * PG - 5, vec, 5), 0);
	ASSERT_TRUE(vec[0] & MINCORE_INCORE);
	ASSERT_TRUE(vec[0] & MINCORE_REFERENCED);
	ASSERT_FALSE(vec[0] & MINCORE_MODIFIED);
	ASSERT_EQ(vec[1], MINCORE_INCORE | MINCORE_REFERENCED |
	    MINCORE_REFERENCED_OTHER | MINCORE_MODIFIED |
	    MINCORE_MODIFIED_OTHER);
	ASSERT_EQ(vec[2], 0);
	ASSERT_EQ(vec[3], 0);
	ASSERT_EQ(vec[4], vec[1]);
	/* Translations gone: the top object still has the dirty page. */
	ASSERT_EQ(flyvm_madvise(vm, p->p_pid, a, 3 * PG, FLYVM_MADV_INVAL),
	    0);
	ASSERT_EQ(pmap_mincore(pmap, a + PG), 0);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a + PG, PG, vec, 1), 0);
	ASSERT_EQ(vec[0], MINCORE_INCORE | MINCORE_MODIFIED_OTHER |
	    MINCORE_REFERENCED_OTHER);
	/* Bad ranges; a short or missing vector is EFAULT, unwritten. */
	memset(vec, 0xee, sizeof(vec));
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a, UINT64_MAX, vec, 8), EINVAL);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, FLYVM_USER_MAX - PG, 2 * PG,
	    vec, 8), EINVAL);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, UINT64_MAX - PG, 4 * PG, vec,
	    8), EINVAL);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a, 5 * PG, vec, 4), EFAULT);
	ASSERT_EQ(vec[0], 0xee);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a, 5 * PG, NULL, 8), EFAULT);
	ASSERT_EQ(flyvm_mincore(vm, p->p_pid, a, 0, vec, 0), 0);
	proc_done(p);
	finish();
}

/************************************************************************
 *				Wiring
 ************************************************************************/

TEST(mlock_limits_and_munlock)
{
	struct proc *p;
	struct snap s;
	pmap_t pmap;
	int64_t maxw;

	boot();
	p = spawn();
	pmap = vmspace_pmap(p->p_vmspace);
	mmap_ok(p, FIXVA, 4 * PG, RW, ANON | FLYVM_MAP_FIXED);
	mmap_ok(p, FIXVA + 5 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	s = snap(p);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, 0), 0);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 1, UINT64_MAX), EINVAL);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, UINT64_MAX - PG, 4 * PG),
	    EINVAL);
	/* Holes: ENOMEM and nothing wired. */
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, 6 * PG), ENOMEM);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FLYVM_USER_MAX, PG), ENOMEM);
	ASSERT_SAME(p, s);
	/* vm.max_wired: EAGAIN, checked before RLIMIT_MEMLOCK. */
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.max_wired", &maxw), 0);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_wired", 1), 0);
	set_rlimit(p, RLIMIT_MEMLOCK, 0);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, 2 * PG), EAGAIN);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_wired", maxw), 0);
	/* RLIMIT_MEMLOCK counts what the pmap has wired already. */
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, PG), ENOMEM);
	ASSERT_SAME(p, s);
	set_rlimit(p, RLIMIT_MEMLOCK, 2 * PG);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 5, 2 * PG - 5), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 2);
	ASSERT_TRUE(entry_at(p, FIXVA).eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_EQ(entry_at(p, FIXVA).ba.end, FIXVA + 2 * PG);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 2 * PG, PG), ENOMEM);
	ASSERT_EQ(pmap_wired_count(pmap), 2);
	ASSERT_EQ(ustore(p, FIXVA + 8, 3), 0);
	/* munlock: every page must be mlocked. */
	ASSERT_EQ(flyvm_munlock(vm, p->p_pid, FIXVA, 3 * PG), ENOMEM);
	ASSERT_EQ(pmap_wired_count(pmap), 2);
	ASSERT_EQ(flyvm_munlock(vm, p->p_pid, FIXVA, 0), 0);
	ASSERT_EQ(flyvm_munlock(vm, p->p_pid, FIXVA, UINT64_MAX), EINVAL);
	ASSERT_EQ(flyvm_munlock(vm, p->p_pid, FIXVA, 2 * PG), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	ASSERT_FALSE(entry_at(p, FIXVA).eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_EQ(uload(p, FIXVA + 8), 3);
	ASSERT_SAME(p, s);
	/* PROT_NONE memory cannot be locked (nothing to fault it with). */
	mmap_ok(p, FIXVA + 7 * PG, PG, FLYVM_PROT_NONE, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 5 * PG, 3 * PG), ENOMEM);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + 7 * PG, PG), 0);
	/* MS_INVALIDATE leaves locked pages mapped (and locked). */
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, PG), 0);
	ASSERT_EQ(flyvm_msync(vm, p->p_pid, FIXVA, 2 * PG,
	    FLYVM_MS_INVALIDATE), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 1);
	ASSERT_TRUE(pmap_mincore(pmap, FIXVA) & MINCORE_INCORE);
	ASSERT_EQ(pmap_mincore(pmap, FIXVA + PG), 0);
	ASSERT_EQ(flyvm_munlock(vm, p->p_pid, FIXVA, PG), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	ASSERT_EQ(uload(p, FIXVA + 8), 3);
	/* Wired memory goes back when the mapping does. */
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 5 * PG, PG), 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, FIXVA + 5 * PG, PG), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA, PG), 0);
	proc_done(p);
	finish();
}

TEST(mlockall_current_and_future)
{
	struct proc *p, *c;
	struct snap s;
	pmap_t pmap;
	uint64_t a, old;
	int64_t maxw;

	boot();
	p = spawn();
	pmap = vmspace_pmap(p->p_vmspace);
	mmap_ok(p, FIXVA, 3 * PG, RW, ANON | FLYVM_MAP_FIXED);
	mmap_ok(p, FIXVA + 4 * PG, PG, FLYVM_PROT_READ,
	    ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 4 * PG, PG), 0);
	s = snap(p);
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, 0), EINVAL);
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, 4), EINVAL);
	/* The limits apply to everything mapped. */
	set_rlimit(p, RLIMIT_MEMLOCK, (rlim_t)(s.size - PG));
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, FLYVM_MCL_CURRENT |
	    FLYVM_MCL_FUTURE), ENOMEM);
	ASSERT_SAME(p, s);
	set_rlimit(p, RLIMIT_MEMLOCK, (rlim_t)s.size);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.max_wired", &maxw), 0);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_wired", 2), 0);
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, FLYVM_MCL_CURRENT), EAGAIN);
	ASSERT_SAME(p, s);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.max_wired", maxw), 0);
	/* MCL_FUTURE was not applied by the failures. */
	a = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_EQ(entry_at(p, a).wired_count, 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	/* MCL_CURRENT wires every mapped page, stack included. */
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, FLYVM_MCL_CURRENT | 0x100), 0);
	ASSERT_EQ(pmap_wired_count(pmap), (long)atop(s.size));
	ASSERT_TRUE(entry_at(p, FIXVA).eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_TRUE(entry_at(p, USRSTACK - PG).eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_EQ(entry_at(p, FIXVA + 4 * PG).wired_count, 1);
	a = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_EQ(entry_at(p, a).wired_count, 0);
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, a, PG), 0);
	/* A fork child gets copies of the locked pages, unlocked. */
	ASSERT_EQ(ustore(p, FIXVA, 11), 0);
	ASSERT_EQ(proc_fork(p, &c), 0);
	ASSERT_EQ(uload(c, FIXVA), 11);
	ASSERT_EQ(entry_at(c, FIXVA).wired_count, 0);
	ASSERT_EQ(pmap_wired_count(vmspace_pmap(c->p_vmspace)), 0);
	ASSERT_EQ(ustore(c, FIXVA, 12), 0);
	ASSERT_EQ(uload(p, FIXVA), 11);
	proc_done(c);
	ASSERT_EQ(pmap_wired_count(pmap), (long)atop(s.size));
	/* munlockall gives every user wiring back. */
	ASSERT_EQ(flyvm_munlockall(vm, p->p_pid), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	ASSERT_FALSE(entry_at(p, FIXVA + 4 * PG).eflags &
	    MAP_ENTRY_USER_WIRED);
	/* MCL_FUTURE: new mappings and brk growth come wired. */
	set_rlimit(p, RLIMIT_MEMLOCK, RLIM_INFINITY);
	ASSERT_EQ(flyvm_mlockall(vm, p->p_pid, FLYVM_MCL_FUTURE), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	a = mmap_ok(p, 0, 2 * PG, RW, ANON);
	ASSERT_EQ(entry_at(p, a).wired_count, 1);
	ASSERT_TRUE(entry_at(p, a).eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_EQ(pmap_wired_count(pmap), 2);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 100, &old), 0);
	ASSERT_EQ(entry_at(p, USRTEXT).wired_count, 1);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 3 * PG), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 5);
	/* ... and so does the stack as it grows. */
	ASSERT_EQ(ustore(p, USRSTACK - SGROWSIZ - 8, 1), 0);
	ASSERT_EQ(entry_at(p, USRSTACK - SGROWSIZ - 8).wired_count, 1);
	ASSERT_EQ(pmap_wired_count(pmap), 5 + (long)atop(SGROWSIZ));
	ASSERT_EQ(flyvm_munlockall(vm, p->p_pid), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	a = mmap_ok(p, 0, PG, RW, ANON);
	ASSERT_EQ(entry_at(p, a).wired_count, 0);
	proc_done(p);
	finish();
}

TEST(mlockall_failure_unwires_what_it_wired)
{
	struct proc *p;
	struct snap s;
	pmap_t pmap;
	long n;
	int error;

	boot();
	p = spawn_with_hole();
	pmap = vmspace_pmap(p->p_vmspace);
	mmap_ok(p, FIXVA + 5 * PG, 3 * PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_mlock(vm, p->p_pid, FIXVA + 3 * PG, PG), 0);
	/* Page tables first: only the wired pages themselves can fail. */
	ASSERT_EQ(ustore(p, FIXVA + 8, 1), 0);
	ASSERT_EQ(ustore(p, USRSTACK - 8, 1), 0);
	s = snap(p);
	/* Fail every page allocation from the nth on, for each n. */
	for (n = 1; n < 200; n++) {
		fault_inject_arm(vm_page_alloc_fault(), n, TRUE);
		error = flyvm_mlockall(vm, p->p_pid, FLYVM_MCL_CURRENT |
		    FLYVM_MCL_FUTURE);
		fault_inject_arm(vm_page_alloc_fault(), 0, FALSE);
		if (error == 0)
			break;
		ASSERT_EQ(error, ENOMEM);
		ASSERT_SAME(p, s);
		ASSERT_TRUE(entry_at(p, FIXVA + 3 * PG).eflags &
		    MAP_ENTRY_USER_WIRED);
		ASSERT_FALSE(entry_at(p, FIXVA).eflags & MAP_ENTRY_USER_WIRED);
		ASSERT_EQ(uload(p, FIXVA + 8), 1);
	}
	ASSERT_TRUE(n > 1 && n < 200);
	ASSERT_EQ(pmap_wired_count(pmap), (long)atop(s.size));
	ASSERT_EQ(flyvm_munlockall(vm, p->p_pid), 0);
	ASSERT_EQ(pmap_wired_count(pmap), 0);
	proc_done(p);
	finish();
}

/************************************************************************
 *				brk and sbrk
 ************************************************************************/

TEST(sbrk_moves_the_break_by_bytes)
{
	struct proc *p;
	struct snap s;
	uint64_t old = 0;

	boot();
	p = spawn();
	s = snap(p);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 0, &old), 0);
	ASSERT_EQ(old, USRTEXT);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, -1, &old), EOPNOTSUPP);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 1, NULL), EFAULT);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, INT64_MAX, &old), ENOMEM);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, (int64_t)FLYVM_USER_MAX, &old),
	    ENOMEM);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, DFLDSIZ + 1, &old), ENOMEM);
	ASSERT_SAME(p, s);
	/* The first byte maps a page; the rest of it costs nothing. */
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 100, &old), 0);
	ASSERT_EQ(old, USRTEXT);
	ASSERT_EQ(snap(p).size, s.size + PG);
	ASSERT_EQ(entry_at(p, USRTEXT).id, VM_SUBSYS_BRK);
	ASSERT_EQ(entry_at(p, USRTEXT).protection, VM_PROT_ALL);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, PG - 100, &old), 0);
	ASSERT_EQ(old, USRTEXT + 100);
	ASSERT_EQ(snap(p).size, s.size + PG);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 1, &old), 0);
	ASSERT_EQ(old, USRTEXT + PG);
	ASSERT_EQ(snap(p).size, s.size + 2 * PG);
	ASSERT_EQ(p->p_vmspace->vm_dsize, 2);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 0, &old), 0);
	ASSERT_EQ(old, USRTEXT + PG + 1);
	ASSERT_EQ(ustore(p, USRTEXT + PG, 6), 0);
	ASSERT_EQ(uload(p, USRTEXT + PG), 6);
	/* RLIMIT_DATA bounds the break. */
	set_rlimit(p, RLIMIT_DATA, 4 * PG);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 3 * PG, &old), ENOMEM);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 3 * PG - 1, &old), 0);
	ASSERT_EQ(snap(p).size, s.size + 4 * PG);
	/* Growth over another mapping is ENOMEM. */
	set_rlimit(p, RLIMIT_DATA, DFLDSIZ);
	mmap_ok(p, USRTEXT + 5 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 2 * PG, &old), ENOMEM);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 0, &old), 0);
	ASSERT_EQ(old, USRTEXT + 4 * PG);
	proc_done(p);
	finish();
}

TEST(brk_grows_in_pages_and_never_shrinks)
{
	struct proc *p;
	struct snap s;
	uint64_t old = 0;

	boot();
	p = spawn();
	s = snap(p);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT - PG), EINVAL);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT - PG + 1), 0);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, 0), EINVAL);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT), 0);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + DFLDSIZ + 1), ENOMEM);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, FLYVM_USER_MAX), ENOMEM);
	/* RLIMIT_AS applies to brk growth. */
	set_rlimit(p, RLIMIT_AS, (rlim_t)(s.size + 2 * PG));
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 3 * PG), ENOMEM);
	ASSERT_SAME(p, s);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 2 * PG - 10), 0);
	set_rlimit(p, RLIMIT_AS, RLIM_INFINITY);
	ASSERT_EQ(snap(p).size, s.size + 2 * PG);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 0, &old), 0);
	ASSERT_EQ(old, USRTEXT + 2 * PG);
	ASSERT_EQ(ustore(p, USRTEXT + PG, 8), 0);
	/* Shrinking, to any lower page: EOPNOTSUPP. */
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + PG), EOPNOTSUPP);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT), EOPNOTSUPP);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 2 * PG), 0);
	/* RLIMIT_DATA, and a mapping in the way. */
	set_rlimit(p, RLIMIT_DATA, 3 * PG);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 4 * PG), ENOMEM);
	set_rlimit(p, RLIMIT_DATA, DFLDSIZ);
	mmap_ok(p, USRTEXT + 3 * PG, PG, RW, ANON | FLYVM_MAP_FIXED);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 4 * PG), ENOMEM);
	/* sbrk after a partial page, then brk rounds it up. */
	ASSERT_EQ(flyvm_munmap(vm, p->p_pid, USRTEXT + 3 * PG, PG), 0);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 10, &old), 0);
	ASSERT_EQ(old, USRTEXT + 2 * PG);
	ASSERT_EQ(flyvm_brk(vm, p->p_pid, USRTEXT + 3 * PG), 0);
	ASSERT_EQ(flyvm_sbrk(vm, p->p_pid, 0, &old), 0);
	ASSERT_EQ(old, USRTEXT + 3 * PG);
	ASSERT_EQ(uload(p, USRTEXT + PG), 8);
	proc_done(p);
	finish();
}

/************************************************************************
 *			Several threads, one process
 ************************************************************************/

#define RACE_ROUNDS	300

struct race_arg {
	struct proc	*p;
	int		errors;
	int		line;		/* of the last failure */
};

/* Count a failed step (cond true) and remember where it was. */
#define RACE_FAIL(ra, cond) do {					\
	if (cond) {							\
		(ra)->errors++;						\
		(ra)->line = __LINE__;					\
	}								\
} while (0)

/* mmap, touch, lock, look, protect, unlock, unmap, over and over. */
static void
race_mapper(void *arg)
{
	struct race_arg *ra = arg;
	struct proc *p = ra->p;
	pmap_t pmap = vmspace_pmap(p->p_vmspace);
	unsigned char vec[2];
	uint64_t a, v;
	int i;

	proc_bind(p);
	for (i = 0; i < RACE_ROUNDS; i++) {
		if (flyvm_mmap(vm, p->p_pid, 0, 2 * PG, RW, ANON, -1, 0,
		    &a) != 0) {
			RACE_FAIL(ra, 1);
			continue;
		}
		RACE_FAIL(ra, pmap_store_8(pmap, a, (uint64_t)i, NULL) != 0);
		RACE_FAIL(ra, flyvm_mlock(vm, p->p_pid, a, 2 * PG) != 0);
		RACE_FAIL(ra, flyvm_mincore(vm, p->p_pid, a, 2 * PG, vec, 2) !=
		    0 || (vec[0] & MINCORE_INCORE) == 0);
		RACE_FAIL(ra, flyvm_mprotect(vm, p->p_pid, a, 2 * PG,
		    FLYVM_PROT_READ) != 0);
		RACE_FAIL(ra, pmap_fetch_8(pmap, a, &v, NULL) != 0 ||
		    v != (uint64_t)i);
		RACE_FAIL(ra, flyvm_munlock(vm, p->p_pid, a, 2 * PG) != 0);
		RACE_FAIL(ra, flyvm_munmap(vm, p->p_pid, a, 2 * PG) != 0);
	}
	proc_unbind(p);
}

/* Whole-range calls that must cope with whatever the mappers do. */
static void
race_sweeper(void *arg)
{
	struct race_arg *ra = arg;
	struct proc *p = ra->p;
	uint64_t old;
	int i;

	for (i = 0; i < RACE_ROUNDS; i++) {
		RACE_FAIL(ra, flyvm_madvise(vm, p->p_pid, HEAP_END, 64 * PG,
		    i % 2 ? FLYVM_MADV_INVAL : FLYVM_MADV_DONTNEED) != 0);
		RACE_FAIL(ra, flyvm_minherit(vm, p->p_pid, HEAP_END, 64 * PG,
		    FLYVM_INHERIT_COPY) != 0);
		RACE_FAIL(ra, flyvm_sbrk(vm, p->p_pid, 16, &old) != 0);
		if (i % 50 == 0)
			RACE_FAIL(ra, flyvm_mlockall(vm, p->p_pid,
			    FLYVM_MCL_CURRENT) != 0);
	}
}

TEST(syscalls_race_on_one_process)
{
	struct race_arg ra[3];
	struct kthread_handle *h[3];
	struct proc *p;
	int i;

	boot();
	p = spawn();
	for (i = 0; i < 3; i++) {
		ra[i].p = p;
		ra[i].errors = 0;
		ra[i].line = 0;
		ASSERT_EQ(kthread_create(i < 2 ? race_mapper : race_sweeper,
		    &ra[i], "race", &h[i]), 0);
	}
	for (i = 0; i < 3; i++) {
		kthread_join(h[i]);
		ASSERT_EQ(ra[i].line, 0);
		ASSERT_EQ(ra[i].errors, 0);
	}
	ASSERT_EQ(flyvm_munlockall(vm, p->p_pid), 0);
	ASSERT_EQ(snap(p).wired, 0);
	proc_done(p);
	finish();
}

/************************************************************************
 *			The API layer and vm_mmap
 ************************************************************************/

/* Every call of the family, for pid through handle h, answers error. */
static void
every_call_fails(struct flyvm *h, pid_t pid, int error)
{
	unsigned char vec[1];
	uint64_t a;

	ASSERT_EQ(flyvm_mmap(h, pid, 0, PG, RW, ANON, -1, 0, &a), error);
	ASSERT_EQ(flyvm_munmap(h, pid, 0, PG), error);
	ASSERT_EQ(flyvm_msync(h, pid, 0, PG, 0), error);
	ASSERT_EQ(flyvm_mprotect(h, pid, 0, PG, 0), error);
	ASSERT_EQ(flyvm_minherit(h, pid, 0, PG, 0), error);
	ASSERT_EQ(flyvm_madvise(h, pid, 0, PG, 0), error);
	ASSERT_EQ(flyvm_mcontrol(h, pid, 0, PG, 0, 0), error);
	ASSERT_EQ(flyvm_mincore(h, pid, 0, PG, vec, 1), error);
	ASSERT_EQ(flyvm_mlock(h, pid, 0, PG), error);
	ASSERT_EQ(flyvm_munlock(h, pid, 0, PG), error);
	ASSERT_EQ(flyvm_mlockall(h, pid, FLYVM_MCL_FUTURE), error);
	ASSERT_EQ(flyvm_munlockall(h, pid), error);
	ASSERT_EQ(flyvm_brk(h, pid, USRTEXT), error);
	ASSERT_EQ(flyvm_sbrk(h, pid, 0, &a), error);
}

TEST(api_checks_handle_pid_and_out_parameters)
{
	struct flyvm_config bogus;
	struct proc *p;
	struct snap s;
	pid_t pid;

	boot();
	p = spawn();
	pid = p->p_pid;
	s = snap(p);
	every_call_fails(NULL, pid, EINVAL);
	every_call_fails((struct flyvm *)&bogus, pid, EINVAL);
	every_call_fails(vm, 0, ESRCH);
	every_call_fails(vm, -1, ESRCH);
	ASSERT_EQ(flyvm_mmap(vm, pid, 0, PG, RW, ANON, -1, 0, NULL), EFAULT);
	ASSERT_EQ(flyvm_sbrk(vm, pid, 0, NULL), EFAULT);
	ASSERT_EQ(flyvm_mincore(vm, pid, 0, PG, NULL, 1), EFAULT);
	ASSERT_SAME(p, s);
	proc_done(p);
	/* An exited pid: ESRCH, checked before the out-parameters. */
	every_call_fails(vm, pid, ESRCH);
	ASSERT_EQ(flyvm_mmap(vm, pid, 0, PG, RW, ANON, -1, 0, NULL), ESRCH);
	ASSERT_EQ(flyvm_sbrk(vm, pid, 0, NULL), ESRCH);
	ASSERT_EQ(flyvm_mincore(vm, pid, 0, PG, NULL, 1), ESRCH);
	finish();
}

TEST(vm_mmap_internal_stack_and_errors)
{
	struct vm_map_entry e;
	struct proc *p;
	vm_map_t map;
	vm_offset_t addr;

	boot();
	p = spawn();
	map = &p->p_vmspace->vm_map;
	ASSERT_EQ(vm_mmap_to_errno(KERN_SUCCESS), 0);
	ASSERT_EQ(vm_mmap_to_errno(KERN_INVALID_ADDRESS), ENOMEM);
	ASSERT_EQ(vm_mmap_to_errno(KERN_NO_SPACE), ENOMEM);
	ASSERT_EQ(vm_mmap_to_errno(KERN_PROTECTION_FAILURE), EACCES);
	ASSERT_EQ(vm_mmap_to_errno(KERN_RESOURCE_SHORTAGE), EINVAL);
	addr = FIXVA;
	ASSERT_EQ(vm_mmap(map, &addr, 0, VM_PROT_ALL, VM_PROT_ALL,
	    MAP_ANON | MAP_FIXED, NULL, 0), 0);
	ASSERT_EQ(vm_mmap(map, &addr, PG, VM_PROT_ALL, VM_PROT_ALL,
	    MAP_ANON | MAP_FIXED, NULL, 1), EINVAL);
	ASSERT_EQ(vm_mmap(map, &addr, PG, VM_PROT_ALL, VM_PROT_ALL,
	    MAP_ANON | MAP_FIXED, map, 0), EINVAL);
	addr = FIXVA + 1;
	ASSERT_EQ(vm_mmap(map, &addr, PG, VM_PROT_ALL, VM_PROT_ALL,
	    MAP_ANON | MAP_FIXED, NULL, 0), EINVAL);
	ASSERT_FALSE(mapped(p, FIXVA));
	/* Kernel callers (exec) get a real grow-down stack. */
	addr = FIXVA;
	ASSERT_EQ(vm_mmap(map, &addr, 64 * PG, VM_PROT_ALL, VM_PROT_ALL,
	    MAP_ANON | MAP_STACK | MAP_FIXED, NULL, 0), 0);
	e = entry_at(p, FIXVA + 64 * PG - 1);
	ASSERT_TRUE(e.eflags & MAP_ENTRY_STACK);
	ASSERT_EQ(e.ba.end, FIXVA + 64 * PG);
	ASSERT_EQ(e.ba.start, FIXVA + 64 * PG - SGROWSIZ);
	ASSERT_EQ(e.aux.avail_ssize, 64 * PG - SGROWSIZ);
	/* A fault below it grows it. */
	ASSERT_EQ(ustore(p, FIXVA + 8, 1), 0);
	ASSERT_TRUE(mapped(p, FIXVA));
	proc_done(p);
	finish();
}

TEST_MAIN(
	TEST_ENTRY(mmap_anonymous_maps_zeroed_memory_above_the_heap),
	TEST_ENTRY(mmap_checks_arguments_in_dragonfly_order),
	TEST_ENTRY(mmap_fixed_replaces_and_tryfixed_refuses),
	TEST_ENTRY(mmap_sizealign_and_segment_alignment),
	TEST_ENTRY(mmap_hint_skips_the_heap_reserved_for_brk),
	TEST_ENTRY(mmap_shared_and_inherit_are_seen_by_a_fork_child),
	TEST_ENTRY(mmap_nosync_and_nocore_mark_the_entry),
	TEST_ENTRY(mmap_limits_rlimit_as_and_max_proc_mmap),
	TEST_ENTRY(munmap_needs_the_whole_range_mapped),
	TEST_ENTRY(mprotect_skips_holes_and_refuses_above_max),
	TEST_ENTRY(minherit_values_and_fork),
	TEST_ENTRY(madvise_and_mcontrol_behaviours),
	TEST_ENTRY(msync_checks_holes_and_invalidates),
	TEST_ENTRY(mincore_reports_pmap_and_object_state),
	TEST_ENTRY(mlock_limits_and_munlock),
	TEST_ENTRY(mlockall_current_and_future),
	TEST_ENTRY(mlockall_failure_unwires_what_it_wired),
	TEST_ENTRY(sbrk_moves_the_break_by_bytes),
	TEST_ENTRY(brk_grows_in_pages_and_never_shrinks),
	TEST_ENTRY(syscalls_race_on_one_process),
	TEST_ENTRY(api_checks_handle_pid_and_out_parameters),
	TEST_ENTRY(vm_mmap_internal_stack_and_errors)
)
