/*
 * test_kern_token.c - LWKT tokens: exclusion, sharing, recursion, release
 * on blocking, writer preference, freedom from deadlock, pool tokens.
 */
#include "kern_util.h"
#include "kern/sysctl.h"
#include "kern/token.h"

static struct lwkt_token tk_a = LWKT_TOKEN_INITIALIZER("tk_a");
static struct lwkt_token tk_b = LWKT_TOKEN_INITIALIZER("tk_b");
static long counter;			/* guarded by tk_a */
static int flag1, flag2, flag3;		/* (a) */
static int chan;

#define RACE_ITERS	20000

static void
excl_incrementer(void *arg)
{
	int i;

	for (i = 0; i < RACE_ITERS; i++) {
		lwkt_gettoken(&tk_a);
		counter++;
		lwkt_reltoken(&tk_a);
	}
}

/* N threads x M increments under an exclusive token give exactly N*M. */
TEST(token_exclusive_counter_race)
{
	kt_boot(4);
	kt_run(excl_incrementer, NULL, 0, 4);
	ASSERT_EQ(counter, 4L * RACE_ITERS);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 0);
	kt_shutdown();
}

/* The same with more threads than CPUs, so token waiters also queue for CPUs. */
TEST(token_exclusive_race_more_threads_than_cpus)
{
	kt_boot(2);
	kt_run(excl_incrementer, NULL, 0, 6);
	ASSERT_EQ(counter, 6L * RACE_ITERS);
	kt_shutdown();
}

static void
shared_holder(void *arg)
{
	lwkt_gettoken_shared(&tk_a);
	atomic_add_int(&flag1, 1);
	/* Spin (keeping the token) until the other holder is inside too. */
	KT_SPIN(atomic_load_int(&flag1) >= 2);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 2);
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 0));
	ASSERT_FALSE(lwkt_token_is_held(&tk_a, 1));
	/* Neither lets go before both have looked. */
	atomic_add_int(&flag1, 1);
	KT_SPIN(atomic_load_int(&flag1) == 4);
	lwkt_reltoken(&tk_a);
}

/* Two threads hold one token shared at the same time. */
TEST(token_shared_concurrent_holders)
{
	kt_boot(2);
	kt_run(shared_holder, NULL, 0, 2);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 0);
	kt_shutdown();
}

static void
shared_reader(void *arg)
{
	lwkt_gettoken_shared(&tk_a);
	atomic_store_int(&flag1, 1);
	lwkt_reltoken(&tk_a);
}

/* An exclusive holder keeps a shared requester out until it releases. */
TEST(token_exclusive_excludes_shared)
{
	struct kthread_handle *h;

	kt_boot(2);
	lwkt_gettoken(&tk_a);
	ASSERT_EQ(kthread_create(shared_reader, NULL, "reader", &h), 0);
	KT_SPIN(atomic_load_long(&tk_a.t_collisions) > 0);
	usleep(20000);
	ASSERT_EQ(atomic_load_int(&flag1), 0);
	lwkt_reltoken(&tk_a);
	kthread_join(h);
	ASSERT_EQ(atomic_load_int(&flag1), 1);
	kt_shutdown();
}

static void
thief(void *arg)
{
	KT_WAIT(tsleep_count(&chan) == 1);
	lwkt_gettoken(&tk_a);		/* only possible if the sleeper let go */
	atomic_store_int(&flag1, 1);
	lwkt_reltoken(&tk_a);
	wakeup(&chan);
}

static void
try_thief(void *arg)
{
	atomic_store_int(&flag2, lwkt_trytoken(&tk_a) ? 1 : 2);
	if (atomic_load_int(&flag2) == 1)
		lwkt_reltoken(&tk_a);
}

/*
 * A token is released while its holder sleeps (another thread takes it
 * meanwhile) and is held again when tsleep returns.
 */
TEST(token_released_while_holder_sleeps)
{
	struct kthread_handle *h;

	kt_boot(2);
	lwkt_gettoken(&tk_a);
	ASSERT_EQ(kthread_create(thief, NULL, "thief", &h), 0);
	ASSERT_EQ(tsleep(&chan, 0, "hold", 10 * hz), 0);
	ASSERT_EQ(atomic_load_int(&flag1), 1);
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 1));
	kthread_join(h);
	/* Still held after the join (a blocking point) too. */
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 1));
	/* Spin rather than join: joining blocks and so releases tk_a. */
	ASSERT_EQ(kthread_create(try_thief, NULL, "try", &h), 0);
	KT_SPIN(atomic_load_int(&flag2) != 0);
	ASSERT_EQ(atomic_load_int(&flag2), 2);
	lwkt_reltoken(&tk_a);
	kthread_join(h);
	kt_shutdown();
}

