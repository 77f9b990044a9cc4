/*
 * pmap_util.h - helpers shared by the pmap tests and benchmark.
 *
 *   pt_boot(ncpus, mbytes) / pt_shutdown()
 *	boot the kernel environment, vm_page and the pmap as the tests do,
 *	and tear it down in reverse.
 *   pt_object(pages)		a default object (vm_object_allocate).
 *   pt_page(obj, pindex)	a zeroed page of obj, returned hard-busied.
 *   pt_page_free(m)		busy (if needed) and free a page.
 *   pt_attach(ba, obj, pmap, start, end, offset) / pt_detach(ba)
 *	put a vm_map_backing on obj's backing_list, as vm_map will, so
 *	that the pmap can find the page's mappings.
 *   pt_pte(pmap, va)		the leaf pte at va (0 if none).
 *   PT_AUDIT()			assert pmap_audit() finds nothing.
 */
#ifndef _TESTS_PMAP_UTIL_H_
#define _TESTS_PMAP_UTIL_H_

#include <string.h>

#include "harness.h"
#include "kern/fault_inject.h"
#include "kern/synch.h"
#include "kern/thread.h"
#include "pmap/pmap_impl.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

#define PT_USER_VA	((vm_offset_t)0x10000000)	/* 256 MiB */
#define PT_KVA		((vm_offset_t)0xffffff8000000000ULL)

static inline void
pt_boot(int ncpus_arg, size_t mbytes)
{
	char err[128];

	ASSERT_EQ(kern_init(ncpus_arg), 0);
	kthread_enter("test");
	vm_sysctl_init();
	ASSERT_EQ(vm_page_startup(mbytes << 20, err, sizeof(err)), 0);
	pmap_init();
}

static inline void
pt_shutdown(void)
{
	pmap_fini();
	vm_page_shutdown();
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
}

static inline vm_object_t
pt_object(vm_pindex_t pages)
{
	vm_object_t obj = vm_object_allocate(OBJT_DEFAULT, pages);

	ASSERT_NOT_NULL(obj);
	return (obj);
}

static inline vm_page_t
pt_page(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	vm_object_drop(obj);
	ASSERT_NOT_NULL(m);
	m->valid = VM_PAGE_BITS_ALL;
	return (m);
}

static inline void
pt_page_free(vm_page_t m)
{
	if ((m->busy_count & PBUSY_LOCKED) == 0)
		vm_page_busy_wait(m, FALSE, "ptfree");
	pmap_mapped_sync(m);
	vm_page_free_toq(m);
}

static inline void
pt_attach(struct vm_map_backing *ba, vm_object_t obj, pmap_t pmap,
    vm_offset_t start, vm_offset_t end, vm_ooffset_t offset)
{
	memset(ba, 0, sizeof(*ba));
	ba->start = start;
	ba->end = end;
	ba->pmap = pmap;
	ba->object = obj;
	ba->offset = offset;
	lockmgr(&obj->backing_lk, LK_EXCLUSIVE);
	TAILQ_INSERT_TAIL(&obj->backing_list, ba, entry);
	lockmgr(&obj->backing_lk, LK_RELEASE);
}

static inline void
pt_detach(struct vm_map_backing *ba)
{
	lockmgr(&ba->object->backing_lk, LK_EXCLUSIVE);
	TAILQ_REMOVE(&ba->object->backing_list, ba, entry);
	lockmgr(&ba->object->backing_lk, LK_RELEASE);
}

static inline pt_entry_t
pt_pte(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t pte = pmap_lookup(pmap, va, LK_SHARED, NULL);

	lockmgr(&pmap->pm_lock, LK_RELEASE);
	return (pte);
}

#define PT_AUDIT() do {						\
	ASSERT_EQ(pmap_audit(), 0);					\
	ASSERT_EQ(vm_page_audit(), 0);					\
} while (0)

/*
 * The usual fixture: a booted system with one user pmap and one object of
 * PT_NPG hard-busied pages, the object's backing placing page i at
 * fx_va(i).  fx_teardown removes every mapping, audits and frees it all.
 */
#define PT_NPG	8

struct fx {
	struct pmap		pmap;
	vm_object_t		obj;
	struct vm_map_backing	ba;
	vm_page_t		m[PT_NPG];
};

static inline vm_offset_t
fx_va(int i)
{
	return (PT_USER_VA + (vm_offset_t)i * PAGE_SIZE);
}

static inline void
fx_setup_cpus(struct fx *f, int ncpus_arg)
{
	int i;

	pt_boot(ncpus_arg, 64);
	pmap_pinit(&f->pmap);
	f->obj = pt_object(PT_NPG);
	pt_attach(&f->ba, f->obj, &f->pmap, fx_va(0), fx_va(PT_NPG), 0);
	for (i = 0; i < PT_NPG; i++)
		f->m[i] = pt_page(f->obj, i);
}

static inline void
fx_setup(struct fx *f)
{
	fx_setup_cpus(f, 2);
}

static inline void
fx_teardown(struct fx *f)
{
	int i;

	pmap_remove(&f->pmap, VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
	PT_AUDIT();
	for (i = 0; i < PT_NPG; i++)
		pt_page_free(f->m[i]);
	pt_detach(&f->ba);
	vm_object_deallocate(f->obj);
	pmap_release(&f->pmap);
	pmap_puninit(&f->pmap);
	pt_shutdown();
}

/*
 * fx_shadow - another object backing the fixture's whole range, as a
 * shadow object does, so that its pages may be mapped at fx_va(pindex).
 * fx_unshadow undoes it.
 */
static inline vm_object_t
fx_shadow(struct fx *f, struct vm_map_backing *ba)
{
	vm_object_t obj = pt_object(PT_NPG);

	pt_attach(ba, obj, &f->pmap, fx_va(0), fx_va(PT_NPG), 0);
	return (obj);
}

static inline void
fx_unshadow(struct vm_map_backing *ba)
{
	pt_detach(ba);
	vm_object_deallocate(ba->object);
}

/* fx_map_all - map every page of the fixture with prot. */
static inline void
fx_map_all(struct fx *f, vm_prot_t prot)
{
	int i;

	for (i = 0; i < PT_NPG; i++)
		pmap_enter(&f->pmap, fx_va(i), f->m[i], prot, FALSE, NULL);
}

/* pt_set_bits - or bits into the leaf pte at va, as a CPU's walk would. */
static inline void
pt_set_bits(pmap_t pmap, vm_offset_t va, pt_entry_t bits)
{
	pt_entry_t *ptep;

	pmap_lookup(pmap, va, LK_SHARED, &ptep);
	__atomic_or_fetch(ptep, bits, __ATOMIC_SEQ_CST);
	lockmgr(&pmap->pm_lock, LK_RELEASE);
}

#endif /* !_TESTS_PMAP_UTIL_H_ */
