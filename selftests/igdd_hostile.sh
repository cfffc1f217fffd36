#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 420
#
# igdd as a security boundary: every mapping it makes must come from the
# LAN host it names, over the LAN, from a program acting for that host.
# The attacks of igdd_hostile.py, in the topology of napt_topo.sh:
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW: napt, igdd] wan0 203.0.113.1 --- [INET]
#   LAN2 192.168.1.3 --+                                   203.0.113.2
#
# - igdd started as root without a user to become refuses to run; with
#   -u nobody it runs as uid 65534 with CAP_NET_ADMIN alone;
# - NAT-PMP and PCP requests from INET forged with LAN1's address (the
#   gateway's rp_filter off) make no mapping;
# - the requests a web page makes a browser send (fetch no-cors,
#   text/plain; an HTML form; a preflighted one with a foreign Origin)
#   are refused (403, 415) and make no mapping; upnpc still can;
# - a process on the gateway asking for the gateway's own address: 606;
# - LAN2 flooding NAT-PMP and PCP from its address as fast as it can:
#   LAN1 still gets its mapping, LAN2 no more than max-per-client; then
#   from forged LAN addresses by the hundred: igdd's mappings stay within
#   max-mappings (what forged sources can take is that cap, never the
#   kernel's table);
# - spoofed M-SEARCH ssdp:all with LAN1 as source, among forged sources
#   that would evict a naive limiter's slot: LAN1 receives a bounded
#   number of answers;
# - SIGHUP turning NAT-PMP/PCP on opens their socket;
# - the WAN address changes under mappings: they move with it, NAT-PMP
#   announces the new address, upnpc -s shows it, INET reaches it.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

IGDD=${IGDD:-$TOPDIR/tools/igdd/igdd}
HOSTILE="/usr/bin/python3 $TOPDIR/selftests/igdd_hostile.py"
PORT=5000
LAN_GW=192.168.1.1
TMP=$(mktemp -d /tmp/igdd_hostile.XXXXXX)
chmod 755 "$TMP"	# igdd, as nobody, rereads its configuration on SIGHUP
IGDD_PID=

cleanup() {
	[[ -n $IGDD_PID ]] && kill "$IGDD_PID" 2>/dev/null && wait "$IGDD_PID" 2>/dev/null
	napt_beh_cleanup
	if ((EXIT_STATUS != 0)) && [[ -f $TMP/igdd.log ]]; then
		echo "--- igdd log (last 40 lines)"
		tail -n 40 "$TMP"/igdd.log
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $IGDD ]] || ksft_exit_fail "$IGDD not built (make tools)"
require_cmd upnpc natpmpc
napt_topo_setup
# loose as many gateways are: the source address is not checked on wan0
ip netns exec "$GW" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.wan0.rp_filter=0
ip -n "$INET" route add 192.168.1.0/24 via $GW_EXT

conf() {	# NATPMP_PCP: yes or no
	cat >"$TMP/igdd.conf" <<-CONF
	lan-if br0
	wan-if wan0
	http-port $PORT
	natpmp $1
	pcp $1
	max-mappings 40
	max-per-client 8
	CONF
}
igdd_start() {
	ip netns exec "$GW" "$IGDD" -u nobody -f "$TMP/igdd.conf" -d -v >>"$TMP/igdd.log" 2>&1 &
	IGDD_PID=$!
	slowwait 60 __port_listens "$GW" $PORT -lnt
}
igdd_stop() {
	kill "$IGDD_PID" 2>/dev/null && wait "$IGDD_PID" 2>/dev/null
	IGDD_PID=
}
owners() {	# PROTO EXT_PORT: "owner int:port" of the static mapping there
	natctl -n "$GW" -j map list "$1" static ext-port "$2" 2>/dev/null |
		jq -r '.[] | "\(.owner) \(.int_addr):\(.int_port) \(.ext_addr)"'
}
daemon_maps() {	# how many static mappings igdd made
	natctl -n "$GW" -j map list static | jq '[.[] | select(.owner != "admin")] | length'
}
upnpc1() {
	in_ns "$LAN1" timeout 60 upnpc -i -u "http://$LAN_GW:$PORT/rootDesc.xml" "$@" 2>&1
}

##############################################################################
# Privileges

conf yes
out=$(ip netns exec "$GW" timeout 30 "$IGDD" -f "$TMP/igdd.conf" -d 2>&1)
rc=$?
[[ $rc == 1 && $out == *"refusing to run as root"* ]]
check_err $? "as root without a user: exit $rc, '$out'"
igdd_start
check_err $? "igdd -u nobody does not listen on $PORT"
st=$(cat "/proc/$IGDD_PID/status")
[[ $(awk '$1 == "Uid:" { print $2 $3 }' <<<"$st") == 6553465534 &&
   $(awk '$1 == "CapEff:" { print $2 }' <<<"$st") == 0000000000001000 &&
   $(awk '$1 == "CapPrm:" { print $2 }' <<<"$st") == 0000000000001000 ]]
