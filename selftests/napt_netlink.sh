#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input on the control path gets a clear error, never a crash or a
# WARN: natctl's own checks, the kernel's answers to requests natctl would
# never send (napt_nl.py builds them by hand), and a seeded fuzz.
#
#   +--------------------------+
#   | NS: dummy0 (external if) |
#   +--------------------------+

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
NS=
trap cleanup_all_ns EXIT
require_root
setup_ns NS || exit $?
napt_load
ip -n "$NS" link add dummy0 type dummy
ip -n "$NS" addr add 198.51.100.1/24 dev dummy0
ip -n "$NS" link set dummy0 up

# expect_err RC PATTERN ARGS...: natctl ARGS fails with RC and PATTERN.
expect_err() {
	local want_rc=$1 pat=$2 out rc
	shift 2
	out=$(natctl -n "$NS" "$@" 2>&1)
	rc=$?
	if [[ $rc != "$want_rc" || $out != *"$pat"* || $(wc -l <<<"$out") != 1 ]]; then
		check_err 1 "natctl $*: rc=$rc '$out' (want rc=$want_rc and '$pat')"
	fi
}

expect_err 2 "ext-if" up int-net 10.0.0.0/8
expect_err 2 "int-net" up ext-if dummy0
expect_err 2 "invalid ext-if" up ext-if 0123456789abcdef int-net 10.0.0.0/8
expect_err 2 "10.0.0.1/8" up ext-if dummy0 int-net 10.0.0.1/8
expect_err 2 "bogus" up ext-if dummy0 int-net 10.0.0.0/8 bogus 1
expect_err 2 "udp-timeout" up ext-if dummy0 int-net 10.0.0.0/8 udp-timeout 12x
expect_err 2 "ports" up ext-if dummy0 int-net 10.0.0.0/8 ports 70000-80000
expect_err 2 "mode" up ext-if dummy0 int-net 10.0.0.0/8 mode cone
expect_err 1 "down" set udp-timeout 5
natctl -n "$NS" show | grep -q "napt: down"
check_err $? "a refused command changed the state"
log_test "natctl refuses bad arguments with one clear line"

# An interface that does not exist is not an error: napt waits for it
# (the boot-time case, napt_ifname.sh), and natctl says so on stderr.
out=$(natctl -n "$NS" up ext-if nosuch int-net 10.0.0.0/8 2>&1)
rc=$?
[[ $rc == 0 && $out == 'natctl: warning: interface "nosuch" does not exist (yet): napt waits for it' ]]
check_err $? "up ext-if nosuch: rc=$rc '$out'"
natctl -n "$NS" show | grep -q '^  ext-if nosuch (waiting for it) '
check_err $? "show: $(natctl -n "$NS" show)"
natctl -n "$NS" down
check_err $? "down failed"
log_test "an absent ext-if: up, waiting, with a warning"

natctl -n "$NS" up ext-if dummy0 int-net 10.0.0.0/8 ports 2000-3000
check_err $? "up failed"
expect_err 1 "port range" set ports 3000-2000
expect_err 1 "already up" up ext-if dummy0 int-net 10.0.0.0/8
expect_err 1 "fixed" set max-maps 10
natctl -n "$NS" -j show | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["running"] is True, c
assert c["port_min"] == 2000 and c["port_max"] == 3000, c
assert c["udp_timeout"] == 300 and c["tcp_timeout"] == 7440, c
assert c["tcp_trans_timeout"] == 240 and c["icmp_timeout"] == 60, c
assert c["ext_addrs"] == ["198.51.100.1"], c
assert c["int_nets"] == ["10.0.0.0/8"], c
for p in ("udp", "tcp", "icmp"):
	b = c["behaviours"][p]
	assert (b["mapping"], b["filtering"]) == ("eim", "apdf"), c
	assert b["mode"] == "port-restricted-cone", c
assert c["port_preserve"] and c["hairpin"] and c["inbound_refresh"], c
assert not c["port_parity"], c
'
check_err $? "show -j does not give the configuration and defaults"
natctl -n "$NS" down
log_test "kernel refuses bad changes; show reports the defaults"

ifindex=$(ip -n "$NS" -o link show dev dummy0 | cut -d: -f1)
ip netns exec "$NS" /usr/bin/python3 "$(dirname "$0")/napt_nl.py" "$ifindex"
check_err $? "malformed netlink requests"
log_test "malformed netlink requests answered with errno and extack"

exit "$EXIT_STATUS"
