#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 240
#
# igdd's NAT-PMP (RFC 6886) and PCP (RFC 6887) server against the real
# kernel table, in the topology of napt_topo.sh, igdd running in GW:
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW: napt, igdd] wan0 203.0.113.1 --- [INET]
#   LAN2 192.168.1.3 --+                                   203.0.113.2
#
# - natpmpc (the Debian client) maps a UDP port; INET reaches the inside
#   server through it; natctl -j map list shows it static, owner natpmp,
#   with its lease; natpmpc with lifetime 0 removes it; a 3 s lease is
#   removed by the kernel by itself; natpmpc -a 0 0 removes all;
# - a port already forwarded by UPnP or by the administrator: NAT-PMP
#   gets another external port, the other mapping is untouched;
# - PCP MAP from igdd_pcp.py (raw PCP): SUCCESS with the port asked,
#   owner pcp and the nonce as cookie in the kernel; a refresh or delete
#   with another nonce gets NOT_AUTHORIZED; the same nonce renews and then
#   deletes; PREFER_FAILURE on a held port: CANNOT_PROVIDE_EXTERNAL;
#   THIRD_PARTY refused (NOT_AUTHORIZED); a wrong client address field:
#   ADDRESS_MISMATCH; ANNOUNCE answered; PCP and NAT-PMP refuse each
#   other's mappings of the same inside endpoint;
# - malformed NAT-PMP and PCP datagrams get the RFC's error answers or are
#   dropped, and igdd keeps serving.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"

IGDD=${IGDD:-$TOPDIR/tools/igdd/igdd}
PCPCLI=$TOPDIR/selftests/igdd_pcp.py
TMP=
IGDD_PID=

cleanup() {
	[[ -n $IGDD_PID ]] && kill "$IGDD_PID" 2>/dev/null && wait "$IGDD_PID" 2>/dev/null
	napt_topo_cleanup
	[[ -n $TMP ]] && rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $IGDD ]] || ksft_exit_skip "$IGDD not built (make tools)"
require_cmd natpmpc

# pcp NS ARGS...: igdd_pcp.py from namespace NS towards the gateway
pcp() {
	local ns=$1
	shift
	ip netns exec "$ns" /usr/bin/python3 "$PCPCLI" 192.168.1.1 "$@"
}

# natpmp NS ARGS...: natpmpc from NS, gateway given
natpmp() {
	local ns=$1
	shift
	ip netns exec "$ns" timeout 60 natpmpc -g 192.168.1.1 "$@" 2>&1
}

# map_field PROTO EXT_PORT FIELD: one field of the mapping on EXT_PORT
# ("none" when there is no such mapping)
map_field() {
	napt_maps_json "$1" | /usr/bin/python3 -c '
import json, sys
proto, port, field = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for m in json.load(sys.stdin):
    if m["proto"] == proto and m["ext_port"] == port and m["type"] == "static":
        v = m.get(field)
        print("null" if v is None else v)
        break
else:
    print("none")
' "$1" "$2" "$3"
}
no_map() { [[ $(map_field "$1" "$2" owner) == none ]]; }	# PROTO EXT_PORT

igdd_alive() { kill -0 "$IGDD_PID" 2>/dev/null; }

napt_topo_setup max-maps 1024	# the sweeper visits every bucket each second
TMP=$(mktemp -d)
cat >"$TMP/igdd.conf" <<EOF
natpmp yes
pcp yes
third-party no
min-lifetime 1
max-lease 86400
EOF
ip netns exec "$GW" "$IGDD" -d -i br0 -e wan0 -f "$TMP/igdd.conf" \
	>"$TMP/igdd.log" 2>&1 &
IGDD_PID=$!
if ! wait_local_port_listen "$GW" 5351 udp; then
	cat "$TMP/igdd.log"
	ksft_exit_fail "igdd does not listen on UDP 5351"
fi
# inside servers answering with the source they saw
napt_udp_server "$LAN1" 0.0.0.0 5000
napt_udp_server "$LAN2" 0.0.0.0 5000

##############################################################################
# NAT-PMP with natpmpc

