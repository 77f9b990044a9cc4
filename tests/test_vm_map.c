/*
 * test_vm_map.c - vm_map and vmspace: every entry point, with
 * vm_map_audit() after each step and all entries, links, objects and
 * vmspaces gone at the end of every test.
 */
#include <string.h>

#include "harness.h"
#include "kern/fault_inject.h"
#include "vm_map_util.h"
#include "vm/vm_mman.h"

#define PG		((vm_offset_t)PAGE_SIZE)
#define MB		((vm_offset_t)1 << 20)
#define VMIN		((vm_offset_t)0x10000000)
#define VMAX		((vm_offset_t)0x1000000000)

#define AUDIT(map)	ASSERT_EQ(vm_map_audit(map), 0)

static void
boot(void)
{
	vmt_boot(2);
}

static void
teardown(void)
{
	vmt_teardown();
}

static struct vmspace *
new_vm(void)
{
	struct vmspace *vm = vmspace_alloc(VMIN, VMAX);

	ASSERT_NOT_NULL(vm);
	return (vm);
}

/* boot() and a fresh vmspace; end_map() releases it and tears down. */
static vm_map_t
boot_map(struct vmspace **vmp)
{
	boot();
	*vmp = new_vm();
	return (&(*vmp)->vm_map);
}

static void
end_map(struct vmspace *vm)
{
	vmspace_rel(vm);
	teardown();
}

/* Map anonymous memory at exactly addr. */
static int
map_at(vm_map_t map, vm_offset_t addr, vm_size_t len, vm_prot_t prot,
    int cow)
{
	return (vm_map_find(map, NULL, NULL, 0, &addr, len, 0, FALSE,
	    VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, prot, VM_PROT_ALL, cow));
}

/* Map `obj' (reference donated) at exactly addr. */
static int
map_obj_at(vm_map_t map, vm_object_t obj, vm_ooffset_t off, vm_offset_t addr,
    vm_size_t len, int cow)
{
	return (vm_map_find(map, obj, NULL, off, &addr, len, 0, FALSE,
	    VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL, VM_PROT_ALL, cow));
}

/* The entry containing addr (map not locked; stable while single-threaded). */
static vm_map_entry_t
entry_at(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t entry;
	boolean_t found;

	vm_map_lock_read(map);
	found = vm_map_lookup_entry(map, addr, &entry);
	vm_map_unlock_read(map);
	return (found ? entry : NULL);
}

#define touch(map, addr, type, wflagsp, protp)			\
	vmt_touch((map), (addr), (type), (wflagsp), (protp))

static vm_object_t
anon_object(vm_pindex_t size)
{
	vm_object_t obj = vm_object_allocate(OBJT_DEFAULT, size);

	ASSERT_NOT_NULL(obj);
	vm_object_set_flag(obj, OBJ_ONEMAPPING);
	return (obj);
}

/* Put a fresh page at pindex in obj. */
static vm_page_t
add_page(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	ASSERT_NOT_NULL(m);
	m->valid = VM_PAGE_BITS_ALL;
	vm_page_wakeup(m);
	vm_object_drop(obj);
	return (m);
}

static int
has_page(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_lookup(obj, pindex);
	vm_object_drop(obj);
	return (m != NULL);
}

/* A snapshot of the attributes of every entry, to prove nothing changed. */
struct snap {
	int		n;
	vm_offset_t	start[32], end[32];
	vm_prot_t	prot[32], max[32];
	vm_inherit_t	inh[32];
	vm_eflags_t	eflags[32];
};

static void
take_snap(vm_map_t map, struct snap *s)
{
	vm_map_entry_t entry;

	memset(s, 0, sizeof(*s));
	vm_map_lock_read(map);
	RB_FOREACH(entry, vm_map_rb_tree, &map->rb_root) {
		ASSERT_TRUE(s->n < 32);
		s->start[s->n] = entry->ba.start;
		s->end[s->n] = entry->ba.end;
		s->prot[s->n] = entry->protection;
		s->max[s->n] = entry->max_protection;
		s->inh[s->n] = entry->inheritance;
		s->eflags[s->n] = entry->eflags;
		s->n++;
	}
	vm_map_unlock_read(map);
}

/************************************************************************/

TEST(test_boot_counts)
{
	boot();
	ASSERT_EQ(vm_map_entry_count(), 0);
	teardown();
}

TEST(test_insert_args)
{
	struct vmspace *vm;
	vm_map_t map;
	int count;

	map = boot_map(&vm);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN + 1,
	    VMIN + PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN,
	    VMIN, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN - PG,
	    VMIN + PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_INVALID_ADDRESS);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN,
	    VMIN + PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_READ, 0), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN,
	    VMIN + PG, VM_MAPTYPE_SUBMAP, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN,
	    VMIN + PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0x1), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN,
	    VMIN + 4 * PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN + PG,
	    VMIN + 2 * PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_NO_SPACE);
	ASSERT_EQ(vm_map_insert(map, &count, NULL, NULL, 0, NULL, VMIN - PG,
	    VMIN + PG, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_INVALID_ADDRESS);
	vm_map_unlock(map);
	vm_map_entry_release(count);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_EQ(map->size, 4 * PG);
	end_map(vm);
}

TEST(test_insert_coalesce)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_object_t obj;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 4 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 4 * PG, 4 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_EQ(map->size, 8 * PG);

	/* Different protection: a new entry. */
	ASSERT_EQ(map_at(map, VMIN + 8 * PG, 4 * PG, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);

	/* An entry with a private object grows its object. */
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL), KERN_SUCCESS);
	e = entry_at(map, VMIN);
	obj = e->ba.object;
	ASSERT_NOT_NULL(obj);
	ASSERT_EQ(obj->size, 8);
	ASSERT_EQ(vm_map_remove(map, VMIN + 8 * PG, VMIN + 12 * PG),
	    KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 8 * PG, 2 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_PTR_EQ(entry_at(map, VMIN + 9 * PG)->ba.object, obj);
	ASSERT_EQ(obj->size, 10);

	/* Other flags, and stack segments, never coalesce. */
	ASSERT_EQ(map_at(map, VMIN + 10 * PG, 2 * PG, VM_PROT_ALL,
	    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	ASSERT_EQ(map->nentries, 2);
	ASSERT_EQ(map_at(map, VMIN + 12 * PG, 2 * PG, VM_PROT_ALL,
	    COWF_IS_STACK), KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 14 * PG, 2 * PG, VM_PROT_ALL,
	    COWF_IS_STACK), KERN_SUCCESS);
	ASSERT_EQ(map->nentries, 4);
	AUDIT(map);
	end_map(vm);
}

/* Brute-force first fit over the entries (stack reserves occupied). */
static vm_offset_t
brute_fit(vm_map_t map, vm_offset_t start, vm_size_t len, vm_size_t align)
{
	vm_map_entry_t e;
	vm_offset_t addr = roundup2(MAX(start, VMIN), align), lo;

	vm_map_lock_read(map);
	RB_FOREACH(e, vm_map_rb_tree, &map->rb_root) {
		lo = e->ba.start;
		if (e->eflags & MAP_ENTRY_STACK)
			lo -= e->aux.avail_ssize;
		if (addr + len <= lo)
			break;
		if (e->ba.end > addr)
			addr = roundup2(e->ba.end, align);
	}
	vm_map_unlock_read(map);
	return (addr + len <= VMAX ? addr : 0);
}

static vm_offset_t
find(vm_map_t map, vm_offset_t start, vm_size_t len, vm_size_t align)
{
	vm_offset_t addr = start;

	if (vm_map_find(map, NULL, NULL, 0, &addr, len, align, TRUE,
	    VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST, VM_PROT_READ, VM_PROT_ALL,
	    COWF_COPY_ON_WRITE) != KERN_SUCCESS)
		return (0);
	return (addr);
}

TEST(test_findspace_first_fit)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_offset_t addr;
	int count;

	map = boot_map(&vm);
	ASSERT_EQ(find(map, 0, 4 * PG, 0), VMIN);
	ASSERT_EQ(find(map, 0, 4 * PG, 0), VMIN + 4 * PG);
	ASSERT_EQ(vm_map_remove(map, VMIN, VMIN + 2 * PG), KERN_SUCCESS);
	AUDIT(map);
	/* The freed 2-page hole fits 2 pages, not 3. */
	ASSERT_EQ(find(map, 0, 3 * PG, 0), VMIN + 8 * PG);
	ASSERT_EQ(find(map, 0, 2 * PG, 0), VMIN);
	/* Alignment, power of two and not. */
	ASSERT_EQ(find(map, 0, PG, 16 * PG), VMIN + 16 * PG);
	ASSERT_EQ(find(map, 0, PG, 3 * PG), VMIN + 11 * PG);	/* 3-page multiple */
	/* Start above holes. */
	ASSERT_EQ(find(map, VMIN + 100 * PG, PG, 0), VMIN + 100 * PG);
	AUDIT(map);

	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_EQ(vm_map_findspace(map, 0, 0, 0, 0, &addr),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_findspace(map, 0, PG, 100, 0, &addr),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_findspace(map, 0, PG, 0, 0x1, &addr),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_findspace(map, 0, VMAX, 0, 0, &addr), KERN_NO_SPACE);
	ASSERT_EQ(vm_map_findspace(map, VMAX - PG, 2 * PG, 0, 0, &addr),
	    KERN_NO_SPACE);
	ASSERT_EQ(vm_map_findspace(map, VMAX - PG, PG, 0, 0, &addr),
	    KERN_SUCCESS);
	ASSERT_EQ(addr, VMAX - PG);
	vm_map_unlock(map);
	vm_map_entry_release(count);
	end_map(vm);
}

