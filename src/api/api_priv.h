/*
 * api_priv.h - what the files of src/api share: the handle check and the
 * bracket every per-process call runs inside.
 *
 *	struct api_call c;
 *	int error;
 *
 *	if ((error = api_proc_begin(vm, pid, &c)) != 0)
 *		return (error);		// EINVAL (bad vm) or ESRCH
 *	error = sys_munmap(c.p, addr, len);
 *	api_proc_end(&c);
 *	return (error);
 *
 * api_proc_begin checks the handle, enters the calling host thread if it
 * is not entered (api_proc_end leaves it again), finds the process (held)
 * and binds the thread to it, so the thread runs as one of the process's
 * threads for the call.  Out-parameter NULL checks (EFAULT) come after it.
 */
#ifndef _API_API_PRIV_H_
#define _API_API_PRIV_H_

#include <flyvm/flyvm.h>

struct proc;

struct api_call {
	struct proc	*p;
	int		entered;	/* this call entered the thread */
	int		bound;		/* this call bound it to p */
};

int	flyvm_valid(struct flyvm *vm);
int	flyvm_enter_auto(void);
void	flyvm_leave_auto(int entered);
int	api_proc_begin(struct flyvm *vm, flyvm_pid_t pid, struct api_call *c);
void	api_proc_end(struct api_call *c);

#endif /* !_API_API_PRIV_H_ */
