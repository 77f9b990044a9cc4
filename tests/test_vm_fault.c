/*
 * test_vm_fault.c - the fault path, driven through the software MMU as a
 * user program would (loads and stores that fault), with every audit
 * after each step.
 */
#include "vm_fault_util.h"
#include "kern/proc.h"
#include "vm/vm_pager.h"

#define NPG	8

static struct vmspace *
boot_vm(void)
{
	vft_boot(2, 32);
	return (vft_vm());
}

static void
end_vm(struct vmspace *vm)
{
	vmspace_rel(vm);
	vft_teardown();
}

static int
pte_writeable(struct vmspace *vm, vm_offset_t va)
{
	return ((pt_pte(vmspace_pmap(vm), va) & X86_PG_RW) != 0);
}

static int
pte_valid(struct vmspace *vm, vm_offset_t va)
{
	return ((pt_pte(vmspace_pmap(vm), va) & X86_PG_V) != 0);
}

TEST(zero_fill_then_read_back)
{
	struct vmspace *vm = boot_vm();
	struct vmmeter c0, c1;
	int i;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	c0 = vft_cnt();
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 8), 0);
	for (i = 0; i < NPG; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE + 16, 0x1000 + i);
	VFT_AUDIT(&vm->vm_map);
	for (i = 0; i < NPG; i++) {
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE + 16),
		    0x1000 + i);
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE), 0);
	}
	c1 = vft_cnt();
	ASSERT_GE(c1.v_zfod + c1.v_ozfod - c0.v_zfod - c0.v_ozfod, NPG);
	ASSERT_GE(c1.v_vm_faults - c0.v_vm_faults, 1);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(read_maps_read_only_until_written)
{
	struct vmspace *vm = boot_vm();
	struct vmmeter c0, c1;

	vm_prefault_pages = 0;
	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 0);
	ASSERT_TRUE(pte_valid(vm, VFT_VA));
	ASSERT_FALSE(pte_writeable(vm, VFT_VA));
	VFT_AUDIT(&vm->vm_map);
	c0 = vft_cnt();
	vft_store(vm, VFT_VA, 42);		/* write after read upgrades */
	c1 = vft_cnt();
	ASSERT_EQ(c1.v_vm_faults - c0.v_vm_faults, 1);
	ASSERT_EQ(c1.v_zfod - c0.v_zfod, 0);	/* same page, no new one */
	ASSERT_TRUE(pte_writeable(vm, VFT_VA));
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 42);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(soft_refault_after_unmap)
{
	struct vmspace *vm = boot_vm();
	struct vmmeter c0, c1;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA, 7);
	pmap_remove(vmspace_pmap(vm), VFT_VA, VFT_VA + NPG * PAGE_SIZE);
	c0 = vft_cnt();
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 7);
	/* A dirty page maps writeable at once: the store does not fault. */
	vft_store(vm, VFT_VA, 8);
	c1 = vft_cnt();
	ASSERT_EQ(c1.v_vm_faults - c0.v_vm_faults, 1);
	ASSERT_EQ(c1.v_zfod - c0.v_zfod, 0);
	ASSERT_EQ(c1.v_cow_faults - c0.v_cow_faults, 0);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(cow_private_never_shared)
{
	struct vmspace *vm = boot_vm(), *child;
	int i;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	for (i = 0; i < NPG; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, 100 + i);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	VFT_AUDIT(&vm->vm_map);
	VFT_AUDIT(&child->vm_map);
	for (i = 0; i < NPG; i++)
		ASSERT_EQ(vft_fetch(child, VFT_VA + i * PAGE_SIZE), 100 + i);
	for (i = 0; i < NPG; i += 2)
		vft_store(child, VFT_VA + i * PAGE_SIZE, 200 + i);
	for (i = 1; i < NPG; i += 2)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, 300 + i);
	VFT_AUDIT(&vm->vm_map);
	VFT_AUDIT(&child->vm_map);
	for (i = 0; i < NPG; i++) {
		ASSERT_EQ(vft_fetch(child, VFT_VA + i * PAGE_SIZE),
		    (i & 1) ? 100 + i : 200 + i);
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE),
		    (i & 1) ? 300 + i : 100 + i);
	}
	vmspace_rel(child);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(shared_inherit_always_shared)
{
	struct vmspace *vm = boot_vm(), *child;
	int i;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA, 1);
	ASSERT_EQ(vm_map_inherit(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE, VM_INHERIT_SHARE), KERN_SUCCESS);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	ASSERT_EQ(vft_fetch(child, VFT_VA), 1);
	for (i = 0; i < NPG; i++) {
		vft_store(child, VFT_VA + i * PAGE_SIZE + 8, 500 + i);
		vft_store(vm, VFT_VA + i * PAGE_SIZE + 16, 600 + i);
	}
	for (i = 0; i < NPG; i++) {
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE + 8), 500 + i);
		ASSERT_EQ(vft_fetch(child, VFT_VA + i * PAGE_SIZE + 16),
		    600 + i);
	}
	VFT_AUDIT(&vm->vm_map);
	VFT_AUDIT(&child->vm_map);
	vmspace_rel(child);
	end_vm(vm);
}

