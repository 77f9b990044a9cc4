#!/usr/bin/env bash
# test_exports.sh LIBFLYVM - the shared library exports the flyvm_* API and
# nothing else (every internal symbol is hidden).
set -u
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^_' | sort)
bad=$(grep -v '^flyvm_' <<<"$syms")
passed=0
failed=0
if [ -z "$bad" ]; then
	echo "PASS only_flyvm_symbols_exported"
	passed=$((passed + 1))
else
	echo "FAIL only_flyvm_symbols_exported: $(echo $bad)"
	failed=$((failed + 1))
fi
for f in flyvm_boot flyvm_shutdown flyvm_get_vmstats flyvm_sysctl_get \
    flyvm_sysctl_set flyvm_thread_enter flyvm_audit \
    flyvm_proc_spawn flyvm_proc_fork flyvm_proc_exit flyvm_proc_setuid \
    flyvm_getrlimit flyvm_setrlimit flyvm_proc_list \
    flyvm_load flyvm_store flyvm_copyin flyvm_copyout flyvm_cas \
    flyvm_fetchadd flyvm_proc_map flyvm_object_info flyvm_proc_info; do
	if grep -qx "$f" <<<"$syms"; then
		passed=$((passed + 1))
	else
		echo "FAIL $f not exported"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
