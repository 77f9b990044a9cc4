/*
 * flyvm.c - the public API (include/flyvm/flyvm.h).
 *
 * This file is the boundary: it validates every argument a program hands
 * in, turns configuration mistakes into messages that name the problem and
 * the accepted range, and calls the VM with its own names behind it.
 * Calls that need a thread context enter the calling host thread for their
 * duration if it is not entered already.
 *
 * One system per process: `flyvm_current' is the booted system or NULL.
 * flyvm_api_lock serializes boot and shutdown against each other.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "api/api_priv.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "vm/vm_init.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

struct flyvm {
	uint64_t	mem_bytes;
	int		ncpus;
	void		(*console)(const char *line, void *arg);
	void		*console_arg;
};

static pthread_mutex_t flyvm_api_lock = PTHREAD_MUTEX_INITIALIZER;
static struct flyvm *flyvm_current;

FLYVM_EXPORT void
flyvm_config_init(struct flyvm_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_bytes = 256ULL << 20;
	cfg->ncpus = 2;
}

FLYVM_EXPORT int
flyvm_config_set(struct flyvm_config *cfg, const char *name, int64_t value)
{
	struct flyvm_tunable *t;
	int i;

	if (cfg == NULL || name == NULL || name[0] == 0 ||
	    strlen(name) >= FLYVM_NAME_MAX)
		return (EINVAL);
	for (i = 0; i < cfg->ntunables; i++) {
		if (strcmp(cfg->tunables[i].name, name) == 0) {
			cfg->tunables[i].value = value;
			return (0);
		}
	}
	if (cfg->ntunables < 0 || cfg->ntunables >= FLYVM_MAX_TUNABLES)
		return (EINVAL);
	t = &cfg->tunables[cfg->ntunables++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->value = value;
	return (0);
}

FLYVM_EXPORT int
flyvm_parse_size(const char *s, uint64_t *bytesp)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (s == NULL || bytesp == NULL || !isdigit((unsigned char)s[0]))
		return (EINVAL);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return (EINVAL);
	switch (toupper((unsigned char)*end)) {
	case 0:
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		return (EINVAL);
	}
	if (*end != 0) {
		end++;
		if (toupper((unsigned char)*end) == 'I' &&
		    toupper((unsigned char)end[1]) == 'B')
			end += 2;
		else if (toupper((unsigned char)*end) == 'B')
			end++;
		if (*end != 0)
			return (EINVAL);
	}
	if (shift != 0 && v > (~0ULL >> shift))
		return (EINVAL);
	*bytesp = v << shift;
	return (0);
}

/* Forward kprintf output to the configured console. */
static void
flyvm_console_sink(const char *line, void *arg)
{
	struct flyvm *vm = arg;

	if (vm->console != NULL)
		vm->console(line, vm->console_arg);
}

/*
 * flyvm_check_config - the configuration checks that need no VM.
 * Returns 0 or EINVAL with a message in err.
 */
static int
flyvm_check_config(const struct flyvm_config *cfg, char *err, size_t errlen)
{
	if (cfg->mem_bytes < FLYVM_MEM_MIN || cfg->mem_bytes > FLYVM_MEM_MAX) {
		snprintf(err, errlen, "memory size %llu bytes is out of range "
		    "(accepted %llu MiB to %llu GiB)",
		    (unsigned long long)cfg->mem_bytes,
		    (unsigned long long)(FLYVM_MEM_MIN >> 20),
		    (unsigned long long)(FLYVM_MEM_MAX >> 30));
		return (EINVAL);
	}
	if (cfg->mem_bytes % PAGE_SIZE != 0) {
		snprintf(err, errlen, "memory size %llu bytes is not a "
		    "multiple of the page size (%lu bytes)",
		    (unsigned long long)cfg->mem_bytes, PAGE_SIZE);
		return (EINVAL);
	}
	if (cfg->ncpus < 1 || cfg->ncpus > FLYVM_NCPUS_MAX) {
		snprintf(err, errlen, "%d CPUs is out of range (accepted 1 to "
		    "%d)", cfg->ncpus, FLYVM_NCPUS_MAX);
		return (EINVAL);
	}
	if (cfg->ntunables < 0 || cfg->ntunables > FLYVM_MAX_TUNABLES) {
		snprintf(err, errlen, "%d tunables is out of range (accepted "
		    "0 to %d)", cfg->ntunables, FLYVM_MAX_TUNABLES);
		return (EINVAL);
	}
	return (0);
}

