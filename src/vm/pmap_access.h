/*
 * pmap_access.h - simulated CPUs reading and writing user memory.
 *
 * Every access goes through the calling CPU's software TLB; a miss walks
 * the pmap's page table and sets the accessed (and, for a write, dirty)
 * bit atomically, as hardware does.  When the entry is absent or forbids
 * the access, the fault hook (vm_fault's stand-in) is called outside any
 * lock, and the access is retried.  A fault the hook cannot resolve is
 * reported as the signal a process would get:
 *
 *   hook result / cause            signal   code
 *   KERN_INVALID_ADDRESS, other    SIGSEGV  SEGV_MAPERR
 *   KERN_PROTECTION_FAILURE,       SIGSEGV  SEGV_ACCERR
 *     KERN_NO_ACCESS
 *   KERN_FAILURE (pager error,     SIGBUS   BUS_OBJERR
 *     past end of file)
 *   pte names no physical memory   SIGBUS   BUS_ADRERR
 *   misaligned atomic              SIGBUS   BUS_ADRALN
 *   kernel or non-canonical        SIGSEGV  SEGV_MAPERR (hook not called)
 *     address, NULL or kernel pmap
 * With no hook installed, absent entries give SEGV_MAPERR and forbidden
 * ones SEGV_ACCERR.  (DragonFly x86_64 turns KERN_FAILURE into SIGSEGV;
 * flyvm follows POSIX and FreeBSD with SIGBUS, see docs/pmap.md.)
 *
 * Every function returns 0 on success, or the signal number with *pf
 * (which may be NULL) filled in.  The caller must be a flyvm thread
 * holding no spinlock and no lock the fault hook might need; the
 * functions may block in the hook.  A copy that faults part way has
 * copied the bytes before pf_addr.
 */
#ifndef _VM_PMAP_ACCESS_H_
#define _VM_PMAP_ACCESS_H_

#include <signal.h>

#include "pmap/pmap_impl.h"

struct pmap_fault {
	int		pf_signo;	/* SIGSEGV or SIGBUS */
	int		pf_code;	/* SEGV_* or BUS_* */
	vm_offset_t	pf_addr;	/* first byte that faulted */
	vm_prot_t	pf_type;	/* access: READ, WRITE or EXECUTE */
	int		pf_rv;		/* hook's KERN_*, or -1 */
};

/*
 * The fault hook: resolve a fault of access type `type' at va in pmap
 * (make the pte allow it) and return KERN_SUCCESS, or return the KERN_*
 * error the table above turns into a signal.  Called with no pmap lock
 * held and outside any access window; may block; must return with the
 * same tokens held as on entry.  One hook for the whole system.
 */
typedef int (*pmap_fault_hook_t)(pmap_t pmap, vm_offset_t va,
	    vm_prot_t type, void *arg);
void	pmap_set_fault_hook(pmap_fault_hook_t hook, void *arg);

/* Slow paths of the inlines below (misses, faults, odd alignment). */
int	pmap_fetch_slow(pmap_t pmap, vm_offset_t va, int size,
	    uint64_t *valp, struct pmap_fault *pf);
int	pmap_store_slow(pmap_t pmap, vm_offset_t va, int size, uint64_t val,
	    struct pmap_fault *pf);

/* Bulk copies across pages. */
int	pmap_copyin(pmap_t pmap, vm_offset_t uaddr, void *kaddr, size_t len,
	    struct pmap_fault *pf);
int	pmap_copyout(pmap_t pmap, const void *kaddr, vm_offset_t uaddr,
	    size_t len, struct pmap_fault *pf);

/*
 * Atomics on naturally aligned user words: compare-and-swap stores nval
 * if the word equals expect and always returns the previous value in
 * *oldp; fetch-add returns the previous value.  Both need write access.
 */
int	pmap_cas_4(pmap_t pmap, vm_offset_t va, uint32_t expect,
	    uint32_t nval, uint32_t *oldp, struct pmap_fault *pf);
int	pmap_cas_8(pmap_t pmap, vm_offset_t va, uint64_t expect,
	    uint64_t nval, uint64_t *oldp, struct pmap_fault *pf);
int	pmap_fetchadd_4(pmap_t pmap, vm_offset_t va, uint32_t incr,
	    uint32_t *oldp, struct pmap_fault *pf);
int	pmap_fetchadd_8(pmap_t pmap, vm_offset_t va, uint64_t incr,
	    uint64_t *oldp, struct pmap_fault *pf);

