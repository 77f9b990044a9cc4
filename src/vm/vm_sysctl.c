/*
 * vm_sysctl.c - the vm.* tunables and statistics, all in one place.
 *
 * Three kinds of oid live here:
 *   - tunables: plain variables with their DragonFly default and the range
 *     a write must respect (vm.max_launder, vm.prefault_pages, ...);
 *   - paging thresholds: the vmstats fields computed at boot (vm.v_free_min,
 *     vm.v_paging_start, ...), writable as in DragonFly;
 *   - statistics: vm.stats.vm.* page counts (rolled up from every CPU
 *     before reading) and event counters (summed over CPUs), read-only.
 *
 * vm_sysctl_init() resets every tunable to its default, so each boot starts
 * from the same state whatever an earlier boot in the process changed.
 */
#include <stddef.h>
#include <string.h>

#include "kern/sysctl.h"
#include "kern/thread.h"
#include "vm/vm_page.h"
#include "vm/vm_tunables.h"

int vm_page_free_hysteresis;
int vm_max_launder;
int vm_emerg_launder;
int vm_pageout_memuse_mode;
int vm_pageout_allow_active;
int vm_pageout_debug;
int vm_swap_enabled;
int vm_defer_swapspace_pageouts;
int vm_disable_swapspace_pageouts;
int vm_anonmem_decline;
int vm_filemem_decline;
int vm_queue_idle_perc;
int vm_pageout_stats_rsecs;
int vm_pageout_stats_scan;
int vm_pageout_stats_actcmp;
int vm_pageout_stats_inalim;
int vm_pageout_stats_inamin;
long vm_pageout_lock_miss;
int vm_pageout_algorithm;
long vm_page_max_wired;
int vm_randomize_mmap;
int vm_map_relock_enable;
int vm_map_partition_enable;
int vm_map_backing_limit;
int vm_map_backing_shadow_test;
long vm_max_proc_mmap;
int vm_vkernel_enable;
int vm_debug_fault;
int vm_shared_fault;
int vm_fault_bypass_enable;
int vm_prefault_pages;
int vm_fast_fault;
int swap_burst_read;
int swap_user_async;
int swap_async_max;

/* Defaults, applied at every boot. */
struct vm_tunable_default {
	void	*var;
	int	is_long;
	long	value;
};

#define DFLT_I(v, d)	{ &(v), 0, (d) }
#define DFLT_L(v, d)	{ &(v), 1, (d) }

static const struct vm_tunable_default vm_tunable_defaults[] = {
	DFLT_I(vm_page_free_hysteresis, 16),
	DFLT_I(vm_max_launder, 0),
	DFLT_I(vm_emerg_launder, 100),
	DFLT_I(vm_pageout_memuse_mode, 2),
	DFLT_I(vm_pageout_allow_active, 1),
	DFLT_I(vm_pageout_debug, 0),
	DFLT_I(vm_swap_enabled, 1),
	DFLT_I(vm_defer_swapspace_pageouts, 0),
	DFLT_I(vm_disable_swapspace_pageouts, 0),
	DFLT_I(vm_anonmem_decline, ACT_DECLINE),
	DFLT_I(vm_filemem_decline, ACT_DECLINE * 2),
	DFLT_I(vm_queue_idle_perc, 20),
	DFLT_I(vm_pageout_stats_rsecs, 300),
	DFLT_I(vm_pageout_stats_scan, 0),
	DFLT_I(vm_pageout_stats_actcmp, 0),
	DFLT_I(vm_pageout_stats_inalim, 4096),
	DFLT_I(vm_pageout_stats_inamin, 16),
	DFLT_L(vm_pageout_lock_miss, 0),
	DFLT_I(vm_pageout_algorithm, 0),
	DFLT_L(vm_page_max_wired, 0),
	DFLT_I(vm_randomize_mmap, 0),
	DFLT_I(vm_map_relock_enable, 1),
	DFLT_I(vm_map_partition_enable, 1),
	DFLT_I(vm_map_backing_limit, 5),
	DFLT_I(vm_map_backing_shadow_test, 1),
	DFLT_L(vm_max_proc_mmap, 1000000),
	DFLT_I(vm_vkernel_enable, 0),
	DFLT_I(vm_debug_fault, 0),
	DFLT_I(vm_shared_fault, 1),
	DFLT_I(vm_fault_bypass_enable, 1),
	DFLT_I(vm_prefault_pages, 8),
	DFLT_I(vm_fast_fault, 1),
	DFLT_I(swap_burst_read, 0),
	DFLT_I(swap_user_async, 0),
	DFLT_I(swap_async_max, 4),
};