FLYVM_EXPORT int
flyvm_boot(const struct flyvm_config *cfg, struct flyvm **vmp, char *err,
    size_t errlen)
{
	char dummy[8];
	struct flyvm *vm;
	int error;

	if (err == NULL) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (errlen > 0)
		err[0] = 0;
	if (cfg == NULL || vmp == NULL) {
		snprintf(err, errlen, "flyvm_boot: NULL %s",
		    cfg == NULL ? "configuration" : "result pointer");
		return (EINVAL);
	}
	error = flyvm_check_config(cfg, err, errlen);
	if (error != 0)
		return (error);
	vm = calloc(1, sizeof(*vm));
	if (vm == NULL) {
		snprintf(err, errlen, "out of host memory");
		return (ENOMEM);
	}
	vm->mem_bytes = cfg->mem_bytes;
	vm->ncpus = cfg->ncpus;
	vm->console = cfg->console;
	vm->console_arg = cfg->console_arg;

	pthread_mutex_lock(&flyvm_api_lock);
	if (flyvm_current != NULL) {
		pthread_mutex_unlock(&flyvm_api_lock);
		free(vm);
		snprintf(err, errlen, "a flyvm system is already booted in "
		    "this process");
		return (EBUSY);
	}
	kprintf_set_sink(flyvm_console_sink, vm);
	error = vm_mem_init(cfg->mem_bytes, cfg->ncpus, cfg->tunables,
	    cfg->ntunables, err, errlen);
	if (error != 0) {
		kprintf_set_sink(NULL, NULL);
		pthread_mutex_unlock(&flyvm_api_lock);
		free(vm);
		return (error);
	}
	flyvm_current = vm;
	pthread_mutex_unlock(&flyvm_api_lock);

	kthread_enter("boot");
	vm_boot_report();
	kthread_leave();
	*vmp = vm;
	return (0);
}

FLYVM_EXPORT int
flyvm_shutdown(struct flyvm *vm)
{
	pthread_mutex_lock(&flyvm_api_lock);
	if (vm == NULL || vm != flyvm_current || kthread_entered()) {
		pthread_mutex_unlock(&flyvm_api_lock);
		return (vm != NULL && vm == flyvm_current ? EBUSY : EINVAL);
	}
	vm_mem_fini();
	kprintf_set_sink(NULL, NULL);
	flyvm_current = NULL;
	pthread_mutex_unlock(&flyvm_api_lock);
	free(vm);
	return (0);
}

int
flyvm_valid(struct flyvm *vm)
{
	return (vm != NULL && vm == flyvm_current);
}

/*
 * flyvm_enter_auto / flyvm_leave_auto - bracket an API call that needs a
 * thread context.  Enters the caller if it is not entered; returns whether
 * it did, so that leave undoes exactly that.
 */
int
flyvm_enter_auto(void)
{
	if (kthread_entered())
		return (0);
	kthread_enter("api");
	return (1);
}

void
flyvm_leave_auto(int entered)
{
	if (entered)
		kthread_leave();
}

int
api_proc_begin(struct flyvm *vm, flyvm_pid_t pid, struct api_call *c)
{
	c->p = NULL;
	c->entered = 0;
	c->bound = 0;
	if (!flyvm_valid(vm))
		return (EINVAL);
	c->entered = flyvm_enter_auto();
	c->p = pfind(pid);
	if (c->p == NULL) {
		flyvm_leave_auto(c->entered);
		return (ESRCH);
	}
	if (curthread->td_proc == NULL) {
		proc_bind(c->p);
		c->bound = 1;
	}
	return (0);
}

void
api_proc_end(struct api_call *c)
{
	if (c->bound)
		proc_unbind(c->p);
	proc_drop(c->p);
	flyvm_leave_auto(c->entered);
}

FLYVM_EXPORT int
flyvm_thread_enter(struct flyvm *vm, const char *name)
{
	if (!flyvm_valid(vm))
		return (EINVAL);
	if (kthread_entered())
		return (EBUSY);
	kthread_enter(name != NULL ? name : "user");
	return (0);
}

FLYVM_EXPORT int
flyvm_thread_leave(struct flyvm *vm)
{
	if (!flyvm_valid(vm))
		return (EINVAL);
	if (!kthread_entered())
		return (EBUSY);
	kthread_leave();
	return (0);
}

