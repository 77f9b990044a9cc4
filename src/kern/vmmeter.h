/*
 * vmmeter.h - the VM's counters (DragonFly's sys/vmmeter.h).
 *
 * struct vmstats holds the page counts and paging thresholds.  There is one
 * global copy (`vmstats', in vm_page.c) and two per CPU: gd_vmstats_adj
 * accumulates deltas that vmstats_rollup() folds into the global copy, and
 * gd_vmstats is each CPU's cached copy of the global counts, read by hot
 * paths (vm_paging_*() predicates) so that they do not share a cache line.
 *
 * struct vmmeter holds event counters (faults, pageins, ...).  They are
 * per-CPU (gd_cnt) and summed on demand by vmmeter_sum().
 *
 * All fields are long so that a delta structure can carry negative values.
 */
#ifndef _KERN_VMMETER_H_
#define _KERN_VMMETER_H_

struct vmstats {
	long	v_page_size;		/* bytes per page */
	long	v_page_count;		/* managed pages */
	long	v_free_reserved;	/* system allocations may dip below */
	long	v_free_target;		/* pageout aims for this many free */
	long	v_free_min;		/* base of all paging thresholds */
	long	v_free_count;		/* pages on PQ_FREE */
	long	v_wire_count;		/* wired pages */
	long	v_active_count;		/* pages on PQ_ACTIVE */
	long	v_inactive_target;	/* pages desired on PQ_INACTIVE */
	long	v_inactive_count;	/* pages on PQ_INACTIVE */
	long	v_cache_count;		/* pages on PQ_CACHE */
	long	v_hold_count;		/* pages on PQ_HOLD */
	long	v_pageout_free_min;	/* reserve for the pageout daemon */
	long	v_interrupt_free_min;	/* reserve for interrupt allocations */
	long	v_free_severe;		/* user processes stall below this */
	long	v_paging_wait;		/* allocations slow down below this */
	long	v_paging_start;		/* pageout starts below this */
	long	v_paging_target1;	/* pageout works hard to reach this */
	long	v_paging_target2;	/* pageout takes it easy up to this */
	long	v_dma_pages;		/* pages set aside for contig allocs */
};

struct vmmeter {
	long	v_vm_faults;		/* address translation faults */
	long	v_cow_faults;		/* copy-on-write faults */
	long	v_cow_optim;		/* COW faults resolved without copy */
	long	v_zfod;			/* zero-fill-on-demand pages */
	long	v_ozfod;		/* optimized zero fill pages */
	long	v_intrans;		/* faults that waited on a busy page */
	long	v_reactivated;		/* pages reactivated from cache/inact */
	long	v_swapin;		/* swap pager pageins */
	long	v_swapout;		/* swap pager pageouts */
	long	v_swappgsin;		/* pages swapped in */
	long	v_swappgsout;		/* pages swapped out */
	long	v_vnodein;		/* vnode pager pageins */
	long	v_vnodeout;		/* vnode pager pageouts */
	long	v_vnodepgsin;		/* vnode pages paged in */
	long	v_vnodepgsout;		/* vnode pages paged out */
	long	v_pdwakeups;		/* pageout daemon wakeups */
	long	v_pdpages;		/* pages analyzed by the daemon */
	long	v_tcached;		/* pages moved to the cache queue */
	long	v_dfree;		/* pages freed by the daemon */
	long	v_pfree;		/* pages freed by exiting processes */
	long	v_tfree;		/* total pages freed */
	long	v_forks;		/* fork calls */
	long	v_forkpages;		/* pages affected by fork */
	long	v_pagealloc;		/* vm_page_alloc calls that succeeded */
};

#endif /* !_KERN_VMMETER_H_ */
