/*
 * test_vm_object.c - vm_object: allocation, the hash, token wrappers,
 * hold/drop, references (lockless fast path, last-reference terminate),
 * paging in progress, terminate (PIP, busy pages, wired pages, mapped
 * pages), page_remove, coalesce, madvise, writeable_dirty, the audit, and
 * the pager dispatch table.  vm_object_audit and vm_page_audit run after
 * each step.
 */
#include "vm_util.h"
#include "pmap_util.h"
#include "vm/vm_pager.h"

/* Audit one object (if any), every object on the hash, and the pages. */
#define OT_AUDIT(obj) do {						\
	vm_object_t _o = (obj);						\
	if (_o != NULL)							\
		ASSERT_EQ(vm_object_audit(_o), 0);			\
	ASSERT_EQ(vm_object_audit_all(), 0);				\
	ASSERT_EQ(vm_page_audit(), 0);					\
} while (0)

/* Boot 16 MiB with the pmap; ot_shutdown audits and undoes it. */
static void
ot_boot(void)
{
	vt_boot(VT_MB(16));
	pmap_init();
}

static void
ot_shutdown(void)
{
	OT_AUDIT(NULL);
	ASSERT_EQ(vm_object_count(), 0);
	pmap_fini();
	vm_page_shutdown();
	vm_sysctl_fini();
	kt_shutdown();
}

/* A fully valid, unbusied page at (obj, pindex); obj held by the caller. */
static vm_page_t
ot_page(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m = vt_obj_alloc(obj, pindex);

	vm_page_set_valid(m, 0, PAGE_SIZE);
	vm_page_wakeup(m);
	return (m);
}

/* n fully valid pages 0..n-1, active if `active'; obj not held. */
static void
ot_fill(vm_object_t obj, int n, int active)
{
	vm_page_t m;
	int i;

	vm_object_hold(obj);
	for (i = 0; i < n; i++) {
		m = ot_page(obj, (vm_pindex_t)i);
		if (active) {
			vm_page_busy_wait(m, FALSE, "otfill");
			vm_page_activate(m);
			vm_page_wakeup(m);
		}
	}
	vm_object_drop(obj);
}

/* The page at pindex, or NULL.  obj not held. */
static vm_page_t
ot_lookup(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	vm_object_hold_shared(obj);
	m = vm_page_lookup(obj, pindex);
	vm_object_drop(obj);
	return (m);
}

static int
ot_count_cb(vm_object_t obj, void *arg)
{
	ASSERT_TRUE(obj->type != OBJT_MARKER);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 0));
	(*(int *)arg)++;
	return (1);
}

/*
 * ===================================================================
 * Allocation, hash, locks, holds
 * ===================================================================
 */

TEST(allocate_and_count)
{
	vm_object_t a, b, c;

	ot_boot();
	ASSERT_EQ(vm_object_count(), 0);
	a = vm_object_allocate(OBJT_DEFAULT, 10);
	b = vm_object_allocate(OBJT_SWAP, 20);
	c = vm_object_allocate(OBJT_PHYS, 1);
	ASSERT_NOT_NULL(a);
	ASSERT_EQ(vm_object_count(), 3);
	ASSERT_EQ(a->ref_count, 1);
	ASSERT_EQ(a->hold_count, 0);
	ASSERT_EQ(a->size, 10);
	ASSERT_EQ(b->type, OBJT_SWAP);
	ASSERT_NE(a->id, b->id);
	ASSERT_TRUE(RB_EMPTY(&a->rb_memq));
	ASSERT_EQ(a->memattr, VM_MEMATTR_DEFAULT);
	/* OBJ_ONEMAPPING starts set on anonymous objects only. */
	ASSERT_TRUE(a->flags & OBJ_ONEMAPPING);
	ASSERT_TRUE(b->flags & OBJ_ONEMAPPING);
	ASSERT_FALSE(c->flags & OBJ_ONEMAPPING);
	OT_AUDIT(a);
	vm_object_deallocate(a);
	ASSERT_EQ(vm_object_count(), 2);
	vm_object_deallocate(b);
	vm_object_deallocate(c);
	vm_object_deallocate(NULL);
	ASSERT_EQ(vm_object_count(), 0);
	ot_shutdown();
}

/* Objects spread over the colors. */
TEST(objects_get_distinct_colors)
{
	vm_object_t o[4];
	int i;

	ot_boot();
	for (i = 0; i < 4; i++)
		o[i] = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NE(o[0]->pg_color, o[1]->pg_color);
	ASSERT_NE(o[1]->pg_color, o[2]->pg_color);
	for (i = 0; i < 4; i++)
		vm_object_deallocate(o[i]);
	ot_shutdown();
}

/* Every live object is on the hash, spread over buckets; dead ones leave. */
TEST(hash_enumerates_live_objects)
{
	vm_object_t o[64];
	int i, n = 0, used = 0;

	ot_boot();
	for (i = 0; i < 64; i++)
		o[i] = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_EQ(vm_object_hash_foreach(ot_count_cb, &n), 64);
	ASSERT_EQ(n, 64);
	for (i = 0; i < VMOBJ_HSIZE; i++)
		used += !TAILQ_EMPTY(&vm_object_hash[i].list);
	ASSERT_GE(used, 16);
	ASSERT_EQ((uintptr_t)&vm_object_hash[1] % 64, 0);
	OT_AUDIT(o[0]);
	for (i = 0; i < 32; i++)
		vm_object_deallocate(o[i]);
	n = 0;
	ASSERT_EQ(vm_object_hash_foreach(ot_count_cb, &n), 32);
	for (i = 32; i < 64; i++)
		vm_object_deallocate(o[i]);
	ASSERT_EQ(vm_object_hash_foreach(ot_count_cb, &n), 0);
	ot_shutdown();
}

