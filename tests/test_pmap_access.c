/*
 * test_pmap_access.c - simulated CPUs accessing user memory: the TLB, the
 * table walk and its accessed/dirty bits, the fault hook and the signals,
 * bulk copies, atomics, instruction fetch, and TLB invalidation.
 */
#include "pmap_util.h"
#include "vm/pmap_access.h"

static int hook_calls;
static int hook_rv;

/* A fault handler that maps the fixture's page read-write on demand. */
static int
map_on_demand(pmap_t pmap, vm_offset_t va, vm_prot_t type, void *arg)
{
	struct fx *f = arg;
	int i = (int)((trunc_page(va) - fx_va(0)) / PAGE_SIZE);

	hook_calls++;
	if (va < fx_va(0) || i >= PT_NPG)
		return (KERN_INVALID_ADDRESS);
	pmap_enter(pmap, trunc_page(va), f->m[i], VM_PROT_ALL, FALSE, NULL);
	return (KERN_SUCCESS);
}

/* A fault handler that returns hook_rv and counts. */
static int
fixed_result(pmap_t pmap, vm_offset_t va, vm_prot_t type, void *arg)
{
	hook_calls++;
	return (hook_rv);
}

TEST(load_store_sizes)
{
	struct fx f;
	uint8_t v1;
	uint16_t v2;
	uint32_t v4;
	uint64_t v8;
	unsigned char *p;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	p = vm_page_data(f.m[0]);
	ASSERT_EQ(pmap_store_1(&f.pmap, fx_va(0) + 1, 0xab, NULL), 0);
	ASSERT_EQ(pmap_store_2(&f.pmap, fx_va(0) + 2, 0xcdef, NULL), 0);
	ASSERT_EQ(pmap_store_4(&f.pmap, fx_va(0) + 4, 0x01234567, NULL), 0);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0) + 8, 0x1122334455667788ULL,
	    NULL), 0);
	ASSERT_EQ(p[1], 0xab);
	ASSERT_EQ(p[2], 0xef);			/* little-endian */
	ASSERT_EQ(*(uint32_t *)(p + 4), 0x01234567);
	ASSERT_EQ(pmap_fetch_1(&f.pmap, fx_va(0) + 1, &v1, NULL), 0);
	ASSERT_EQ(pmap_fetch_2(&f.pmap, fx_va(0) + 2, &v2, NULL), 0);
	ASSERT_EQ(pmap_fetch_4(&f.pmap, fx_va(0) + 4, &v4, NULL), 0);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0) + 8, &v8, NULL), 0);
	ASSERT_EQ(v1, 0xab);
	ASSERT_EQ(v2, 0xcdef);
	ASSERT_EQ(v4, 0x01234567);
	ASSERT_EQ(v8, 0x1122334455667788ULL);
	/* Second time round the TLB hits and agrees. */
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0) + 8, &v8, NULL), 0);
	ASSERT_EQ(v8, 0x1122334455667788ULL);
	ASSERT_GE(pmap_pcpu_self()->pc_walks, 1);
	fx_teardown(&f);
}

TEST(walk_sets_accessed_and_dirty)
{
	struct fx f;
	uint64_t v;
	pt_entry_t pte;
	int i;

	fx_setup(&f);
	for (i = 0; i < PT_NPG; i++)	/* clean: the walks set A and M */
		f.m[i]->dirty = 0;
	fx_map_all(&f, VM_PROT_ALL);
	ASSERT_FALSE(pt_pte(&f.pmap, fx_va(0)) & (X86_PG_A | X86_PG_M));
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	pte = pt_pte(&f.pmap, fx_va(0));
	ASSERT_TRUE(pte & X86_PG_A);
	ASSERT_FALSE(pte & X86_PG_M);
	ASSERT_FALSE(pmap_is_modified(f.m[0]));
	/* A read left a read-only TLB entry: the store walks and sets M. */
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 1, NULL), 0);
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(0)) & X86_PG_M);
	ASSERT_TRUE(pmap_is_modified(f.m[0]));
	/* Writing first sets both. */
	ASSERT_EQ(pmap_store_4(&f.pmap, fx_va(1), 1, NULL), 0);
	ASSERT_EQ(pt_pte(&f.pmap, fx_va(1)) & (X86_PG_A | X86_PG_M),
	    X86_PG_A | X86_PG_M);
	fx_teardown(&f);
}

