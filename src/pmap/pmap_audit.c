/*
 * pmap_audit.c - the whole-structure audit of every live pmap (pmap.h).
 *
 * Phase 1 walks each pmap's tables under its pm_lock (shared) and checks
 * what the tables alone can show: table-page accounting (pmap.c
 * invariants 1 and 2), entry bits, and per-page mapping counts, and
 * records each managed pte.  Phase 2, with no pmap lock held (the lock
 * order puts backing_lk first), checks each record against the page's
 * object and backing_list (invariant 5).  Phase 3 compares every page's
 * md counts and PG_ flags with what phase 1 counted (invariant 3).
 */
#include <stdlib.h>

#include "pmap/pmap_impl.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

struct pmap_audit_rec {
	pmap_t		ar_pmap;
	vm_offset_t	ar_va;
	pt_entry_t	ar_pte;
};

struct pmap_audit {
	int		*au_maps;	/* managed ptes per page */
	int		*au_wmaps;	/* of which writeable */
	uint8_t		*au_ptpg;	/* page is a table page */
	struct pmap_audit_rec *au_recs;
	size_t		au_nrecs;
	size_t		au_cap;
	long		au_resident;	/* of the pmap being walked */
	long		au_wired;
	int		au_errors;
};

/* pmap_audit_err - report one problem through kprintf and count it. */
static void
pmap_audit_err(struct pmap_audit *au, const char *fmt, ...)
	__printflike(2, 3);