TEST(hold_and_drop)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 1);
	ASSERT_EQ(obj->hold_count, 1);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 1));
	vm_object_hold(obj);				/* recursion */
	ASSERT_EQ(obj->hold_count, 2);
	ASSERT_TRUE(vm_object_hold_try(obj));
	OT_AUDIT(obj);
	vm_object_drop(obj);
	vm_object_drop(obj);
	vm_object_drop(obj);
	ASSERT_EQ(obj->hold_count, 0);
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 0));
	vm_object_hold_shared(obj);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 0));
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 1));
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* The token wrappers: lock/unlock, try, shared, upgrade, downgrade. */
TEST(lock_wrappers)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 1);
	vm_object_lock(obj);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 1));
	ASSERT_EQ(obj->hold_count, 0);		/* locks do not hold */
	vm_object_downgrade(obj);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 0));
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 1));
	vm_object_upgrade(obj);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 1));
	vm_object_unlock(obj);
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 0));
	ASSERT_TRUE(vm_object_lock_try(obj));
	vm_object_unlock(obj);
	vm_object_lock_shared(obj);
	ASSERT_EQ(lwkt_cnttoken(&obj->token), 1);
	vm_object_unlock(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

struct holder {
	vm_object_t	obj;
	int		shared;
	int		holding;
	int		release;
};

static void
hold_a_while(void *arg)
{
	struct holder *h = arg;

	if (h->shared)
		vm_object_hold_shared(h->obj);
	else
		vm_object_hold(h->obj);
	atomic_store_int(&h->holding, 1);
	KT_SPIN(atomic_load_int(&h->release));
	vm_object_drop(h->obj);
}

/* hold_try fails (and leaves no hold behind) while another thread holds. */
TEST(hold_try_fails_when_contended)
{
	struct kthread_handle *kh;
	struct holder h = { 0 };

	ot_boot();
	h.obj = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_EQ(kthread_create(hold_a_while, &h, "holder", &kh), 0);
	KT_WAIT(atomic_load_int(&h.holding));
	ASSERT_FALSE(vm_object_hold_try(h.obj));
	ASSERT_FALSE(vm_object_lock_try(h.obj));
	ASSERT_EQ(atomic_load_int(&h.obj->hold_count), 1);
	atomic_store_int(&h.release, 1);
	kthread_join(kh);
	ASSERT_TRUE(vm_object_hold_try(h.obj));
	ASSERT_EQ(h.obj->hold_count, 1);
	vm_object_drop(h.obj);
	vm_object_deallocate(h.obj);
	ot_shutdown();
}

/* Shared holds coexist; an exclusive hold_try fails against them. */
TEST(shared_holds_are_concurrent)
{
	struct kthread_handle *kh;
	struct holder h = { .shared = 1 };

	ot_boot();
	h.obj = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_EQ(kthread_create(hold_a_while, &h, "sholder", &kh), 0);
	KT_WAIT(atomic_load_int(&h.holding));
	vm_object_hold_shared(h.obj);		/* granted at once */
	ASSERT_EQ(lwkt_cnttoken(&h.obj->token), 2);
	ASSERT_EQ(atomic_load_int(&h.obj->hold_count), 2);
	vm_object_drop(h.obj);
	ASSERT_FALSE(vm_object_hold_try(h.obj));
	atomic_store_int(&h.release, 1);
	kthread_join(kh);
	OT_AUDIT(h.obj);
	vm_object_deallocate(h.obj);
	ot_shutdown();
}

/*
 * ===================================================================
 * References and terminate
 * ===================================================================
 */

/* A reference keeps the object; the last deallocate frees its pages. */
TEST(deallocate_frees_pages)
{
	vm_object_t obj;
	vm_page_t m;
	long free0;
	int i;

	ot_boot();
	free0 = vt_free();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 200);
	for (i = 0; i < 200; i++) {
		m = vt_obj_alloc(obj, (vm_pindex_t)i);
		if (i % 2)
			vm_page_activate(m);
		if (i % 3 == 0)
			vm_page_dirty(m);
		vm_page_wakeup(m);
	}
	vm_object_reference_locked(obj);
	vm_object_drop(obj);
	ASSERT_EQ(obj->ref_count, 2);
	ASSERT_EQ(vt_free(), free0 - 200);
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 1);
	ASSERT_EQ(obj->resident_page_count, 200);
	vm_object_reference_quick(obj);
	vm_object_deallocate(obj);
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 0);
	ot_shutdown();
}

/*
 * Above three references deallocate does not need the token: it
 * completes while another thread holds the object exclusively.  The last
 * reference then terminates.
 */
TEST(deallocate_fast_path_is_lockless)
{
	struct kthread_handle *kh;
	struct holder h = { 0 };
	long free0;
	int i;

	ot_boot();
	free0 = vt_free();
	h.obj = vm_object_allocate(OBJT_DEFAULT, 8);
	ot_fill(h.obj, 8, TRUE);
	for (i = 0; i < 4; i++)
		vm_object_reference_quick(h.obj);
	ASSERT_EQ(h.obj->ref_count, 5);
	ASSERT_EQ(kthread_create(hold_a_while, &h, "holder", &kh), 0);
	KT_WAIT(atomic_load_int(&h.holding));
	vm_object_deallocate(h.obj);		/* 5 -> 4 */
	vm_object_deallocate(h.obj);		/* 4 -> 3 */
	ASSERT_EQ(atomic_load_int(&h.obj->ref_count), 3);
	atomic_store_int(&h.release, 1);
	kthread_join(kh);
	OT_AUDIT(h.obj);
	vm_object_deallocate(h.obj);
	vm_object_deallocate(h.obj);
	ASSERT_EQ(h.obj->resident_page_count, 8);
	vm_object_deallocate(h.obj);		/* last: terminate */
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	ot_shutdown();
}

