/*
 * kern_zone.c - fixed-size object zones with per-CPU magazines.
 *
 * Design note.
 *   1. Three tiers.  Each CPU has a magazine of up to ZONE_MAGSIZE free
 *      objects, touched only by the thread running on that CPU (zalloc and
 *      zfree never block, so the thread keeps its CPU throughout): the
 *      fast path takes no lock.  Behind the magazines is the zone's depot,
 *      a free list under z_spin.  Behind the depot are slabs from the host.
 *   2. Slabs are z_slabsize bytes aligned to their size, so an object's
 *      slab header is found by masking its address.  The header names the
 *      zone (zfree to the wrong zone panics in debug builds) and, in debug
 *      builds, holds a bitmap of allocated objects: freeing an object whose
 *      bit is clear is a double free and panics.
 *   3. Debug builds fill free objects with ZONE_JUNK and check the fill at
 *      zalloc (bytes after the first word, which links the depot list):
 *      a write after free panics with the zone's name.
 *   4. zone_inuse() sums per-CPU counts (relaxed atomics), so the fast path
 *      shares no counter cache line.
 *   5. Slabs go back to the host only at zdestroy().
 *
 * Lock order: z_spin ("zone depot") is a leaf.
 */
#include <stdlib.h>
#include <string.h>

#include "kern/kern_priv.h"
#include "kern/spinlock.h"
#include "kern/zone.h"

#define ZONE_MAGSIZE	32
#define ZONE_SLAB_MIN	(64 * 1024)
#define ZONE_JUNK	0xdeadc0deu

struct zone_mag {
	void		*zm_items[ZONE_MAGSIZE];	/* (m) */
	int		zm_n;				/* (m) */
	long		zm_inuse;	/* (a) allocs - frees on this CPU */
} __cachealign;

struct zone_slab {
	struct vm_zone	*zs_zone;	/* (c) */
	struct zone_slab *zs_next;	/* (z) all slabs of the zone */
	uint64_t	zs_alloc[];	/* (a) debug: allocated objects */
};

struct vm_zone {
	const char	*z_name;	/* (c) */
	size_t		z_size;		/* (c) object size, multiple of 16 */
	int		z_flags;	/* (c) ZONE_* */
	size_t		z_slabsize;	/* (c) power of 2 */
	size_t		z_hdrsize;	/* (c) offset of the first object */
	int		z_perslab;	/* (c) objects per slab */
	struct spinlock	z_spin;		/* guards (z) */
	void		*z_depot;	/* (z) free list through word 0 */
	int		z_ndepot;	/* (z) */
	struct zone_slab *z_slabs;	/* (z) */
	struct fault_inject z_fi;	/* (a) */
	struct zone_mag	z_mags[MAXCPU];	/* (m) one per CPU */
};

/* zone_geometry - choose slab size, header size and objects per slab. */
static void
zone_geometry(struct vm_zone *z)
{
	size_t slab = ZONE_SLAB_MIN, bitmap;

	while (slab < 8 * z->z_size + 4096)
		slab <<= 1;
	bitmap = ((slab / z->z_size + 63) / 64) * sizeof(uint64_t);
	z->z_slabsize = slab;
	z->z_hdrsize = roundup2(sizeof(struct zone_slab) + bitmap, 64);
	z->z_perslab = (int)((slab - z->z_hdrsize) / z->z_size);
}

/*
 * zinit - create a zone of `size'-byte objects.  No requirements.
 * Returns the zone, or NULL if the host is out of memory.
 */
vm_zone_t
zinit(const char *name, size_t size, int flags)
{
	struct vm_zone *z;

	z = aligned_alloc(64, roundup2(sizeof(*z), 64));
	if (z == NULL)
		return (NULL);
	memset(z, 0, sizeof(*z));
	z->z_name = name;
	z->z_size = roundup2(MAX(size, sizeof(void *)), 16);
	z->z_flags = flags;
	spin_init(&z->z_spin, "zone depot");
	zone_geometry(z);
	return (z);
}

