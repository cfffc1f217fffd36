#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing (as root), build napt.ko and natctl,
# boot the newest installed kernel in QEMU and run selftests/demo.sh in it:
# a LAN host, the napt gateway and an internet host in network namespaces,
# with UDP, TCP and ping going through the gateway.
#
# Environment: DEMO_KVER=KVER to pick another kernel; the VM_* variables of
# selftests/vm/run.sh (V=1 shows the guest's console).
set -uo pipefail

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TOPDIR" || exit 1

step() { printf '\n==== %s ====\n' "$*"; }
die() { printf '\nmake demo: %s\n' "$*" >&2; exit 1; }

if [[ $(id -u) == 0 ]]; then
	step "Checking the Debian packages (scripts/deps.sh)"
	scripts/deps.sh || die "installing the packages failed"
fi

KVER=${DEMO_KVER:-$(scripts/kernels.sh | tail -n 1)}
[[ -n $KVER ]] || die "no kernel with headers installed: run 'make deps' as root"

step "Building napt.ko for $KVER and natctl"
make KVERS="$KVER" all || die "the build failed (see above); the demo needs napt.ko and natctl"
[[ -f build/$KVER/napt.ko ]] || die "build/$KVER/napt.ko was not built"
[[ -x tools/natctl/natctl ]] || die "tools/natctl/natctl was not built"

step "Booting Linux $KVER in QEMU (software emulation: about 10 s)"
# run.sh streams the demo's own output (VM_STREAM=1) and speaks TAP around
# it: keep only the verdict line of the TAP.
VM_STREAM=1 VM_TIMEOUT=${VM_TIMEOUT:-300} selftests/vm/run.sh "$KVER" selftests/demo.sh |
	while IFS= read -r line; do
		case $line in
		"TAP version"* | 1..* | "# Totals:"* | "# napt selftests on"*) ;;
		"ok 1 "*) ;;
		"not ok 1 "*) printf '\nThe demo failed: %s\n' "${line#*# }" ;;
		"# $KVER: boot"*) printf '\n(%s)\n' "${line#"# "}" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
rc=${PIPESTATUS[0]}
if ((rc != 0)); then
	echo "Logs: build/vm/$KVER.console.log (console), build/vm/$KVER/logs/1-demo.log (demo output)" >&2
fi
exit "$rc"