/* deallocate_locked with the object held; the hold outlives the death. */
TEST(deallocate_locked_and_dead_hold)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 4);
	ot_fill(obj, 4, FALSE);
	vm_object_reference_locked(obj);
	vm_object_deallocate_locked(obj);
	ASSERT_FALSE(obj->flags & OBJ_DEAD);
	vm_object_deallocate_locked(obj);
	ASSERT_TRUE(obj->flags & OBJ_DEAD);
	ASSERT_EQ(obj->ref_count, 0);
	ASSERT_EQ(obj->resident_page_count, 0);
	ASSERT_EQ(vm_object_count(), 1);
	ASSERT_EQ(obj->hold_count, VM_OBJECT_HOLD_DEAD | 1);
	OT_AUDIT(obj);				/* a dead, held object */
	vm_object_drop(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ot_shutdown();
}

/* A wired page outlives its object: it is only removed from it. */
TEST(terminate_keeps_wired_pages)
{
	vm_object_t obj;
	vm_page_t m;
	long free0;

	ot_boot();
	free0 = vt_free();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 2);
	m = vt_obj_alloc(obj, 0);
	vm_page_wire(m);
	vm_page_wakeup(m);
	vm_page_wakeup(vt_obj_alloc(obj, 1));
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_NULL(m->object);
	ASSERT_EQ(m->wire_count, 1);
	ASSERT_EQ(vt_free(), free0 - 1);
	ASSERT_FALSE(vm_page_busy_try(m, TRUE));
	vm_page_unwire(m, 0);
	vm_page_free(m);
	ASSERT_EQ(vt_free(), free0);
	ot_shutdown();
}

struct busyfree {
	vm_page_t	m;
};

static void
release_later(void *arg)
{
	struct busyfree *b = arg;

	KT_WAIT(atomic_load_int(&b->m->busy_count) & PBUSY_WANTED);
	vm_page_wakeup(b->m);
}

/* Termination waits for a busy page another thread releases. */
TEST(terminate_waits_for_busy_page)
{
	struct kthread_handle *kh;
	struct busyfree b = { 0 };
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 1);
	b.m = vt_obj_alloc(obj, 0);
	vm_object_drop(obj);
	ASSERT_EQ(kthread_create(release_later, &b, "releaser", &kh), 0);
	vm_object_deallocate(obj);
	kthread_join(kh);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_TRUE(vt_page_free(b.m));
	ot_shutdown();
}

struct pipwait {
	vm_object_t	obj;
	int		done;
};

static void
deallocate_last(void *arg)
{
	struct pipwait *p = arg;

	vm_object_deallocate(p->obj);
	atomic_store_int(&p->done, 1);
}

/*
 * Termination marks the object dead, then waits for paging in progress
 * to drain before it frees anything.
 */
TEST(terminate_waits_for_pip)
{
	struct kthread_handle *kh;
	struct pipwait p = { 0 };
	long free0;

	ot_boot();
	free0 = vt_free();
	p.obj = vm_object_allocate(OBJT_DEFAULT, 4);
	ot_fill(p.obj, 4, TRUE);
	vm_object_pip_add(p.obj, 2);
	ASSERT_EQ(kthread_create(deallocate_last, &p, "dealloc", &kh), 0);
	KT_WAIT(tsleep_count(&p.obj->paging_in_progress) == 1);
	/* The terminator sleeps (its token released); the object stays. */
	vm_object_hold_shared(p.obj);
	ASSERT_TRUE(p.obj->flags & OBJ_DEAD);
	ASSERT_EQ(p.obj->resident_page_count, 4);
	ASSERT_FALSE(atomic_load_int(&p.done));
	vm_object_drop(p.obj);
	vm_object_pip_wakeup(p.obj);
	ASSERT_FALSE(atomic_load_int(&p.done));
	vm_object_pip_wakeup(p.obj);		/* reaches zero: wakes it */
	kthread_join(kh);
	ASSERT_TRUE(p.done);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	ot_shutdown();
}

/* pip_add/wakeup_n count; pip_wait returns at once when idle. */
TEST(pip_counts)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 1);
	vm_object_pip_wait(obj, "idle");
	vm_object_pip_add(obj, 3);
	ASSERT_EQ(obj->paging_in_progress, 3);
	OT_AUDIT(obj);
	vm_object_pip_wakeup_n(obj, 2);
	ASSERT_EQ(obj->paging_in_progress, 1);
	vm_object_pip_wakeup(obj);
	ASSERT_EQ(obj->paging_in_progress, 0);
	vm_object_pip_wait(obj, "idle");
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* A dead object lives until its last holder drops it. */
TEST(dead_object_freed_at_last_drop)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 1);
	vm_object_hold(obj);
	vm_object_hold(obj);
	vm_object_deallocate(obj);			/* last reference */
	ASSERT_TRUE(obj->flags & OBJ_DEAD);
	ASSERT_EQ(vm_object_count(), 1);
	vm_object_drop(obj);
	ASSERT_EQ(vm_object_count(), 1);
	ASSERT_TRUE(vm_object_hold_try(obj));	/* still a valid struct */
	vm_object_drop(obj);
	vm_object_drop(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ot_shutdown();
}

