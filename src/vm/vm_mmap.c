/*
 * vm_mmap.c - the memory system calls (DragonFly's vm/vm_mmap.c): mmap,
 * munmap, msync, mprotect, minherit, madvise, mcontrol, mincore, mlock,
 * munlock, mlockall and munlockall, and the internal vm_mmap() they and
 * (later) exec and shm map through.
 *
 * Design note
 * -----------
 * Each sys_* call is the kernel half of one system call: it checks its
 * arguments in the order DragonFly's does, so that every bad input gets
 * the errno a DragonFly program would see (facts sheet, section 1), and
 * then calls the map layer, whose KERN_* answer is turned into an errno
 * here and nowhere else.  The calls act on p->p_vmspace; p is held by the
 * caller and the calling thread is bound to it.
 *
 * Range normalisation.  msync, munmap, mprotect, minherit, mlock and
 * munlock widen [addr, addr + len) to whole pages by moving addr down to
 * its page and growing len by as much (vm_mmap_range); a length that
 * wraps is EINVAL.  madvise, mcontrol and mincore instead take
 * [trunc_page(addr), round_page(addr + len)) and check that the end stays
 * below VM_MAX_USER_ADDRESS.
 *
 * Serialisation.  The map token is the soft lock of the system-call
 * layer: mmap holds it from the map-entry cap check through the insert,
 * munmap from the hole check through the removal, brk from reading the
 * break through moving it, and the wiring calls around their map calls.
 * Like every token it is given up while its holder sleeps, so a sequence
 * that can sleep in the middle (mlockall faulting pages in) must cope
 * with the map changing under it.  The map lock itself is only taken by
 * the map layer, or briefly here to read a field.
 *
 * Lock order: map token -> map lock -> object token (mincore).
 *
 * Not here: file and device mappings (no vnodes yet: mmap of a
 * descriptor is EBADF), MAP_VPAGETABLE (vm.vkernel_enable; there is no
 * virtual page table map type), and the write-back half of msync.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kern/proc.h"
#include "kern/thread.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_mmap.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"
#include "vm/vm_tunables.h"

/* Non-fixed mappings larger than this get SEG_SIZE alignment. */
#define VM_MMAP_SEG_ALIGN_MIN	(SEG_SIZE * 16)

/*
 * vm_mmap_to_errno - see vm_mmap.h.  No requirements.
 */
int
vm_mmap_to_errno(int rv)
{
	switch (rv) {
	case KERN_SUCCESS:
		return (0);
	case KERN_INVALID_ADDRESS:
	case KERN_NO_SPACE:
		return (ENOMEM);
	case KERN_PROTECTION_FAILURE:
		return (EACCES);
	default:
		return (EINVAL);
	}
}

/*
 * vm_mmap_range - the common normalisation (facts 1.2): addr moves down
 * to its page, len grows by as much and is rounded to pages.  EINVAL if
 * the length or the end wraps, else 0 with *addrp and *lenp updated.
 * No requirements.
 */
static int
vm_mmap_range(vm_offset_t *addrp, vm_size_t *lenp)
{
	vm_offset_t addr = *addrp;
	vm_size_t len = *lenp, pageoff;

	pageoff = addr & PAGE_MASK;
	addr -= pageoff;
	len = round_page(len + pageoff);
	if (len < *lenp || addr + len < addr)
		return (EINVAL);
	*addrp = addr;
	*lenp = len;
	return (0);
}

/*
 * vm_mmap_advise_range - madvise/mcontrol/mincore's range check: EINVAL
 * if addr + len wraps or passes VM_MAX_USER_ADDRESS (VM_MIN_USER_ADDRESS
 * is 0, so no start is too low).  No requirements.
 */
static int
vm_mmap_advise_range(vm_offset_t addr, vm_size_t len, vm_offset_t *startp,
    vm_offset_t *endp)
{
	vm_offset_t end = addr + len;

	if (end < addr || end > VM_MAX_USER_ADDRESS)
		return (EINVAL);
	*startp = trunc_page(addr);
	*endp = round_page(end);
	return (0);
}

