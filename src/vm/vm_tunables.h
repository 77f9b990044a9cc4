/*
 * vm_tunables.h - every vm.* tunable, in one place.
 *
 * The variables are defined, with their DragonFly defaults, ranges and
 * sysctl names, in vm_sysctl.c.  Algorithm files read them; nothing else
 * defines a tunable.  All are read with plain loads by the thread that
 * uses them and written only through sysctl (atomically), so a reader sees
 * either the old or the new value.
 */
#ifndef _VM_VM_TUNABLES_H_
#define _VM_VM_TUNABLES_H_

/* pageout (vm_pageout.c) */
extern int vm_page_free_hysteresis;	/* vm.page_free_hysteresis */
extern int vm_max_launder;		/* vm.max_launder, 0 = auto */
extern int vm_emerg_launder;		/* vm.emerg_launder */
extern int vm_pageout_memuse_mode;	/* vm.pageout_memuse_mode */
extern int vm_pageout_allow_active;	/* vm.pageout_allow_active */
extern int vm_pageout_debug;		/* vm.pageout_debug */
extern int vm_swap_enabled;		/* vm.swap_enabled */
extern int vm_defer_swapspace_pageouts;	/* vm.defer_swapspace_pageouts */
extern int vm_disable_swapspace_pageouts; /* vm.disable_swapspace_pageouts */
extern int vm_anonmem_decline;		/* vm.anonmem_decline */
extern int vm_filemem_decline;		/* vm.filemem_decline */
extern int vm_queue_idle_perc;		/* vm.queue_idle_perc */
extern int vm_pageout_stats_rsecs;	/* vm.pageout_stats_rsecs */
extern int vm_pageout_stats_scan;	/* vm.pageout_stats_scan, 0 = auto */
extern int vm_pageout_stats_actcmp;	/* vm.pageout_stats_actcmp */
extern int vm_pageout_stats_inalim;	/* vm.pageout_stats_inalim */
extern int vm_pageout_stats_inamin;	/* vm.pageout_stats_inamin */
extern long vm_pageout_lock_miss;	/* vm.pageout_lock_miss (counter) */
extern int vm_pageout_algorithm;	/* vm.pageout_algorithm */
extern long vm_page_max_wired;		/* vm.max_wired, 0 = auto */

/* maps (vm_map.c) */
extern int vm_randomize_mmap;		/* vm.randomize_mmap */
extern int vm_map_relock_enable;	/* vm.map_relock_enable */
extern int vm_map_partition_enable;	/* vm.map_partition_enable */
extern int vm_map_backing_limit;	/* vm.map_backing_limit */
extern int vm_map_backing_shadow_test;	/* vm.map_backing_shadow_test */
extern long vm_max_proc_mmap;		/* vm.max_proc_mmap */
extern int vm_vkernel_enable;		/* vm.vkernel_enable */

/* faults (vm_fault.c) */
extern int vm_debug_fault;		/* vm.debug_fault */
extern int vm_shared_fault;		/* vm.shared_fault */
extern int vm_fault_bypass_enable;	/* vm.fault_bypass */
extern int vm_prefault_pages;		/* vm.prefault_pages */
extern int vm_fast_fault;		/* vm.fast_fault */

/* swap (swap_pager.c) */
extern int swap_burst_read;		/* vm.swap_burst_read */
extern int swap_user_async;		/* vm.swap_user_async */
extern int swap_async_max;		/* vm.swap_async_max */

/*
 * vm_sysctl_init - register every vm.* oid (tunables, thresholds and
 * vm.stats.vm.* statistics) and reset the tunables to their defaults.
 * vm_sysctl_fini unregisters them.
 */
void	vm_sysctl_init(void);
struct vmmeter;
/* vmmeter_sum - every CPU's event counters added up into *sum. */
void	vmmeter_sum(struct vmmeter *sum);
void	vm_sysctl_fini(void);

#endif /* !_VM_VM_TUNABLES_H_ */