/* The tree keeps pages in pindex order. */
TEST(page_tree_order)
{
	static const vm_pindex_t idx[] = { 50, 3, 999, 0, 17, 4, 1000000 };
	vm_object_t obj;
	vm_page_t m;
	vm_pindex_t last = 0;
	size_t i;
	int n = 0;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 2000000);
	for (i = 0; i < nitems(idx); i++)
		vm_page_wakeup(vt_obj_alloc(obj, idx[i]));
	ASSERT_EQ(obj->resident_page_count, (long)nitems(idx));
	RB_FOREACH(m, vm_page_rb_tree, &obj->rb_memq) {
		if (n++ > 0)
			ASSERT_TRUE(m->pindex > last);
		last = m->pindex;
		ASSERT_PTR_EQ(m->object, obj);
	}
	ASSERT_EQ(n, (int)nitems(idx));
	ASSERT_EQ(last, 1000000);
	OT_AUDIT(obj);
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* Allocation failures of the object zone are reported as NULL. */
TEST(allocate_fault_injection)
{
	vm_object_t a, b;

	ot_boot();
	fault_inject_arm(vm_object_alloc_fault(), 2, 0);
	a = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NOT_NULL(a);
	ASSERT_NULL(vm_object_allocate_hold(OBJT_DEFAULT, 1));
	b = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NOT_NULL(b);
	ASSERT_EQ(vm_object_count(), 2);
	OT_AUDIT(b);
	vm_object_deallocate(a);
	vm_object_deallocate(b);
	ot_shutdown();
}

/*
 * ===================================================================
 * page_remove
 * ===================================================================
 */

/* A range is freed; pages outside it stay; end 0 means to the end. */
TEST(page_remove_range)
{
	vm_object_t obj;
	long free0;

	ot_boot();
	free0 = vt_free();
	obj = vm_object_allocate(OBJT_DEFAULT, 16);
	ot_fill(obj, 16, TRUE);
	vm_object_page_remove(obj, 4, 8, FALSE);
	ASSERT_EQ(obj->resident_page_count, 12);
	ASSERT_NOT_NULL(ot_lookup(obj, 3));
	ASSERT_NULL(ot_lookup(obj, 4));
	ASSERT_NULL(ot_lookup(obj, 7));
	ASSERT_NOT_NULL(ot_lookup(obj, 8));
	ASSERT_EQ(obj->paging_in_progress, 0);
	OT_AUDIT(obj);
	vm_object_page_remove(obj, 10, 0, FALSE);
	ASSERT_EQ(obj->resident_page_count, 6);
	ASSERT_EQ(vt_free(), free0 - 6);
	OT_AUDIT(obj);
	vm_object_page_remove(obj, 0, 0, FALSE);
	ASSERT_EQ(obj->resident_page_count, 0);
	ASSERT_EQ(vt_free(), free0);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* clean_only keeps dirty and need-commit pages, frees clean ones. */
TEST(page_remove_clean_only_skips_dirty)
{
	vm_object_t obj;
	vm_page_t m;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 8);
	ot_fill(obj, 8, TRUE);
	vm_object_hold(obj);
	m = vm_page_lookup_busy_wait(obj, 2, TRUE, "t");
	vm_page_dirty(m);
	vm_page_wakeup(m);
	m = vm_page_lookup_busy_wait(obj, 5, TRUE, "t");
	vm_page_need_commit(m);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	vm_object_page_remove(obj, 0, 0, TRUE);
	ASSERT_EQ(obj->resident_page_count, 2);
	ASSERT_NOT_NULL(ot_lookup(obj, 2));
	ASSERT_NOT_NULL(ot_lookup(obj, 5));
	ASSERT_TRUE(ot_lookup(obj, 2)->dirty != 0);
	OT_AUDIT(obj);
	vm_object_page_remove(obj, 0, 0, FALSE);
	ASSERT_EQ(obj->resident_page_count, 0);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* Wired pages stay; invalidated unless clean_only. */
TEST(page_remove_keeps_wired_pages)
{
	vm_object_t obj;
	vm_page_t m;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 2);
	ot_fill(obj, 2, FALSE);
	vm_object_hold(obj);
	m = vm_page_lookup_busy_wait(obj, 0, TRUE, "t");
	vm_page_wire(m);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	vm_object_page_remove(obj, 0, 0, TRUE);
	ASSERT_PTR_EQ(ot_lookup(obj, 0), m);
	ASSERT_EQ(m->valid, VM_PAGE_BITS_ALL);
	ASSERT_NULL(ot_lookup(obj, 1));
	vm_object_page_remove(obj, 0, 0, FALSE);
	ASSERT_PTR_EQ(ot_lookup(obj, 0), m);
	ASSERT_EQ(m->valid, 0);
	OT_AUDIT(obj);
	vm_page_busy_wait(m, FALSE, "t");
	vm_page_unwire(m, 0);
	vm_page_wakeup(m);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* page_remove waits for a busy page, then frees it. */
TEST(page_remove_waits_for_busy_page)
{
	struct kthread_handle *kh;
	struct busyfree b = { 0 };
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 4);
	ot_fill(obj, 4, FALSE);
	b.m = ot_lookup(obj, 2);
	vm_page_busy_wait(b.m, FALSE, "t");
	ASSERT_EQ(kthread_create(release_later, &b, "releaser", &kh), 0);
	vm_object_page_remove(obj, 0, 0, FALSE);
	kthread_join(kh);
	ASSERT_EQ(obj->resident_page_count, 0);
	ASSERT_TRUE(vt_page_free(b.m));
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* page_remove unmaps what it frees; a MGTDEVICE range is pmap_removed. */
TEST(page_remove_unmaps)
{
	struct fx f;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	for (int i = 0; i < PT_NPG; i++)
		vm_page_wakeup(f.m[i]);
	ASSERT_EQ(pmap_resident_count(&f.pmap), PT_NPG);
	vm_object_page_remove(f.obj, 2, 4, FALSE);
	ASSERT_EQ(pmap_resident_count(&f.pmap), PT_NPG - 2);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(2)), 0);
	ASSERT_NE(pt_pte(&f.pmap, fx_va(4)), 0);
	PT_AUDIT();
	ASSERT_EQ(vm_object_audit(f.obj), 0);
	f.m[2] = pt_page(f.obj, 2);		/* fx_teardown frees them */
	f.m[3] = pt_page(f.obj, 3);
	fx_teardown(&f);
}

