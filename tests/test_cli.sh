#!/usr/bin/env bash
# test_cli.sh FLYVM - the command-line tool: its main job, sysctl, and a
# clear message (and exit status) for every kind of mistake.
set -u
flyvm=$1
passed=0
failed=0

# expect NAME STATUS PATTERN -- ARGS...: run flyvm ARGS, require the exit
# status and a line of combined output matching PATTERN (grep -E).
expect() {
	local name=$1 status=$2 pattern=$3
	shift 4
	local out rc
	out=$("$flyvm" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$status" ] && grep -qE -- "$pattern" <<<"$out"; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (status $rc, wanted $status; pattern '$pattern')"
		echo "$out" | head -20 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

expect help 0 '^Commands:' -- help
expect no_command 2 'usage: flyvm' --
expect unknown_command 2 'unknown command "frob"' -- frob
expect boot 0 'audit: consistent' -- boot -m 32M
expect boot_report 0 'paging thresholds \(pages\): reserved' -- boot -m 32M -c 1
expect boot_thresholds_256m 0 'min 391 wait 782 start 1173 target1 1564 target2 1955' -- boot
expect boot_tunable 0 'vm.max_launder +99' -- boot -m 16M -o vm.max_launder=99
expect boot_too_small 1 'accepted 8 MiB to 64 GiB' -- boot -m 4M
expect boot_not_page_multiple 1 'not a multiple of the page size' -- boot -m 16777217
expect boot_bad_size 2 'bad memory size "lots"' -- boot -m lots
expect boot_bad_cpus 2 'bad CPU count "0"' -- boot -c 0
expect boot_unknown_tunable 1 'unknown tunable "vm.nope"' -- boot -o vm.nope=1
expect boot_tunable_range 1 'vm.pageout_memuse_mode=7 refused: .*0\.\.3' -- boot -o vm.pageout_memuse_mode=7
expect boot_bad_assign 2 'expected NAME=INTEGER' -- boot -o vm.max_launder
expect sysctl_one 0 '^vm.prefault_pages: 8$' -- sysctl -m 16M vm.prefault_pages
expect sysctl_set 0 '^vm.prefault_pages: 3$' -- sysctl -m 16M vm.prefault_pages=3
expect sysctl_all 0 '^vm.stats.vm.v_page_count: 4096$' -- sysctl -m 16M -a
expect sysctl_describe 0 'range|accepts' -- sysctl -m 16M -d vm.max_launder
expect sysctl_unknown 1 'unknown sysctl "vm.nope"' -- sysctl -m 16M vm.nope
expect sysctl_readonly 1 'read-only' -- sysctl -m 16M vm.stats.vm.v_free_count=1
expect sysctl_range 1 'out of range' -- sysctl -m 16M vm.pageout_memuse_mode=9
expect sysctl_no_args 2 'needs -a or at least one NAME' -- sysctl

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