/*
 * zdestroy - free z and all its slabs.  Every object must have been freed
 * (panics otherwise in debug builds); no thread may use z any more.
 */
void
zdestroy(vm_zone_t z)
{
	struct zone_slab *s, *next;

	KASSERT(zone_inuse(z) == 0, ("zdestroy of zone %s with %ld objects "
	    "in use", z->z_name, zone_inuse(z)));
	for (s = z->z_slabs; s != NULL; s = next) {
		next = s->zs_next;
		free(s);
	}
	spin_uninit(&z->z_spin);
	free(z);
}

/* zone_slab_of - the slab holding item (slabs are size-aligned). */
static inline struct zone_slab *
zone_slab_of(struct vm_zone *z, void *item)
{
	return ((struct zone_slab *)((uintptr_t)item & ~(z->z_slabsize - 1)));
}

#ifdef INVARIANTS
/* zone_junk_fill - fill a free object with ZONE_JUNK. */
static void
zone_junk_fill(struct vm_zone *z, void *item)
{
	uint32_t *w = item;
	size_t i;

	for (i = 0; i < z->z_size / sizeof(*w); i++)
		w[i] = ZONE_JUNK;
}

/*
 * zone_mark - flip item's allocated bit to `alloc', panicking if it was
 * already so (a double free) or if item is not an object of z.
 */
static void
zone_mark(struct vm_zone *z, void *item, int alloc)
{
	struct zone_slab *s = zone_slab_of(z, item);
	size_t off = (size_t)((char *)item - (char *)s) - z->z_hdrsize;
	size_t idx = off / z->z_size;
	uint64_t bit = 1ull << (idx % 64), old;

	KASSERT(s->zs_zone == z && off % z->z_size == 0 &&
	    idx < (size_t)z->z_perslab, ("zone %s: %p is not one of its "
	    "objects", z->z_name, item));
	if (alloc)
		old = __atomic_fetch_or(&s->zs_alloc[idx / 64], bit,
		    __ATOMIC_RELAXED);
	else
		old = __atomic_fetch_and(&s->zs_alloc[idx / 64], ~bit,
		    __ATOMIC_RELAXED);
	KASSERT(alloc || (old & bit), ("zone %s: double free of %p",
	    z->z_name, item));
	KASSERT(!alloc || !(old & bit), ("zone %s: %p allocated twice",
	    z->z_name, item));
}

/* zone_junk_check - panic if item was written while free. */
static void
zone_junk_check(struct vm_zone *z, void *item)
{
	uint32_t *w = item;
	size_t i;

	for (i = sizeof(void *) / sizeof(*w); i < z->z_size / sizeof(*w); i++)
		KASSERT(w[i] == ZONE_JUNK, ("zone %s: %p modified after free "
		    "at offset %zu", z->z_name, item, i * sizeof(*w)));
}
#endif

/*
 * zone_slab_new - a host slab whose objects are threaded into a list.
 * Called without z_spin.  Returns the slab, or NULL (out of memory).
 */
static struct zone_slab *
zone_slab_new(struct vm_zone *z, void **firstp, void **lastp)
{
	struct zone_slab *s;
	char *item;
	int i;

	s = aligned_alloc(z->z_slabsize, z->z_slabsize);
	if (s == NULL)
		return (NULL);
	memset(s, 0, z->z_hdrsize);
	s->zs_zone = z;
	item = (char *)s + z->z_hdrsize;
	*firstp = item;
	for (i = 0; i < z->z_perslab; i++, item += z->z_size) {
#ifdef INVARIANTS
		zone_junk_fill(z, item);
#endif
		*(void **)item = (i + 1 < z->z_perslab) ? item + z->z_size :
		    NULL;
	}
	*lastp = item - z->z_size;
	return (s);
}

/*
 * zone_depot_grow - add a new slab's objects to the depot.  z_spin held on
 * entry and return (dropped around the host allocation).  FALSE if the
 * host is out of memory.
 */