#define RW	(CTLFLAG_RW | CTLFLAG_TUN)
#define TUN_I(name, var, lo, hi, descr)					\
	{ name, CTLTYPE_INT, RW, &(var), (lo), (hi), NULL, descr }
#define TUN_L(name, var, lo, hi, descr)					\
	{ name, CTLTYPE_LONG, RW, &(var), (lo), (hi), NULL, descr }
#define THRESH(name, field, descr)					\
	{ name, CTLTYPE_LONG, RW, &vmstats.field, 1, INT32_MAX, NULL, descr }

static int vm_sysctl_stat(const struct sysctl_oid *oid, int64_t *oldval,
	    const int64_t *newval);
static int vm_sysctl_event(const struct sysctl_oid *oid, int64_t *oldval,
	    const int64_t *newval);

/* oid_arg carries the field's offset for the two handlers. */
#define STAT(name, field, descr)					\
	{ name, CTLTYPE_LONG, CTLFLAG_RD,				\
	    (void *)offsetof(struct vmstats, field), 0, INT64_MAX,	\
	    vm_sysctl_stat, descr }
#define EVENT(name, field, descr)					\
	{ name, CTLTYPE_LONG, CTLFLAG_RD,				\
	    (void *)offsetof(struct vmmeter, field), 0, INT64_MAX,	\
	    vm_sysctl_event, descr }