TEST(test_findspace_hint_never_skips)
{
	static const vm_size_t lens[] = { PG, 2 * PG, 3 * PG, 8 * PG };
	static const vm_size_t aligns[] = { PG, 4 * PG };
	struct vmspace *vm;
	vm_map_t map;
	vm_offset_t addr, expect, start;
	vm_offset_t live[64];
	vm_size_t livelen[64], len, align;
	unsigned seed = 12345;
	int i, k, nlive = 0;

	map = boot_map(&vm);
	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245 + 12345;
		if (nlive > 0 && ((seed >> 8) % 3 == 0 || nlive == 64)) {
			k = (seed >> 12) % nlive;
			ASSERT_EQ(vm_map_remove(map, live[k],
			    live[k] + livelen[k]), KERN_SUCCESS);
			live[k] = live[--nlive];
			livelen[k] = livelen[nlive];
		} else {
			len = lens[(seed >> 12) % 4];
			align = aligns[(seed >> 16) % 2];
			/* Sometimes search from far above the holes. */
			start = ((seed >> 20) % 4 == 0) ?
			    VMIN + ((seed >> 22) % 64) * PG : 0;
			expect = brute_fit(map, start, len, align);
			addr = find(map, start, len, align);
			ASSERT_EQ(addr, expect);
			live[nlive] = addr;
			livelen[nlive++] = len;
		}
		AUDIT(map);
	}
	end_map(vm);
}

static void
clip_at(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	vm_map_entry_t e;
	int count;

	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_TRUE(vm_map_lookup_entry(map, start, &e));
	vm_map_clip_start(map, e, start, &count);
	vm_map_clip_end(map, e, end, &count);
	vm_map_unlock(map);
	vm_map_entry_release(count);
}

static void
simplify_at(vm_map_t map, vm_offset_t addr)
{
	vm_map_entry_t e;
	int count;

	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_TRUE(vm_map_lookup_entry(map, addr, &e));
	vm_map_simplify_entry(map, e, &count);
	vm_map_unlock(map);
	vm_map_entry_release(count);
}

TEST(test_lookup_entry)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN + 4 * PG, 4 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 12 * PG, 4 * PG, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	vm_map_lock_read(map);
	ASSERT_FALSE(vm_map_lookup_entry(map, VMIN, &e));
	ASSERT_NULL(e);
	ASSERT_TRUE(vm_map_lookup_entry(map, VMIN + 4 * PG, &e));
	ASSERT_EQ(e->ba.start, VMIN + 4 * PG);
	ASSERT_TRUE(vm_map_lookup_entry(map, VMIN + 8 * PG - 1, &e));
	ASSERT_EQ(e->ba.start, VMIN + 4 * PG);
	/* In a hole: the entry below. */
	ASSERT_FALSE(vm_map_lookup_entry(map, VMIN + 8 * PG, &e));
	ASSERT_EQ(e->ba.start, VMIN + 4 * PG);
	ASSERT_FALSE(vm_map_lookup_entry(map, VMAX - 1, &e));
	ASSERT_EQ(e->ba.start, VMIN + 12 * PG);
	vm_map_unlock_read(map);
	end_map(vm);
}

TEST(test_clip_range)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t first, e;
	int count, n;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 12 * PG, 8 * PG, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	/* Holes refused: nothing marked, nothing left clipped apart. */
	ASSERT_NULL(vm_map_clip_range(map, VMIN + 2 * PG, VMIN + 14 * PG,
	    &count, MAP_CLIP_NO_HOLES));
	ASSERT_NULL(vm_map_clip_range(map, VMIN + 8 * PG, VMIN + 10 * PG,
	    &count, 0));
	RB_FOREACH(e, vm_map_rb_tree, &map->rb_root)
		ASSERT_FALSE(e->eflags & MAP_ENTRY_IN_TRANSITION);
	/* Holes allowed: the entries inside are clipped and marked. */
	first = vm_map_clip_range(map, VMIN + 2 * PG, VMIN + 14 * PG, &count,
	    0);
	ASSERT_NOT_NULL(first);
	ASSERT_EQ(first->ba.start, VMIN + 2 * PG);
	n = 0;
	RB_FOREACH(e, vm_map_rb_tree, &map->rb_root) {
		int inside = e->ba.start >= VMIN + 2 * PG &&
		    e->ba.end <= VMIN + 14 * PG;

		ASSERT_EQ(!!(e->eflags & MAP_ENTRY_IN_TRANSITION), inside);
		n++;
	}
	ASSERT_EQ(n, 4);
	vm_map_unclip_range(map, first, VMIN + 2 * PG, VMIN + 14 * PG, &count,
	    0);
	vm_map_unlock(map);
	vm_map_entry_release(count);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);
	end_map(vm);
}

TEST(test_clip_simplify_roundtrip)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_object_t obj;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 16 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	clip_at(map, VMIN + 4 * PG, VMIN + 8 * PG);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 3);
	ASSERT_EQ(map->size, 16 * PG);
	/* Within one partition the pieces share one object. */
	e = entry_at(map, VMIN + 5 * PG);
	obj = e->ba.object;
	ASSERT_NOT_NULL(obj);
	ASSERT_EQ(e->ba.start, VMIN + 4 * PG);
	ASSERT_EQ(e->ba.offset, 4 * PG);
	ASSERT_EQ(entry_at(map, VMIN + 9 * PG)->ba.offset, 8 * PG);
	ASSERT_PTR_EQ(entry_at(map, VMIN)->ba.object, obj);
	ASSERT_EQ(obj->ref_count, 3);
	ASSERT_TRUE(obj->flags & OBJ_ONEMAPPING);
	simplify_at(map, VMIN + 5 * PG);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_EQ(obj->ref_count, 1);
	e = entry_at(map, VMIN);
	ASSERT_EQ(e->ba.start, VMIN);
	ASSERT_EQ(e->ba.end, VMIN + 16 * PG);

	/* A shadowed entry: its chain is clipped and merged link by link. */
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 16 * PG, VM_PROT_ALL,
	    FALSE), KERN_SUCCESS);
	vm_object_reference_quick(obj);		/* someone else sees it */
	e->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL), KERN_SUCCESS);
	vm_object_deallocate(obj);
	e = entry_at(map, VMIN);
	ASSERT_EQ(e->ba.backing_count, 1);
	clip_at(map, VMIN + 4 * PG, VMIN + 8 * PG);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 3);
	e = entry_at(map, VMIN + 4 * PG);
	ASSERT_EQ(e->ba.backing_ba->offset, 4 * PG);
	ASSERT_EQ(e->ba.backing_ba->start, VMIN + 4 * PG);
	ASSERT_EQ(vm_map_backing_count(), 3);
	simplify_at(map, VMIN + 4 * PG);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_EQ(vm_map_backing_count(), 1);

	/* Beyond a partition no object is made; NULL halves merge back. */
	ASSERT_EQ(map_at(map, VMIN + 64 * MB, 64 * MB, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	clip_at(map, VMIN + 80 * MB, VMIN + 96 * MB);
	AUDIT(map);
	ASSERT_NULL(entry_at(map, VMIN + 80 * MB)->ba.object);
	ASSERT_EQ(map->nentries, 4);
	simplify_at(map, VMIN + 80 * MB);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);
	end_map(vm);
}

