#!/usr/bin/env bash
# setup.sh - install what flyvm needs to build and test, from Debian's
# packages, when it is missing.  Quiet and quick when everything is there.
set -euo pipefail

need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v make >/dev/null 2>&1 || need+=(make)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/include/bsd/sys/tree.h ] || need+=(libbsd-dev)
# Sanitizer runtimes for the asan and tsan flavours.
ls /usr/lib/x86_64-linux-gnu/libasan.so.* >/dev/null 2>&1 || need+=(libasan8)
ls /usr/lib/x86_64-linux-gnu/libubsan.so.* >/dev/null 2>&1 || need+=(libubsan1)
ls /usr/lib/x86_64-linux-gnu/libtsan.so.* >/dev/null 2>&1 || need+=(libtsan2)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi

echo "setup: installing ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "setup: need root (or sudo) to install: ${need[*]}" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
