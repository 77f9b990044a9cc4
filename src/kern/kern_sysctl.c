/*
 * kern_sysctl.c - the sysctl registry, and the kern.* / lwkt.* oids.
 *
 * Design note.
 *   1. The registry is one array of oid pointers kept sorted by name, so
 *      lookups are a binary search and sysctl_foreach() walks names in
 *      order.  It is guarded by a host mutex (not a flyvm lock): the CLI
 *      and tests read sysctls from threads that never entered flyvm.
 *   2. An oid's table belongs to its subsystem and must outlive its
 *      registration; the registry only points at it.  Lookups copy the
 *      pointer out under the mutex and access the variable after.
 *   3. Variables are read and written with relaxed atomics, so a tunable
 *      may be changed while other threads read it.
 *   4. Writes check, in order: the name (ENOENT), the flags (EPERM:
 *      CTLFLAG_WR at run time, CTLFLAG_WR or CTLFLAG_TUN at boot), the
 *      range [oid_min, oid_max] (EINVAL); then the handler, if any, has the
 *      last word.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_priv.h"
#include "kern/sysctl.h"
#include "kern/token.h"

static struct {
	pthread_mutex_t	mtx;
	const struct sysctl_oid **oids;	/* (mtx) sorted by name */
	int		n;		/* (mtx) */
	int		cap;		/* (mtx) */
} reg = { .mtx = PTHREAD_MUTEX_INITIALIZER };