out=$(natpmp "$LAN1")
[[ $out == *"Public IP address : $GW_EXT"* ]]
check_err $? "natpmpc: no external address: $out"
log_test "NAT-PMP: external address"

out=$(natpmp "$LAN1" -a 15000 5000 udp 600)
check_err $? "natpmpc -a 15000 5000 udp 600 failed: $out"
[[ $out == *"Mapped public port 15000 protocol UDP to local port 5000 liftime 600"* ]]
check_err $? "natpmpc said: $out"
[[ $(map_field udp 15000 owner) == natpmp &&
   $(map_field udp 15000 int_addr) == 192.168.1.2 &&
   $(map_field udp 15000 int_port) == 5000 &&
   $(map_field udp 15000 lease) == 600 ]]
check_err $? "udp 15000: owner $(map_field udp 15000 owner) int $(map_field udp 15000 int_addr):$(map_field udp 15000 int_port) lease $(map_field udp 15000 lease)"
out=$(napt_udp_ask "$INET" 7777 "$GW_EXT" 15000)
[[ $out == "$INET_ADDR:7777" ]]
check_err $? "INET through 15000 got '$out'"
log_test "NAT-PMP: natpmpc maps UDP 15000, owner natpmp, INET gets in"

# the same request again renews it, and keeps one mapping
natpmp "$LAN1" -a 15000 5000 udp 900 >/dev/null
check_err $? "natpmpc renewal failed"
[[ $(map_field udp 15000 lease) == 900 ]]
check_err $? "renewed lease $(map_field udp 15000 lease), expected 900"
out=$(natpmp "$LAN1" -a 15000 5000 udp 0)
check_err $? "natpmpc lifetime 0 failed: $out"
no_map udp 15000
check_err $? "udp 15000 still listed after lifetime 0"
out=$(ip netns exec "$INET" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
	-t 2 -s 7778 "$GW_EXT" 15000 2>/dev/null)
[[ -z $out ]]
check_err $? "INET still gets in after the delete: '$out'"
log_test "NAT-PMP: renew, then lifetime 0 unmaps"

out=$(natpmp "$LAN1" -a 15001 5001 tcp 3)
check_err $? "natpmpc -a 15001 5001 tcp 3 failed: $out"
[[ $(map_field tcp 15001 lease) == 3 ]]
check_err $? "tcp 15001 lease $(map_field tcp 15001 lease), expected 3"
slowwait 20 no_map tcp 15001
check_err $? "tcp 15001 not expired by the kernel"
log_test "NAT-PMP: a 3 s lease expires in the kernel"

natpmp "$LAN1" -a 15010 5010 udp 600 >/dev/null &&
	natpmp "$LAN1" -a 15011 5011 udp 600 >/dev/null &&
	natpmp "$LAN1" -a 15012 5012 tcp 600 >/dev/null
check_err $? "natpmpc: three mappings"
natpmp "$LAN2" -a 15013 5013 udp 600 >/dev/null
check_err $? "natpmpc from LAN2"
out=$(natpmp "$LAN1" -a 0 0 udp 0)
check_err $? "natpmpc -a 0 0 udp 0 failed: $out"
no_map udp 15010 && no_map udp 15011
check_err $? "LAN1's UDP mappings still listed"
[[ $(map_field tcp 15012 owner) == natpmp && $(map_field udp 15013 owner) == natpmp ]]
check_err $? "delete-all took LAN1's TCP or LAN2's mapping too"
log_test "NAT-PMP: internal port 0, lifetime 0 removes the client's UDP mappings only"

##############################################################################
# Conflicts with UPnP and the administrator