/* Recursion, nesting shared under exclusive, and counts. */
TEST(token_recursion_and_nesting)
{
	kt_boot(1);
	lwkt_gettoken(&tk_a);
	lwkt_gettoken(&tk_a);
	lwkt_gettoken_shared(&tk_a);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 1);
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 1));
	ASSERT_TRUE(lwkt_trytoken(&tk_a));
	ASSERT_EQ(curthread->td_toks_stop, 4);
	lwkt_reltoken(&tk_a);
	lwkt_reltoken(&tk_a);
	lwkt_reltoken(&tk_a);
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 1));
	lwkt_reltoken(&tk_a);
	ASSERT_FALSE(lwkt_token_is_held(&tk_a, 0));
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 0);

	lwkt_gettoken_shared(&tk_a);
	lwkt_gettoken_shared(&tk_a);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 2);
	ASSERT_FALSE(lwkt_trytoken(&tk_a));	/* would be excl-after-shared */
	lwkt_reltoken(&tk_a);
	lwkt_reltoken(&tk_a);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 0);
	kt_shutdown();
}

/* Releasing across tokens out of acquisition order is allowed. */
TEST(token_release_out_of_order_across_tokens)
{
	kt_boot(1);
	lwkt_gettoken(&tk_a);
	lwkt_gettoken(&tk_b);
	lwkt_reltoken(&tk_a);
	ASSERT_EQ(lwkt_cnttoken(&tk_a), 0);
	ASSERT_TRUE(lwkt_token_is_held(&tk_b, 1));
	ASSERT_PTR_EQ(tk_b.t_ref, &curthread->td_toks_array[0]);
	lwkt_reltoken(&tk_b);
	ASSERT_EQ(curthread->td_toks_stop, 0);
	kt_shutdown();
}

static void
excl_after_shared(void *arg)
{
	kt_boot(1);
	lwkt_gettoken_shared(&tk_a);
	lwkt_gettoken(&tk_a);
}

static void
too_many_tokens(void *arg)
{
	static struct lwkt_token many[LWKT_MAXTOKENS + 1];
	int i;

	kt_boot(1);
	for (i = 0; i <= LWKT_MAXTOKENS; i++) {
		lwkt_token_init(&many[i], "many");
		lwkt_gettoken(&many[i]);
	}
}

static void
release_unheld(void *arg)
{
	kt_boot(1);
	lwkt_reltoken(&tk_a);
}

TEST(token_misuse_panics)
{
	ASSERT_DEBUG_PANICS(excl_after_shared, NULL, "exclusively while held shared");
	ASSERT_DEBUG_PANICS(too_many_tokens, NULL, "more than 32 tokens");
	ASSERT_DEBUG_PANICS(release_unheld, NULL, "released but not held");
}

static void
opposite_order(void *arg)
{
	int odd = *(int *)arg, i;
	struct lwkt_token *first = odd ? &tk_b : &tk_a;
	struct lwkt_token *second = odd ? &tk_a : &tk_b;

	for (i = 0; i < RACE_ITERS / 2; i++) {
		lwkt_gettoken(first);
		lwkt_gettoken(second);
		counter++;
		lwkt_reltoken(second);
		lwkt_reltoken(first);
	}
}

/*
 * Threads taking two tokens in opposite orders never deadlock (a mutex
 * pair would), and the tokens still exclude: the count is exact.
 */
TEST(token_opposite_orders_do_not_deadlock)
{
	int odd[4] = { 0, 1, 0, 1 };

	kt_boot(4);
	kt_run(opposite_order, odd, sizeof(int), 4);
	ASSERT_EQ(counter, 4L * (RACE_ITERS / 2));
	kt_shutdown();
}

static void
holder_of_b(void *arg)
{
	lwkt_gettoken(&tk_b);
	atomic_store_int(&flag1, 1);
	/* Wait until main blocks on tk_b; it must then have let go of tk_a. */
	KT_SPIN(atomic_load_long(&tk_b.t_collisions) > 0);
	KT_SPIN(lwkt_trytoken(&tk_a));
	atomic_store_int(&flag2, 1);
	lwkt_reltoken(&tk_a);
	lwkt_reltoken(&tk_b);
}

/*
 * Contending for a token releases the tokens already held, and all of
 * them are held again when the request is granted.
 */