/*
 * What the system calls read of a map: its size, entry count and whether
 * it wires new mappings (mlockall(MCL_FUTURE)), read under the map lock.
 * A snapshot, as DragonFly's unlocked reads are: the caller's map token
 * keeps other system calls out only until it sleeps, and a fault may
 * grow a stack at any time.
 */
struct vm_mmap_mapinfo {
	vm_size_t	size;
	int		nentries;
	int		wirefuture;
};

static struct vm_mmap_mapinfo
vm_mmap_mapinfo(vm_map_t map)
{
	struct vm_mmap_mapinfo mi;

	vm_map_lock_read(map);
	mi.size = map->size;
	mi.nentries = map->nentries;
	mi.wirefuture = (map->flags & MAP_WIREFUTURE) != 0;
	vm_map_unlock_read(map);
	return (mi);
}

/*
 * vm_rlimit_exceeded - see vm_mmap.h.  No requirements.
 */
int
vm_rlimit_exceeded(struct proc *p, int which, vm_size_t size)
{
	rlim_t cur = proc_rlimit_cur(p, which);

	return (cur != RLIM_INFINITY && size > (vm_size_t)cur);
}

/*
 * vm_map_hint - see vm_mmap.h (facts 1.4).  A hint of 0, or one inside
 * the region reserved for the heap (text start up to data start plus
 * RLIMIT_DATA), moves above that region, so that mmap never takes the
 * space brk grows into.  With vm.randomize_mmap a zero hint lands at a
 * random page in the RLIMIT_DATA-sized window above it.  No requirements.
 */
vm_offset_t
vm_map_hint(struct proc *p, vm_offset_t addr, vm_prot_t prot)
{
	struct vmspace *vms = p->p_vmspace;
	vm_size_t dsiz = (vm_size_t)proc_rlimit_cur(p, RLIMIT_DATA);
	uint64_t r;

	(void)prot;
	if (!atomic_load_relaxed(&vm_randomize_mmap) || addr != 0) {
		if (addr == 0 ||
		    (addr >= round_page(vms->vm_taddr) &&
		     addr < round_page(vms->vm_daddr + dsiz)))
			addr = round_page(vms->vm_daddr + dsiz);
		return (addr);
	}
	addr = vms->vm_daddr + dsiz;
	if (dsiz != 0) {
		arc4random_buf(&r, sizeof(r));
		addr += (r & INT64_MAX) % dsiz;
	}
	return (round_page(addr));
}

/*
 * vm_mmap_align - the alignment vm_mmap places a mapping of `size' with:
 * the size itself for MAP_SIZEALIGN (which must be a power of two, else
 * 0: EINVAL), SEG_SIZE for a non-fixed mapping that is a multiple of it
 * or larger than 16 of them (the MMU can use large pages), else a page.
 */
static vm_size_t
vm_mmap_align(vm_size_t size, int flags)
{
	if (flags & MAP_SIZEALIGN)
		return (powerof2(size) ? size : 0);
	if ((flags & MAP_FIXED) == 0 &&
	    ((size & SEG_MASK) == 0 || size > VM_MMAP_SEG_ALIGN_MIN))
		return (SEG_SIZE);
	return (PAGE_SIZE);
}

/* The docow (COWF_*) bits of an anonymous mapping's MAP_* flags. */
static int
vm_mmap_cow(int flags)
{
	int docow = 0;

	/* Neither shared nor anonymous: private, whatever else was asked. */
	if ((flags & (MAP_ANON | MAP_SHARED)) == 0)
		docow |= COWF_COPY_ON_WRITE;
	if (flags & MAP_NOSYNC)
		docow |= COWF_DISABLE_SYNCER;
	if (flags & MAP_NOCORE)
		docow |= COWF_DISABLE_COREDUMP;
	return (docow);
}