TEST(accessed_and_dirty_set_again_after_clear)
{
	struct fx f;
	uint64_t v;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 1, NULL), 0);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 1);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 0);
	/* The lazy flush makes the next access walk and set A again. */
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	ASSERT_EQ(pmap_ts_referenced(f.m[0]), 1);
	pmap_clear_modify(f.m[0]);
	ASSERT_FALSE(pmap_is_modified(f.m[0]));
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 2, NULL), 0);
	ASSERT_TRUE(pmap_is_modified(f.m[0]));
	fx_teardown(&f);
}

TEST(unaligned_and_crossing)
{
	struct fx f;
	uint64_t v;
	uint32_t v4;
	unsigned char *p0, *p1;
	struct pmap_fault pf;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	p0 = vm_page_data(f.m[0]);
	p1 = vm_page_data(f.m[1]);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(1) - 3, 0x0807060504030201ULL,
	    NULL), 0);
	ASSERT_EQ(p0[PAGE_SIZE - 3], 1);
	ASSERT_EQ(p0[PAGE_SIZE - 1], 3);
	ASSERT_EQ(p1[0], 4);
	ASSERT_EQ(p1[4], 8);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(1) - 3, &v, NULL), 0);
	ASSERT_EQ(v, 0x0807060504030201ULL);
	ASSERT_EQ(pmap_fetch_4(&f.pmap, fx_va(0) + 5, &v4, NULL), 0);
	ASSERT_EQ(pmap_store_4(&f.pmap, fx_va(0) + 5, 0xdeadbeef, NULL), 0);
	ASSERT_EQ(pmap_fetch_4(&f.pmap, fx_va(0) + 5, &v4, NULL), 0);
	ASSERT_EQ(v4, 0xdeadbeef);
	/* A crossing store whose second page is read-only writes nothing. */
	pmap_protect(&f.pmap, fx_va(2), fx_va(3), VM_PROT_READ);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(2) - 4, ~0ULL, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_addr, fx_va(2));
	ASSERT_EQ(pf.pf_type, VM_PROT_WRITE);
	ASSERT_EQ(pmap_fetch_4(&f.pmap, fx_va(2) - 4, &v4, NULL), 0);
	ASSERT_EQ(v4, 0);
	fx_teardown(&f);
}

TEST(copyin_copyout)
{
	struct fx f;
	char buf[3 * PAGE_SIZE], back[3 * PAGE_SIZE];
	struct pmap_fault pf;
	size_t i;

	fx_setup(&f);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	fx_map_all(&f, VM_PROT_ALL);
	ASSERT_EQ(pmap_copyout(&f.pmap, buf, fx_va(0) + 100, sizeof(buf),
	    NULL), 0);
	ASSERT_EQ(memcmp((char *)vm_page_data(f.m[1]), buf + PAGE_SIZE - 100,
	    PAGE_SIZE), 0);
	ASSERT_EQ(pmap_copyin(&f.pmap, fx_va(0) + 100, back, sizeof(back),
	    NULL), 0);
	ASSERT_EQ(memcmp(buf, back, sizeof(buf)), 0);
	ASSERT_EQ(pmap_copyin(&f.pmap, fx_va(0), back, 0, NULL), 0);
	/* A hole part way: the bytes before it are copied. */
	pmap_remove(&f.pmap, fx_va(2), fx_va(3));
	memset(back, 0, sizeof(back));
	ASSERT_EQ(pmap_copyin(&f.pmap, fx_va(1) + 10, back, 2 * PAGE_SIZE,
	    &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	ASSERT_EQ(pf.pf_addr, fx_va(2));
	ASSERT_EQ(pf.pf_type, VM_PROT_READ);
	ASSERT_EQ(memcmp(back, buf + PAGE_SIZE - 90, PAGE_SIZE - 10), 0);
	ASSERT_EQ(pmap_copyout(&f.pmap, buf, fx_va(1), 2 * PAGE_SIZE, &pf),
	    SIGSEGV);
	ASSERT_EQ(pf.pf_type, VM_PROT_WRITE);
	fx_teardown(&f);
}

TEST(fault_hook_maps_on_demand)
{
	struct fx f;
	uint64_t v;
	char buf[2 * PAGE_SIZE];

	fx_setup(&f);
	hook_calls = 0;
	pmap_set_fault_hook(map_on_demand, &f);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(3), 42, NULL), 0);
	ASSERT_EQ(hook_calls, 1);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(3), &v, NULL), 0);
	ASSERT_EQ(v, 42);
	ASSERT_EQ(hook_calls, 1);
	memset(buf, 1, sizeof(buf));
	ASSERT_EQ(pmap_copyout(&f.pmap, buf, fx_va(5), sizeof(buf), NULL),
	    0);
	ASSERT_EQ(hook_calls, 3);
	ASSERT_EQ(pmap_resident_count(&f.pmap), 3);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(PT_NPG), &v, NULL), SIGSEGV);
	ASSERT_EQ(hook_calls, 4);
	PT_AUDIT();
	pmap_set_fault_hook(NULL, NULL);
	fx_teardown(&f);
}

