/*
 * vm_mman.h - the memory-call constants of DragonFly's sys/mman.h that the
 * VM layers take as arguments (madvise behaviours).  Kept apart from
 * vm_map.h because the host's <sys/mman.h> defines the same names with
 * other values: a file includes one or the other, never both.
 */
#ifndef _VM_VM_MMAN_H_
#define _VM_VM_MMAN_H_

#ifdef MAP_ANONYMOUS
#error "vm/vm_mman.h and the host's <sys/mman.h> define the same names"
#endif

/* mmap protections and flags. */
#define PROT_NONE		0x00
#define PROT_READ		0x01
#define PROT_WRITE		0x02
#define PROT_EXEC		0x04

#define MAP_SHARED		0x0001
#define MAP_PRIVATE		0x0002
#define MAP_COPY		MAP_PRIVATE
#define MAP_FIXED		0x0010
#define MAP_RENAME		0x0020
#define MAP_NORESERVE		0x0040
#define MAP_INHERIT		0x0080
#define MAP_NOEXTEND		0x0100
#define MAP_HASSEMAPHORE	0x0200
#define MAP_STACK		0x0400
#define MAP_NOSYNC		0x0800
#define MAP_FILE		0x0000
#define MAP_ANON		0x1000
#define MAP_ANONYMOUS		MAP_ANON
#define MAP_VPAGETABLE		0x2000
#ifndef MAP_TRYFIXED		/* also in vm_map.h */
#define MAP_TRYFIXED		0x00010000
#endif
#define MAP_NOCORE		0x00020000
#define MAP_SIZEALIGN		0x00040000
#define MAP_FAILED		((void *)-1)

#define MCL_CURRENT		0x0001
#define MCL_FUTURE		0x0002

#define MS_SYNC			0x0000
#define MS_ASYNC		0x0001
#define MS_INVALIDATE		0x0002

/* MINCORE_* are in vm/pmap.h, where pmap_mincore() answers them. */

/* madvise behaviours. */
#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_FREE		5
#define MADV_NOSYNC		6
#define MADV_AUTOSYNC		7
#define MADV_NOCORE		8
#define MADV_CORE		9
#define MADV_INVAL		10
#define MADV_SETMAP		11
#define MADV_CONTROL_END	MADV_SETMAP

#endif /* !_VM_VM_MMAN_H_ */
