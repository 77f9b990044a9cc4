/*
 * test_vm_map_mt.c - vm_map under concurrency: find/protect/fault/remove
 * racing on one map, wiring whose fault hook drops the map lock (entries
 * in transition), lock-upgrade races in vm_map_lookup, range interlocks,
 * and vmspace references from many threads.  Every test ends with
 * vm_map_audit() and all entries, links, objects and vmspaces gone.
 */
#include <string.h>

#include "harness.h"
#include "kern_util.h"
#include "kern/synch.h"
#include "vm_map_util.h"
#include "vm/vm_mman.h"

#define PG		((vm_offset_t)PAGE_SIZE)
#define VMIN		((vm_offset_t)0x10000000)
#define VMAX		((vm_offset_t)0x1000000000)
#define NTHREADS	4
#define NCPUS		4

static struct vmspace *
boot_vm(void)
{
	struct vmspace *vm;

	vmt_boot(NCPUS);
	vm = vmspace_alloc(VMIN, VMAX);
	ASSERT_NOT_NULL(vm);
	return (vm);
}

static void
end_vm(struct vmspace *vm)
{
	ASSERT_EQ(vm_map_audit(&vm->vm_map), 0);
	vmspace_rel(vm);
	vmt_teardown();
}

struct worker {
	vm_map_t	map;
	int		id;
	int		iters;
	unsigned	seed;
	long		done;
};

static unsigned
rnd(struct worker *w)
{
	w->seed = w->seed * 1103515245 + 12345;
	return (w->seed >> 8);
}

#define touch(map, addr, type)	vmt_touch((map), (addr), (type), NULL, NULL)

/* Each worker maps, protects, faults and unmaps its own ranges. */
static void
find_remove_worker(void *arg)
{
	struct worker *w = arg;
	vm_offset_t addr;
	vm_size_t len;
	int i;

	for (i = 0; i < w->iters; i++) {
		len = (1 + rnd(w) % 8) * PG;
		addr = 0;
		ASSERT_EQ(vm_map_find(w->map, NULL, NULL, 0, &addr, len, 0,
		    TRUE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
		    VM_PROT_ALL, COWF_COPY_ON_WRITE), KERN_SUCCESS);
		ASSERT_EQ(touch(w->map, addr, VM_PROT_WRITE), KERN_SUCCESS);
		if (len > PG) {
			ASSERT_EQ(vm_map_protect(w->map, addr, addr + PG,
			    VM_PROT_READ, FALSE), KERN_SUCCESS);
			ASSERT_EQ(touch(w->map, addr, VM_PROT_WRITE),
			    KERN_PROTECTION_FAILURE);
		}
		ASSERT_TRUE(vm_map_check_protection(w->map, addr, addr + len,
		    VM_PROT_READ, FALSE));
		if (rnd(w) % 4 == 0)
			ASSERT_EQ(vm_map_audit(w->map), 0);
		ASSERT_EQ(vm_map_remove(w->map, addr, addr + len),
		    KERN_SUCCESS);
		w->done++;
	}
}

