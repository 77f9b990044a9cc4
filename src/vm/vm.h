/*
 * vm.h - basic VM types and codes (DragonFly's vm/vm.h and vm_param.h).
 */
#ifndef _VM_VM_H_
#define _VM_VM_H_

#include "kern/systm.h"

typedef uint64_t	vm_offset_t;	/* virtual address */
typedef uint64_t	vm_size_t;
typedef uint64_t	vm_paddr_t;	/* physical address */
typedef uint64_t	vm_pindex_t;	/* page index in an object */
typedef int64_t		vm_ooffset_t;	/* byte offset in an object */
typedef unsigned char	vm_prot_t;
typedef char		vm_inherit_t;
typedef unsigned char	vm_maptype_t;
typedef char		vm_memattr_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define DEV_BSHIFT	9
#define DEV_BSIZE	(1 << DEV_BSHIFT)
#define SEG_SHIFT	21
#define SEG_SIZE	(1UL << SEG_SHIFT)
#define SEG_MASK	(SEG_SIZE - 1)
#define MAXPHYS		(128 * 1024)

#define trunc_page(x)	((x) & ~(vm_offset_t)PAGE_MASK)
#define round_page(x)	(((x) + PAGE_MASK) & ~(vm_offset_t)PAGE_MASK)
#define atop(x)		((vm_pindex_t)(x) >> PAGE_SHIFT)
#define ptoa(x)		((vm_paddr_t)(x) << PAGE_SHIFT)
#define IDX_TO_OFF(idx)	(((vm_ooffset_t)(idx)) << PAGE_SHIFT)
#define OFF_TO_IDX(off)	((vm_pindex_t)(((vm_ooffset_t)(off)) >> PAGE_SHIFT))

#define VM_PROT_NONE		((vm_prot_t)0x00)
#define VM_PROT_READ		((vm_prot_t)0x01)
#define VM_PROT_WRITE		((vm_prot_t)0x02)
#define VM_PROT_EXECUTE		((vm_prot_t)0x04)
#define VM_PROT_OVERRIDE_WRITE	((vm_prot_t)0x08)
#define VM_PROT_NOSYNC		((vm_prot_t)0x10)
#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)
#define VM_PROT_DEFAULT	VM_PROT_ALL

#define VM_INHERIT_SHARE	((vm_inherit_t)0)
#define VM_INHERIT_COPY		((vm_inherit_t)1)
#define VM_INHERIT_NONE		((vm_inherit_t)2)
#define VM_INHERIT_DEFAULT	VM_INHERIT_COPY

#define VM_MAPTYPE_NORMAL	((vm_maptype_t)1)
#define VM_MAPTYPE_SUBMAP	((vm_maptype_t)3)
#define VM_MAPTYPE_UKSMAP	((vm_maptype_t)4)

#define VM_MEMATTR_UNCACHEABLE		((vm_memattr_t)0)
#define VM_MEMATTR_WRITE_COMBINING	((vm_memattr_t)1)
#define VM_MEMATTR_WRITE_THROUGH	((vm_memattr_t)4)
#define VM_MEMATTR_WRITE_PROTECTED	((vm_memattr_t)5)
#define VM_MEMATTR_WRITE_BACK		((vm_memattr_t)6)
#define VM_MEMATTR_WEAK_UNCACHEABLE	((vm_memattr_t)7)
#define VM_MEMATTR_DEFAULT		VM_MEMATTR_WRITE_BACK

/* Mach-style return codes of the map and fault layers. */
#define KERN_SUCCESS		0
#define KERN_INVALID_ADDRESS	1
#define KERN_PROTECTION_FAILURE	2
#define KERN_NO_SPACE		3
#define KERN_INVALID_ARGUMENT	4
#define KERN_FAILURE		5
#define KERN_RESOURCE_SHORTAGE	6
#define KERN_NOT_RECEIVER	7
#define KERN_NO_ACCESS		8
#define KERN_TRY_AGAIN		9
#define KERN_FAILURE_NOFAULT	10

struct vm_page;
struct vm_object;
struct vm_map;
struct vm_map_entry;
struct vm_map_backing;
struct pmap;
typedef struct vm_page *vm_page_t;
typedef struct vm_object *vm_object_t;
typedef struct vm_map *vm_map_t;
typedef struct vm_map_entry *vm_map_entry_t;
typedef struct vm_map_backing *vm_map_backing_t;
typedef struct pmap *pmap_t;

#endif /* !_VM_VM_H_ */
