/*
 * test_pmap.c - the pmap interface: page tables, every MI operation, every
 * pte bit, the md counts and PG_ flags, and pmap_audit.
 */
#include "pmap_util.h"
#include "vm/pmap_access.h"

#define NPG	PT_NPG

TEST(pinit_release_empty)
{
	struct pmap p;

	pt_boot(1, 16);
	pmap_pinit(&p);
	ASSERT_EQ(p.pm_ptpages, 1);
	ASSERT_EQ(pmap_resident_count(&p), 0);
	ASSERT_EQ(pmap_wired_count(&p), 0);
	ASSERT_EQ(pmap_extract(&p, PT_USER_VA, NULL), 0);
	PT_AUDIT();
	pmap_reference(&p);
	ASSERT_EQ(p.pm_count, 2);
	pmap_release(&p);
	pmap_puninit(&p);
	pt_shutdown();
}

TEST(enter_extract_remove)
{
	struct fx f;
	vm_page_t m;

	fx_setup(&f);
	m = f.m[0];
	pmap_enter(&f.pmap, fx_va(0), m, VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pmap_extract(&f.pmap, fx_va(0) + 123, NULL),
	    VM_PAGE_TO_PHYS(m) + 123);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 1);
	/* PML4 + PDP + PD + PT */
	ASSERT_EQ(f.pmap.pm_ptpages, 4);
	ASSERT_EQ(m->md.pmap_count, 1);
	ASSERT_EQ(m->md.writeable_count, 1);
	ASSERT_TRUE(m->flags & PG_MAPPED);
	ASSERT_TRUE(m->flags & PG_WRITEABLE);
	ASSERT_FALSE(m->flags & PG_MAPPEDMULTI);
	PT_AUDIT();
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	ASSERT_EQ(pmap_extract(&f.pmap, fx_va(0), NULL), 0);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 0);
	ASSERT_EQ(f.pmap.pm_ptpages, 1);	/* empty tables freed */
	ASSERT_EQ(m->md.pmap_count, 0);
	ASSERT_TRUE(m->flags & PG_MAPPED);	/* until synced */
	ASSERT_EQ(pmap_mapped_sync(m) & (PG_MAPPED | PG_WRITEABLE), 0);
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(pte_bits)
{
	struct fx f;
	pt_entry_t pte;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	pte = pt_pte(&f.pmap, fx_va(0));
	ASSERT_EQ(pte & X86_PG_FRAME, VM_PAGE_TO_PHYS(f.m[0]));
	ASSERT_TRUE(pte & X86_PG_V);
	ASSERT_TRUE(pte & X86_PG_U);
	ASSERT_TRUE(pte & X86_PG_NX);
	ASSERT_TRUE(pte & X86_PG_MANAGED);
	ASSERT_FALSE(pte & (X86_PG_RW | X86_PG_W | X86_PG_A | X86_PG_M |
	    X86_PG_G | X86_PG_CACHE));
	ASSERT_FALSE(f.m[0]->flags & PG_WRITEABLE);

	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_READ | VM_PROT_EXECUTE,
	    TRUE, NULL);
	pte = pt_pte(&f.pmap, fx_va(1));
	ASSERT_FALSE(pte & (X86_PG_NX | X86_PG_RW));
	ASSERT_TRUE(pte & X86_PG_W);
	ASSERT_EQ(pmap_wired_count(&f.pmap), 1);

	pmap_page_set_memattr(f.m[2], VM_MEMATTR_UNCACHEABLE);
	pmap_enter(&f.pmap, fx_va(2), f.m[2], VM_PROT_ALL, FALSE, NULL);
	pte = pt_pte(&f.pmap, fx_va(2));
	ASSERT_EQ(pte & X86_PG_CACHE, X86_PG_NC_PCD | X86_PG_NC_PWT);
	ASSERT_TRUE(pte & X86_PG_RW);
	pmap_page_set_memattr(f.m[3], VM_MEMATTR_WRITE_COMBINING);
	pmap_enter(&f.pmap, fx_va(3), f.m[3], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(3)) & X86_PG_CACHE, X86_PG_PTE_PAT);
	pmap_page_set_memattr(f.m[4], VM_MEMATTR_WRITE_THROUGH);
	pmap_enter(&f.pmap, fx_va(4), f.m[4], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(4)) & X86_PG_CACHE, X86_PG_NC_PWT);
	PT_AUDIT();
	pmap_unwire(&f.pmap, fx_va(1));
	fx_teardown(&f);
}

TEST(unmanaged_page)
{
	struct fx f;
	vm_page_t m;
	pt_entry_t pte;

	fx_setup(&f);
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_NOT_NULL(m);
	pmap_enter(&f.pmap, fx_va(0), m, VM_PROT_ALL, FALSE, NULL);
	pte = pt_pte(&f.pmap, fx_va(0));
	ASSERT_FALSE(pte & X86_PG_MANAGED);
	ASSERT_EQ(m->md.pmap_count, 0);
	ASSERT_FALSE(m->flags & PG_MAPPED);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 1);
	PT_AUDIT();
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	vm_page_free_toq(m);
	fx_teardown(&f);
}

TEST(enter_replace_folds_bits)
{
	struct vm_map_backing sba;
	struct fx f;
	vm_page_t sm;

	fx_setup(&f);
	fx_shadow(&f, &sba);
	sm = pt_page(sba.object, 0);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	/* A CPU wrote through the mapping. */
	pt_set_bits(&f.pmap, fx_va(0), X86_PG_A | X86_PG_M);
	f.m[0]->dirty = 0;
	pmap_enter(&f.pmap, fx_va(0), sm, VM_PROT_READ, FALSE, NULL);
	ASSERT_EQ(f.m[0]->dirty, VM_PAGE_BITS_ALL);
	ASSERT_TRUE(f.m[0]->flags & PG_REFERENCED);
	ASSERT_EQ(f.m[0]->md.pmap_count, 0);
	ASSERT_EQ(f.m[0]->md.writeable_count, 0);
	ASSERT_EQ(sm->md.pmap_count, 1);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 1);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(0)) & X86_PG_FRAME,
	    VM_PAGE_TO_PHYS(sm));
	PT_AUDIT();
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	pt_page_free(sm);
	fx_unshadow(&sba);
	fx_teardown(&f);
}

