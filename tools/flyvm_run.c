/*
 * flyvm_run.c - `flyvm run': drive simulated processes from a script and
 * print what the system does, for people who want to watch the VM work.
 *
 * One command per line; `#' starts a comment.  Processes are named by
 * the script (any word); numbers are decimal or 0x hex; an address may be
 * `@' (the address the last mmap returned) or `@+N'.
 *
 *   spawn P [UID]              fork P C                exit P
 *   mmap P ADDR LEN PROT FLAGS [FD [POS]]
 *        PROT: none or letters r, w, x     FLAGS: comma-separated
 *        anon, private, shared, fixed, tryfixed, stack, inherit, nosync,
 *        nocore, sizealign
 *   munmap P ADDR LEN          mprotect P ADDR LEN PROT
 *   minherit P ADDR LEN share|copy|none
 *   madvise P ADDR LEN BEHAV   (normal random sequential willneed
 *                               dontneed free nosync autosync nocore
 *                               core inval)
 *   mlock P ADDR LEN           munlock P ADDR LEN
 *   mlockall P current,future  munlockall P
 *   brk P ADDR                 sbrk P INCR
 *   store P ADDR SIZE VALUE    load P ADDR SIZE
 *   mincore P ADDR LEN
 *   setrlimit P RESOURCE CUR MAX   (data stack rss memlock as)
 *   map P          the map, like procstat -v
 *   info P         the process's counters
 *   object ID      an object's pages and who maps it
 *   vmstat         system page counts
 *
 * Every call prints its result: the value, or the errno's name, or the
 * signal a faulting access would have delivered.  A line that cannot be
 * parsed stops the run with a message naming the line (exit status 2);
 * a call the system refuses is printed and the run goes on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "flyvm_run.h"

#define RUN_MAXPROCS	64
#define RUN_MAXARGS	8
#define RUN_NAMELEN	32

struct run_proc {
	char		name[RUN_NAMELEN];
	flyvm_pid_t	pid;
};

struct run {
	struct flyvm	*vm;
	const char	*file;
	int		line;
	uint64_t	last;		/* address the last mmap returned */
	struct run_proc	procs[RUN_MAXPROCS];
	int		nprocs;
};

struct run_word {
	const char	*name;
	int		value;
};

static const struct run_word run_flags[] = {
	{ "anon", FLYVM_MAP_ANON }, { "private", FLYVM_MAP_PRIVATE },
	{ "shared", FLYVM_MAP_SHARED }, { "fixed", FLYVM_MAP_FIXED },
	{ "tryfixed", FLYVM_MAP_TRYFIXED }, { "stack", FLYVM_MAP_STACK },
	{ "inherit", FLYVM_MAP_INHERIT }, { "nosync", FLYVM_MAP_NOSYNC },
	{ "nocore", FLYVM_MAP_NOCORE }, { "sizealign", FLYVM_MAP_SIZEALIGN },
	{ NULL, 0 }
};

static const struct run_word run_inherit[] = {
	{ "share", FLYVM_INHERIT_SHARE }, { "copy", FLYVM_INHERIT_COPY },
	{ "none", FLYVM_INHERIT_NONE }, { NULL, 0 }
};

static const struct run_word run_behav[] = {
	{ "normal", FLYVM_MADV_NORMAL }, { "random", FLYVM_MADV_RANDOM },
	{ "sequential", FLYVM_MADV_SEQUENTIAL },
	{ "willneed", FLYVM_MADV_WILLNEED },
	{ "dontneed", FLYVM_MADV_DONTNEED }, { "free", FLYVM_MADV_FREE },
	{ "nosync", FLYVM_MADV_NOSYNC }, { "autosync", FLYVM_MADV_AUTOSYNC },
	{ "nocore", FLYVM_MADV_NOCORE }, { "core", FLYVM_MADV_CORE },
	{ "inval", FLYVM_MADV_INVAL }, { NULL, 0 }
};

static const struct run_word run_mcl[] = {
	{ "current", FLYVM_MCL_CURRENT }, { "future", FLYVM_MCL_FUTURE },
	{ NULL, 0 }
};

