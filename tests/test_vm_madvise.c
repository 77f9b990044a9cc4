/*
 * test_vm_madvise.c - vm_map_madvise's object-level behaviours (WILLNEED,
 * DONTNEED, FREE, INVAL) on memory faulted in through the software MMU,
 * with every audit after each step.
 */
#include "vm_fault_util.h"

#define NPG	256

/*
 * DONTNEED leaves pages alone in runs of 16 out of every 512 calls per
 * CPU (about 1 in 32): the most a run of n calls may leave active.
 */
#define ALONE_MAX(n)	((n) / 32 + 16)

/* A fresh system and vmspace; end_vm undoes both, checking for leaks. */
static struct vmspace *
boot_vm(void)
{
	vft_boot(1, 32);
	return (vft_vm());
}

static void
end_vm(struct vmspace *vm)
{
	VFT_AUDIT(&vm->vm_map);
	vmspace_rel(vm);
	vft_teardown();
}

/* The top object of the entry mapping va. */
static vm_object_t
top_object(struct vmspace *vm, vm_offset_t va)
{
	vm_map_entry_t entry;
	vm_object_t obj;

	vm_map_lock_read(&vm->vm_map);
	ASSERT_TRUE(vm_map_lookup_entry(&vm->vm_map, va, &entry));
	obj = entry->ba.object;
	vm_map_unlock_read(&vm->vm_map);
	ASSERT_NOT_NULL(obj);
	return (obj);
}

/*
 * Map NPG anonymous pages at VFT_VA and write each (tag + i); returns the
 * object they landed in.
 */
static vm_object_t
map_and_touch(struct vmspace *vm, uint64_t tag)
{
	int i;

	vft_map(vm, VFT_VA, NPG * PAGE_SIZE, VM_PROT_ALL);
	for (i = 0; i < NPG; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, tag + i);
	return (top_object(vm, VFT_VA));
}

/* The resident page at pindex of obj, or NULL. */
static vm_page_t
lookup(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_lookup(obj, pindex);
	vm_object_drop(obj);
	return (m);
}

/* How many of obj's pages [from, to) are resident on queue base q. */
static int
count_range(vm_object_t obj, int from, int to, int q)
{
	vm_page_t m;
	int i, c = 0;

	for (i = from; i < to; i++) {
		m = lookup(obj, i);
		if (m != NULL && vm_page_qbase(m) == q)
			c++;
	}
	return (c);
}

static int
count_on(vm_object_t obj, int n, int q)
{
	return (count_range(obj, 0, n, q));
}

/* vm_page_test_dirty on obj's page at pindex; its dirty bits after. */
static int
test_dirty(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;
	int dirty;

	vm_object_hold(obj);
	m = vm_page_lookup_busy_wait(obj, pindex, TRUE, "t");
	ASSERT_NOT_NULL(m);
	vm_page_test_dirty(m);
	dirty = m->dirty;
	vm_page_wakeup(m);
	vm_object_drop(obj);
	return (dirty);
}

static int
advise(struct vmspace *vm, vm_offset_t s, vm_offset_t e, int behav)
{
	return (vm_map_madvise(&vm->vm_map, s, e, behav, 0));
}

/*
 * DONTNEED moves the top object's resident pages off the active queue
 * (about 1 in 32 is left alone) and leaves the backing object's alone.
 */
TEST(dontneed_top_object_only)
{
	struct vmspace *vm = boot_vm(), *child;
	vm_object_t top, back;
	int i, half = NPG / 2;

	back = map_and_touch(vm, 100);
	child = vmspace_fork(vm);
	ASSERT_NOT_NULL(child);
	for (i = 0; i < half; i++)
		vft_store(vm, VFT_VA + i * PAGE_SIZE, 300 + i);
	top = top_object(vm, VFT_VA);
	ASSERT_TRUE(top != back);
	ASSERT_EQ(count_on(top, NPG, PQ_ACTIVE), half);
	ASSERT_EQ(count_on(back, NPG, PQ_ACTIVE), NPG);
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_DONTNEED),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	ASSERT_LE(count_on(top, NPG, PQ_ACTIVE), ALONE_MAX(half));
	ASSERT_EQ(count_on(top, NPG, PQ_ACTIVE) +
	    count_on(top, NPG, PQ_INACTIVE) + count_on(top, NPG, PQ_CACHE),
	    half);
	ASSERT_EQ(top->resident_page_count, half);
	ASSERT_EQ(count_on(back, NPG, PQ_ACTIVE), NPG);
	for (i = 0; i < NPG; i++)
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE),
		    (i < half ? 300 : 100) + i);
	vmspace_rel(child);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/*
 * A NORMAL entry's range goes to its object at ba.offset: DONTNEED on an
 * entry that maps the middle of the object reaches only those pages.
 */
