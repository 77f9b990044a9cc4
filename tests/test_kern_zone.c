/*
 * test_kern_zone.c - zones: distinct objects, zeroing, in-use counts, junk
 * fill and the debug checks (double free, wrong zone, write after free),
 * fault injection, and a cross-CPU stress.
 */
#include "kern_util.h"
#include "kern/spinlock.h"
#include "kern/zone.h"

#define NOBJ	5000			/* several slabs and magazines */

struct obj {
	long	o_id;
	long	o_owner;
	char	o_pad[40];
};

static vm_zone_t z;
static struct obj *objs[NOBJ];

static void
boot_zone(int n, int flags)
{
	kt_boot(n);
	z = zinit("test zone", sizeof(struct obj), flags);
	ASSERT_NOT_NULL(z);
}

/* Every live object is distinct and keeps what was written into it. */
TEST(zone_objects_are_distinct)
{
	int i;

	boot_zone(1, 0);
	for (i = 0; i < NOBJ; i++) {
		objs[i] = zalloc(z);
		ASSERT_NOT_NULL(objs[i]);
		ASSERT_EQ((uintptr_t)objs[i] % 16, 0);
		memset(objs[i], 0, sizeof(struct obj));
		objs[i]->o_id = i;
	}
	ASSERT_EQ(zone_inuse(z), NOBJ);
	for (i = 0; i < NOBJ; i++)
		ASSERT_EQ(objs[i]->o_id, i);
	for (i = 0; i < NOBJ; i++)
		zfree(z, objs[i]);
	ASSERT_EQ(zone_inuse(z), 0);
	zdestroy(z);
	kt_shutdown();
}

/* ZONE_ZERO objects come back zeroed even after reuse. */
TEST(zone_zero_flag)
{
	struct obj *o;
	size_t i;

	boot_zone(1, ZONE_ZERO);
	o = zalloc(z);
	memset(o, 0xab, sizeof(*o));
	zfree(z, o);
	o = zalloc(z);
	for (i = 0; i < sizeof(*o); i++)
		ASSERT_EQ(((unsigned char *)o)[i], 0);
	zfree(z, o);
	zdestroy(z);
	kt_shutdown();
}

/* Debug builds fill a freed object with 0xdeadc0de after its first word. */
TEST(zone_junk_fill_on_free)
{
	struct obj *o;

	boot_zone(1, 0);
	o = zalloc(z);
	o->o_owner = 1;
	zfree(z, o);
#ifdef INVARIANTS
	ASSERT_EQ(((uint32_t *)o)[2], 0xdeadc0de);
	ASSERT_EQ(((uint32_t *)o)[sizeof(*o) / 4 - 1], 0xdeadc0de);
#endif
	zdestroy(z);
	kt_shutdown();
}

static void
double_free(void *arg)
{
	struct obj *o;

	boot_zone(1, 0);
	o = zalloc(z);
	zfree(z, o);
	zfree(z, o);
}

static void
wrong_zone(void *arg)
{
	vm_zone_t other;

	boot_zone(1, 0);
	other = zinit("other zone", 64, 0);
	zfree(other, zalloc(z));
}

static void
write_after_free(void *arg)
{
	struct obj *o;

	boot_zone(1, 0);
	o = zalloc(z);
	zfree(z, o);
	o->o_owner = 5;
	(void)zalloc(z);
}

static void
destroy_in_use(void *arg)
{
	boot_zone(1, 0);
	(void)zalloc(z);
	zdestroy(z);
}

/* The debug checks catch misuse and name the zone (debug builds). */
TEST(zone_debug_checks_panic)
{
	ASSERT_DEBUG_PANICS(double_free, NULL, "zone test zone: double free");
	ASSERT_DEBUG_PANICS(wrong_zone, NULL, "zone other zone:");
	ASSERT_DEBUG_PANICS(write_after_free, NULL, "modified after free");
	ASSERT_DEBUG_PANICS(destroy_in_use, NULL, "with 1 objects in use");
}

/* alloc_n - allocate n objects or stop at the first failure; how many. */
static int
alloc_n(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		objs[i] = zalloc(z);
		if (objs[i] == NULL)
			break;
	}
	return (i);
}