check_err $? "igdd runs as: $(grep -E '^(Uid|CapEff|CapPrm)' <<<"$st" | tr '\n\t' '  ')"
log_test "igdd refuses to keep root; runs as nobody with CAP_NET_ADMIN alone"

##############################################################################
# Forged NAT-PMP/PCP from the WAN side

# (they reach the gateway: no socket takes them, Udp NoPorts counts them)
noports() { ip netns exec "$GW" awk '$1 == "Udp:" && $2 ~ /^[0-9]/ { print $3 }' /proc/net/snmp; }
np0=$(noports)
out=$(in_ns "$INET" $HOSTILE spoof-pcp 192.168.1.2 $LAN_GW 16600)
check_err $? "spoof-pcp: $out"
sleep 2
[[ -z $(owners udp 16600) && -z $(owners udp 16601) ]]
check_err $? "forged requests from INET made: $(owners udp 16600) $(owners udp 16601)"
(($(noports) - np0 >= 10))
check_err $? "the forged datagrams did not arrive: NoPorts $np0 -> $(noports)"
out=$(in_ns "$LAN1" timeout 30 natpmpc -g $LAN_GW -a 16601 16601 udp 600 2>&1)
[[ $(owners udp 16601) == "natpmp 192.168.1.2:16601 "* ]]
check_err $? "the same request from LAN1 failed: $out"
log_test "NAT-PMP/PCP forged from the WAN with a LAN source: no mapping"

##############################################################################
# A web page on the LAN (CSRF)

out=$(in_ns "$LAN1" $HOSTILE csrf $LAN_GW $PORT)
check_err $? "csrf: $out"
[[ $out == *"fetch 403"* && $out == *"plain 415"* && $out == *"form 403"* &&
   $out == *"preflighted 403"* ]]
check_err $? "the browser's requests got: $(tr '\n' ' ' <<<"$out")"
[[ -z $(owners tcp 18800) ]]
check_err $? "a browser's request made a mapping: $(owners tcp 18800)"
out=$(upnpc1 -a 192.168.1.2 8800 18800 TCP 600)
[[ $(owners tcp 18800) == "upnp 192.168.1.2:8800 "* ]]
check_err $? "upnpc's own request failed: $out"
log_test "a web page's POSTs refused (403/415), upnpc's accepted"

# a program on the gateway, for the gateway's address
out=$(in_ns "$GW" timeout 60 upnpc -i -u "http://$LAN_GW:$PORT/rootDesc.xml" \
	-a $LAN_GW 22 2222 TCP 600 2>&1)
[[ $out == *"failed with code 606"* && -z $(owners tcp 2222) ]]
check_err $? "the gateway's own address: $out"
log_test "a mapping to the gateway itself refused (606)"

##############################################################################
# Floods

# LAN2 from its own address, as fast as it can
in_ns "$LAN2" $HOSTILE flood $LAN_GW 20 none >"$TMP/flood" 2>&1 &
flood=$!
sleep 3
t1=$EPOCHREALTIME
out=$(in_ns "$LAN1" timeout 60 natpmpc -g $LAN_GW -a 16700 16700 udp 600 2>&1)
t2=$EPOCHREALTIME
[[ $(owners udp 16700) == "natpmp 192.168.1.2:16700 "* ]]
check_err $? "LAN1 during the flood: $out"
wait "$flood"
sent=$(sed -n 's/^sent //p' "$TMP/flood")
lan2=$(natctl -n "$GW" -j map list static int 192.168.1.3 | jq length)
((lan2 <= 8))
check_err $? "LAN2 holds $lan2 mappings with max-per-client 8"
ms=$(( (${t2/./} - ${t1/./}) / 1000 ))
log_info "flood: $sent NAT-PMP/PCP requests in 20 s ($((sent / 20))/s) from LAN2; LAN1 mapped in $ms ms; LAN2 holds $lan2"
log_test "a LAN host flooding NAT-PMP/PCP: another host still served ($ms ms)"

# SOAP from LAN2, one connection after another: answered, then 429 once
# its burst (128) is spent; LAN1 is not affected
in_ns "$LAN2" $HOSTILE soap-flood $LAN_GW $PORT 60 >"$TMP/soap" 2>&1 &
flood=$!
sleep 3
out=$(upnpc1 -s 2>&1)
[[ $out == *"ExternalIPAddress = $GW_EXT"* ]]
check_err $? "upnpc -s from LAN1 during LAN2's SOAP flood: $out"
wait "$flood"
codes=$(cat "$TMP/soap")
val() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$codes"; }
ok=$(val 200) limited=$(val 429) secs=$(val secs)
[[ -n $limited && -n $ok ]] && ((ok >= 128 && ok <= 128 + 32 * secs))
check_err $? "LAN2's SOAP flood got $codes (128 at once, then 32 a second)"
log_info "SOAP flood from LAN2: $codes; LAN1's upnpc -s answered meanwhile"
log_test "a LAN host flooding SOAP gets 429 after its burst, another is served"