/* The entry at va (single-threaded test: stable once unlocked). */
static vm_map_entry_t
entry_at(struct vmspace *vm, vm_offset_t va)
{
	vm_map_entry_t entry;
	boolean_t found;

	vm_map_lock_read(&vm->vm_map);
	found = vm_map_lookup_entry(&vm->vm_map, va, &entry);
	vm_map_unlock_read(&vm->vm_map);
	ASSERT_TRUE(found);
	return (entry);
}

#define GENS	50

TEST(fork_chain_50_generations)
{
	static struct vmspace *vms[GENS + 1];
	static int64_t exp[GENS + 1][NPG];
	int g, i;

	vms[0] = boot_vm();
	vft_map(vms[0], VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	for (i = 0; i < NPG; i++) {
		exp[0][i] = 1000 + i;
		vft_store(vms[0], VFT_VA + i * PAGE_SIZE, exp[0][i]);
	}
	for (g = 1; g <= GENS; g++) {
		vms[g] = vmspace_fork(vms[g - 1]);
		ASSERT_NOT_NULL(vms[g]);
		memcpy(exp[g], exp[g - 1], sizeof(exp[g]));
		exp[g - 1][g % NPG] = -g;
		exp[g][(g + 3) % NPG] = g;
		vft_store(vms[g - 1], VFT_VA + (g % NPG) * PAGE_SIZE, -g);
		vft_store(vms[g], VFT_VA + ((g + 3) % NPG) * PAGE_SIZE, g);
		ASSERT_LE(entry_at(vms[g], VFT_VA)->ba.backing_count,
		    vm_map_backing_limit);
		VFT_AUDIT(&vms[g]->vm_map);
	}
	for (g = 0; g <= GENS; g++) {
		for (i = 0; i < NPG; i++)
			ASSERT_EQ((int64_t)vft_fetch(vms[g],
			    VFT_VA + i * PAGE_SIZE), exp[g][i]);
		ASSERT_LE(entry_at(vms[g], VFT_VA)->ba.backing_count,
		    vm_map_backing_limit);
	}
	VFT_AUDIT(&vms[0]->vm_map);
	for (g = GENS; g >= 1; g--)
		vmspace_rel(vms[g]);
	end_vm(vms[0]);
}

TEST(cow_costs_one_copy_each_side)
{
	struct vmspace *vm = boot_vm(), *child;
	struct vmmeter c0, c1;

	vm_fast_fault = 0;
	vft_map(vm, VFT_VA, PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA, 1);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	/* Page tables of both sides exist before counting. */
	ASSERT_EQ(vft_fetch(child, VFT_VA), 1);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 1);
	c0 = vft_cnt();
	vft_store(vm, VFT_VA, 2);
	vft_store(child, VFT_VA, 3);
	vft_store(vm, VFT_VA + 8, 4);		/* no further copies */
	vft_store(child, VFT_VA + 8, 5);
	c1 = vft_cnt();
	ASSERT_EQ(c1.v_cow_faults - c0.v_cow_faults, 2);
	ASSERT_EQ(c1.v_pagealloc - c0.v_pagealloc, 2);
	ASSERT_EQ(c1.v_zfod - c0.v_zfod, 0);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 2);
	ASSERT_EQ(vft_fetch(child, VFT_VA), 3);
	VFT_AUDIT(&vm->vm_map);
	VFT_AUDIT(&child->vm_map);
	vmspace_rel(child);
	end_vm(vm);
}