/*
 * A management-device object's range is removed from every pmap through
 * its backing_list, even where the page scan keeps the page (clean_only
 * and dirty): the link's offset places pindex p at start + p - 1 pages.
 */
TEST(page_remove_mgtdevice_uses_backing_list)
{
	struct vm_map_backing ba;
	struct pmap pmap;
	vm_object_t obj;
	vm_page_t m[6];
	int i;

	ot_boot();
	pmap_pinit(&pmap);
	obj = vm_object_allocate(OBJT_MGTDEVICE, 6);
	pt_attach(&ba, obj, &pmap, PT_USER_VA, PT_USER_VA + 5 * PAGE_SIZE,
	    IDX_TO_OFF(1));
	for (i = 1; i < 6; i++) {
		m[i] = pt_page(obj, i);
		pmap_enter(&pmap, PT_USER_VA + (i - 1) * PAGE_SIZE, m[i],
		    VM_PROT_ALL, FALSE, NULL);
		vm_page_dirty(m[i]);
		vm_page_wakeup(m[i]);
	}
	vm_object_page_remove(obj, 2, 4, TRUE);
	ASSERT_EQ(obj->resident_page_count, 5);	/* dirty: kept */
	ASSERT_NE(pt_pte(&pmap, PT_USER_VA), 0);
	ASSERT_EQ(pt_pte(&pmap, PT_USER_VA + PAGE_SIZE), 0);
	ASSERT_EQ(pt_pte(&pmap, PT_USER_VA + 2 * PAGE_SIZE), 0);
	ASSERT_NE(pt_pte(&pmap, PT_USER_VA + 3 * PAGE_SIZE), 0);
	ASSERT_EQ(pmap_resident_count(&pmap), 3);
	PT_AUDIT();
	OT_AUDIT(obj);
	pmap_remove(&pmap, VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
	pt_detach(&ba);
	vm_object_deallocate(obj);
	pmap_release(&pmap);
	pmap_puninit(&pmap);
	ot_shutdown();
}

/*
 * ===================================================================
 * coalesce
 * ===================================================================
 */

TEST(coalesce_rules)
{
	vm_object_t obj, vn;

	ot_boot();
	ASSERT_TRUE(vm_object_coalesce(NULL, 0, PAGE_SIZE, PAGE_SIZE));
	/* Only anonymous objects grow. */
	vn = vm_object_allocate(OBJT_VNODE, 4);
	ASSERT_FALSE(vm_object_coalesce(vn, 0, 4 * PAGE_SIZE, PAGE_SIZE));
	ASSERT_EQ(vn->size, 4);
	vm_object_deallocate(vn);
	/* One user: grows, and stale pages in the new range are freed. */
	obj = vm_object_allocate(OBJT_DEFAULT, 8);
	ot_fill(obj, 8, FALSE);
	ASSERT_TRUE(vm_object_coalesce(obj, 0, 4 * PAGE_SIZE,
	    6 * PAGE_SIZE));
	ASSERT_EQ(obj->size, 10);
	ASSERT_EQ(obj->resident_page_count, 4);
	ASSERT_NOT_NULL(ot_lookup(obj, 3));
	ASSERT_NULL(ot_lookup(obj, 4));
	OT_AUDIT(obj);
	/* Shared: only an extension at the very end is allowed. */
	vm_object_reference_quick(obj);
	ASSERT_FALSE(vm_object_coalesce(obj, 0, 4 * PAGE_SIZE, PAGE_SIZE));
	ASSERT_EQ(obj->size, 10);
	ASSERT_TRUE(vm_object_coalesce(obj, 2, 8 * PAGE_SIZE, 2 * PAGE_SIZE));
	ASSERT_EQ(obj->size, 12);
	ASSERT_EQ(obj->resident_page_count, 4);
	/* Within the object with one user: no growth. */
	vm_object_deallocate(obj);
	ASSERT_TRUE(vm_object_coalesce(obj, 0, PAGE_SIZE, PAGE_SIZE));
	ASSERT_EQ(obj->size, 12);
	ASSERT_EQ(obj->resident_page_count, 3);
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/*
 * ===================================================================
 * madvise
 * ===================================================================
 */

/* WILLNEED activates resident, fully valid, unwired pages only. */
TEST(madvise_willneed)
{
	vm_object_t obj;
	vm_page_t m;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 8);
	ot_fill(obj, 6, FALSE);
	vm_object_hold(obj);
	m = vm_page_lookup_busy_wait(obj, 1, TRUE, "t");
	vm_page_wire(m);
	vm_page_wakeup(m);
	m = vm_page_lookup_busy_wait(obj, 2, TRUE, "t");
	vm_page_set_invalid(m, 0, DEV_BSIZE);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	vm_object_madvise(obj, 0, 8, MADV_WILLNEED);
	ASSERT_EQ(vm_page_qbase(ot_lookup(obj, 0)), PQ_ACTIVE);
	ASSERT_NE(vm_page_qbase(ot_lookup(obj, 1)), PQ_ACTIVE);
	ASSERT_NE(vm_page_qbase(ot_lookup(obj, 2)), PQ_ACTIVE);
	ASSERT_EQ(vm_page_qbase(ot_lookup(obj, 5)), PQ_ACTIVE);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 4);
	OT_AUDIT(obj);
	m = ot_lookup(obj, 1);
	vm_page_busy_wait(m, FALSE, "t");
	vm_page_unwire(m, 0);
	vm_page_wakeup(m);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/*
 * DONTNEED over many active pages: about 1 in 32 is left alone (and only
 * ages), the rest are deactivated.
 */
TEST(madvise_dontneed_weighted)
{
	vm_object_t obj;
	long active;
	int n = 1024;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, n);
	ot_fill(obj, n, TRUE);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), n);
	vm_object_madvise(obj, 0, n, MADV_DONTNEED);
	active = vt_count(&vmstats.v_active_count);
	ASSERT_GE(active, n / 64);
	ASSERT_LE(active, n / 16);
	ASSERT_EQ(vt_count(&vmstats.v_inactive_count), n - active);
	ASSERT_EQ(obj->resident_page_count, n);	/* nothing freed */
	OT_AUDIT(obj);
	/* Inactive pages are left alone: a second pass changes nothing. */
	vm_object_madvise(obj, 0, n, MADV_DONTNEED);
	ASSERT_LE(vt_count(&vmstats.v_active_count), active);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* Where a deactivated page went in its sub-queue. */
