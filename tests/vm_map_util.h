/*
 * vm_map_util.h - helpers shared by the vm_map tests.
 *
 *   vmt_boot(n) / vmt_teardown()  boot kern (n CPUs), vm pages, pmap and
 *                                 maps / check that every entry, link,
 *                                 object and vmspace is gone, then undo.
 *   vmt_touch(map, va, type, &wflags, &prot)
 *                                 a fault's vm_map_lookup, released at
 *                                 once; returns its KERN_* result.
 */
#ifndef _TESTS_VM_MAP_UTIL_H_
#define _TESTS_VM_MAP_UTIL_H_

#include "harness.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

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

#endif /* !_TESTS_VM_MAP_UTIL_H_ */