TEST(dontneed_subrange_through_offset)
{
	struct vmspace *vm = boot_vm();
	vm_object_t obj;
	int q = NPG / 4;
	vm_offset_t s = VFT_VA + q * PAGE_SIZE;

	vm_map_entry_t entry;

	obj = map_and_touch(vm, 0);
	/* Split off the middle: its entry maps the object at q pages in. */
	ASSERT_EQ(advise(vm, s, s + 2 * q * PAGE_SIZE, MADV_RANDOM),
	    KERN_SUCCESS);
	vm_map_lock_read(&vm->vm_map);
	ASSERT_TRUE(vm_map_lookup_entry(&vm->vm_map, s, &entry));
	ASSERT_EQ(entry->ba.start, s);
	ASSERT_EQ(entry->ba.offset, (vm_ooffset_t)q * PAGE_SIZE);
	vm_map_unlock_read(&vm->vm_map);
	ASSERT_EQ(advise(vm, s, s + 2 * q * PAGE_SIZE, MADV_DONTNEED),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	ASSERT_EQ(count_range(obj, 0, q, PQ_ACTIVE), q);
	ASSERT_LE(count_range(obj, q, 3 * q, PQ_ACTIVE), ALONE_MAX(2 * q));
	ASSERT_EQ(count_range(obj, 3 * q, NPG, PQ_ACTIVE), q);
	ASSERT_EQ(obj->resident_page_count, NPG);
	end_vm(vm);
}

/* WILLNEED puts deactivated pages back on the active queue. */
TEST(willneed_activates)
{
	struct vmspace *vm = boot_vm();
	vm_object_t obj;

	obj = map_and_touch(vm, 0);
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_DONTNEED),
	    KERN_SUCCESS);
	ASSERT_LE(count_on(obj, NPG, PQ_ACTIVE), ALONE_MAX(NPG));
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_WILLNEED),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	ASSERT_EQ(count_on(obj, NPG, PQ_ACTIVE), NPG);
	end_vm(vm);
}

/* FREE on a private (ONEMAPPING) anonymous object: clean, still mapped. */
TEST(free_onemapping_cleans_keeps_mapping)
{
	struct vmspace *vm = boot_vm();
	pmap_t pmap = vmspace_pmap(vm);
	vm_object_t obj;
	long resident;
	int i;

	obj = map_and_touch(vm, 0);
	ASSERT_TRUE(obj->flags & OBJ_ONEMAPPING);
	resident = pmap_resident_count(pmap);
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_FREE),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	for (i = 0; i < NPG; i++) {
		ASSERT_EQ(lookup(obj, i)->dirty, 0);
		ASSERT_NE(pmap_extract(pmap, VFT_VA + i * PAGE_SIZE, NULL), 0);
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE), i);
	}
	ASSERT_EQ(pmap_resident_count(pmap), resident);
	ASSERT_EQ(obj->resident_page_count, NPG);
	/* A store after FREE makes the page dirty again; a load does not. */
	vft_store(vm, VFT_VA, 7);
	ASSERT_EQ(test_dirty(obj, 0), VM_PAGE_BITS_ALL);
	ASSERT_EQ(test_dirty(obj, 1), 0);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/* FREE on a shared (not ONEMAPPING) object changes nothing. */
TEST(free_shared_changes_nothing)
{
	struct vmspace *vm = boot_vm();
	vm_object_t obj;
	int i;

	obj = map_and_touch(vm, 0);
	vm_object_clear_flag(obj, OBJ_ONEMAPPING);
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_FREE),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	for (i = 0; i < NPG; i++)
		ASSERT_EQ(lookup(obj, i)->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(count_on(obj, NPG, PQ_ACTIVE), NPG);
	end_vm(vm);
}

/* INVAL drops the translations but the pages stay in the object. */
TEST(inval_unmaps_keeps_pages)
{
	struct vmspace *vm = boot_vm();
	pmap_t pmap = vmspace_pmap(vm);
	vm_object_t obj;
	int i;

	obj = map_and_touch(vm, 500);
	ASSERT_EQ(pmap_resident_count(pmap), NPG);
	ASSERT_EQ(advise(vm, VFT_VA, VFT_VA + NPG * PAGE_SIZE, MADV_INVAL),
	    KERN_SUCCESS);
	VFT_AUDIT(&vm->vm_map);
	ASSERT_EQ(pmap_resident_count(pmap), 0);
	for (i = 0; i < NPG; i++)
		ASSERT_EQ(pmap_extract(pmap, VFT_VA + i * PAGE_SIZE, NULL), 0);
	ASSERT_EQ(obj->resident_page_count, NPG);
	for (i = 0; i < NPG; i++)
		ASSERT_EQ(vft_fetch(vm, VFT_VA + i * PAGE_SIZE), 500 + i);
	VFT_AUDIT(&vm->vm_map);
	end_vm(vm);
}

/* Unmapped ranges and empty ranges are not errors; reversed ones are. */
TEST(unmapped_ranges_are_fine)
{
	struct vmspace *vm = boot_vm();
	vm_offset_t hole = VFT_VA + 2 * NPG * PAGE_SIZE;
	int behav[] = { MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_INVAL };
	size_t i;

	map_and_touch(vm, 0);
	for (i = 0; i < sizeof(behav) / sizeof(behav[0]); i++) {
		ASSERT_EQ(advise(vm, hole, hole + 8 * PAGE_SIZE, behav[i]),
		    KERN_SUCCESS);
		ASSERT_EQ(advise(vm, VFT_VA, VFT_VA, behav[i]), KERN_SUCCESS);
		ASSERT_EQ(advise(vm, VFT_VA + (NPG - 4) * PAGE_SIZE,
		    hole, behav[i]), KERN_SUCCESS);
		ASSERT_EQ(advise(vm, VFT_VA + PAGE_SIZE, VFT_VA, behav[i]),
		    KERN_INVALID_ARGUMENT);
		VFT_AUDIT(&vm->vm_map);
	}
	end_vm(vm);
}

TEST_MAIN(
	TEST_ENTRY(dontneed_top_object_only),
	TEST_ENTRY(dontneed_subrange_through_offset),
	TEST_ENTRY(willneed_activates),
	TEST_ENTRY(free_onemapping_cleans_keeps_mapping),
	TEST_ENTRY(free_shared_changes_nothing),
	TEST_ENTRY(inval_unmaps_keeps_pages),
	TEST_ENTRY(unmapped_ranges_are_fine)
)
