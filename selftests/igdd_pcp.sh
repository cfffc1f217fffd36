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
require_cmd natpmpc jq

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

# snap: read the static mappings from natctl -j map list into SNAP, one
# "PROTO EXT_PORT OWNER INT_ADDR:INT_PORT LEASE COOKIE" a line (jq, not
# python: a TCG guest on a loaded host starts python slowly)
SNAP=
snap() {
	SNAP=$(natctl -n "$GW" -j map list | jq -r '.[] | select(.type == "static") |
		"\(.proto) \(.ext_port) \(.owner) \(.int_addr):\(.int_port) \(.lease) \(.cookie)"')
}
# sinfo PROTO EXT_PORT: "OWNER INT_ADDR:INT_PORT LEASE COOKIE" of that
# mapping in SNAP, "none" if there is none
sinfo() {
	local p e rest

	while read -r p e rest; do
		[[ $p == "$1" && $e == "$2" ]] && { echo "$rest"; return; }
	done <<<"$SNAP"
	echo none
}
minfo() { snap; sinfo "$@"; }	# PROTO EXT_PORT, freshly read
no_map() { [[ $(minfo "$1" "$2") == none ]]; }	# PROTO EXT_PORT

igdd_alive() { kill -0 "$IGDD_PID" 2>/dev/null; }

napt_topo_setup max-maps 1024	# the sweeper visits every bucket each second
TMP=$(mktemp -d)
chmod 755 "$TMP"	# igdd, as nobody, rereads its configuration on SIGHUP
cat >"$TMP/igdd.conf" <<EOF
natpmp yes
pcp yes
third-party no
min-lifetime 1
max-lease 86400
EOF
ip netns exec "$GW" "$IGDD" -u nobody -d -i br0 -e wan0 -f "$TMP/igdd.conf" \
	>"$TMP/igdd.log" 2>&1 &
IGDD_PID=$!
if ! wait_local_port_listen "$GW" 5351 udp; then
	cat "$TMP/igdd.log"
	ksft_exit_fail "igdd does not listen on UDP 5351"
fi
# inside servers answering with the source they saw
napt_udp_server "$LAN1" 0.0.0.0 5000
napt_udp_server "$LAN1" 0.0.0.0 7000
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
info=$(minfo udp 15000)
[[ $info == "natpmp 192.168.1.2:5000 600 null" ]]
check_err $? "udp 15000 listed as '$info'"
out=$(napt_udp_ask "$INET" 7777 "$GW_EXT" 15000)
[[ $out == "$INET_ADDR:7777" ]]
check_err $? "INET through 15000 got '$out'"
log_test "NAT-PMP: natpmpc maps UDP 15000, owner natpmp, INET gets in"

# the same request again renews it, and keeps one mapping
out=$(natpmp "$LAN1" -a 15000 5000 udp 900)
check_err $? "natpmpc renewal failed: $out"
info=$(minfo udp 15000)
[[ $info == "natpmp 192.168.1.2:5000 900 null" ]]
check_err $? "renewed: '$info', expected lease 900"
out=$(natpmp "$LAN1" -a 15000 5000 udp 0)
check_err $? "natpmpc lifetime 0 failed: $out"
no_map udp 15000
check_err $? "udp 15000 still listed after lifetime 0"
log_test "NAT-PMP: renew, then lifetime 0 unmaps"

out=$(natpmp "$LAN1" -a 15001 5001 tcp 3)
check_err $? "natpmpc -a 15001 5001 tcp 3 failed: $out"
[[ $out == *"Mapped public port 15001 protocol TCP to local port 5001 liftime 3"* ]]
check_err $? "natpmpc said: $out"
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
snap
[[ $(sinfo udp 15010) == none && $(sinfo udp 15011) == none ]]
check_err $? "LAN1's UDP mappings still listed"
[[ $(sinfo tcp 15012) == "natpmp "* && $(sinfo udp 15013) == "natpmp 192.168.1.3:"* ]]
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
snap
info=$(sinfo udp 16000)
[[ $info == "upnp 192.168.1.3:6000 null null" ]]
check_err $? "the UPnP mapping changed: '$info'"
info=$(sinfo udp "$port")
[[ -n $port && $info == "natpmp 192.168.1.2:6000 600 null" ]]
check_err $? "NAT-PMP's port $port listed as '$info'"
out=$(natpmp "$LAN1" -a 16001 6001 tcp 600)
port=$(sed -n 's/.*Mapped public port \([0-9]*\) protocol TCP.*/\1/p' <<<"$out")
[[ -n $port && $port != 16001 && $(minfo tcp 16001) == "admin 192.168.1.3:6001 "* ]]
check_err $? "NAT-PMP on the admin's 16001 got '$port': $out"
log_test "NAT-PMP: a port held by UPnP or the admin: another port, theirs kept"

##############################################################################
# PCP MAP

N1=0102030405060708090a0b0c
N2=a1a2a3a4a5a6a7a8a9aaabac
out=$(pcp "$LAN1" map udp 7000 17000 600 $N1)
[[ $out == "result=0 lifetime=600 port=17000 addr=$GW_EXT "* ]]
check_err $? "PCP MAP: $out"
info=$(minfo udp 17000)
[[ $info == "pcp 192.168.1.2:7000 600 $N1" ]]
check_err $? "udp 17000 listed as '$info'"
out=$(napt_udp_ask "$INET" 7779 "$GW_EXT" 17000)
[[ $out == "$INET_ADDR:7779" ]]
check_err $? "INET through 17000 got '$out'"
log_test "PCP: MAP granted, owner pcp, nonce as cookie, INET gets in"

mapfile -t r < <(pcp "$LAN1" batch <<-END
	map udp 7000 17000 600 $N2
	map udp 7000 0 0 $N2
	map udp 7000 17005 1200 $N1
	END
)
[[ ${r[0]} == "result=2 lifetime=1800 "* ]]
check_err $? "refresh with another nonce: ${r[0]}"
[[ ${r[1]} == "result=2 lifetime=1800 "* ]]
check_err $? "delete with another nonce: ${r[1]}"
[[ ${r[2]} == "result=0 lifetime=1200 port=17000 "* ]]
check_err $? "renewal with the nonce: ${r[2]}"
info=$(minfo udp 17000)
[[ $info == "pcp 192.168.1.2:7000 1200 $N1" ]]
check_err $? "after the renewal: '$info'"
out=$(pcp "$LAN1" map udp 7000 0 0 $N1)
[[ $out == "result=0 lifetime=0 "* ]] && no_map udp 17000
check_err $? "delete with the nonce: $out"
log_test "PCP: another nonce NOT_AUTHORIZED; the nonce renews and deletes"

mapfile -t r < <(pcp "$LAN1" batch <<-END
	map udp 7001 16000 600 $N1 --prefer-failure
	map udp 7001 16000 600 $N1
	map udp 7002 17002 600 $N1 --third-party 192.168.1.3
	map udp 7003 17003 600 $N1 --client 192.168.1.3
	map 132 7004 0 600 $N1
	announce
	END
)
[[ ${r[0]} == "result=11 lifetime=30 "* ]]
check_err $? "PREFER_FAILURE on UPnP's 16000: ${r[0]}"
port=$(sed -n 's/.* port=\([0-9]*\) .*/\1/p' <<<"${r[1]}")
[[ ${r[1]} == "result=0 "* && $port != 16000 ]]
check_err $? "without PREFER_FAILURE: ${r[1]}"
[[ ${r[2]} == "result=2 lifetime=1800 "* ]]
check_err $? "THIRD_PARTY: ${r[2]}"
[[ ${r[3]} == "result=12 "* ]]
check_err $? "client address field of another host: ${r[3]}"
[[ ${r[4]} == "result=9 "* ]]
check_err $? "SCTP: ${r[4]}"
[[ ${r[5]} == "result=0 lifetime=0 "*" len=24 op=0x80 version=2" ]]
check_err $? "ANNOUNCE: ${r[5]}"
snap
[[ $(sinfo udp 17002) == none && $(sinfo udp 17003) == none ]]
check_err $? "a refused request left a mapping"
log_test "PCP: PREFER_FAILURE, THIRD_PARTY, ADDRESS_MISMATCH, UNSUPP_PROTOCOL, ANNOUNCE"

# PCP and NAT-PMP do not touch each other's mappings of one inside endpoint
out=$(natpmp "$LAN1" -a 0 7001 udp 0)
[[ $out == *"not authorized"* ]]
check_err $? "NAT-PMP deleted PCP's mapping: $out"
info=$(minfo udp "$port")
[[ -n $port && $info == "pcp 192.168.1.2:7001 600 $N1" ]]
check_err $? "PCP mapping on $port: '$info'"
natpmp "$LAN1" -a 15020 5020 udp 600 >/dev/null
out=$(pcp "$LAN1" map udp 5020 0 0 $N1)
[[ $out == "result=2 "* && $(minfo udp 15020) == "natpmp "* ]]
check_err $? "PCP deleted NAT-PMP's mapping: $out"
log_test "PCP and NAT-PMP refuse each other's inside endpoints"

##############################################################################
# Malformed datagrams

C=00000000000000000000ffffc0a80102	# ::ffff:192.168.1.2
mapfile -t r < <(pcp "$LAN1" batch <<-END
	raw 02010000 00000e10 c0a80102
	rawlen 2 1 1104
	raw 0301 0000 00000000 $C
	raw 0202 0000 00000000 $C
	raw 0200 0000 00000000 $C c800ffff
	raw 0200 0000 00000000 $C 32000000
	raw 0003 0000 1234
	-t 1 raw 0001 0000 1388
	-t 1 raw 0281 0000 00000000 $C
	-t 1 raw 02
	announce
	END
)
[[ ${r[0]:0:8} == 02810003 && ${#r[0]} == 48 ]]
check_err $? "PCP 12 bytes: ${r[0]}"
[[ ${r[1]} == "1100 02810003" ]]
check_err $? "PCP 1104 bytes: ${r[1]}"
[[ ${r[2]:0:8} == 02810001 ]]
check_err $? "version 3: ${r[2]}"
[[ ${r[3]:0:8} == 02820004 ]]
check_err $? "PEER (unsupported): ${r[3]}"
[[ ${r[4]:0:8} == 02800006 ]]
check_err $? "option length past the end: ${r[4]}"
[[ ${r[5]:0:8} == 02800005 ]]
check_err $? "unknown mandatory option: ${r[5]}"
[[ ${r[6]} == 008300051234 ]]
check_err $? "NAT-PMP opcode 3: ${r[6]}"
[[ ${r[7]} == none ]]
check_err $? "truncated NAT-PMP map answered: ${r[7]}"
[[ ${r[8]} == none ]]
check_err $? "a PCP response (R bit) answered: ${r[8]}"
[[ ${r[9]} == none ]]
check_err $? "1 byte answered: ${r[9]}"
[[ ${r[10]} == "result=0 "* ]]
check_err $? "ANNOUNCE after the garbage: ${r[10]}"
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