TEST(unresolvable_faults_signal)
{
	struct vmspace *vm = boot_vm();
	struct pmap_fault pf;
	uint64_t v;

	vft_map(vm, VFT_VA, PAGE_SIZE, VM_PROT_READ);
	vft_map(vm, VFT_VA + 4 * PAGE_SIZE, PAGE_SIZE, VM_PROT_NONE);
	/* Nothing mapped. */
	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(vm), VFT_VA + 2 * PAGE_SIZE, &v,
	    &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	ASSERT_EQ(pf.pf_rv, KERN_INVALID_ADDRESS);
	/* Write to read-only memory. */
	ASSERT_EQ(pmap_store_8(vmspace_pmap(vm), VFT_VA, 1, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_rv, KERN_PROTECTION_FAILURE);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 0);
	/* PROT_NONE. */
	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(vm), VFT_VA + 4 * PAGE_SIZE, &v,
	    &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	/* Execute of a non-executable page. */
	ASSERT_EQ(pmap_ifetch(vmspace_pmap(vm), VFT_VA, &v, 4, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/* Past the end of the object behind a mapping: SIGSEGV/SEGV_ACCERR. */
TEST(past_object_end_signals)
{
	struct vmspace *vm = boot_vm();
	struct pmap_fault pf;
	vm_object_t obj = vm_object_allocate(OBJT_DEFAULT, 1);
	vm_offset_t addr = VFT_VA;
	uint64_t v;

	ASSERT_NOT_NULL(obj);
	ASSERT_EQ(vm_map_find(&vm->vm_map, obj, NULL, 0, &addr,
	    2 * PAGE_SIZE, 0, FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST,
	    VM_PROT_ALL, VM_PROT_ALL, 0), KERN_SUCCESS);
	vft_store(vm, VFT_VA, 3);
	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(vm), VFT_VA + PAGE_SIZE, &v, &pf),
	    SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_rv, KERN_PROTECTION_FAILURE);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/* Wired pages other than this pmap's page-table pages. */
static long
wired_data_pages(struct vmspace *vm)
{
	vmstats_rollup();
	return (atomic_load_long(&vmstats.v_wire_count) -
	    atomic_load_long(&vmspace_pmap(vm)->pm_ptpages));
}

TEST(wiring_faults_in_and_unwiring_releases)
{
	struct vmspace *vm = boot_vm();
	long w0;
	int i;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA, 9);
	w0 = wired_data_pages(vm);
	ASSERT_EQ(vm_map_user_wiring(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE, FALSE), KERN_SUCCESS);
	ASSERT_EQ(wired_data_pages(vm) - w0, NPG);
	ASSERT_EQ(pmap_wired_count(vmspace_pmap(vm)), NPG);
	for (i = 0; i < NPG; i++) {
		ASSERT_TRUE(pte_valid(vm, VFT_VA + i * PAGE_SIZE));
		ASSERT_TRUE(pt_pte(vmspace_pmap(vm), VFT_VA + i * PAGE_SIZE) &
		    X86_PG_W);
	}
	VFT_AUDIT(&vm->vm_map);
	ASSERT_EQ(vm_map_user_wiring(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE, TRUE), KERN_SUCCESS);
	ASSERT_EQ(wired_data_pages(vm), w0);
	ASSERT_EQ(pmap_wired_count(vmspace_pmap(vm)), 0);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 9);
	VFT_AUDIT(&vm->vm_map);
	/* Wired again and unmapped while wired. */
	ASSERT_EQ(vm_map_user_wiring(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE, FALSE), KERN_SUCCESS);
	ASSERT_EQ(vm_map_remove(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE), KERN_SUCCESS);
	ASSERT_EQ(wired_data_pages(vm), w0);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(wired_entry_copied_at_fork)
{
	struct vmspace *vm = boot_vm(), *child;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA + PAGE_SIZE, 77);
	ASSERT_EQ(vm_map_user_wiring(&vm->vm_map, VFT_VA,
	    VFT_VA + NPG * PAGE_SIZE, FALSE), KERN_SUCCESS);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	ASSERT_TRUE(pte_valid(child, VFT_VA + PAGE_SIZE));
	ASSERT_EQ(vft_fetch(child, VFT_VA + PAGE_SIZE), 77);
	vft_store(child, VFT_VA + PAGE_SIZE, 78);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + PAGE_SIZE), 77);
	VFT_AUDIT(&vm->vm_map);
	VFT_AUDIT(&child->vm_map);
	vmspace_rel(child);
	end_vm(vm);
}

