/*
 * vm_init.c - bring the VM up and down, in dependency order.
 *
 * Boot order (each step relies on the ones before it):
 *   1. kern_init         simulated CPUs, sleep queues, tokens, sysctl tree
 *   2. vm_sysctl_init    vm.* tunables at their defaults, oids registered
 *   3. vm_page_startup   physical memory, vm_page_array, queues, thresholds
 *                        (and the object layer)
 *   4. pmap_init         the software MMU: kernel pmap, per-CPU TLBs
 *   5. vm_fault_init     the MMU's fault hook and the map's wiring hooks
 *                        now resolve through vm_fault
 *   6. boot tunables     the configuration's name=value pairs, range-checked
 * Shutdown undoes them in reverse.  A failure at any step undoes the steps
 * already done, so a failed boot leaves nothing behind and can be retried.
 */
#include <stdio.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/vm_fault.h"
#include "vm/vm_init.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

/*
 * vm_apply_tunables - set each boot tunable through the sysctl registry.
 * Entered thread required.  Returns 0 or an errno with a message in err.
 */
static int
vm_apply_tunables(const struct flyvm_tunable *t, int n, char *err,
    size_t errlen)
{
	const struct sysctl_oid *oid;
	char range[160];
	int i, error;

	for (i = 0; i < n; i++) {
		oid = sysctl_find(t[i].name);
		if (oid == NULL) {
			snprintf(err, errlen, "unknown tunable \"%s\" "
			    "(flyvm sysctl -a lists them)", t[i].name);
			return (EINVAL);
		}
		error = sysctl_set_boot(t[i].name, t[i].value);
		if (error != 0) {
			sysctl_range_msg(oid, range, sizeof(range));
			snprintf(err, errlen, "tunable %s=%lld refused: %s",
			    t[i].name, (long long)t[i].value, range);
			return (EINVAL);
		}
	}
	return (0);
}

int
vm_mem_init(uint64_t bytes, int ncpus_arg, const struct flyvm_tunable *t,
    int ntunables, char *err, size_t errlen)
{
	int error;

	error = kern_init(ncpus_arg);
	if (error != 0) {
		snprintf(err, errlen, "cannot start %d CPUs (accepted 1..%d)",
		    ncpus_arg, MAXCPU);
		return (error);
	}
	kthread_enter("boot");
	vm_sysctl_init();
	error = vm_page_startup((size_t)bytes, err, errlen);
	if (error != 0)
		goto out_sysctl;
	pmap_init();
	vm_map_startup();
	vm_fault_init();
	proc_init();
	error = vm_apply_tunables(t, ntunables, err, errlen);
	if (error != 0)
		goto out_fault;
	kthread_leave();
	return (0);

out_fault:
	proc_fini();
	vm_fault_fini();
	vm_map_shutdown();
	pmap_fini();
	vm_page_shutdown();
out_sysctl:
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
	return (error);
}

void
vm_mem_fini(void)
{
	kthread_enter("shutdown");
	proc_fini();
	vm_fault_fini();
	vm_map_shutdown();
	pmap_fini();
	vm_page_shutdown();
	vm_sysctl_fini();
	kthread_leave();
	kern_fini();
}

static int
vm_report_tunable(const struct sysctl_oid *oid, int64_t val, void *arg)
{
	(void)arg;
	if (strncmp(oid->oid_name, "vm.stats.", 9) == 0)
		return (0);
	kprintf("  %-32s %lld\n", oid->oid_name, (long long)val);
	return (0);
}

void
vm_boot_report(void)
{
	struct vmstats *vs = &vmstats;
	uint64_t mem = (uint64_t)vs->v_page_count * PAGE_SIZE;

	vmstats_rollup();
	kprintf("flyvm: DragonFly BSD virtual memory in user space\n");
	kprintf("real memory  = %llu (%llu MiB)\n", (unsigned long long)mem,
	    (unsigned long long)(mem >> 20));
	kprintf("avail memory = %llu (%llu MiB)\n",
	    (unsigned long long)vs->v_free_count * PAGE_SIZE,
	    (unsigned long long)((vs->v_free_count * PAGE_SIZE) >> 20));
	kprintf("cpus: %d simulated\n", ncpus);
	kprintf("page size %ld, %ld pages, struct vm_page %zu bytes "
	    "(vm_page_array %ld KiB)\n", vs->v_page_size, vs->v_page_count,
	    sizeof(struct vm_page),
	    (long)(vs->v_page_count * (long)sizeof(struct vm_page) / 1024));
	kprintf("page queues: FREE CACHE INACTIVE ACTIVE HOLD, %d colors "
	    "each\n", PQ_L2_SIZE);
	kprintf("paging thresholds (pages): reserved %ld severe %ld min %ld "
	    "wait %ld start %ld target1 %ld target2 %ld\n",
	    vs->v_free_reserved, vs->v_free_severe, vs->v_free_min,
	    vs->v_paging_wait, vs->v_paging_start, vs->v_paging_target1,
	    vs->v_paging_target2);
	kprintf("reserves (pages): pageout_free_min %ld interrupt_free_min "
	    "%ld free_target %ld inactive_target %ld max_wired %ld\n",
	    vs->v_pageout_free_min, vs->v_interrupt_free_min,
	    vs->v_free_target, vs->v_inactive_target, vm_page_max_wired);
	kprintf("tunables:\n");
	sysctl_foreach("vm.", vm_report_tunable, NULL);
}

int
vm_audit_all(void)
{
	return (vm_page_audit() + vm_object_audit_all() + pmap_audit());
}
