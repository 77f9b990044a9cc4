/*
 * test_api.c - the public API: configuration, boot, shutdown, sysctl,
 * statistics, thread entry, and bad input at every call.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <flyvm/flyvm.h>

#include "harness.h"

static char console_buf[65536];
static size_t console_len;

static void
console_capture(const char *line, void *arg)
{
	size_t n = strlen(line);

	(void)arg;
	if (console_len + n < sizeof(console_buf)) {
		memcpy(console_buf + console_len, line, n);
		console_len += n;
		console_buf[console_len] = 0;
	}
}

static struct flyvm *
boot_small(uint64_t bytes)
{
	struct flyvm_config cfg;
	struct flyvm *vm = NULL;
	char err[256];

	flyvm_config_init(&cfg);
	cfg.mem_bytes = bytes;
	cfg.console = console_capture;
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
	ASSERT_NOT_NULL(vm);
	return (vm);
}

TEST(boot_prints_report_and_shuts_down)
{
	struct flyvm *vm = boot_small(64ULL << 20);

	ASSERT_STR_CONTAINS(console_buf, "real memory  = 67108864 (64 MiB)");
	ASSERT_STR_CONTAINS(console_buf, "paging thresholds");
	ASSERT_STR_CONTAINS(console_buf, "vm.max_launder");
	ASSERT_EQ(flyvm_audit(vm), 0);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

TEST(boot_twice_is_ebusy_and_reboot_works)
{
	struct flyvm_config cfg;
	struct flyvm *vm = boot_small(16ULL << 20), *vm2 = NULL;
	char err[256];

	flyvm_config_init(&cfg);
	ASSERT_EQ(flyvm_boot(&cfg, &vm2, err, sizeof(err)), EBUSY);
	ASSERT_STR_CONTAINS(err, "already booted");
	ASSERT_EQ(flyvm_shutdown(vm), 0);
	/* a stale handle is refused, not dereferenced */
	ASSERT_EQ(flyvm_shutdown(vm), EINVAL);
	vm = boot_small(32ULL << 20);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

static void
expect_boot_error(struct flyvm_config *cfg, int error, const char *msg)
{
	struct flyvm *vm = NULL;
	char err[256];

	ASSERT_EQ(flyvm_boot(cfg, &vm, err, sizeof(err)), error);
	ASSERT_NULL(vm);
	ASSERT_STR_CONTAINS(err, msg);
}

TEST(bad_configurations_are_refused_with_a_message)
{
	struct flyvm_config cfg;

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 4ULL << 20;
	expect_boot_error(&cfg, EINVAL, "accepted 8 MiB to 64 GiB");
	cfg.mem_bytes = (64ULL << 20) + 100;
	expect_boot_error(&cfg, EINVAL, "not a multiple of the page size");
	cfg.mem_bytes = 128ULL << 30;
	expect_boot_error(&cfg, EINVAL, "out of range");
	flyvm_config_init(&cfg);
	cfg.ncpus = 0;
	expect_boot_error(&cfg, EINVAL, "accepted 1 to 64");
	flyvm_config_init(&cfg);
	ASSERT_EQ(flyvm_config_set(&cfg, "vm.no_such_thing", 1), 0);
	expect_boot_error(&cfg, EINVAL, "unknown tunable \"vm.no_such_thing\"");
	flyvm_config_init(&cfg);
	ASSERT_EQ(flyvm_config_set(&cfg, "vm.pageout_memuse_mode", 9), 0);
	expect_boot_error(&cfg, EINVAL, "0..3");
	/* a failed boot leaves nothing behind: the next boot works */
	flyvm_config_init(&cfg);
	cfg.mem_bytes = 16ULL << 20;
	{
		struct flyvm *vm;
		char err[256];

		ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
		ASSERT_EQ(flyvm_shutdown(vm), 0);
	}
	ASSERT_EQ(flyvm_boot(NULL, NULL, NULL, 0), EINVAL);
}