FLYVM_EXPORT int
flyvm_get_vmstats(struct flyvm *vm, struct flyvm_vmstats *st)
{
	struct vmmeter ev;
	struct vmstats *vs = &vmstats;
	int entered;

	if (!flyvm_valid(vm) || st == NULL)
		return (EINVAL);
	entered = flyvm_enter_auto();
	vmstats_rollup();
	vmmeter_sum(&ev);
	memset(st, 0, sizeof(*st));
	st->page_size = (uint64_t)vs->v_page_size;
	st->page_count = (uint64_t)vs->v_page_count;
	st->free_count = (uint64_t)atomic_load_relaxed(&vs->v_free_count);
	st->cache_count = (uint64_t)atomic_load_relaxed(&vs->v_cache_count);
	st->inactive_count =
	    (uint64_t)atomic_load_relaxed(&vs->v_inactive_count);
	st->active_count = (uint64_t)atomic_load_relaxed(&vs->v_active_count);
	st->hold_count = (uint64_t)atomic_load_relaxed(&vs->v_hold_count);
	st->wire_count = (uint64_t)atomic_load_relaxed(&vs->v_wire_count);
	st->free_reserved = (uint64_t)vs->v_free_reserved;
	st->free_severe = (uint64_t)vs->v_free_severe;
	st->free_min = (uint64_t)vs->v_free_min;
	st->free_target = (uint64_t)vs->v_free_target;
	st->paging_wait = (uint64_t)vs->v_paging_wait;
	st->paging_start = (uint64_t)vs->v_paging_start;
	st->paging_target1 = (uint64_t)vs->v_paging_target1;
	st->paging_target2 = (uint64_t)vs->v_paging_target2;
	st->pageout_free_min = (uint64_t)vs->v_pageout_free_min;
	st->interrupt_free_min = (uint64_t)vs->v_interrupt_free_min;
	st->inactive_target = (uint64_t)vs->v_inactive_target;
	st->dma_pages = (uint64_t)vs->v_dma_pages;
	st->faults = (uint64_t)ev.v_vm_faults;
	st->cow_faults = (uint64_t)ev.v_cow_faults;
	st->zfod = (uint64_t)ev.v_zfod;
	st->reactivated = (uint64_t)ev.v_reactivated;
	st->swapin = (uint64_t)ev.v_swapin;
	st->swapout = (uint64_t)ev.v_swapout;
	st->swappgsin = (uint64_t)ev.v_swappgsin;
	st->swappgsout = (uint64_t)ev.v_swappgsout;
	st->vnodein = (uint64_t)ev.v_vnodein;
	st->vnodeout = (uint64_t)ev.v_vnodeout;
	st->vnodepgsin = (uint64_t)ev.v_vnodepgsin;
	st->vnodepgsout = (uint64_t)ev.v_vnodepgsout;
	st->pdwakeups = (uint64_t)ev.v_pdwakeups;
	st->pdpages = (uint64_t)ev.v_pdpages;
	st->tfree = (uint64_t)ev.v_tfree;
	st->forks = (uint64_t)ev.v_forks;
	st->pagealloc = (uint64_t)ev.v_pagealloc;
	flyvm_leave_auto(entered);
	return (0);
}

FLYVM_EXPORT int
flyvm_sysctl_get(struct flyvm *vm, const char *name, int64_t *valp)
{
	int entered, error;

	if (!flyvm_valid(vm) || name == NULL || valp == NULL)
		return (EINVAL);
	entered = flyvm_enter_auto();
	error = sysctl_get(name, valp);
	flyvm_leave_auto(entered);
	return (error);
}

FLYVM_EXPORT int
flyvm_sysctl_set(struct flyvm *vm, const char *name, int64_t value)
{
	int entered, error;

	if (!flyvm_valid(vm) || name == NULL)
		return (EINVAL);
	entered = flyvm_enter_auto();
	error = sysctl_set(name, value);
	flyvm_leave_auto(entered);
	return (error);
}

FLYVM_EXPORT int
flyvm_sysctl_describe(struct flyvm *vm, const char *name, char *buf,
    size_t len)
{
	const struct sysctl_oid *oid;
	char range[160];

	if (!flyvm_valid(vm) || name == NULL || buf == NULL || len == 0)
		return (EINVAL);
	oid = sysctl_find(name);
	if (oid == NULL)
		return (ENOENT);
	sysctl_range_msg(oid, range, sizeof(range));
	snprintf(buf, len, "%s: %s (%s)", oid->oid_name,
	    oid->oid_descr != NULL ? oid->oid_descr : "", range);
	return (0);
}

struct flyvm_list_arg {
	void	(*fn)(const char *name, int64_t value, void *arg);
	void	*arg;
};

static int
flyvm_list_one(const struct sysctl_oid *oid, int64_t val, void *arg)
{
	struct flyvm_list_arg *la = arg;

	la->fn(oid->oid_name, val, la->arg);
	return (0);
}

FLYVM_EXPORT int
flyvm_sysctl_list(struct flyvm *vm, const char *prefix,
    void (*fn)(const char *name, int64_t value, void *arg), void *arg)
{
	struct flyvm_list_arg la = { fn, arg };
	int entered;

	if (!flyvm_valid(vm) || fn == NULL)
		return (EINVAL);
	entered = flyvm_enter_auto();
	sysctl_foreach(prefix != NULL ? prefix : "", flyvm_list_one, &la);
	flyvm_leave_auto(entered);
	return (0);
}

FLYVM_EXPORT int
flyvm_audit(struct flyvm *vm)
{
	int entered, problems;

	if (!flyvm_valid(vm))
		return (EINVAL);
	entered = flyvm_enter_auto();
	problems = vm_audit_all();
	flyvm_leave_auto(entered);
	return (problems == 0 ? 0 : EFAULT);
}