TEST(fault_results_to_signals)
{
	static const struct {
		int	rv, signo, code;
	} t[] = {
		{ KERN_INVALID_ADDRESS, SIGSEGV, SEGV_MAPERR },
		{ KERN_PROTECTION_FAILURE, SIGSEGV, SEGV_ACCERR },
		{ KERN_NO_ACCESS, SIGSEGV, SEGV_ACCERR },
		{ KERN_FAILURE, SIGBUS, BUS_OBJERR },
		{ KERN_RESOURCE_SHORTAGE, SIGSEGV, SEGV_MAPERR },
	};
	struct pmap_fault pf;
	struct fx f;
	uint64_t v;
	size_t i;

	fx_setup(&f);
	pmap_set_fault_hook(fixed_result, NULL);
	for (i = 0; i < nitems(t); i++) {
		hook_rv = t[i].rv;
		memset(&pf, 0, sizeof(pf));
		ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0) + 8, &v, &pf),
		    t[i].signo);
		ASSERT_EQ(pf.pf_signo, t[i].signo);
		ASSERT_EQ(pf.pf_code, t[i].code);
		ASSERT_EQ(pf.pf_addr, fx_va(0) + 8);
		ASSERT_EQ(pf.pf_rv, t[i].rv);
	}
	/* A hook that claims success but fixes nothing gives up at last. */
	hook_rv = KERN_SUCCESS;
	hook_calls = 0;
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	ASSERT_GE(hook_calls, 1000);
	pmap_set_fault_hook(NULL, NULL);
	/* No hook: absent is MAPERR, forbidden is ACCERR. */
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ, FALSE, NULL);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(1), &v, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	ASSERT_EQ(pf.pf_rv, KERN_INVALID_ADDRESS);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 1, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	fx_teardown(&f);
}

TEST(bad_addresses_never_reach_the_hook)
{
	static const vm_offset_t bad[] = {
		VM_MAX_USER_ADDRESS,
		VM_MAX_USER_ADDRESS + 0x1000,		/* non-canonical */
		0x0000900000000000ULL,
		VM_MIN_KERNEL_ADDRESS,
		PT_KVA,
		~(vm_offset_t)7,
	};
	struct pmap_fault pf;
	struct fx f;
	uint64_t v;
	char buf[16];
	size_t i;

	fx_setup(&f);
	pmap_kenter(PT_KVA, VM_PAGE_TO_PHYS(f.m[0]));
	hook_calls = 0;
	pmap_set_fault_hook(map_on_demand, &f);
	for (i = 0; i < nitems(bad); i++) {
		ASSERT_EQ(pmap_fetch_8(&f.pmap, bad[i], &v, &pf), SIGSEGV);
		ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
		ASSERT_EQ(pf.pf_addr, bad[i]);
		ASSERT_EQ(pmap_store_1(&f.pmap, bad[i], 1, NULL), SIGSEGV);
		ASSERT_EQ(pmap_copyin(&f.pmap, bad[i], buf, 16, NULL),
		    SIGSEGV);
	}
	/* A copy running off the end of user space. */
	ASSERT_EQ(pmap_copyin(&f.pmap, VM_MAX_USER_ADDRESS - 8, buf, 16,
	    &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_addr, VM_MAX_USER_ADDRESS);
	ASSERT_EQ(pmap_copyin(&f.pmap, 0x1000, buf, ~(size_t)0, &pf),
	    SIGSEGV);
	/* No pmap, or the kernel's. */
	ASSERT_EQ(pmap_fetch_8(NULL, fx_va(0), &v, &pf), SIGSEGV);
	ASSERT_EQ(pmap_fetch_8(&kernel_pmap, PT_KVA, &v, &pf), SIGSEGV);
	ASSERT_EQ(pmap_store_8(&kernel_pmap, fx_va(0), 1, &pf), SIGSEGV);
	ASSERT_EQ(hook_calls, 0);
	pmap_set_fault_hook(NULL, NULL);
	pmap_kremove(PT_KVA);
	fx_teardown(&f);
}

TEST(bad_physical_address_is_sigbus)
{
	struct pmap_fault pf;
	struct fx f;
	pt_entry_t *ptep;
	uint64_t v;

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	pmap_remove(&f.pmap, fx_va(1), fx_va(2));
	/* Forge an unmanaged pte naming memory that does not exist. */
	pmap_lookup(&f.pmap, fx_va(1), LK_EXCLUSIVE, &ptep);
	ASSERT_NOT_NULL(ptep);
	*ptep = X86_PG_V | X86_PG_U | X86_PG_RW | 0x7ff0000000ULL;
	lockmgr(&f.pmap.pm_lock, LK_RELEASE);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(1), &v, &pf), SIGBUS);
	ASSERT_EQ(pf.pf_code, BUS_ADRERR);
	pmap_lookup(&f.pmap, fx_va(1), LK_EXCLUSIVE, &ptep);
	*ptep = 0;
	lockmgr(&f.pmap.pm_lock, LK_RELEASE);
	fx_teardown(&f);
}

