/*
 * vm_unix.c - the data segment system calls (DragonFly's vm/vm_unix.c):
 * obreak (brk) and sbrk.
 *
 * The data segment starts at vm_daddr and ends at the break, vm_daddr +
 * vm_dbytes.  The pages [vm_daddr, vm_daddr + ptoa(vm_dsize)) are mapped
 * (anonymous, read-write-execute, VM_SUBSYS_BRK); vm_dsize is vm_dbytes
 * in pages, rounded up, because sbrk moves the break by bytes while brk
 * works in pages.  Both calls only grow the segment: shrinking is
 * EOPNOTSUPP, as in DragonFly, whose removal code is disabled.  Both
 * hold the map token from reading the break to moving it.
 */
#include <errno.h>

#include "kern/proc.h"
#include "vm/vm_map.h"
#include "vm/vm_mmap.h"

/*
 * Map [start, end) for the data segment at exactly start, wiring it if
 * the process asked for future mappings to be wired.  ENOMEM if the
 * range is taken.  Map token held.
 */
static int
vm_unix_grow(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_offset_t addr = start;
	int rv, wire;

	rv = vm_map_find(map, NULL, NULL, 0, &addr, end - start, PAGE_SIZE,
	    FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_BRK, VM_PROT_ALL, VM_PROT_ALL,
	    0);
	if (rv != KERN_SUCCESS)
		return (ENOMEM);
	vm_map_lock_read(map);
	wire = (map->flags & MAP_WIREFUTURE) != 0;
	vm_map_unlock_read(map);
	if (wire)
		(void)vm_map_user_wiring(map, start, end, FALSE);
	return (0);
}

/* Set the break to daddr + dbytes.  Map token held. */
static void
vm_unix_setbrk(struct vmspace *vm, vm_size_t dbytes)
{
	vm->vm_dbytes = dbytes;
	vm->vm_dsize = (long)atop(round_page(dbytes));
}

/*
 * sys_obreak - see vm_mmap.h (facts 1.12): set the break to nsize,
 * rounded up to a page.  Below the data segment is EINVAL; growth past
 * RLIMIT_DATA, to VM_MAX_USER_ADDRESS, past RLIMIT_AS, or over another
 * mapping is ENOMEM; shrinking is EOPNOTSUPP.
 */
int
sys_obreak(struct proc *p, vm_offset_t nsize)
{
	struct vmspace *vm = p->p_vmspace;
	vm_map_t map = &vm->vm_map;
	vm_offset_t base, new, old;
	vm_size_t diff, total;
	int error = 0;

	lwkt_gettoken(&map->token);
	base = round_page(vm->vm_daddr);
	new = round_page(nsize);
	old = base + ptoa(vm->vm_dsize);
	if (new > base) {
		/* Over the limit already: shrinking would still be allowed. */
		if (new > old && vm_rlimit_exceeded(p, RLIMIT_DATA, new - base)) {
			error = ENOMEM;
			goto done;
		}
		if (new >= VM_MAX_USER_ADDRESS) {
			error = ENOMEM;
			goto done;
		}
	} else if (new < base) {
		error = EINVAL;
		goto done;
	}
	if (new > old) {
		diff = new - old;
		vm_map_lock_read(map);
		total = map->size + diff;
		vm_map_unlock_read(map);
		if (total < diff || vm_rlimit_exceeded(p, RLIMIT_VMEM, total)) {
			error = ENOMEM;
			goto done;
		}
		if ((error = vm_unix_grow(map, old, new)) != 0)
			goto done;
		vm_unix_setbrk(vm, new - base);
	} else if (new < old) {
		error = EOPNOTSUPP;
	} else {
		/* brk works in pages: a partial page left by sbrk fills. */
		vm_unix_setbrk(vm, new - base);
	}
done:
	lwkt_reltoken(&map->token);
	return (error);
}

/*
 * sys_sbrk - see vm_mmap.h (facts 1.12): move the break up by incr bytes
 * and return the old break in *oldbrkp.  incr < 0 is EOPNOTSUPP, 0 only
 * reads the break.  Reaching VM_MAX_USER_ADDRESS, wrapping, going past
 * RLIMIT_DATA or over another mapping is ENOMEM.  Growth within the
 * current partial page maps nothing.
 */
int
sys_sbrk(struct proc *p, intptr_t incr, vm_offset_t *oldbrkp)
{
	struct vmspace *vm = p->p_vmspace;
	vm_map_t map = &vm->vm_map;
	vm_offset_t base, base_end, nbase;
	int error = 0;

	if (incr < 0)
		return (EOPNOTSUPP);
	lwkt_gettoken(&map->token);
	base = round_page(vm->vm_daddr) + vm->vm_dbytes;
	if (incr == 0)
		goto done;
	base_end = base + (vm_size_t)incr;
	if (base_end < base || base_end >= VM_MAX_USER_ADDRESS ||
	    vm_rlimit_exceeded(p, RLIMIT_DATA, base_end - vm->vm_daddr)) {
		error = ENOMEM;
		goto done;
	}
	nbase = round_page(base);
	if (base_end > nbase &&
	    (error = vm_unix_grow(map, nbase, round_page(base_end))) != 0)
		goto done;
	vm_unix_setbrk(vm, base_end - round_page(vm->vm_daddr));
done:
	if (error == 0)
		*oldbrkp = base;
	lwkt_reltoken(&map->token);
	return (error);
}