TEST(fault_page_for_kernel_access)
{
	struct vmspace *vm = boot_vm();
	vm_page_t m;
	int error = -1, busy = -1;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	m = vm_fault_page(&vm->vm_map, VFT_VA + 3 * PAGE_SIZE + 24,
	    VM_PROT_READ | VM_PROT_WRITE, 0, &error, &busy);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(error, 0);
	((uint64_t *)vm_page_data(m))[3] = 4242;
	if (busy)
		vm_page_wakeup(m);
	else
		vm_page_unhold(m);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 3 * PAGE_SIZE + 24), 4242);
	m = vm_fault_page(&vm->vm_map, VFT_VA + 3 * PAGE_SIZE, VM_PROT_READ,
	    0, &error, NULL);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(((uint64_t *)vm_page_data(m))[3], 4242);
	vm_page_unhold(m);
	ASSERT_NULL(vm_fault_page(&vm->vm_map, VFT_VA - PAGE_SIZE,
	    VM_PROT_READ, 0, &error, NULL));
	ASSERT_EQ(error, KERN_INVALID_ADDRESS);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(allocation_failure_is_retried)
{
	struct vmspace *vm = boot_vm();

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	fault_inject_arm(vm_page_alloc_fault(), 1, FALSE);
	vft_store(vm, VFT_VA, 5);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 5);
	ASSERT_GE(fault_inject_hits(vm_page_alloc_fault()), 1);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(prefault_maps_neighbours)
{
	struct vmspace *vm = boot_vm();
	struct vmmeter c0, c1;
	int i;

	vm_prefault_pages = 8;
	vm_fast_fault = 1;
	vft_map(vm, VFT_VA, 16 * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA + 4 * PAGE_SIZE, 1);
	for (i = 1; i <= 4; i++) {
		ASSERT_TRUE(pte_valid(vm, VFT_VA + (4 + i) * PAGE_SIZE));
		ASSERT_TRUE(pte_valid(vm, VFT_VA + (4 - i) * PAGE_SIZE));
	}
	c0 = vft_cnt();
	for (i = 0; i <= 8; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE + 8, i);
	c1 = vft_cnt();
	ASSERT_EQ(c1.v_vm_faults - c0.v_vm_faults, 0);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/*
 * The faulting page's pte starts with the bits its access sets (accessed;
 * modified for a write), so the retried access has nothing to update;
 * the neighbours a prefault maps start with neither, however their pages
 * stand, so the pageout daemon and mincore still see them untouched.
 */
TEST(fault_presets_only_its_own_access_bits)
{
	struct vmspace *vm = boot_vm();
	pmap_t pmap = vmspace_pmap(vm);
	pt_entry_t am = X86_PG_A | X86_PG_M;
	int i;

	vm_prefault_pages = 8;
	vm_fast_fault = 1;
	vft_map(vm, VFT_VA, 16 * PAGE_SIZE, VM_PROT_ALL);
	/* Dirty all sixteen pages, then drop every mapping. */
	for (i = 0; i < 16; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, i);
	pmap_remove(pmap, VFT_VA, VFT_VA + 16 * PAGE_SIZE);
	/* A write fault: its page A and M, the dirty neighbours neither. */
	vft_store(vm, VFT_VA + 4 * PAGE_SIZE, 99);
	ASSERT_EQ(pt_pte(pmap, VFT_VA + 4 * PAGE_SIZE) & am, am);
	for (i = 1; i <= 4; i++) {
		ASSERT_TRUE(pte_valid(vm, VFT_VA + (4 + i) * PAGE_SIZE));
		ASSERT_EQ(pt_pte(pmap, VFT_VA + (4 + i) * PAGE_SIZE) & am, 0);
		ASSERT_EQ(pt_pte(pmap, VFT_VA + (4 - i) * PAGE_SIZE) & am, 0);
	}
	/* A read fault of a dirty page (mapped writeable): A only. */
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 12 * PAGE_SIZE), 12);
	ASSERT_TRUE(pte_writeable(vm, VFT_VA + 12 * PAGE_SIZE));
	ASSERT_EQ(pt_pte(pmap, VFT_VA + 12 * PAGE_SIZE) & am, X86_PG_A);
	/* Fresh zero-fill neighbours of a write fault: neither bit. */
	vft_map(vm, VFT_VA + 32 * PAGE_SIZE, 16 * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA + 36 * PAGE_SIZE, 1);
	ASSERT_EQ(pt_pte(pmap, VFT_VA + 36 * PAGE_SIZE) & am, am);
	for (i = 1; i <= 4; i++) {
		ASSERT_TRUE(pte_valid(vm, VFT_VA + (36 + i) * PAGE_SIZE));
		ASSERT_EQ(pt_pte(pmap, VFT_VA + (36 + i) * PAGE_SIZE) & am, 0);
	}
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/*
 * A prefault that meets a busy page deeper in the chain must leave that
 * address alone, not zero-fill over the data (found by the MT test).
 */