TEST(token_contention_releases_and_reacquires_all)
{
	struct kthread_handle *h;
	int64_t collisions;

	kt_boot(2);
	lwkt_gettoken(&tk_a);
	ASSERT_EQ(kthread_create(holder_of_b, NULL, "holder", &h), 0);
	KT_SPIN(atomic_load_int(&flag1) == 1);
	lwkt_gettoken(&tk_b);
	ASSERT_EQ(atomic_load_int(&flag2), 1);
	ASSERT_TRUE(lwkt_token_is_held(&tk_a, 1));
	ASSERT_TRUE(lwkt_token_is_held(&tk_b, 1));
	ASSERT_EQ(sysctl_get("lwkt.token_collisions", &collisions), 0);
	ASSERT_GE(collisions, 1);
	lwkt_reltoken(&tk_b);
	lwkt_reltoken(&tk_a);
	kthread_join(h);
	kt_shutdown();
}

static int seq;				/* (a) order of grants */

static void
excl_requester(void *arg)
{
	lwkt_gettoken(&tk_a);
	atomic_store_int(&flag1, atomic_fetchadd_int(&seq, 1) + 1);
	lwkt_reltoken(&tk_a);
}

static void
plain_shared_requester(void *arg)
{
	lwkt_gettoken_shared(&tk_a);
	atomic_store_int(&flag2, atomic_fetchadd_int(&seq, 1) + 1);
	lwkt_reltoken(&tk_a);
}

static void
holding_shared_requester(void *arg)
{
	lwkt_gettoken(&tk_b);
	lwkt_gettoken_shared(&tk_a);
	atomic_store_int(&flag3, 1);
	lwkt_reltoken(&tk_a);
	lwkt_reltoken(&tk_b);
}

/*
 * A waiting exclusive request (TOK_EXCLREQ) holds back new shared
 * requests from threads holding no token, but not from threads that hold
 * other tokens; the exclusive requester is served first.
 */
TEST(token_exclreq_writer_preference)
{
	struct kthread_handle *e, *s2, *s3;

	kt_boot(3);
	lwkt_gettoken_shared(&tk_a);
	ASSERT_EQ(kthread_create(excl_requester, NULL, "excl", &e), 0);
	KT_SPIN(atomic_load_long(&tk_a.t_count) & TOK_EXCLREQ);
	ASSERT_EQ(kthread_create(plain_shared_requester, NULL, "s2", &s2), 0);
	KT_SPIN(atomic_load_long(&tk_a.t_collisions) >= 2);
	ASSERT_EQ(kthread_create(holding_shared_requester, NULL, "s3", &s3),
	    0);
	/* s3 is granted despite EXCLREQ (spin: a join would release tk_a). */
	KT_SPIN(atomic_load_int(&flag3) == 1);
	ASSERT_EQ(atomic_load_int(&flag2), 0);
	ASSERT_EQ(atomic_load_int(&flag1), 0);
	lwkt_reltoken(&tk_a);
	kthread_join(s3);
	kthread_join(e);
	kthread_join(s2);
	ASSERT_EQ(atomic_load_int(&flag1), 1);	/* exclusive went first */
	ASSERT_EQ(atomic_load_int(&flag2), 2);
	kt_shutdown();
}

/* Pool tokens: one address always maps to one token. */
TEST(token_pool)
{
	static int x, y;
	struct lwkt_token *t = lwkt_token_pool_lookup(&x);

	kt_boot(1);
	ASSERT_PTR_EQ(t, lwkt_token_pool_lookup(&x));
	ASSERT_NOT_NULL(lwkt_token_pool_lookup(&y));
	lwkt_getpooltoken(&x);
	ASSERT_TRUE(lwkt_token_is_held(t, 1));
	ASSERT_EQ(lwkt_cnttoken(t), 1);
	lwkt_relpooltoken(&x);
	ASSERT_EQ(lwkt_cnttoken(t), 0);
	kt_shutdown();
}

TEST_MAIN(
	TEST_ENTRY(token_exclusive_counter_race),
	TEST_ENTRY(token_exclusive_race_more_threads_than_cpus),
	TEST_ENTRY(token_shared_concurrent_holders),
	TEST_ENTRY(token_exclusive_excludes_shared),
	TEST_ENTRY(token_released_while_holder_sleeps),
	TEST_ENTRY(token_recursion_and_nesting),
	TEST_ENTRY(token_release_out_of_order_across_tokens),
	TEST_ENTRY(token_misuse_panics),
	TEST_ENTRY(token_opposite_orders_do_not_deadlock),
	TEST_ENTRY(token_contention_releases_and_reacquires_all),
	TEST_ENTRY(token_exclreq_writer_preference),
	TEST_ENTRY(token_pool),
)