TEST(atomics)
{
	struct pmap_fault pf;
	struct fx f;
	uint32_t o4;
	uint64_t o8;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 10, NULL), 0);
	ASSERT_EQ(pmap_cas_8(&f.pmap, fx_va(0), 10, 20, &o8, NULL), 0);
	ASSERT_EQ(o8, 10);
	ASSERT_EQ(pmap_cas_8(&f.pmap, fx_va(0), 10, 30, &o8, NULL), 0);
	ASSERT_EQ(o8, 20);			/* failed: unchanged */
	ASSERT_EQ(pmap_fetchadd_8(&f.pmap, fx_va(0), 5, &o8, NULL), 0);
	ASSERT_EQ(o8, 20);
	ASSERT_EQ(*(uint64_t *)vm_page_data(f.m[0]), 25);
	ASSERT_EQ(pmap_cas_4(&f.pmap, fx_va(1) + 4, 0, 7, &o4, NULL), 0);
	ASSERT_EQ(o4, 0);
	ASSERT_EQ(pmap_fetchadd_4(&f.pmap, fx_va(1) + 4, 0xffffffffu, &o4,
	    NULL), 0);
	ASSERT_EQ(o4, 7);
	ASSERT_EQ(*(uint32_t *)((char *)vm_page_data(f.m[1]) + 4), 6);
	ASSERT_TRUE(pt_pte(&f.pmap, fx_va(1)) & X86_PG_M);
	/* Misaligned: SIGBUS; read-only: a write fault even if unequal. */
	ASSERT_EQ(pmap_cas_8(&f.pmap, fx_va(0) + 4, 0, 1, &o8, &pf), SIGBUS);
	ASSERT_EQ(pf.pf_code, BUS_ADRALN);
	ASSERT_EQ(pmap_fetchadd_4(&f.pmap, fx_va(0) + 2, 1, &o4, &pf),
	    SIGBUS);
	pmap_protect(&f.pmap, fx_va(2), fx_va(3), VM_PROT_READ);
	ASSERT_EQ(pmap_cas_4(&f.pmap, fx_va(2), 99, 1, &o4, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_type, VM_PROT_WRITE);
	ASSERT_EQ(pmap_fetchadd_8(&f.pmap, fx_va(PT_NPG), 1, &o8, &pf),
	    SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	fx_teardown(&f);
}

TEST(instruction_fetch)
{
	struct pmap_fault pf;
	struct fx f;
	char code[8];

	fx_setup(&f);
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_READ | VM_PROT_EXECUTE,
	    FALSE, NULL);
	pmap_enter(&f.pmap, fx_va(1), f.m[1], VM_PROT_ALL & ~VM_PROT_EXECUTE,
	    FALSE, NULL);
	memcpy(vm_page_data(f.m[0]), "\x90\x90\xc3", 3);
	ASSERT_EQ(pmap_ifetch(&f.pmap, fx_va(0), code, 3, NULL), 0);
	ASSERT_EQ(memcmp(code, "\x90\x90\xc3", 3), 0);
	ASSERT_EQ(pmap_ifetch(&f.pmap, fx_va(0) + 100, NULL, 0, NULL), 0);
	/* Data pages do not execute, even when the TLB holds them. */
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(1), 1, NULL), 0);
	ASSERT_EQ(pmap_ifetch(&f.pmap, fx_va(1), code, 1, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pf.pf_type, VM_PROT_EXECUTE);
	ASSERT_EQ(pmap_ifetch(&f.pmap, fx_va(1) - 2, code, 4, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_addr, fx_va(1));
	/* Taking execute away is seen at once. */
	pmap_protect(&f.pmap, fx_va(0), fx_va(1), VM_PROT_READ);
	ASSERT_EQ(pmap_ifetch(&f.pmap, fx_va(0), code, 1, &pf), SIGSEGV);
	fx_teardown(&f);
}

TEST(invalidation_on_this_cpu)
{
	struct pmap_fault pf;
	struct fx f;
	uint64_t v;

	fx_setup(&f);
	fx_map_all(&f, VM_PROT_ALL);
	*(uint64_t *)vm_page_data(f.m[1]) = 111;
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 1, NULL), 0);
	pmap_protect(&f.pmap, fx_va(0), fx_va(1), VM_PROT_READ);
	ASSERT_EQ(pmap_store_8(&f.pmap, fx_va(0), 2, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_ACCERR);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	ASSERT_EQ(v, 1);
	/* Another page at the same address: the old one is not used. */
	pmap_enter(&f.pmap, fx_va(0), f.m[1], VM_PROT_ALL, FALSE, NULL);
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, NULL), 0);
	ASSERT_EQ(v, 111);
	pmap_remove(&f.pmap, fx_va(0), fx_va(1));
	ASSERT_EQ(pmap_fetch_8(&f.pmap, fx_va(0), &v, &pf), SIGSEGV);
	ASSERT_EQ(pf.pf_code, SEGV_MAPERR);
	/* Pages are per pmap: the same address elsewhere is unrelated. */
	pmap_enter(&f.pmap, fx_va(0), f.m[0], VM_PROT_ALL, FALSE, NULL);
	fx_teardown(&f);
}