enum { OT_ALONE, OT_HEAD, OT_TAIL };

static int
ot_dontneed_place(vm_object_t obj, vm_page_t m, vm_page_t sentinel,
    int dirty)
{
	struct vpgqueues *pq;

	vm_page_busy_wait(sentinel, FALSE, "t");
	vm_page_deactivate(sentinel);
	vm_page_wakeup(sentinel);
	if (dirty) {
		vm_page_busy_wait(m, FALSE, "t");
		vm_page_dirty(m);
		vm_page_wakeup(m);
	}
	vm_object_madvise(obj, m->pindex, 1, MADV_DONTNEED);
	if (vm_page_qbase(m) == PQ_ACTIVE)
		return (OT_ALONE);
	ASSERT_EQ(vm_page_qbase(m), PQ_INACTIVE);
	pq = &vm_page_queues[m->queue];
	if (TAILQ_FIRST(&pq->pl) == m)
		return (OT_HEAD);
	ASSERT_PTR_EQ(TAILQ_LAST(&pq->pl, pglist), m);
	return (OT_TAIL);
}

/*
 * A clean page usually goes to the head of the inactive queue (about 28
 * in 32), otherwise the tail; a dirty page always goes to the tail.
 */
TEST(madvise_dontneed_head_or_tail)
{
	static vm_page_t first[PQ_L2_SIZE];
	vm_object_t obj;
	vm_page_t m;
	int place[2][3] = { { 0 } };
	int i, n = 1536, pairs = 0;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, n);
	ot_fill(obj, n, TRUE);
	memset(first, 0, sizeof(first));
	/* Pair pages of one color: the second is m, the first a sentinel. */
	for (i = 0; i < n; i++) {
		m = ot_lookup(obj, i);
		if (first[m->pc] == NULL) {
			first[m->pc] = m;
			continue;
		}
		place[pairs % 2][ot_dontneed_place(obj, m, first[m->pc],
		    pairs % 2)]++;
		first[m->pc] = NULL;
		pairs++;
	}
	ASSERT_GE(pairs, 200);
	ASSERT_GE(place[0][OT_HEAD], 4 * place[0][OT_TAIL]);
	ASSERT_GE(place[0][OT_TAIL], 1);
	ASSERT_EQ(place[1][OT_HEAD], 0);
	ASSERT_GE(place[1][OT_TAIL], pairs / 4);
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* MADV_FREE: clean, deactivated, still resident and still mapped. */
TEST(madvise_free_on_onemapping)
{
	struct fx f;
	int i;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	for (i = 0; i < PT_NPG; i++) {
		vm_page_dirty(f.m[i]);
		vm_page_activate(f.m[i]);
		vm_page_wakeup(f.m[i]);
	}
	ASSERT_TRUE(f.obj->flags & OBJ_ONEMAPPING);
	vm_object_madvise(f.obj, 0, PT_NPG, MADV_FREE);
	for (i = 0; i < PT_NPG; i++) {
		ASSERT_EQ(f.m[i]->dirty, 0);
		ASSERT_EQ(f.m[i]->act_count, 0);
		ASSERT_PTR_EQ(f.m[i]->object, f.obj);
		ASSERT_NE(pt_pte(&f.pmap, fx_va(i)), 0);
	}
	ASSERT_EQ(pmap_resident_count(&f.pmap), PT_NPG);
	ASSERT_EQ(vm_object_audit(f.obj), 0);
	PT_AUDIT();
	fx_teardown(&f);
}

/* MADV_FREE does nothing without ONEMAPPING or on other object types. */
TEST(madvise_free_rules)
{
	vm_object_t shared, vn;
	vm_page_t m;

	ot_boot();
	shared = vm_object_allocate(OBJT_DEFAULT, 1);
	vn = vm_object_allocate(OBJT_VNODE, 1);
	vm_object_clear_flag(shared, OBJ_ONEMAPPING);
	ot_fill(shared, 1, TRUE);
	ot_fill(vn, 1, TRUE);
	m = ot_lookup(shared, 0);
	vm_page_busy_wait(m, FALSE, "t");
	vm_page_dirty(m);
	vm_page_wakeup(m);
	m = ot_lookup(vn, 0);
	vm_page_busy_wait(m, FALSE, "t");
	vm_page_dirty(m);
	vm_page_wakeup(m);
	vm_object_madvise(shared, 0, 1, MADV_FREE);
	vm_object_madvise(vn, 0, 1, MADV_FREE);
	ASSERT_EQ(ot_lookup(shared, 0)->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(ot_lookup(vn, 0)->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 2);
	/* Unknown behaviours are ignored. */
	vm_object_madvise(shared, 0, 1, 0);	/* MADV_NORMAL */
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 2);
	OT_AUDIT(shared);
	vm_object_deallocate(shared);
	vm_object_deallocate(vn);
	ot_shutdown();
}

