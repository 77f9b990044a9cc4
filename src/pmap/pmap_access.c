/*
 * pmap_access.c - user memory access by simulated CPUs: the slow paths.
 *
 * The fast path (a naturally aligned access that hits the CPU's TLB) is
 * inline in vm/pmap_access.h.  Everything else comes here: TLB misses,
 * table walks, faults and the fault hook, accesses that are unaligned or
 * cross a page, bulk copies and atomics.
 *
 * Invariants:
 *   1. Each attempt runs inside one access window (pmap_tlb.c): the
 *      flush check, then the TLB lookup or table walk and the memory
 *      operation on the host address it produced, for at most two pages.
 *      Nothing in a window blocks, takes a lock or calls out, except the
 *      operation callback, which only moves bytes.
 *   2. A walk marks the CPU active on the pmap before its first table
 *      read, and sets A (and M for a write) in the leaf with a
 *      compare-and-swap, so a concurrent pmap change either precedes it
 *      (the walk sees the new pte) or makes the CAS fail (retry).
 *   3. The fault hook runs outside every window and every lock, with the
 *      thread's token count unchanged across it; after it returns the
 *      whole attempt restarts, on whatever CPU the thread now has.
 *   4. An access that crosses a page translates both pages before it
 *      touches either, so a faulting store writes nothing.
 *   5. Addresses outside user space, and the kernel pmap, fault at once
 *      without calling the hook: no TLB entry or walk ever exists for them.
 */
#include <string.h>

#include "kern/thread.h"
#include "pmap/pmap_impl.h"
#include "vm/pmap_access.h"

/* pmap_xlate results besides 0 (success). */
#define PMAP_XL_NOTMAPPED	1	/* no valid pte */
#define PMAP_XL_PROT		2	/* pte forbids the access */
#define PMAP_XL_BADPHYS		3	/* pte names no memory */

/* Hook calls in a row that may claim success before we give up. */
#define PMAP_FAULT_RETRIES	10000

static pmap_fault_hook_t pmap_fault_hook;
static void *pmap_fault_hook_arg;

/*
 * pmap_set_fault_hook - install (or with NULL, remove) the fault handler.
 * Not to be called while accesses are in progress.
 */
void
pmap_set_fault_hook(pmap_fault_hook_t hook, void *arg)
{
	__atomic_store_n(&pmap_fault_hook_arg, arg, __ATOMIC_RELEASE);
	__atomic_store_n(&pmap_fault_hook, hook, __ATOMIC_RELEASE);
}

/*
 * pmap_walk - the hardware table walk for a TLB miss: find va's leaf pte,
 * check it allows `type', set A (and M for a write), load the TLB.
 * Inside an access window.  Returns 0 with *hostp the page's host address,
 * or a PMAP_XL_* code.
 */