TEST(test_delete_partial)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_object_t obj;
	int i;

	map = boot_map(&vm);
	obj = anon_object(16);
	for (i = 0; i < 16; i++)
		add_page(obj, i);
	/* No extra reference: a second user would clear ONEMAPPING. */
	ASSERT_EQ(map_obj_at(map, obj, 0, VMIN, 16 * PG, 0), KERN_SUCCESS);
	ASSERT_TRUE(obj->flags & OBJ_ONEMAPPING);

	/* A hole in the middle: ONEMAPPING frees its pages now. */
	ASSERT_EQ(vm_map_remove(map, VMIN + 4 * PG, VMIN + 8 * PG),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);
	ASSERT_EQ(map->size, 12 * PG);
	ASSERT_TRUE(has_page(obj, 3));
	ASSERT_FALSE(has_page(obj, 4));
	ASSERT_FALSE(has_page(obj, 7));
	ASSERT_TRUE(has_page(obj, 8));
	ASSERT_EQ(obj->size, 16);

	/* The tail goes: the object shrinks. */
	ASSERT_EQ(vm_map_remove(map, VMIN + 12 * PG, VMIN + 16 * PG),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(obj->size, 12);
	ASSERT_FALSE(has_page(obj, 12));
	ASSERT_EQ(map->size, 8 * PG);

	/* Across a hole, and ranges with nothing in them. */
	ASSERT_EQ(vm_map_remove(map, VMIN + 2 * PG, VMIN + 10 * PG),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);
	ASSERT_EQ(map->size, 4 * PG);
	ASSERT_EQ(vm_map_remove(map, VMIN + 2 * PG, VMIN + 10 * PG),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_remove(map, VMIN + 1, VMIN + PG),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_remove(map, 0, VMIN), KERN_INVALID_ADDRESS);
	ASSERT_EQ(obj->ref_count, 2);
	ASSERT_EQ(vm_map_remove(map, VMIN, VMAX), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 0);
	ASSERT_EQ(map->size, 0);
	end_map(vm);
}

TEST(test_protect)
{
	struct vmspace *vm;
	vm_map_t map;
	struct snap before, after;
	vm_map_entry_t e;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 16 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_find(map, NULL, NULL, 0, &(vm_offset_t){ VMIN +
	    32 * PG }, 4 * PG, 0, FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST,
	    VM_PROT_READ, VM_PROT_READ, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_protect(map, VMIN + 4 * PG, VMIN + 8 * PG,
	    VM_PROT_READ, FALSE), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 4);
	ASSERT_EQ(entry_at(map, VMIN + 4 * PG)->protection, VM_PROT_READ);
	ASSERT_EQ(entry_at(map, VMIN + 8 * PG)->protection, VM_PROT_ALL);

	/* Beyond max_protection of one entry: nothing changes anywhere. */
	take_snap(map, &before);
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 36 * PG,
	    VM_PROT_READ | VM_PROT_WRITE, FALSE), KERN_PROTECTION_FAILURE);
	take_snap(map, &after);
	ASSERT_EQ(memcmp(&before, &after, sizeof(before)), 0);
	AUDIT(map);

	/* Holes are skipped; the entries merge back. */
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 30 * PG, VM_PROT_ALL,
	    FALSE), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 2);

	/* set_max lowers the maximum and the current protection. */
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 2 * PG, VM_PROT_READ,
	    TRUE), KERN_SUCCESS);
	e = entry_at(map, VMIN);
	ASSERT_EQ(e->max_protection, VM_PROT_READ);
	ASSERT_EQ(e->protection, VM_PROT_READ);
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 2 * PG, VM_PROT_ALL,
	    FALSE), KERN_PROTECTION_FAILURE);
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + PG, 0x10, FALSE),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_protect(map, VMIN + 1, VMIN + PG, VM_PROT_READ,
	    FALSE), KERN_INVALID_ARGUMENT);
	AUDIT(map);
	end_map(vm);
}

TEST(test_inherit)
{
	struct vmspace *vm;
	vm_map_t map;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(entry_at(map, VMIN)->inheritance, VM_INHERIT_DEFAULT);
	ASSERT_EQ(vm_map_inherit(map, VMIN + 2 * PG, VMIN + 4 * PG,
	    VM_INHERIT_SHARE), KERN_SUCCESS);
	ASSERT_EQ(vm_map_inherit(map, VMIN + 4 * PG, VMIN + 6 * PG,
	    VM_INHERIT_NONE), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 4);
	ASSERT_EQ(entry_at(map, VMIN)->inheritance, VM_INHERIT_COPY);
	ASSERT_EQ(entry_at(map, VMIN + 2 * PG)->inheritance, VM_INHERIT_SHARE);
	ASSERT_EQ(entry_at(map, VMIN + 5 * PG)->inheritance, VM_INHERIT_NONE);
	ASSERT_EQ(vm_map_inherit(map, VMIN, VMIN + 8 * PG, 3),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_inherit(map, VMIN, VMIN + 8 * PG, -1),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_inherit(map, VMIN, VMIN + 64 * PG, VM_INHERIT_COPY),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	end_map(vm);
}

TEST(test_madvise)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 2 * PG, MADV_SEQUENTIAL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN + 2 * PG, VMIN + 4 * PG,
	    MADV_RANDOM, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN + 4 * PG, VMIN + 6 * PG,
	    MADV_NOSYNC, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN + 6 * PG, VMIN + 8 * PG,
	    MADV_NOCORE, 0), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 4);
	ASSERT_EQ(MAP_ENTRY_BEHAV(entry_at(map, VMIN)),
	    MAP_ENTRY_BEHAV_SEQUENTIAL);
	ASSERT_EQ(MAP_ENTRY_BEHAV(entry_at(map, VMIN + 2 * PG)),
	    MAP_ENTRY_BEHAV_RANDOM);
	e = entry_at(map, VMIN + 4 * PG);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_NOSYNC);
	ASSERT_TRUE(entry_at(map, VMIN + 6 * PG)->eflags &
	    MAP_ENTRY_NOCOREDUMP);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, MADV_NORMAL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, MADV_AUTOSYNC, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 16 * PG, MADV_CORE, 0),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, MADV_WILLNEED, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, MADV_INVAL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, MADV_SETMAP, 0),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_madvise(map, VMIN, VMIN + 8 * PG, 99, 0),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_madvise(map, VMIN + 8 * PG, VMIN, MADV_NORMAL, 0),
	    KERN_INVALID_ARGUMENT);
	AUDIT(map);
	end_map(vm);
}

/* Counting fault hooks; wire fails on the Nth call when armed. */
static int wire_calls, unwire_calls, wire_fail_at, copy_calls;

static int
test_wire(vm_map_t map, vm_map_entry_t entry, boolean_t user, int kmflags)
{
	ASSERT_TRUE(entry->eflags & MAP_ENTRY_IN_TRANSITION);
	ASSERT_TRUE(vm_map_locked_excl(map));
	if (++wire_calls == wire_fail_at)
		return (KERN_FAILURE);
	return (KERN_SUCCESS);
}

