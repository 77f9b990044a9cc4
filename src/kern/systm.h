/*
 * systm.h - the base of flyvm's kernel environment.
 *
 * Everything the VM layers expect from "the kernel" that is not a lock or a
 * sleep: basic integer types, KASSERT/panic, kprintf, atomics, cache-line
 * alignment and the tick clock.  VM code includes this (or a header that
 * includes it) and never <pthread.h>.
 *
 * Assertion tiers (STYLE.md, "The code checks itself"):
 *   KASSERT(cond, (fmt, ...))  cheap, on whenever INVARIANTS is defined
 *                              (every debug, asan and tsan build).
 *   KKASSERT(cond)             the same without a message.
 *   KDASSERT(cond)             expensive checks, on only with DIAGNOSTIC
 *                              (test builds).
 * A failed assertion panics with the file and line.
 */
#ifndef _KERN_SYSTM_H_
#define _KERN_SYSTM_H_

#include <sys/types.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

typedef int boolean_t;
#ifndef TRUE
#define TRUE	1
#define FALSE	0
#endif

/* Extra errno values DragonFly uses that glibc spells differently. */
#ifndef ERESTART
#define ERESTART	(-1)
#endif
#ifndef EJUSTRETURN
#define EJUSTRETURN	(-2)
#endif

#define __cachealign	__attribute__((aligned(64)))
#define __unused	__attribute__((unused))
#define __packed	__attribute__((packed))
#define __predict_true(x)	__builtin_expect(!!(x), 1)
#define __predict_false(x)	__builtin_expect(!!(x), 0)
#define __printflike(a, b)	__attribute__((format(printf, a, b)))
#define __dead2		__attribute__((noreturn))
#define __exported	__attribute__((visibility("default")))

#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#endif
#define nitems(x)	(sizeof(x) / sizeof((x)[0]))
#define roundup2(x, y)	(((x) + ((y) - 1)) & ~((__typeof__(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y) - 1))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

/*
 * panic - print the message with file:line and abort the process.
 * A test that expects a panic can install a hook (panic_set_hook) which
 * runs before abort(), e.g. to longjmp out.
 */
void	_panic(const char *file, int line, const char *fmt, ...)
	    __printflike(3, 4) __dead2;
#define panic(...)	_panic(__FILE__, __LINE__, __VA_ARGS__)
typedef void (*panic_hook_t)(const char *msg);
void	panic_set_hook(panic_hook_t hook);

/* kprintf goes to stderr unless redirected with kprintf_set_sink(). */
int	kprintf(const char *fmt, ...) __printflike(1, 2);
int	kvprintf(const char *fmt, va_list ap);
typedef void (*kprintf_sink_t)(const char *line, void *arg);
void	kprintf_set_sink(kprintf_sink_t sink, void *arg);

/*
 * A failed KASSERT records where it failed (kassert_at), then formats its
 * parenthesised message: KASSERT(x > 0, ("x is %d", x)) panics with
 * "file:line: assertion "x > 0" failed: x is 0".
 */
void	kassert_at(const char *file, int line, const char *exp);
void	kassert_panic(const char *fmt, ...) __printflike(1, 2) __dead2;

#ifdef INVARIANTS
#define KASSERT(exp, msg)	do {					\
	if (__predict_false(!(exp))) {					\
		kassert_at(__FILE__, __LINE__, #exp);			\
		kassert_panic msg;					\
	}								\
} while (0)
#define KASSERT_MSG(exp, ...)	do {					\
	if (__predict_false(!(exp)))					\
		_panic(__FILE__, __LINE__, __VA_ARGS__);		\
} while (0)
#define KKASSERT(exp)		KASSERT(exp, ("%s", #exp))
#else
#define KASSERT(exp, msg)	((void)0)
#define KASSERT_MSG(exp, ...)	((void)0)
#define KKASSERT(exp)		((void)0)
#endif

#ifdef DIAGNOSTIC
#define KDASSERT(exp)		KKASSERT(exp)
#else
#define KDASSERT(exp)		((void)0)
#endif

/*
 * Atomics.  Thin, DragonFly-named wrappers over the GCC builtins so that
 * TSan sees every racy access as atomic.  Plain loads/stores of shared
 * fields that are read without a lock must use atomic_load_*()/atomic_store_*().
 */
#define atomic_load_int(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_long(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_ptr(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_store_int(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_long(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_ptr(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_add_int(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_subtract_int(p, v) ((void)__atomic_sub_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_add_long(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_subtract_long(p, v) ((void)__atomic_sub_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_fetchadd_int(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#define atomic_fetchadd_long(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#define atomic_set_int(p, v)	((void)__atomic_or_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_clear_int(p, v)	((void)__atomic_and_fetch((p), ~(v), __ATOMIC_ACQ_REL))
#define atomic_set_long(p, v)	((void)__atomic_or_fetch((p), (v), __ATOMIC_ACQ_REL))
#define atomic_clear_long(p, v)	((void)__atomic_and_fetch((p), ~(v), __ATOMIC_ACQ_REL))
#define atomic_swap_int(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)
#define atomic_swap_long(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)
#define atomic_swap_ptr(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)

/* Compare-and-set: returns true on success (DragonFly's atomic_cmpset_*). */
#define atomic_cmpset_int(p, old, new)	__extension__ ({		\
	__typeof__(__atomic_load_n((p), __ATOMIC_RELAXED)) __o = (old);	\
	__atomic_compare_exchange_n((p), &__o, (new), 0,		\
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE); })
#define atomic_cmpset_long(p, old, new)	atomic_cmpset_int(p, old, new)
#define atomic_cmpset_ptr(p, old, new)	atomic_cmpset_int(p, old, new)
/* fcmpset: on failure *oldp is updated with the current value. */
#define atomic_fcmpset_int(p, oldp, new)				\
	__atomic_compare_exchange_n((p), (oldp), (new), 0,		\
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
#define atomic_fcmpset_long(p, oldp, new) atomic_fcmpset_int(p, oldp, new)

#define cpu_ccfence()	__asm__ __volatile__("" ::: "memory")
#define cpu_mfence()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define cpu_pause()	__builtin_ia32_pause()

/*
 * The tick clock.  hz ticks per second (DragonFly's default, 100), counted
 * from boot on the host's monotonic clock.  `ticks' reads the clock, so it
 * advances even when no thread is running in flyvm.
 */
extern int hz;
int	ticks_read(void);
#define ticks	ticks_read()
uint64_t nanouptime_ns(void);

#endif /* !_KERN_SYSTM_H_ */
