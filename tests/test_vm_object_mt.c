/*
 * test_vm_object_mt.c - vm_object under several threads: references taken
 * and dropped concurrently (lockless fast path and held slow path mixed),
 * simultaneous last deallocations (exactly one terminate), and hash
 * enumeration with page lookups racing object creation and termination.
 * Run under TSan too (FLYVM_CONCURRENCY_TESTS).
 */
#include "vm_util.h"

#define MT_THREADS	4

struct mt_arg {
	vm_object_t	obj;
	int		*go;
	int		*stop;
	long		iters;
	long		found;
};

/* A fully valid page at each of 0..n-1 of obj (not held), unbusied. */
static void
mt_fill(vm_object_t obj, int n)
{
	vm_page_t m;
	int i;

	vm_object_hold(obj);
	for (i = 0; i < n; i++) {
		m = vt_obj_alloc(obj, (vm_pindex_t)i);
		vm_page_set_valid(m, 0, PAGE_SIZE);
		vm_page_activate(m);
		vm_page_wakeup(m);
	}
	vm_object_drop(obj);
}

static void
ref_storm(void *arg)
{
	struct mt_arg *a = arg;
	long i;

	KT_SPIN(atomic_load_int(a->go));
	for (i = 0; i < a->iters; i++) {
		vm_object_reference_quick(a->obj);
		if (i % 64 == 0) {
			vm_object_hold_shared(a->obj);
			a->found += vm_page_lookup(a->obj, 0) != NULL;
			vm_object_drop(a->obj);
		}
		vm_object_deallocate(a->obj);
	}
	vm_object_deallocate(a->obj);		/* this thread's own */
}

/*
 * Threads each own a reference and take and drop more as fast as they
 * can; the count crosses the fast-path threshold both ways.  The last
 * deallocation terminates the object and every page comes back.
 */
TEST(reference_storm)
{
	struct mt_arg a[MT_THREADS];
	vm_object_t obj;
	long free0;
	int go = 0, i;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	obj = vm_object_allocate(OBJT_DEFAULT, 32);
	mt_fill(obj, 32);
	for (i = 0; i < MT_THREADS; i++) {
		vm_object_reference_quick(obj);
		a[i] = (struct mt_arg){ .obj = obj, .go = &go, .iters = 20000 };
	}
	vm_object_deallocate(obj);		/* main's own */
	atomic_store_int(&go, 1);
	kt_run(ref_storm, a, sizeof(a[0]), MT_THREADS);
	for (i = 0; i < MT_THREADS; i++)
		ASSERT_EQ(a[i].found, (20000 + 63) / 64);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	vt_shutdown();
}

static void
last_deallocate(void *arg)
{
	struct mt_arg *a = arg;

	KT_SPIN(atomic_load_int(a->go));
	vm_object_deallocate(a->obj);
}

/* Every thread drops its (the last few) references at once: one
 * terminate, no leak, no double free, round after round. */
TEST(simultaneous_last_deallocate)
{
	struct mt_arg a[MT_THREADS];
	vm_object_t obj;
	long free0;
	int go, i, round;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	for (round = 0; round < 200; round++) {
		go = 0;
		obj = vm_object_allocate(OBJT_DEFAULT, 4);
		mt_fill(obj, 4);
		for (i = 0; i < MT_THREADS; i++) {
			if (i > 0)
				vm_object_reference_quick(obj);
			a[i] = (struct mt_arg){ .obj = obj, .go = &go };
		}
		atomic_store_int(&go, 1);
		kt_run(last_deallocate, a, sizeof(a[0]), MT_THREADS);
		ASSERT_EQ(vm_object_count(), 0);
		ASSERT_EQ(vt_free(), free0);
	}
	ASSERT_EQ(vm_page_audit(), 0);
	vt_shutdown();
}

/* Enumerated objects are held: their pages point back at them. */
static int
mt_lookup_cb(vm_object_t obj, void *arg)
{
	struct mt_arg *a = arg;
	vm_page_t m;
	vm_pindex_t i;
	int bad = 0;

	for (i = 0; i < 8; i++) {
		m = vm_page_lookup(obj, i);
		if (m == NULL)
			continue;
		a->found++;
		bad += atomic_load_relaxed(&m->object) != obj ||
		    atomic_load_relaxed(&m->pindex) != i;
	}
	if ((atomic_load_int(&obj->flags) & OBJ_DEAD) &&
	    obj->resident_page_count != 0)
		bad++;
	return (bad + vm_object_audit(obj));
}

static void
enumerate(void *arg)
{
	struct mt_arg *a = arg;

	while (!atomic_load_int(a->stop)) {
		ASSERT_EQ(vm_object_hash_foreach(mt_lookup_cb, a), 0);
		atomic_add_long(&a->iters, 1);
	}
}

/*
 * Enumerators walk the hash (holding each object shared, looking pages
 * up, auditing) while the main thread creates, fills and terminates
 * objects under them.
 */
TEST(enumeration_vs_terminate)
{
	struct kthread_handle *kh[2];
	struct mt_arg a[2];
	vm_object_t objs[4];
	long free0;
	int stop = 0, i, round;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	for (i = 0; i < 2; i++) {
		a[i] = (struct mt_arg){ .stop = &stop };
		ASSERT_EQ(kthread_create(enumerate, &a[i], "enum", &kh[i]), 0);
	}
	for (round = 0; round < 300; round++) {
		for (i = 0; i < 4; i++) {
			objs[i] = vm_object_allocate(OBJT_DEFAULT, 8);
			mt_fill(objs[i], 8);
		}
		for (i = 0; i < 4; i++)
			vm_object_deallocate(objs[i]);
	}
	KT_WAIT(atomic_load_long(&a[0].iters) > 0 &&
	    atomic_load_long(&a[1].iters) > 0);
	atomic_store_int(&stop, 1);
	for (i = 0; i < 2; i++)
		kthread_join(kh[i]);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	vt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(reference_storm),
	TEST_ENTRY(simultaneous_last_deallocate),
	TEST_ENTRY(enumeration_vs_terminate)
)
