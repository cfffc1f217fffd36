#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 420
#
# igdd, the UPnP IGD daemon, with the real Debian client (upnpc) in the
# topology of napt_topo.sh: igdd runs in GW on br0 (LAN) / wan0 (WAN).
#
# - upnpc in LAN1 discovers igdd over SSDP (-s, -l); the SSDP answers
#   carry the UDA 1.1 headers, a search for IGD:1 leads to the IGD:1
#   description only;
# - upnpc -a adds a TCP and a UDP mapping, -l lists them, natctl -j lists
#   the same kernel entries with owner upnp, INET reaches both ports;
# - secure mode: a mapping for LAN2's address is refused with 606;
# - -d deletes, -r adds for the caller, -e sets the description;
# - a lease ends and the kernel removes the mapping;
# - igdd killed (SIGKILL) and started again lists every mapping;
# - SSDP and HTTP get no answer from the WAN side;
# - malformed SSDP, HTTP and SOAP get errors and igdd keeps serving;
# - SIGTERM: igdd sends ssdp:byebye and exits 0.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

SELF=$(dirname "$0")
IGDD=${IGDD:-$TOPDIR/tools/igdd/igdd}
PROBE="$SELF/igdd_probe.py"
PORT=5000
LAN_GW=192.168.1.1
TMP=$(mktemp -d /tmp/igdd_upnp.XXXXXX)
chmod 755 "$TMP"	# igdd, as nobody, rereads its configuration on SIGHUP
IGDD_PID=

cleanup() {
	[[ -n $IGDD_PID ]] && kill "$IGDD_PID" 2>/dev/null
	napt_beh_cleanup
	if ((EXIT_STATUS != 0)) && [[ -f $TMP/igdd.log ]]; then
		echo "--- igdd log (last 40 lines)"
		tail -n 40 "$TMP"/igdd.log
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $IGDD ]] || ksft_exit_fail "$IGDD not built (make tools)"
require_cmd upnpc
napt_topo_setup

cat >"$TMP/igdd.conf" <<CONF
# igdd_upnp.sh
lan-if br0
wan-if wan0
http-port $PORT
secure-mode yes
max-per-client 16
max-lease 3600
friendly-name napt <test> & "gateway"
CONF

# lt NAME: log_test, and the time so far (the test must stay fast under TCG)
lt() {
	log_test "$1"
	local r=$?
	log_info "t=${SECONDS}s"
	return "$r"
}

igdd_start() {
	ip netns exec "$GW" "$IGDD" -u nobody -f "$TMP/igdd.conf" -d -v >>"$TMP/igdd.log" 2>&1 &
	IGDD_PID=$!
	# a TCG guest on a busy host may take many seconds to start it
	slowwait 60 __port_listens "$GW" $PORT -lnt
}

# upnpc in LAN1, discovering over multicast on eth0; -i: the WAN address
# is a documentation range, which miniupnpc treats as not routable.
# Once discovery is tested, upnpc1 goes straight to the description (-u):
# a discovery costs seconds under TCG.
upnpc_disc() { in_ns "$LAN1" timeout 60 upnpc -m eth0 -i "$@" 2>&1; }
upnpc1() {
	in_ns "$LAN1" timeout 60 upnpc -i -u "http://$LAN_GW:$PORT/rootDesc.xml" "$@" 2>&1
}

igdd_start
check_err $? "igdd does not listen on $PORT"
lt "igdd starts on br0"

##############################################################################
# Discovery

out=$(upnpc_disc -s)
[[ $out == *"$LAN_GW:$PORT"* && $out == *"ExternalIPAddress = $GW_EXT"* ]]
check_err $? "upnpc -s: $out"
[[ $out == *"Connected"* ]]
check_err $? "upnpc -s: not connected: $out"
lt "upnpc -s discovers igdd and reads the external address"

URN=urn:schemas-upnp-org
all=$(in_ns "$LAN1" /usr/bin/python3 "$PROBE" search 192.168.1.2 2 \
	$URN:device:InternetGatewayDevice:1 $URN:service:WANIPConnection:1 \
	$URN:device:InternetGatewayDevice:2 ssdp:all)
