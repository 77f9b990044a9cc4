/*
 * vm_init.h - bringing the VM up and down (DragonFly's vm_init.c).
 */
#ifndef _VM_VM_INIT_H_
#define _VM_VM_INIT_H_

#include <stdint.h>
#include <stddef.h>

struct flyvm_tunable;

/*
 * vm_mem_init - boot the kernel environment with ncpus simulated CPUs and
 * the VM with `bytes' of physical memory, then apply the tunables in
 * order.  The calling thread must not be entered.  Returns 0, or an errno
 * with a message in err naming the problem and the accepted range:
 *   EINVAL  bad size or CPU count, unknown tunable, value out of range
 *   ENOMEM  the host refused the memory
 * On failure everything set up so far is torn down again.
 */
int	vm_mem_init(uint64_t bytes, int ncpus, const struct flyvm_tunable *t,
	    int ntunables, char *err, size_t errlen);
/*
 * vm_mem_fini - tear everything down.  No thread may be entered.
 */
void	vm_mem_fini(void);
/*
 * vm_boot_report - print the boot messages (memory, page size, colors,
 * thresholds, tunables) through kprintf.  The caller must be entered.
 */
void	vm_boot_report(void);
/*
 * vm_audit_all - run every whole-structure audit.  Returns the number of
 * problems found (each reported through kprintf).  The caller must be
 * entered and no other thread may be changing VM state.
 */
int	vm_audit_all(void);

#endif /* !_VM_VM_INIT_H_ */