/*
 * vm_mmap - see vm_mmap.h (facts 1.4).  Only anonymous memory exists
 * yet: handle must be NULL (EINVAL otherwise), and the object is made at
 * the first fault.  When map is the calling process's, RLIMIT_AS bounds
 * its size (ENOMEM).  MAP_FIXED removes whatever was in the range first;
 * MAP_TRYFIXED fails with ENOMEM instead; otherwise the first fit at or
 * above *addr is taken.  MAP_STACK makes a grow-down stack over the
 * range (exec's use).  Shared and MAP_INHERIT mappings are inherited
 * shared by fork children, and a map under mlockall(MCL_FUTURE) wires
 * the new range.  The caller holds the map token and not the map lock.
 * May block.  Returns 0 with the address in *addr, or an errno.
 */
int
vm_mmap(vm_map_t map, vm_offset_t *addr, vm_size_t size, vm_prot_t prot,
    vm_prot_t maxprot, int flags, void *handle, vm_ooffset_t foff)
{
	struct proc *p = curthread->td_proc;
	vm_size_t align, total;
	int docow, fitit, rv;

	if (size == 0)
		return (0);
	if (round_page(size) < size)
		return (EINVAL);
	size = round_page(size);
	if (p != NULL && p->p_vmspace != NULL &&
	    map == &p->p_vmspace->vm_map) {
		total = vm_mmap_mapinfo(map).size + size;
		if (total < size || vm_rlimit_exceeded(p, RLIMIT_VMEM, total))
			return (ENOMEM);
	}
	if ((foff & PAGE_MASK) != 0)
		return (EINVAL);
	align = vm_mmap_align(size, flags);
	if (align == 0)
		return (EINVAL);
	/* No pager handles (files, devices, shm) exist yet. */
	if (handle != NULL)
		return (EINVAL);
	if ((flags & (MAP_FIXED | MAP_TRYFIXED)) == 0) {
		fitit = TRUE;
		*addr = round_page(*addr);
	} else {
		if ((*addr & PAGE_MASK) != 0 || *addr + size < *addr)
			return (EINVAL);
		fitit = FALSE;
		if ((flags & MAP_TRYFIXED) == 0)
			(void)vm_map_remove(map, *addr, *addr + size);
	}
	docow = vm_mmap_cow(flags);
	if (flags & MAP_STACK)
		rv = vm_map_stack(map, addr, size, flags & MAP_TRYFIXED, prot,
		    maxprot, docow);
	else
		rv = vm_map_find(map, NULL, NULL, foff, addr, size, align,
		    fitit, VM_MAPTYPE_NORMAL, VM_SUBSYS_MMAP, prot, maxprot,
		    docow);
	if (rv != KERN_SUCCESS)
		return (vm_mmap_to_errno(rv));
	if (flags & (MAP_SHARED | MAP_INHERIT)) {
		rv = vm_map_inherit(map, *addr, *addr + size,
		    VM_INHERIT_SHARE);
		if (rv != KERN_SUCCESS) {
			(void)vm_map_remove(map, *addr, *addr + size);
			return (vm_mmap_to_errno(rv));
		}
	}
	/* As in DragonFly, a wiring that fails leaves the mapping made. */
	if (vm_mmap_mapinfo(map).wirefuture)
		(void)vm_map_user_wiring(map, *addr, *addr + size, FALSE);
	return (0);
}

/*
 * The MAP_VPAGETABLE checks (facts 1.3 step 6).  Even with
 * vm.vkernel_enable set, flyvm has no virtual page table map type, so a
 * request that passes the checks is still EOPNOTSUPP.
 */
static int
vm_mmap_vpagetable(int prot, int flags)
{
	if (atomic_load_relaxed(&vm_vkernel_enable) == 0)
		return (EOPNOTSUPP);
	if (flags & MAP_STACK)
		return (EINVAL);
	if ((prot & (PROT_READ | PROT_WRITE)) != (PROT_READ | PROT_WRITE))
		return (EINVAL);
	return (EOPNOTSUPP);
}