static void
test_unwire(vm_map_t map, vm_map_entry_t entry)
{
	unwire_calls++;
}

static int
test_collapse(vm_map_t map, vm_map_entry_t entry)
{
	return (KERN_FAILURE);
}

static void
test_copy_entry(vm_map_t dst_map, vm_map_t src_map, vm_map_entry_t dst,
    vm_map_entry_t src)
{
	ASSERT_NOT_NULL(dst->ba.object);
	ASSERT_TRUE(dst->ba.object != src->ba.object);
	copy_calls++;
}

static const struct vm_map_fault_hooks test_hooks = {
	test_wire, test_unwire, test_collapse, test_copy_entry
};

static void
hooks_on(void)
{
	wire_calls = unwire_calls = wire_fail_at = copy_calls = 0;
	vm_map_set_fault_hooks(&test_hooks);
}

TEST(test_user_wiring)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;

	boot();
	hooks_on();
	vm = new_vm();
	map = &vm->vm_map;
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(map_at(map, VMIN + 8 * PG, 8 * PG, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_user_wiring(map, VMIN + 4 * PG, VMIN + 12 * PG,
	    FALSE), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(wire_calls, 2);
	ASSERT_EQ(map->nentries, 4);
	e = entry_at(map, VMIN + 4 * PG);
	ASSERT_EQ(e->wired_count, 1);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_USER_WIRED);
	ASSERT_NOT_NULL(e->ba.object);
	ASSERT_EQ(entry_at(map, VMIN)->wired_count, 0);
	/* mlock twice counts once. */
	ASSERT_EQ(vm_map_user_wiring(map, VMIN + 4 * PG, VMIN + 12 * PG,
	    FALSE), KERN_SUCCESS);
	ASSERT_EQ(entry_at(map, VMIN + 4 * PG)->wired_count, 1);
	ASSERT_EQ(wire_calls, 2);
	/* munlock of a range not all user wired changes nothing. */
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 12 * PG, TRUE),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(entry_at(map, VMIN + 4 * PG)->wired_count, 1);
	ASSERT_EQ(vm_map_user_wiring(map, VMIN + 4 * PG, VMIN + 12 * PG,
	    TRUE), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(unwire_calls, 2);
	ASSERT_EQ(entry_at(map, VMIN + 4 * PG)->wired_count, 0);
	ASSERT_EQ(map->nentries, 2);
	/* Holes. */
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 20 * PG, FALSE),
	    KERN_INVALID_ADDRESS);
	/* The fault fails on the second entry: nothing stays wired. */
	wire_fail_at = wire_calls + 2;
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 16 * PG, FALSE),
	    KERN_FAILURE);
	AUDIT(map);
	ASSERT_EQ(unwire_calls, 3);
	ASSERT_EQ(entry_at(map, VMIN)->wired_count, 0);
	ASSERT_EQ(entry_at(map, VMIN + 8 * PG)->wired_count, 0);
	ASSERT_FALSE(entry_at(map, VMIN)->eflags & MAP_ENTRY_USER_WIRED);
	/* A wired entry is unwired when removed. */
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 4 * PG, FALSE),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_remove(map, VMIN, VMIN + 16 * PG), KERN_SUCCESS);
	ASSERT_EQ(unwire_calls, 4);
	vmspace_rel(vm);
	vm_map_set_fault_hooks(NULL);
	teardown();
}

TEST(test_kernel_wiring)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	int count;

	boot();
	hooks_on();
	vm = new_vm();
	map = &vm->vm_map;
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 4 * PG, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 8 * PG, 0),
	    KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(wire_calls, 2);
	ASSERT_EQ(entry_at(map, VMIN)->wired_count, 2);
	ASSERT_EQ(entry_at(map, VMIN + 4 * PG)->wired_count, 1);
	/* User wiring on top of kernel wiring. */
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 8 * PG, FALSE),
	    KERN_SUCCESS);
	ASSERT_EQ(wire_calls, 2);
	ASSERT_EQ(entry_at(map, VMIN)->wired_count, 3);
	/* Kernel unwiring cannot take a user wiring away. */
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN + 4 * PG, VMIN + 8 * PG,
	    KM_PAGEABLE), KERN_SUCCESS);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN + 4 * PG, VMIN + 8 * PG,
	    KM_PAGEABLE), KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN + 4 * PG, VMIN + 8 * PG, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_user_wiring(map, VMIN, VMIN + 8 * PG, TRUE),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 8 * PG, KM_PAGEABLE),
	    KERN_SUCCESS);
	ASSERT_EQ(unwire_calls, 1);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 8 * PG, KM_PAGEABLE),
	    KERN_INVALID_ARGUMENT);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 4 * PG,
	    KM_PAGEABLE | KM_KRESERVE), KERN_SUCCESS);
	ASSERT_EQ(unwire_calls, 2);
	AUDIT(map);
	ASSERT_EQ(map->nentries, 1);
	/* A fault failure: earlier entries unwired, later counts undone. */
	ASSERT_EQ(vm_map_protect(map, VMIN + 2 * PG, VMIN + 4 * PG,
	    VM_PROT_READ, FALSE), KERN_SUCCESS);
	wire_fail_at = wire_calls + 2;
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 8 * PG, 0),
	    KERN_FAILURE);
	AUDIT(map);
	ASSERT_EQ(unwire_calls, 3);
	ASSERT_EQ(entry_at(map, VMIN)->wired_count, 0);
	ASSERT_EQ(entry_at(map, VMIN + 6 * PG)->wired_count, 0);
	ASSERT_EQ(vm_map_kernel_wiring(map, VMIN, VMIN + 8 * PG, 0x100),
	    KERN_INVALID_ARGUMENT);

	/* set_wired_quick marks without faulting. */
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_EQ(vm_map_set_wired_quick(map, VMIN + 6 * PG, 2 * PG, &count),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_set_wired_quick(map, VMIN + 6 * PG, 4 * PG, &count),
	    KERN_INVALID_ADDRESS);
	vm_map_unlock(map);
	vm_map_entry_release(count);
	e = entry_at(map, VMIN + 6 * PG);
	ASSERT_EQ(e->wired_count, 1);
	ASSERT_EQ(e->ba.start, VMIN + 6 * PG);
	ASSERT_EQ(wire_calls, 4);
	AUDIT(map);
	vmspace_rel(vm);
	vm_map_set_fault_hooks(NULL);
	teardown();
}

