/*
 * flyvm_sys.c - the public system calls of the mmap family
 * (include/flyvm/flyvm.h, "Processes and the mmap family").
 *
 * Each wrapper runs its system call inside api_proc_begin/api_proc_end:
 * EINVAL for a bad handle, ESRCH for a pid that is not alive, then EFAULT
 * for a NULL required out-parameter, then the sys_* call (vm/vm_mmap.h),
 * which checks everything else as DragonFly does.  FLYVM_* constants are
 * DragonFly's, so flags, protections and behaviours pass unchanged.
 */
#include <errno.h>

#include <flyvm/flyvm.h>

#include "api/api_priv.h"
#include "vm/vm_mmap.h"

FLYVM_EXPORT int
flyvm_mmap(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, uint64_t len,
    int prot, int flags, int fd, int64_t pos, uint64_t *addrp)
{
	struct api_call c;
	vm_offset_t res = 0;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (addrp == NULL)
		error = EFAULT;
	else
		error = sys_mmap(c.p, addr, len, prot, flags, fd, pos, &res);
	api_proc_end(&c);
	if (error == 0)
		*addrp = res;
	return (error);
}

FLYVM_EXPORT int
flyvm_munmap(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, uint64_t len)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_munmap(c.p, addr, len);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_msync(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, uint64_t len,
    int flags)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_msync(c.p, addr, len, flags);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_mprotect(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len, int prot)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_mprotect(c.p, addr, len, prot);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_minherit(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len, int inherit)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_minherit(c.p, addr, len, inherit);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_madvise(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len, int behav)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_madvise(c.p, addr, len, behav);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_mcontrol(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len, int behav, int64_t value)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_mcontrol(c.p, addr, len, behav, value);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_mincore(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len, unsigned char *vec, size_t veclen)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (vec == NULL)
		error = EFAULT;
	else
		error = sys_mincore(c.p, addr, len, vec, veclen);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_mlock(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, uint64_t len)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_mlock(c.p, addr, len);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_munlock(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr,
    uint64_t len)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_munlock(c.p, addr, len);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_mlockall(struct flyvm *vm, flyvm_pid_t pid, int how)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_mlockall(c.p, how);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_munlockall(struct flyvm *vm, flyvm_pid_t pid)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_munlockall(c.p);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_brk(struct flyvm *vm, flyvm_pid_t pid, uint64_t nsize)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = sys_obreak(c.p, nsize);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_sbrk(struct flyvm *vm, flyvm_pid_t pid, int64_t incr,
    uint64_t *oldbrkp)
{
	struct api_call c;
	vm_offset_t old = 0;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (oldbrkp == NULL)
		error = EFAULT;
	else
		error = sys_sbrk(c.p, (intptr_t)incr, &old);
	api_proc_end(&c);
	if (error == 0)
		*oldbrkp = old;
	return (error);
}
