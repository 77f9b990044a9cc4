/*
 * vm_pageout.h - page reclamation (DragonFly's vm/vm_pageout.c).
 *
 * flyvm has no pageout daemon yet.  What exists is the part of RSS
 * enforcement the fault path runs (facts sheet 4.8): a process whose
 * resident set is over its RLIMIT_RSS has pages taken out of its pmap and
 * deactivated, so that the pageout scans, once they exist, find them
 * first.
 */
#ifndef _VM_VM_PAGEOUT_H_
#define _VM_VM_PAGEOUT_H_

#include "vm/vm.h"

/*
 * vm_pageout_map_deactivate_pages - bring map's pmap down to `limit'
 * pages resident (wired ones not counted).  Starting where the previous
 * call stopped (map->pgout_offset) and wrapping round at most three
 * times, each mapped page that is not wired, held or unqueued is either
 * given another chance (it was referenced since the last look: its
 * reference is cleared and it is reactivated) or removed from this pmap
 * only, and deactivated if no other pmap maps it.  Stops as soon as the
 * pmap is at the limit.  No locks held on entry; may block.  Several
 * threads may run it for one map at once (each page is busied by one).
 */
void	vm_pageout_map_deactivate_pages(vm_map_t map, vm_pindex_t limit);

#endif /* !_VM_VM_PAGEOUT_H_ */