static const struct run_word run_rlimits[] = {
	{ "data", FLYVM_RLIMIT_DATA }, { "stack", FLYVM_RLIMIT_STACK },
	{ "rss", FLYVM_RLIMIT_RSS }, { "memlock", FLYVM_RLIMIT_MEMLOCK },
	{ "as", FLYVM_RLIMIT_AS }, { NULL, 0 }
};

static void
run_die(struct run *r, const char *fmt, const char *what)
{
	fprintf(stderr, "flyvm: %s:%d: ", r->file, r->line);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	exit(2);
}

static const char *
run_errname(int error)
{
	switch (error) {
	case 0:		return ("ok");
	case EINVAL:	return ("EINVAL");
	case ENOMEM:	return ("ENOMEM");
	case EACCES:	return ("EACCES");
	case EPERM:	return ("EPERM");
	case EAGAIN:	return ("EAGAIN");
	case EBADF:	return ("EBADF");
	case EFAULT:	return ("EFAULT");
	case ESRCH:	return ("ESRCH");
	case ENOSYS:	return ("ENOSYS");
	case EOPNOTSUPP: return ("EOPNOTSUPP");
	default:	return (strerror(error));
	}
}

static uint64_t
run_number(struct run *r, const char *s)
{
	unsigned long long v;
	uint64_t base = 0;
	char *end;

	if (s[0] == '@') {
		base = r->last;
		if (s[1] == 0)
			return (base);
		if (s[1] != '+')
			run_die(r, "bad address \"%s\" (use @ or @+N)", s);
		s += 2;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != 0 || s[0] == '-')
		run_die(r, "bad number \"%s\"", s);
	return (base + (uint64_t)v);
}

/* A comma-separated list of words from table, or'ed together. */
static int
run_words(struct run *r, const char *s, const struct run_word *table,
    const char *what)
{
	char buf[128], *tok, *save;
	int v = 0, i;

	if (strlen(s) >= sizeof(buf))
		run_die(r, "%s too long", what);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; table[i].name != NULL; i++)
			if (strcmp(tok, table[i].name) == 0)
				break;
		if (table[i].name == NULL)
			run_die(r, "unknown word \"%s\"", tok);
		v |= table[i].value;
	}
	return (v);
}

static int
run_prot(struct run *r, const char *word)
{
	const char *s;
	int prot = 0;

	if (strcmp(word, "none") == 0)
		return (FLYVM_PROT_NONE);
	for (s = word; *s != 0; s++) {
		if (*s == 'r')
			prot |= FLYVM_PROT_READ;
		else if (*s == 'w')
			prot |= FLYVM_PROT_WRITE;
		else if (*s == 'x')
			prot |= FLYVM_PROT_EXEC;
		else if (*s != '-')
			run_die(r, "bad protection \"%s\" (letters r, w, x "
			    "or none)", word);
	}
	return (prot);
}

static struct run_proc *
run_proc(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->nprocs; i++)
		if (strcmp(r->procs[i].name, name) == 0)
			return (&r->procs[i]);
	run_die(r, "no process named \"%s\"", name);
	return (NULL);
}

static void
run_new_proc(struct run *r, const char *name, flyvm_pid_t pid)
{
	struct run_proc *p;
	int i;

	if (strlen(name) >= RUN_NAMELEN)
		run_die(r, "process name \"%s\" too long", name);
	for (i = 0; i < r->nprocs; i++)
		if (strcmp(r->procs[i].name, name) == 0)
			break;
	if (i == r->nprocs) {
		if (r->nprocs == RUN_MAXPROCS)
			run_die(r, "too many process names (%s)", name);
		r->nprocs++;
	}
	p = &r->procs[i];
	strcpy(p->name, name);
	p->pid = pid;
}

static void
run_result(struct run *r, const char *what, int error)
{
	(void)r;
	printf("%-40s %s\n", what, run_errname(error));
}

static void
run_fault(const char *what, int error, const struct flyvm_siginfo *si)
{
	if (error == EFAULT && si->signo != 0)
		printf("%-40s %s (%s) at 0x%llx\n", what,
		    si->signo == FLYVM_SIGSEGV ? "SIGSEGV" : "SIGBUS",
		    si->signo == FLYVM_SIGSEGV ?
		    (si->code == FLYVM_SEGV_MAPERR ? "SEGV_MAPERR" :
		    "SEGV_ACCERR") : (si->code == FLYVM_BUS_ADRALN ?
		    "BUS_ADRALN" : si->code == FLYVM_BUS_ADRERR ?
		    "BUS_ADRERR" : "BUS_OBJERR"),
		    (unsigned long long)si->addr);
	else
		printf("%-40s %s\n", what, run_errname(error));
}

