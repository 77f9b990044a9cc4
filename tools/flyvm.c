/*
 * flyvm - the command-line tool around libflyvm.
 *
 *   flyvm boot   [-m SIZE] [-c NCPUS] [-o NAME=VALUE]...
 *   flyvm sysctl [-m SIZE] [-c NCPUS] [-o NAME=VALUE]... [-d] [-a | NAME[=VALUE]...]
 *   flyvm run    [-m SIZE] [-c NCPUS] [-o NAME=VALUE]... SCRIPT
 *   flyvm help
 *
 * It uses the public API only (include/flyvm/flyvm.h).  Every mistake is
 * reported with a message naming the problem; exit status 2 for usage
 * errors, 1 when the system refuses something.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "flyvm_run.h"

static const char usage_text[] =
"usage: flyvm COMMAND [OPTIONS]\n"
"\n"
"flyvm runs DragonFly BSD's virtual memory system in user space.\n"
"\n"
"Commands:\n"
"  boot      boot a system, print its boot messages, audit it, shut down\n"
"  sysctl    boot a system and read or set tunables and statistics:\n"
"              flyvm sysctl -a              every sysctl and its value\n"
"              flyvm sysctl vm.max_launder  one value\n"
"              flyvm sysctl NAME=VALUE      set, then print the new value\n"
"              -d                           also print descriptions/ranges\n"
"  run       boot a system and run a script of process calls, printing\n"
"            each result, maps and counters (see below); '-' reads stdin\n"
"  help      this text\n"
"\n"
"Options for every command:\n"
"  -m SIZE         physical memory (default 256M; 8M to 64G, e.g. 512M, 2G)\n"
"  -c NCPUS        simulated CPUs (default 2; 1 to 64)\n"
"  -o NAME=VALUE   set a tunable at boot (e.g. -o vm.max_launder=64)\n"
"  -q              do not print boot messages\n"
"\n"
"Script commands for 'flyvm run' (one per line, # comments; @ is the last\n"
"address mmap returned, @+N past it):\n"
"  spawn P [UID]   fork P C   exit P\n"
"  mmap P ADDR LEN PROT FLAGS     PROT: rwx letters or none; FLAGS: anon,\n"
"                                 private, shared, fixed, tryfixed, ...\n"
"  munmap|mlock|munlock P ADDR LEN    mprotect P ADDR LEN PROT\n"
"  minherit P ADDR LEN share|copy|none    madvise P ADDR LEN BEHAVIOUR\n"
"  mlockall P current,future   munlockall P   brk P ADDR   sbrk P INCR\n"
"  store P ADDR SIZE VALUE   load P ADDR SIZE   mincore P ADDR LEN\n"
"  setrlimit P data|stack|rss|memlock|as CUR MAX\n"
"  map P (like procstat -v)   info P   object ID   vmstat\n";

struct cli {
	struct flyvm_config cfg;
	int	quiet;
	int	describe;
	int	all;
};

static void
console_print(const char *line, void *arg)
{
	(void)arg;
	fputs(line, stdout);
}

static void
usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "flyvm: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nRun 'flyvm help' for usage.\n");
	exit(2);
}

/*
 * parse_assign - split "NAME=VALUE" into name and a 64-bit integer.
 * Returns 0 or EINVAL.
 */
static int
parse_assign(const char *arg, char *name, size_t namelen, int64_t *valp)
{
	const char *eq = strchr(arg, '=');
	char *end;
	long long v;

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= namelen)
		return (EINVAL);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = 0;
	errno = 0;
	v = strtoll(eq + 1, &end, 0);
	if (errno != 0 || end == eq + 1 || *end != 0)
		return (EINVAL);
	*valp = v;
	return (0);
}

static void
parse_options(int argc, char **argv, struct cli *cli)
{
	char name[FLYVM_NAME_MAX];
	int64_t val;
	int ch;

	while ((ch = getopt(argc, argv, "m:c:o:qda")) != -1) {
		switch (ch) {
		case 'm':
			if (flyvm_parse_size(optarg, &cli->cfg.mem_bytes) != 0)
				usage_error("bad memory size \"%s\" (use bytes "
				    "or a K/M/G suffix, e.g. 256M)", optarg);
			break;
		case 'c': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*optarg == 0 || *end != 0 || n < 1 ||
			    n > FLYVM_NCPUS_MAX)
				usage_error("bad CPU count \"%s\" (accepted 1 "
				    "to 64)", optarg);
			cli->cfg.ncpus = (int)n;
			break;
		}
		case 'o':
			if (parse_assign(optarg, name, sizeof(name), &val) != 0)
				usage_error("bad tunable \"%s\" (expected "
				    "NAME=INTEGER)", optarg);
			if (flyvm_config_set(&cli->cfg, name, val) != 0)
				usage_error("cannot record tunable \"%s\"",
				    optarg);
			break;
		case 'q':
			cli->quiet = 1;
			break;
		case 'd':
			cli->describe = 1;
			break;
		case 'a':
			cli->all = 1;
			break;
		default:
			fprintf(stderr, "Run 'flyvm help' for usage.\n");
			exit(2);
		}
	}
}

