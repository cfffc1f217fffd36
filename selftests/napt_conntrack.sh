#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# napt under a conntrack-based stateful forward filter: conntrack sees both
# directions of a translated flow with the inside address (napt translates
# inbound before conntrack and outbound after it), so replies are
# "established" and pass a filter that drops everything else.
#
#   LAN1 192.168.1.2 -- br0 [GW: nft forward: ct established accept,
#                            br0->wan0 accept, drop] wan0 203.0.113.1
#                                                   ---- 203.0.113.2 [INET]

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT
require_cmd nft

napt_topo_setup
ip netns exec "$GW" nft -f - <<'NFT' || ksft_exit_fail "nft ruleset refused"
table inet fw {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related counter accept
		iifname "br0" oifname "wan0" ct state new counter accept
	}
}
NFT
[[ -d /sys/module/nf_conntrack ]]
check_err $? "nf_conntrack is not loaded"
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
est=$(ip netns exec "$GW" nft list chain inet fw forward |
	sed -n 's/.*established,related counter packets \([0-9]*\).*/\1/p')
[[ ${est:-0} -ge 3 ]]
check_err $? "conntrack saw ${est:-0} established replies, want >= 3"
log_test "UDP, TCP, ping replies are conntrack-established"

exit "$EXIT_STATUS"