static const struct sysctl_oid vm_oids[] = {
	TUN_I("vm.page_free_hysteresis", vm_page_free_hysteresis, 0, 1 << 20,
	    "free pages above the minimum before waiters are woken"),
	TUN_I("vm.max_launder", vm_max_launder, 0, INT32_MAX,
	    "dirty pages flushed per pageout pass (0 = physmem/256 + 16)"),
	TUN_I("vm.emerg_launder", vm_emerg_launder, 0, INT32_MAX,
	    "emergency pager minimum inactive shortage"),
	TUN_I("vm.pageout_memuse_mode", vm_pageout_memuse_mode, 0, 3,
	    "RSS enforcement: 0 off, 1 passive, 2 active, 3 single-LRU"),
	TUN_I("vm.pageout_allow_active", vm_pageout_allow_active, 0, 1,
	    "clustered laundering may take active pages"),
	TUN_I("vm.pageout_debug", vm_pageout_debug, 0, 1,
	    "print pageout decisions"),
	TUN_I("vm.swap_enabled", vm_swap_enabled, 0, 1,
	    "wake the vmdaemon to swap out idle processes"),
	TUN_I("vm.defer_swapspace_pageouts", vm_defer_swapspace_pageouts,
	    0, 1, "prefer keeping dirty anonymous pages in memory"),
	TUN_I("vm.disable_swapspace_pageouts", vm_disable_swapspace_pageouts,
	    0, 1, "never page anonymous memory out to swap"),
	TUN_I("vm.anonmem_decline", vm_anonmem_decline, 0, ACT_MAX,
	    "act_count decline per pass for anonymous pages"),
	TUN_I("vm.filemem_decline", vm_filemem_decline, 0, ACT_MAX,
	    "act_count decline per pass for file pages"),
	TUN_I("vm.queue_idle_perc", vm_queue_idle_perc, 0, 100,
	    "page-stats scan stops at this percentage"),
	TUN_I("vm.pageout_stats_rsecs", vm_pageout_stats_rsecs, 0, 86400,
	    "idle seconds after which the stats scan rests"),
	TUN_I("vm.pageout_stats_scan", vm_pageout_stats_scan, 0, INT32_MAX,
	    "pages per stats scan (0 = free/1024/16, at least 16)"),
	TUN_I("vm.pageout_stats_actcmp", vm_pageout_stats_actcmp, 0,
	    ACT_MAX * 3 / 4, "self-tuning act_count comparator"),
	TUN_I("vm.pageout_stats_inalim", vm_pageout_stats_inalim, 1,
	    INT32_MAX, "pages examined per comparator adjustment"),
	TUN_I("vm.pageout_stats_inamin", vm_pageout_stats_inamin, 0,
	    INT32_MAX, "deactivation candidates wanted per adjustment"),
	{ "vm.pageout_lock_miss", CTLTYPE_LONG, CTLFLAG_RD,
	    &vm_pageout_lock_miss, 0, INT64_MAX, NULL,
	    "vnode locks the pageout daemon could not get" },
	TUN_I("vm.pageout_algorithm", vm_pageout_algorithm, 0, 1,
	    "1: deactivate active pages regardless of act_count"),
	TUN_L("vm.max_wired", vm_page_max_wired, 0, INT64_MAX,
	    "system-wide limit on wired pages (0 = free/3 at boot)"),
	TUN_I("vm.randomize_mmap", vm_randomize_mmap, 0, 1,
	    "randomize mmap placement"),
	TUN_I("vm.map_relock_enable", vm_map_relock_enable, 0, 1,
	    "prefault page tables on insert"),
	TUN_I("vm.map_partition_enable", vm_map_partition_enable, 0, 1,
	    "split large anonymous entries in 32 MiB partitions"),
	TUN_I("vm.map_backing_limit", vm_map_backing_limit, 1, 64,
	    "longest backing_ba chain before fork collapses it"),
	TUN_I("vm.map_backing_shadow_test", vm_map_backing_shadow_test, 0,
	    1, "test ba.object for full shadowing at fork"),
	TUN_L("vm.max_proc_mmap", vm_max_proc_mmap, 0, INT64_MAX,
	    "map entries per process (0 = no limit)"),
	TUN_I("vm.vkernel_enable", vm_vkernel_enable, 0, 1,
	    "allow MAP_VPAGETABLE"),
	TUN_I("vm.debug_fault", vm_debug_fault, 0, 1, "debug fault output"),
	TUN_I("vm.shared_fault", vm_shared_fault, 0, 1,
	    "allow shared object tokens in faults"),
	TUN_I("vm.fault_bypass", vm_fault_bypass_enable, 0, 1,
	    "lockless fault shortcut through the page hash"),
	TUN_I("vm.prefault_pages", vm_prefault_pages, 0, 64,
	    "pages prefaulted around a fault (half each way)"),
	TUN_I("vm.fast_fault", vm_fast_fault, 0, 1,
	    "prefault may zero-fill new pages"),
	TUN_I("vm.swap_burst_read", swap_burst_read, 0, 1,
	    "read ahead following swap-backed pages"),
	TUN_I("vm.swap_user_async", swap_user_async, 0, 1,
	    "let user threads write swap asynchronously"),
	TUN_I("vm.swap_async_max", swap_async_max, 1, 64,
	    "asynchronous swap writes in flight"),

	THRESH("vm.v_free_min", v_free_min, "base of the paging thresholds"),
	THRESH("vm.v_free_reserved", v_free_reserved,
	    "free pages below which only system allocations succeed"),
	THRESH("vm.v_free_severe", v_free_severe,
	    "free+cache below which user processes stall"),
	THRESH("vm.v_free_target", v_free_target, "free pages to aim for"),
	THRESH("vm.v_pageout_free_min", v_pageout_free_min,
	    "reserve for the pageout daemon"),
	THRESH("vm.v_interrupt_free_min", v_interrupt_free_min,
	    "reserve for interrupt allocations"),
	THRESH("vm.v_inactive_target", v_inactive_target,
	    "pages wanted on the inactive queue"),
	THRESH("vm.v_paging_wait", v_paging_wait,
	    "free+cache below which allocations slow down"),
	THRESH("vm.v_paging_start", v_paging_start,
	    "free+cache below which the pageout daemon starts"),
	THRESH("vm.v_paging_target1", v_paging_target1,
	    "pageout works hard up to this"),
	THRESH("vm.v_paging_target2", v_paging_target2,
	    "pageout takes it easy up to this"),

	STAT("vm.stats.vm.v_page_size", v_page_size, "bytes per page"),
	STAT("vm.stats.vm.v_page_count", v_page_count, "managed pages"),
	STAT("vm.stats.vm.v_free_count", v_free_count, "free pages"),
	STAT("vm.stats.vm.v_cache_count", v_cache_count, "cached pages"),
	STAT("vm.stats.vm.v_inactive_count", v_inactive_count,
	    "inactive pages"),
	STAT("vm.stats.vm.v_active_count", v_active_count, "active pages"),
	STAT("vm.stats.vm.v_wire_count", v_wire_count, "wired pages"),
	STAT("vm.stats.vm.v_hold_count", v_hold_count, "held freed pages"),
	STAT("vm.stats.vm.v_dma_pages", v_dma_pages, "contiguous reserve"),
	EVENT("vm.stats.vm.v_vm_faults", v_vm_faults, "faults"),
	EVENT("vm.stats.vm.v_cow_faults", v_cow_faults, "copy-on-write faults"),
	EVENT("vm.stats.vm.v_cow_optim", v_cow_optim, "COW without copy"),
	EVENT("vm.stats.vm.v_zfod", v_zfod, "zero-fill faults"),
	EVENT("vm.stats.vm.v_ozfod", v_ozfod, "optimized zero fills"),
	EVENT("vm.stats.vm.v_intrans", v_intrans, "faults on busy pages"),
	EVENT("vm.stats.vm.v_reactivated", v_reactivated,
	    "pages reactivated"),
	EVENT("vm.stats.vm.v_swapin", v_swapin, "swap pageins"),
	EVENT("vm.stats.vm.v_swapout", v_swapout, "swap pageouts"),
	EVENT("vm.stats.vm.v_swappgsin", v_swappgsin, "pages swapped in"),
	EVENT("vm.stats.vm.v_swappgsout", v_swappgsout, "pages swapped out"),
	EVENT("vm.stats.vm.v_vnodein", v_vnodein, "vnode pageins"),
	EVENT("vm.stats.vm.v_vnodeout", v_vnodeout, "vnode pageouts"),
	EVENT("vm.stats.vm.v_vnodepgsin", v_vnodepgsin, "vnode pages in"),
	EVENT("vm.stats.vm.v_vnodepgsout", v_vnodepgsout, "vnode pages out"),
	EVENT("vm.stats.vm.v_pdwakeups", v_pdwakeups, "pagedaemon wakeups"),
	EVENT("vm.stats.vm.v_pdpages", v_pdpages, "pages scanned by daemon"),
	EVENT("vm.stats.vm.v_tcached", v_tcached, "pages cached"),
	EVENT("vm.stats.vm.v_dfree", v_dfree, "pages freed by daemon"),
	EVENT("vm.stats.vm.v_pfree", v_pfree, "pages freed at exit"),
	EVENT("vm.stats.vm.v_tfree", v_tfree, "pages freed"),
	EVENT("vm.stats.vm.v_forks", v_forks, "forks"),
	EVENT("vm.stats.vm.v_forkpages", v_forkpages, "pages touched by fork"),
	EVENT("vm.stats.vm.v_pagealloc", v_pagealloc, "pages allocated"),
};