TEST(enter_same_page_keeps_bits)
{
	struct fx f;
	pt_entry_t pte;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	pt_set_bits(&f.pmap, fx_va(0), X86_PG_A);
	/* Upgrade to writeable: A is kept, counts follow. */
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	pte = pt_pte(&f.pmap, fx_va(0));
	ASSERT_TRUE(pte & X86_PG_A);
	ASSERT_TRUE(pte & X86_PG_RW);
	ASSERT_EQ(f.m[0]->md.pmap_count, 1);
	ASSERT_EQ(f.m[0]->md.writeable_count, 1);
	ASSERT_FALSE(f.m[0]->flags & PG_MAPPEDMULTI);
	/* Dirty it, then downgrade: M folds into the page. */
	pt_set_bits(&f.pmap, fx_va(0), X86_PG_M);
	f.m[0]->dirty = 0;
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, TRUE, NULL);
	pte = pt_pte(&f.pmap, fx_va(0));
	ASSERT_FALSE(pte & (X86_PG_M | X86_PG_RW));
	ASSERT_EQ(f.m[0]->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(f.m[0]->md.writeable_count, 0);
	ASSERT_EQ(pmap_wired_count(&f.pmap), 1);
	/* Re-enter unwired: the wired count follows. */
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	ASSERT_EQ(pmap_wired_count(&f.pmap), 0);
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(unwire)
{
	struct fx f;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, TRUE, NULL);
	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pmap_wired_count(&f.pmap), 1);
	ASSERT_EQ(pmap_resident_tlnw_count(&f.pmap), 1);
	ASSERT_PTR_EQ(pmap_unwire(&f.pmap, fx_va(0)), f.m[0]);
	ASSERT_EQ(pmap_wired_count(&f.pmap), 0);
	ASSERT_FALSE(pt_pte(&f.pmap, fx_va(0)) & X86_PG_W);
	ASSERT_NULL(pmap_unwire(&f.pmap, fx_va(0)));	/* not wired */
	ASSERT_NULL(pmap_unwire(&f.pmap, fx_va(5)));	/* not mapped */
	ASSERT_NULL(pmap_unwire(&f.pmap, 0x7000000000ULL)); /* no tables */
	ASSERT_NULL(pmap_unwire(NULL, fx_va(0)));
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(protect_range)
{
	struct fx f;
	int i;

	fx_setup(&f);
	for (i = 0; i < NPG; i++)
		pmap_enter(&f.pmap, fx_va(i), f.m[i], VM_PROT_ALL, FALSE,
		    NULL);
	pt_set_bits(&f.pmap, fx_va(2), X86_PG_A | X86_PG_M);
	f.m[2]->dirty = 0;

	/* Raising or keeping everything: nothing changes. */
	pmap_protect(&f.pmap, fx_va(0), fx_va(NPG), VM_PROT_ALL);
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(2)) & X86_PG_M);

	pmap_protect(&f.pmap, fx_va(1), fx_va(4), VM_PROT_READ |
	    VM_PROT_EXECUTE);
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(0)) & X86_PG_RW);
	for (i = 1; i < 4; i++) {
		ASSERT_FALSE(pt_pte(&f.pmap, fx_va(i)) &
		    (X86_PG_RW | X86_PG_M | X86_PG_NX));
		ASSERT_EQ(f.m[i]->md.writeable_count, 0);
	}
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(2)) & X86_PG_A);
	ASSERT_EQ(f.m[2]->dirty, VM_PAGE_BITS_ALL);	/* M folded */
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(4)) & X86_PG_RW);

	/* Read-only, no execute. */
	pmap_protect(&f.pmap, fx_va(4), fx_va(5), VM_PROT_READ);
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(4)) & X86_PG_NX);
	ASSERT_FALSE(pt_pte(&f.pmap, fx_va(4)) & X86_PG_RW);

	/* NONE removes. */
	pmap_protect(&f.pmap, fx_va(5), fx_va(NPG), VM_PROT_NONE);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 5);
	ASSERT_EQ(f.m[6]->md.pmap_count, 0);
	PT_AUDIT();
	/* Unaligned, reversed and out-of-range arguments are harmless. */
	pmap_protect(&f.pmap, fx_va(3), fx_va(1), VM_PROT_READ);
	pmap_protect(&f.pmap, VM_MAX_USER_ADDRESS, ~(vm_offset_t)0,
	    VM_PROT_READ);
	pmap_remove(&f.pmap, VM_MAX_USER_ADDRESS, ~(vm_offset_t)0);
	pmap_remove(NULL, 0, PAGE_SIZE);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 5);
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(sparse_tables)
{
	struct fx f;
	vm_offset_t vas[5] = {
		0,				/* first page */
		(vm_offset_t)1 << 30,		/* another PDP entry */
		(vm_offset_t)1 << 39,		/* another PML4 entry */
		((vm_offset_t)1 << 39) + PAGE_SIZE,
		VM_MAX_USER_ADDRESS - PAGE_SIZE,/* last page */
	};
	struct vm_map_backing bas[5];
	int i;

	fx_setup(&f);
	pt_detach(&f.ba);
	for (i = 0; i < 5; i++) {
		pt_attach(&bas[i], f.obj, &f.pmap, vas[i], vas[i] + PAGE_SIZE,
		    IDX_TO_OFF(i));
		pmap_enter(&f.pmap, vas[i], f.m[i], VM_PROT_ALL, FALSE, NULL);
	}
	/* PML4; PDP,PD,PT for 0 and 1G share PDP; 512G; top. */
	ASSERT_EQ(f.pmap.pm_ptpages, 1 + (1 + 2 + 2) + 3 + 3);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 5);
	PT_AUDIT();
	pmap_remove(&f.pmap, vas[2], vas[2] + PAGE_SIZE);
	ASSERT_EQ(f.pmap.pm_ptpages, 12);	/* table still has vas[3] */
	pmap_remove_pages(&f.pmap, VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
	ASSERT_EQ(f.pmap.pm_ptpages, 1);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 0);
	PT_AUDIT();
	for (i = 0; i < 5; i++)
		pt_detach(&bas[i]);
	pt_attach(&f.ba, f.obj, &f.pmap, PT_USER_VA,
	    PT_USER_VA + NPG * PAGE_SIZE, 0);
	fx_teardown(&f);
}