natctl -n "$GW" map add udp 192.168.1.3:6000 ext-port 16000 owner upnp desc upnp >/dev/null
check_err $? "natctl map add ... owner upnp failed"
natctl -n "$GW" map add tcp 192.168.1.3:6001 ext-port 16001 >/dev/null
check_err $? "natctl map add tcp ... 16001 failed"
out=$(natpmp "$LAN1" -a 16000 6000 udp 600)
check_err $? "natpmpc on a UPnP-held port failed: $out"
port=$(sed -n 's/.*Mapped public port \([0-9]*\) protocol UDP.*/\1/p' <<<"$out")
[[ -n $port && $port != 16000 ]]
check_err $? "NAT-PMP got port '$port' on the UPnP-held 16000: $out"
[[ $(map_field udp 16000 owner) == upnp && $(map_field udp 16000 int_addr) == 192.168.1.3 ]]
check_err $? "the UPnP mapping changed: $(map_field udp 16000 owner) $(map_field udp 16000 int_addr)"
[[ -n $port && $(map_field udp "$port" owner) == natpmp ]]
check_err $? "NAT-PMP's port $port not listed as natpmp"
out=$(natpmp "$LAN1" -a 16001 6001 tcp 600)
port=$(sed -n 's/.*Mapped public port \([0-9]*\) protocol TCP.*/\1/p' <<<"$out")
[[ -n $port && $port != 16001 && $(map_field tcp 16001 owner) == admin ]]
check_err $? "NAT-PMP on the admin's 16001 got '$port': $out"
log_test "NAT-PMP: a port held by UPnP or the admin: another port, theirs kept"

##############################################################################
# PCP MAP

N1=0102030405060708090a0b0c
N2=a1a2a3a4a5a6a7a8a9aaabac
out=$(pcp "$LAN1" map udp 7000 17000 600 $N1)
[[ $out == "result=0 lifetime=600 port=17000 addr=$GW_EXT "* ]]
check_err $? "PCP MAP: $out"
[[ $(map_field udp 17000 owner) == pcp && $(map_field udp 17000 cookie) == "$N1" &&
   $(map_field udp 17000 int_port) == 7000 ]]
check_err $? "udp 17000: owner $(map_field udp 17000 owner) cookie $(map_field udp 17000 cookie)"
napt_udp_server "$LAN1" 0.0.0.0 7000
out=$(napt_udp_ask "$INET" 7779 "$GW_EXT" 17000)
[[ $out == "$INET_ADDR:7779" ]]
check_err $? "INET through 17000 got '$out'"
log_test "PCP: MAP granted, owner pcp, nonce as cookie, INET gets in"

out=$(pcp "$LAN1" map udp 7000 17000 600 $N2)
[[ $out == "result=2 "* ]]
check_err $? "refresh with another nonce: $out"
out=$(pcp "$LAN1" map udp 7000 0 0 $N2)
[[ $out == "result=2 "* && $(map_field udp 17000 owner) == pcp ]]
check_err $? "delete with another nonce: $out"
out=$(pcp "$LAN1" map udp 7000 17005 1200 $N1)
[[ $out == "result=0 lifetime=1200 port=17000 "* && $(map_field udp 17000 lease) == 1200 ]]
check_err $? "renewal with the nonce: $out, lease $(map_field udp 17000 lease)"
out=$(pcp "$LAN1" map udp 7000 0 0 $N1)
[[ $out == "result=0 lifetime=0 "* ]] && no_map udp 17000
check_err $? "delete with the nonce: $out"
log_test "PCP: another nonce NOT_AUTHORIZED; the nonce renews and deletes"

out=$(pcp "$LAN1" map udp 7001 16000 600 $N1 --prefer-failure)
[[ $out == "result=11 lifetime=30 "* ]]
check_err $? "PREFER_FAILURE on UPnP's 16000: $out"
out=$(pcp "$LAN1" map udp 7001 16000 600 $N1)
port=$(sed -n 's/.* port=\([0-9]*\) .*/\1/p' <<<"$out")
[[ $out == "result=0 "* && $port != 16000 ]]
check_err $? "without PREFER_FAILURE: $out"
out=$(pcp "$LAN1" map udp 7002 17002 600 $N1 --third-party 192.168.1.3)
[[ $out == "result=2 lifetime=1800 "* ]]
check_err $? "THIRD_PARTY: $out"
out=$(pcp "$LAN1" map udp 7003 17003 600 $N1 --client 192.168.1.3)
[[ $out == "result=12 "* ]]
check_err $? "client address field of another host: $out"
no_map udp 17002 && no_map udp 17003
check_err $? "a refused request left a mapping"
out=$(pcp "$LAN1" map 132 7004 0 600 $N1)
[[ $out == "result=9 "* ]]
check_err $? "SCTP: $out"
out=$(pcp "$LAN1" announce)
[[ $out == "result=0 lifetime=0 "*" len=24 op=0x80 version=2" ]]
check_err $? "ANNOUNCE: $out"
log_test "PCP: PREFER_FAILURE, THIRD_PARTY, ADDRESS_MISMATCH, UNSUPP_PROTOCOL, ANNOUNCE"