/* A second CPU's cached translations die with pmap_protect/remove. */
struct remote {
	struct fx	*f;
	int		phase;		/* (a) handshake */
	int		sig[3];
};

static void
remote_cpu(void *arg)
{
	struct remote *r = arg;
	uint64_t v;

	ASSERT_EQ(pmap_store_8(&r->f->pmap, fx_va(0), 5, NULL), 0);
	ASSERT_EQ(pmap_fetch_8(&r->f->pmap, fx_va(1), &v, NULL), 0);
	atomic_store_int(&r->phase, 1);
	while (atomic_load_int(&r->phase) != 2)
		lwkt_yield();
	r->sig[0] = pmap_store_8(&r->f->pmap, fx_va(0), 6, NULL);
	r->sig[1] = pmap_fetch_8(&r->f->pmap, fx_va(1), &v, NULL);
	r->sig[2] = pmap_store_8(&r->f->pmap, fx_va(2), 7, NULL);
}

TEST(invalidation_on_another_cpu)
{
	struct kthread_handle *h;
	struct remote r = { .phase = 0 };
	struct fx f;

	fx_setup_cpus(&f, 3);
	fx_map_all(&f, VM_PROT_ALL);
	r.f = &f;
	ASSERT_EQ(kthread_create(remote_cpu, &r, "remote", &h), 0);
	while (atomic_load_int(&r.phase) != 1)
		lwkt_yield();
	ASSERT_NE(f.pmap.pm_active & ~(1ULL << mycpuid), 0);
	pmap_protect(&f.pmap, fx_va(0), fx_va(1), VM_PROT_READ);
	pmap_remove(&f.pmap, fx_va(1), fx_va(2));
	atomic_store_int(&r.phase, 2);
	kthread_join(h);
	ASSERT_EQ(r.sig[0], SIGSEGV);
	ASSERT_EQ(r.sig[1], SIGSEGV);
	ASSERT_EQ(r.sig[2], 0);
	ASSERT_EQ(*(uint64_t *)vm_page_data(f.m[0]), 5);
	ASSERT_EQ(f.m[0]->dirty, VM_PAGE_BITS_ALL);	/* M folded */
	PT_AUDIT();
	fx_teardown(&f);
}

TEST_MAIN(
	TEST_ENTRY(load_store_sizes),
	TEST_ENTRY(walk_sets_accessed_and_dirty),
	TEST_ENTRY(accessed_and_dirty_set_again_after_clear),
	TEST_ENTRY(unaligned_and_crossing),
	TEST_ENTRY(copyin_copyout),
	TEST_ENTRY(fault_hook_maps_on_demand),
	TEST_ENTRY(fault_results_to_signals),
	TEST_ENTRY(bad_addresses_never_reach_the_hook),
	TEST_ENTRY(bad_physical_address_is_sigbus),
	TEST_ENTRY(atomics),
	TEST_ENTRY(instruction_fetch),
	TEST_ENTRY(invalidation_on_another_cpu),
	TEST_ENTRY(invalidation_on_this_cpu),
)
