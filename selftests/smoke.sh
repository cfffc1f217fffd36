#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the selftest machinery itself (no napt involved): two
# network namespaces joined by a veth pair, ping both ways and a UDP
# exchange with socat.
#
#   +---------------------+            +---------------------+
#   | ns A                |            | ns B                |
#   |   veth-a            |            |            veth-b   |
#   |   192.0.2.1/24 -----+------------+----- 192.0.2.2/24   |
#   +---------------------+            +---------------------+

# shellcheck disable=SC2317  # functions called through trap and busywait
source "$(dirname "$0")/lib.sh"

NS_A=
NS_B=

cleanup() {
	cleanup_all_ns
}
trap cleanup EXIT

require_root
require_cmd ip ping socat timeout

setup_ns NS_A NS_B || exit $?
ip link add veth-a netns "$NS_A" type veth peer name veth-b netns "$NS_B"
ip -n "$NS_A" addr add 192.0.2.1/24 dev veth-a
ip -n "$NS_B" addr add 192.0.2.2/24 dev veth-b
ip -n "$NS_A" link set veth-a up
ip -n "$NS_B" link set veth-b up

link_up() {
	ip -n "$1" -br link show dev "$2" | grep -qw UP
}
busywait "$BUSYWAIT_TIMEOUT" link_up "$NS_A" veth-a
check_err $? "veth-a did not come up"
busywait "$BUSYWAIT_TIMEOUT" link_up "$NS_B" veth-b
check_err $? "veth-b did not come up"
log_test "veth pair up"

ip netns exec "$NS_A" ping -c 1 -W 2 192.0.2.2 >/dev/null
check_err $? "ping 192.0.2.1 -> 192.0.2.2 failed"
ip netns exec "$NS_B" ping -c 1 -W 2 192.0.2.1 >/dev/null
check_err $? "ping 192.0.2.2 -> 192.0.2.1 failed"
log_test "ping both ways"

# UDP: B echoes back what it gets with a prefix; A sends one datagram.
# shellcheck disable=SC2016  # $l is for the shell socat starts
ip netns exec "$NS_B" timeout 10 socat -T 5 \
	UDP4-RECVFROM:4242,bind=192.0.2.2 SYSTEM:'read l; echo "echo:$l"' &
server=$!
wait_local_port_listen "$NS_B" 4242 udp
check_err $? "UDP server did not start"
reply=$(echo "hello-smoke" | ip netns exec "$NS_A" timeout 10 socat -t 5 -T 5 - UDP4:192.0.2.2:4242,bind=192.0.2.1)
[[ $reply == "echo:hello-smoke" ]]
check_err $? "UDP exchange: got '$reply', expected 'echo:hello-smoke'"
wait "$server" 2>/dev/null
log_test "UDP exchange with socat"

exit "$EXIT_STATUS"