static const char *
run_objtype(int type)
{
	static const char *names[] = { "default", "swap", "vnode", "device",
	    "mgtdevice", "phys", "dead" };

	if (type < 0 || type >= (int)(sizeof(names) / sizeof(names[0])))
		return ("-");
	return (names[type]);
}

static void
run_print_map(struct run *r, struct run_proc *p)
{
	struct flyvm_map_entry_info *e;
	size_t n = 0, i;
	int error;

	error = flyvm_proc_map(r->vm, p->pid, NULL, 0, &n);
	if (error != 0) {
		run_result(r, "map", error);
		return;
	}
	e = calloc(n + 1, sizeof(*e));
	if (e == NULL || flyvm_proc_map(r->vm, p->pid, e, n, &n) != 0) {
		free(e);
		run_result(r, "map", ENOMEM);
		return;
	}
	printf("map of %s (pid %d): %zu entries\n", p->name, p->pid, n);
	printf("  %18s %18s %3s %3s %-5s %5s %-8s %6s %8s %5s %s\n", "START",
	    "END", "PRT", "MAX", "INH", "WIRED", "TYPE", "OBJ", "RES",
	    "DEPTH", "FLAGS");
	for (i = 0; i < n; i++)
		printf("  %#18llx %#18llx %c%c%c %c%c%c %-5s %5d %-8s %6llu "
		    "%8llu %5d %s%s%s%s%s\n",
		    (unsigned long long)e[i].start,
		    (unsigned long long)e[i].end,
		    e[i].prot & FLYVM_PROT_READ ? 'r' : '-',
		    e[i].prot & FLYVM_PROT_WRITE ? 'w' : '-',
		    e[i].prot & FLYVM_PROT_EXEC ? 'x' : '-',
		    e[i].max_prot & FLYVM_PROT_READ ? 'r' : '-',
		    e[i].max_prot & FLYVM_PROT_WRITE ? 'w' : '-',
		    e[i].max_prot & FLYVM_PROT_EXEC ? 'x' : '-',
		    e[i].inheritance == FLYVM_INHERIT_SHARE ? "share" :
		    e[i].inheritance == FLYVM_INHERIT_COPY ? "copy" : "none",
		    e[i].wired_count, run_objtype(e[i].obj_type),
		    (unsigned long long)e[i].obj_id,
		    (unsigned long long)e[i].resident, e[i].chain_depth,
		    e[i].flags & FLYVM_ME_COW ? "C" : "",
		    e[i].flags & FLYVM_ME_NEEDS_COPY ? "N" : "",
		    e[i].flags & FLYVM_ME_STACK ? "S" : "",
		    e[i].flags & FLYVM_ME_USER_WIRED ? "W" : "",
		    e[i].flags == 0 ? "-" : "");
	free(e);
}

static void
run_print_info(struct run *r, struct run_proc *p)
{
	struct flyvm_proc_info pi;
	int error;

	error = flyvm_proc_info(r->vm, p->pid, &pi);
	if (error != 0) {
		run_result(r, "info", error);
		return;
	}
	printf("%s: pid %d ppid %d uid %u minflt %llu majflt %llu resident "
	    "%llu wired %llu swap %llu mapped %llu bytes in %llu entries, "
	    "brk 0x%llx\n", p->name, pi.pid, pi.ppid, pi.uid,
	    (unsigned long long)pi.minflt, (unsigned long long)pi.majflt,
	    (unsigned long long)pi.resident, (unsigned long long)pi.wired,
	    (unsigned long long)pi.swap, (unsigned long long)pi.map_size,
	    (unsigned long long)pi.nentries, (unsigned long long)pi.brk);
}