TEST(set_writeable_dirty)
{
	vm_object_t obj;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_FALSE(obj->flags & (OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY));
	vm_object_set_writeable_dirty(obj);
	ASSERT_TRUE(obj->flags & OBJ_WRITEABLE);
	ASSERT_TRUE(obj->flags & OBJ_MIGHTBEDIRTY);
	vm_object_set_writeable_dirty(obj);
	ASSERT_TRUE(obj->flags & OBJ_ONEMAPPING);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/*
 * ===================================================================
 * The audit
 * ===================================================================
 */

static char ot_audit_log[8192];

static void
ot_audit_sink(const char *line, void *arg)
{
	strncat(ot_audit_log, line,
	    sizeof(ot_audit_log) - strlen(ot_audit_log) - 1);
}

/* vm_object_audit(obj) finds exactly one problem and names it. */
#define ASSERT_OBJ_AUDIT_SAYS(obj, what) do {				\
	ot_audit_log[0] = '\0';						\
	ASSERT_EQ(vm_object_audit(obj), 1);				\
	ASSERT_STR_CONTAINS(ot_audit_log, what);			\
	ASSERT_STR_CONTAINS(ot_audit_log, "vm_object_audit: object");	\
} while (0)

/*
 * The audit notices each kind of injected inconsistency, one report line
 * per problem: a wrong page count, a foreign backing link, ONEMAPPING on
 * the wrong type, a dead flag without the dead hold bit.
 */
TEST(audit_finds_corruption)
{
	struct vm_map_backing ba;
	vm_object_t obj, other;

	ot_boot();
	obj = vm_object_allocate(OBJT_DEFAULT, 4);
	other = vm_object_allocate(OBJT_DEFAULT, 4);
	ot_fill(obj, 4, FALSE);
	OT_AUDIT(obj);
	kprintf_set_sink(ot_audit_sink, NULL);
	obj->resident_page_count++;
	ASSERT_OBJ_AUDIT_SAYS(obj, "4 pages in tree, count 5");
	ASSERT_EQ(vm_object_audit_all(), 1);
	obj->resident_page_count--;
	pt_attach(&ba, other, NULL, 0, PAGE_SIZE, 0);
	ASSERT_EQ(vm_object_audit(obj), 0);
	lockmgr(&other->backing_lk, LK_EXCLUSIVE);
	TAILQ_REMOVE(&other->backing_list, &ba, entry);
	TAILQ_INSERT_TAIL(&obj->backing_list, &ba, entry);
	lockmgr(&other->backing_lk, LK_RELEASE);
	ASSERT_OBJ_AUDIT_SAYS(obj, "names object");
	lockmgr(&obj->backing_lk, LK_EXCLUSIVE);
	TAILQ_REMOVE(&obj->backing_list, &ba, entry);
	lockmgr(&obj->backing_lk, LK_RELEASE);
	vm_object_clear_flag(obj, OBJ_ONEMAPPING);
	obj->type = OBJT_PHYS;
	other->type = OBJT_VNODE;
	ASSERT_EQ(vm_object_audit(obj), 0);
	ASSERT_OBJ_AUDIT_SAYS(other, "ONEMAPPING on type 2");
	other->type = OBJT_DEFAULT;
	obj->type = OBJT_DEFAULT;
	vm_object_set_flag(other, OBJ_NOSPLIT | OBJ_DEAD);
	other->ref_count = 0;
	ASSERT_OBJ_AUDIT_SAYS(other, "hold_count");
	other->ref_count = 1;
	vm_object_clear_flag(other, OBJ_NOSPLIT | OBJ_DEAD);
	kprintf_set_sink(NULL, NULL);
	OT_AUDIT(other);
	vm_object_deallocate(obj);
	vm_object_deallocate(other);
	ot_shutdown();
}

/*
 * ===================================================================
 * The pager table
 * ===================================================================
 */

static int test_pager_calls;

static void
test_pager_dealloc(vm_object_t obj)
{
	test_pager_calls++;
}

/* Fills only the first 512 bytes: the wrapper zero-fills the rest. */
static int
test_pager_getpage(vm_object_t obj, vm_page_t *mp, int seqaccess)
{
	memset(vm_page_data(*mp), 0xa5, PAGE_SIZE);
	vm_page_set_valid(*mp, 0, DEV_BSIZE);
	test_pager_calls++;
	return (VM_PAGER_OK);
}

static void
test_pager_putpages(vm_object_t obj, vm_page_t *m, int count, int flags,
    int *rtvals)
{
	int i;

	for (i = 0; i < count; i++)
		rtvals[i] = VM_PAGER_OK;
	test_pager_calls++;
}

static int
test_pager_haspage(vm_object_t obj, vm_pindex_t pindex)
{
	return (pindex < 4);
}

static struct pagerops test_pagerops = {
	.pgo_dealloc = test_pager_dealloc,
	.pgo_getpage = test_pager_getpage,
	.pgo_putpages = test_pager_putpages,
	.pgo_haspage = test_pager_haspage,
};

