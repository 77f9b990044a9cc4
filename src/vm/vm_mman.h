/*
 * vm_mman.h - the memory-call constants of DragonFly's sys/mman.h that the
 * VM layers take as arguments (madvise behaviours).  Kept apart from
 * vm_map.h because the host's <sys/mman.h> defines the same names with
 * other values: a file includes one or the other, never both.
 */
#ifndef _VM_VM_MMAN_H_
#define _VM_VM_MMAN_H_

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
