/*
 * vm_object.h - VM objects (DragonFly's vm/vm_object.h).
 *
 * An object is a container of pages indexed by pindex, with a pager type
 * that says where pages come from when they are not resident.  Pages hang
 * in a red-black tree (rb_memq) keyed by pindex.  The object's token
 * guards the tree and most fields; hold_count keeps the structure alive
 * while a thread blocks with it held.
 *
 * This header declares the full structure.  Issue 2 (vm_page) needs only
 * the tree, the token, hold/drop and the counters; the life cycle, the
 * backing_list and the pagers come with the vm_object issue.
 *
 * Lock legend:
 *   (o) object token, exclusive to write, shared to read
 *   (b) backing_lk
 *   (a) atomic
 *   (c) constant after allocation
 */
#ifndef _VM_VM_OBJECT_H_
#define _VM_VM_OBJECT_H_

#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>

#include "kern/lock.h"
#include "kern/token.h"
#include "vm/vm.h"

enum obj_type {
	OBJT_DEFAULT,
	OBJT_SWAP,
	OBJT_VNODE,
	OBJT_DEVICE,
	OBJT_MGTDEVICE,
	OBJT_PHYS,
	OBJT_DEAD,
	OBJT_MARKER
};
typedef unsigned char objtype_t;

RB_HEAD(vm_page_rb_tree, vm_page);
struct swblock;
RB_HEAD(swblock_rb_tree, swblock);
TAILQ_HEAD(vm_map_backing_list, vm_map_backing);

struct vm_object {
	struct lwkt_token token;		/* the object lock */
	struct lock	backing_lk;		/* guards backing_list */
	TAILQ_ENTRY(vm_object) object_entry;	/* hash bucket list */
	struct vm_map_backing_list backing_list; /* (b) who maps us */
	struct vm_page_rb_tree rb_memq;		/* (o) resident pages */
	int		generation;		/* (o) bumped on tree change */
	vm_pindex_t	size;			/* (o) in pages */
	int		ref_count;		/* (a) references */
	vm_memattr_t	memattr;		/* (o) */
	objtype_t	type;			/* (o) OBJT_* */
	unsigned short	flags;			/* (a) OBJ_* */
	unsigned short	pg_color;		/* (c) color of pindex 0 */
	unsigned int	paging_in_progress;	/* (a) PIP count */
	long		resident_page_count;	/* (o) pages in rb_memq */
	void		*handle;		/* (c) vnode, device ... */
	int		hold_count;		/* (a) keeps the struct alive */
	struct swblock_rb_tree swblock_root;	/* (o) swap metadata */
	long		swblock_count;		/* (o) */
	long		id;			/* (c) for inspection */
};

/* Object flags. */
#define OBJ_ACTIVE	0x0004
#define OBJ_DEAD	0x0008
#define OBJ_NOSPLIT	0x0010
#define OBJ_NOPAGEIN	0x0040
#define OBJ_WRITEABLE	0x0080
#define OBJ_MIGHTBEDIRTY 0x0100
#define OBJ_CLEANING	0x0200
#define OBJ_DEADWNT	0x1000
#define OBJ_ONEMAPPING	0x2000
#define OBJ_NOMSYNC	0x4000

/* vm_object_page_clean / putpages flags. */
#define OBJPC_SYNC		0x01
#define OBJPC_INVAL		0x02
#define OBJPC_NOSYNC		0x04
#define OBJPC_IGNORE_CLEANCHK	0x08
#define OBJPC_CLUSTER_OK	0x10
#define OBJPC_TRY_TO_CACHE	0x20
#define OBJPC_ALLOW_ACTIVE	0x40

#define VMOBJ_HSIZE	256

static inline void
vm_object_set_flag(vm_object_t object, unsigned int bits)
{
	__atomic_or_fetch(&object->flags, (unsigned short)bits,
	    __ATOMIC_ACQ_REL);
}

static inline void
vm_object_clear_flag(vm_object_t object, unsigned int bits)
{
	__atomic_and_fetch(&object->flags, (unsigned short)~bits,
	    __ATOMIC_ACQ_REL);
}

static inline struct lwkt_token *
vm_object_token(vm_object_t object)
{
	return (&object->token);
}

/*
 * vm_object_allocate - a new object of `type' and `size' pages with one
 * reference, not held.  Returns NULL if out of host memory.
 */
vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size);
/* vm_object_allocate_hold - the same, returned held exclusively. */
vm_object_t vm_object_allocate_hold(objtype_t type, vm_pindex_t size);

/*
 * vm_object_hold - bump hold_count, then take the token exclusively.
 * May block.  vm_object_hold_shared takes it shared.  vm_object_hold_try
 * never blocks and returns TRUE if held.  vm_object_drop releases one hold
 * and the matching token acquisition; the last drop of a dead object with
 * no references frees it.
 */
void	vm_object_hold(vm_object_t object);
void	vm_object_hold_shared(vm_object_t object);
int	vm_object_hold_try(vm_object_t object);
void	vm_object_drop(vm_object_t object);

/*
 * vm_object_reference_locked / _quick add a reference; vm_object_deallocate
 * drops one and terminates the object on the last one (freeing its pages).
 */
void	vm_object_reference_locked(vm_object_t object);
void	vm_object_reference_quick(vm_object_t object);
void	vm_object_deallocate(vm_object_t object);

#define ASSERT_LWKT_TOKEN_HELD_OBJ(obj)	ASSERT_LWKT_TOKEN_HELD(&(obj)->token)
#define VM_OBJECT_ASSERT_HELD(obj)	ASSERT_LWKT_TOKEN_HELD(&(obj)->token)
#define VM_OBJECT_ASSERT_HELD_EXCL(obj)	\
	ASSERT_LWKT_TOKEN_HELD_EXCL(&(obj)->token)

/* Number of live objects (audits: all objects are gone at shutdown). */
long	vm_object_count(void);

/*
 * vm_object_set_writeable_dirty - the object may now have dirty pages
 * (OBJ_WRITEABLE | OBJ_MIGHTBEDIRTY).  No requirements; never blocks.
 */
void	vm_object_set_writeable_dirty(vm_object_t object);

/*
 * vm_object_init / vm_object_fini - boot and tear down the object layer;
 * called by vm_page_startup / vm_page_shutdown.  At fini every object must
 * have been deallocated.
 */
void	vm_object_init(void);
void	vm_object_fini(void);

/* The object allocator's fault injector (tests). */
struct fault_inject *vm_object_alloc_fault(void);

#endif /* !_VM_VM_OBJECT_H_ */