/*
 * Instruction fetch: copy len bytes at va into buf, requiring execute
 * permission (len 0 only checks the page of va).
 */
int	pmap_ifetch(pmap_t pmap, vm_offset_t va, void *buf, size_t len,
	    struct pmap_fault *pf);

/*
 * pmap_fetch_n / pmap_store_n - the TLB-hit fast path: a naturally
 * aligned access whose page is in this CPU's TLB is done inline inside an
 * access window (pmap_tlb.c); anything else goes to the slow path.
 */
static inline int
pmap_fetch_n(pmap_t pmap, vm_offset_t va, int size, uint64_t *valp,
    struct pmap_fault *pf)
{
	struct pmap_pcpu *pc = pmap_pcpu_self();
	struct pmap_tlbe *e = &pc->pc_tlb[(va >> PAGE_SHIFT) & PMAP_TLB_MASK];
	void *p;

	if (__predict_false((va & (size - 1)) != 0))
		return (pmap_fetch_slow(pmap, va, size, valp, pf));
	pmap_access_enter(pc, pmap);
	if (__predict_true(!pmap_flush_pending(pc) &&
	    e->te_rva == trunc_page(va) && e->te_pmap == pmap)) {
		p = (void *)(va + e->te_delta);
		switch (size) {
		case 1:
			*valp = __atomic_load_n((uint8_t *)p,
			    __ATOMIC_RELAXED);
			break;
		case 2:
			*valp = __atomic_load_n((uint16_t *)p,
			    __ATOMIC_RELAXED);
			break;
		case 4:
			*valp = __atomic_load_n((uint32_t *)p,
			    __ATOMIC_RELAXED);
			break;
		default:
			*valp = __atomic_load_n((uint64_t *)p,
			    __ATOMIC_RELAXED);
			break;
		}
		pmap_access_exit(pc);
		return (0);
	}
	pmap_access_exit(pc);
	return (pmap_fetch_slow(pmap, va, size, valp, pf));
}

static inline int
pmap_store_n(pmap_t pmap, vm_offset_t va, int size, uint64_t val,
    struct pmap_fault *pf)
{
	struct pmap_pcpu *pc = pmap_pcpu_self();
	struct pmap_tlbe *e = &pc->pc_tlb[(va >> PAGE_SHIFT) & PMAP_TLB_MASK];
	void *p;

	if (__predict_false((va & (size - 1)) != 0))
		return (pmap_store_slow(pmap, va, size, val, pf));
	pmap_access_enter(pc, pmap);
	if (__predict_true(!pmap_flush_pending(pc) &&
	    e->te_wva == trunc_page(va) && e->te_pmap == pmap)) {
		p = (void *)(va + e->te_delta);
		switch (size) {
		case 1:
			__atomic_store_n((uint8_t *)p, (uint8_t)val,
			    __ATOMIC_RELAXED);
			break;
		case 2:
			__atomic_store_n((uint16_t *)p, (uint16_t)val,
			    __ATOMIC_RELAXED);
			break;
		case 4:
			__atomic_store_n((uint32_t *)p, (uint32_t)val,
			    __ATOMIC_RELAXED);
			break;
		default:
			__atomic_store_n((uint64_t *)p, val, __ATOMIC_RELAXED);
			break;
		}
		pmap_access_exit(pc);
		return (0);
	}
	pmap_access_exit(pc);
	return (pmap_store_slow(pmap, va, size, val, pf));
}

#define PMAP_FETCH_FN(bits, bytes)					\
static inline int							\
pmap_fetch_##bytes(pmap_t pmap, vm_offset_t va, uint##bits##_t *valp,	\
    struct pmap_fault *pf)						\
{									\
	uint64_t v = 0;							\
	int sig = pmap_fetch_n(pmap, va, bytes, &v, pf);		\
									\
	*valp = (uint##bits##_t)v;					\
	return (sig);							\
}									\
static inline int							\
pmap_store_##bytes(pmap_t pmap, vm_offset_t va, uint##bits##_t val,	\
    struct pmap_fault *pf)						\
{									\
	return (pmap_store_n(pmap, va, bytes, val, pf));		\
}

PMAP_FETCH_FN(8, 1)
PMAP_FETCH_FN(16, 2)
PMAP_FETCH_FN(32, 4)
PMAP_FETCH_FN(64, 8)

#undef PMAP_FETCH_FN

#endif /* !_VM_PMAP_ACCESS_H_ */