static void
run_print_object(struct run *r, uint64_t id)
{
	struct flyvm_object_info oi;
	struct flyvm_page_info pages[16];
	struct flyvm_backing_info refs[16];
	size_t i;
	int error;

	error = flyvm_object_info(r->vm, id, &oi, pages, 16, refs, 16);
	if (error != 0) {
		printf("%-40s %s\n", "object", error == ENOENT ? "ENOENT" :
		    run_errname(error));
		return;
	}
	printf("object %llu: %s, %llu pages, %llu resident, %d refs, "
	    "%llu backings\n", (unsigned long long)oi.id,
	    run_objtype(oi.type), (unsigned long long)oi.size,
	    (unsigned long long)oi.resident, oi.ref_count,
	    (unsigned long long)oi.nbacking);
	for (i = 0; i < oi.resident && i < 16; i++)
		printf("  page %llu phys 0x%llx queue %d wired %d act %d\n",
		    (unsigned long long)pages[i].pindex,
		    (unsigned long long)pages[i].phys, pages[i].queue,
		    pages[i].wire_count, pages[i].act_count);
	for (i = 0; i < oi.nbacking && i < 16; i++)
		printf("  backs pid %d [0x%llx, 0x%llx) at depth %d\n",
		    refs[i].pid, (unsigned long long)refs[i].start,
		    (unsigned long long)refs[i].end, refs[i].depth);
}

static void
run_vmstat(struct run *r)
{
	struct flyvm_vmstats st;

	if (flyvm_get_vmstats(r->vm, &st) != 0)
		return;
	printf("vmstat: free %llu active %llu inactive %llu wired %llu "
	    "faults %llu cow %llu zfod %llu forks %llu\n",
	    (unsigned long long)st.free_count,
	    (unsigned long long)st.active_count,
	    (unsigned long long)st.inactive_count,
	    (unsigned long long)st.wire_count, (unsigned long long)st.faults,
	    (unsigned long long)st.cow_faults, (unsigned long long)st.zfod,
	    (unsigned long long)st.forks);
}

/* A signed number (sbrk's increment, mmap's descriptor). */
static int64_t
run_signed(struct run *r, const char *s)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || end == s || *end != 0)
		run_die(r, "bad number \"%s\"", s);
	return ((int64_t)v);
}

/* "spawn P [UID]" and "fork P C": report the new process's pid. */
static void
run_created(struct run *r, const char *what, const char *name, int error,
    flyvm_pid_t pid)
{
	if (error == 0)
		run_new_proc(r, name, pid);
	printf("%-40s %s", what, run_errname(error));
	printf(error == 0 ? " (pid %d)\n" : "\n", pid);
}

static void
cmd_spawn(struct run *r, char **av, int ac)
{
	flyvm_pid_t pid = 0;
	char what[80];
	int error;

	error = flyvm_proc_spawn(r->vm, ac == 3 ?
	    (uint32_t)run_number(r, av[2]) : 1000, &pid);
	snprintf(what, sizeof(what), "spawn %s", av[1]);
	run_created(r, what, av[1], error, pid);
}

static void
cmd_fork(struct run *r, char **av, int ac)
{
	flyvm_pid_t pid = 0;
	char what[80];
	int error;

	(void)ac;
	error = flyvm_proc_fork(r->vm, run_proc(r, av[1])->pid, &pid);
	snprintf(what, sizeof(what), "fork %s -> %s", av[1], av[2]);
	run_created(r, what, av[2], error, pid);
}

static void
cmd_mmap(struct run *r, char **av, int ac)
{
	uint64_t addr;
	char what[160];
	int error;

	error = flyvm_mmap(r->vm, run_proc(r, av[1])->pid,
	    run_number(r, av[2]), run_number(r, av[3]), run_prot(r, av[4]),
	    run_words(r, av[5], run_flags, "flag"),
	    ac > 6 ? (int)run_signed(r, av[6]) : -1,
	    ac > 7 ? run_signed(r, av[7]) : 0, &addr);
	snprintf(what, sizeof(what), "mmap %s %s %s", av[1], av[3], av[5]);
	if (error == 0) {
		r->last = addr;
		printf("%-40s 0x%llx\n", what, (unsigned long long)addr);
	} else
		run_result(r, what, error);
}

/*
 * The calls that take only a process and a range, or a range and one
 * argument: munmap, mlock, munlock, mprotect, minherit, madvise.
 */