/* The default pager: no data, putpages fails until swap exists. */
TEST(pager_default)
{
	vm_object_t obj;
	vm_page_t m;
	int rt[2] = { -1, -1 };

	ot_boot();
	ASSERT_PTR_EQ(pagertab[OBJT_DEFAULT], &defaultpagerops);
	ASSERT_PTR_EQ(pagertab[OBJT_DEAD], &deadpagerops);
	obj = default_pager_alloc(NULL, 3 * PAGE_SIZE + 1, VM_PROT_ALL, 0);
	ASSERT_EQ(obj->size, 4);
	ASSERT_EQ(obj->type, OBJT_DEFAULT);
	vm_object_hold(obj);
	m = vt_obj_alloc(obj, 0);
	ASSERT_EQ(vm_pager_get_page(obj, &m, 0), VM_PAGER_FAIL);
	ASSERT_FALSE(vm_pager_has_page(obj, 0));
	vm_pager_put_pages(obj, &m, 1, 0, rt);
	ASSERT_EQ(rt[0], VM_PAGER_FAIL);
	ASSERT_EQ(rt[1], -1);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	OT_AUDIT(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/* The dead pager: nothing to read, putpages answers AGAIN. */
TEST(pager_dead)
{
	vm_object_t obj;
	vm_page_t m[2];
	int rt[2];

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_DEAD, 2);
	m[0] = vt_obj_alloc(obj, 0);
	m[1] = vt_obj_alloc(obj, 1);
	ASSERT_EQ(vm_pager_get_page(obj, &m[0], 0), VM_PAGER_FAIL);
	ASSERT_FALSE(vm_pager_has_page(obj, 1));
	vm_pager_put_pages(obj, m, 2, OBJPC_SYNC, rt);
	ASSERT_EQ(rt[0], VM_PAGER_AGAIN);
	ASSERT_EQ(rt[1], VM_PAGER_AGAIN);
	vm_page_wakeup(m[0]);
	vm_page_wakeup(m[1]);
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ot_shutdown();
}

/*
 * Dispatch goes by type: a pager installed in a slot serves objects of
 * that type; getpage's OK zero-fills the invalid rest; the fault
 * injector fails getpage; terminate calls dealloc.
 */
TEST(pager_dispatch_by_type)
{
	vm_object_t obj;
	vm_page_t m;
	unsigned char *p;
	int rt;

	ot_boot();
	ASSERT_NULL(pagertab[OBJT_PHYS]);
	pagertab[OBJT_PHYS] = &test_pagerops;
	obj = vm_object_allocate_hold(OBJT_PHYS, 8);
	m = vt_obj_alloc(obj, 0);
	ASSERT_EQ(vm_pager_get_page(obj, &m, 0), VM_PAGER_OK);
	ASSERT_EQ(m->valid, VM_PAGE_BITS_ALL);
	p = vm_page_data(m);
	ASSERT_EQ(p[0], 0xa5);
	ASSERT_EQ(p[DEV_BSIZE - 1], 0xa5);
	ASSERT_EQ(p[DEV_BSIZE], 0);
	ASSERT_EQ(p[PAGE_SIZE - 1], 0);
	ASSERT_TRUE(vm_pager_has_page(obj, 3));
	ASSERT_FALSE(vm_pager_has_page(obj, 4));
	vm_pager_put_pages(obj, &m, 1, 0, &rt);
	ASSERT_EQ(rt, VM_PAGER_OK);
	ASSERT_EQ(test_pager_calls, 2);
	fault_inject_arm(vm_pager_getpage_fault(), 1, 0);
	ASSERT_EQ(vm_pager_get_page(obj, &m, 0), VM_PAGER_ERROR);
	ASSERT_EQ(test_pager_calls, 2);
	ASSERT_EQ(vm_pager_get_page(obj, &m, 0), VM_PAGER_OK);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(test_pager_calls, 4);		/* dealloc at terminate */
	pagertab[OBJT_PHYS] = NULL;
	ot_shutdown();
}

static void
getpage_empty_slot(void *arg)
{
	vm_object_t obj;
	vm_page_t m;

	ot_boot();
	obj = vm_object_allocate_hold(OBJT_SWAP, 1);
	m = vt_obj_alloc(obj, 0);
	vm_pager_get_page(obj, &m, 0);
}

/* An empty slot panics on use (its pager does not exist yet). */
TEST(pager_empty_slot_panics)
{
	ASSERT_PANICS(getpage_empty_slot, NULL, "no pager");
}

TEST_MAIN(
	TEST_ENTRY(allocate_and_count),
	TEST_ENTRY(objects_get_distinct_colors),
	TEST_ENTRY(hash_enumerates_live_objects),
	TEST_ENTRY(hold_and_drop),
	TEST_ENTRY(lock_wrappers),
	TEST_ENTRY(hold_try_fails_when_contended),
	TEST_ENTRY(shared_holds_are_concurrent),
	TEST_ENTRY(deallocate_frees_pages),
	TEST_ENTRY(deallocate_fast_path_is_lockless),
	TEST_ENTRY(deallocate_locked_and_dead_hold),
	TEST_ENTRY(terminate_keeps_wired_pages),
	TEST_ENTRY(terminate_waits_for_busy_page),
	TEST_ENTRY(terminate_waits_for_pip),
	TEST_ENTRY(pip_counts),
	TEST_ENTRY(dead_object_freed_at_last_drop),
	TEST_ENTRY(page_tree_order),
	TEST_ENTRY(allocate_fault_injection),
	TEST_ENTRY(page_remove_range),
	TEST_ENTRY(page_remove_clean_only_skips_dirty),
	TEST_ENTRY(page_remove_keeps_wired_pages),
	TEST_ENTRY(page_remove_waits_for_busy_page),
	TEST_ENTRY(page_remove_unmaps),
	TEST_ENTRY(page_remove_mgtdevice_uses_backing_list),
	TEST_ENTRY(coalesce_rules),
	TEST_ENTRY(madvise_willneed),
	TEST_ENTRY(madvise_dontneed_weighted),
	TEST_ENTRY(madvise_dontneed_head_or_tail),
	TEST_ENTRY(madvise_free_on_onemapping),
	TEST_ENTRY(madvise_free_rules),
	TEST_ENTRY(set_writeable_dirty),
	TEST_ENTRY(audit_finds_corruption),
	TEST_ENTRY(pager_default),
	TEST_ENTRY(pager_dead),
	TEST_ENTRY(pager_dispatch_by_type),
	TEST_ENTRY(pager_empty_slot_panics)
)