check_err $? "no answer to the searches: $all"
out=$(sed -n 's/^0|//p' <<<"$all")
n=$(grep -c . <<<"$out")
[[ $n == 1 && $out == "$URN:device:InternetGatewayDevice:1|uuid:"*"::$URN:device:InternetGatewayDevice:1|http://$LAN_GW:$PORT/rootDesc.xml|max-age="*"||"*"UPnP/1.1"*"|"[0-9]*"|1" ]]
check_err $? "IGD:1 search answered: '$out'"
out=$(sed -n 's/^1|//p' <<<"$all")
[[ $out == *"/rootDesc.xml|"* && $out != *rootDesc2* ]]
check_err $? "WANIPConnection:1 search answered: '$out'"
out=$(sed -n 's/^2|//p' <<<"$all")
[[ $out == *"/rootDesc2.xml|"* && $out != *"/rootDesc.xml|"* ]]
check_err $? "IGD:2 search answered: '$out'"
out=$(sed -n 's/^3|//p' <<<"$all")
[[ $(grep -c . <<<"$out") == 18 && $out == *upnp:rootdevice* ]]
check_err $? "ssdp:all answered: '$out'"
# 40 searches at once from LAN2: a burst of 16 (and the refill) answered
n=$(in_ns "$LAN2" /usr/bin/python3 "$PROBE" flood 192.168.1.3 40)
((n >= 2 && n <= 2 * 24))
check_err $? "40 searches at once got $n answers (2 per search; burst 16)"
desc=$(in_ns "$LAN1" timeout 20 socat -t 10 - TCP4:$LAN_GW:$PORT <<<$'GET /rootDesc.xml HTTP/1.1\r\nHost: 192.168.1.1:5000\r\nConnection: close\r\n\r\n')
[[ $desc == *"InternetGatewayDevice:1"* && $desc == *"WANIPConnection:1"* &&
   $desc != *":2<"* && $desc == *"napt &lt;test&gt; &amp; &quot;gateway&quot;"* ]]
check_err $? "IGD:1 description: $desc"
lt "SSDP answers per type, IGD:1 description names no v2 type"

##############################################################################
# Mappings

srv_start "$LAN1" lan1 0.0.0.0:8000 0.0.0.0:9000
out=$(upnpc1 -e "web server" -a 192.168.1.2 8000 18000 TCP 600)
[[ $out == *"external $GW_EXT:18000 TCP is redirected to internal 192.168.1.2:8000"* ]]
check_err $? "upnpc -a TCP: $out"
out=$(upnpc1 -e game -a 192.168.1.2 9000 19000 UDP 600)
[[ $out == *"external $GW_EXT:19000 UDP is redirected to internal 192.168.1.2:9000"* ]]
check_err $? "upnpc -a UDP: $out"
# miniupnpc does not escape the description: "a&b" is not XML
out=$(upnpc1 -e "a&b" -a 192.168.1.2 8001 18003 TCP 600)
[[ $out == *"failed with code 402"* && -z $(owner_of tcp 18003) ]]
check_err $? "unescaped '&' in the description: $out"
lt "upnpc -a adds a TCP and a UDP mapping; bad XML gets 402"

list=$(upnpc1 -l)
grep -Eq "TCP +18000->192\.168\.1\.2:8000 +'web server' '' (59[0-9]|600)" <<<"$list"
check_err $? "upnpc -l (TCP): $list"
grep -Eq "UDP +19000->192\.168\.1\.2:9000 +'game' '' (59[0-9]|600)" <<<"$list"
check_err $? "upnpc -l (UDP): $list"
lt "upnpc -l lists both with description and lease"

# owner_of PROTO EXT_PORT: "owner int_addr:int_port lease desc" of the
# static mapping on that port, from natctl's text output (no python: fast)
owner_of() {
	local line re='^[a-z]+ ([0-9.]+:[0-9]+) -> [0-9.]+:[0-9]+ static .* lease ([0-9]+) .*owner ([a-z]+)( desc "(.*)")?$'

	line=$(natctl -n "$GW" map list "$1" static ext-port "$2" 2>/dev/null | head -n 1)
	[[ $line =~ $re ]] || { [[ -n $line ]] && echo "?? $line"; return 0; }
	echo "${BASH_REMATCH[3]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[5]}"
}
# json_owner_of PROTO EXT_PORT: the same from natctl -j
json_owner_of() {
	napt_maps_json "$1" | /usr/bin/python3 -c '
import json, sys
for m in json.load(sys.stdin):
    if m["ext_port"] == int(sys.argv[1]) and m["type"] == "static":
        print(m.get("owner"), "%s:%s" % (m["int_addr"], m["int_port"]),
              m.get("lease"), m.get("desc"))
' "$2"
}
[[ $(json_owner_of tcp 18000) == "upnp 192.168.1.2:8000 600 web server" ]]
check_err $? "natctl lists tcp 18000 as '$(json_owner_of tcp 18000)'"
[[ $(json_owner_of udp 19000) == "upnp 192.168.1.2:9000 600 game" ]]
check_err $? "natctl lists udp 19000 as '$(json_owner_of udp 19000)'"
[[ $(owner_of udp 19000) == "upnp 192.168.1.2:9000 600 game" ]]
check_err $? "owner_of (text) udp 19000: '$(owner_of udp 19000)'"
lt "natctl -j map list: the same static entries, owner upnp"