static void
cmd_range(struct run *r, char **av, int ac)
{
	flyvm_pid_t pid = run_proc(r, av[1])->pid;
	uint64_t addr = run_number(r, av[2]), len = run_number(r, av[3]);
	const char *c = av[0];
	char what[160];
	int error;

	snprintf(what, sizeof(what), "%s %s 0x%llx 0x%llx", c, av[1],
	    (unsigned long long)addr, (unsigned long long)len);
	(void)ac;			/* run_cmds[] fixed the count */
	if (strcmp(c, "munmap") == 0)
		error = flyvm_munmap(r->vm, pid, addr, len);
	else if (strcmp(c, "mlock") == 0)
		error = flyvm_mlock(r->vm, pid, addr, len);
	else if (strcmp(c, "munlock") == 0)
		error = flyvm_munlock(r->vm, pid, addr, len);
	else if (strcmp(c, "mprotect") == 0)
		error = flyvm_mprotect(r->vm, pid, addr, len,
		    run_prot(r, av[4]));
	else if (strcmp(c, "minherit") == 0)
		error = flyvm_minherit(r->vm, pid, addr, len,
		    run_words(r, av[4], run_inherit, "inheritance"));
	else
		error = flyvm_madvise(r->vm, pid, addr, len,
		    run_words(r, av[4], run_behav, "behaviour"));
	run_result(r, what, error);
}

/* The calls that take a process and at most one word: result only. */
static void
cmd_simple(struct run *r, char **av, int ac)
{
	flyvm_pid_t pid = run_proc(r, av[1])->pid;
	struct flyvm_rlimit rl;
	const char *c = av[0];
	char what[160];
	int error;

	snprintf(what, sizeof(what), "%s %s%s%s", c, av[1], ac > 2 ? " " : "",
	    ac > 2 ? av[2] : "");
	if (strcmp(c, "exit") == 0) {
		error = flyvm_proc_exit(r->vm, pid, 0);
	} else if (strcmp(c, "mlockall") == 0) {
		error = flyvm_mlockall(r->vm, pid,
		    run_words(r, av[2], run_mcl, "mlockall flag"));
	} else if (strcmp(c, "munlockall") == 0) {
		error = flyvm_munlockall(r->vm, pid);
	} else if (strcmp(c, "brk") == 0) {
		error = flyvm_brk(r->vm, pid, run_number(r, av[2]));
	} else {
		rl.rlim_cur = (int64_t)run_number(r, av[3]);
		rl.rlim_max = (int64_t)run_number(r, av[4]);
		error = flyvm_setrlimit(r->vm, pid,
		    run_words(r, av[2], run_rlimits, "resource"), &rl);
	}
	run_result(r, what, error);
}

static void
cmd_sbrk(struct run *r, char **av, int ac)
{
	char what[80];
	uint64_t old;
	int error;

	(void)ac;
	error = flyvm_sbrk(r->vm, run_proc(r, av[1])->pid,
	    run_signed(r, av[2]), &old);
	snprintf(what, sizeof(what), "sbrk %s %s", av[1], av[2]);
	if (error == 0)
		printf("%-40s old break 0x%llx\n", what,
		    (unsigned long long)old);
	else
		run_result(r, what, error);
}

/* store P ADDR SIZE VALUE, load P ADDR SIZE. */
static void
cmd_access(struct run *r, char **av, int ac)
{
	flyvm_pid_t pid = run_proc(r, av[1])->pid;
	uint64_t addr = run_number(r, av[2]), v = 0;
	int size = (int)run_number(r, av[3]), error;
	struct flyvm_siginfo si;
	char what[80];

	memset(&si, 0, sizeof(si));
	snprintf(what, sizeof(what), "%s %s 0x%llx", av[0], av[1],
	    (unsigned long long)addr);
	if (ac == 5) {
		error = flyvm_store(r->vm, pid, addr, size,
		    run_number(r, av[4]), &si);
	} else {
		error = flyvm_load(r->vm, pid, addr, size, &v, &si);
		if (error == 0) {
			printf("%-40s 0x%llx\n", what, (unsigned long long)v);
			return;
		}
	}
	run_fault(what, error, &si);
}

