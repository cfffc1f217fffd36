#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Only CAP_NET_ADMIN may change napt or list its mappings; anyone may read
# the configuration and counters.
#
#   +--------------------------+
#   | NS: dummy0 (external if) |
#   +--------------------------+

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
NS=
trap cleanup_all_ns EXIT
require_root
require_cmd setpriv
setup_ns NS || exit $?
napt_load
ip -n "$NS" link add dummy0 type dummy
ip -n "$NS" addr add 198.51.100.1/24 dev dummy0
ip -n "$NS" link set dummy0 up

nobody() {
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$NATCTL" "$@"
}

out=$(nobody up ext-if dummy0 int-net 10.0.0.0/8 2>&1)
rc=$?
[[ $rc == 1 && $out == *"Operation not permitted"* ]]
check_err $? "unprivileged up: rc=$rc '$out'"
natctl -n "$NS" show | grep -q "napt: down"
check_err $? "the refused up changed the state"
log_test "unprivileged up refused"

natctl -n "$NS" up ext-if dummy0 int-net 10.0.0.0/8
check_err $? "privileged up failed"
for cmd in "down" "set udp-timeout 5" "map flush" "map list"; do
	# shellcheck disable=SC2086
	out=$(nobody $cmd 2>&1)
	rc=$?
	[[ $rc == 1 && $out == *"Operation not permitted"* ]]
	check_err $? "unprivileged '$cmd': rc=$rc '$out'"
done
natctl -n "$NS" show | grep -q "napt: up"
check_err $? "napt went down"
log_test "unprivileged down, set, flush and map list refused"

nobody show | grep -q "napt: up"
check_err $? "unprivileged show failed"
nobody -j stats | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)["out_pkts"]'
check_err $? "unprivileged stats failed"
log_test "unprivileged show and stats allowed"

exit "$EXIT_STATUS"
