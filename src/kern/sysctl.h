/*
 * sysctl.h - the sysctl registry.
 *
 * Every tunable and statistic is reachable by its DragonFly name
 * ("vm.max_launder", "vm.stats.vm.v_free_count").  An oid names an integer
 * variable, its type, its accepted range and whether it may be written.
 * Subsystems register static tables of oids at boot; names are unique.
 *
 * sysctl_get/sysctl_set return 0 or:
 *   ENOENT  unknown name
 *   EPERM   the oid is read-only (or, for sysctl_get, not CTLFLAG_RD)
 *   EINVAL  the value is outside [min, max] (checked before any handler)
 * and sysctl_range_msg() formats the accepted range for error messages.
 */
#ifndef _KERN_SYSCTL_H_
#define _KERN_SYSCTL_H_

#include "kern/systm.h"

#define CTLTYPE_INT	1
#define CTLTYPE_UINT	2
#define CTLTYPE_LONG	3
#define CTLTYPE_ULONG	4

#define CTLFLAG_RD	0x0001	/* readable */
#define CTLFLAG_WR	0x0002	/* writable at run time */
#define CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_TUN	0x0004	/* may be set in the boot configuration */

struct sysctl_oid;
/*
 * A handler replaces the plain variable access: with newval NULL it reads
 * into *oldval; otherwise it validates and applies *newval.  Returns 0 or
 * an errno.
 */
typedef int (*sysctl_handler_t)(const struct sysctl_oid *oid,
	    int64_t *oldval, const int64_t *newval);

struct sysctl_oid {
	const char	*oid_name;	/* full dotted name */
	int		oid_type;	/* CTLTYPE_* */
	int		oid_flags;	/* CTLFLAG_* */
	void		*oid_arg;	/* the variable */
	int64_t		oid_min;	/* accepted range, inclusive */
	int64_t		oid_max;
	sysctl_handler_t oid_handler;	/* optional */
	const char	*oid_descr;
};

/*
 * sysctl_register - add a table of n oids.  The table must stay valid
 * until sysctl_unregister().  Panics on a duplicate name.
 */
void	sysctl_register(const struct sysctl_oid *oids, int n);
void	sysctl_unregister(const struct sysctl_oid *oids, int n);
void	sysctl_clear(void);

int	sysctl_get(const char *name, int64_t *valp);
int	sysctl_set(const char *name, int64_t val);
/* sysctl_set_boot - like sysctl_set but also accepts CTLFLAG_TUN oids. */
int	sysctl_set_boot(const char *name, int64_t val);
const struct sysctl_oid *sysctl_find(const char *name);
/* Writes "NAME accepts MIN..MAX" (or "is read-only") into buf. */
void	sysctl_range_msg(const struct sysctl_oid *oid, char *buf, size_t len);
/*
 * sysctl_foreach - call fn for every oid whose name starts with prefix
 * ("" for all), in name order.  Stops early if fn returns non-zero.
 */
int	sysctl_foreach(const char *prefix,
	    int (*fn)(const struct sysctl_oid *oid, int64_t val, void *arg),
	    void *arg);

#endif /* !_KERN_SYSCTL_H_ */
