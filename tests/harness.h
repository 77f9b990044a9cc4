/*
 * harness.h - the test harness: a few macros and a runner.
 *
 * A test file defines its tests with TEST(name) and lists them in a
 * TEST_LIST.  The runner runs each test in a forked child, so a panic or a
 * crash in one test is reported as that test's failure and the others still
 * run.  Output: one line per test, then "N passed, N failed".
 *
 *   ./test_x            run all tests
 *   ./test_x NAME...    run the tests whose names contain NAME
 *   ./test_x -n ...     do not fork (for gdb)
 *
 * An ASSERT_* failure prints file:line and the values, and fails the test.
 */
#ifndef _TESTS_HARNESS_H_
#define _TESTS_HARNESS_H_

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char	*name;
	void		(*fn)(void);
};

#define TEST(name)	static void name(void)
#define TEST_ENTRY(name)	{ #name, name }
#define TEST_MAIN(...)							\
	static const struct test_case harness_tests[] = { __VA_ARGS__ };	\
	int main(int argc, char **argv)					\
	{								\
		return (harness_run(argc, argv, harness_tests,		\
		    (int)(sizeof(harness_tests) / sizeof(harness_tests[0])))); \
	}

int	harness_run(int argc, char **argv, const struct test_case *tests,
	    int ntests);
void	harness_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4), noreturn));
/* Seconds a stress test should run: FLYVM_STRESS_SECONDS or the default. */
double	harness_stress_seconds(double dflt);

#define ASSERT_TRUE(c) do {						\
	if (!(c))							\
		harness_fail(__FILE__, __LINE__, "ASSERT_TRUE(%s)", #c); \
} while (0)
#define ASSERT_FALSE(c) do {						\
	if ((c))							\
		harness_fail(__FILE__, __LINE__, "ASSERT_FALSE(%s)", #c); \
} while (0)
#define ASSERT_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		harness_fail(__FILE__, __LINE__,			\
		    "ASSERT_EQ(%s, %s): %lld != %lld", #a, #b, _a, _b);	\
} while (0)
#define ASSERT_NE(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a == _b)							\
		harness_fail(__FILE__, __LINE__,			\
		    "ASSERT_NE(%s, %s): both %lld", #a, #b, _a);	\
} while (0)
#define ASSERT_GE(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a < _b)							\
		harness_fail(__FILE__, __LINE__,			\
		    "ASSERT_GE(%s, %s): %lld < %lld", #a, #b, _a, _b);	\
} while (0)
#define ASSERT_LE(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a > _b)							\
		harness_fail(__FILE__, __LINE__,			\
		    "ASSERT_LE(%s, %s): %lld > %lld", #a, #b, _a, _b);	\
} while (0)
#define ASSERT_PTR_EQ(a, b) do {					\
	const void *_a = (a), *_b = (b);				\
	if (_a != _b)							\
		harness_fail(__FILE__, __LINE__,			\
		    "ASSERT_PTR_EQ(%s, %s): %p != %p", #a, #b, _a, _b);	\
} while (0)
#define ASSERT_NULL(a)		ASSERT_PTR_EQ(a, NULL)
#define ASSERT_NOT_NULL(a) do {						\
	if ((a) == NULL)						\
		harness_fail(__FILE__, __LINE__, "%s is NULL", #a);	\
} while (0)
#define ASSERT_STR_CONTAINS(s, sub) do {				\
	const char *_s = (s);						\
	if (_s == NULL || strstr(_s, (sub)) == NULL)			\
		harness_fail(__FILE__, __LINE__,			\
		    "\"%s\" does not contain \"%s\"", _s ? _s : "(null)", \
		    (sub));						\
} while (0)

/*
 * ASSERT_PANICS(stmt, substring): run stmt in a forked child and require
 * that it panics with a message containing substring.
 */
int	harness_expect_panic(void (*fn)(void *), void *arg, const char *sub);
#define ASSERT_PANICS(fn, arg, sub)					\
	ASSERT_TRUE(harness_expect_panic((fn), (arg), (sub)))

#endif /* !_TESTS_HARNESS_H_ */
