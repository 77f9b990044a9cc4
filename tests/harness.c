/*
 * harness.c - the test runner (see harness.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "kern/systm.h"

static int harness_nofork;
static int harness_pipe = -1;		/* child -> parent panic text */

void
harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  FAILED at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	_exit(1);
}

double
harness_stress_seconds(double dflt)
{
	const char *s = getenv("FLYVM_STRESS_SECONDS");

	return (s != NULL ? atof(s) : dflt);
}

static int
run_one(const struct test_case *t)
{
	pid_t pid;
	int status;

	if (harness_nofork) {
		t->fn();
		return (0);
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return (1);
	}
	if (pid == 0) {
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return (1);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (0);
	if (WIFSIGNALED(status))
		fprintf(stderr, "  killed by signal %d\n", WTERMSIG(status));
	return (1);
}

static void
child_panic_hook(const char *msg)
{
	if (harness_pipe >= 0) {
		ssize_t r = write(harness_pipe, msg, strlen(msg));
		(void)r;
	}
	_exit(99);
}

int
harness_expect_panic(void (*fn)(void *), void *arg, const char *sub)
{
	char buf[1024];
	int fds[2], status;
	ssize_t n, total = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return (0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		harness_pipe = fds[1];
		panic_set_hook(child_panic_hook);
		fn(arg);
		_exit(0);		/* did not panic */
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + total,
	    sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	buf[total] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 99) {
		fprintf(stderr, "  expected a panic containing \"%s\"; "
		    "none happened\n", sub);
		return (0);
	}
	if (strstr(buf, sub) == NULL) {
		fprintf(stderr, "  panic \"%s\" lacks \"%s\"\n", buf, sub);
		return (0);
	}
	return (1);
}

static int
selected(const char *name, int argc, char **argv, int first)
{
	int i;

	if (first >= argc)
		return (1);
	for (i = first; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return (1);
	return (0);
}

int
harness_run(int argc, char **argv, const struct test_case *tests, int ntests)
{
	int i, first = 1, passed = 0, failed = 0;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		harness_nofork = 1;
		first = 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ntests; i++) {
		if (!selected(tests[i].name, argc, argv, first))
			continue;
		if (run_one(&tests[i]) == 0) {
			printf("PASS %s\n", tests[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return (failed != 0);
}
