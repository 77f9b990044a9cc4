/*
 * test_kern_sysctl.c - the sysctl registry: get/set and their errors,
 * boot-time tunables, handlers, name-ordered walks, and the kern.* oids.
 */
#include "kern_util.h"
#include "kern/sysctl.h"

static int t_int = 5;
static u_int t_uint = 7;
static long t_long = -3;
static u_long t_ulong = 9;
static int t_boot = 1;
static int t_ro = 42;
static int handler_calls;

static int
t_handler(const struct sysctl_oid *oid, int64_t *oldval, const int64_t *newval)
{
	handler_calls++;
	if (newval == NULL) {
		*oldval = 1000 + t_int;
		return (0);
	}
	if (*newval == 13)		/* the handler's own veto */
		return (EDOM);
	t_int = (int)*newval;
	return (0);
}

static const struct sysctl_oid t_oids[] = {
	{ "test.int", CTLTYPE_INT, CTLFLAG_RW, &t_int, -10, 10, NULL, "i" },
	{ "test.uint", CTLTYPE_UINT, CTLFLAG_RW, &t_uint, 0, 100, NULL, "u" },
	{ "test.long", CTLTYPE_LONG, CTLFLAG_RW, &t_long, INT64_MIN,
	    INT64_MAX, NULL, "l" },
	{ "test.ulong", CTLTYPE_ULONG, CTLFLAG_RW, &t_ulong, 0, 1L << 40,
	    NULL, "ul" },
	{ "test.boot_only", CTLTYPE_INT, CTLFLAG_RD | CTLFLAG_TUN, &t_boot, 0,
	    4, NULL, "b" },
	{ "test.a_readonly", CTLTYPE_INT, CTLFLAG_RD, &t_ro, 0, 100, NULL,
	    "r" },
	{ "test.handled", CTLTYPE_INT, CTLFLAG_RW, NULL, 0, 20, t_handler,
	    "h" },
};

static void
register_t_oids(void)
{
	sysctl_register(t_oids, (int)nitems(t_oids));
}

/* Plain get and set of every integer type. */
TEST(sysctl_get_set_types)
{
	int64_t v;

	register_t_oids();
	ASSERT_EQ(sysctl_get("test.int", &v), 0);
	ASSERT_EQ(v, 5);
	ASSERT_EQ(sysctl_set("test.int", -10), 0);
	ASSERT_EQ(t_int, -10);
	ASSERT_EQ(sysctl_set("test.uint", 100), 0);
	ASSERT_EQ(t_uint, 100);
	ASSERT_EQ(sysctl_set("test.long", INT64_MIN), 0);
	ASSERT_EQ(t_long, INT64_MIN);
	ASSERT_EQ(sysctl_set("test.ulong", 1L << 40), 0);
	ASSERT_EQ(sysctl_get("test.ulong", &v), 0);
	ASSERT_EQ(v, 1L << 40);
	sysctl_unregister(t_oids, (int)nitems(t_oids));
	ASSERT_EQ(sysctl_get("test.int", &v), ENOENT);
}

/* ENOENT, EPERM and EINVAL, and the variable is left alone on error. */
TEST(sysctl_errors)
{
	int64_t v;

	register_t_oids();
	ASSERT_EQ(sysctl_get("test.nope", &v), ENOENT);
	ASSERT_EQ(sysctl_set("test.nope", 1), ENOENT);
	ASSERT_EQ(sysctl_set("test.a_readonly", 1), EPERM);
	ASSERT_EQ(sysctl_set_boot("test.a_readonly", 1), EPERM);
	ASSERT_EQ(t_ro, 42);
	ASSERT_EQ(sysctl_set("test.int", 11), EINVAL);
	ASSERT_EQ(sysctl_set("test.int", -11), EINVAL);
	ASSERT_EQ(sysctl_set("test.uint", -1), EINVAL);
	ASSERT_EQ(t_int, 5);
	ASSERT_EQ(t_uint, 7);
	ASSERT_EQ(sysctl_set("test.int", 10), 0);
}

/* CTLFLAG_TUN oids accept writes at boot only. */
TEST(sysctl_boot_tunables)
{
	register_t_oids();
	ASSERT_EQ(sysctl_set("test.boot_only", 2), EPERM);
	ASSERT_EQ(t_boot, 1);
	ASSERT_EQ(sysctl_set_boot("test.boot_only", 2), 0);
	ASSERT_EQ(t_boot, 2);
	ASSERT_EQ(sysctl_set_boot("test.boot_only", 5), EINVAL);
	ASSERT_EQ(sysctl_set_boot("test.int", 3), 0);	/* RW: also fine */
}