TEST(backing_offset_and_multi)
{
	struct fx f;
	struct pmap p2;
	struct vm_map_backing ba2;
	vm_offset_t va2 = 0x40000000;

	fx_setup(&f);
	pmap_pinit(&p2);
	/* The object from page 3 on, at va2 in the second pmap. */
	pt_attach(&ba2, f.obj, &p2, va2, va2 + 4 * PAGE_SIZE,
	    IDX_TO_OFF(3));
	pmap_enter(&f.pmap, fx_va(4), f.m[4], VM_PROT_ALL, FALSE, NULL);
	pmap_enter(&p2, va2 + PAGE_SIZE, f.m[4], VM_PROT_READ, FALSE, NULL);
	ASSERT_EQ(f.m[4]->md.pmap_count, 2);
	ASSERT_EQ(f.m[4]->md.writeable_count, 1);
	ASSERT_TRUE(f.m[4]->flags & PG_MAPPEDMULTI);
	PT_AUDIT();

	pmap_page_protect(f.m[4], VM_PROT_READ);
	ASSERT_FALSE(pt_pte(&f.pmap, fx_va(4)) & X86_PG_RW);
	ASSERT_FALSE(f.m[4]->flags & PG_WRITEABLE);
	ASSERT_TRUE(f.m[4]->flags & PG_MAPPED);
	pmap_page_protect(f.m[4], VM_PROT_WRITE);	/* no-op */
	ASSERT_EQ(f.m[4]->md.pmap_count, 2);
	pmap_remove_specific(&p2, f.m[4]);
	ASSERT_EQ(pmap_resident_count(&p2), 0);
	ASSERT_EQ(f.m[4]->md.pmap_count, 1);
	pmap_enter(&p2, va2 + PAGE_SIZE, f.m[4], VM_PROT_ALL, FALSE, NULL);
	pmap_page_protect(f.m[4], VM_PROT_NONE);
	ASSERT_EQ(f.m[4]->md.pmap_count, 0);
	ASSERT_EQ(f.m[4]->flags & (PG_MAPPED | PG_MAPPEDMULTI |
	    PG_WRITEABLE), 0);
	ASSERT_EQ(pmap_resident_count(&f.pmap) + pmap_resident_count(&p2), 0);
	PT_AUDIT();
	pt_detach(&ba2);
	pmap_release(&p2);
	pmap_puninit(&p2);
	fx_teardown(&f);
}

TEST(shadow_chain_frame_check)
{
	struct fx f;
	vm_object_t back;
	struct vm_map_backing bb;
	vm_page_t bm;

	fx_setup(&f);
	/* A backing object under the same range (a shadow chain). */
	back = pt_object(NPG);
	pt_attach(&bb, back, &f.pmap, PT_USER_VA, PT_USER_VA + NPG *
	    PAGE_SIZE, 0);
	bm = pt_page(back, 1);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(1), bm, VM_PROT_READ, FALSE, NULL);
	PT_AUDIT();
	/* f.m[1] sits at the address too but is not what is mapped. */
	pmap_page_protect(f.m[1], VM_PROT_NONE);
	ASSERT_EQ(bm->md.pmap_count, 1);
	pmap_page_protect(bm, VM_PROT_NONE);
	ASSERT_EQ(bm->md.pmap_count, 0);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 1);
	PT_AUDIT();
	pt_page_free(bm);
	pt_detach(&bb);
	vm_object_deallocate(back);
	fx_teardown(&f);
}

/*
 * pmap_enter_access: the pte starts with the bits the faulting access is
 * about to set (accessed; modified too for a write to a writeable pte of a
 * wholly dirty page, which a write fault leaves it), so the retried access
 * has nothing to set; plain pmap_enter (a prefault) presets neither.
 * Replacing such a pte by another page's still folds the old pte's bits
 * into the old page.
 */