TEST(test_check_protection)
{
	struct vmspace *vm;
	vm_map_t map;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 4 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_find(map, NULL, NULL, 0, &(vm_offset_t){ VMIN +
	    4 * PG }, 4 * PG, 0, FALSE, VM_MAPTYPE_NORMAL, VM_SUBSYS_TEST,
	    VM_PROT_READ, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_TRUE(vm_map_check_protection(map, VMIN, VMIN + 8 * PG,
	    VM_PROT_READ, FALSE));
	ASSERT_FALSE(vm_map_check_protection(map, VMIN, VMIN + 8 * PG,
	    VM_PROT_WRITE, FALSE));
	ASSERT_TRUE(vm_map_check_protection(map, VMIN, VMIN + 4 * PG,
	    VM_PROT_WRITE, FALSE));
	ASSERT_FALSE(vm_map_check_protection(map, VMIN, VMIN + 9 * PG,
	    VM_PROT_NONE, FALSE));
	ASSERT_FALSE(vm_map_check_protection(map, VMIN - PG, VMIN + PG,
	    VM_PROT_NONE, FALSE));
	vm_map_lock_read(map);
	ASSERT_TRUE(vm_map_check_protection(map, VMIN + PG, VMIN + 5 * PG,
	    VM_PROT_NONE, TRUE));
	vm_map_unlock_read(map);
	end_map(vm);
}

TEST(test_stack)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_offset_t bos = VMIN + 64 * MB, top = bos + 8 * MB, addr;
	int count;

	map = boot_map(&vm);
	vm->vm_maxsaddr = bos;
	vm->vm_minsaddr = top;
	ASSERT_EQ(vm_map_stack(map, &bos, 8 * MB, 0, VM_PROT_ALL, VM_PROT_ALL,
	    0), KERN_SUCCESS);
	AUDIT(map);
	e = entry_at(map, top - PG);
	ASSERT_NOT_NULL(e);
	ASSERT_EQ(e->ba.start, top - SGROWSIZ);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_STACK);
	ASSERT_EQ(e->aux.avail_ssize, 8 * MB - SGROWSIZ);
	ASSERT_EQ(map->size, SGROWSIZ);
	/* Overlapping stacks and mappings in the reserve are refused. */
	addr = bos - 4 * MB;
	ASSERT_EQ(vm_map_stack(map, &addr, 8 * MB, 0, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_NO_SPACE);
	/* findspace avoids the reserve, MAP_TRYFIXED may use it. */
	ASSERT_EQ(find(map, bos, PG, 0), top);
	count = vm_map_entry_reserve(MAP_RESERVE_COUNT);
	vm_map_lock(map);
	ASSERT_EQ(vm_map_findspace(map, bos, PG, 0, MAP_TRYFIXED, &addr),
	    KERN_SUCCESS);
	ASSERT_EQ(addr, bos);
	vm_map_unlock(map);
	vm_map_entry_release(count);

	/* Growth. */
	ASSERT_EQ(vm_map_growstack(map, top - SGROWSIZ - 10), KERN_SUCCESS);
	AUDIT(map);
	e = entry_at(map, top - SGROWSIZ - PG);
	ASSERT_NOT_NULL(e);
	ASSERT_EQ(e->ba.start, top - 2 * SGROWSIZ);
	ASSERT_EQ(e->aux.avail_ssize, 8 * MB - 2 * SGROWSIZ);
	ASSERT_EQ(vm->vm_ssize, atop(SGROWSIZ));
	ASSERT_EQ(map->nentries, 2);
	ASSERT_EQ(vm_map_growstack(map, top - PG), KERN_SUCCESS);
	ASSERT_EQ(vm_map_growstack(map, bos - PG), KERN_INVALID_ADDRESS);
	ASSERT_EQ(vm_map_growstack(map, VMIN), KERN_INVALID_ADDRESS);
	/* RLIMIT_STACK and RLIMIT_VMEM stand-ins. */
	vm->vm_stacklim = 3 * SGROWSIZ;
	ASSERT_EQ(vm_map_growstack(map, bos + PG), KERN_NO_SPACE);
	ASSERT_EQ(vm_map_growstack(map, top - 2 * SGROWSIZ - PG),
	    KERN_SUCCESS);
	ASSERT_EQ(vm->vm_ssize, atop(2 * SGROWSIZ));
	vm->vm_stacklim = VM_RLIM_INFINITY;
	vm->vm_vmemlim = map->size;
	ASSERT_EQ(vm_map_growstack(map, top - 4 * SGROWSIZ), KERN_NO_SPACE);
	vm->vm_vmemlim = VM_RLIM_INFINITY;
	/* All the way down. */
	ASSERT_EQ(vm_map_growstack(map, bos), KERN_SUCCESS);
	AUDIT(map);
	e = entry_at(map, bos);
	ASSERT_EQ(e->ba.start, bos);
	ASSERT_EQ(e->aux.avail_ssize, 0);
	ASSERT_EQ(map->size, 8 * MB + PG);
	ASSERT_EQ(vm_map_stack(map, &bos, 0, 0, VM_PROT_ALL, VM_PROT_ALL, 0),
	    KERN_INVALID_ARGUMENT);

	/* A fixed mapping inside a reserve: growth stops at it. */
	addr = VMIN + 128 * MB;
	ASSERT_EQ(vm_map_stack(map, &addr, 4 * MB, 0, VM_PROT_ALL,
	    VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(map_at(map, addr + 4 * MB - SGROWSIZ - 3 * PG, PG,
	    VM_PROT_READ, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_growstack(map, addr + 4 * MB - SGROWSIZ - PG),
	    KERN_SUCCESS);
	AUDIT(map);
	e = entry_at(map, addr + 4 * MB - SGROWSIZ - PG);
	ASSERT_EQ(e->ba.start, addr + 4 * MB - SGROWSIZ - 2 * PG);
	ASSERT_EQ(e->aux.avail_ssize, 0);
	ASSERT_EQ(vm_map_growstack(map, addr + PG), KERN_INVALID_ADDRESS);
	end_map(vm);
}

/* A reserve that shrinks frees the space below the intruder: hints see it. */
TEST(test_stack_reserve_hint)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_offset_t bos = VMIN, top = VMIN + MB;

	map = boot_map(&vm);
	ASSERT_EQ(vm_map_stack(map, &bos, MB, 0, VM_PROT_ALL, VM_PROT_ALL,
	    0), KERN_SUCCESS);
	ASSERT_EQ(find(map, 0, 4 * PG, 0), top);	/* the reserve is taken */
	AUDIT(map);
	ASSERT_EQ(map_at(map, top - SGROWSIZ - 2 * PG, PG, VM_PROT_READ, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_growstack(map, top - SGROWSIZ - PG), KERN_SUCCESS);
	AUDIT(map);
	ASSERT_EQ(find(map, 0, 4 * PG, 0), VMIN);
	AUDIT(map);
	end_map(vm);
}

TEST(test_lookup)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e, out;
	vm_map_backing_t ba;
	vm_object_t obj;
	vm_pindex_t pindex, pcount;
	vm_prot_t prot;
	int wflags;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_READ, 0), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN - PG, VM_PROT_READ, NULL, NULL),
	    KERN_INVALID_ADDRESS);
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL),
	    KERN_PROTECTION_FAILURE);
	ASSERT_NULL(entry_at(map, VMIN)->ba.object);
	ASSERT_EQ(vm_map_lookup(&map, VMIN + 3 * PG + 5, VM_PROT_READ, &out,
	    &ba, &pindex, &pcount, &prot, &wflags), KERN_SUCCESS);
	ASSERT_PTR_EQ(ba, &out->ba);
	ASSERT_NOT_NULL(ba->object);
	ASSERT_EQ(pindex, 3);
	ASSERT_EQ(pcount, 5);
	ASSERT_EQ(prot, VM_PROT_READ);
	ASSERT_EQ(wflags, 0);
	vm_map_lookup_done(map, out, 0);
	AUDIT(map);
	ASSERT_EQ(touch(map, VMIN, VM_PROT_READ | VM_PROT_OVERRIDE_WRITE,
	    NULL, NULL), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN, 0x40, NULL, NULL), KERN_INVALID_ARGUMENT);

	/* NEEDS_COPY: a read keeps the chain and loses write permission. */
	obj = anon_object(8);
	vm_object_reference_quick(obj);
	ASSERT_EQ(map_obj_at(map, obj, 0, VMIN + 16 * PG, 8 * PG,
	    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN + 16 * PG, VM_PROT_READ, &wflags, &prot),
	    KERN_SUCCESS);
	ASSERT_EQ(prot, VM_PROT_READ | VM_PROT_EXECUTE);
	e = entry_at(map, VMIN + 16 * PG);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_NEEDS_COPY);
	/* A write shadows it: a new head, the old object behind. */
	ASSERT_EQ(touch(map, VMIN + 17 * PG, VM_PROT_WRITE, &wflags, &prot),
	    KERN_SUCCESS);
	ASSERT_EQ(wflags, FW_DIDCOW);
	ASSERT_EQ(prot, VM_PROT_ALL);
	ASSERT_FALSE(e->eflags & MAP_ENTRY_NEEDS_COPY);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_COW);
	ASSERT_TRUE(e->ba.object != obj);
	ASSERT_EQ(e->ba.backing_count, 1);
	ASSERT_PTR_EQ(e->ba.backing_ba->object, obj);
	ASSERT_NULL(e->ba.backing_ba->backing_ba);
	ASSERT_FALSE(obj->flags & OBJ_ONEMAPPING);
	ASSERT_EQ(obj->ref_count, 2);
	AUDIT(map);

	/* A private object (one reference) is not shadowed. */
	ASSERT_EQ(map_at(map, VMIN + 32 * PG, 4 * PG, VM_PROT_ALL,
	    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN + 32 * PG, VM_PROT_READ, NULL, NULL),
	    KERN_SUCCESS);
	e = entry_at(map, VMIN + 32 * PG);
	ASSERT_NOT_NULL(e->ba.object);
	ASSERT_EQ(touch(map, VMIN + 32 * PG, VM_PROT_WRITE, &wflags, NULL),
	    KERN_SUCCESS);
	ASSERT_NULL(e->ba.backing_ba);
	ASSERT_FALSE(e->eflags & MAP_ENTRY_NEEDS_COPY);
	AUDIT(map);

	/* Out of link memory: the shadow fails and nothing changes. */
	ASSERT_EQ(vm_map_protect(map, VMIN + 16 * PG, VMIN + 24 * PG,
	    VM_PROT_ALL, FALSE), KERN_SUCCESS);
	e = entry_at(map, VMIN + 16 * PG);
	vm_object_reference_quick(e->ba.object);
	e->eflags |= MAP_ENTRY_NEEDS_COPY;
	fault_inject_arm(vm_map_backing_fault(), 1, 0);
	ASSERT_EQ(touch(map, VMIN + 16 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_RESOURCE_SHORTAGE);
	ASSERT_EQ(e->ba.backing_count, 1);
	ASSERT_TRUE(e->eflags & MAP_ENTRY_NEEDS_COPY);
	AUDIT(map);
	ASSERT_EQ(touch(map, VMIN + 16 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	ASSERT_EQ(e->ba.backing_count, 2);
	vm_object_deallocate(e->ba.backing_ba->object);
	AUDIT(map);
	vm_object_deallocate(obj);
	end_map(vm);
}

TEST(test_lookup_partition)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_offset_t base = VMIN + 64 * MB;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, base + 16 * MB, 100 * MB, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(touch(map, base + 40 * MB, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	AUDIT(map);
	e = entry_at(map, base + 40 * MB);
	ASSERT_EQ(e->ba.start, base + 32 * MB);
	ASSERT_EQ(e->ba.end, base + 64 * MB);
	ASSERT_NOT_NULL(e->ba.object);
	ASSERT_EQ(e->ba.object->size, atop(32 * MB));
	ASSERT_NULL(entry_at(map, base + 16 * MB)->ba.object);
	ASSERT_EQ(map->nentries, 3);
	ASSERT_EQ(touch(map, base + 20 * MB, VM_PROT_READ, NULL, NULL),
	    KERN_SUCCESS);
	ASSERT_EQ(entry_at(map, base + 16 * MB)->ba.end, base + 32 * MB);
	AUDIT(map);
	/* Disabled: the whole entry gets one object. */
	vm_map_partition_enable = 0;
	ASSERT_EQ(touch(map, base + 100 * MB, VM_PROT_READ, NULL, NULL),
	    KERN_SUCCESS);
	e = entry_at(map, base + 100 * MB);
	ASSERT_EQ(e->ba.start, base + 64 * MB);
	ASSERT_EQ(e->ba.end, base + 116 * MB);
	vm_map_partition_enable = 1;
	AUDIT(map);
	end_map(vm);
}

TEST(test_vmspace_refs)
{
	struct vmspace *vm;
	vm_map_t map;

	map = boot_map(&vm);
	ASSERT_NULL(vmspace_alloc(VMAX, VMIN));
	ASSERT_NULL(vmspace_alloc(VMIN + 1, VMAX));
	ASSERT_EQ(vmspace_count(), 1);
	ASSERT_EQ(vmspace_getrefs(vm), 1);
	vmspace_ref(vm);
	ASSERT_EQ(vmspace_getrefs(vm), 2);
	ASSERT_EQ(vm->vm_holdcnt, 2);
	ASSERT_EQ(map_at(map, VMIN, 8 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL), KERN_SUCCESS);
	vmspace_rel(vm);
	ASSERT_EQ(vmspace_getrefs(vm), 1);
	ASSERT_EQ(map->nentries, 1);

	/* Stage 1 with a hold outstanding: mappings gone, struct alive. */
	vmspace_hold(vm);
	vmspace_rel(vm);
	ASSERT_EQ(vmspace_getrefs(vm), -1);
	ASSERT_TRUE(vm->vm_flags & VMSPACE_EXIT1);
	ASSERT_FALSE(vm->vm_flags & VMSPACE_EXIT2);
	ASSERT_EQ(map->nentries, 0);
	ASSERT_EQ(vm_map_entry_count(), 0);
	ASSERT_EQ(vm_object_count(), vmt_boot_objects);
	ASSERT_EQ(vmspace_count(), 1);
	AUDIT(map);
	/* Stage 2 on the last drop. */
	vmspace_drop(vm);
	ASSERT_EQ(vmspace_count(), 0);

	/* Process exit: relexit (stage 1), then exitfree (stage 2). */
	vm = new_vm();
	ASSERT_EQ(map_at(&vm->vm_map, VMIN, 8 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	vmspace_relexit(vm);
	ASSERT_TRUE(vm->vm_flags & VMSPACE_EXIT1);
	ASSERT_EQ(vm->vm_map.nentries, 0);
	ASSERT_EQ(vmspace_count(), 1);
	vmspace_exitfree(vm);
	teardown();
}

TEST(test_fork_inheritance)
{
	struct vmspace *vm1, *vm2;
	vm_map_t m1, m2;
	vm_map_entry_t e1, e2;
	vm_object_t oshare, ocopy;

	boot();
	hooks_on();
	vm1 = new_vm();
	m1 = &vm1->vm_map;
	vm1->vm_dsize = 42;
	ASSERT_EQ(map_at(m1, VMIN, 4 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(map_at(m1, VMIN + 8 * PG, 4 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(map_at(m1, VMIN + 16 * PG, 4 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_inherit(m1, VMIN, VMIN + 4 * PG, VM_INHERIT_SHARE),
	    KERN_SUCCESS);
	ASSERT_EQ(vm_map_inherit(m1, VMIN + 16 * PG, VMIN + 20 * PG,
	    VM_INHERIT_NONE), KERN_SUCCESS);
	ASSERT_EQ(touch(m1, VMIN + 8 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	ocopy = entry_at(m1, VMIN + 8 * PG)->ba.object;

	vm2 = vmspace_fork(vm1);
	ASSERT_NOT_NULL(vm2);
	m2 = &vm2->vm_map;
	AUDIT(m1);
	AUDIT(m2);
	ASSERT_EQ(vm2->vm_dsize, 42);
	ASSERT_EQ(m2->nentries, 2);
	ASSERT_EQ(m2->size, 8 * PG);
	/* SHARE: one object (allocated for the occasion), both maps. */
	e1 = entry_at(m1, VMIN);
	e2 = entry_at(m2, VMIN);
	oshare = e1->ba.object;
	ASSERT_NOT_NULL(oshare);
	ASSERT_PTR_EQ(e2->ba.object, oshare);
	ASSERT_EQ(oshare->ref_count, 2);
	ASSERT_FALSE(oshare->flags & OBJ_ONEMAPPING);
	ASSERT_FALSE(e2->eflags & (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY));
	/* COPY: COW|NEEDS_COPY on both sides, same object for now. */
	e1 = entry_at(m1, VMIN + 8 * PG);
	e2 = entry_at(m2, VMIN + 8 * PG);
	ASSERT_EQ(e1->eflags & (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY),
	    MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY);
	ASSERT_EQ(e2->eflags & (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY),
	    MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY);
	ASSERT_PTR_EQ(e2->ba.object, ocopy);
	ASSERT_EQ(ocopy->ref_count, 2);
	/* NONE: absent. */
	ASSERT_NULL(entry_at(m2, VMIN + 16 * PG));
	ASSERT_NOT_NULL(entry_at(m1, VMIN + 16 * PG));

	/* The child writes: its own head, the parent untouched. */
	ASSERT_EQ(touch(m2, VMIN + 8 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	ASSERT_TRUE(e2->ba.object != ocopy);
	ASSERT_PTR_EQ(e2->ba.backing_ba->object, ocopy);
	ASSERT_PTR_EQ(e1->ba.object, ocopy);
	ASSERT_TRUE(e1->eflags & MAP_ENTRY_NEEDS_COPY);
	AUDIT(m1);
	AUDIT(m2);
	/* Then the parent: its object has two users, so it shadows too. */
	ASSERT_EQ(touch(m1, VMIN + 8 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	ASSERT_PTR_EQ(e1->ba.backing_ba->object, ocopy);
	AUDIT(m1);

	/* Fork of a fork: the chain is replicated link by link. */
	ASSERT_EQ(vm_map_inherit(m2, VMIN, VMIN + 4 * PG, VM_INHERIT_NONE),
	    KERN_SUCCESS);
	vmspace_rel(vm1);
	vm1 = vmspace_fork(vm2);
	ASSERT_NOT_NULL(vm1);
	AUDIT(&vm1->vm_map);
	e1 = entry_at(&vm1->vm_map, VMIN + 8 * PG);
	ASSERT_EQ(e1->ba.backing_count, 1);
	ASSERT_PTR_EQ(e1->ba.backing_ba->object, ocopy);
	ASSERT_EQ(vm_map_backing_count(), 2);
	vmspace_rel(vm2);
	AUDIT(&vm1->vm_map);

	/* A wired COPY entry: fresh object, pages copied by the hook. */
	ASSERT_EQ(vm_map_user_wiring(&vm1->vm_map, VMIN + 8 * PG,
	    VMIN + 12 * PG, FALSE), KERN_SUCCESS);
	vm2 = vmspace_fork(vm1);
	ASSERT_NOT_NULL(vm2);
	ASSERT_EQ(copy_calls, 1);
	e2 = entry_at(&vm2->vm_map, VMIN + 8 * PG);
	ASSERT_EQ(e2->wired_count, 0);
	ASSERT_NULL(e2->ba.backing_ba);
	ASSERT_FALSE(e2->eflags & MAP_ENTRY_NEEDS_COPY);
	AUDIT(&vm2->vm_map);
	vmspace_rel(vm2);
	vmspace_rel(vm1);
	vm_map_set_fault_hooks(NULL);
	teardown();
}

/*
 * Fork with the link allocator failing at every step in turn: either a
 * complete child or NULL, and the parent intact either way.
 */
TEST(test_fork_fault_sweep)
{
	struct vmspace *vm, *vm2;
	vm_map_t map;
	vm_object_t o1, o2;
	int n, fails = 0, oks = 0;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 4 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(vm_map_inherit(map, VMIN, VMIN + 4 * PG, VM_INHERIT_SHARE),
	    KERN_SUCCESS);
	o1 = anon_object(4);
	vm_object_reference_quick(o1);
	ASSERT_EQ(map_obj_at(map, o1, 0, VMIN + 8 * PG, 4 * PG,
	    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN + 8 * PG, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	vm_object_deallocate(o1);
	o2 = anon_object(4);
	vm_object_reference_quick(o2);
	ASSERT_EQ(map_obj_at(map, o2, 0, VMIN + 16 * PG, 4 * PG,
	    COWF_COPY_ON_WRITE), KERN_SUCCESS);
	ASSERT_EQ(vm_map_inherit(map, VMIN + 16 * PG, VMIN + 20 * PG,
	    VM_INHERIT_SHARE), KERN_SUCCESS);
	for (n = 1; n < 12; n++) {
		fault_inject_arm(vm_map_backing_fault(), n, 0);
		vm2 = vmspace_fork(vm);
		fault_inject_arm(vm_map_backing_fault(), 0, 0);
		AUDIT(map);
		if (vm2 == NULL) {
			fails++;
		} else {
			oks++;
			AUDIT(&vm2->vm_map);
			ASSERT_EQ(vm2->vm_map.nentries, 3);
			vmspace_rel(vm2);
		}
		ASSERT_EQ(vmspace_count(), 1);
		ASSERT_EQ(vm_map_entry_count(), map->nentries);
	}
	ASSERT_TRUE(fails > 0 && oks > 0);
	/* The parent's entries kept their chains: one link each. */
	ASSERT_EQ(vm_map_backing_count(), 2);
	vm_object_deallocate(o2);
	end_map(vm);
}

/* Map a fresh page of the entry's object at va, as a fault would. */
static vm_page_t
enter_page(vm_map_t map, vm_offset_t va)
{
	vm_map_entry_t e = entry_at(map, va);
	vm_object_t obj = e->ba.object;
	vm_page_t m;

	vm_object_hold(obj);
	m = vm_page_alloc(obj, OFF_TO_IDX(e->ba.offset + (va - e->ba.start)),
	    VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	ASSERT_NOT_NULL(m);
	m->valid = VM_PAGE_BITS_ALL;
	pmap_enter(map->pmap, va, m, e->protection, FALSE, e);
	vm_page_wakeup(m);
	vm_object_drop(obj);
	return (m);
}

/*
 * A page keeps PG_MAPPED after its last pte goes until someone syncs it
 * (hard-busied); vm_page_protect will once it calls into the pmap.  The
 * tests do it before the page's object dies.
 */
static void
settle(vm_page_t m)
{
	vm_page_busy_wait(m, FALSE, "settle");
	(void)pmap_mapped_sync(m);
	vm_page_wakeup(m);
}

/* What the map does to the pmap: protect, fork, remove. */
TEST(test_pmap_effects)
{
	struct vmspace *vm, *vm2;
	vm_map_t map;
	vm_object_t obj;
	vm_page_t m1, m2;

	map = boot_map(&vm);
	ASSERT_EQ(map_at(map, VMIN, 4 * PG, VM_PROT_ALL, 0), KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL), KERN_SUCCESS);
	obj = entry_at(map, VMIN)->ba.object;
	m1 = enter_page(map, VMIN + PG);
	ASSERT_EQ(pmap_resident_count(map->pmap), 1);
	ASSERT_EQ(m1->md.writeable_count, 1);
	/* Lowering the protection lowers the pte; raising it does not. */
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 4 * PG, VM_PROT_READ,
	    FALSE), KERN_SUCCESS);
	ASSERT_EQ(m1->md.writeable_count, 0);
	ASSERT_EQ(m1->md.pmap_count, 1);
	ASSERT_EQ(vm_map_protect(map, VMIN, VMIN + 4 * PG, VM_PROT_ALL,
	    FALSE), KERN_SUCCESS);
	ASSERT_EQ(m1->md.writeable_count, 0);
	/* Fork write-protects the parent's copy-on-write range. */
	m2 = enter_page(map, VMIN + 2 * PG);
	ASSERT_EQ(m2->md.writeable_count, 1);
	vm2 = vmspace_fork(vm);
	ASSERT_NOT_NULL(vm2);
	ASSERT_EQ(m2->md.writeable_count, 0);
	ASSERT_EQ(m2->md.pmap_count, 1);
	ASSERT_EQ(pmap_resident_count(&vm2->vm_pmap), 0);
	AUDIT(map);
	AUDIT(&vm2->vm_map);
	vmspace_rel(vm2);
	/* Removal unmaps exactly the range. */
	ASSERT_EQ(vm_map_remove(map, VMIN, VMIN + 2 * PG), KERN_SUCCESS);
	ASSERT_EQ(m1->md.pmap_count, 0);
	ASSERT_EQ(m2->md.pmap_count, 1);
	ASSERT_EQ(pmap_resident_count(map->pmap), 1);
	vm_object_reference_quick(obj);
	ASSERT_EQ(vm_map_remove(map, VMIN, VMAX), KERN_SUCCESS);
	ASSERT_EQ(pmap_resident_count(map->pmap), 0);
	ASSERT_EQ(pmap_audit(), 0);
	settle(m1);
	settle(m2);
	vm_object_deallocate(obj);
	end_map(vm);
}

static char printbuf[4096];

static void
print_sink(const char *line, void *arg)
{
	size_t len = strlen(printbuf);

	snprintf(printbuf + len, sizeof(printbuf) - len, "%s", line);
}

/* The audit catches what it promises to; vm_map_print shows the chain. */
TEST(test_audit_and_print)
{
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_object_t obj;

	map = boot_map(&vm);
	obj = anon_object(4);
	vm_object_reference_quick(obj);
	ASSERT_EQ(map_obj_at(map, obj, 0, VMIN, 4 * PG, COWF_COPY_ON_WRITE),
	    KERN_SUCCESS);
	ASSERT_EQ(touch(map, VMIN, VM_PROT_WRITE, NULL, NULL), KERN_SUCCESS);
	ASSERT_EQ(find(map, 0, 2 * PG, 0), VMIN + 4 * PG);
	e = entry_at(map, VMIN);

	printbuf[0] = '\0';
	kprintf_set_sink(print_sink, NULL);
	vm_map_print(map);
	ASSERT_STR_CONTAINS(printbuf, "2 entries");
	ASSERT_STR_CONTAINS(printbuf, "0x10000000-0x10004000");
	ASSERT_STR_CONTAINS(printbuf, "count 1");

	map->size += PG;
	ASSERT_EQ(vm_map_audit(map), 1);
	map->size -= PG;
	e->ba.backing_count = 2;
	ASSERT_TRUE(vm_map_audit(map) > 0);
	e->ba.backing_count = 1;
	e->ba.backing_ba->end -= PG;
	ASSERT_TRUE(vm_map_audit(map) > 0);
	e->ba.backing_ba->end += PG;
	/* A hint (2 pages) that would skip the hole the remove opens. */
	ASSERT_EQ(vm_map_remove(map, VMIN, VMIN + 4 * PG), KERN_SUCCESS);
	ASSERT_EQ(map->freehint[0].length, 2 * PG);
	map->freehint[0].base = VMIN;
	map->freehint[0].start = VMIN + 8 * PG;
	ASSERT_EQ(vm_map_audit(map), 1);
	ASSERT_STR_CONTAINS(printbuf, "skips a hole");
	map->freehint[0].start = VMIN;
	kprintf_set_sink(NULL, NULL);
	AUDIT(map);
	vm_object_deallocate(obj);
	end_map(vm);
}

/*
 * Random operations over a small window, the audit after every one: the
 * invariants hold whatever the order of calls.
 */
TEST(test_random_ops)
{
	struct vmspace *vm;
	unsigned seed;
	int run, i, maxent;

	boot();
	for (run = 1; run <= 16; run++) {
		vm = new_vm();
		seed = (unsigned)run;
		maxent = 0;
		for (i = 0; i < 3000; i++) {
			seed = seed * 1103515245 + 12345;
			vmt_random_op(&vm, seed, TRUE);
			AUDIT(&vm->vm_map);
			maxent = MAX(maxent, vm->vm_map.nentries);
		}
		ASSERT_TRUE(maxent > 10);	/* the window got busy */
		vmspace_rel(vm);
		ASSERT_EQ(vm_map_entry_count(), 0);
		ASSERT_EQ(vm_object_count(), vmt_boot_objects);
	}
	teardown();
}

TEST(test_exec_unshare_counts)
{
	struct vmspace *vm, *nvm;
	vm_object_t obj;

	boot();
	vm = new_vm();
	vm->vm_taddr = VMIN;
	ASSERT_EQ(map_at(&vm->vm_map, VMIN, 8 * PG, VM_PROT_ALL, 0),
	    KERN_SUCCESS);
	nvm = vmspace_exec(vm, NULL);
	ASSERT_NOT_NULL(nvm);
	ASSERT_EQ(nvm->vm_map.nentries, 0);
	ASSERT_EQ(nvm->vm_taddr, VMIN);
	ASSERT_EQ(nvm->vm_map.max_addr, VMAX);
	vmspace_rel(nvm);
	nvm = vmspace_exec(vm, vm);
	ASSERT_EQ(nvm->vm_map.nentries, 1);
	vmspace_rel(nvm);

	ASSERT_PTR_EQ(vmspace_unshare(vm), vm);
	vmspace_ref(vm);
	nvm = vmspace_unshare(vm);
	ASSERT_TRUE(nvm != vm);
	vmspace_rel(vm);
	vmspace_rel(nvm);

	/* Anonymous count: resident pages of the head objects. */
	ASSERT_EQ(touch(&vm->vm_map, VMIN, VM_PROT_WRITE, NULL, NULL),
	    KERN_SUCCESS);
	obj = entry_at(&vm->vm_map, VMIN)->ba.object;
	add_page(obj, 0);
	add_page(obj, 5);
	ASSERT_EQ(vmspace_anonymous_count(vm), 2);
	ASSERT_EQ(vmspace_swap_count(vm), 0);
	end_map(vm);
}

TEST(test_interlock)
{
	struct vmspace *vm;
	struct vm_map_ilock a, b;

	boot();
	vm = new_vm();
	vm_map_interlock(&vm->vm_map, &a, VMIN, VMIN + 4 * PG);
	vm_map_interlock(&vm->vm_map, &b, VMIN + 4 * PG, VMIN + 8 * PG);
	ASSERT_PTR_EQ(vm->vm_map.ilock_base, &b);
	vm_map_deinterlock(&vm->vm_map, &a);
	vm_map_deinterlock(&vm->vm_map, &b);
	ASSERT_NULL(vm->vm_map.ilock_base);
	end_map(vm);
}

TEST(test_entry_reserve)
{
	globaldata_t gd;
	int count, avail;

	boot();
	gd = mycpu;
	avail = gd->gd_vme_avail;
	count = vm_map_entry_reserve(10);
	ASSERT_EQ(count, 10);
	ASSERT_TRUE(gd->gd_vme_avail >= 0);
	vm_map_entry_release(count);
	ASSERT_EQ(gd->gd_vme_avail, MAX(avail, 10));
	count = vm_map_entry_reserve(100);
	vm_map_entry_release(count);
	ASSERT_TRUE(gd->gd_vme_avail <= MAP_RESERVE_SLOP);
	count = vm_map_entry_kreserve(4);
	vm_map_entry_krelease(count);
	ASSERT_TRUE(gd->gd_vme_avail <= MAP_RESERVE_SLOP);
	teardown();
}

TEST_MAIN(
	TEST_ENTRY(test_boot_counts),
	TEST_ENTRY(test_insert_args),
	TEST_ENTRY(test_insert_coalesce),
	TEST_ENTRY(test_findspace_first_fit),
	TEST_ENTRY(test_findspace_hint_never_skips),
	TEST_ENTRY(test_lookup_entry),
	TEST_ENTRY(test_clip_range),
	TEST_ENTRY(test_clip_simplify_roundtrip),
	TEST_ENTRY(test_delete_partial),
	TEST_ENTRY(test_protect),
	TEST_ENTRY(test_inherit),
	TEST_ENTRY(test_madvise),
	TEST_ENTRY(test_user_wiring),
	TEST_ENTRY(test_kernel_wiring),
	TEST_ENTRY(test_check_protection),
	TEST_ENTRY(test_stack),
	TEST_ENTRY(test_stack_reserve_hint),
	TEST_ENTRY(test_lookup),
	TEST_ENTRY(test_lookup_partition),
	TEST_ENTRY(test_vmspace_refs),
	TEST_ENTRY(test_fork_inheritance),
	TEST_ENTRY(test_fork_fault_sweep),
	TEST_ENTRY(test_pmap_effects),
	TEST_ENTRY(test_audit_and_print),
	TEST_ENTRY(test_random_ops),
	TEST_ENTRY(test_exec_unshare_counts),
	TEST_ENTRY(test_interlock),
	TEST_ENTRY(test_entry_reserve)
)