static void
cmd_mincore(struct run *r, char **av, int ac)
{
	uint64_t addr = run_number(r, av[2]), len = run_number(r, av[3]), i;
	unsigned char vec[64];
	char what[80];
	int error;

	(void)ac;
	error = flyvm_mincore(r->vm, run_proc(r, av[1])->pid, addr, len, vec,
	    sizeof(vec));
	snprintf(what, sizeof(what), "mincore %s 0x%llx", av[1],
	    (unsigned long long)addr);
	if (error != 0) {
		run_result(r, what, error);
		return;
	}
	printf("%-40s", what);
	for (i = 0; i < (len + 4095) / 4096 && i < sizeof(vec); i++)
		printf(" %02x", vec[i]);
	printf("\n");
}

static void
cmd_inspect(struct run *r, char **av, int ac)
{
	if (strcmp(av[0], "map") == 0)
		run_print_map(r, run_proc(r, av[1]));
	else if (strcmp(av[0], "info") == 0)
		run_print_info(r, run_proc(r, av[1]));
	else if (strcmp(av[0], "object") == 0)
		run_print_object(r, run_number(r, av[1]));
	else
		run_vmstat(r);
	(void)ac;
}

/* The script's commands: name, words allowed (with the name), handler. */
static const struct run_cmd {
	const char	*name;
	int		min, max;
	void		(*fn)(struct run *r, char **av, int ac);
} run_cmds[] = {
	{ "spawn", 2, 3, cmd_spawn },	{ "fork", 3, 3, cmd_fork },
	{ "exit", 2, 2, cmd_simple },	{ "mmap", 6, 8, cmd_mmap },
	{ "munmap", 4, 4, cmd_range },	{ "mlock", 4, 4, cmd_range },
	{ "munlock", 4, 4, cmd_range },	{ "mprotect", 5, 5, cmd_range },
	{ "minherit", 5, 5, cmd_range }, { "madvise", 5, 5, cmd_range },
	{ "mlockall", 3, 3, cmd_simple }, { "munlockall", 2, 2, cmd_simple },
	{ "brk", 3, 3, cmd_simple },	{ "sbrk", 3, 3, cmd_sbrk },
	{ "setrlimit", 5, 5, cmd_simple }, { "store", 5, 5, cmd_access },
	{ "load", 4, 4, cmd_access },	{ "mincore", 4, 4, cmd_mincore },
	{ "map", 2, 2, cmd_inspect },	{ "info", 2, 2, cmd_inspect },
	{ "object", 2, 2, cmd_inspect }, { "vmstat", 1, 1, cmd_inspect },
	{ NULL, 0, 0, NULL }
};

static void
run_line(struct run *r, char **av, int ac)
{
	const struct run_cmd *c;

	for (c = run_cmds; c->name != NULL; c++)
		if (strcmp(c->name, av[0]) == 0)
			break;
	if (c->name == NULL)
		run_die(r, "unknown command \"%s\"", av[0]);
	if (ac < c->min || ac > c->max)
		run_die(r, "wrong number of arguments to \"%s\"", av[0]);
	c->fn(r, av, ac);
}

int
flyvm_run_script(struct flyvm *vm, const char *file)
{
	struct run r;
	char buf[512], *av[RUN_MAXARGS + 1], *p, *save;
	FILE *f;
	int ac;

	memset(&r, 0, sizeof(r));
	r.vm = vm;
	r.file = strcmp(file, "-") == 0 ? "(stdin)" : file;
	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (f == NULL) {
		fprintf(stderr, "flyvm: cannot open script \"%s\": %s\n", file,
		    strerror(errno));
		return (2);
	}
	if (flyvm_thread_enter(vm, "run") != 0) {
		fprintf(stderr, "flyvm: cannot enter the system\n");
		return (1);
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		r.line++;
		if ((p = strchr(buf, '#')) != NULL)
			*p = 0;
		ac = 0;
		for (p = strtok_r(buf, " \t\r\n", &save); p != NULL;
		    p = strtok_r(NULL, " \t\r\n", &save)) {
			if (ac == RUN_MAXARGS)
				run_die(&r, "too many words on the line%s", "");
			av[ac++] = p;
		}
		if (ac == 0)
			continue;
		av[ac] = NULL;
		run_line(&r, av, ac);
		fflush(stdout);
	}
	if (f != stdin)
		fclose(f);
	flyvm_thread_leave(vm);
	return (0);
}
