/*
 * kern_util.h - helpers shared by the kernel-environment tests.
 *
 *   kt_boot(n) / kt_shutdown()   kern_init(n) and enter as "main" / undo.
 *   KT_WAIT(cond)                poll cond every tick, giving up the CPU
 *                                (and tokens) between polls; fails the
 *                                test after ~10 s.
 *   KT_SPIN(cond)                busy-wait for cond keeping the CPU and
 *                                every lock held; fails after ~10 s.
 *   kt_run(fn, args, size, n)    run fn(args + i * size) in n threads and
 *                                join them all.
 *   ASSERT_DEBUG_PANICS(...)     ASSERT_PANICS for checks that exist only
 *                                in INVARIANTS builds (a no-op otherwise).
 */
#ifndef _TESTS_KERN_UTIL_H_
#define _TESTS_KERN_UTIL_H_

#include <sched.h>
#include <unistd.h>

#include "harness.h"
#include "kern/synch.h"
#include "kern/thread.h"

#define KT_MAXTHREADS	64
#define KT_WAIT_POLLS	1000

static inline void
kt_boot(int n)
{
	ASSERT_EQ(kern_init(n), 0);
	kthread_enter("main");
}

static inline void
kt_shutdown(void)
{
	kthread_leave();
	kern_fini();
}

/* kt_nap - one tick of sleep that releases the CPU (and tokens). */
static inline void
kt_nap(void)
{
	static int kt_nap_chan;

	if (kthread_entered())
		tsleep(&kt_nap_chan, 0, "kt_nap", 1);
	else
		usleep(10000);
}

#define KT_WAIT(cond) do {						\
	int _polls;							\
	for (_polls = 0; !(cond); _polls++) {				\
		if (_polls > KT_WAIT_POLLS)				\
			harness_fail(__FILE__, __LINE__,		\
			    "timed out waiting for %s", #cond);		\
		kt_nap();						\
	}								\
} while (0)

#define KT_SPIN(cond) do {						\
	uint64_t _t0 = nanouptime_ns();					\
	while (!(cond)) {						\
		if (nanouptime_ns() - _t0 > 10000000000ull)		\
			harness_fail(__FILE__, __LINE__,		\
			    "timed out spinning for %s", #cond);	\
		sched_yield();						\
	}								\
} while (0)

#ifdef INVARIANTS
#define ASSERT_DEBUG_PANICS(fn, arg, sub)	ASSERT_PANICS(fn, arg, sub)
#else
#define ASSERT_DEBUG_PANICS(fn, arg, sub)	((void)(fn), (void)(arg))
#endif

static inline void
kt_run(kthread_func_t fn, void *args, size_t size, int n)
{
	struct kthread_handle *h[KT_MAXTHREADS];
	int i;

	ASSERT_LE(n, KT_MAXTHREADS);
	for (i = 0; i < n; i++)
		ASSERT_EQ(kthread_create(fn, (char *)args + (size_t)i * size,
		    "kt_run", &h[i]), 0);
	for (i = 0; i < n; i++)
		kthread_join(h[i]);
}

#endif /* !_TESTS_KERN_UTIL_H_ */