out=$(beh_tcp "$INET" -s 41000 ask:$GW_EXT:18000:in)
[[ $out == "$GW_EXT:18000 $INET_ADDR:41000 in" ]]
check_err $? "INET -> $GW_EXT:18000 TCP: '$out'"
out=$(beh_udp "$INET" -s 41001 ask:$GW_EXT:19000)
[[ $out == "$GW_EXT:19000 $INET_ADDR:41001" ]]
check_err $? "INET -> $GW_EXT:19000 UDP: '$out'"
lt "INET reaches the mapped TCP and UDP ports"

out=$(upnpc1 -a 192.168.1.3 8000 18001 TCP 600)
[[ $out == *"failed with code 606"* ]]
check_err $? "mapping for LAN2's address: $out"
[[ -z $(owner_of tcp 18001) ]]
check_err $? "a mapping for LAN2 was made: $(owner_of tcp 18001)"
out=$(upnpc1 -a 192.168.1.2 22 18002 TCP 600)
[[ $out == *"failed with code 606"* && -z $(owner_of tcp 18002) ]]
check_err $? "internal port 22 (default deny below 1024): $out"
lt "secure mode: LAN2's address refused (606), port 22 refused"

# NAT-PMP and UPnP share the kernel's table
out=$(in_ns "$LAN1" timeout 30 natpmpc -g $LAN_GW -a 29100 9100 udp 120 2>&1)
[[ $(owner_of udp 29100) == "natpmp 192.168.1.2:9100 120 "* ]]
check_err $? "natpmpc -a: '$(owner_of udp 29100)': $out"
out=$(upnpc1 -a 192.168.1.2 9101 29100 UDP 600)
[[ $out == *"failed with code 718"* && $(owner_of udp 29100) == natpmp* ]]
check_err $? "UPnP on NAT-PMP's port: $out"
out=$(in_ns "$LAN1" timeout 30 natpmpc -g $LAN_GW -a 29100 9100 udp 0 2>&1)
[[ -z $(owner_of udp 29100) ]]
check_err $? "natpmpc delete: '$(owner_of udp 29100)': $out"
lt "NAT-PMP's mapping: listed as natpmp, UPnP gets 718 on its port"

out=$(upnpc1 -d 18000 TCP)
[[ -z $(owner_of tcp 18000) ]]
check_err $? "upnpc -d 18000 TCP left $(owner_of tcp 18000): $out"
out=$(upnpc1 -d 18000 TCP)
[[ $out == *"failed with code"*714* ]]
check_err $? "second upnpc -d: $out"
lt "upnpc -d deletes; again: 714 NoSuchEntryInArray"

out=$(upnpc1 -e mine -r 7000 TCP 7001 7002 UDP)
[[ $(owner_of tcp 7000) == "upnp 192.168.1.2:7000 3600 mine" &&
   $(owner_of udp 7002) == "upnp 192.168.1.2:7001 3600 mine" ]]
check_err $? "upnpc -r: $out / $(owner_of tcp 7000) / $(owner_of udp 7002)"
lt "upnpc -r maps for the caller (lease capped at max-lease 3600)"

# upnpc reads the mapping back (GetSpecificPortMappingEntry) at once:
# under TCG, natctl may come after the lease ended
out=$(upnpc1 -e short -a 192.168.1.2 9500 19500 UDP 3)
[[ $out =~ "external $GW_EXT:19500 UDP is redirected to internal 192.168.1.2:9500 (duration="[0-3]")" ]]
check_err $? "lease 3 mapping: $out"
no_map() { [[ -z $(owner_of "$1" "$2") ]]; }	# PROTO EXT_PORT
slowwait 20 no_map udp 19500
check_err $? "the 3 s lease did not end: $(owner_of udp 19500)"
[[ $(natctl -n "$GW" stats | awk '$1 == "maps_expired" { print $2 }') -ge 1 ]]
check_err $? "no expiry counted: $(natctl -n "$GW" stats)"
list=$(upnpc1 -l)
[[ $list != *19500* ]]
check_err $? "upnpc -l still lists 19500: $list"
lt "a lease ends: the kernel removes the mapping"

