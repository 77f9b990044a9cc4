/*
 * vm_fault.h - the page-fault path (DragonFly's vm/vm_fault.c entry
 * points, declared in DragonFly's vm_extern.h and vm_map.h).
 *
 * vm_fault resolves a fault at an address of a map: it finds the page
 * through the entry's backing chain (copying it into the head object on a
 * write, zero-filling it when nothing has it) and enters it into the map's
 * pmap.  See the design note in vm_fault.c and docs/vm_fault.md.
 */
#ifndef _VM_VM_FAULT_H_
#define _VM_VM_FAULT_H_

#include "vm/vm.h"

/* fault_flags (DragonFly's vm_map.h values). */
#define VM_FAULT_NORMAL		0x00	/* an ordinary fault */
#define VM_FAULT_CHANGE_WIRING	0x01	/* wire the page (vm_fault_wire) */
#define VM_FAULT_USER_WIRE	0x02	/* ... for mlock: may override write */
#define VM_FAULT_BURST		0x04	/* prefault around the address */
#define VM_FAULT_DIRTY		0x08	/* dirty the page */
#define VM_FAULT_UNSWAP		0x10	/* drop its swap backing */
#define VM_FAULT_BURST_QUICK	0x20	/* prefault resident pages only */
#define VM_FAULT_USERMODE	0x40	/* a user access: growstack, RSS */
#define VM_FAULT_WIRE_MASK	(VM_FAULT_CHANGE_WIRING | VM_FAULT_USER_WIRE)

/*
 * vm_fault - resolve a fault of fault_type (VM_PROT_READ, _WRITE or
 * _EXECUTE, plus VM_PROT_OVERRIDE_WRITE) at vaddr in map.  The caller
 * holds no map lock, no object token and no busy page.  May block.
 * Returns KERN_SUCCESS with the page entered into the map's pmap (wired
 * with VM_FAULT_CHANGE_WIRING), or KERN_INVALID_ADDRESS (nothing mapped,
 * no stack to grow), KERN_PROTECTION_FAILURE (access not allowed, past
 * the end of the object, a pager's VM_PAGER_BAD, or memory short while
 * the faulting process exits), KERN_FAILURE (a pager's VM_PAGER_ERROR:
 * SIGBUS/BUS_OBJERR) or KERN_RESOURCE_SHORTAGE (no memory for a map
 * entry's backing link).  Short of pages it waits (vm_wait_pfault) until
 * memory comes back, as DragonFly does.
 */
int	vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
	    int fault_flags);

/*
 * vm_fault_page - the page at vaddr for kernel access to user memory
 * (ptrace, copy loops), faulting it in as vm_fault would but without
 * touching the pmap.  Same requirements.  Returns the page held (or, with
 * busyp non-NULL, hard-busied with *busyp = 1, or held with *busyp = 0
 * when a lockless path found it) and *errorp = 0; or NULL
 * and *errorp the KERN_* failure.  A write fault dirties the page.
 */
vm_page_t vm_fault_page(vm_map_t map, vm_offset_t vaddr,
	    vm_prot_t fault_type, int fault_flags, int *errorp, int *busyp);

/*
 * The vm_map fault hooks (struct vm_map_fault_hooks, see vm_map.h for
 * their locking contracts).
 */
int	vm_fault_wire(vm_map_t map, vm_map_entry_t entry, boolean_t user_wire,
	    int kmflags);
void	vm_fault_unwire(vm_map_t map, vm_map_entry_t entry);
int	vm_fault_collapse(vm_map_t map, vm_map_entry_t entry);
void	vm_fault_copy_entry(vm_map_t dst_map, vm_map_t src_map,
	    vm_map_entry_t dst_entry, vm_map_entry_t src_entry);

/*
 * vm_fault_trap - the software MMU's fault hook: a user access to va in
 * the vmspace whose pmap is `pmap' (NULL arg) faulted.  Returns vm_fault's
 * KERN_* result, which pmap_access turns into a signal.
 */
int	vm_fault_trap(pmap_t pmap, vm_offset_t va, vm_prot_t type, void *arg);

/*
 * vm_fault_init - install vm_fault_trap as the pmap fault hook and the
 * vm_map fault hooks; called at boot after vm_map_startup, with no fault
 * running.  vm_fault_fini removes them again.
 */
void	vm_fault_init(void);
void	vm_fault_fini(void);

#endif /* !_VM_VM_FAULT_H_ */