/*
 * sys_mmap - see vm_mmap.h; the checks in facts 1.3 order.  A userland
 * MAP_STACK must be an anonymous read-write request and becomes plain
 * anonymous memory.  Returns the mapping's address plus the sub-page
 * offset of pos in *resp.
 */
int
sys_mmap(struct proc *p, vm_offset_t addr, vm_size_t len, int prot,
    int flags, int fd, off_t pos, vm_offset_t *resp)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	vm_offset_t pageoff;
	vm_size_t size;
	int error;

	if (flags & MAP_STACK) {
		if (fd != -1)
			return (EINVAL);
		if ((prot & (PROT_READ | PROT_WRITE)) !=
		    (PROT_READ | PROT_WRITE))
			return (EINVAL);
		flags = (flags & ~MAP_STACK) | MAP_ANON;
		pos = 0;
	}
	prot &= VM_PROT_ALL;
	if ((flags & MAP_ANON) && (fd != -1 || pos != 0))
		return (EINVAL);
	if (len == 0)
		return (EINVAL);
	if (flags & MAP_VPAGETABLE) {
		error = vm_mmap_vpagetable(prot, flags);
		if (error != 0)
			return (error);
	}
	pageoff = (vm_offset_t)pos & PAGE_MASK;
	pos -= (off_t)pageoff;
	size = round_page(len + pageoff);
	if (size < len)
		return (EINVAL);
	if (flags & (MAP_FIXED | MAP_TRYFIXED)) {
		addr -= pageoff;
		if ((addr & PAGE_MASK) != 0 || addr + size < addr ||
		    addr + size > VM_MAX_USER_ADDRESS)
			return (EINVAL);
	} else {
		addr = vm_map_hint(p, addr, prot);
	}
	/* No descriptor can be valid: there are no files yet. */
	if ((flags & MAP_ANON) == 0)
		return (EBADF);

	lwkt_gettoken(&map->token);
	if (atomic_load_relaxed(&vm_max_proc_mmap) != 0 &&
	    vm_mmap_mapinfo(map).nentries >= atomic_load_relaxed(&vm_max_proc_mmap))
		error = ENOMEM;
	else
		error = vm_mmap(map, &addr, size, prot, VM_PROT_ALL, flags,
		    NULL, pos);
	if (error == 0)
		*resp = addr + pageoff;
	lwkt_reltoken(&map->token);
	return (error);
}

/*
 * sys_munmap - see vm_mmap.h (facts 1.5): the whole range must be mapped
 * (a hole is EINVAL and nothing is removed); length 0 is a no-op.
 */
int
sys_munmap(struct proc *p, vm_offset_t addr, vm_size_t len)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	int error;

	if ((error = vm_mmap_range(&addr, &len)) != 0)
		return (error);
	if (len == 0)
		return (0);
	if (addr + len > VM_MAX_USER_ADDRESS)
		return (EINVAL);
	lwkt_gettoken(&map->token);
	if (!vm_map_check_protection(map, addr, addr + len, VM_PROT_NONE,
	    FALSE))
		error = EINVAL;
	else
		(void)vm_map_remove(map, addr, addr + len);
	lwkt_reltoken(&map->token);
	return (error);
}

/*
 * sys_msync - see vm_mmap.h (facts 1.9).  Length 0 means the whole map
 * entry holding addr.  MS_ASYNC with MS_INVALIDATE is EINVAL; other
 * flag bits are ignored.
 */