TEST(test_mt_find_remove)
{
	struct worker w[NTHREADS];
	struct vmspace *vm;
	int i;

	vm = boot_vm();
	for (i = 0; i < NTHREADS; i++)
		w[i] = (struct worker){ &vm->vm_map, i, 400, 77 + i, 0 };
	kt_run(find_remove_worker, w, sizeof(w[0]), NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(w[i].done, 400);
	ASSERT_EQ(vm->vm_map.nentries, 0);
	ASSERT_EQ(vm->vm_map.size, 0);
	end_vm(vm);
}

/*
 * A fault hook that behaves like the real one: it drops the map lock
 * while "faulting", so others run into the entries in transition.  It
 * counts wired bytes, as the pages would be: entries are clipped and
 * merged between wiring and unwiring, but the bytes must balance.
 */
static long wired_bytes;

static int
sleepy_wire(vm_map_t map, vm_map_entry_t entry, boolean_t user, int kmflags)
{
	static int chan;
	vm_offset_t start = entry->ba.start, end = entry->ba.end;

	ASSERT_TRUE(entry->eflags & MAP_ENTRY_IN_TRANSITION);
	vm_map_unlock(map);
	tsleep(&chan, 0, "fwire", 1);
	vm_map_lock(map);
	/* Nobody touched our entry while we slept. */
	ASSERT_EQ(entry->ba.start, start);
	ASSERT_EQ(entry->ba.end, end);
	ASSERT_TRUE(entry->eflags & MAP_ENTRY_IN_TRANSITION);
	atomic_add_long(&wired_bytes, (long)(end - start));
	return (KERN_SUCCESS);
}

static void
count_unwire(vm_map_t map, vm_map_entry_t entry)
{
	atomic_subtract_long(&wired_bytes, (long)(entry->ba.end -
	    entry->ba.start));
}

static const struct vm_map_fault_hooks sleepy_hooks = {
	.fault_wire = sleepy_wire,
	.fault_unwire = count_unwire,
};

static int
noop_collapse(vm_map_t map, vm_map_entry_t entry)
{
	return (KERN_FAILURE);
}

static void
noop_copy(vm_map_t d, vm_map_t s, vm_map_entry_t de, vm_map_entry_t se)
{
}

static void
wiring_worker(void *arg)
{
	struct worker *w = arg;
	vm_offset_t s, e;
	int i, rv;

	for (i = 0; i < w->iters; i++) {
		s = VMIN + (rnd(w) % 32) * PG;
		e = s + (1 + rnd(w) % 16) * PG;
		switch (w->id) {
		case 0:
			rv = vm_map_user_wiring(w->map, s, e, FALSE);
			ASSERT_EQ(rv, KERN_SUCCESS);
			rv = vm_map_user_wiring(w->map, s, e, TRUE);
			ASSERT_EQ(rv, KERN_SUCCESS);
			break;
		case 1:
			ASSERT_EQ(vm_map_kernel_wiring(w->map, s, e, 0),
			    KERN_SUCCESS);
			ASSERT_EQ(vm_map_kernel_wiring(w->map, s, e,
			    KM_PAGEABLE), KERN_SUCCESS);
			break;
		case 2:
			ASSERT_EQ(vm_map_protect(w->map, s, e, (rnd(w) & 1) ?
			    VM_PROT_READ : VM_PROT_ALL, FALSE), KERN_SUCCESS);
			ASSERT_EQ(vm_map_inherit(w->map, s, e, (rnd(w) & 1) ?
			    VM_INHERIT_SHARE : VM_INHERIT_COPY), KERN_SUCCESS);
			break;
		default:
			ASSERT_EQ(vm_map_madvise(w->map, s, e, (rnd(w) & 1) ?
			    MADV_RANDOM : MADV_NORMAL, 0), KERN_SUCCESS);
			ASSERT_EQ(touch(w->map, s, VM_PROT_READ), KERN_SUCCESS);
			break;
		}
	}
}

TEST(test_mt_wiring_transition)
{
	struct vm_map_fault_hooks hooks = sleepy_hooks;
	struct worker w[NTHREADS];
	struct vmspace *vm;
	vm_offset_t addr = VMIN;
	vm_map_entry_t entry;
	int i;

	vm = boot_vm();
	hooks.fault_collapse = noop_collapse;
	hooks.fault_copy_entry = noop_copy;
	vm_map_set_fault_hooks(&hooks);
	ASSERT_EQ(vm_map_find(&vm->vm_map, NULL, NULL, 0, &addr, 64 * PG, 0,
	    FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_SUCCESS);
	for (i = 0; i < NTHREADS; i++)
		w[i] = (struct worker){ &vm->vm_map, i, 100, 5 + i, 0 };
	kt_run(wiring_worker, w, sizeof(w[0]), NTHREADS);
	ASSERT_EQ(vm_map_audit(&vm->vm_map), 0);
	ASSERT_EQ(wired_bytes, 0);
	vm_map_lock_read(&vm->vm_map);
	RB_FOREACH(entry, vm_map_rb_tree, &vm->vm_map.rb_root) {
		ASSERT_EQ(entry->wired_count, 0);
		ASSERT_EQ(entry->eflags & (MAP_ENTRY_IN_TRANSITION |
		    MAP_ENTRY_USER_WIRED | MAP_ENTRY_NEEDS_WAKEUP), 0);
	}
	vm_map_unlock_read(&vm->vm_map);
	end_vm(vm);
}

/* Write faults on shared COW entries: upgrades race, shadows are made. */
static void
cow_worker(void *arg)
{
	struct worker *w = arg;
	vm_offset_t addr;
	int i;

	for (i = 0; i < w->iters; i++) {
		addr = VMIN + (rnd(w) % 256) * PG;
		ASSERT_EQ(touch(w->map, addr, (rnd(w) & 1) ? VM_PROT_WRITE :
		    VM_PROT_READ), KERN_SUCCESS);
	}
}

TEST(test_mt_lookup_upgrade)
{
	struct worker w[NTHREADS];
	struct vmspace *vm;
	vm_map_entry_t entry;
	vm_object_t obj;
	vm_offset_t addr;
	int i;

	vm = boot_vm();
	obj = vm_object_allocate(OBJT_DEFAULT, 256);
	ASSERT_NOT_NULL(obj);
	for (i = 0; i < 64; i++) {
		addr = VMIN + (vm_offset_t)i * 4 * PG;
		vm_object_reference_quick(obj);
		ASSERT_EQ(vm_map_find(&vm->vm_map, obj, NULL, i * 4 * PG,
		    &addr, 4 * PG, 0, FALSE, VM_MAPTYPE_NORMAL,
		    VM_SUBSYS_TEST, VM_PROT_ALL, VM_PROT_ALL,
		    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	}
	for (i = 0; i < NTHREADS; i++)
		w[i] = (struct worker){ &vm->vm_map, i, 2000, 31 + i, 0 };
	kt_run(cow_worker, w, sizeof(w[0]), NTHREADS);
	ASSERT_EQ(vm_map_audit(&vm->vm_map), 0);
	vm_map_lock_read(&vm->vm_map);
	RB_FOREACH(entry, vm_map_rb_tree, &vm->vm_map.rb_root) {
		/* Shadowed exactly once, or never written. */
		if (entry->eflags & MAP_ENTRY_NEEDS_COPY)
			ASSERT_PTR_EQ(entry->ba.object, obj);
		else
			ASSERT_EQ(entry->ba.backing_count, 1);
	}
	vm_map_unlock_read(&vm->vm_map);
	vm_object_deallocate(obj);
	end_vm(vm);
}

/* Overlapping interlocks exclude each other. */
static int ilock_inside[8];

static void
ilock_worker(void *arg)
{
	struct worker *w = arg;
	struct vm_map_ilock il;
	vm_offset_t s;
	int i, slot, k;

	for (i = 0; i < w->iters; i++) {
		slot = rnd(w) % 7;
		s = VMIN + (vm_offset_t)slot * PG;
		vm_map_interlock(w->map, &il, s, s + 2 * PG);
		for (k = slot; k < slot + 2; k++)
			ASSERT_EQ(atomic_fetchadd_int(&ilock_inside[k], 1), 0);
		lwkt_yield();
		for (k = slot; k < slot + 2; k++)
			atomic_subtract_int(&ilock_inside[k], 1);
		vm_map_deinterlock(w->map, &il);
	}
}

TEST(test_mt_interlock)
{
	struct worker w[NTHREADS];
	struct vmspace *vm;
	int i;

	vm = boot_vm();
	for (i = 0; i < NTHREADS; i++)
		w[i] = (struct worker){ &vm->vm_map, i, 2000, 9 + i, 0 };
	kt_run(ilock_worker, w, sizeof(w[0]), NTHREADS);
	ASSERT_NULL(vm->vm_map.ilock_base);
	end_vm(vm);
}

/* References and holds from many threads; stage 1 and 2 run once. */
static void
ref_worker(void *arg)
{
	struct vmspace *vm = *(struct vmspace **)arg;
	int i;

	for (i = 0; i < 2000; i++) {
		vmspace_ref(vm);
		vmspace_hold(vm);
		ASSERT_TRUE(vmspace_getrefs(vm) >= 2);
		vmspace_drop(vm);
		vmspace_rel(vm);
	}
}

TEST(test_mt_vmspace_refs)
{
	struct vmspace *vm, *args[NTHREADS];
	vm_offset_t addr = VMIN;
	int i;

	vm = boot_vm();
	ASSERT_EQ(vm_map_find(&vm->vm_map, NULL, NULL, 0, &addr, 8 * PG, 0,
	    FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_SUCCESS);
	for (i = 0; i < NTHREADS; i++)
		args[i] = vm;
	kt_run(ref_worker, args, sizeof(args[0]), NTHREADS);
	ASSERT_EQ(vmspace_getrefs(vm), 1);
	ASSERT_EQ(vm->vm_holdcnt, 1);
	ASSERT_EQ(vm->vm_flags, 0);
	ASSERT_EQ(vm->vm_map.nentries, 1);
	end_vm(vm);
}

/* Random calls from every thread on one map (forks keep the parent). */
static void
random_worker(void *arg)
{
	struct worker *w = arg;
	struct vmspace *vm = (struct vmspace *)((char *)w->map -
	    offsetof(struct vmspace, vm_map));
	int i;

	for (i = 0; i < w->iters; i++) {
		vmt_random_op(&vm, rnd(w) * 2654435761u, FALSE);
		if (i % 64 == 0)
			ASSERT_EQ(vm_map_audit(w->map), 0);
	}
}

TEST(test_mt_random_ops)
{
	struct worker w[NTHREADS];
	struct vmspace *vm;
	int i;

	vm = boot_vm();
	for (i = 0; i < NTHREADS; i++)
		w[i] = (struct worker){ &vm->vm_map, i, 1500, 1000 + i, 0 };
	kt_run(random_worker, w, sizeof(w[0]), NTHREADS);
	end_vm(vm);
}

TEST_MAIN(
	TEST_ENTRY(test_mt_find_remove),
	TEST_ENTRY(test_mt_wiring_transition),
	TEST_ENTRY(test_mt_lookup_upgrade),
	TEST_ENTRY(test_mt_interlock),
	TEST_ENTRY(test_mt_vmspace_refs),
	TEST_ENTRY(test_mt_random_ops)
)