/* reg_search - index of name, or of where it would go.  reg.mtx held. */
static int
reg_search(const char *name, int *found)
{
	int lo = 0, hi = reg.n, mid, c;

	*found = FALSE;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(reg.oids[mid]->oid_name, name);
		if (c == 0) {
			*found = TRUE;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* reg_grow - make room for one more oid.  reg.mtx held. */
static void
reg_grow(void)
{
	const struct sysctl_oid **n;
	int cap;

	if (reg.n < reg.cap)
		return;
	cap = reg.cap == 0 ? 64 : reg.cap * 2;
	n = realloc(reg.oids, sizeof(*n) * (size_t)cap);
	if (n == NULL)
		panic("sysctl_register: out of memory");
	reg.oids = n;
	reg.cap = cap;
}

/* reg_insert - add one oid.  reg.mtx held; panics on a duplicate name. */
static void
reg_insert(const struct sysctl_oid *oid)
{
	int i, found;

	i = reg_search(oid->oid_name, &found);
	if (found) {
		pthread_mutex_unlock(&reg.mtx);
		panic("sysctl_register: duplicate oid %s", oid->oid_name);
	}
	reg_grow();
	memmove(&reg.oids[i + 1], &reg.oids[i],
	    sizeof(reg.oids[0]) * (size_t)(reg.n - i));
	reg.oids[i] = oid;
	reg.n++;
}

/*
 * sysctl_register - add a table of n oids; it must stay valid until
 * sysctl_unregister().  Panics on a duplicate name.  No requirements.
 */
void
sysctl_register(const struct sysctl_oid *oids, int n)
{
	int i;

	pthread_mutex_lock(&reg.mtx);
	for (i = 0; i < n; i++)
		reg_insert(&oids[i]);
	pthread_mutex_unlock(&reg.mtx);
}

/* sysctl_unregister - remove a table added by sysctl_register(). */
void
sysctl_unregister(const struct sysctl_oid *oids, int n)
{
	int i, j, found;

	pthread_mutex_lock(&reg.mtx);
	for (i = 0; i < n; i++) {
		j = reg_search(oids[i].oid_name, &found);
		if (!found || reg.oids[j] != &oids[i])
			continue;
		reg.n--;
		memmove(&reg.oids[j], &reg.oids[j + 1],
		    sizeof(reg.oids[0]) * (size_t)(reg.n - j));
	}
	pthread_mutex_unlock(&reg.mtx);
}

/* sysctl_clear - forget every registration.  No requirements. */
void
sysctl_clear(void)
{
	pthread_mutex_lock(&reg.mtx);
	free(reg.oids);
	reg.oids = NULL;
	reg.n = reg.cap = 0;
	pthread_mutex_unlock(&reg.mtx);
}

/* sysctl_find - the oid called name, or NULL.  No requirements. */
const struct sysctl_oid *
sysctl_find(const char *name)
{
	const struct sysctl_oid *oid = NULL;
	int i, found;

	pthread_mutex_lock(&reg.mtx);
	i = reg_search(name, &found);
	if (found)
		oid = reg.oids[i];
	pthread_mutex_unlock(&reg.mtx);
	return (oid);
}

/* oid_load - the variable's value, widened. */
static int64_t
oid_load(const struct sysctl_oid *oid)
{
	switch (oid->oid_type) {
	case CTLTYPE_INT:
		return (atomic_load_relaxed((int *)oid->oid_arg));
	case CTLTYPE_UINT:
		return (atomic_load_relaxed((u_int *)oid->oid_arg));
	case CTLTYPE_LONG:
		return (atomic_load_relaxed((long *)oid->oid_arg));
	case CTLTYPE_ULONG:
		return ((int64_t)atomic_load_relaxed((u_long *)oid->oid_arg));
	}
	panic("sysctl: %s has unknown type %d", oid->oid_name, oid->oid_type);
}

/* oid_store - narrow val (already range-checked) into the variable. */
static void
oid_store(const struct sysctl_oid *oid, int64_t val)
{
	switch (oid->oid_type) {
	case CTLTYPE_INT:
		atomic_store_relaxed((int *)oid->oid_arg, (int)val);
		return;
	case CTLTYPE_UINT:
		atomic_store_relaxed((u_int *)oid->oid_arg, (u_int)val);
		return;
	case CTLTYPE_LONG:
		atomic_store_relaxed((long *)oid->oid_arg, (long)val);
		return;
	case CTLTYPE_ULONG:
		atomic_store_relaxed((u_long *)oid->oid_arg, (u_long)val);
		return;
	}
	panic("sysctl: %s has unknown type %d", oid->oid_name, oid->oid_type);
}

/* oid_read - read oid through its handler or variable.  0 or an errno. */
static int
oid_read(const struct sysctl_oid *oid, int64_t *valp)
{
	if ((oid->oid_flags & CTLFLAG_RD) == 0)
		return (EPERM);
	if (oid->oid_handler != NULL)
		return (oid->oid_handler(oid, valp, NULL));
	*valp = oid_load(oid);
	return (0);
}

/*
 * sysctl_get - read the oid called name into *valp.  No requirements.
 * Returns 0, ENOENT (no such oid) or EPERM (not readable).
 */
int
sysctl_get(const char *name, int64_t *valp)
{
	const struct sysctl_oid *oid = sysctl_find(name);

	if (oid == NULL)
		return (ENOENT);
	return (oid_read(oid, valp));
}

/* oid_write - write val if `allowed' flags permit and it is in range. */
static int
oid_write(const char *name, int64_t val, int allowed)
{
	const struct sysctl_oid *oid = sysctl_find(name);
	int64_t old;

	if (oid == NULL)
		return (ENOENT);
	if ((oid->oid_flags & allowed) == 0)
		return (EPERM);
	if (val < oid->oid_min || val > oid->oid_max)
		return (EINVAL);
	if (oid->oid_handler != NULL)
		return (oid->oid_handler(oid, &old, &val));
	oid_store(oid, val);
	return (0);
}

/*
 * sysctl_set - write val to the run-time writable oid called name.
 * No requirements.  Returns 0, ENOENT, EPERM (read-only) or EINVAL (out of
 * range), or the handler's errno.
 */
int
sysctl_set(const char *name, int64_t val)
{
	return (oid_write(name, val, CTLFLAG_WR));
}

/* sysctl_set_boot - sysctl_set that also accepts CTLFLAG_TUN oids. */
int
sysctl_set_boot(const char *name, int64_t val)
{
	return (oid_write(name, val, CTLFLAG_WR | CTLFLAG_TUN));
}

/*
 * sysctl_range_msg - "NAME accepts MIN..MAX", or "NAME is read-only" for
 * an oid that cannot be written even at boot.
 */
void
sysctl_range_msg(const struct sysctl_oid *oid, char *buf, size_t len)
{
	if ((oid->oid_flags & (CTLFLAG_WR | CTLFLAG_TUN)) == 0)
		snprintf(buf, len, "%s is read-only", oid->oid_name);
	else
		snprintf(buf, len, "%s accepts %" PRId64 "..%" PRId64,
		    oid->oid_name, oid->oid_min, oid->oid_max);
}

/* reg_snapshot - a malloc'ed copy of the registry.  *np gets its size. */
static const struct sysctl_oid **
reg_snapshot(int *np)
{
	const struct sysctl_oid **snap;

	pthread_mutex_lock(&reg.mtx);
	*np = reg.n;
	snap = malloc(sizeof(*snap) * (size_t)(reg.n + 1));
	if (snap != NULL)
		memcpy(snap, reg.oids, sizeof(*snap) * (size_t)reg.n);
	pthread_mutex_unlock(&reg.mtx);
	if (snap == NULL)
		panic("sysctl_foreach: out of memory");
	return (snap);
}

/*
 * sysctl_foreach - fn(oid, value, arg) for each readable oid whose name
 * starts with prefix, in name order, without the registry lock held (fn
 * may call sysctl_get/set).  Returns the first non-zero fn result, or 0.
 */
int
sysctl_foreach(const char *prefix,
    int (*fn)(const struct sysctl_oid *oid, int64_t val, void *arg),
    void *arg)
{
	const struct sysctl_oid **snap;
	size_t plen = strlen(prefix);
	int64_t val;
	int i, n, rc = 0;

	snap = reg_snapshot(&n);
	for (i = 0; i < n && rc == 0; i++) {
		if (strncmp(snap[i]->oid_name, prefix, plen) != 0 ||
		    oid_read(snap[i], &val) != 0)
			continue;
		rc = fn(snap[i], val, arg);
	}
	free(snap);
	return (rc);
}

/* The kernel environment's own oids. */
static int
sysctl_token_collisions(const struct sysctl_oid *oid, int64_t *oldval,
    const int64_t *newval)
{
	if (newval != NULL)
		return (EPERM);
	*oldval = lwkt_token_collisions();
	return (0);
}

static const struct sysctl_oid kern_oids[] = {
	{ "kern.hz", CTLTYPE_INT, CTLFLAG_RD, &hz, 1, 1000000, NULL,
	    "clock ticks per second" },
	{ "kern.ncpus", CTLTYPE_INT, CTLFLAG_RD, &ncpus, 1, MAXCPU, NULL,
	    "simulated CPUs" },
	{ "lwkt.token_backoff_max", CTLTYPE_INT, CTLFLAG_RW | CTLFLAG_TUN,
	    &lwkt_token_backoff_max, 0, 1 << 20, NULL,
	    "cpu_pause() rounds a contended token request spins at most" },
	{ "lwkt.token_collisions", CTLTYPE_LONG, CTLFLAG_RD, NULL, 0,
	    INT64_MAX, sysctl_token_collisions,
	    "token requests that had to block" },
};

/* kern_sysctl_boot - register kern_oids (kern_init). */
void
kern_sysctl_boot(void)
{
	sysctl_register(kern_oids, (int)nitems(kern_oids));
}

/* kern_sysctl_shutdown - unregister kern_oids (kern_fini). */
void
kern_sysctl_shutdown(void)
{
	sysctl_unregister(kern_oids, (int)nitems(kern_oids));
}
