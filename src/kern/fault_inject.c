/*
 * fault_inject.c - countdown fault injectors (see fault_inject.h).
 *
 * Design note.  The countdown is decremented with compare-and-set, so
 * when many threads check one injector exactly one of them sees it reach
 * zero and fails.  A persistent injector then latches fi_fired and every
 * later check fails too, until it is re-armed.
 */
#include "kern/fault_inject.h"

/*
 * fault_inject_arm - make the nth check from now fail (nth 0 disarms);
 * persistent: every check after it fails too.  Resets the hit count.
 * No requirements.
 */
void
fault_inject_arm(struct fault_inject *fi, long nth, int persistent)
{
	atomic_store_int(&fi->fi_fired, 0);
	atomic_store_int(&fi->fi_persistent, persistent);
	atomic_store_long(&fi->fi_hits, 0);
	atomic_store_long(&fi->fi_countdown, nth < 0 ? 0 : nth);
}

/* fi_fire - record one injected failure.  Returns TRUE. */
static int
fi_fire(struct fault_inject *fi)
{
	atomic_add_long(&fi->fi_hits, 1);
	return (TRUE);
}

/*
 * fault_inject_check_slow - the armed or latched path of
 * fault_inject_check().  Returns TRUE if this call must fail.
 */
int
fault_inject_check_slow(struct fault_inject *fi)
{
	long c = atomic_load_long(&fi->fi_countdown);

	if (atomic_load_int(&fi->fi_fired))
		return (fi_fire(fi));
	while (c > 0) {
		if (!atomic_fcmpset_long(&fi->fi_countdown, &c, c - 1))
			continue;
		if (c > 1)
			return (FALSE);
		if (atomic_load_int(&fi->fi_persistent))
			atomic_store_int(&fi->fi_fired, 1);
		return (fi_fire(fi));
	}
	return (FALSE);
}

/* fault_inject_hits - failures injected since the last arm. */
long
fault_inject_hits(struct fault_inject *fi)
{
	return (atomic_load_long(&fi->fi_hits));
}