TEST(prefault_skips_busy_deeper_page)
{
	struct vmspace *vm = boot_vm(), *child;
	vm_object_t obj;
	vm_page_t m;
	int busy = 1;

	vm_prefault_pages = 8;
	vm_fast_fault = 1;
	vft_map(vm, VFT_VA, 4 * PAGE_SIZE, VM_PROT_ALL);
	vft_store(vm, VFT_VA, 10);
	vft_store(vm, VFT_VA + PAGE_SIZE, 11);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	obj = entry_at(vm, VFT_VA)->ba.object;
	vm_object_hold(obj);
	m = vm_page_lookup_busy_try(obj, 1, TRUE, &busy);
	vm_object_drop(obj);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(busy, 0);
	vft_store(vm, VFT_VA, 20);		/* COW, prefaults around */
	vm_page_wakeup(m);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + PAGE_SIZE), 11);
	ASSERT_EQ(vft_fetch(child, VFT_VA + PAGE_SIZE), 11);
	ASSERT_EQ(vft_fetch(child, VFT_VA), 10);
	VFT_AUDIT(&vm->vm_map);
	vmspace_rel(child);
	end_vm(vm);
}

TEST(growstack_below_stack_entry)
{
	struct vmspace *vm = boot_vm();
	vm_offset_t bos = VFT_VA;
	vm_size_t max = 64 * PAGE_SIZE;
	vm_map_entry_t entry;

	ASSERT_EQ(vm_map_stack(&vm->vm_map, &bos, max, 0, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_SUCCESS);
	entry = entry_at(vm, bos + max - PAGE_SIZE);
	ASSERT_GE(entry->ba.start, bos + PAGE_SIZE);
	/* Touch below the mapped part: the stack grows over it. */
	vft_store(vm, bos + PAGE_SIZE, 11);
	ASSERT_EQ(vft_fetch(vm, bos + PAGE_SIZE), 11);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST(teardown_returns_every_page)
{
	struct vmspace *vm = boot_vm(), *child;
	int i;

	vft_map(vm, VFT_VA, 64 * PAGE_SIZE, VM_PROT_ALL);
	for (i = 0; i < 64; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, i);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	for (i = 0; i < 64; i += 3)
		vft_store(child, VFT_VA + i * PAGE_SIZE, i + 1);
	vmspace_rel(child);
	end_vm(vm);		/* free count back at boot value */
}

/*
 * A test pager for OBJT_PHYS objects (that slot is empty until the phys
 * pager exists).  By pindex % 8: 2 is a hole (haspage FALSE); 1 fails
 * getpage with ERROR, 3 with FAIL (no data after all), 4 with BAD; the
 * others read a pattern.  getpage checks the busy and PIP discipline.
 */
static int tp_getpage_calls, tp_discipline_ok = 1;

static uint64_t
tp_pattern(vm_pindex_t pindex)
{
	return (0x1111111111111111ULL * (pindex % 8 + 1));
}

static void
tp_dealloc(vm_object_t object)
{
	(void)object;
}

static int
tp_getpage(vm_object_t object, vm_page_t *mp, int seqaccess)
{
	vm_page_t m = *mp;
	uint64_t *p = vm_page_data(m);
	size_t i;

	(void)seqaccess;
	tp_getpage_calls++;
	if (!vm_page_busied(m) || m->object != object ||
	    atomic_load_int(&object->paging_in_progress) == 0)
		tp_discipline_ok = 0;
	switch (m->pindex % 8) {
	case 1:
		return (VM_PAGER_ERROR);
	case 3:
		return (VM_PAGER_FAIL);
	case 4:
		return (VM_PAGER_BAD);
	}
	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		p[i] = tp_pattern(m->pindex);
	atomic_store_relaxed(&m->valid, VM_PAGE_BITS_ALL);
	return (VM_PAGER_OK);
}

static void
tp_putpages(vm_object_t object, vm_page_t *m, int count, int flags,
    int *rtvals)
{
	int i;

	(void)object;
	(void)m;
	(void)flags;
	for (i = 0; i < count; i++)
		rtvals[i] = VM_PAGER_OK;
}

static int
tp_haspage(vm_object_t object, vm_pindex_t pindex)
{
	(void)object;
	return (pindex % 8 != 2);
}

static struct pagerops tp_ops = {
	.pgo_dealloc = tp_dealloc,
	.pgo_getpage = tp_getpage,
	.pgo_putpages = tp_putpages,
	.pgo_haspage = tp_haspage,
};

/* A pager object of npages mapped at va, shared or copy-on-write. */
static vm_object_t
tp_map(struct vmspace *vm, vm_offset_t va, int npages, int cow)
{
	vm_object_t obj = vm_object_allocate(OBJT_PHYS, (vm_pindex_t)npages);

	ASSERT_NOT_NULL(obj);
	ASSERT_EQ(vm_map_find(&vm->vm_map, obj, NULL, 0, &va,
	    (vm_size_t)npages * PAGE_SIZE, 0, FALSE, VM_MAPTYPE_NORMAL,
	    VM_SUBSYS_TEST, VM_PROT_ALL, VM_PROT_ALL, cow), KERN_SUCCESS);
	return (obj);
}

/*
 * A page that is not resident in an object with a pager is read by the
 * pager (a major fault), once; a hole or a FAIL zero-fills; ERROR is
 * SIGBUS/BUS_OBJERR and BAD is SIGSEGV/SEGV_ACCERR, with the page that
 * was allocated for the read gone again.
 */
TEST(pager_fills_faults)
{
	struct vmspace *vm;
	struct pmap_fault pf;
	struct proc p;
	struct vmmeter c0, c1;
	vm_object_t obj;
	uint64_t v;

	pagertab[OBJT_PHYS] = &tp_ops;
	vm = boot_vm();
	memset(&p, 0, sizeof(p));
	curthread->td_proc = &p;
	obj = tp_map(vm, VFT_VA, 2 * NPG, 0);
	c0 = vft_cnt();
	ASSERT_EQ(vft_fetch(vm, VFT_VA), tp_pattern(0));
	ASSERT_EQ(tp_getpage_calls, 1);
	ASSERT_EQ(p.p_majflt, 1);
	/* Resident now: a re-fault does not ask the pager again. */
	pmap_remove(vmspace_pmap(vm), VFT_VA, VFT_VA + PAGE_SIZE);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 8), tp_pattern(0));
	ASSERT_EQ(tp_getpage_calls, 1);
	ASSERT_EQ(p.p_majflt, 1);
	/* ERROR: SIGBUS, and nothing left behind. */
	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(vm), VFT_VA + PAGE_SIZE, &v, &pf),
	    SIGBUS);
	ASSERT_EQ(pf.pf_code, BUS_OBJERR);
	ASSERT_EQ(pf.pf_rv, KERN_FAILURE);
	ASSERT_EQ(obj->resident_page_count, 1);
	/* A hole, and FAIL: zero-filled, the pager asked only for FAIL. */
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 2 * PAGE_SIZE), 0);
	ASSERT_EQ(tp_getpage_calls, 2);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 3 * PAGE_SIZE), 0);
	ASSERT_EQ(tp_getpage_calls, 3);
	/* BAD: a protection failure. */
	ASSERT_EQ(pmap_store_8(vmspace_pmap(vm), VFT_VA + 4 * PAGE_SIZE, 1,
	    &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_rv, KERN_PROTECTION_FAILURE);
	/* A write reads the page in and then writes it (shared mapping). */
	vft_store(vm, VFT_VA + 5 * PAGE_SIZE, 7);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 5 * PAGE_SIZE), 7);
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 5 * PAGE_SIZE + 8), tp_pattern(5));
	/* Its prefault burst did not zero-fill the neighbours. */
	ASSERT_EQ(vft_fetch(vm, VFT_VA + 6 * PAGE_SIZE), tp_pattern(6));
	ASSERT_EQ(p.p_majflt, 3);
	c1 = vft_cnt();
	ASSERT_EQ(c1.v_zfod - c0.v_zfod, 2);
	ASSERT_TRUE(tp_discipline_ok);
	ASSERT_EQ(atomic_load_int(&obj->paging_in_progress), 0);
	VFT_AUDIT(&vm->vm_map);
	curthread->td_proc = NULL;
	end_vm(vm);
	pagertab[OBJT_PHYS] = NULL;
}