TEST(boot_tunables_apply)
{
	struct flyvm_config cfg;
	struct flyvm *vm;
	char err[256];
	int64_t v;

	flyvm_config_init(&cfg);
	cfg.mem_bytes = 16ULL << 20;
	ASSERT_EQ(flyvm_config_set(&cfg, "vm.max_launder", 77), 0);
	ASSERT_EQ(flyvm_config_set(&cfg, "vm.prefault_pages", 4), 0);
	ASSERT_EQ(flyvm_boot(&cfg, &vm, err, sizeof(err)), 0);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.max_launder", &v), 0);
	ASSERT_EQ(v, 77);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.prefault_pages", &v), 0);
	ASSERT_EQ(v, 4);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
	/* defaults come back at the next boot */
	vm = boot_small(16ULL << 20);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.prefault_pages", &v), 0);
	ASSERT_EQ(v, 8);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

TEST(sysctl_errors)
{
	struct flyvm *vm = boot_small(16ULL << 20);
	char buf[256];
	int64_t v;

	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.nope", &v), ENOENT);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.stats.vm.v_free_count", 1), EPERM);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.pageout_memuse_mode", 4), EINVAL);
	ASSERT_EQ(flyvm_sysctl_set(vm, "vm.pageout_memuse_mode", 3), 0);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.pageout_memuse_mode", &v), 0);
	ASSERT_EQ(v, 3);
	ASSERT_EQ(flyvm_sysctl_get(vm, NULL, &v), EINVAL);
	ASSERT_EQ(flyvm_sysctl_get(NULL, "vm.max_launder", &v), EINVAL);
	ASSERT_EQ(flyvm_sysctl_describe(vm, "vm.pageout_memuse_mode", buf,
	    sizeof(buf)), 0);
	ASSERT_STR_CONTAINS(buf, "0..3");
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

TEST(vmstats_match_thresholds)
{
	struct flyvm *vm = boot_small(256ULL << 20);
	struct flyvm_vmstats st;
	int64_t v;

	ASSERT_EQ(flyvm_get_vmstats(vm, &st), 0);
	ASSERT_EQ(st.page_size, 4096);
	ASSERT_EQ(st.page_count, 65536);
	/* facts sheet 4.1: min = 64 + pages/200 */
	ASSERT_EQ(st.free_min, 64 + 65536 / 200);
	ASSERT_EQ(st.free_reserved, st.free_min * 4 / 8 + 7);
	ASSERT_EQ(st.paging_target2, st.free_min * 5);
	ASSERT_LE(st.free_count, st.page_count);
	ASSERT_GE(st.free_count, st.page_count - 512);
	ASSERT_EQ(flyvm_sysctl_get(vm, "vm.stats.vm.v_free_count", &v), 0);
	ASSERT_EQ(v, (int64_t)st.free_count);
	ASSERT_EQ(flyvm_get_vmstats(vm, NULL), EINVAL);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

TEST(thread_enter_leave_rules)
{
	struct flyvm *vm = boot_small(16ULL << 20);

	ASSERT_EQ(flyvm_thread_leave(vm), EBUSY);
	ASSERT_EQ(flyvm_thread_enter(vm, "t"), 0);
	ASSERT_EQ(flyvm_thread_enter(vm, "t"), EBUSY);
	/* cannot shut down while this thread is still entered */
	ASSERT_EQ(flyvm_shutdown(vm), EBUSY);
	ASSERT_EQ(flyvm_thread_leave(vm), 0);
	ASSERT_EQ(flyvm_thread_enter(NULL, "t"), EINVAL);
	ASSERT_EQ(flyvm_shutdown(vm), 0);
}

TEST(parse_size)
{
	uint64_t b;

	ASSERT_EQ(flyvm_parse_size("4096", &b), 0);
	ASSERT_EQ(b, 4096);
	ASSERT_EQ(flyvm_parse_size("64K", &b), 0);
	ASSERT_EQ(b, 65536);
	ASSERT_EQ(flyvm_parse_size("256M", &b), 0);
	ASSERT_EQ(b, 256ULL << 20);
	ASSERT_EQ(flyvm_parse_size("2GiB", &b), 0);
	ASSERT_EQ(b, 2ULL << 30);
	ASSERT_EQ(flyvm_parse_size("", &b), EINVAL);
	ASSERT_EQ(flyvm_parse_size("-1", &b), EINVAL);
	ASSERT_EQ(flyvm_parse_size("12Q", &b), EINVAL);
	ASSERT_EQ(flyvm_parse_size("99999999999999999999", &b), EINVAL);
	ASSERT_EQ(flyvm_parse_size("17179869184G", &b), EINVAL);
	ASSERT_EQ(flyvm_parse_size(NULL, &b), EINVAL);
}

TEST_MAIN(
	TEST_ENTRY(boot_prints_report_and_shuts_down),
	TEST_ENTRY(boot_twice_is_ebusy_and_reboot_works),
	TEST_ENTRY(bad_configurations_are_refused_with_a_message),
	TEST_ENTRY(boot_tunables_apply),
	TEST_ENTRY(sysctl_errors),
	TEST_ENTRY(vmstats_match_thresholds),
	TEST_ENTRY(thread_enter_leave_rules),
	TEST_ENTRY(parse_size),
)
