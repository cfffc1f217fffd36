#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Basic NAPT through the gateway (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   LAN2 192.168.1.3 --+
#
# - UDP, TCP and ping from the LAN with the source rewritten to
#   203.0.113.1 and the source port preserved;
# - the mapping listed by natctl -j map list;
# - two inside hosts with the same source port each get their own reply;
# - unsolicited inbound and inbound from a remote the inside host never sent
#   to (port-restricted cone, the default) dropped and counted;
# - the gateway's own services and own traffic unaffected;
# - bulk TCP (GSO, checksum offload) and fragmented UDP intact;
# - IPv6 passes untouched.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

napt_topo_setup
napt_udp_server "$INET" $INET_ADDR 5000
napt_tcp_server "$INET" $INET_ADDR 5001

# UDP, port preserved
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "UDP: INET saw '$seen', expected $GW_EXT:40000"
napt_has_map udp 192.168.1.2 40000 $GW_EXT 40000 dynamic
check_err $? "UDP mapping not listed: $(napt_maps_json)"
log_test "UDP source translated, port preserved, mapping listed"

# TCP, port preserved
seen=$(napt_tcp_ask "$LAN1" 40001 $INET_ADDR 5001)
[[ $seen == "$GW_EXT:40001" ]]
check_err $? "TCP: INET saw '$seen', expected $GW_EXT:40001"
napt_has_map tcp 192.168.1.2 40001 $GW_EXT 40001 dynamic
check_err $? "TCP mapping not listed: $(napt_maps_json)"
log_test "TCP source translated, port preserved, mapping listed"

