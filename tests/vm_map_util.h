/*
 * vm_map_util.h - helpers shared by the vm_map tests.
 *
 *   vmt_boot(n) / vmt_teardown()  boot kern (n CPUs), vm pages, pmap and
 *                                 maps / check that every entry, link,
 *                                 object and vmspace is gone, then undo.
 *   vmt_touch(map, va, type, &wflags, &prot)
 *                                 a fault's vm_map_lookup, released at
 *                                 once; returns its KERN_* result.
 *   vmt_random_op(&vm, seed, may_swap)
 *                                 one random map call (see below).
 */
#ifndef _TESTS_VM_MAP_UTIL_H_
#define _TESTS_VM_MAP_UTIL_H_

#include "harness.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_mman.h"
#include "vm/vm_tunables.h"

#define VMT_BASE	((vm_offset_t)0x10000000)	/* random_op window */

static long vmt_boot_objects;

static inline void
vmt_boot(int ncpu)
{
	char err[128];

	ASSERT_EQ(kern_init(ncpu), 0);
	kthread_enter("test");
	vm_sysctl_init();
	ASSERT_EQ(vm_page_startup(16 << 20, err, sizeof(err)), 0);
	pmap_init();
	vm_map_startup();
	vmt_boot_objects = vm_object_count();
}

static inline void
vmt_teardown(void)
{
	ASSERT_EQ(vmspace_count(), 0);
	ASSERT_EQ(vm_map_entry_count(), 0);
	ASSERT_EQ(vm_map_backing_count(), 0);
	ASSERT_EQ(vm_object_count(), vmt_boot_objects);
	vm_map_set_fault_hooks(NULL);
	vm_map_shutdown();
	vm_page_shutdown();
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
}

static inline int
vmt_touch(vm_map_t map, vm_offset_t addr, vm_prot_t type, int *wflagsp,
    vm_prot_t *protp)
{
	vm_map_entry_t entry;
	vm_map_backing_t ba;
	vm_pindex_t pindex, pcount;
	vm_prot_t prot = 0;
	int rv, wflags = 0;

	rv = vm_map_lookup(&map, addr, type, &entry, &ba, &pindex, &pcount,
	    &prot, &wflags);
	if (rv == KERN_SUCCESS) {
		ASSERT_TRUE(addr >= entry->ba.start && addr < entry->ba.end);
		ASSERT_PTR_EQ(ba, &entry->ba);
		ASSERT_NOT_NULL(ba->object);
		vm_map_lookup_done(map, entry, 0);
	}
	if (wflagsp != NULL)
		*wflagsp = wflags;
	if (protp != NULL)
		*protp = prot;
	return (rv);
}

/*
 * vmt_random_op - one operation chosen by `seed' on a small window of
 * (*vmp)'s map, from VMT_BASE up.  A fork's child replaces *vmp (the
 * parent is released) when may_swap and the seed says so.
 */
static inline void
vmt_random_op(struct vmspace **vmp, unsigned seed, int may_swap)
{
	vm_map_t map = &(*vmp)->vm_map;
	struct vmspace *child;
	vm_offset_t s, e, addr;

	s = VMT_BASE + ((seed >> 8) % 64) * PAGE_SIZE;
	e = s + (1 + (seed >> 16) % 16) * PAGE_SIZE;
	switch ((seed >> 24) % 10) {
	case 0:
		addr = s;
		(void)vm_map_find(map, NULL, NULL, 0, &addr, e - s, 0,
		    (seed & 1), VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
		    VM_PROT_ALL, (seed & 2) ? COWF_COPY_ON_WRITE : 0);
		break;
	case 1:
		ASSERT_EQ(vm_map_remove(map, s, e), KERN_SUCCESS);
		break;
	case 2:
		(void)vm_map_protect(map, s, e, (seed & 1) ? VM_PROT_READ :
		    VM_PROT_ALL, (seed & 6) == 6);
		break;
	case 3:
		ASSERT_EQ(vm_map_inherit(map, s, e, (seed >> 1) % 3),
		    KERN_SUCCESS);
		break;
	case 4:
		ASSERT_EQ(vm_map_madvise(map, s, e, (seed >> 1) % 10, 0),
		    KERN_SUCCESS);
		break;
	case 5:
		(void)vm_map_user_wiring(map, s, e, (seed & 1));
		break;
	case 6:
		(void)vm_map_kernel_wiring(map, s, e, (seed & 1) ?
		    KM_PAGEABLE : 0);
		break;
	case 7:
		(void)vmt_touch(map, s, (seed & 1) ? VM_PROT_WRITE :
		    VM_PROT_READ, NULL, NULL);
		break;
	case 8:
		child = vmspace_fork(*vmp);
		ASSERT_NOT_NULL(child);
		ASSERT_EQ(vm_map_audit(&child->vm_map), 0);
		if (may_swap && (seed & 1)) {
			vmspace_rel(*vmp);
			*vmp = child;
		} else {
			vmspace_rel(child);
		}
		break;
	default:
		addr = VMT_BASE + 128 * PAGE_SIZE + ((seed >> 1) % 4) * 64 * PAGE_SIZE;
		if (seed & 1)
			(void)vm_map_stack(map, &addr, 64 * PAGE_SIZE, 0, VM_PROT_ALL,
			    VM_PROT_ALL, 0);
		else
			(void)vm_map_growstack(map, addr + (seed >> 3) %
			    (64 * PAGE_SIZE));
		break;
	}
}

#endif /* !_TESTS_VM_MAP_UTIL_H_ */