static int
zone_depot_grow(struct vm_zone *z)
{
	struct zone_slab *s;
	void *first, *last;

	spin_unlock(&z->z_spin);
	s = zone_slab_new(z, &first, &last);
	spin_lock(&z->z_spin);
	if (s == NULL)
		return (FALSE);
	s->zs_next = z->z_slabs;
	z->z_slabs = s;
	*(void **)last = z->z_depot;
	z->z_depot = first;
	z->z_ndepot += z->z_perslab;
	return (TRUE);
}

/*
 * zone_refill - move up to half a magazine from the depot (growing it if
 * empty) into mag.  Never blocks.  FALSE if nothing could be had.
 */
static int
zone_refill(struct vm_zone *z, struct zone_mag *mag)
{
	void *item;

	spin_lock(&z->z_spin);
	if (z->z_depot == NULL && !zone_depot_grow(z)) {
		spin_unlock(&z->z_spin);
		return (FALSE);
	}
	while (z->z_depot != NULL && mag->zm_n < ZONE_MAGSIZE / 2) {
		item = z->z_depot;
		z->z_depot = *(void **)item;
		z->z_ndepot--;
		mag->zm_items[mag->zm_n++] = item;
	}
	spin_unlock(&z->z_spin);
	return (TRUE);
}

/* zone_spill - move half of a full magazine to the depot. */
static void
zone_spill(struct vm_zone *z, struct zone_mag *mag)
{
	void *item;

	spin_lock(&z->z_spin);
	while (mag->zm_n > ZONE_MAGSIZE / 2) {
		item = mag->zm_items[--mag->zm_n];
		*(void **)item = z->z_depot;
		z->z_depot = item;
		z->z_ndepot++;
	}
	spin_unlock(&z->z_spin);
}


/* zone_mag_here - the calling CPU's magazine of z. */
static inline struct zone_mag *
zone_mag_here(struct vm_zone *z)
{
	KASSERT(curthread != NULL && curthread->td_gd != NULL,
	    ("zone %s used outside a running flyvm thread", z->z_name));
	return (&z->z_mags[mycpuid]);
}

/*
 * zalloc - one object of z.  The caller is a running flyvm thread; may
 * hold spinlocks; never blocks.  Returns the object (zeroed with
 * ZONE_ZERO), or NULL when the host is out of memory or the zone's fault
 * injector fires.
 */
void *
zalloc(vm_zone_t z)
{
	struct zone_mag *mag = zone_mag_here(z);
	void *item;

	if (fault_inject_check(&z->z_fi))
		return (NULL);
	if (mag->zm_n == 0 && !zone_refill(z, mag))
		return (NULL);
	item = mag->zm_items[--mag->zm_n];
	atomic_store_relaxed(&mag->zm_inuse, mag->zm_inuse + 1);
#ifdef INVARIANTS
	zone_junk_check(z, item);
	zone_mark(z, item, TRUE);
#endif
	if (z->z_flags & ZONE_ZERO)
		memset(item, 0, z->z_size);
	return (item);
}

/*
 * zfree - return item, from zalloc(z), to z.  The caller is a running
 * flyvm thread; never blocks.  Debug builds panic on a double free.
 */
void
zfree(vm_zone_t z, void *item)
{
	struct zone_mag *mag = zone_mag_here(z);

	KASSERT(item != NULL, ("zfree of NULL to zone %s", z->z_name));
#ifdef INVARIANTS
	zone_mark(z, item, FALSE);
	zone_junk_fill(z, item);
#endif
	if (mag->zm_n == ZONE_MAGSIZE)
		zone_spill(z, mag);
	mag->zm_items[mag->zm_n++] = item;
	atomic_store_relaxed(&mag->zm_inuse, mag->zm_inuse - 1);
}

/* zone_inuse - objects allocated and not freed (a snapshot). */
long
zone_inuse(vm_zone_t z)
{
	long n = 0;
	int i;

	for (i = 0; i < MAXCPU; i++)
		n += atomic_load_relaxed(&z->z_mags[i].zm_inuse);
	return (n);
}

/* zone_fault - z's fault injector, for tests to arm. */
struct fault_inject *
zone_fault(vm_zone_t z)
{
	return (&z->z_fi);
}
