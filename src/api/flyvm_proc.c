/*
 * flyvm_proc.c - the public API's process calls: spawn, fork, exit,
 * credentials and limits; user memory through the software MMU; and
 * inspection of maps, objects and processes (include/flyvm/flyvm.h,
 * docs/api.md).
 *
 * Every per-process call runs inside api_proc_begin/api_proc_end, which
 * hold the process (so it cannot finish exiting under the call) and bind
 * the calling thread to it (so faults are charged to it and its limits
 * apply).  Argument checks follow the header's order: the handle, the
 * pid, NULL pointers, then the call's own arguments.
 *
 * Exit is the one call that cannot stay bound: proc_exit() waits for
 * every holder but the caller to leave, and a thread bound to the process
 * is one of its threads, which cannot wait for its own process to die.
 * So flyvm_proc_exit unbinds and keeps only its hold; when two threads
 * exit one process at once, proc_exit answers EBUSY to the second, which
 * reports ESRCH, as if it had come a moment later.
 *
 * User memory: an access that faults changes nothing.  Loads, stores and
 * atomics are single MMU operations that translate every page they touch
 * before writing (pmap_access.c, invariant 4).  A copy is many of them,
 * so flyvm_copyout first probes each page of the range for write access
 * with an atomic add of zero (which faults the page in writeable, copying
 * it if it is copy-on-write, but leaves its bytes alone) and
 * flyvm_copyin probes each for read access; only when every page passed
 * does the copy run.  A munmap or mprotect racing between probe and copy
 * can still make the copy fail part way; a process racing such a call
 * against its own copy would see the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "api/api_priv.h"
#include "kern/proc.h"
#include "kern/thread.h"
#include "vm/pmap_access.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_page2.h"

/* The kernel's numbering is DragonFly's, which the public names copy. */
_Static_assert(OBJT_DEFAULT == FLYVM_OBJT_DEFAULT &&
    OBJT_DEAD == FLYVM_OBJT_DEAD, "object types");
_Static_assert(MAP_ENTRY_NOSYNC == FLYVM_ME_NOSYNC &&
    MAP_ENTRY_STACK == FLYVM_ME_STACK && MAP_ENTRY_COW == FLYVM_ME_COW &&
    MAP_ENTRY_NEEDS_COPY == FLYVM_ME_NEEDS_COPY &&
    MAP_ENTRY_NOFAULT == FLYVM_ME_NOFAULT &&
    MAP_ENTRY_USER_WIRED == FLYVM_ME_USER_WIRED &&
    MAP_ENTRY_BEHAV_SEQUENTIAL == FLYVM_ME_BEHAV_SEQUENTIAL &&
    MAP_ENTRY_BEHAV_RANDOM == FLYVM_ME_BEHAV_RANDOM &&
    MAP_ENTRY_IN_TRANSITION == FLYVM_ME_IN_TRANSITION &&
    MAP_ENTRY_NOCOREDUMP == FLYVM_ME_NOCOREDUMP, "map entry flags");
_Static_assert(VM_PROT_READ == FLYVM_PROT_READ &&
    VM_PROT_WRITE == FLYVM_PROT_WRITE &&
    VM_PROT_EXECUTE == FLYVM_PROT_EXEC, "protections");
_Static_assert(VM_INHERIT_SHARE == FLYVM_INHERIT_SHARE &&
    VM_INHERIT_COPY == FLYVM_INHERIT_COPY &&
    VM_INHERIT_NONE == FLYVM_INHERIT_NONE, "inheritance");
_Static_assert(RLIMIT_RSS == FLYVM_RLIMIT_RSS &&
    RLIM_NLIMITS == FLYVM_RLIM_NLIMITS &&
    RLIM_INFINITY == FLYVM_RLIM_INFINITY, "resource limits");

/* The map entry flags a program may see. */
#define API_ME_VISIBLE	(FLYVM_ME_NOSYNC | FLYVM_ME_STACK | FLYVM_ME_COW | \
	FLYVM_ME_NEEDS_COPY | FLYVM_ME_NOFAULT | FLYVM_ME_USER_WIRED |	\
	FLYVM_ME_BEHAV_SEQUENTIAL | FLYVM_ME_BEHAV_RANDOM |		\
	FLYVM_ME_IN_TRANSITION | FLYVM_ME_NOCOREDUMP)