/*
 * Copy-on-write over a pager object: the pager's data is read into the
 * backing object, the write copies it into the shadow, and the object
 * keeps the pager's bytes.
 */
TEST(pager_behind_cow_mapping)
{
	struct vmspace *vm;
	vm_object_t obj;
	vm_offset_t priv = VFT_VA + 64 * PAGE_SIZE;

	pagertab[OBJT_PHYS] = &tp_ops;
	vm = boot_vm();
	obj = tp_map(vm, VFT_VA, NPG, 0);
	vm_object_reference_quick(obj);
	ASSERT_EQ(vm_map_find(&vm->vm_map, obj, NULL, 0, &priv,
	    NPG * PAGE_SIZE, 0, FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST,
	    VM_PROT_ALL, VM_PROT_ALL, COWF_COPY_ON_WRITE), KERN_SUCCESS);
	vft_store(vm, priv, 9);
	ASSERT_EQ(vft_fetch(vm, priv), 9);
	ASSERT_EQ(vft_fetch(vm, priv + 8), tp_pattern(0));
	ASSERT_EQ(vft_fetch(vm, VFT_VA), tp_pattern(0));
	ASSERT_EQ(vft_fetch(vm, priv + 5 * PAGE_SIZE), tp_pattern(5));
	ASSERT_TRUE(tp_discipline_ok);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
	pagertab[OBJT_PHYS] = NULL;
}