/*
 * vmmeter_sum - add up every CPU's event counters into *sum.
 * No requirements; counters are read atomically one by one.
 */
void
vmmeter_sum(struct vmmeter *sum)
{
	const size_t n = sizeof(*sum) / sizeof(long);
	long *dst = (long *)sum;
	int cpu;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++) {
		long *src = (long *)&globaldata_find(cpu)->gd_cnt;

		for (i = 0; i < n; i++)
			dst[i] += atomic_load_relaxed(&src[i]);
	}
}

static int
vm_sysctl_stat(const struct sysctl_oid *oid, int64_t *oldval,
    const int64_t *newval)
{
	size_t off = (size_t)oid->oid_arg;

	if (newval != NULL)
		return (EPERM);
	vmstats_rollup();
	*oldval = atomic_load_relaxed((long *)((char *)&vmstats + off));
	return (0);
}

static int
vm_sysctl_event(const struct sysctl_oid *oid, int64_t *oldval,
    const int64_t *newval)
{
	size_t off = (size_t)oid->oid_arg;
	struct vmmeter sum;

	if (newval != NULL)
		return (EPERM);
	vmmeter_sum(&sum);
	*oldval = *(long *)((char *)&sum + off);
	return (0);
}

void
vm_sysctl_init(void)
{
	size_t i;

	for (i = 0; i < nitems(vm_tunable_defaults); i++) {
		const struct vm_tunable_default *d = &vm_tunable_defaults[i];

		if (d->is_long)
			*(long *)d->var = d->value;
		else
			*(int *)d->var = (int)d->value;
	}
	sysctl_register(vm_oids, (int)nitems(vm_oids));
}

void
vm_sysctl_fini(void)
{
	sysctl_unregister(vm_oids, (int)nitems(vm_oids));
}