int
sys_msync(struct proc *p, vm_offset_t addr, vm_size_t len, int flags)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	vm_map_entry_t entry;
	int error, rv;

	if ((error = vm_mmap_range(&addr, &len)) != 0)
		return (error);
	if ((flags & (MS_ASYNC | MS_INVALIDATE)) ==
	    (MS_ASYNC | MS_INVALIDATE))
		return (EINVAL);
	lwkt_gettoken(&map->token);
	rv = KERN_SUCCESS;
	if (len == 0) {
		vm_map_lock_read(map);
		if (vm_map_lookup_entry(map, addr, &entry)) {
			addr = entry->ba.start;
			len = entry->ba.end - entry->ba.start;
		} else {
			rv = KERN_INVALID_ADDRESS;
		}
		vm_map_unlock_read(map);
	}
	if (rv == KERN_SUCCESS)
		rv = vm_map_clean(map, addr, addr + len,
		    (flags & MS_ASYNC) == 0, (flags & MS_INVALIDATE) != 0);
	lwkt_reltoken(&map->token);
	switch (rv) {
	case KERN_SUCCESS:
		return (0);
	case KERN_FAILURE:
		return (EIO);
	default:
		return (EINVAL);
	}
}

/*
 * mprotect and minherit's range: normalised (vm_mmap_range), then
 * clamped to the user address range as DragonFly's VM_MAP_RANGE_CHECK
 * does: the part above it is a hole, and those calls skip holes.
 */
static int
vm_mmap_user_range(vm_offset_t *addrp, vm_size_t *lenp, vm_offset_t *endp)
{
	int error;

	if ((error = vm_mmap_range(addrp, lenp)) != 0)
		return (error);
	*endp = MIN(*addrp + *lenp, VM_MAX_USER_ADDRESS);
	*addrp = MIN(*addrp, *endp);
	return (0);
}

/* The errno of mprotect's and minherit's map call. */
static int
vm_mmap_range_errno(int rv)
{
	switch (rv) {
	case KERN_SUCCESS:
		return (0);
	case KERN_PROTECTION_FAILURE:
		return (EACCES);
	default:
		return (EINVAL);
	}
}

/*
 * sys_mprotect - see vm_mmap.h (facts 1.6).  Unknown protection bits are
 * dropped; holes are skipped; a protection above some entry's maximum is
 * EACCES and changes nothing.
 */
int
sys_mprotect(struct proc *p, vm_offset_t addr, vm_size_t len, int prot)
{
	vm_offset_t end;
	int error;

	prot &= VM_PROT_ALL;
	if ((error = vm_mmap_user_range(&addr, &len, &end)) != 0)
		return (error);
	return (vm_mmap_range_errno(vm_map_protect(&p->p_vmspace->vm_map,
	    addr, end, (vm_prot_t)prot, FALSE)));
}

/*
 * sys_minherit - see vm_mmap.h (facts 1.7): INHERIT_SHARE, _COPY or
 * _NONE, anything else EINVAL; holes are skipped.
 */
int
sys_minherit(struct proc *p, vm_offset_t addr, vm_size_t len, int inherit)
{
	vm_offset_t end;
	int error;

	if ((error = vm_mmap_user_range(&addr, &len, &end)) != 0)
		return (error);
	/* Checked before the narrowing to vm_inherit_t. */
	if (inherit != VM_INHERIT_SHARE && inherit != VM_INHERIT_COPY &&
	    inherit != VM_INHERIT_NONE)
		return (EINVAL);
	return (vm_mmap_range_errno(vm_map_inherit(&p->p_vmspace->vm_map,
	    addr, end, (vm_inherit_t)inherit)));
}

/*
 * sys_madvise - see vm_mmap.h (facts 1.8): behaviours 0 to MADV_INVAL;
 * unmapped parts of the range are not an error.
 */
int
sys_madvise(struct proc *p, vm_offset_t addr, vm_size_t len, int behav)
{
	vm_offset_t start, end;
	int error;

	if (behav < 0 || behav >= MADV_CONTROL_END)
		return (EINVAL);
	if ((error = vm_mmap_advise_range(addr, len, &start, &end)) != 0)
		return (error);
	if (vm_map_madvise(&p->p_vmspace->vm_map, start, end, behav, 0) !=
	    KERN_SUCCESS)
		return (EINVAL);
	return (0);
}

