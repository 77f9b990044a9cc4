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

# flyvm run: a script of process calls.
scripts=$(mktemp -d)
trap 'rm -rf "$scripts"' EXIT
cat >"$scripts/cow" <<'EOS'
spawn parent
mmap parent 0 0x4000 rw anon,private   # lands at the mmap hint
store parent @ 8 0x1111
fork parent child
store child @ 8 0x3333
load parent @ 8
load child @ 8
map child
info child
munmap parent @ 0x4000
load parent @ 8
mprotect child @ 0x4000 r
store child @+8 8 1
munmap child @+0x8000 0x2000
exit child
exit parent
EOS
printf 'spawn p\nfrob p\n' >"$scripts/bad"
printf 'spawn p\nmmap p 0 4096 rq anon\n' >"$scripts/badprot"
printf 'fork nobody child\n' >"$scripts/noproc"
printf 'spawn p\nmmap p 0 4096 rw private 3\nsbrk p lots\n' >"$scripts/fd"
printf 'spawn p\nmunmap p 0\n' >"$scripts/argc"
expect run_mmap_at_hint 0 '^mmap parent 0x4000 anon,private +0x8400000$' -- run -m 32M "$scripts/cow"
expect run_cow_parent_keeps 0 '^load parent 0x8400000 +0x1111$' -- run -m 32M "$scripts/cow"
expect run_cow_child_sees_own 0 '^load child 0x8400000 +0x3333$' -- run -m 32M "$scripts/cow"
expect run_map_depth 0 '0x8400000 +0x8404000 rw- rwx copy +0 default .* 1 C$' -- run -m 32M "$scripts/cow"
expect run_info 0 'child: pid 2 ppid 1 uid 1000 minflt 1 ' -- run -m 32M "$scripts/cow"
expect run_segv_maperr 0 'SIGSEGV \(SEGV_MAPERR\) at 0x8400000' -- run -m 32M "$scripts/cow"
expect run_segv_accerr 0 'SIGSEGV \(SEGV_ACCERR\) at 0x8400008' -- run -m 32M "$scripts/cow"
expect run_munmap_hole 0 'munmap child 0x8408000 0x2000 +EINVAL' -- run -m 32M "$scripts/cow"
expect run_audit 0 '^audit: consistent$' -- run -m 32M "$scripts/cow"
expect run_stdin 0 'spawn p +ok \(pid 1\)' -- run -m 32M - <<<'spawn p'
expect run_bad_command 2 'bad:2: unknown command "frob"' -- run -m 32M "$scripts/bad"
expect run_bad_prot 2 'badprot:2: bad protection "rq"' -- run -m 32M "$scripts/badprot"
expect run_no_process 2 'noproc:1: no process named "nobody"' -- run -m 32M "$scripts/noproc"
expect run_mmap_fd_ebadf 2 'mmap p 4096 private +EBADF' -- run -m 32M "$scripts/fd"
expect run_bad_number 2 'fd:3: bad number "lots"' -- run -m 32M "$scripts/fd"
expect run_arg_count 2 'argc:2: wrong number of arguments to "munmap"' -- run -m 32M "$scripts/argc"
expect run_missing_script 2 'cannot open script "/nonexistent"' -- run /nonexistent
expect run_no_script 2 'run needs one script file' -- run

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
