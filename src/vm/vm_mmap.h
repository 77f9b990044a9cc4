/*
 * vm_mmap.h - the memory system calls (DragonFly's vm_mmap.c and
 * vm_unix.c), called on behalf of a process.
 *
 * Each takes the process (held, and the calling thread bound to it with
 * proc_bind) and returns 0 or the errno DragonFly's system call returns,
 * checking its arguments in DragonFly's order (facts sheet, section 1).
 * Results go through out-parameters, which the API layer has already
 * checked for NULL.  Constants are vm/vm_mman.h's (DragonFly values).
 *
 * Deliberate differences from DragonFly (docs/mmap.md, "Semantic
 * choices", and docs/api.md):
 *   - sys_mlockall(MCL_CURRENT) wires everything mapped now (DragonFly
 *     answers ENOSYS);
 *   - mlock enforces RLIMIT_MEMLOCK (ENOMEM) and vm.max_wired (EAGAIN)
 *     as on platforms with pmap_wired_count, and checks no root;
 *   - mmap of a descriptor (no MAP_ANON, fd != -1) answers EBADF: there
 *     are no files yet;
 *   - inaccessible memory cannot be mlocked, and msync(MS_INVALIDATE)
 *     leaves wired pages mapped;
 *   - the break is kept in bytes (vm_dbytes) for sbrk and brk alike.
 */
#ifndef _VM_VM_MMAP_H_
#define _VM_VM_MMAP_H_

#include "vm/vm.h"
#include "vm/vm_mman.h"

struct proc;

int	sys_mmap(struct proc *p, vm_offset_t addr, vm_size_t len, int prot,
	    int flags, int fd, off_t pos, vm_offset_t *resp);
int	sys_munmap(struct proc *p, vm_offset_t addr, vm_size_t len);
int	sys_msync(struct proc *p, vm_offset_t addr, vm_size_t len, int flags);
int	sys_mprotect(struct proc *p, vm_offset_t addr, vm_size_t len,
	    int prot);
int	sys_minherit(struct proc *p, vm_offset_t addr, vm_size_t len,
	    int inherit);
int	sys_madvise(struct proc *p, vm_offset_t addr, vm_size_t len,
	    int behav);
int	sys_mcontrol(struct proc *p, vm_offset_t addr, vm_size_t len,
	    int behav, off_t value);
/* vec holds veclen bytes; too short is EFAULT (a failed copyout). */
int	sys_mincore(struct proc *p, vm_offset_t addr, vm_size_t len,
	    unsigned char *vec, size_t veclen);
int	sys_mlock(struct proc *p, vm_offset_t addr, vm_size_t len);
int	sys_munlock(struct proc *p, vm_offset_t addr, vm_size_t len);
int	sys_mlockall(struct proc *p, int how);
int	sys_munlockall(struct proc *p);
int	sys_obreak(struct proc *p, vm_offset_t nsize);
int	sys_sbrk(struct proc *p, intptr_t incr, vm_offset_t *oldbrkp);

/*
 * vm_mmap - the internal mapping call shared by mmap (and later exec and
 * shm): map size bytes at *addr (placement by flags) with the given
 * protections, backed by handle (NULL: anonymous).  Returns an errno.
 */
int	vm_mmap(vm_map_t map, vm_offset_t *addr, vm_size_t size,
	    vm_prot_t prot, vm_prot_t maxprot, int flags, void *handle,
	    vm_ooffset_t foff);
/* vm_map_hint - where a non-fixed mapping starts looking (facts 1.4). */
vm_offset_t vm_map_hint(struct proc *p, vm_offset_t addr, vm_prot_t prot);
/* vm_mmap_to_errno - KERN_* to the errno mmap returns. */
int	vm_mmap_to_errno(int rv);
/*
 * vm_rlimit_exceeded - is size (bytes) above p's soft limit `which'
 * (RLIMIT_*; an infinite limit never is)?
 */
int	vm_rlimit_exceeded(struct proc *p, int which, vm_size_t size);

#endif /* !_VM_VM_MMAP_H_ */