/* The first entry at or above addr, or NULL.  Map locked. */
static vm_map_entry_t
vm_mmap_entry_from(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t entry;

	if (vm_map_lookup_entry(map, addr, &entry))
		return (entry);
	if (entry == NULL)
		return (RB_MIN(vm_map_rb_tree, &map->rb_root));
	return (RB_NEXT(vm_map_rb_tree, &map->rb_root, entry));
}

/* Does any entry of the map overlap [start, end)?  Takes the map lock. */
static int
vm_mmap_range_mapped(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t entry;
	int found;

	vm_map_lock_read(map);
	entry = vm_mmap_entry_from(map, start);
	found = (entry != NULL && entry->ba.start < end);
	vm_map_unlock_read(map);
	return (found);
}

/*
 * sys_mcontrol - see vm_mmap.h (facts 1.8): madvise plus MADV_SETMAP.
 * SETMAP needs a virtual page table entry, which flyvm never has: it is
 * EINVAL when the range holds any entry and, as in DragonFly, a no-op on
 * an empty range.
 */
int
sys_mcontrol(struct proc *p, vm_offset_t addr, vm_size_t len, int behav,
    off_t value)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	vm_offset_t start, end;
	int error;

	if (behav < 0 || behav > MADV_CONTROL_END)
		return (EINVAL);
	if ((error = vm_mmap_advise_range(addr, len, &start, &end)) != 0)
		return (error);
	if (behav == MADV_SETMAP)
		return (vm_mmap_range_mapped(map, start, end) ? EINVAL : 0);
	if (vm_map_madvise(map, start, end, behav, value) != KERN_SUCCESS)
		return (EINVAL);
	return (0);
}

/*
 * The top-object half of mincore for one page the pmap knows nothing
 * about: if the entry's own object holds the page resident and valid, it
 * is in core, modified or referenced "by someone else" as its dirty bits,
 * PG_REFERENCED and the other mappings' pte bits say (the latter are
 * cleared by the look, as in DragonFly).  Backing objects are not
 * consulted.  Map locked.
 */
static int
vm_mmap_mincore_object(vm_map_entry_t entry, vm_offset_t va)
{
	vm_object_t obj = entry->ba.object;
	vm_pindex_t pindex;
	vm_page_t m;
	int val = 0;

	pindex = OFF_TO_IDX(entry->ba.offset + (vm_ooffset_t)(va -
	    entry->ba.start));
	vm_object_hold_shared(obj);
	m = vm_page_lookup(obj, pindex);
	if (m != NULL && atomic_load_relaxed(&m->valid) != 0) {
		val = MINCORE_INCORE;
		if (atomic_load_relaxed(&m->dirty) != 0 || pmap_is_modified(m))
			val |= MINCORE_MODIFIED_OTHER;
		if ((atomic_load_relaxed(&m->flags) & PG_REFERENCED) != 0 ||
		    pmap_ts_referenced(m) != 0) {
			vm_page_flag_set(m, PG_REFERENCED);
			val |= MINCORE_REFERENCED_OTHER;
		}
	}
	vm_object_drop(obj);
	return (val);
}

/*
 * sys_mincore - see vm_mmap.h (facts 1.10).  One byte per page of
 * [trunc_page(addr), trunc_page(addr) + round_page(len)); unmapped pages
 * and pages of entries without an object yet read 0.  A vector shorter
 * than the range is EFAULT before anything is written (the kernel's
 * copyout would fault part way; flyvm writes no byte instead).
 */