/* Take every page an ordinary allocation can get, into obj (held). */
static long
exhaust_memory(vm_object_t obj)
{
	long n = 0;

	vm_object_hold(obj);
	while (vm_page_alloc(obj, (vm_pindex_t)n,
	    VM_ALLOC_NORMAL | VM_ALLOC_NULL_OK) != NULL) {
		vm_page_wakeup(vm_page_lookup(obj, (vm_pindex_t)n));
		n++;
	}
	vm_object_drop(obj);
	return (n);
}

static int release_go;		/* (a) */

static void
release_memory(void *arg)
{
	vm_object_t obj = arg;

	while (!atomic_load_int(&release_go))
		tsleep(&release_go, 0, "relgo", 1);
	tsleep(&release_go, 0, "reldly", hz / 20 + 1);
	vm_object_deallocate(obj);
}

/*
 * Short of memory, a fault waits (vm_wait_pfault) for as long as it takes
 * and then succeeds, as DragonFly's does; only a process that is exiting
 * stops waiting, with a protection failure.
 */
TEST(short_fault_waits_for_memory)
{
	struct kthread_handle *h;
	struct vmspace *vm;
	struct pmap_fault pf;
	struct proc p;
	vm_object_t hog;

	vm = boot_vm();
	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	hog = vm_object_allocate(OBJT_DEFAULT, 1 << 20);
	ASSERT_NOT_NULL(hog);
	ASSERT_GE(exhaust_memory(hog), 1);
	memset(&p, 0, sizeof(p));
	p.p_flags = P_WEXIT;
	curthread->td_proc = &p;
	ASSERT_EQ(pmap_store_8(vmspace_pmap(vm), VFT_VA, 1, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_rv, KERN_PROTECTION_FAILURE);
	curthread->td_proc = NULL;
	atomic_store_int(&release_go, 0);
	ASSERT_EQ(kthread_create(release_memory, hog, "release", &h), 0);
	atomic_store_int(&release_go, 1);
	vft_store(vm, VFT_VA, 4);
	kthread_join(h);
	ASSERT_EQ(vft_fetch(vm, VFT_VA), 4);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

TEST_MAIN(
	TEST_ENTRY(zero_fill_then_read_back),
	TEST_ENTRY(read_maps_read_only_until_written),
	TEST_ENTRY(soft_refault_after_unmap),
	TEST_ENTRY(cow_private_never_shared),
	TEST_ENTRY(shared_inherit_always_shared),
	TEST_ENTRY(fork_chain_50_generations),
	TEST_ENTRY(cow_costs_one_copy_each_side),
	TEST_ENTRY(unresolvable_faults_signal),
	TEST_ENTRY(past_object_end_signals),
	TEST_ENTRY(wiring_faults_in_and_unwiring_releases),
	TEST_ENTRY(wired_entry_copied_at_fork),
	TEST_ENTRY(fault_page_for_kernel_access),
	TEST_ENTRY(allocation_failure_is_retried),
	TEST_ENTRY(prefault_maps_neighbours),
	TEST_ENTRY(fault_presets_only_its_own_access_bits),
	TEST_ENTRY(prefault_skips_busy_deeper_page),
	TEST_ENTRY(growstack_below_stack_entry),
	TEST_ENTRY(teardown_returns_every_page),
	TEST_ENTRY(pager_fills_faults),
	TEST_ENTRY(pager_behind_cow_mapping),
	TEST_ENTRY(short_fault_waits_for_memory)
)