# forged sources by the hundred: they can use up igdd's cap, no more
in_ns "$LAN2" $HOSTILE flood $LAN_GW 10 192.168.1 >"$TMP/flood" 2>&1
n=$(daemon_maps)
((n <= 40))
check_err $? "$n daemon mappings with max-mappings 40"
[[ -n $(natctl -n "$GW" map list static ext-port 16700) ]]
check_err $? "LAN1's mapping went"
log_info "forged sources: $(sed -n 's/^sent //p' "$TMP/flood") requests in 10 s; igdd holds $n mappings (max-mappings 40)"
log_test "forged NAT-PMP sources: igdd's mappings stay within max-mappings"

in_ns "$LAN1" $HOSTILE count-udp 41900 12 >"$TMP/answers" &
counter=$!
slowwait 20 grep -q ready "$TMP/answers"
out=$(in_ns "$LAN2" $HOSTILE ssdp-spoof 192.168.1.2 41900 $LAN_GW 100 192.168.1)
check_err $? "ssdp-spoof: $out"
wait "$counter"
answers=$(tail -n 1 "$TMP/answers")
# a burst of 32 answers, then 8 a second, over the 12 s counted
((answers > 0 && answers <= 32 + 8 * 12))
check_err $? "LAN1 received $answers SSDP answers it never asked for"
log_info "100 forged ssdp:all searches (each 18 answers) for LAN1, 400 from forged sources: LAN1 got $answers answers"
log_test "SSDP reflection bounded: $answers answers for 100 searches"

##############################################################################
# SIGHUP turns NAT-PMP/PCP on

# what the forged sources took (192.168.1.2 among them: LAN1's quota
# too) goes while igdd is stopped: igdd may still be working through the
# flood's queue, and would map again what a flush took before it ends
igdd_stop
natctl -n "$GW" map flush static
conf no
igdd_start
check_err $? "igdd with NAT-PMP/PCP off did not start"
! __port_listens "$GW" 5351 -lnu
check_err $? "UDP 5351 open with NAT-PMP and PCP off"
conf yes
kill -HUP "$IGDD_PID"
slowwait 20 __port_listens "$GW" 5351 -lnu
check_err $? "SIGHUP did not open UDP 5351"
out=$(in_ns "$LAN1" timeout 30 natpmpc -g $LAN_GW -a 16800 16800 udp 600 2>&1)
[[ $(owners udp 16800) == "natpmp 192.168.1.2:16800 "* ]]
check_err $? "NAT-PMP after SIGHUP: $out"
log_test "SIGHUP turning NAT-PMP/PCP on opens their socket (as nobody)"

##############################################################################
# The WAN address changes

NEW=203.0.113.7
out=$(upnpc1 -a 192.168.1.2 8800 18800 TCP 600)
[[ $(owners tcp 18800) == "upnp 192.168.1.2:8800 $GW_EXT" ]]
check_err $? "upnpc -a before the change: $out"
in_ns "$LAN1" $HOSTILE announce 30 $GW_EXT >"$TMP/announce" &
ann=$!
slowwait 20 grep -q ready "$TMP/announce"
# a reload announces the old address ten times over two minutes (RFC 6886
# 3.2.1): some of those come first, as after any start or SIGHUP, and
# must not be taken for the news
kill -HUP "$IGDD_PID"
sleep 1
ip -n "$GW" addr del $GW_EXT/24 dev wan0
ip -n "$GW" addr add $NEW/24 dev wan0
wait "$ann"
n_old=$(sed -n 's/^old //p' "$TMP/announce")
[[ $(tail -n 1 "$TMP/announce") == "$NEW" ]] && ((n_old >= 1))
check_err $? "NAT-PMP announced '$(tail -n 1 "$TMP/announce")' after $n_old announcement(s) of $GW_EXT"
log_info "NAT-PMP: $n_old announcement(s) of $GW_EXT, then $NEW"
[[ $(owners udp 16800) == "natpmp 192.168.1.2:16800 $NEW" &&
   $(owners tcp 18800) == "upnp 192.168.1.2:8800 $NEW" ]]
check_err $? "the mappings did not move: $(owners udp 16800) / $(owners tcp 18800)"
out=$(upnpc1 -s)
[[ $out == *"ExternalIPAddress = $NEW"* ]]
check_err $? "upnpc -s: $(grep ExternalIP <<<"$out")"
napt_udp_server "$LAN1" 0.0.0.0 16800
out=$(napt_udp_ask "$INET" 7790 $NEW 16800)
[[ $out == "$INET_ADDR:7790" ]]
check_err $? "INET through $NEW:16800 got '$out'"
log_test "the WAN address changes: mappings move, NAT-PMP announces it, upnpc -s shows it"

exit "$EXIT_STATUS"
