/*
 * test_vm_object.c - the minimal vm_object: allocation and counting,
 * references and termination (pages freed, wired pages kept), hold/drop
 * and the token, the page tree, colors.
 */
#include "vm_util.h"

TEST(allocate_and_count)
{
	vm_object_t a, b;

	vt_boot(VT_MB(8));
	ASSERT_EQ(vm_object_count(), 0);
	a = vm_object_allocate(OBJT_DEFAULT, 10);
	b = vm_object_allocate(OBJT_SWAP, 20);
	ASSERT_NOT_NULL(a);
	ASSERT_EQ(vm_object_count(), 2);
	ASSERT_EQ(a->ref_count, 1);
	ASSERT_EQ(a->hold_count, 0);
	ASSERT_EQ(a->size, 10);
	ASSERT_EQ(b->type, OBJT_SWAP);
	ASSERT_NE(a->id, b->id);
	ASSERT_TRUE(RB_EMPTY(&a->rb_memq));
	ASSERT_EQ(a->memattr, VM_MEMATTR_DEFAULT);
	vm_object_deallocate(a);
	ASSERT_EQ(vm_object_count(), 1);
	vm_object_deallocate(b);
	vm_object_deallocate(NULL);
	ASSERT_EQ(vm_object_count(), 0);
	vt_shutdown();
}

/* Objects spread over the colors. */
TEST(objects_get_distinct_colors)
{
	vm_object_t o[4];
	int i;

	vt_boot(VT_MB(8));
	for (i = 0; i < 4; i++)
		o[i] = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NE(o[0]->pg_color, o[1]->pg_color);
	ASSERT_NE(o[1]->pg_color, o[2]->pg_color);
	for (i = 0; i < 4; i++)
		vm_object_deallocate(o[i]);
	vt_shutdown();
}

TEST(hold_and_drop)
{
	vm_object_t obj;

	obj = vt_boot_obj(1);
	ASSERT_EQ(obj->hold_count, 1);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 1));
	vm_object_hold(obj);				/* recursion */
	ASSERT_EQ(obj->hold_count, 2);
	ASSERT_TRUE(vm_object_hold_try(obj));
	vm_object_drop(obj);
	vm_object_drop(obj);
	vm_object_drop(obj);
	ASSERT_EQ(obj->hold_count, 0);
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 0));
	vm_object_hold_shared(obj);
	ASSERT_TRUE(lwkt_token_is_held(&obj->token, 0));
	ASSERT_FALSE(lwkt_token_is_held(&obj->token, 1));
	vt_finish_obj(obj);
}

struct holder {
	vm_object_t	obj;
	int		holding;
	int		release;
	int		tried;
};

static void
hold_a_while(void *arg)
{
	struct holder *h = arg;

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

	vt_boot(VT_MB(8));
	h.obj = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_EQ(kthread_create(hold_a_while, &h, "holder", &kh), 0);
	KT_WAIT(atomic_load_int(&h.holding));
	ASSERT_FALSE(vm_object_hold_try(h.obj));
	ASSERT_EQ(atomic_load_int(&h.obj->hold_count), 1);
	atomic_store_int(&h.release, 1);
	kthread_join(kh);
	ASSERT_TRUE(vm_object_hold_try(h.obj));
	vm_object_drop(h.obj);
	vm_object_deallocate(h.obj);
	vt_shutdown();
}

/* A reference keeps the object; the last deallocate frees its pages. */
TEST(deallocate_frees_pages)
{
	vm_object_t obj;
	vm_page_t m;
	long free0;
	int i;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	obj = vm_object_allocate_hold(OBJT_DEFAULT, 64);
	for (i = 0; i < 64; i++) {
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
	ASSERT_EQ(vt_free(), free0 - 64);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 1);
	ASSERT_EQ(obj->resident_page_count, 64);
	vm_object_reference_quick(obj);
	vm_object_deallocate(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	ASSERT_EQ(vt_count(&vmstats.v_active_count), 0);
	vt_shutdown();
}

/* A wired page outlives its object: it is only removed from it. */
TEST(terminate_keeps_wired_pages)
{
	vm_object_t obj;
	vm_page_t m;
	long free0;

	vt_boot(VT_MB(8));
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
	vt_shutdown();
}

struct busyfree {
	vm_page_t	m;
	int		asleep;
};

static void
release_later(void *arg)
{
	struct busyfree *b = arg;

	KT_WAIT(tsleep_count(b->m) == 1);
	vm_page_wakeup(b->m);
}

/* Termination waits for a busy page. */
TEST(terminate_waits_for_busy_page)
{
	struct kthread_handle *kh;
	struct busyfree b = { 0 };
	vm_object_t obj;

	obj = vt_boot_obj(1);
	b.m = vt_obj_alloc(obj, 0);
	vm_object_drop(obj);
	ASSERT_EQ(kthread_create(release_later, &b, "releaser", &kh), 0);
	vm_object_deallocate(obj);
	kthread_join(kh);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_TRUE(vt_page_free(b.m));
	vt_shutdown();
}

/* A dead object lives until its last holder drops it. */
TEST(dead_object_freed_at_last_drop)
{
	vm_object_t obj;

	vt_boot(VT_MB(8));
	obj = vm_object_allocate(OBJT_DEFAULT, 1);
	vm_object_hold(obj);
	vm_object_deallocate(obj);			/* last reference */
	ASSERT_TRUE(obj->flags & OBJ_DEAD);
	ASSERT_EQ(vm_object_count(), 1);
	vm_object_drop(obj);
	ASSERT_EQ(vm_object_count(), 0);
	vt_shutdown();
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

	obj = vt_boot_obj(2000000);
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
	vt_finish_obj(obj);
}

/* Allocation failures of the object zone are reported as NULL. */
TEST(allocate_fault_injection)
{
	vm_object_t a, b;

	vt_boot(VT_MB(8));
	fault_inject_arm(vm_object_alloc_fault(), 2, 0);
	a = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NOT_NULL(a);
	ASSERT_NULL(vm_object_allocate_hold(OBJT_DEFAULT, 1));
	b = vm_object_allocate(OBJT_DEFAULT, 1);
	ASSERT_NOT_NULL(b);
	ASSERT_EQ(vm_object_count(), 2);
	vm_object_deallocate(a);
	vm_object_deallocate(b);
	vt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(allocate_and_count),
	TEST_ENTRY(objects_get_distinct_colors),
	TEST_ENTRY(hold_and_drop),
	TEST_ENTRY(hold_try_fails_when_contended),
	TEST_ENTRY(deallocate_frees_pages),
	TEST_ENTRY(terminate_keeps_wired_pages),
	TEST_ENTRY(terminate_waits_for_busy_page),
	TEST_ENTRY(dead_object_freed_at_last_drop),
	TEST_ENTRY(page_tree_order),
	TEST_ENTRY(allocate_fault_injection)
)