TEST(enter_access_presets_bits)
{
	struct vm_map_backing sba;
	struct fx f;
	vm_page_t sm;

	fx_setup(&f);
	fx_shadow(&f, &sba);
	sm = pt_page(sba.object, 0);
	f.m[0]->dirty = VM_PAGE_BITS_ALL;	/* as a write fault leaves it */
	sm->dirty = VM_PAGE_BITS_ALL;
	pmap_enter_access(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL,
	    VM_PROT_WRITE);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(0)) & (X86_PG_A | X86_PG_M),
	    X86_PG_A | X86_PG_M);
	ASSERT_EQ(pmap_mincore(&f.pmap, fx_va(0)), MINCORE_INCORE |
	    MINCORE_REFERENCED | MINCORE_REFERENCED_OTHER |
	    MINCORE_MODIFIED | MINCORE_MODIFIED_OTHER);
	/* A read of a dirty page mapped writeable: accessed only. */
	f.m[1]->dirty = VM_PAGE_BITS_ALL;
	pmap_enter_access(&f.pmap, fx_va(1), f.m[1], VM_PROT_ALL, FALSE, NULL,
	    VM_PROT_READ);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(1)) & (X86_PG_A | X86_PG_M),
	    X86_PG_A);
	/* A write to a page not wholly dirty: the walk sets M. */
	f.m[2]->dirty = 1;
	pmap_enter_access(&f.pmap, fx_va(2), f.m[2], VM_PROT_ALL, FALSE, NULL,
	    VM_PROT_WRITE);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(2)) & (X86_PG_A | X86_PG_M),
	    X86_PG_A);
	/* No access (a prefault), even of a dirty page: neither bit. */
	f.m[3]->dirty = VM_PAGE_BITS_ALL;
	pmap_enter(&f.pmap, fx_va(3), f.m[3], VM_PROT_ALL, FALSE, NULL);
	ASSERT_FALSE(pt_pte(&f.pmap, fx_va(3)) & (X86_PG_A | X86_PG_M));
	PT_AUDIT();

	/*
	 * Replaced by another dirty page's pte, which has both bits too (the
	 * other way round from a copy-on-write fault, as the replacement
	 * test above).
	 */
	f.m[0]->dirty = 0;
	atomic_clear_int(&f.m[0]->flags, PG_REFERENCED);
	pmap_enter_access(&f.pmap, fx_va(0), sm, VM_PROT_ALL, FALSE, NULL,
	    VM_PROT_WRITE);
	ASSERT_EQ(f.m[0]->dirty, VM_PAGE_BITS_ALL);
	ASSERT_TRUE(f.m[0]->flags & PG_REFERENCED);
	ASSERT_EQ(f.m[0]->md.md_counts, 0ULL);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(0)) & (X86_PG_FRAME | X86_PG_A |
	    X86_PG_M), VM_PAGE_TO_PHYS(sm) | X86_PG_A | X86_PG_M);
	/* The same page again, read-only: M goes to the page, A stays. */
	sm->dirty = 0;
	pmap_enter(&f.pmap, fx_va(0), sm, VM_PROT_READ, FALSE, NULL);
	ASSERT_EQ(sm->dirty, VM_PAGE_BITS_ALL);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(0)) & (X86_PG_RW | X86_PG_A |
	    X86_PG_M), X86_PG_A);
	ASSERT_EQ(sm->md.pmap_count, 1);
	ASSERT_EQ(sm->md.writeable_count, 0);
	PT_AUDIT();
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	pt_page_free(sm);
	fx_unshadow(&sba);
	fx_teardown(&f);
}

TEST(referenced_and_modified)
{
	struct fx f;
	struct pmap p[6];
	struct vm_map_backing ba[6];
	int i;

	fx_setup(&f);
	f.m[0]->dirty = 0;	/* clean: its writeable ptes start without A, M */
	for (i = 0; i < 6; i++) {
		pmap_pinit(&p[i]);
		pt_attach(&ba[i], f.obj, &p[i], PT_USER_VA, PT_USER_VA +
		    NPG * PAGE_SIZE, 0);
		pmap_enter(&p[i], fx_va(0), f.m[0], i < 3 ? VM_PROT_ALL :
		    VM_PROT_READ, FALSE, NULL);
	}
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 0);
	ASSERT_FALSE(pmap_is_modified(f.m[0]));
	for (i = 0; i < 6; i++) {
		pt_set_bits(&p[i], fx_va(0), X86_PG_A |
		    (i == 1 ? X86_PG_M : 0));
	}
	ASSERT_TRUE(pmap_is_modified(f.m[0]));
	/* Counts at most 5 and clears what it counted. */
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 5);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 1);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 0);
	for (i = 0; i < 6; i++) {
		pt_set_bits(&p[i], fx_va(0), X86_PG_A);
	}
	pmap_clear_reference(f.m[0]);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 0);
	f.m[0]->dirty = 0;
	pmap_clear_modify(f.m[0]);
	ASSERT_FALSE(pmap_is_modified(f.m[0]));
	ASSERT_EQ(f.m[0]->dirty, 0);		/* clear_modify leaves it */
	ASSERT_TRUE(pt_pte(&p[1], fx_va(0)) & X86_PG_RW);
	PT_AUDIT();
	for (i = 0; i < 6; i++) {
		pmap_remove(&p[i], VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
		pt_detach(&ba[i]);
		pmap_release(&p[i]);
		pmap_puninit(&p[i]);
	}
	fx_teardown(&f);
}

TEST(fictitious_and_objectless_pages_have_no_mappings)
{
	struct fx f;
	vm_page_t m;

	fx_setup(&f);
	m = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	ASSERT_NOT_NULL(m);
	ASSERT_EQ(pmap_ts_referenced(m), 0);
	ASSERT_FALSE(pmap_is_modified(m));
	pmap_page_protect(m, VM_PROT_NONE);
	pmap_clear_modify(m);
	pmap_clear_reference(m);
	vm_page_free_toq(m);
	fx_teardown(&f);
}

TEST(mapped_sync)
{
	struct fx f;
	vm_page_t m;

	fx_setup(&f);
	m = f.m[0];
	pmap_enter(&f.pmap, fx_va(0), m, VM_PROT_ALL, FALSE, NULL);
	ASSERT_TRUE(pmap_mapped_sync(m) & PG_WRITEABLE);
	pmap_protect(&f.pmap, fx_va(0), fx_va(1), VM_PROT_READ);
	ASSERT_TRUE(m->flags & PG_WRITEABLE);		/* lazily */
	ASSERT_EQ(pmap_mapped_sync(m) & (PG_MAPPED | PG_WRITEABLE),
	    PG_MAPPED);
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	ASSERT_EQ(pmap_mapped_sync(m) & PG_MAPPED, 0);
	fx_teardown(&f);
}

TEST(prefault_ok_and_extract_handle)
{
	struct fx f;
	void *handle;

	fx_setup(&f);
	ASSERT_TRUE(pmap_prefault_ok(&f.pmap, fx_va(0)));
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	ASSERT_FALSE(pmap_prefault_ok(&f.pmap, fx_va(0) + 5));
	ASSERT_TRUE(pmap_prefault_ok(&f.pmap, fx_va(1)));
	ASSERT_EQ(pmap_extract(&f.pmap, fx_va(0), &handle),
	    VM_PAGE_TO_PHYS(f.m[0]));
	ASSERT_EQ(lockstatus(&f.pmap.pm_lock, NULL), LK_SHARED);
	pmap_extract_done(handle);
	ASSERT_EQ(lockstatus(&f.pmap.pm_lock, NULL), 0);
	fx_teardown(&f);
}