static int
pmap_walk(struct pmap_pcpu *pc, pmap_t pmap, vm_offset_t va, vm_prot_t type,
    char **hostp)
{
	pt_entry_t *table, *ptep, e, pte, want;
	int lvl;

	pc->pc_walks++;
	pmap_tlb_activate(pc, pmap);
	table = pmap->pm_pml4;
	for (lvl = PMAP_LEVELS; lvl > 1; lvl--) {
		e = __atomic_load_n(&table[pmap_index(va, lvl)],
		    __ATOMIC_SEQ_CST);
		if ((e & X86_PG_V) == 0)
			return (PMAP_XL_NOTMAPPED);
		table = pmap_entry_table(e);
	}
	ptep = &table[pmap_index(va, 1)];
	pte = __atomic_load_n(ptep, __ATOMIC_SEQ_CST);
	do {
		if ((pte & X86_PG_V) == 0)
			return (PMAP_XL_NOTMAPPED);
		if ((pte & X86_PG_U) == 0 ||
		    ((type & VM_PROT_WRITE) && (pte & X86_PG_RW) == 0) ||
		    ((type & VM_PROT_EXECUTE) && (pte & X86_PG_NX)))
			return (PMAP_XL_PROT);
		if (!pmap_phys_valid(pte & X86_PG_FRAME))
			return (PMAP_XL_BADPHYS);
		want = pte | X86_PG_A | ((type & VM_PROT_WRITE) ? X86_PG_M : 0);
	} while (want != pte && !__atomic_compare_exchange_n(ptep, &pte, want,
	    0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	*hostp = PHYS_TO_DMAP(want & X86_PG_FRAME);
	pmap_tlb_fill(pc, pmap, va, want, *hostp);
	return (0);
}

/*
 * pmap_xlate - host address of va's page for an access of `type', from
 * the TLB or by a walk.  Inside an access window.  Returns 0 or PMAP_XL_*.
 */
static int
pmap_xlate(struct pmap_pcpu *pc, pmap_t pmap, vm_offset_t va, vm_prot_t type,
    char **hostp)
{
	int i = (int)((va >> PAGE_SHIFT) & PMAP_TLB_MASK);
	struct pmap_tlbe *e = &pc->pc_tlb[i];
	vm_offset_t pva = trunc_page(va);

	if (e->te_pmap == pmap &&
	    ((type & VM_PROT_WRITE) ? e->te_wva : e->te_rva) == pva &&
	    ((type & VM_PROT_EXECUTE) == 0 || pc->pc_tlbx[i])) {
		*hostp = (char *)(pva + e->te_delta);
		return (0);
	}
	return (pmap_walk(pc, pmap, va, type, hostp));
}

/* pmap_fault_fill - report a fault in *pf; returns the signal. */
static int
pmap_fault_fill(struct pmap_fault *pf, int signo, int code, vm_offset_t va,
    vm_prot_t type, int rv)
{
	if (pf != NULL) {
		pf->pf_signo = signo;
		pf->pf_code = code;
		pf->pf_addr = va;
		pf->pf_type = type;
		pf->pf_rv = rv;
	}
	return (signo);
}

/* pmap_fault_signal - the signal a process gets for hook result rv. */
static int
pmap_fault_signal(struct pmap_fault *pf, vm_offset_t va, vm_prot_t type,
    int rv)
{
	switch (rv) {
	case KERN_PROTECTION_FAILURE:
	case KERN_NO_ACCESS:
		return (pmap_fault_fill(pf, SIGSEGV, SEGV_ACCERR, va, type,
		    rv));
	case KERN_FAILURE:
		return (pmap_fault_fill(pf, SIGBUS, BUS_OBJERR, va, type, rv));
	default:
		return (pmap_fault_fill(pf, SIGSEGV, SEGV_MAPERR, va, type,
		    rv));
	}
}

/*
 * pmap_fault - handle a failed translation of va: call the hook (outside
 * every window and lock) and return 0 to retry, or the signal.
 */
static int
pmap_fault(pmap_t pmap, vm_offset_t va, vm_prot_t type, int xr, int tries,
    struct pmap_fault *pf)
{
	pmap_fault_hook_t hook;
	int rv, toks __unused;

	pmap_pcpu_self()->pc_faults++;
	if (xr == PMAP_XL_BADPHYS)
		return (pmap_fault_fill(pf, SIGBUS, BUS_ADRERR, va, type, -1));
	hook = __atomic_load_n(&pmap_fault_hook, __ATOMIC_ACQUIRE);
	if (hook == NULL) {
		return (pmap_fault_signal(pf, va, type,
		    xr == PMAP_XL_NOTMAPPED ? KERN_INVALID_ADDRESS :
		    KERN_PROTECTION_FAILURE));
	}
	toks = curthread->td_toks_stop;
	rv = hook(pmap, va, type, __atomic_load_n(&pmap_fault_hook_arg,
	    __ATOMIC_ACQUIRE));
	KASSERT(curthread->td_toks_stop == toks,
	    ("pmap_fault: hook returned with %d tokens held, had %d",
	    curthread->td_toks_stop, toks));
	if (rv == KERN_SUCCESS && tries < PMAP_FAULT_RETRIES)
		return (0);
	if (rv == KERN_SUCCESS)
		rv = xr == PMAP_XL_NOTMAPPED ? KERN_INVALID_ADDRESS :
		    KERN_PROTECTION_FAILURE;
	return (pmap_fault_signal(pf, va, type, rv));
}

/*
 * pmap_user_check - invariant 5: fail unless [va, va + len) is user space
 * of a user pmap.  Returns 0 or the signal.
 */
static int
pmap_user_check(pmap_t pmap, vm_offset_t va, size_t len, vm_prot_t type,
    struct pmap_fault *pf)
{
	KASSERT(kthread_entered(), ("user access from a non-flyvm thread"));
	if (pmap == NULL || (pmap->pm_flags & PMAP_KERNEL) ||
	    va >= VM_MAX_USER_ADDRESS)
		return (pmap_fault_fill(pf, SIGSEGV, SEGV_MAPERR, va, type,
		    -1));
	if (len > VM_MAX_USER_ADDRESS - va)
		return (pmap_fault_fill(pf, SIGSEGV, SEGV_MAPERR,
		    VM_MAX_USER_ADDRESS, type, -1));
	return (0);
}

/*
 * Up to two pieces of host memory an access covers (invariant 4), and the
 * operation run on them inside the window.
 */
struct pmap_span {
	char	*sp_host[2];
	size_t	sp_len[2];
};
typedef void (*pmap_uop_fn_t)(struct pmap_span *sp, void *arg);

/*
 * pmap_uop - translate [va, va + len) (at most two pages, already checked
 * by pmap_user_check) for `type' and run fn on it inside one access
 * window, faulting and retrying as needed.  Returns 0 or the signal.
 */
static int
pmap_uop(pmap_t pmap, vm_offset_t va, size_t len, vm_prot_t type,
    pmap_uop_fn_t fn, void *arg, struct pmap_fault *pf)
{
	struct pmap_pcpu *pc;
	struct pmap_span sp;
	vm_offset_t fva;
	int tries, xr, sig;

	sp.sp_len[0] = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
	sp.sp_len[1] = len - sp.sp_len[0];
	KKASSERT(sp.sp_len[1] <= PAGE_SIZE);
	for (tries = 0;; tries++) {
		pc = pmap_pcpu_self();
		pmap_access_enter(pc, pmap);
		pmap_tlb_flush_self(pc);
		fva = va;
		xr = pmap_xlate(pc, pmap, va, type, &sp.sp_host[0]);
		if (xr == 0 && sp.sp_len[1] != 0) {
			fva = va + sp.sp_len[0];
			xr = pmap_xlate(pc, pmap, fva, type, &sp.sp_host[1]);
		}
		if (xr == 0) {
			sp.sp_host[0] += va & PAGE_MASK;
			fn(&sp, arg);
		}
		pmap_access_exit(pc);
		if (xr == 0)
			return (0);
		sig = pmap_fault(pmap, fva, type, xr, tries, pf);
		if (sig != 0)
			return (sig);
	}
}

/*
 * Loads and stores of 1, 2, 4 or 8 bytes.  Aligned ones are single atomic
 * host accesses (so racing CPUs see whole values, as on x86); others are
 * assembled little-endian from the one or two pieces.
 */
struct pmap_word_arg {
	uint64_t	val;
	int		size;
};

/* pmap_uop callback: load wa->size bytes into wa->val. */
static void
pmap_uop_fetch(struct pmap_span *sp, void *arg)
{
	struct pmap_word_arg *wa = arg;
	uint8_t buf[8];
	void *p = sp->sp_host[0];

	if (sp->sp_len[1] == 0 && ((uintptr_t)p & (wa->size - 1)) == 0) {
		switch (wa->size) {
		case 1:
			wa->val = __atomic_load_n((uint8_t *)p,
			    __ATOMIC_RELAXED);
			return;
		case 2:
			wa->val = __atomic_load_n((uint16_t *)p,
			    __ATOMIC_RELAXED);
			return;
		case 4:
			wa->val = __atomic_load_n((uint32_t *)p,
			    __ATOMIC_RELAXED);
			return;
		default:
			wa->val = __atomic_load_n((uint64_t *)p,
			    __ATOMIC_RELAXED);
			return;
		}
	}
	memcpy(buf, p, sp->sp_len[0]);
	if (sp->sp_len[1] != 0)		/* sp_host[1] is NULL otherwise */
		memcpy(buf + sp->sp_len[0], sp->sp_host[1], sp->sp_len[1]);
	wa->val = 0;
	memcpy(&wa->val, buf, wa->size);
}

/* pmap_uop callback: store the low wa->size bytes of wa->val. */
static void
pmap_uop_store(struct pmap_span *sp, void *arg)
{
	struct pmap_word_arg *wa = arg;
	void *p = sp->sp_host[0];

	if (sp->sp_len[1] == 0 && ((uintptr_t)p & (wa->size - 1)) == 0) {
		switch (wa->size) {
		case 1:
			__atomic_store_n((uint8_t *)p, (uint8_t)wa->val,
			    __ATOMIC_RELAXED);
			return;
		case 2:
			__atomic_store_n((uint16_t *)p, (uint16_t)wa->val,
			    __ATOMIC_RELAXED);
			return;
		case 4:
			__atomic_store_n((uint32_t *)p, (uint32_t)wa->val,
			    __ATOMIC_RELAXED);
			return;
		default:
			__atomic_store_n((uint64_t *)p, wa->val,
			    __ATOMIC_RELAXED);
			return;
		}
	}
	memcpy(p, &wa->val, sp->sp_len[0]);
	if (sp->sp_len[1] != 0)		/* sp_host[1] is NULL otherwise */
		memcpy(sp->sp_host[1], (char *)&wa->val + sp->sp_len[0],
		    sp->sp_len[1]);
}

/* pmap_size_ok - TRUE for the access sizes the MMU supports. */
static int
pmap_size_ok(int size)
{
	return (size == 1 || size == 2 || size == 4 || size == 8);
}

/*
 * pmap_fetch_slow - load size (1, 2, 4 or 8) bytes at va, little-endian,
 * into *valp.  Returns 0 or the signal (*valp untouched).
 */
int
pmap_fetch_slow(pmap_t pmap, vm_offset_t va, int size, uint64_t *valp,
    struct pmap_fault *pf)
{
	struct pmap_word_arg wa = { .val = 0, .size = size };
	int sig;

	if (!pmap_size_ok(size))
		return (pmap_fault_fill(pf, SIGBUS, BUS_ADRALN, va,
		    VM_PROT_READ, -1));
	sig = pmap_user_check(pmap, va, size, VM_PROT_READ, pf);
	if (sig == 0)
		sig = pmap_uop(pmap, va, size, VM_PROT_READ, pmap_uop_fetch,
		    &wa, pf);
	if (sig == 0)
		*valp = wa.val;
	return (sig);
}

/*
 * pmap_store_slow - store the low size (1, 2, 4 or 8) bytes of val at va,
 * little-endian.  A store that faults writes nothing.  Returns 0 or the
 * signal.
 */
int
pmap_store_slow(pmap_t pmap, vm_offset_t va, int size, uint64_t val,
    struct pmap_fault *pf)
{
	struct pmap_word_arg wa = { .val = val, .size = size };
	int sig;

	if (!pmap_size_ok(size))
		return (pmap_fault_fill(pf, SIGBUS, BUS_ADRALN, va,
		    VM_PROT_WRITE, -1));
	sig = pmap_user_check(pmap, va, size, VM_PROT_WRITE, pf);
	if (sig == 0)
		sig = pmap_uop(pmap, va, size, VM_PROT_WRITE, pmap_uop_store,
		    &wa, pf);
	return (sig);
}

/*
 * Bulk copies: one window per page-sized piece.
 */
struct pmap_copy_arg {
	char	*kaddr;
	int	out;		/* kernel -> user */
};

/* pmap_uop callback: copy one piece to or from ca->kaddr. */
static void
pmap_uop_copy(struct pmap_span *sp, void *arg)
{
	struct pmap_copy_arg *ca = arg;

	if (sp->sp_len[0] == 0)
		return;
	if (ca->out)
		memcpy(sp->sp_host[0], ca->kaddr, sp->sp_len[0]);
	else
		memcpy(ca->kaddr, sp->sp_host[0], sp->sp_len[0]);
}

/*
 * pmap_copy_user - copy len bytes between kaddr and user address uaddr,
 * page by page: out of user memory for a READ or EXECUTE type, into it
 * for WRITE.  len 0 checks uaddr's page only for EXECUTE and does nothing
 * otherwise.  Returns 0 or the signal (bytes before pf_addr copied).
 */
static int
pmap_copy_user(pmap_t pmap, vm_offset_t uaddr, char *kaddr, size_t len,
    vm_prot_t type, struct pmap_fault *pf)
{
	struct pmap_copy_arg ca = { .kaddr = kaddr,
	    .out = (type == VM_PROT_WRITE) };
	size_t n;
	int sig;

	sig = pmap_user_check(pmap, uaddr, len, type, pf);
	if (sig == 0 && len == 0 && type == VM_PROT_EXECUTE)
		return (pmap_uop(pmap, uaddr, 0, type, pmap_uop_copy, &ca, pf));
	while (sig == 0 && len > 0) {
		n = MIN(len, PAGE_SIZE - (uaddr & PAGE_MASK));
		sig = pmap_uop(pmap, uaddr, n, type, pmap_uop_copy, &ca, pf);
		uaddr += n;
		ca.kaddr += n;
		len -= n;
	}
	return (sig);
}

/* pmap_copyin - copy len bytes from user address uaddr to kaddr. */
int
pmap_copyin(pmap_t pmap, vm_offset_t uaddr, void *kaddr, size_t len,
    struct pmap_fault *pf)
{
	return (pmap_copy_user(pmap, uaddr, kaddr, len, VM_PROT_READ, pf));
}

/* pmap_copyout - copy len bytes from kaddr to user address uaddr. */
int
pmap_copyout(pmap_t pmap, const void *kaddr, vm_offset_t uaddr, size_t len,
    struct pmap_fault *pf)
{
	return (pmap_copy_user(pmap, uaddr, (char *)(uintptr_t)kaddr, len,
	    VM_PROT_WRITE, pf));
}

/*
 * Atomics.  x86 would also lock across a cache line or page; flyvm asks
 * for natural alignment and reports SIGBUS/BUS_ADRALN otherwise.
 */
struct pmap_atomic_arg {
	uint64_t	expect;		/* cas: expected; add: addend */
	uint64_t	nval;
	uint64_t	old;
	int		size;
	int		cas;
};

/* pmap_uop callback: the compare-and-swap or fetch-add in aa. */
static void
pmap_uop_atomic(struct pmap_span *sp, void *arg)
{
	struct pmap_atomic_arg *aa = arg;
	uint32_t o32;

	if (aa->size == 4 && aa->cas) {
		o32 = (uint32_t)aa->expect;
		__atomic_compare_exchange_n((uint32_t *)sp->sp_host[0], &o32,
		    (uint32_t)aa->nval, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		aa->old = o32;
	} else if (aa->size == 4) {
		aa->old = __atomic_fetch_add((uint32_t *)sp->sp_host[0],
		    (uint32_t)aa->expect, __ATOMIC_SEQ_CST);
	} else if (aa->cas) {
		aa->old = aa->expect;
		__atomic_compare_exchange_n((uint64_t *)sp->sp_host[0],
		    &aa->old, aa->nval, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	} else {
		aa->old = __atomic_fetch_add((uint64_t *)sp->sp_host[0],
		    aa->expect, __ATOMIC_SEQ_CST);
	}
}

/*
 * pmap_atomic - compare-and-swap (cas) or fetch-add of size bytes at va;
 * *oldp gets the previous value on success.  Returns 0 or the signal.
 */
static int
pmap_atomic(pmap_t pmap, vm_offset_t va, int size, int cas, uint64_t arg,
    uint64_t nval, uint64_t *oldp, struct pmap_fault *pf)
{
	struct pmap_atomic_arg aa = { .expect = arg, .nval = nval,
	    .size = size, .cas = cas };
	int sig;

	if (va & (size - 1))
		return (pmap_fault_fill(pf, SIGBUS, BUS_ADRALN, va,
		    VM_PROT_WRITE, -1));
	sig = pmap_user_check(pmap, va, size, VM_PROT_WRITE, pf);
	if (sig == 0)
		sig = pmap_uop(pmap, va, size, VM_PROT_WRITE,
		    pmap_uop_atomic, &aa, pf);
	if (sig == 0)
		*oldp = aa.old;
	return (sig);
}

/*
 * pmap_cas_8, pmap_fetchadd_8, pmap_cas_4, pmap_fetchadd_4 - see
 * pmap_access.h.  Return 0 or the signal; may block in the fault hook.
 */
int
pmap_cas_8(pmap_t pmap, vm_offset_t va, uint64_t expect, uint64_t nval,
    uint64_t *oldp, struct pmap_fault *pf)
{
	return (pmap_atomic(pmap, va, 8, TRUE, expect, nval, oldp, pf));
}

int
pmap_fetchadd_8(pmap_t pmap, vm_offset_t va, uint64_t incr, uint64_t *oldp,
    struct pmap_fault *pf)
{
	return (pmap_atomic(pmap, va, 8, FALSE, incr, 0, oldp, pf));
}

int
pmap_cas_4(pmap_t pmap, vm_offset_t va, uint32_t expect, uint32_t nval,
    uint32_t *oldp, struct pmap_fault *pf)
{
	uint64_t old;
	int sig = pmap_atomic(pmap, va, 4, TRUE, expect, nval, &old, pf);

	if (sig == 0)
		*oldp = (uint32_t)old;
	return (sig);
}

int
pmap_fetchadd_4(pmap_t pmap, vm_offset_t va, uint32_t incr, uint32_t *oldp,
    struct pmap_fault *pf)
{
	uint64_t old;
	int sig = pmap_atomic(pmap, va, 4, FALSE, incr, 0, &old, pf);

	if (sig == 0)
		*oldp = (uint32_t)old;
	return (sig);
}

/*
 * pmap_ifetch - instruction fetch of len bytes at va into buf; each page
 * must allow execution.  len 0 checks va's page only.
 */
int
pmap_ifetch(pmap_t pmap, vm_offset_t va, void *buf, size_t len,
    struct pmap_fault *pf)
{
	return (pmap_copy_user(pmap, va, buf, len, VM_PROT_EXECUTE, pf));
}