/************************************************************************
 *			Processes
 ************************************************************************/

FLYVM_EXPORT int
flyvm_proc_spawn(struct flyvm *vm, uint32_t uid, flyvm_pid_t *pidp)
{
	struct proc *p;
	int entered, error;

	if (!flyvm_valid(vm))
		return (EINVAL);
	if (pidp == NULL)
		return (EFAULT);
	entered = flyvm_enter_auto();
	error = proc_spawn(uid, &p);
	if (error == 0) {
		*pidp = p->p_pid;
		proc_drop(p);
	}
	flyvm_leave_auto(entered);
	return (error);
}

FLYVM_EXPORT int
flyvm_proc_fork(struct flyvm *vm, flyvm_pid_t pid, flyvm_pid_t *childp)
{
	struct api_call c;
	struct proc *p2;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (childp == NULL) {
		error = EFAULT;
	} else if ((error = proc_fork(c.p, &p2)) == 0) {
		/* Read the pid first: once dropped, p2 may exit at once. */
		*childp = p2->p_pid;
		proc_drop(p2);
	}
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_proc_exit(struct flyvm *vm, flyvm_pid_t pid, int status)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	/* See the note at the top: exit waits for the process's threads. */
	if (c.bound) {
		proc_unbind(c.p);
		c.bound = 0;
	}
	error = proc_exit(c.p, status);
	if (error == 0) {
		/* p is gone, and our hold with it. */
		flyvm_leave_auto(c.entered);
		return (0);
	}
	api_proc_end(&c);
	return (ESRCH);		/* another thread is exiting it */
}