/*
 * pmap_prefault_ok_n answers as pmap_prefault_ok would for each address,
 * whether its neighbour in the list is in the same leaf table, another
 * one, or one that does not exist.
 */
TEST(prefault_ok_n_matches_one_by_one)
{
	struct fx f;
	vm_offset_t va[9];
	uint64_t ok;
	int i;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_READ, FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(3), f.m[3], VM_PROT_READ, FALSE, NULL);
	va[0] = fx_va(1);
	va[1] = fx_va(2);
	va[2] = fx_va(0) - PAGE_SIZE;		/* the table below, if any */
	va[3] = fx_va(0) + 3;
	va[4] = fx_va(0) + ((vm_offset_t)2 << 20);	/* 2 MiB on */
	va[5] = fx_va(3);
	va[6] = fx_va(4);
	va[7] = fx_va(3);
	va[8] = fx_va(1);
	ok = pmap_prefault_ok_n(&f.pmap, va, (int)nitems(va));
	for (i = 0; i < (int)nitems(va); i++)
		ASSERT_EQ((ok >> i) & 1,
		    (uint64_t)pmap_prefault_ok(&f.pmap, va[i]));
	ASSERT_EQ(ok, (uint64_t)0x56);
	ASSERT_EQ(pmap_prefault_ok_n(&f.pmap, va, 0), 0);
	fx_teardown(&f);
}

/*
 * pmap_cow_prefetch is only a hint: whatever va holds (nothing, no table,
 * a read-only or a writeable mapping), the mappings, the counts and the
 * pages' state are as before, and it leaves no access window open.  It
 * takes no lock (it runs even with pm_lock held exclusively by the
 * caller), and on a CPU that has not walked the pmap it does nothing at
 * all: it never adds the CPU to pm_active.
 */
TEST(cow_prefetch_changes_nothing)
{
	struct fx f;
	vm_offset_t va[5];
	pt_entry_t before[5];
	uint64_t v, bit;
	long resident;
	int i, pass;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_ALL, FALSE, NULL);
	va[0] = fx_va(0);
	va[1] = fx_va(1);
	va[2] = fx_va(2);
	va[3] = fx_va(0) + ((vm_offset_t)2 << 20);
	va[4] = fx_va(0) + 7;
	resident = pmap_resident_count(&f.pmap);
	bit = 1ULL << mycpuid;
	/* Pass 0 before this CPU walked the pmap, pass 1 after. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < 5; i++) {
			before[i] = pmap_lookup(&f.pmap, trunc_page(va[i]),
			    LK_SHARED, NULL);
			lockmgr(&f.pmap.pm_lock, LK_RELEASE);
		}
		ASSERT_EQ((atomic_load_long((long *)&f.pmap.pm_active) &
		    (long)bit) != 0, pass);
		for (i = 0; i < 5; i++) {
			pmap_cow_prefetch(&f.pmap, va[i]);
			ASSERT_TRUE(pmap_pcpu_self()->pc_pmap == NULL);
			ASSERT_EQ(lockstatus(&f.pmap.pm_lock, NULL), 0);
		}
		for (i = 0; i < 5; i++) {
			ASSERT_EQ(pmap_lookup(&f.pmap, trunc_page(va[i]),
			    LK_SHARED, NULL), before[i]);
			lockmgr(&f.pmap.pm_lock, LK_RELEASE);
		}
		ASSERT_EQ(pmap_resident_count(&f.pmap), resident);
		ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	}
	lockmgr(&f.pmap.pm_lock, LK_EXCLUSIVE);
	pmap_cow_prefetch(&f.pmap, va[0]);
	ASSERT_EQ(lockstatus(&f.pmap.pm_lock, curthread), LK_EXCLUSIVE);
	lockmgr(&f.pmap.pm_lock, LK_RELEASE);
	ASSERT_EQ(f.m[0]->md.pmap_count, 1);
	ASSERT_EQ(f.m[1]->md.pmap_count, 1);
	ASSERT_EQ(pmap_audit(), 0);
	fx_teardown(&f);
}

TEST(fault_page_quick)
{
	struct fx f;
	vm_page_t m;
	int busy = 0;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_ALL, FALSE, NULL);
	vm_page_wakeup(f.m[0]);
	vm_page_wakeup(f.m[1]);
	ASSERT_NULL(pmap_fault_page_quick(&f.pmap, fx_va(2), VM_PROT_READ,
	    NULL));
	ASSERT_NULL(pmap_fault_page_quick(&f.pmap, fx_va(0), VM_PROT_WRITE,
	    NULL));
	ASSERT_NULL(pmap_fault_page_quick(&f.pmap, fx_va(0),
	    VM_PROT_EXECUTE, NULL));
	m = pmap_fault_page_quick(&f.pmap, fx_va(0), VM_PROT_READ, NULL);
	ASSERT_PTR_EQ(m, f.m[0]);
	ASSERT_EQ(m->hold_count, 1);
	vm_page_unhold(m);
	f.m[1]->dirty = 0;
	m = pmap_fault_page_quick(&f.pmap, fx_va(1), VM_PROT_WRITE, &busy);
	ASSERT_PTR_EQ(m, f.m[1]);
	ASSERT_EQ(busy, 1);
	ASSERT_TRUE(m->busy_count & PBUSY_LOCKED);
	ASSERT_EQ(m->dirty, VM_PAGE_BITS_ALL);
	/* Busy now: a second busy request fails. */
	busy = 0;
	ASSERT_NULL(pmap_fault_page_quick(&f.pmap, fx_va(1), VM_PROT_READ,
	    &busy));
	ASSERT_EQ(busy, 0);
	fx_teardown(&f);
}

