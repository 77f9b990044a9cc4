/*
 * vm_fault_util.h - helpers shared by the vm_fault tests and benchmark.
 *
 *   vft_boot(ncpus, mbytes) / vft_teardown()
 *	boot kern, vm pages, pmap, maps and the fault hooks; at teardown
 *	check that every vmspace, entry, link and object is gone and the
 *	free page count is back at its boot value, then undo it all.
 *   vft_vm()			a fresh vmspace over [VFT_MIN, VFT_MAX).
 *   vft_map(vm, addr, len, prot)	anonymous memory at exactly addr.
 *   vft_store(vm, va, v) / vft_fetch(vm, va)
 *	an 8-byte user store / load through the MMU that must not fault
 *	(it may page-fault and be resolved by vm_fault).
 *   vft_cnt()			every CPU's vmmeter summed.
 *   VFT_AUDIT(map)		vm_map_audit, vm_object_audit_all,
 *				vm_page_audit and pmap_audit all clean.
 */
#ifndef _TESTS_VM_FAULT_UTIL_H_
#define _TESTS_VM_FAULT_UTIL_H_

#include "pmap_util.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/pmap_access.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_tunables.h"

#define VFT_MIN		((vm_offset_t)0x1000)
#define VFT_MAX		((vm_offset_t)0x0000100000000000ULL)
#define VFT_VA		((vm_offset_t)0x10000000)

static long vft_boot_objects;
static long vft_boot_free;

static inline long
vft_free_count(void)
{
	vmstats_rollup();
	return (atomic_load_long(&vmstats.v_free_count));
}

static inline void
vft_boot(int ncpus_arg, size_t mbytes)
{
	pt_boot(ncpus_arg, mbytes);
	vm_map_startup();
	vm_fault_init();
	vft_boot_objects = vm_object_count();
	vft_boot_free = vft_free_count();
}

static inline void
vft_teardown(void)
{
	ASSERT_EQ(vmspace_count(), 0);
	ASSERT_EQ(vm_map_entry_count(), 0);
	ASSERT_EQ(vm_map_backing_count(), 0);
	ASSERT_EQ(vm_object_count(), vft_boot_objects);
	ASSERT_EQ(vm_page_audit(), 0);
	ASSERT_EQ(vft_free_count(), vft_boot_free);
	vm_fault_fini();
	vm_map_shutdown();
	pt_shutdown();
}

static inline struct vmspace *
vft_vm(void)
{
	struct vmspace *vm = vmspace_alloc(VFT_MIN, VFT_MAX);

	ASSERT_NOT_NULL(vm);
	return (vm);
}

static inline void
vft_map(struct vmspace *vm, vm_offset_t addr, vm_size_t len, vm_prot_t prot)
{
	ASSERT_EQ(vm_map_find(&vm->vm_map, NULL, NULL, 0, &addr, len, 0,
	    FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, prot, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
}

static inline void
vft_store(struct vmspace *vm, vm_offset_t va, uint64_t v)
{
	struct pmap_fault pf;

	ASSERT_EQ(pmap_store_8(vmspace_pmap(vm), va, v, &pf), 0);
}

static inline uint64_t
vft_fetch(struct vmspace *vm, vm_offset_t va)
{
	struct pmap_fault pf;
	uint64_t v = 0;

	ASSERT_EQ(pmap_fetch_8(vmspace_pmap(vm), va, &v, &pf), 0);
	return (v);
}

static inline struct vmmeter
vft_cnt(void)
{
	struct vmmeter c;

	vmmeter_sum(&c);
	return (c);
}

#define VFT_AUDIT(map) do {						\
	ASSERT_EQ(vm_map_audit(map), 0);				\
	ASSERT_EQ(vm_object_audit_all(), 0);				\
	ASSERT_EQ(vm_page_audit(), 0);					\
	ASSERT_EQ(pmap_audit(), 0);					\
} while (0)

#endif /* !_TESTS_VM_FAULT_UTIL_H_ */