FLYVM_EXPORT int
flyvm_proc_setuid(struct flyvm *vm, flyvm_pid_t pid, uint32_t uid)
{
	struct api_call c;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	error = proc_setuid(c.p, uid);
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_getrlimit(struct flyvm *vm, flyvm_pid_t pid, int resource,
    struct flyvm_rlimit *rlp)
{
	struct api_call c;
	struct rlimit rl;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (rlp == NULL) {
		error = EFAULT;
	} else if ((error = proc_getrlimit(c.p, resource, &rl)) == 0) {
		rlp->rlim_cur = rl.rlim_cur;
		rlp->rlim_max = rl.rlim_max;
	}
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_setrlimit(struct flyvm *vm, flyvm_pid_t pid, int resource,
    const struct flyvm_rlimit *rlp)
{
	struct api_call c;
	struct rlimit rl;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (rlp == NULL) {
		error = EFAULT;
	} else {
		rl.rlim_cur = rlp->rlim_cur;
		rl.rlim_max = rlp->rlim_max;
		error = proc_setrlimit(c.p, resource, &rl);
	}
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_proc_list(struct flyvm *vm, flyvm_pid_t *pids, size_t n,
    size_t *countp)
{
	int entered;

	if (!flyvm_valid(vm))
		return (EINVAL);
	if (countp == NULL || (pids == NULL && n > 0))
		return (EFAULT);
	entered = flyvm_enter_auto();
	*countp = proc_list(pids, n);
	flyvm_leave_auto(entered);
	return (0);
}

/************************************************************************
 *			User memory
 ************************************************************************/

/* The process's pmap.  p held (its vmspace stays until exit). */
static pmap_t
api_pmap(struct proc *p)
{
	return (vmspace_pmap(p->p_vmspace));
}

/*
 * api_fault - EFAULT, with *si (if not NULL) naming the fault in
 * DragonFly's numbering.  The MMU reports a KERN_FAILURE from the fault
 * path as SIGBUS/BUS_OBJERR, as POSIX and FreeBSD do (DragonFly x86_64
 * delivers SIGSEGV there); flyvm passes that choice on.
 */
static int
api_fault(const struct pmap_fault *pf, struct flyvm_siginfo *si)
{
	if (si == NULL)
		return (EFAULT);
	si->addr = pf->pf_addr;
	if (pf->pf_signo == SIGBUS) {
		si->signo = FLYVM_SIGBUS;
		switch (pf->pf_code) {
		case BUS_ADRALN:
			si->code = FLYVM_BUS_ADRALN;
			break;
		case BUS_ADRERR:
			si->code = FLYVM_BUS_ADRERR;
			break;
		default:
			si->code = FLYVM_BUS_OBJERR;
			break;
		}
	} else {
		si->signo = FLYVM_SIGSEGV;
		si->code = pf->pf_code == SEGV_ACCERR ? FLYVM_SEGV_ACCERR :
		    FLYVM_SEGV_MAPERR;
	}
	return (EFAULT);
}

/* Access sizes: 1, 2, 4, 8; only 4 and 8 for the atomics. */
static int
api_size_ok(int size, int atomic)
{
	if (atomic)
		return (size == 4 || size == 8);
	return (size == 1 || size == 2 || size == 4 || size == 8);
}

/*
 * api_probe - touch every page of [addr, addr + len) (len > 0) as the
 * copy will: for write, an atomic add of zero to the page's first word;
 * for read, a load of its first byte.  Neither changes a byte.  Bound
 * thread; may block in the fault path.  Returns 0, or the signal with
 * *pf naming the first byte of the range that faulted.
 */
static int
api_probe(pmap_t pmap, vm_offset_t addr, size_t len, int write,
    struct pmap_fault *pf)
{
	vm_offset_t va, last;
	uint64_t v;
	int sig;

	last = (len - 1 > UINT64_MAX - addr) ? UINT64_MAX : addr + len - 1;
	for (va = trunc_page(addr);; va += PAGE_SIZE) {
		if (write)
			sig = pmap_fetchadd_8(pmap, va, 0, &v, pf);
		else
			sig = pmap_fetch_n(pmap, va, 1, &v, pf);
		if (sig != 0) {
			if (pf->pf_addr < addr)
				pf->pf_addr = addr;
			return (sig);
		}
		/* Pages past the user range fault above, so no overflow. */
		if (va >= trunc_page(last))
			return (0);
	}
}

/*
 * api_copy - flyvm_copyin (out FALSE: process memory at addr -> buf) and
 * flyvm_copyout (out TRUE: buf -> addr): probe, then copy.
 */
static int
api_copy(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, void *buf,
    size_t len, int out, struct flyvm_siginfo *si)
{
	struct api_call c;
	struct pmap_fault pf;
	pmap_t pmap;
	int error, sig;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	pmap = api_pmap(c.p);
	if (buf == NULL) {
		error = EFAULT;
	} else if (len > 0) {
		sig = api_probe(pmap, addr, len, out, &pf);
		if (sig == 0 && out)
			sig = pmap_copyout(pmap, buf, addr, len, &pf);
		else if (sig == 0)
			sig = pmap_copyin(pmap, addr, buf, len, &pf);
		if (sig != 0)
			error = api_fault(&pf, si);
	}
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_copyin(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, void *buf,
    size_t len, struct flyvm_siginfo *si)
{
	return (api_copy(vm, pid, addr, buf, len, FALSE, si));
}

FLYVM_EXPORT int
flyvm_copyout(struct flyvm *vm, flyvm_pid_t pid, const void *buf,
    uint64_t addr, size_t len, struct flyvm_siginfo *si)
{
	/* api_copy only reads buf when copying out. */
	return (api_copy(vm, pid, addr, (void *)(uintptr_t)buf, len, TRUE,
	    si));
}

/* The one-word accesses. */
#define API_LOAD	0
#define API_STORE	1
#define API_CAS		2
#define API_FETCHADD	3

/*
 * api_word_op - one access of size bytes at addr in p's memory: a load
 * into *valp, a store of arg, a compare-and-swap (if the word is arg,
 * store nval) or a fetch-add of arg; the atomics put the previous value
 * into *valp.  Bound thread; may block.  Returns 0 or the signal (*pf).
 */
static int
api_word_op(struct proc *p, int op, uint64_t addr, int size, uint64_t arg,
    uint64_t nval, uint64_t *valp, struct pmap_fault *pf)
{
	pmap_t pmap = api_pmap(p);
	uint32_t o32 = 0;
	int sig;

	switch (op) {
	case API_LOAD:
		return (pmap_fetch_n(pmap, addr, size, valp, pf));
	case API_STORE:
		return (pmap_store_n(pmap, addr, size, arg, pf));
	case API_CAS:
		if (size == 8)
			return (pmap_cas_8(pmap, addr, arg, nval, valp, pf));
		sig = pmap_cas_4(pmap, addr, (uint32_t)arg, (uint32_t)nval,
		    &o32, pf);
		break;
	default:
		if (size == 8)
			return (pmap_fetchadd_8(pmap, addr, arg, valp, pf));
		sig = pmap_fetchadd_4(pmap, addr, (uint32_t)arg, &o32, pf);
		break;
	}
	if (sig == 0)
		*valp = o32;
	return (sig);
}

/*
 * api_word - the four one-word calls: the checks in the header's order
 * (handle, pid, a NULL result pointer for all but the store, the size),
 * then the access.
 */
static int
api_word(struct flyvm *vm, flyvm_pid_t pid, int op, uint64_t addr, int size,
    uint64_t arg, uint64_t nval, uint64_t *valp, struct flyvm_siginfo *si)
{
	struct api_call c;
	struct pmap_fault pf;
	uint64_t v = 0;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (valp == NULL && op != API_STORE)
		error = EFAULT;
	else if (!api_size_ok(size, op == API_CAS || op == API_FETCHADD))
		error = EINVAL;
	else if (api_word_op(c.p, op, addr, size, arg, nval, &v, &pf) != 0)
		error = api_fault(&pf, si);
	else if (valp != NULL)
		*valp = v;
	api_proc_end(&c);
	return (error);
}

FLYVM_EXPORT int
flyvm_load(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size,
    uint64_t *valp, struct flyvm_siginfo *si)
{
	return (api_word(vm, pid, API_LOAD, addr, size, 0, 0, valp, si));
}

FLYVM_EXPORT int
flyvm_store(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size,
    uint64_t val, struct flyvm_siginfo *si)
{
	return (api_word(vm, pid, API_STORE, addr, size, val, 0, NULL, si));
}

FLYVM_EXPORT int
flyvm_cas(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size,
    uint64_t expect, uint64_t nval, uint64_t *oldp, struct flyvm_siginfo *si)
{
	return (api_word(vm, pid, API_CAS, addr, size, expect, nval, oldp,
	    si));
}

FLYVM_EXPORT int
flyvm_fetchadd(struct flyvm *vm, flyvm_pid_t pid, uint64_t addr, int size,
    uint64_t incr, uint64_t *oldp, struct flyvm_siginfo *si)
{
	return (api_word(vm, pid, API_FETCHADD, addr, size, incr, 0, oldp,
	    si));
}

/************************************************************************
 *			Inspection
 ************************************************************************/

/* The public FLYVM_PQ_* of a page (its queue without the color). */
static int
api_page_queue(vm_page_t m)
{
	int q = vm_page_qbase(m);

	if (q == PQ_NONE)
		return (FLYVM_PQ_NONE);
	return ((q - 1) / PQ_L2_SIZE + FLYVM_PQ_FREE);
}

/*
 * api_object_resident - resident pages of obj with pindex in
 * [start, start + count).  Takes the object's token shared; may block.
 */
static uint64_t
api_object_resident(vm_object_t obj, vm_pindex_t start, vm_pindex_t count)
{
	struct vm_page key;
	vm_page_t m;
	uint64_t n = 0;

	key.pindex = start;
	vm_object_hold_shared(obj);
	for (m = RB_NFIND(vm_page_rb_tree, &obj->rb_memq, &key);
	    m != NULL && m->pindex - start < count;
	    m = RB_NEXT(vm_page_rb_tree, &obj->rb_memq, m))
		n++;
	vm_object_drop(obj);
	return (n);
}

/*
 * api_entry_info - describe one map entry.  Map locked (read); takes the
 * top object's token shared, which the lock order allows (map lock before
 * object tokens, as in the fault path).  May block.
 */
static void
api_entry_info(vm_map_entry_t e, struct flyvm_map_entry_info *mi)
{
	struct vm_map_backing *ba;
	vm_object_t obj = NULL;

	memset(mi, 0, sizeof(*mi));
	mi->start = e->ba.start;
	mi->end = e->ba.end;
	mi->prot = e->protection & VM_PROT_ALL;
	mi->max_prot = e->max_protection & VM_PROT_ALL;
	mi->inheritance = e->inheritance;
	mi->wired_count = e->wired_count;
	mi->flags = e->eflags & API_ME_VISIBLE;
	mi->obj_type = FLYVM_OBJT_NONE;
	if (e->maptype == VM_MAPTYPE_NORMAL)
		obj = e->ba.object;
	if (obj != NULL) {
		mi->obj_type = obj->type;
		mi->obj_id = (uint64_t)obj->id;
		mi->offset = (uint64_t)e->ba.offset;
		mi->resident = api_object_resident(obj,
		    OFF_TO_IDX(e->ba.offset), atop(e->ba.end - e->ba.start));
	}
	for (ba = e->ba.backing_ba; ba != NULL; ba = ba->backing_ba)
		mi->chain_depth++;
}

FLYVM_EXPORT int
flyvm_proc_map(struct flyvm *vm, flyvm_pid_t pid,
    struct flyvm_map_entry_info *buf, size_t n, size_t *countp)
{
	struct api_call c;
	vm_map_t map;
	vm_map_entry_t e;
	size_t i = 0;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (countp == NULL || (buf == NULL && n > 0)) {
		api_proc_end(&c);
		return (EFAULT);
	}
	map = &c.p->p_vmspace->vm_map;
	vm_map_lock_read(map);
	RB_FOREACH(e, vm_map_rb_tree, &map->rb_root) {
		if (i < n)
			api_entry_info(e, &buf[i]);
		i++;
	}
	vm_map_unlock_read(map);
	*countp = i;
	api_proc_end(&c);
	return (0);
}

/*
 * flyvm_object_info state.  The object's backing_list is read under its
 * locks, but turning a backing into a pid and a depth needs the owner's
 * map lock, which comes before object tokens in the lock order; so the
 * scan records each link (pointer and pmap, compared, never followed)
 * and the owners are looked up after the scan has let the object go.
 */
struct api_objscan {
	uint64_t		id;
	int			found;
	struct flyvm_object_info *oi;
	struct flyvm_page_info	*pages;
	size_t			npages;
	struct flyvm_backing_info *refs;
	size_t			nrefs;
	struct vm_map_backing	**links;	/* [nrefs]: the links seen */
	pmap_t			*pmaps;		/* [nrefs]: their pmaps */
};

/* Describe page m of a held object. */
static void
api_page_info(vm_page_t m, struct flyvm_page_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->pindex = m->pindex;
	pi->phys = VM_PAGE_TO_PHYS(m);
	pi->queue = api_page_queue(m);
	pi->wire_count = (int)atomic_load_relaxed(&m->wire_count);
	pi->act_count = atomic_load_relaxed(&m->act_count);
	pi->flags = vm_page_flags(m);
	pi->valid = atomic_load_relaxed(&m->valid);
	pi->dirty = atomic_load_relaxed(&m->dirty);
}

/*
 * api_objscan_cb - vm_object_hash_foreach callback: if obj (held shared)
 * is the one wanted, describe it, its pages and its backing links.
 * Takes backing_lk shared.  May block.  Returns 0.
 */
static int
api_objscan_cb(vm_object_t obj, void *arg)
{
	struct api_objscan *os = arg;
	struct flyvm_object_info *oi = os->oi;
	struct vm_map_backing *ba;
	vm_page_t m;
	size_t i = 0;

	if ((uint64_t)obj->id != os->id ||
	    (atomic_load_relaxed(&obj->flags) & OBJ_DEAD) != 0)
		return (0);
	os->found = 1;
	memset(oi, 0, sizeof(*oi));
	oi->id = (uint64_t)obj->id;
	oi->type = obj->type;
	oi->size = obj->size;
	oi->ref_count = atomic_load_int(&obj->ref_count);
	oi->flags = atomic_load_relaxed(&obj->flags);
	RB_FOREACH(m, vm_page_rb_tree, &obj->rb_memq) {
		if (i < os->npages)
			api_page_info(m, &os->pages[i]);
		i++;
	}
	oi->resident = i;
	i = 0;
	lockmgr(&obj->backing_lk, LK_SHARED);
	TAILQ_FOREACH(ba, &obj->backing_list, entry) {
		if (i < os->nrefs) {
			os->refs[i].start = ba->start;
			os->refs[i].end = ba->end;
			os->refs[i].offset = (uint64_t)ba->offset;
			os->links[i] = ba;
			os->pmaps[i] = ba->pmap;
		}
		i++;
	}
	lockmgr(&obj->backing_lk, LK_RELEASE);
	oi->nbacking = i;
	return (0);
}

/*
 * api_backing_owner - fill in the pid and depth of a backing link seen
 * by the scan: the process whose pmap it named, and the link's place in
 * the chain of that process's entry at the link's start.  pid -1 if no
 * live process has the pmap, depth -1 if the link is no longer there (the
 * map changed since the scan).  No locks held; may block.
 */
static void
api_backing_owner(struct flyvm_backing_info *ref, struct vm_map_backing *link,
    pmap_t pmap)
{
	struct vm_map_backing *ba;
	struct proc *p;
	vm_map_t map;
	vm_map_entry_t e;
	int depth;

	ref->pid = -1;
	ref->depth = -1;
	p = pfind_pmap(pmap);
	if (p == NULL)
		return;
	ref->pid = p->p_pid;
	map = &p->p_vmspace->vm_map;
	vm_map_lock_read(map);
	if (vm_map_lookup_entry(map, ref->start, &e)) {
		for (ba = &e->ba, depth = 0; ba != NULL;
		    ba = ba->backing_ba, depth++) {
			if (ba == link) {
				ref->depth = depth;
				break;
			}
		}
	}
	vm_map_unlock_read(map);
	proc_drop(p);
}

FLYVM_EXPORT int
flyvm_object_info(struct flyvm *vm, uint64_t id, struct flyvm_object_info *oi,
    struct flyvm_page_info *pages, size_t npages,
    struct flyvm_backing_info *refs, size_t nrefs)
{
	struct api_objscan os;
	size_t i;
	int entered;

	if (!flyvm_valid(vm))
		return (EINVAL);
	if (oi == NULL || (pages == NULL && npages > 0) ||
	    (refs == NULL && nrefs > 0))
		return (EFAULT);
	memset(&os, 0, sizeof(os));
	os.id = id;
	os.oi = oi;
	os.pages = pages;
	os.npages = npages;
	os.refs = refs;
	os.nrefs = nrefs;
	if (nrefs > 0) {
		os.links = calloc(nrefs, sizeof(*os.links));
		os.pmaps = calloc(nrefs, sizeof(*os.pmaps));
		if (os.links == NULL || os.pmaps == NULL) {
			free(os.links);
			free(os.pmaps);
			return (ENOMEM);
		}
	}
	entered = flyvm_enter_auto();
	vm_object_hash_foreach(api_objscan_cb, &os);
	if (os.found) {
		for (i = 0; i < nrefs && i < oi->nbacking; i++)
			api_backing_owner(&refs[i], os.links[i], os.pmaps[i]);
	}
	flyvm_leave_auto(entered);
	free(os.links);
	free(os.pmaps);
	return (os.found ? 0 : ENOENT);
}

FLYVM_EXPORT int
flyvm_proc_info(struct flyvm *vm, flyvm_pid_t pid,
    struct flyvm_proc_info *pi)
{
	struct api_call c;
	struct vmspace *vms;
	struct proc *p;
	vm_map_t map;
	int error;

	if ((error = api_proc_begin(vm, pid, &c)) != 0)
		return (error);
	if (pi == NULL) {
		api_proc_end(&c);
		return (EFAULT);
	}
	p = c.p;
	vms = p->p_vmspace;
	map = &vms->vm_map;
	memset(pi, 0, sizeof(*pi));
	pi->pid = p->p_pid;
	pi->ppid = p->p_ppid;
	lwkt_gettoken_shared(&p->p_token);
	pi->uid = p->p_uid;
	lwkt_reltoken(&p->p_token);
	pi->nthreads = atomic_load_int(&p->p_nthreads);
	pi->minflt = (uint64_t)atomic_load_long(&p->p_minflt);
	pi->majflt = (uint64_t)atomic_load_long(&p->p_majflt);
	pi->resident = (uint64_t)pmap_resident_count(vmspace_pmap(vms));
	pi->wired = (uint64_t)pmap_wired_count(vmspace_pmap(vms));
	pi->swap = (uint64_t)vmspace_swap_count(vms);
	/* Segment sizes change under the map token and the map lock. */
	lwkt_gettoken_shared(&map->token);
	vm_map_lock_read(map);
	pi->map_size = map->size;
	pi->nentries = (uint64_t)map->nentries;
	pi->daddr = vms->vm_daddr;
	pi->brk = vms->vm_daddr + vms->vm_dbytes;
	pi->stack_top = vms->vm_minsaddr;
	pi->stack_size = ptoa((uint64_t)vms->vm_ssize);
	vm_map_unlock_read(map);
	lwkt_reltoken(&map->token);
	api_proc_end(&c);
	return (0);
}