TEST(mincore_bits)
{
	struct fx f;

	fx_setup(&f);
	ASSERT_EQ(pmap_mincore(&f.pmap, fx_va(0)), 0);
	f.m[0]->dirty = 0;
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pmap_mincore(&f.pmap, fx_va(0)), MINCORE_INCORE);
	pt_set_bits(&f.pmap, fx_va(0), X86_PG_A | X86_PG_M);
	ASSERT_EQ(pmap_mincore(&f.pmap, fx_va(0)), MINCORE_INCORE |
	    MINCORE_REFERENCED | MINCORE_REFERENCED_OTHER |
	    MINCORE_MODIFIED | MINCORE_MODIFIED_OTHER);
	pmap_protect(&f.pmap, fx_va(0), fx_va(1), VM_PROT_READ);
	pmap_clear_reference(f.m[0]);
	atomic_set_int(&f.m[0]->flags, PG_REFERENCED);
	ASSERT_EQ(pmap_mincore(&f.pmap, fx_va(0)), MINCORE_INCORE |
	    MINCORE_REFERENCED_OTHER | MINCORE_MODIFIED_OTHER);
	fx_teardown(&f);
}

struct pgscan_arg {
	struct pmap_pgscan_info	info;
	vm_offset_t		seen[NPG];
	int			n;
	int			stop_after;
};

static int
pgscan_cb(struct pmap_pgscan_info *info, vm_offset_t va, vm_page_t m)
{
	struct pgscan_arg *a = (struct pgscan_arg *)info;

	ASSERT_TRUE(m->busy_count & PBUSY_LOCKED);
	vm_page_wakeup(m);
	a->seen[a->n++] = va;
	return (a->n == a->stop_after ? -1 : 0);
}

TEST(pgscan)
{
	struct fx f;
	struct pgscan_arg a;
	vm_page_t um;
	int i;

	fx_setup(&f);
	for (i = 0; i < NPG; i += 2)
		pmap_enter(&f.pmap, fx_va(i), f.m[i], VM_PROT_READ, FALSE,
		    NULL);
	um = vm_page_alloc(NULL, 0, VM_ALLOC_NORMAL);
	pmap_enter(&f.pmap, fx_va(1), um, VM_PROT_READ, FALSE, NULL);
	for (i = 0; i < NPG; i++)
		vm_page_wakeup(f.m[i]);
	vm_page_busy_wait(f.m[4], FALSE, "t");	/* one page busy */

	memset(&a, 0, sizeof(a));
	a.info.pmap = &f.pmap;
	a.info.beg_addr = PT_USER_VA;
	a.info.end_addr = fx_va(NPG);
	a.info.callback = pgscan_cb;
	pmap_pgscan(&a.info);
	ASSERT_EQ(a.n, 3);		/* 0, 2, 6: unmanaged 1 skipped */
	ASSERT_EQ(a.seen[0], fx_va(0));
	ASSERT_EQ(a.seen[1], fx_va(2));
	ASSERT_EQ(a.seen[2], fx_va(6));
	ASSERT_EQ(a.info.busycount, 1);
	ASSERT_EQ(a.info.offset, fx_va(NPG));

	memset(&a, 0, sizeof(a));
	a.info.pmap = &f.pmap;
	a.info.beg_addr = PT_USER_VA;
	a.info.end_addr = fx_va(NPG);
	a.info.callback = pgscan_cb;
	a.stop_after = 2;
	pmap_pgscan(&a.info);
	ASSERT_EQ(a.n, 2);
	ASSERT_EQ(a.info.offset, fx_va(3));	/* resume point */
	pmap_pgscan(&a.info);
	ASSERT_EQ(a.n, 3);
	ASSERT_EQ(a.seen[2], fx_va(6));

	pmap_remove(&f.pmap, fx_va(1), fx_va(2));
	vm_page_free_toq(um);
	for (i = 0; i < NPG; i++)
		if (i != 4)
			vm_page_busy_wait(f.m[i], FALSE, "t");
	fx_teardown(&f);
}