# PCP and NAT-PMP do not touch each other's mappings of one inside endpoint
out=$(natpmp "$LAN1" -a 0 7001 udp 0)
[[ $out == *"not authorized"* || $out == *"FAILED"* ]]
check_err $? "NAT-PMP deleted PCP's mapping: $out"
[[ $(map_field udp "$port" owner) == pcp ]]
check_err $? "PCP mapping on $port gone"
natpmp "$LAN1" -a 15020 5020 udp 600 >/dev/null
out=$(pcp "$LAN1" map udp 5020 0 0 $N1)
[[ $out == "result=2 "* && $(map_field udp 15020 owner) == natpmp ]]
check_err $? "PCP deleted NAT-PMP's mapping: $out"
log_test "PCP and NAT-PMP refuse each other's inside endpoints"

##############################################################################
# Malformed datagrams

C=00000000000000000000ffffc0a80102	# ::ffff:192.168.1.2
out=$(pcp "$LAN1" raw 02010000 00000e10 c0a80102)
[[ ${out:0:8} == 02810003 && ${#out} == 48 ]]
check_err $? "PCP 12 bytes: $out"
out=$(pcp "$LAN1" rawlen 2 1 1104)
[[ $out == "1100 02810003" ]]
check_err $? "PCP 1104 bytes: $out"
out=$(pcp "$LAN1" raw 0301 0000 00000000 $C)
[[ ${out:0:8} == 02810001 ]]
check_err $? "version 3: $out"
out=$(pcp "$LAN1" raw 0202 0000 00000000 $C)
[[ ${out:0:8} == 02820004 ]]
check_err $? "PEER (unsupported): $out"
out=$(pcp "$LAN1" raw 0200 0000 00000000 $C c800ffff)
[[ ${out:0:8} == 02800006 ]]
check_err $? "option length past the end: $out"
out=$(pcp "$LAN1" raw 0200 0000 00000000 $C 32000000)
[[ ${out:0:8} == 02800005 ]]
check_err $? "unknown mandatory option: $out"
out=$(pcp "$LAN1" raw 0003 0000 1234)
[[ $out == 008300051234 ]]
check_err $? "NAT-PMP opcode 3: $out"
out=$(pcp "$LAN1" -t 1 raw 0001 0000 1388)
[[ $out == none ]]
check_err $? "truncated NAT-PMP map answered: $out"
out=$(pcp "$LAN1" -t 1 raw 0281 0000 00000000 $C)
[[ $out == none ]]
check_err $? "a PCP response (R bit) answered: $out"
out=$(pcp "$LAN1" -t 1 raw 02)
[[ $out == none ]]
check_err $? "1 byte answered: $out"
igdd_alive
check_err $? "igdd died"
out=$(natpmp "$LAN2" -a 15030 5000 udp 600)
[[ $out == *"Mapped public port 15030 protocol UDP to local port 5000"* ]]
check_err $? "igdd no longer serves: $out"
out=$(napt_udp_ask "$INET" 7780 "$GW_EXT" 15030)
[[ $out == "$INET_ADDR:7780" ]]
check_err $? "INET through 15030 got '$out'"
log_test "malformed NAT-PMP/PCP: error answers or dropped; igdd keeps serving"

if [[ $EXIT_STATUS != 0 ]]; then
	echo "--- igdd log"
	cat "$TMP/igdd.log"
fi
exit "$EXIT_STATUS"
