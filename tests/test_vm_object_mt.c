/*
 * test_vm_object_mt.c - vm_object under several threads: references taken
 * and dropped concurrently (lockless fast path and held slow path mixed),
 * simultaneous last deallocations (exactly one terminate), and hash
 * enumeration with page lookups racing object creation and termination,
 * and lookups in order under shared holds (rb_cursor) racing a writer.
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

#define NL_READ		96	/* pages each reader looks up in order */
#define NL_EXTRA	32	/* pages the writer frees and refills */

struct nl_arg {
	vm_object_t	obj;
	int		*go;
	int		*stop;
	int		id;		/* reader id, or -1 for the writer */
	long		lookups;
	long		bad;
};

/*
 * A reader holds the object shared and looks its range up in order, again
 * and again; every page must be there and be the right one.  The writer
 * holds it exclusively now and then and frees or refills pages past the
 * readers' ranges, which moves rb_max and the cursor.
 */
static void
near_lookups(void *arg)
{
	struct nl_arg *a = arg;
	vm_pindex_t base = (vm_pindex_t)a->id * NL_READ, i;
	vm_page_t m;

	KT_SPIN(atomic_load_int(a->go));
	while (!atomic_load_int(a->stop)) {
		vm_object_hold_shared(a->obj);
		for (i = base; i < base + NL_READ; i++) {
			m = vm_page_lookup(a->obj, i);
			a->bad += m == NULL ||
			    atomic_load_relaxed(&m->pindex) != i ||
			    atomic_load_relaxed(&m->object) != a->obj;
			a->lookups++;
		}
		vm_object_drop(a->obj);
		lwkt_yield();		/* let the writer have a CPU */
	}
}

static void
near_writer(void *arg)
{
	struct nl_arg *a = arg;
	vm_pindex_t top = (vm_pindex_t)(MT_THREADS - 1) * NL_READ, i;
	vm_page_t m;
	int round;

	KT_SPIN(atomic_load_int(a->go));
	for (round = 0; round < 400; round++) {
		vm_object_hold(a->obj);
		for (i = top; i < top + NL_EXTRA; i++) {
			m = vm_page_lookup(a->obj, i);
			if (m != NULL && (round + (int)i) % 3 == 0) {
				vm_page_busy_wait(m, FALSE, "tnlw");
				vm_page_free(m);
			} else if (m == NULL) {
				m = vt_obj_alloc(a->obj, i);
				vm_page_wakeup(m);
			}
		}
		a->bad += vm_object_audit(a->obj);
		vm_object_drop(a->obj);
		lwkt_yield();
	}
	atomic_store_int(a->stop, 1);
}

static void
near_thread(void *arg)
{
	struct nl_arg *a = arg;

	if (a->id < 0)
		near_writer(a);
	else
		near_lookups(a);
}

/*
 * rb_cursor under shared holders: readers looking up in order in one
 * object at once (each a range of its own, so the cursor is contended),
 * a writer changing the object between their holds.  Nothing is missed
 * or misread, and the audit (rb_max the last page, the cursor a page of
 * the object) holds throughout and after.
 */
TEST(shared_lookups_in_order)
{
	struct nl_arg a[MT_THREADS];
	vm_object_t obj;
	long free0;
	int go = 0, stop = 0, i;

	vt_boot(VT_MB(8));
	free0 = vt_free();
	obj = vm_object_allocate(OBJT_DEFAULT, (MT_THREADS - 1) * NL_READ +
	    NL_EXTRA);
	mt_fill(obj, (MT_THREADS - 1) * NL_READ);
	for (i = 0; i < MT_THREADS; i++)
		a[i] = (struct nl_arg){ .obj = obj, .go = &go, .stop = &stop,
		    .id = i < MT_THREADS - 1 ? i : -1 };
	atomic_store_int(&go, 1);
	kt_run(near_thread, a, sizeof(a[0]), MT_THREADS);
	for (i = 0; i < MT_THREADS; i++) {
		ASSERT_EQ(a[i].bad, 0);
		if (a[i].id >= 0)
			ASSERT_TRUE(a[i].lookups >= NL_READ);
	}
	vm_object_hold(obj);
	ASSERT_EQ(vm_object_audit(obj), 0);
	vm_object_drop(obj);
	vm_object_deallocate(obj);
	ASSERT_EQ(vm_object_count(), 0);
	ASSERT_EQ(vt_free(), free0);
	vt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(reference_storm),
	TEST_ENTRY(simultaneous_last_deallocate),
	TEST_ENTRY(enumeration_vs_terminate),
	TEST_ENTRY(shared_lookups_in_order)
)