TEST(kernel_mappings)
{
	struct fx f;
	vm_page_t ms[3];
	pt_entry_t pte;

	fx_setup(&f);
	pmap_kenter(PT_KVA, VM_PAGE_TO_PHYS(f.m[0]));
	ASSERT_EQ(pmap_kextract(PT_KVA + 7), VM_PAGE_TO_PHYS(f.m[0]) + 7);
	ASSERT_EQ(pmap_resident_count(&kernel_pmap), 1);
	/* Kernel ptes are not user, not managed, global. */
	pte = pt_pte(&kernel_pmap, PT_KVA);
	ASSERT_FALSE(pte & (X86_PG_U | X86_PG_MANAGED));
	ASSERT_TRUE(pte & X86_PG_G);
	ASSERT_EQ(f.m[0]->md.pmap_count, 0);
	ms[0] = f.m[1];
	ms[1] = f.m[2];
	ms[2] = f.m[3];
	pmap_qenter(PT_KVA + PAGE_SIZE, ms, 3);
	ASSERT_EQ(pmap_kextract(PT_KVA + 3 * PAGE_SIZE),
	    VM_PAGE_TO_PHYS(f.m[3]));
	ASSERT_EQ(pmap_resident_count(&kernel_pmap), 4);
	memcpy(PHYS_TO_DMAP(pmap_kextract(PT_KVA + 2 * PAGE_SIZE)), "pager",
	    6);
	ASSERT_EQ(strcmp(vm_page_data(f.m[2]), "pager"), 0);
	PT_AUDIT();
	pmap_kenter(PT_KVA, VM_PAGE_TO_PHYS(f.m[4]));	/* replace */
	ASSERT_EQ(pmap_kextract(PT_KVA), VM_PAGE_TO_PHYS(f.m[4]));
	pmap_qremove(PT_KVA + PAGE_SIZE, 3);
	pmap_kremove(PT_KVA);
	ASSERT_EQ(pmap_kextract(PT_KVA), 0);
	ASSERT_EQ(pmap_resident_count(&kernel_pmap), 0);
	ASSERT_EQ(kernel_pmap.pm_ptpages, 1);
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(page_contents)
{
	struct fx f;
	char *a, *b;
	size_t i;

	fx_setup(&f);
	a = vm_page_data(f.m[0]);
	b = vm_page_data(f.m[1]);
	memset(a, 0x5a, PAGE_SIZE);
	pmap_copy_page(VM_PAGE_TO_PHYS(f.m[0]), VM_PAGE_TO_PHYS(f.m[1]));
	ASSERT_EQ(memcmp(a, b, PAGE_SIZE), 0);
	pmap_zero_page_area(VM_PAGE_TO_PHYS(f.m[1]), 100, 50);
	ASSERT_EQ(b[99], 0x5a);
	ASSERT_EQ(b[100], 0);
	ASSERT_EQ(b[149], 0);
	ASSERT_EQ(b[150], 0x5a);
	pmap_copy_page_frag(VM_PAGE_TO_PHYS(f.m[1]) + 100,
	    VM_PAGE_TO_PHYS(f.m[0]), 10);
	ASSERT_EQ(a[0], 0);
	ASSERT_EQ(a[10], 0x5a);
	pmap_zero_page(VM_PAGE_TO_PHYS(f.m[0]));
	for (i = 0; i < PAGE_SIZE; i++)
		ASSERT_EQ(a[i], 0);
	/* Every byte of a whole-page copy, and an odd-length fragment. */
	for (i = 0; i < PAGE_SIZE; i++)
		b[i] = (char)(i * 7 + 3);
	pmap_copy_page(VM_PAGE_TO_PHYS(f.m[1]), VM_PAGE_TO_PHYS(f.m[0]));
	ASSERT_EQ(memcmp(a, b, PAGE_SIZE), 0);
	memset(a, 0, PAGE_SIZE);
	pmap_copy_page_frag(VM_PAGE_TO_PHYS(f.m[1]) + 1,
	    VM_PAGE_TO_PHYS(f.m[0]) + 3, 4093);
	ASSERT_EQ(memcmp(a + 3, b + 1, 4093), 0);
	ASSERT_EQ(a[0] | a[1] | a[2], 0);
	fx_teardown(&f);
}

TEST(enter_waits_for_table_pages)
{
	struct fx f;

	fx_setup(&f);
	/* The first table-page allocation fails; pmap_enter waits, retries. */
	fault_inject_arm(vm_page_alloc_fault(), 1, 0);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(fault_inject_hits(vm_page_alloc_fault()), 1);
	ASSERT_EQ(pmap_extract(&f.pmap, fx_va(0), NULL),
	    VM_PAGE_TO_PHYS(f.m[0]));
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(allocation_failure_sweep)
{
	vm_offset_t vas[3] = { fx_va(0), fx_va(1) + ((vm_offset_t)1 << 30),
	    fx_va(2) + ((vm_offset_t)1 << 39) };
	struct vm_map_backing bas[3];
	struct pmap p;
	struct fx f;
	long n, i;

	fx_setup(&f);
	/* Fail the nth table-page allocation; every operation still ends. */
	for (n = 1; n <= 12; n++) {
		fault_inject_arm(vm_page_alloc_fault(), n, 0);
		pmap_pinit(&p);
		for (i = 0; i < 3; i++) {
			pt_attach(&bas[i], f.obj, &p, vas[i], vas[i] +
			    PAGE_SIZE, IDX_TO_OFF(i));
			pmap_enter(&p, vas[i], f.m[i], VM_PROT_ALL, FALSE,
			    NULL);
		}
		pmap_kenter(PT_KVA, VM_PAGE_TO_PHYS(f.m[3]));
		ASSERT_EQ(pmap_resident_count(&p), 3);
		ASSERT_EQ(pmap_kextract(PT_KVA), VM_PAGE_TO_PHYS(f.m[3]));
		PT_AUDIT();
		pmap_kremove(PT_KVA);
		pmap_remove(&p, VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS);
		for (i = 0; i < 3; i++)
			pt_detach(&bas[i]);
		pmap_release(&p);
		pmap_puninit(&p);
		fault_inject_arm(vm_page_alloc_fault(), 0, 0);
	}
	PT_AUDIT();
	fx_teardown(&f);
}

TEST(audit_finds_damage)
{
	struct fx f;
	struct vm_map_backing saved;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	PT_AUDIT();
	f.m[0]->md.pmap_count++;
	ASSERT_GE(pmap_audit(), 1);
	f.m[0]->md.pmap_count--;
	f.pmap.pm_stats.wired_count++;
	ASSERT_GE(pmap_audit(), 1);
	f.pmap.pm_stats.wired_count--;
	saved = f.ba;
	f.ba.offset = PAGE_SIZE;		/* backing no longer agrees */
	ASSERT_GE(pmap_audit(), 1);
	f.ba.offset = saved.offset;
	PT_AUDIT();
	fx_teardown(&f);
}

static void
release_mapped(void *arg)
{
	struct fx *f = arg;

	pmap_release(&f->pmap);
}

TEST(release_with_mappings_panics)
{
	struct fx f;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
#ifdef INVARIANTS
	ASSERT_PANICS(release_mapped, &f, "still mapped");
#else
	/* Without assertions the leftovers are removed. */
	release_mapped(&f);
	ASSERT_EQ(f.m[0]->md.pmap_count, 0);
	pmap_pinit(&f.pmap);
#endif
	fx_teardown(&f);
}

TEST(addr_hint_and_advisory_ops)
{
	struct fx f;

	fx_setup(&f);
	ASSERT_EQ(pmap_addr_hint(f.obj, 0x1234000, SEG_SIZE), 0x1234000);
	f.obj->type = OBJT_DEVICE;
	ASSERT_EQ(pmap_addr_hint(f.obj, 0x1234000, SEG_SIZE), 0x1400000);
	ASSERT_EQ(pmap_addr_hint(f.obj, 0x1234000, PAGE_SIZE), 0x1234000);
	f.obj->type = OBJT_DEFAULT;
	pmap_copy(&f.pmap, &f.pmap, 0, PAGE_SIZE, 0);
	pmap_object_init_pt(&f.pmap, NULL, 0, PAGE_SIZE, 0);
	pmap_collect();
	pmap_maybethreaded(&f.pmap);
	ASSERT_TRUE(f.pmap.pm_flags & PMAP_MULTI);
	pmap_invalidate_range(&f.pmap, 0, PAGE_SIZE);
	pmap_pinit2(&f.pmap);
	pmap_init2();
	fx_teardown(&f);
}

static struct fx *slot_fx;

/* Enter the upper half of the fixture's pages from another thread. */
static void
enter_upper_half(void *arg)
{
	int i;

	(void)arg;
	for (i = PT_NPG / 2; i < PT_NPG; i++)
		pmap_enter(&slot_fx->pmap, fx_va(i), slot_fx->m[i],
		    VM_PROT_ALL, FALSE, NULL);
	atomic_store_int((int *)arg, mycpuid + 1);
}

/* The resident count of CPU s's slot of pmap. */
static long
slot_resident(pmap_t pmap, int s)
{
	return (atomic_load_long(&pmap->pm_slots[s].ps_resident));
}

/*
 * Enters on two CPUs count in each CPU's own slot line, and their shared
 * holds of pm_lock leave the lock word alone: nothing a pmap_enter writes
 * is written by the other CPU's enters.  The sum stays exact when one CPU
 * removes what another entered (its slot goes negative).
 */
TEST(resident_count_per_cpu)
{
	struct kthread_handle *h;
	struct fx f;
	int me, other = 0, i;

	fx_setup(&f);
	slot_fx = &f;
	me = mycpuid;
	/* Tables first, so the other thread's enters take the shared path. */
	for (i = 0; i < PT_NPG / 2; i++)
		pmap_enter(&f.pmap, fx_va(i), f.m[i], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(kthread_create(enter_upper_half, &other, "enter", &h), 0);
	/* Keep this CPU until it is done, so it runs on the other one. */
	while (atomic_load_int(&other) == 0)
		cpu_pause();
	other = atomic_load_int(&other) - 1;
	ASSERT_NE(other, me);
	ASSERT_EQ(atomic_load_int(&f.pmap.pm_lock.lk_count), 0U);
	ASSERT_EQ(slot_resident(&f.pmap, me), PT_NPG / 2);
	ASSERT_EQ(slot_resident(&f.pmap, other), PT_NPG / 2);
	ASSERT_EQ(pmap_resident_count(&f.pmap), PT_NPG);
	kthread_join(h);	/* may move this thread to the other CPU */
	PT_AUDIT();
	me = mycpuid;
	other = 1 - me;
	pmap_remove(&f.pmap, fx_va(0), fx_va(PT_NPG));
	ASSERT_EQ(slot_resident(&f.pmap, me), -(PT_NPG / 2));
	ASSERT_EQ(slot_resident(&f.pmap, other), PT_NPG / 2);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 0);
	fx_teardown(&f);
}

/*
 * A pmap_enter that needs new tables links them holding pm_lock shared,
 * so it completes while another thread holds a share (as a fault in
 * progress on another CPU does).  Linking under the lock held
 * exclusively would wait until that share went.
 */
static void
enter_first_page(void *arg)
{
	int *done = arg;

	pmap_enter(&slot_fx->pmap, fx_va(0), slot_fx->m[0], VM_PROT_ALL,
	    FALSE, NULL);
	atomic_store_int(done, 1);
}

TEST(enter_links_tables_under_a_share)
{
	struct kthread_handle *h;
	struct fx f;
	uint64_t t0;
	int done = 0, finished;

	fx_setup(&f);
	slot_fx = &f;
	ASSERT_EQ(atomic_load_long(&f.pmap.pm_ptpages), 1);
	lockmgr(&f.pmap.pm_lock, LK_SHARED);
	ASSERT_EQ(kthread_create(enter_first_page, &done, "enter", &h), 0);
	t0 = nanouptime_ns();
	while (!atomic_load_int(&done) && nanouptime_ns() - t0 < 2000000000ULL)
		cpu_pause();
	finished = atomic_load_int(&done);
	lockmgr(&f.pmap.pm_lock, LK_RELEASE);
	kthread_join(h);
	ASSERT_TRUE(finished);
	/* PML4, PDP, PD and PT, each linked once. */
	ASSERT_EQ(atomic_load_long(&f.pmap.pm_ptpages), 4);
	ASSERT_EQ(pmap_extract(&f.pmap, fx_va(0), NULL),
	    VM_PAGE_TO_PHYS(f.m[0]));
	PT_AUDIT();
	fx_teardown(&f);
}

TEST_MAIN(
	TEST_ENTRY(pinit_release_empty),
	TEST_ENTRY(enter_extract_remove),
	TEST_ENTRY(pte_bits),
	TEST_ENTRY(unmanaged_page),
	TEST_ENTRY(enter_replace_folds_bits),
	TEST_ENTRY(enter_same_page_keeps_bits),
	TEST_ENTRY(unwire),
	TEST_ENTRY(protect_range),
	TEST_ENTRY(sparse_tables),
	TEST_ENTRY(backing_offset_and_multi),
	TEST_ENTRY(shadow_chain_frame_check),
	TEST_ENTRY(enter_access_presets_bits),
	TEST_ENTRY(referenced_and_modified),
	TEST_ENTRY(fictitious_and_objectless_pages_have_no_mappings),
	TEST_ENTRY(mapped_sync),
	TEST_ENTRY(prefault_ok_and_extract_handle),
	TEST_ENTRY(prefault_ok_n_matches_one_by_one),
	TEST_ENTRY(cow_prefetch_changes_nothing),
	TEST_ENTRY(fault_page_quick),
	TEST_ENTRY(mincore_bits),
	TEST_ENTRY(pgscan),
	TEST_ENTRY(kernel_mappings),
	TEST_ENTRY(page_contents),
	TEST_ENTRY(enter_waits_for_table_pages),
	TEST_ENTRY(allocation_failure_sweep),
	TEST_ENTRY(audit_finds_damage),
	TEST_ENTRY(release_with_mappings_panics),
	TEST_ENTRY(addr_hint_and_advisory_ops),
	TEST_ENTRY(resident_count_per_cpu),
	TEST_ENTRY(enter_links_tables_under_a_share),
)