##############################################################################
# Reload

sed -i 's/^max-lease 3600$/max-lease 1800/' "$TMP/igdd.conf"
kill -HUP "$IGDD_PID"
slowwait 10 grep -q "configuration reloaded" "$TMP/igdd.log"
check_err $? "no reload logged"
out=$(upnpc1 -e reload -a 192.168.1.2 7003 7003 TCP 0)
[[ $(owner_of tcp 7003) == "upnp 192.168.1.2:7003 1800 reload" ]]
check_err $? "after SIGHUP, lease 0 gave '$(owner_of tcp 7003)': $out"
echo "bogus-directive 1" >>"$TMP/igdd.conf"
kill -HUP "$IGDD_PID"
slowwait 10 grep -q "line 9: unknown directive 'bogus-directive'" "$TMP/igdd.log"
check_err $? "a bad configuration was not reported with its line"
kill -0 "$IGDD_PID"
check_err $? "igdd died on a bad configuration"
sed -i '/^bogus-directive/d' "$TMP/igdd.conf"
out=$(upnpc1 -d 7003 TCP)
[[ -z $(owner_of tcp 7003) ]]
check_err $? "upnpc -d 7003: $out"
lt "SIGHUP reloads; a bad file is refused with its line number"

##############################################################################
# Restart

before=$(upnpc1 -l | grep -E '^ *[0-9]+ (TCP|UDP)' | sed -E 's/ [0-9]+$//' | sort)
kill -KILL "$IGDD_PID"
wait "$IGDD_PID" 2>/dev/null
igdd_start
after=$(upnpc_disc -l | grep -E '^ *[0-9]+ (TCP|UDP)' | sed -E 's/ [0-9]+$//' | sort)
[[ -n $before && $before == "$after" && $(grep -c . <<<"$after") == 3 ]]
check_err $? "mappings before: '$before', after restart: '$after'"
lt "igdd killed and restarted: upnpc -l shows the same mappings"

##############################################################################
# The WAN side, bad input

ip -n "$INET" route add 192.168.1.0/24 via $GW_EXT
out=$(in_ns "$INET" /usr/bin/python3 "$PROBE" unicast-search $GW_EXT 2 $INET_ADDR)
[[ $? == 1 ]]
check_err $? "SSDP to $GW_EXT from INET: answered or probe failed: $out"
out=$(in_ns "$INET" /usr/bin/python3 "$PROBE" unicast-search $LAN_GW 2 $INET_ADDR)
[[ $? == 1 ]]
check_err $? "SSDP to $LAN_GW from INET: answered or probe failed: $out"
out=$(in_ns "$INET" /usr/bin/python3 "$PROBE" http-get $GW_EXT $PORT /rootDesc.xml)
[[ $out == none ]]
check_err $? "HTTP from INET to $GW_EXT:$PORT: $out"
out=$(in_ns "$INET" /usr/bin/python3 "$PROBE" http-get $LAN_GW $PORT /rootDesc.xml)
[[ $out == none ]]
check_err $? "HTTP from INET to $LAN_GW:$PORT: $out"
ip -n "$INET" route del 192.168.1.0/24 via $GW_EXT
lt "no SSDP or HTTP answer to the WAN side"

out=$(in_ns "$LAN1" /usr/bin/python3 "$PROBE" malformed $LAN_GW $PORT)
check_err $? "$out"
kill -0 "$IGDD_PID"
check_err $? "igdd died"
list=$(upnpc1 -l)
[[ $list == *"7000->192.168.1.2:7000"* ]]
check_err $? "upnpc -l after bad input: $list"
lt "malformed SSDP, HTTP, SOAP: errors, and igdd keeps serving"

##############################################################################
# Shutdown

in_ns "$LAN2" /usr/bin/python3 "$PROBE" byebye 192.168.1.3 30 >"$TMP/bye" 2>&1 &
bye_pid=$!
slowwait 10 grep -q listening "$TMP/bye"
kill -TERM "$IGDD_PID"
busywait 20000 bash -c "! kill -0 $IGDD_PID 2>/dev/null"
wait "$IGDD_PID"
rc=$?
IGDD_PID=
[[ $rc == 0 ]]
check_err $? "igdd exited $rc on SIGTERM"
wait "$bye_pid"
check_err $? "no ssdp:byebye seen: $(cat "$TMP/bye")"
lt "SIGTERM: byebye sent, exit 0"

exit "$EXIT_STATUS"