int
sys_mincore(struct proc *p, vm_offset_t addr, vm_size_t len,
    unsigned char *vec, size_t veclen)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	pmap_t pmap = vmspace_pmap(p->p_vmspace);
	vm_map_entry_t entry;
	vm_offset_t first, end, va, cend;
	int val;

	first = trunc_page(addr);
	end = first + round_page(len);
	if (end < first || round_page(len) < len ||
	    end > VM_MAX_USER_ADDRESS)
		return (EINVAL);
	if (veclen < atop(end - first))
		return (EFAULT);
	memset(vec, 0, atop(end - first));
	lwkt_gettoken(&map->token);
	vm_map_lock_read(map);
	for (entry = vm_mmap_entry_from(map, first);
	    entry != NULL && entry->ba.start < end;
	    entry = RB_NEXT(vm_map_rb_tree, &map->rb_root, entry)) {
		if (entry->maptype != VM_MAPTYPE_NORMAL ||
		    entry->ba.object == NULL)
			continue;
		va = MAX(first, entry->ba.start);
		cend = MIN(end, entry->ba.end);
		for (; va < cend; va += PAGE_SIZE) {
			val = pmap_mincore(pmap, va);
			if (val == 0)
				val = vm_mmap_mincore_object(entry, va);
			vec[atop(va - first)] = (unsigned char)val;
		}
	}
	vm_map_unlock_read(map);
	lwkt_reltoken(&map->token);
	return (0);
}

/*
 * Would wiring `npages' more pages pass vm.max_wired (EAGAIN), or
 * `bytes' plus what p's pmap has wired pass RLIMIT_MEMLOCK (ENOMEM)?
 * The system-wide count is vmstats' folded v_wire_count, a slightly
 * stale figure as in DragonFly.  0 if neither.
 */
static int
vm_mmap_wire_limits(struct proc *p, vm_pindex_t npages, vm_size_t bytes)
{
	pmap_t pmap = vmspace_pmap(p->p_vmspace);
	vm_size_t wired = ptoa(pmap_wired_count(pmap));
	long max = atomic_load_relaxed(&vm_page_max_wired);
	long now = atomic_load_relaxed(&vmstats.v_wire_count);

	if (npages + (vm_pindex_t)MAX(now, 0) > (vm_pindex_t)MAX(max, 0))
		return (EAGAIN);
	if (bytes + wired < bytes ||
	    vm_rlimit_exceeded(p, RLIMIT_MEMLOCK, bytes + wired))
		return (ENOMEM);
	return (0);
}

/*
 * mlock (unwire FALSE) and munlock (TRUE) of [addr, addr + len) after the
 * common normalisation; length 0 is a no-op.  mlock checks the wiring
 * limits first.  Any failure of the map call (a hole, or for munlock a
 * page not mlocked) is ENOMEM with nothing changed.
 */
static int
vm_mmap_wiring(struct proc *p, vm_offset_t addr, vm_size_t len,
    boolean_t unwire)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	int error, rv;

	if ((error = vm_mmap_range(&addr, &len)) != 0)
		return (error);
	if (len == 0)
		return (0);
	if (!unwire && (error = vm_mmap_wire_limits(p, atop(len), len)) != 0)
		return (error);
	lwkt_gettoken(&map->token);
	rv = vm_map_user_wiring(map, addr, addr + len, unwire);
	lwkt_reltoken(&map->token);
	return (rv == KERN_SUCCESS ? 0 : ENOMEM);
}

/*
 * sys_mlock - see vm_mmap.h (facts 1.11, with RLIMIT_MEMLOCK applied and
 * no root check).  The range must be entirely mapped (ENOMEM).
 */
int
sys_mlock(struct proc *p, vm_offset_t addr, vm_size_t len)
{
	return (vm_mmap_wiring(p, addr, len, FALSE));
}

/*
 * sys_munlock - see vm_mmap.h: every page of the range must be mlocked
 * (ENOMEM otherwise, nothing changed).
 */
int
sys_munlock(struct proc *p, vm_offset_t addr, vm_size_t len)
{
	return (vm_mmap_wiring(p, addr, len, TRUE));
}

/* An entry's range mlockall wires (and, on failure, unwires). */
struct vm_mmap_run {
	vm_offset_t	start;
	vm_offset_t	end;
	int		wired;		/* this call wired it */
};

/*
 * Collect into runs[] (room for max) the ranges of the entries that are
 * not user wired yet and allow some access (an inaccessible entry cannot
 * be wired).  Returns how many there are, which may exceed max (then only
 * max were stored).  Map locked.
 */
