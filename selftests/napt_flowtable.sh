#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# napt beside an nftables flowtable (software offload) on the gateway.
#
# A flowtable forwards the packets of an established conntrack flow from
# the ingress hook of the device they arrive on straight to the output
# device's neighbour: they never reach POST_ROUTING, where napt rewrites
# the source. Conntrack knows nothing of napt's translation, so without
# napt's guard at the external device's egress (napt_nf_egress(),
# kmod/egress.c) the third packet of a LAN flow left with its inside
# source: UDP datagrams reached the internet as 192.168.1.2, and a TCP
# transfer died of the remote's RSTs. napt now translates such packets at
# the egress of the external interface (counted as "egress_xlate").
#
# INET counts, before anything else of its own sees them, the packets
# that arrive with an inside source ("leaked") and with GW's address.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
rxfile=$(mktemp)
cleanup() {
	napt_topo_cleanup
	rm -f "$rxfile"
}
trap cleanup EXIT
require_cmd nft

napt_topo_setup
ip netns exec "$GW" nft -f - <<'NFT' || ksft_exit_skip "no nftables flowtable"
table inet ft {
	flowtable f {
		hook ingress priority 0
		devices = { br0, wan0 }
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta l4proto { tcp, udp } flow add @f
		iifname "br0" counter
	}
}
NFT
ip netns exec "$INET" nft -f - <<'NFT' || ksft_exit_fail "INET's counters"
table ip watch {
	chain pre {
		type filter hook prerouting priority -500;
		ip saddr 192.168.0.0/16 counter name leaked
		ip saddr 203.0.113.1 counter name translated
	}
	counter leaked { }
	counter translated { }
}
NFT

# watch_count NAME: packets INET's counter NAME saw
watch_count() {
	ip netns exec "$INET" nft -j list counter ip watch "$1" |
		/usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
	if "counter" in o:
		print(o["counter"]["packets"])'
}

# forwarded: packets from the LAN GW's forward chain saw (the slow path;
# the replies always take it: the flowtable looks them up at wan0's
# ingress by the conntrack tuple, before napt translates them back)
forwarded() {
	ip netns exec "$GW" nft list chain inet ft forward |
		sed -n 's/^[[:space:]]*counter packets \([0-9]*\).*/\1/p'
}

# UDP: 200 datagrams of one flow, each answered (napt_udp.py --serve).
napt_udp_server "$INET" $INET_ADDR 5000
ip netns exec "$LAN1" /usr/bin/python3 - $INET_ADDR 5000 <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 40000))
s.settimeout(0.2)
for i in range(200):
	s.sendto(b"x%d" % i, (sys.argv[1], int(sys.argv[2])))
	try:
		s.recv(100)
	except socket.timeout:
		pass
PY
leaked=$(watch_count leaked)
translated=$(watch_count translated)
fwd=$(forwarded)
[[ $leaked == 0 ]]
check_err $? "UDP: $leaked datagram(s) reached INET with the inside source"
[[ $translated -ge 200 ]]
check_err $? "UDP: INET saw $translated translated datagrams, want 200"
# the flowtable did take the flow: most packets skipped the forward chain
[[ $fwd -lt 100 ]]
check_err $? "UDP: the forward chain saw $fwd packets: no offload happened"
egress=$(napt_stat egress_xlate)
[[ $egress -gt 0 ]]
check_err $? "UDP: napt translated nothing at egress ($egress)"
log_test "UDP through a flowtable leaves translated (forward chain saw $fwd of 200, egress_xlate $egress)"

# TCP: a 2 MB transfer completes; every segment leaves translated.
ip netns exec "$INET" timeout 60 socat -u \
	TCP4-LISTEN:5001,bind=$INET_ADDR,reuseaddr OPEN:"$rxfile",creat,trunc &
rx=$!
wait_local_port_listen "$INET" 5001 tcp
head -c 2000000 /dev/zero |
	ip netns exec "$LAN1" timeout 60 socat -u - TCP4:$INET_ADDR:5001
check_err $? "TCP: the transfer failed"
wait $rx
size=$(stat -c %s "$rxfile" 2>/dev/null)
[[ $size == 2000000 ]]
check_err $? "TCP: INET received ${size:-nothing} bytes, want 2000000"
leaked=$(watch_count leaked)
[[ $leaked == 0 ]]
check_err $? "TCP: $leaked packet(s) reached INET with the inside source"
[[ $(napt_stat egress_xlate) -gt $egress ]]
check_err $? "TCP: napt translated nothing at egress"
log_test "TCP through a flowtable: 2 MB arrive, nothing leaks"

# The flow's napt mapping stays alive while the flowtable carries it.
napt_has_map udp 192.168.1.2 40000 $GW_EXT 40000 dynamic
check_err $? "the UDP flow's mapping is gone"
log_test "the offloaded flow keeps its mapping"

exit "$EXIT_STATUS"