/* A handler replaces the variable; the range is checked before it. */
TEST(sysctl_handler)
{
	int64_t v;

	register_t_oids();
	ASSERT_EQ(sysctl_get("test.handled", &v), 0);
	ASSERT_EQ(v, 1005);
	ASSERT_EQ(sysctl_set("test.handled", 21), EINVAL);
	ASSERT_EQ(handler_calls, 1);
	ASSERT_EQ(sysctl_set("test.handled", 13), EDOM);
	ASSERT_EQ(sysctl_set("test.handled", 8), 0);
	ASSERT_EQ(t_int, 8);
	ASSERT_EQ(handler_calls, 3);
}

static char walk[512];

static int
walker(const struct sysctl_oid *oid, int64_t val, void *arg)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s=%lld ", oid->oid_name, (long long)val);
	strcat(walk, buf);
	return (strcmp(oid->oid_name, (const char *)arg) == 0 ? 77 : 0);
}

/* foreach walks names in order, filtered by prefix, and can stop early. */
TEST(sysctl_foreach_in_name_order)
{
	register_t_oids();
	ASSERT_EQ(sysctl_foreach("test.u", walker, "none"), 0);
	ASSERT_EQ(strcmp(walk, "test.uint=7 test.ulong=9 "), 0);
	walk[0] = '\0';
	ASSERT_EQ(sysctl_foreach("test.", walker, "test.handled"), 77);
	ASSERT_EQ(strcmp(walk, "test.a_readonly=42 test.boot_only=1 "
	    "test.handled=1005 "), 0);
}

/* The range message names the oid and its bounds, or read-only. */
TEST(sysctl_range_messages)
{
	char buf[128];

	register_t_oids();
	sysctl_range_msg(sysctl_find("test.int"), buf, sizeof(buf));
	ASSERT_EQ(strcmp(buf, "test.int accepts -10..10"), 0);
	sysctl_range_msg(sysctl_find("test.a_readonly"), buf, sizeof(buf));
	ASSERT_EQ(strcmp(buf, "test.a_readonly is read-only"), 0);
	ASSERT_NULL(sysctl_find("test"));
}

static void
register_twice(void *arg)
{
	register_t_oids();
	register_t_oids();
}

TEST(sysctl_duplicate_panics)
{
	ASSERT_PANICS(register_twice, NULL, "duplicate oid test.int");
}

/* kern_init registers kern.* and lwkt.* oids, and kern_fini removes them. */
TEST(sysctl_kern_oids)
{
	int64_t v;

	kt_boot(3);
	ASSERT_EQ(sysctl_get("kern.hz", &v), 0);
	ASSERT_EQ(v, 100);
	ASSERT_EQ(sysctl_set("kern.hz", 1000), EPERM);
	ASSERT_EQ(sysctl_get("kern.ncpus", &v), 0);
	ASSERT_EQ(v, 3);
	ASSERT_EQ(sysctl_set("kern.ncpus", 2), EPERM);
	ASSERT_EQ(sysctl_get("lwkt.token_backoff_max", &v), 0);
	ASSERT_EQ(v, 4096);
	ASSERT_EQ(sysctl_set("lwkt.token_backoff_max", 16), 0);
	ASSERT_EQ(sysctl_set("lwkt.token_backoff_max", -1), EINVAL);
	ASSERT_EQ(sysctl_get("lwkt.token_collisions", &v), 0);
	ASSERT_EQ(v, 0);
	ASSERT_EQ(sysctl_set("lwkt.token_collisions", 1), EPERM);
	kt_shutdown();
	ASSERT_EQ(sysctl_get("kern.hz", &v), ENOENT);
	kt_boot(1);				/* defaults again */
	ASSERT_EQ(sysctl_get("lwkt.token_backoff_max", &v), 0);
	ASSERT_EQ(v, 4096);
	kt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(sysctl_get_set_types),
	TEST_ENTRY(sysctl_errors),
	TEST_ENTRY(sysctl_boot_tunables),
	TEST_ENTRY(sysctl_handler),
	TEST_ENTRY(sysctl_foreach_in_name_order),
	TEST_ENTRY(sysctl_range_messages),
	TEST_ENTRY(sysctl_duplicate_panics),
	TEST_ENTRY(sysctl_kern_oids),
)