# ping: the echo identifier is the mapped "port"
in_ns "$LAN1" ping -c 2 -W 2 $INET_ADDR >/dev/null
check_err $? "ping from LAN1 to INET failed"
[[ $(napt_maps_json icmp | /usr/bin/python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m) and m[0]["int_addr"])') == 192.168.1.2 ]]
check_err $? "ICMP mapping not listed: $(napt_maps_json icmp)"
log_test "ping through the NAT, ICMP mapping listed"

# Two inside hosts, same source port: distinct external ports, each its reply
a=$(napt_udp_ask "$LAN1" 41000 $INET_ADDR 5000)
b=$(napt_udp_ask "$LAN2" 41000 $INET_ADDR 5000)
[[ $a == "$GW_EXT:41000" ]]
check_err $? "LAN1 got '$a', expected $GW_EXT:41000"
[[ $b == "$GW_EXT:"* && $b != "$GW_EXT:41000" ]]
check_err $? "LAN2 got '$b', expected another port of $GW_EXT"
bport=${b#*:}
napt_has_map udp 192.168.1.3 41000 $GW_EXT "$bport" dynamic
check_err $? "LAN2's mapping to port $bport not listed"
a=$(napt_tcp_ask "$LAN1" 41001 $INET_ADDR 5001)
b=$(napt_tcp_ask "$LAN2" 41001 $INET_ADDR 5001)
[[ $a == "$GW_EXT:41001" && $b == "$GW_EXT:"* && $b != "$a" ]]
check_err $? "TCP: LAN1 got '$a', LAN2 got '$b'"
log_test "two inside hosts with the same source port"

# Unsolicited inbound to a NAT port: dropped and counted, never delivered.
in_ns "$LAN1" timeout 20 socat -u UDP4-RECV:42000 OPEN:/tmp/napt_basic.recv,creat,trunc &
wait_local_port_listen "$LAN1" 42000 udp
before=$(napt_stat drop_no_mapping)
echo intruder | in_ns "$INET" socat -u - UDP4:$GW_EXT:42000
stat_over() { [[ $(napt_stat "$1") -gt $2 ]]; }
busywait 3000 stat_over drop_no_mapping "$before"
check_err $? "drop_no_mapping did not count the unsolicited datagram"
log_test "unsolicited inbound dropped and counted"

# Port-restricted cone: LAN1 talked to INET:5000 from 40000; INET:6000 may
# not answer to 203.0.113.1:40000.
before=$(napt_stat drop_filtered)
napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000 >/dev/null
echo intruder | in_ns "$INET" socat -u - UDP4:$GW_EXT:40000,sourceport=6000
busywait 3000 stat_over drop_filtered "$before"
check_err $? "drop_filtered did not count the datagram from another port"
sleep 0.5
[[ ! -s /tmp/napt_basic.recv ]]
check_err $? "an unsolicited datagram reached the LAN"
rm -f /tmp/napt_basic.recv
log_test "inbound from another remote port filtered (APDF) and counted"

# The gateway's own services and traffic.
ip netns exec "$GW" socat UDP4-RECVFROM:2000,bind=$GW_EXT,fork SYSTEM:'echo gw-udp' &
ip netns exec "$GW" socat -t 30 TCP4-LISTEN:2222,bind=$GW_EXT,reuseaddr,fork SYSTEM:'echo gw-tcp' &
wait_local_port_listen "$GW" 2000 udp
wait_local_port_listen "$GW" 2222 tcp
r=$(in_ns "$INET" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" $GW_EXT 2000)
[[ $r == gw-udp ]]
check_err $? "UDP service on the gateway: got '$r'"
r=$(echo x | in_ns "$INET" timeout 60 socat -t 30 -T 30 - TCP4:$GW_EXT:2222)
[[ $r == gw-tcp ]]
check_err $? "TCP service on the gateway: got '$r'"
r=$(napt_udp_ask "$GW" 43000 $INET_ADDR 5000)
[[ $r == "$GW_EXT:43000" ]]
check_err $? "the gateway's own UDP client got '$r'"
in_ns "$INET" ping -c 1 -W 2 $GW_EXT >/dev/null
check_err $? "ping to the gateway failed"
in_ns "$GW" ping -c 1 -W 2 $INET_ADDR >/dev/null
check_err $? "ping from the gateway failed"
log_test "gateway's own services and traffic unaffected"

# Never a port a local socket of the gateway holds.
ip netns exec "$GW" socat -u UDP4-RECV:45000 /dev/null &
wait_local_port_listen "$GW" 45000 udp
r=$(napt_udp_ask "$LAN1" 45000 $INET_ADDR 5000)
[[ $r == "$GW_EXT:"* && $r != "$GW_EXT:45000" ]]
check_err $? "mapping took port 45000 held by a gateway socket: '$r'"
log_test "a port held by a gateway socket is not preserved"

# A UDP datagram without checksum keeps none (a wrong one would be dropped).
in_ns "$INET" timeout 30 socat -u UDP4-RECV:5004,bind=$INET_ADDR OPEN:/tmp/napt_basic.zero,creat,trunc &
wait_local_port_listen "$INET" 5004 udp
in_ns "$LAN1" /usr/bin/python3 "$TOPDIR/selftests/napt_rawudp.py" \
	192.168.1.2 46000 $INET_ADDR 5004 zero-csum
slowwait 15 grep -q zero-csum /tmp/napt_basic.zero
check_err $? "UDP datagram with zero checksum not delivered"
log_test "UDP zero checksum stays valid"

# Bulk TCP: GSO packets with CHECKSUM_PARTIAL cross the translator.
head -c 4000000 /dev/urandom >/tmp/napt_basic.blob
in_ns "$INET" timeout 30 socat -u TCP4-LISTEN:5002,bind=$INET_ADDR,reuseaddr \
	OPEN:/tmp/napt_basic.got,creat,trunc &
sink=$!
wait_local_port_listen "$INET" 5002 tcp
in_ns "$LAN1" timeout 30 socat -u OPEN:/tmp/napt_basic.blob TCP4:$INET_ADDR:5002
check_err $? "bulk TCP send failed"
wait $sink
cmp -s /tmp/napt_basic.blob /tmp/napt_basic.got
check_err $? "bulk TCP data corrupted"
log_test "bulk TCP (GSO, offloaded checksums) intact"

# Fragmented UDP both ways: the gateway reassembles, translates, refragments.
in_ns "$INET" timeout 20 /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("203.0.113.2", 5003))
data, peer = s.recvfrom(65536)
s.sendto(data, peer)
' &
wait_local_port_listen "$INET" 5003 udp
head -c 4000 /dev/urandom | base64 -w0 >/tmp/napt_basic.big
r=$(in_ns "$LAN1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
	-t 10 -s 44000 -f /tmp/napt_basic.big $INET_ADDR 5003)
[[ $r == "$(cat /tmp/napt_basic.big)" ]]
check_err $? "fragmented UDP echo lost or corrupted (${#r} bytes back)"
log_test "fragmented UDP translated both ways"
rm -f /tmp/napt_basic.*

# IPv6 is not napt's business: it passes untouched.
ip -n "$GW" addr add 2001:db8:1::1/64 dev br0 nodad
ip -n "$GW" addr add 2001:db8:2::1/64 dev wan0 nodad
ip -n "$LAN1" addr add 2001:db8:1::2/64 dev eth0 nodad
ip -n "$LAN1" -6 route add default via 2001:db8:1::1
ip -n "$INET" addr add 2001:db8:2::2/64 dev eth0 nodad
ip -n "$INET" -6 route add default via 2001:db8:2::1
ip netns exec "$GW" sysctl -qw net.ipv6.conf.all.forwarding=1
slowwait 5 in_ns "$LAN1" ping -6 -c 1 -W 1 2001:db8:2::2 >/dev/null
check_err $? "IPv6 ping through the gateway failed"
log_test "IPv6 passes untouched"

exit "$EXIT_STATUS"