static void
free_n(int n)
{
	int i;

	for (i = 0; i < n; i++)
		zfree(z, objs[i]);
}

/*
 * Sweep the fault injector: the nth allocation fails, the caller frees
 * what it had, and the zone is consistent and usable afterwards.
 */
TEST(zone_fault_injection_sweep)
{
	int nth, got;

	boot_zone(2, 0);
	for (nth = 1; nth <= 40; nth++) {
		fault_inject_arm(zone_fault(z), nth, 0);
		got = alloc_n(40);
		ASSERT_EQ(got, nth - 1);
		ASSERT_EQ(zone_inuse(z), got);
		free_n(got);
		ASSERT_EQ(fault_inject_hits(zone_fault(z)), 1);
	}
	fault_inject_arm(zone_fault(z), 1, 1);
	ASSERT_NULL(zalloc(z));
	ASSERT_NULL(zalloc(z));
	fault_inject_arm(zone_fault(z), 0, 0);
	ASSERT_EQ(alloc_n(NOBJ), NOBJ);
	free_n(NOBJ);
	ASSERT_EQ(zone_inuse(z), 0);
	zdestroy(z);
	kt_shutdown();
}

#define STRESS_ITERS	20000
#define STRESS_SLOTS	64

static struct spinlock slot_spin = SPINLOCK_INITIALIZER("slot spin");
static struct obj *slots[STRESS_SLOTS];	/* (slot_spin) handed between CPUs */

/* swap_slot - exchange o with the object in slot i; the old one. */
static struct obj *
swap_slot(int i, struct obj *o)
{
	struct obj *old;

	spin_lock(&slot_spin);
	old = slots[i];
	slots[i] = o;
	spin_unlock(&slot_spin);
	return (old);
}

/*
 * zone_worker - allocate, stamp with our id, park in a shared slot, and
 * free whatever was parked there (allocated on another CPU, usually).
 * An object handed to two owners at once would fail the stamp check.
 */
static void
zone_worker(void *arg)
{
	long me = curthread->td_tid;
	struct obj *o, *old;
	int i;

	for (i = 0; i < STRESS_ITERS; i++) {
		o = zalloc(z);
		ASSERT_NOT_NULL(o);
		o->o_owner = me;
		o->o_id = i;
		if (i % 64 == 0)
			lwkt_yield();
		ASSERT_EQ(o->o_owner, me);
		old = swap_slot((int)((me * 31 + i) % STRESS_SLOTS), o);
		if (old != NULL) {
			old->o_owner = -1;
			zfree(z, old);
		}
	}
}

/* Threads on several CPUs allocate and free across CPUs; counts balance. */
TEST(zone_cross_cpu_stress)
{
	int i;

	boot_zone(2, 0);
	kt_run(zone_worker, NULL, 0, 4);
	for (i = 0; i < STRESS_SLOTS; i++)
		if (slots[i] != NULL)
			zfree(z, slots[i]);
	ASSERT_EQ(zone_inuse(z), 0);
	zdestroy(z);
	kt_shutdown();
}

/* Large objects get larger slabs and still work. */
TEST(zone_large_objects)
{
	vm_zone_t big;
	char *p[20];
	int i;

	kt_boot(1);
	big = zinit("big zone", 20000, ZONE_ZERO);
	for (i = 0; i < 20; i++) {
		p[i] = zalloc(big);
		ASSERT_NOT_NULL(p[i]);
		ASSERT_EQ(p[i][19999], 0);
		memset(p[i], i, 20000);
	}
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(p[i][0], i);
		ASSERT_EQ(p[i][19999], i);
		zfree(big, p[i]);
	}
	zdestroy(big);
	kt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(zone_objects_are_distinct),
	TEST_ENTRY(zone_zero_flag),
	TEST_ENTRY(zone_junk_fill_on_free),
	TEST_ENTRY(zone_debug_checks_panic),
	TEST_ENTRY(zone_fault_injection_sweep),
	TEST_ENTRY(zone_cross_cpu_stress),
	TEST_ENTRY(zone_large_objects),
)