static struct flyvm *
boot_or_die(struct cli *cli)
{
	struct flyvm *vm;
	char err[512];
	int error;

	if (!cli->quiet)
		cli->cfg.console = console_print;
	error = flyvm_boot(&cli->cfg, &vm, err, sizeof(err));
	if (error != 0) {
		fprintf(stderr, "flyvm: boot failed: %s\n", err);
		exit(1);
	}
	return (vm);
}

static int
cmd_boot(struct cli *cli)
{
	struct flyvm *vm = boot_or_die(cli);
	int error;

	error = flyvm_audit(vm);
	printf("audit: %s\n", error == 0 ? "consistent" : "PROBLEMS FOUND");
	flyvm_shutdown(vm);
	return (error == 0 ? 0 : 1);
}

static int
cmd_run(struct cli *cli, const char *file)
{
	struct flyvm *vm;
	int error, rc;

	cli->quiet = 1;		/* the script's output is the point */
	vm = boot_or_die(cli);
	rc = flyvm_run_script(vm, file);
	if (rc == 0) {
		error = flyvm_audit(vm);
		printf("audit: %s\n", error == 0 ? "consistent" :
		    "PROBLEMS FOUND");
		rc = error == 0 ? 0 : 1;
	}
	flyvm_shutdown(vm);
	return (rc);
}

struct list_arg {
	struct flyvm	*vm;
	int		describe;
};

static void
print_one(const char *name, int64_t value, void *arg)
{
	struct list_arg *la = arg;
	char buf[512];

	printf("%s: %lld\n", name, (long long)value);
	if (la->describe &&
	    flyvm_sysctl_describe(la->vm, name, buf, sizeof(buf)) == 0)
		printf("    %s\n", buf);
}

/*
 * sysctl_one - print NAME, or set NAME=VALUE and print the result.
 * Returns 0 or 1 after printing a message naming the problem.
 */
static int
sysctl_one(struct flyvm *vm, const char *arg, int describe)
{
	struct list_arg la = { vm, describe };
	char name[FLYVM_NAME_MAX], buf[512];
	int64_t val;
	int error;

	if (strchr(arg, '=') != NULL) {
		if (parse_assign(arg, name, sizeof(name), &val) != 0) {
			fprintf(stderr, "flyvm: bad assignment \"%s\" "
			    "(expected NAME=INTEGER)\n", arg);
			return (1);
		}
		error = flyvm_sysctl_set(vm, name, val);
		if (error == EINVAL &&
		    flyvm_sysctl_describe(vm, name, buf, sizeof(buf)) == 0) {
			fprintf(stderr, "flyvm: %s=%lld is out of range: %s\n",
			    name, (long long)val, buf);
			return (1);
		}
	} else {
		snprintf(name, sizeof(name), "%s", arg);
		error = 0;
	}
	if (error == 0)
		error = flyvm_sysctl_get(vm, name, &val);
	if (error == ENOENT) {
		fprintf(stderr, "flyvm: unknown sysctl \"%s\" (flyvm sysctl "
		    "-a lists them)\n", name);
		return (1);
	}
	if (error == EPERM) {
		fprintf(stderr, "flyvm: sysctl %s is read-only\n", name);
		return (1);
	}
	if (error != 0) {
		fprintf(stderr, "flyvm: sysctl %s: %s\n", name,
		    strerror(error));
		return (1);
	}
	print_one(name, val, &la);
	return (0);
}

static int
cmd_sysctl(struct cli *cli, int argc, char **argv)
{
	struct list_arg la;
	struct flyvm *vm;
	int i, rc = 0;

	if (!cli->all && argc == 0)
		usage_error("%s", "sysctl needs -a or at least one NAME");
	cli->quiet = 1;
	vm = boot_or_die(cli);
	la.vm = vm;
	la.describe = cli->describe;
	if (cli->all)
		flyvm_sysctl_list(vm, "", print_one, &la);
	for (i = 0; i < argc; i++)
		rc |= sysctl_one(vm, argv[i], cli->describe);
	flyvm_shutdown(vm);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const char *cmd;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return (2);
	}
	cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return (0);
	}
	memset(&cli, 0, sizeof(cli));
	flyvm_config_init(&cli.cfg);
	optind = 2;
	parse_options(argc, argv, &cli);
	if (strcmp(cmd, "boot") == 0) {
		if (optind != argc)
			usage_error("unexpected argument \"%s\"", argv[optind]);
		return (cmd_boot(&cli));
	}
	if (strcmp(cmd, "sysctl") == 0)
		return (cmd_sysctl(&cli, argc - optind, argv + optind));
	if (strcmp(cmd, "run") == 0) {
		if (optind != argc - 1)
			usage_error("%s", "run needs one script file (or -)");
		return (cmd_run(&cli, argv[optind]));
	}
	usage_error("unknown command \"%s\"", cmd);
	return (2);
}
