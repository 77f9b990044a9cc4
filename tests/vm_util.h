/*
 * vm_util.h - helpers shared by the vm_page / vm_object tests.
 *
 *   vt_boot(bytes)     kern_init(2), enter as "main", vm_sysctl_init,
 *                      vm_page_startup(bytes).
 *   vt_shutdown()      audit (must pass, no object left), then undo.
 *   vt_free() ...      rolled-up counts.
 *   vt_boot_obj(size)  vt_boot(8 MiB) and a new object, held.
 *   vt_finish_obj(obj) drop and deallocate it, then vt_shutdown.
 *   vt_obj_alloc(...)  allocate a page into an object, object held.
 */
#ifndef _TESTS_VM_UTIL_H_
#define _TESTS_VM_UTIL_H_

#include "kern_util.h"
#include "kern/fault_inject.h"
#include "kern/sysctl.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_tunables.h"

#define VT_MB(n)	((size_t)(n) << 20)
#define VT_GB(n)	((size_t)(n) << 30)

static inline void
vt_boot_cpus(size_t bytes, int ncpu)
{
	char err[256];
	int error;

	kt_boot(ncpu);
	vm_sysctl_init();
	error = vm_page_startup(bytes, err, sizeof(err));
	if (error != 0)
		harness_fail(__FILE__, __LINE__, "vm_page_startup: %d %s",
		    error, err);
}

static inline void
vt_boot(size_t bytes)
{
	vt_boot_cpus(bytes, 2);
}

static inline void
vt_shutdown(void)
{
	ASSERT_EQ(vm_page_audit(), 0);
	ASSERT_EQ(vm_object_count(), 0);
	vm_page_shutdown();
	vm_sysctl_fini();
	kt_shutdown();
}

static inline long
vt_free(void)
{
	vmstats_rollup();
	return (vmstats.v_free_count);
}

static inline long
vt_count(long *field)
{
	vmstats_rollup();
	return (atomic_load_relaxed(field));
}

/* Is m free: on a free queue or in a CPU's page cache, not busy? */
static inline int
vt_page_free(vm_page_t m)
{
	return ((vm_page_qbase(m) == PQ_FREE ||
	    (vm_page_flags(m) & PG_PCPUCACHE)) && m->object == NULL &&
	    atomic_load_relaxed(&m->busy_count) == 0);
}

/* Boot 8 MiB and return a fresh object of `size' pages, held. */
static inline vm_object_t
vt_boot_obj(vm_pindex_t size)
{
	vt_boot(VT_MB(8));
	return (vm_object_allocate_hold(OBJT_DEFAULT, size));
}

/* Drop and deallocate obj (held once by the caller), then shut down. */
static inline void
vt_finish_obj(vm_object_t obj)
{
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	vt_shutdown();
}

/* A page at (obj, pindex), allocated NORMAL; obj held by the caller. */
static inline vm_page_t
vt_obj_alloc(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL);

	ASSERT_NOT_NULL(m);
	return (m);
}

#endif /* !_TESTS_VM_UTIL_H_ */