static void
pmap_audit_err(struct pmap_audit *au, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kprintf("pmap_audit: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	au->au_errors++;
}

/* pmap_audit_record - remember a managed pte for phase 2. */
static void
pmap_audit_record(struct pmap_audit *au, pmap_t pmap, vm_offset_t va,
    pt_entry_t pte)
{
	struct pmap_audit_rec *r;

	if (au->au_nrecs == au->au_cap) {
		au->au_cap = au->au_cap ? au->au_cap * 2 : 256;
		r = realloc(au->au_recs, au->au_cap * sizeof(*r));
		if (r == NULL)
			panic("pmap_audit: out of host memory");
		au->au_recs = r;
	}
	r = &au->au_recs[au->au_nrecs++];
	r->ar_pmap = pmap;
	r->ar_va = va;
	r->ar_pte = pte;
}

/* pmap_audit_leaf - phase 1 checks of one valid leaf pte. */
static void
pmap_audit_leaf(struct pmap_audit *au, pmap_t pmap, vm_offset_t va,
    pt_entry_t pte)
{
	int user = (pmap->pm_flags & PMAP_KERNEL) == 0;
	long i;

	au->au_resident++;
	if (pte & X86_PG_W)
		au->au_wired++;
	if ((pte & X86_PG_M) && (pte & X86_PG_RW) == 0)
		pmap_audit_err(au, "%p va %#jx: M without RW", pmap,
		    (uintmax_t)va);
	if (((pte & X86_PG_U) != 0) != user)
		pmap_audit_err(au, "%p va %#jx: wrong U bit", pmap,
		    (uintmax_t)va);
	if ((pte & X86_PG_MANAGED) == 0)
		return;
	if (!user || !pmap_phys_valid(pte & X86_PG_FRAME)) {
		pmap_audit_err(au, "%p va %#jx: bad managed pte %#jx", pmap,
		    (uintmax_t)va, (uintmax_t)pte);
		return;
	}
	i = PHYS_TO_VM_PAGE(pte & X86_PG_FRAME) - vm_page_array;
	au->au_maps[i]++;
	if (pte & X86_PG_RW)
		au->au_wmaps[i]++;
	pmap_audit_record(au, pmap, va, pte);
}

/* pmap_audit_va - address of entry i of a level-lvl table at base. */
static vm_offset_t
pmap_audit_va(vm_offset_t base, int lvl, int i)
{
	vm_offset_t va = base | ((vm_offset_t)i << PMAP_LEVEL_SHIFT(lvl));

	if (lvl == PMAP_LEVELS && i >= NPTEPG / 2)
		va |= 0xffff000000000000ULL;	/* canonical kernel half */
	return (va);
}

/*
 * pmap_audit_table - phase 1 for one table of level lvl covering base.
 * Returns the number of table pages in this subtree.
 */
static long
pmap_audit_table(struct pmap_audit *au, pmap_t pmap, pt_entry_t *table,
    int lvl, vm_offset_t base)
{
	vm_page_t tpg = pmap_table_page(table);
	long i = tpg - vm_page_array, pages = 1;
	int valid = 0;
	pt_entry_t e;

	if (au->au_ptpg[i]++)
		pmap_audit_err(au, "table page %p used twice", tpg);
	if (tpg->object != NULL || tpg->wire_count == 0)
		pmap_audit_err(au, "table page %p: object %p wire %u", tpg,
		    tpg->object, tpg->wire_count);
	for (int k = 0; k < NPTEPG; k++) {
		e = __atomic_load_n(&table[k], __ATOMIC_SEQ_CST);
		if ((e & X86_PG_V) == 0)
			continue;
		valid++;
		if (lvl == 1) {
			pmap_audit_leaf(au, pmap, pmap_audit_va(base, lvl, k),
			    e);
		} else if (!pmap_phys_valid(e & X86_PG_FRAME)) {
			pmap_audit_err(au, "%p: level %d entry %#jx", pmap,
			    lvl, (uintmax_t)e);
		} else {
			pages += pmap_audit_table(au, pmap,
			    pmap_entry_table(e), lvl - 1,
			    pmap_audit_va(base, lvl, k));
		}
	}
	if (valid != tpg->md.pmap_count)
		pmap_audit_err(au, "%p: level %d table counts %d, has %d",
		    pmap, lvl, tpg->md.pmap_count, valid);
	if (valid == 0 && lvl < PMAP_LEVELS)
		pmap_audit_err(au, "%p: empty level %d table kept", pmap, lvl);
	return (pages);
}

/* pmap_audit_pmap - phase 1 for one pmap, pm_lock held (exclusively). */
static void
pmap_audit_pmap(struct pmap_audit *au, pmap_t pmap)
{
	long pages;

	au->au_resident = au->au_wired = 0;
	pages = pmap_audit_table(au, pmap, pmap->pm_pml4, PMAP_LEVELS, 0);
	if (pages != pmap->pm_ptpages)
		pmap_audit_err(au, "%p: counts %ld table pages, has %ld",
		    pmap, pmap->pm_ptpages, pages);
	if (au->au_resident != pmap_resident_count(pmap) ||
	    au->au_wired != pmap_wired_count(pmap))
		pmap_audit_err(au, "%p: counts resident %ld wired %ld, "
		    "ptes %ld %ld", pmap, pmap_resident_count(pmap),
		    pmap_wired_count(pmap), au->au_resident, au->au_wired);
}

/* pmap_audit_backing - phase 2 for one managed pte. */
static void
pmap_audit_backing(struct pmap_audit *au, struct pmap_audit_rec *r)
{
	vm_page_t m = PHYS_TO_VM_PAGE(r->ar_pte & X86_PG_FRAME);
	struct vm_map_backing *ba;
	vm_offset_t va;
	int found = 0;

	if ((m->flags & PG_MAPPED) == 0 ||
	    ((r->ar_pte & X86_PG_RW) && (m->flags & PG_WRITEABLE) == 0))
		pmap_audit_err(au, "page %p mapped at %#jx, flags %#x", m,
		    (uintmax_t)r->ar_va, m->flags);
	if (m->object == NULL) {
		pmap_audit_err(au, "page %p mapped at %#jx has no object", m,
		    (uintmax_t)r->ar_va);
		return;
	}
	lockmgr(&m->object->backing_lk, LK_SHARED);
	TAILQ_FOREACH(ba, &m->object->backing_list, entry) {
		if (ba->pmap == r->ar_pmap && pmap_ba_va(ba, m, &va) &&
		    va == r->ar_va)
			found = 1;
	}
	lockmgr(&m->object->backing_lk, LK_RELEASE);
	if (!found)
		pmap_audit_err(au, "page %p (pindex %ju) at %#jx in %p: no "
		    "backing places it there", m, (uintmax_t)m->pindex,
		    (uintmax_t)r->ar_va, r->ar_pmap);
}

/* pmap_audit_pages - phase 3. */
static void
pmap_audit_pages(struct pmap_audit *au)
{
	vm_page_t m;
	long i;

	for (i = 0; i < vm_page_array_size; i++) {
		m = &vm_page_array[i];
		if (au->au_ptpg[i])
			continue;
		if (m->md.pmap_count != au->au_maps[i] ||
		    m->md.writeable_count != au->au_wmaps[i])
			pmap_audit_err(au, "page %p: md %d/%d, ptes %d/%d", m,
			    m->md.pmap_count, m->md.writeable_count,
			    au->au_maps[i], au->au_wmaps[i]);
		if (au->au_maps[i] > 1 && (m->flags & PG_MAPPEDMULTI) == 0)
			pmap_audit_err(au, "page %p: %d ptes, no MAPPEDMULTI",
			    m, au->au_maps[i]);
	}
}

/* pmap_audit - see pmap.h. */
int
pmap_audit(void)
{
	struct pmap_audit au = { .au_errors = 0 };
	pmap_t pmap;
	size_t i;

	au.au_maps = calloc(vm_page_array_size, sizeof(int));
	au.au_wmaps = calloc(vm_page_array_size, sizeof(int));
	au.au_ptpg = calloc(vm_page_array_size, 1);
	if (au.au_maps == NULL || au.au_wmaps == NULL || au.au_ptpg == NULL)
		panic("pmap_audit: out of host memory");
	lockmgr(&pmap_list_lock, LK_SHARED);
	TAILQ_FOREACH(pmap, &pmap_list, pm_list) {
		/* Exclusive: pmap_enter adds ptes under a shared hold. */
		lockmgr(&pmap->pm_lock, LK_EXCLUSIVE);
		pmap_audit_pmap(&au, pmap);
		lockmgr(&pmap->pm_lock, LK_RELEASE);
	}
	lockmgr(&pmap_list_lock, LK_RELEASE);
	for (i = 0; i < au.au_nrecs; i++)
		pmap_audit_backing(&au, &au.au_recs[i]);
	pmap_audit_pages(&au);
	free(au.au_recs);
	free(au.au_maps);
	free(au.au_wmaps);
	free(au.au_ptpg);
	return (au.au_errors);
}
