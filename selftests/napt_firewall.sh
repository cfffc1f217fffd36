#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# napt under a typical router ruleset, and mark-static, the handle the
# ruleset needs for port forwards.
#
# The ruleset (selftests/router.nft): input policy drop (lo, the LAN and
# established,related accepted), forward policy drop (established,related
# accepted, LAN to WAN accepted), counters. Conntrack sees a port
# forward's first packet as a new connection from the internet to an
# inside host, and has no "dnat" state for napt's translations: "ct
# status dnat" cannot tell it from an attack. napt's mark-static MARK/MASK marks the packets it translated
# inbound through a static mapping, before conntrack and the filter, and
# one rule accepts exactly those:
#
#	meta mark & 0x0000ff00 == 0x00000100 ct state new accept
#
# LAN1's server answers with the peer it saw, so INET learns that its
# connection reached LAN1 (and from which address it seemed to come).

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT
require_cmd nft

napt_topo_setup
ip netns exec "$GW" nft -f "$TOPDIR/selftests/router.nft" ||
	ksft_exit_fail "nft ruleset refused"

# rule_count CHAIN PATTERN: packets of the rule of CHAIN that matches
rule_count() {
	ip netns exec "$GW" nft list chain inet router "$1" |
		grep -F -- "$2" | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

# Outbound: what every other selftest does works under the ruleset.
napt_udp_server "$INET" $INET_ADDR 5000
napt_tcp_server "$INET" $INET_ADDR 5001
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "UDP: got '$seen'"
seen=$(napt_tcp_ask "$LAN1" 40001 $INET_ADDR 5001)
[[ $seen == "$GW_EXT:40001" ]]
check_err $? "TCP: got '$seen'"
in_ns "$LAN1" ping -c 1 -W 2 $INET_ADDR >/dev/null
check_err $? "ping failed"
log_test "outbound UDP, TCP, ping under the router ruleset"

# A port forward without mark-static: conntrack calls it new, dropped.
natctl -n "$GW" map add tcp 192.168.1.2:8080 ext-port 2222 desc fw ||
	ksft_exit_fail "map add failed"
napt_tcp_server "$LAN1" 192.168.1.2 8080
drop0=$(rule_count forward 'comment "dropped"')
seen=$(echo ask | ip netns exec "$INET" timeout 5 socat -T 3 - \
	TCP4:$GW_EXT:2222,connect-timeout=2 2>/dev/null)
[[ -z $seen ]]
check_err $? "the port forward passed a forward policy drop: '$seen'"
[[ $(rule_count forward 'comment "dropped"') -gt $drop0 ]]
check_err $? "the forward chain's drop counter did not count it"
log_test "without mark-static the ruleset drops a port forward"

# With mark-static the one rule lets the forward in, and nothing else.
natctl -n "$GW" set mark-static 0x100/0xff00 || ksft_exit_fail "set failed"
natctl -n "$GW" show | grep -qx "  mark-static 0x100/0xff00"
check_err $? "show: $(natctl -n "$GW" show | grep mark)"
[[ $(natctl -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
print(c["mark_static"], c["mark_static_mask"])') == "256 65280" ]]
check_err $? "show -j lacks the mark"
seen=$(echo ask | ip netns exec "$INET" timeout 10 socat -T 5 - \
	TCP4:$GW_EXT:2222,sourceport=33333 2>/dev/null)
[[ $seen == "$INET_ADDR:33333" ]]
check_err $? "the port forward: got '$seen'"
marked=$(rule_count forward 'meta mark')
[[ $marked == 1 ]]
check_err $? "the mark rule accepted $marked packets, want 1 (the SYN)"
log_test "mark-static lets exactly the port forward in"

# Dynamic mappings are not marked: an inbound packet to LAN2's mapping
# from a remote port it never talked to (full cone lets it through napt)
# is new to conntrack and stays dropped by the ruleset.
natctl -n "$GW" set mode full-cone || ksft_exit_fail "set mode failed"
napt_udp_ask "$LAN2" 41000 $INET_ADDR 5000 >/dev/null
in0=$(napt_stat in_pkts)
drop0=$(rule_count forward 'comment "dropped"')
seen=$(ip netns exec "$INET" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
	-t 2 -s 42000 $GW_EXT 41000 2>/dev/null)
[[ -z $seen ]]
check_err $? "an unsolicited datagram to a dynamic mapping passed: '$seen'"
[[ $(napt_stat in_pkts) -gt $in0 ]]
check_err $? "napt did not let it in (full cone): the test proves nothing"
[[ $(rule_count forward 'comment "dropped"') -gt $drop0 ]]
check_err $? "it was not dropped by the forward chain"
[[ $(rule_count forward 'meta mark') == 1 ]]
check_err $? "the mark rule counted a dynamic mapping's packet"
log_test "dynamic mappings are not marked"

# off: the forward is dropped again
natctl -n "$GW" set mark-static off || ksft_exit_fail "set off failed"
natctl -n "$GW" show | grep -qx "  mark-static off"
check_err $? "show after off: $(natctl -n "$GW" show | grep mark)"
seen=$(echo ask | ip netns exec "$INET" timeout 5 socat -T 3 - \
	TCP4:$GW_EXT:2222,connect-timeout=2 2>/dev/null)
[[ -z $seen ]]
check_err $? "mark-static off still lets the forward in: '$seen'"
log_test "mark-static off"

# natctl refuses what makes no sense, before the kernel does
for bad in 0x101/0xff00 1/0 -1 0x100000000 1/2/3 abc; do
	if natctl -n "$GW" set mark-static "$bad" 2>/dev/null; then
		check_err 1 "natctl accepted mark-static $bad"
	fi
done
log_test "natctl refuses bad marks"

exit "$EXIT_STATUS"