static int
vm_mmap_unwired_runs(vm_map_t map, struct vm_mmap_run *runs, int max)
{
	vm_map_entry_t entry;
	int n = 0;

	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		if ((entry->eflags & MAP_ENTRY_USER_WIRED) ||
		    entry->protection == VM_PROT_NONE)
			continue;
		if (n < max) {
			runs[n].start = entry->ba.start;
			runs[n].end = entry->ba.end;
			runs[n].wired = FALSE;
		}
		n++;
	}
	return (n);
}

/*
 * mlockall(MCL_CURRENT): user-wire every mapped page, under the limits
 * mlock applies to the whole map (EAGAIN, ENOMEM).  The entries not
 * wired yet are collected first, then wired one by one.  One that is no
 * longer wholly mapped (another thread unmapped it while this one slept:
 * the map token does not hold across sleeps) is left alone.  If a wiring
 * fails for want of memory, those made before it are undone (ENOMEM).
 * The caller holds the map token.  May block.
 */
static int
vm_mmap_wire_all(struct proc *p, vm_map_t map)
{
	struct vm_mmap_run *runs = NULL;
	vm_size_t size = vm_mmap_mapinfo(map).size;
	vm_pindex_t wired = (vm_pindex_t)pmap_wired_count(map->pmap);
	int error, i, n, rv = KERN_SUCCESS, max = 0;

	error = vm_mmap_wire_limits(p, atop(size) - MIN(atop(size), wired),
	    size - MIN(size, ptoa(wired)));
	if (error != 0)
		return (error);
	for (;;) {
		vm_map_lock_read(map);
		n = vm_mmap_unwired_runs(map, runs, max);
		vm_map_unlock_read(map);
		if (n <= max)
			break;
		free(runs);
		max = n + 4;	/* faults may clip or add entries meanwhile */
		runs = calloc((size_t)max, sizeof(*runs));
		if (runs == NULL)
			return (ENOMEM);
	}
	for (i = 0; i < n && rv != KERN_RESOURCE_SHORTAGE &&
	    rv != KERN_FAILURE; i++) {
		rv = vm_map_user_wiring(map, runs[i].start, runs[i].end,
		    FALSE);
		runs[i].wired = (rv == KERN_SUCCESS);
	}
	if (rv == KERN_RESOURCE_SHORTAGE || rv == KERN_FAILURE) {
		error = ENOMEM;
		for (i = 0; i < n; i++) {
			if (runs[i].wired)
				(void)vm_map_user_wiring(map, runs[i].start,
				    runs[i].end, TRUE);
		}
	}
	free(runs);
	return (error);
}

/*
 * sys_mlockall - see vm_mmap.h: MCL_CURRENT wires everything mapped now
 * (DragonFly answers ENOSYS), MCL_FUTURE makes later mmap, brk and stack
 * growth wired; if the first fails the second is not applied.  how must
 * hold one of them (EINVAL); other bits are ignored.
 */
int
sys_mlockall(struct proc *p, int how)
{
	vm_map_t map = &p->p_vmspace->vm_map;
	int error = 0;

	if ((how & (MCL_CURRENT | MCL_FUTURE)) == 0)
		return (EINVAL);
	lwkt_gettoken(&map->token);
	if (how & MCL_CURRENT)
		error = vm_mmap_wire_all(p, map);
	if (error == 0 && (how & MCL_FUTURE)) {
		vm_map_lock(map);
		map->flags |= MAP_WIREFUTURE;
		vm_map_unlock(map);
	}
	lwkt_reltoken(&map->token);
	return (error);
}

/*
 * sys_munlockall - see vm_mmap.h: no more wiring of future mappings, and
 * every mlock wiring goes (kernel wirings stay).  Always 0.
 */
int
sys_munlockall(struct proc *p)
{
	vm_map_t map = &p->p_vmspace->vm_map;

	lwkt_gettoken(&map->token);
	vm_map_user_unwire_all(map);
	lwkt_reltoken(&map->token);
	return (0);
}
