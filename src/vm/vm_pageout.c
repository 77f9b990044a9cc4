/*
 * vm_pageout.c - page reclamation (DragonFly's vm/vm_pageout.c): so far
 * only the RSS scan of one address space, which the fault path runs for
 * a process over RLIMIT_RSS.  See vm_pageout.h.
 *
 * The scan walks the pmap, not the map: what counts against the limit is
 * what the pmap maps (pmap_resident_tlnw_count), and a page taken out of
 * the pmap stops counting at once, whatever object it lives in.  The
 * page itself stays in its object (dirty pages keep their contents); the
 * next access faults it back in.  DragonFly also launders an inactive
 * page here when vm.pageout_memuse_mode >= 2; flyvm has no pager to write
 * to yet, so the page is left inactive for the pageout scans.
 */
#include <string.h>

#include "kern/systm.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_pageout.h"

#define VM_PAGEOUT_MDP_PASSES	3	/* wrap-arounds before giving up */

/*
 * vm_pageout_mdp_callback - pmap_pgscan callback: deal with page m,
 * mapped at va in info->pmap and hard-busied by the scan.  Disposes of
 * the busy.  Returns -1 (stop) once the pmap is at info->limit, else 0.
 * May block (pmap locks).
 */
static int
vm_pageout_mdp_callback(struct pmap_pgscan_info *info, vm_offset_t va,
    vm_page_t m)
{
	if (pmap_resident_tlnw_count(info->pmap) <= (long)info->limit) {
		vm_page_wakeup(m);
		return (-1);
	}
	if (atomic_load_int(&m->wire_count) != 0 ||
	    atomic_load_int(&m->hold_count) != 0 ||
	    (vm_page_flags(m) & PG_UNQUEUED) != 0) {
		vm_page_wakeup(m);
		return (0);
	}
	/* Referenced since the last look: keep it this time round. */
	if (pmap_ts_referenced(m) != 0 ||
	    (vm_page_flags(m) & PG_REFERENCED) != 0) {
		vm_page_flag_clear(m, PG_REFERENCED);
		vm_page_activate(m);
		vm_page_wakeup(m);
		return (0);
	}
	pmap_remove_specific(info->pmap, m);
	if ((pmap_mapped_sync(m) & PG_MAPPED) == 0 &&
	    vm_page_qbase(m) == PQ_ACTIVE)
		vm_page_deactivate(m);
	vm_page_wakeup(m);
	return (0);
}

/* vm_pageout_map_deactivate_pages - see vm_pageout.h. */
void
vm_pageout_map_deactivate_pages(vm_map_t map, vm_pindex_t limit)
{
	struct pmap_pgscan_info info;
	int pass;

	memset(&info, 0, sizeof(info));
	info.pmap = vm_map_pmap(map);
	info.beg_addr = vm_map_min(map);
	info.end_addr = vm_map_max(map);
	info.limit = limit;
	info.callback = vm_pageout_mdp_callback;
	/* A resume hint only: racing scans of one map may overwrite it. */
	info.offset = atomic_load_relaxed(&map->pgout_offset);
	for (pass = 0; pass < VM_PAGEOUT_MDP_PASSES; pass++) {
		if (pmap_resident_tlnw_count(info.pmap) <= (long)limit)
			break;
		if (info.offset >= info.end_addr)
			info.offset = info.beg_addr;
		pmap_pgscan(&info);
	}
	atomic_store_relaxed(&map->pgout_offset, info.offset);
}
