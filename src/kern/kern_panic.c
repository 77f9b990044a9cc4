/*
 * kern_panic.c - panic, KASSERT, kprintf and the tick clock.
 *
 * Design note.
 *   1. panic() formats "file:line: message", hands it to the hook a test
 *      installed (which normally exits the forked child), otherwise prints
 *      "panic: ..." on stderr, and aborts.  A panic inside a panic (the hook
 *      or the printing failed an assertion) aborts at once.
 *   2. KASSERT records the failing file, line and expression in
 *      thread-local storage (kassert_at) before formatting its own message
 *      (kassert_panic): this lets the message keep the kernel's
 *      parenthesised-varargs form.
 *   3. kprintf writes whole lines: one formatted call goes to the sink (or
 *      stderr) in one piece, so lines of different threads never interleave
 *      mid-line.
 *   4. `ticks' is derived from CLOCK_MONOTONIC since kern_init(), at hz
 *      ticks per second.  No thread has to run for time to pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kern/kern_priv.h"

int hz = 100;

static panic_hook_t panic_hook;			/* (a) */
static kprintf_sink_t kprintf_sink;		/* (a) with kprintf_sink_arg */
static void *kprintf_sink_arg;
static uint64_t kern_boot_ns;			/* (a) */
static __thread int panicking;
static __thread const char *kassert_file;
static __thread const char *kassert_exp;
static __thread int kassert_line;

#define PANIC_BUFSZ	1024
#define KPRINTF_BUFSZ	1024

/*
 * panic_set_hook - install the function panic() calls before aborting
 * (NULL restores the default).  No requirements.
 */
void
panic_set_hook(panic_hook_t hook)
{
	atomic_store_ptr(&panic_hook, hook);
}

/*
 * panic_finish - deliver a formatted panic message and abort.  Never
 * returns.
 */
static __dead2 void
panic_finish(const char *msg)
{
	panic_hook_t hook;

	if (panicking++ == 0) {
		hook = atomic_load_ptr(&panic_hook);
		if (hook != NULL)
			hook(msg);
		fprintf(stderr, "panic: %s\n", msg);
		fflush(stderr);
	}
	abort();
}

/*
 * _panic - the panic() macro's body: "file:line: fmt...".  Never returns.
 * No requirements: callable from any thread, holding anything.
 */
void
_panic(const char *file, int line, const char *fmt, ...)
{
	char buf[PANIC_BUFSZ];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	panic_finish(buf);
}

/*
 * kassert_at - remember where the KASSERT that is about to panic failed.
 * No requirements.
 */
void
kassert_at(const char *file, int line, const char *exp)
{
	kassert_file = file;
	kassert_line = line;
	kassert_exp = exp;
}

/*
 * kassert_panic - panic with the KASSERT's location, expression and
 * message.  Never returns.
 */
void
kassert_panic(const char *fmt, ...)
{
	char buf[PANIC_BUFSZ];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s:%d: assertion \"%s\" failed: ",
	    kassert_file, kassert_line, kassert_exp);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	panic_finish(buf);
}

/*
 * kprintf_set_sink - send kprintf output to sink(line, arg) instead of
 * stderr (NULL restores stderr).  Call while no thread prints.
 */
void
kprintf_set_sink(kprintf_sink_t sink, void *arg)
{
	kprintf_sink_arg = arg;
	atomic_store_ptr(&kprintf_sink, sink);
}

/*
 * kvprintf - format and emit one message.  Returns the number of
 * characters formatted (as vsnprintf).  Never blocks on flyvm locks.
 */
int
kvprintf(const char *fmt, va_list ap)
{
	char buf[KPRINTF_BUFSZ];
	kprintf_sink_t sink;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	sink = atomic_load_ptr(&kprintf_sink);
	if (sink != NULL)
		sink(buf, kprintf_sink_arg);
	else
		fputs(buf, stderr);
	return (n);
}

/* kprintf - printf to the kernel console.  See kvprintf. */
int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return (n);
}

/* monotonic_ns - the host's CLOCK_MONOTONIC in nanoseconds. */
static uint64_t
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

/* kern_clock_boot - start the uptime clock (kern_init). */
void
kern_clock_boot(void)
{
	atomic_store_relaxed(&kern_boot_ns, monotonic_ns());
}

/* nanouptime_ns - nanoseconds since kern_init().  No requirements. */
uint64_t
nanouptime_ns(void)
{
	return (monotonic_ns() - atomic_load_relaxed(&kern_boot_ns));
}

/* ticks_read - hz ticks since kern_init().  No requirements. */
int
ticks_read(void)
{
	return ((int)(nanouptime_ns() / (1000000000ull / (uint64_t)hz)));
}

/* kern_cond_init - a condition variable whose timed waits use uptime. */
void
kern_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &attr);
	pthread_condattr_destroy(&attr);
}

/* kern_deadline - the CLOCK_MONOTONIC time `timo' ticks from now. */
void
kern_deadline(struct timespec *ts, int timo)
{
	uint64_t when;

	when = monotonic_ns() + (uint64_t)timo * (1000000000ull / (uint64_t)hz);
	ts->tv_sec = (time_t)(when / 1000000000ull);
	ts->tv_nsec = (long)(when % 1000000000ull);
}
