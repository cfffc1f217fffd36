#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the Debian packages install, not the build tree: scripts/deb-check.sh
# unpacks napt-dkms and napt-tools into build/deb/root, lets DKMS build
# napt.ko there for each kernel, and make check passes that root on as
# NAPT_ROOT. Here, with the packaged natctl and the DKMS-built napt.ko:
#
# - the demo (selftests/demo.sh) runs and every exchange goes through napt;
# - the module it loaded is the packaged file (GNU build ID), not the tree's;
# - napt.service's commands with the shipped /etc/napt/napt.conf: "natctl
#   -b" of it in a namespace without its eth0 brings the gateway up waiting
#   for eth0 (natctl show says so), an eth0 that appears is taken, and
#   "natctl down" (ExecStop) removes it.
#
# Skipped (4) without NAPT_ROOT or without a packaged napt.ko for this
# kernel (the debug kernel: DKMS builds for the Debian kernels only).

[[ -n ${NAPT_ROOT:-} ]] || { echo "SKIP: NAPT_ROOT not set (make check sets it)"; exit 4; }
NATCTL=$NAPT_ROOT/usr/sbin/natctl
NAPT_KO=$NAPT_ROOT/lib/modules/$(uname -r)/updates/dkms/napt.ko
CONF=$NAPT_ROOT/etc/napt/napt.conf
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"

[[ -f $NAPT_KO ]] || ksft_exit_skip "no packaged napt.ko for $(uname -r)"
[[ -x $NATCTL && -f $CONF ]] || ksft_exit_fail "$NAPT_ROOT has no natctl or napt.conf"
trap cleanup_all_ns EXIT

# --- the demo --------------------------------------------------------------------
NAPT_ROOT=$NAPT_ROOT "$TOPDIR/selftests/demo.sh" > "${TMPDIR:-/tmp}/napt-demo.$$" 2>&1
rc=$?
sed 's/^/# demo: /' "${TMPDIR:-/tmp}/napt-demo.$$"
grep -q "natctl from ${NATCTL#"$TOPDIR"/}" "${TMPDIR:-/tmp}/napt-demo.$$"
check_err $? "the demo did not say it runs the packaged natctl"
rm -f "${TMPDIR:-/tmp}/napt-demo.$$"
[[ $rc == 0 ]]
check_err $? "demo.sh exited $rc"
log_test "the demo with the packaged natctl and napt.ko"

# The GNU build ID of the loaded module (its ELF note in sysfs: a 16-byte
# header with "GNU\0", then the ID) against the packaged file's; the
# tree's build of the same sources has another (paths differ).
note=/sys/module/napt/notes/.note.gnu.build-id
loaded=$(od -An -tx1 -v -j16 "$note" 2>/dev/null | tr -d ' \n')
want=$(readelf -n "$NAPT_KO" | sed -n 's/^ *Build ID: //p')
tree=$(readelf -n "$TOPDIR/build/$(uname -r)/napt.ko" 2>/dev/null | sed -n 's/^ *Build ID: //p')
[[ -n $loaded && $loaded == "$want" ]]
check_err $? "loaded build ID '$loaded', packaged '$want' (tree's '$tree')"
log_test "the module loaded is the DKMS-built one"

# --- napt.service's commands with the shipped configuration ----------------------
setup_ns GW
grep -qx 'up ext-if eth0 int-net 192.168.1.0/24' "$CONF"
check_err $? "napt.conf has not its documented up line"
err=$("$NATCTL" -n "$GW" -b "$CONF" 2>&1 >/dev/null)
rc=$?
[[ $rc == 0 && $err == *'interface "eth0" does not exist (yet): napt waits for it'* ]]
check_err $? "natctl -b napt.conf: exit $rc, '$err'"
"$NATCTL" -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["running"] and c["ext_if"] == "eth0" and c["ext_if_waiting"], c
'
check_err $? "show after the batch: $("$NATCTL" -n "$GW" show 2>&1)"
log_test "natctl -b napt.conf: up, waiting for eth0"

ip -n "$GW" link add eth0 type dummy && ip -n "$GW" link set eth0 up &&
	ip -n "$GW" addr add 203.0.113.7/24 dev eth0
check_err $? "cannot make eth0"
"$NATCTL" -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
assert not c["ext_if_waiting"] and c["ext_ifindex"] > 0, c
assert c["ext_addrs"] == ["203.0.113.7"], c
'
check_err $? "show after eth0 appeared: $("$NATCTL" -n "$GW" show 2>&1)"
"$NATCTL" -n "$GW" down
check_err $? "natctl down (ExecStop) failed"
"$NATCTL" -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
assert not json.load(sys.stdin)["running"]
'
check_err $? "still up after natctl down"
log_test "eth0 appears: taken; natctl down: gone"

exit "$EXIT_STATUS"
