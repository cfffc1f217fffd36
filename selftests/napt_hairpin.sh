#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hairpinning (RFC 4787 REQ-9, RFC 5382 REQ-8): an inside host reaches
# another through the other's external endpoint, and sees it, as an
# outside host would, as coming from the first one's external endpoint
# (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   LAN2 192.168.1.3 --+
#
# - UDP, full cone: LAN2 makes a mapping by sending to INET; LAN1 sends to
#   203.0.113.1:<LAN2's port>; LAN2 gets it from 203.0.113.1:<LAN1's
#   port>, answers, and LAN1 gets the answer from LAN2's external endpoint;
#   hairpin_pkts counts both;
# - UDP, port-restricted cone: LAN1's first datagram is filtered (LAN2 has
#   not sent to LAN1's external endpoint) and counted in drop_filtered;
#   once LAN2 sent to LAN1's external endpoint, both ways pass;
# - TCP to a static mapping (map add tcp 192.168.1.3:8080 ext-port 8080):
#   LAN1 connects to 203.0.113.1:8080, LAN2's server sees
#   203.0.113.1:<LAN1's port>, data flows both ways;
# - ICMP echo (RFC 5508 REQ-7 spirit, icmp full cone): LAN2 pings INET
#   with identifier 4660 and so has an ICMP mapping 203.0.113.1:X; LAN1
#   pings 203.0.113.1 with identifier X: LAN2's kernel answers (its
#   InEchos +1, the gateway's +0), LAN1 gets the reply from 203.0.113.1
#   with its identifier X, hairpin_pkts +2; a ping with an identifier that
#   is no mapping's is answered by the gateway itself (its InEchos +1,
#   LAN2's +0, hairpin_pkts +0); under icmp port-restricted cone the
#   hairpinned echo is filtered (drop_filtered +1, no reply);
# - ICMP errors about hairpinned packets (RFC 5508 REQ-7): LAN1's UDP
#   socket connected to 203.0.113.1:19009, a static mapping to LAN2:9
#   where nothing listens, gets ECONNREFUSED: LAN2's port unreachable came
#   back quoting the datagram exactly as LAN1 sent it (icmp_err_in +1);
# - hairpin off: a packet to the external address is not translated: it is
#   for the gateway itself (a socket of the gateway on that port gets it,
#   with LAN1's inside address), hairpin_pkts stays.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

napt_topo_setup
srv_start "$INET" inet $INET_ADDR:5000
natctl -n "$GW" -j show | grep -q '"hairpin":true' ||
	check_err 1 "hairpin is not on by default: $(natctl -n "$GW" -j show)"
log_test "hairpin on by default"

##############################################################################
# UDP, full cone: straight through both ways

natctl -n "$GW" set proto udp mode full-cone
hp0=$(gw_stat hairpin_pkts)
# LAN2 from 42000: a mapping, then the first datagram that comes is echoed.
beh_udp "$LAN2" -s 42000 -t 10 ask:$INET_ADDR:5000 note:ready echo \
	>"$TMPD/lan2.fc" &
lan2=$!
slowwait 30 has_line "$TMPD/lan2.fc" ready ||
	check_err 1 "LAN2 made no mapping: $(cat "$TMPD/lan2.fc")"
out=$(beh_udp "$LAN1" -s 43000 send:$GW_EXT:42000:hello recv)
check_err $? "LAN1 got no answer through the hairpin"
wait $lan2 ||
	check_err 1 "LAN2 got nothing: $(cat "$TMPD/lan2.fc")"
want=$(printf '%s\n' "$INET_ADDR:5000 $GW_EXT:42000" ready "$GW_EXT:43000 hello")
[[ $(cat "$TMPD/lan2.fc") == "$want" ]] ||
	check_err 1 "LAN2 saw '$(cat "$TMPD/lan2.fc" | tr '\n' '|')', expected '$(tr '\n' '|' <<<"$want")'"
[[ $out == "$GW_EXT:42000 echo hello" ]]
check_err $? "LAN1 got '$out', expected '$GW_EXT:42000 echo hello'"
busywait 3000 stat_is hairpin_pkts $((hp0 + 2)) >/dev/null ||
	check_err 1 "hairpin_pkts went from $hp0 to $(gw_stat hairpin_pkts), expected +2"
napt_has_map udp 192.168.1.2 43000 $GW_EXT 43000 dynamic ||
	check_err 1 "LAN1's hairpin packet made no mapping of its own: $(napt_maps_json)"
log_test "UDP full cone: hairpinned both ways, external endpoints seen"

##############################################################################
# UDP, port-restricted cone (the default): filtered until LAN2 sends to
# LAN1's external endpoint

natctl -n "$GW" set proto udp mode port-restricted-cone
hp0=$(gw_stat hairpin_pkts)
df0=$(gw_stat drop_filtered)
beh_udp "$LAN2" -s 42100 -t 10 ask:$INET_ADDR:5000 note:ready \
	wait:"$TMPD/go" send:$GW_EXT:43100:from-lan2 recv >"$TMPD/lan2.prc" &
lan2=$!
slowwait 30 has_line "$TMPD/lan2.prc" ready ||
	check_err 1 "LAN2 made no mapping: $(cat "$TMPD/lan2.prc")"
beh_udp "$LAN1" -s 43100 -t 20 send:$GW_EXT:42100:first note:sent \
	recv send:$GW_EXT:42100:second >"$TMPD/lan1.prc" &
lan1=$!
busywait 30000 stat_is drop_filtered $((df0 + 1)) >/dev/null ||
	check_err 1 "drop_filtered went from $df0 to $(gw_stat drop_filtered), expected +1"
[[ $(gw_stat hairpin_pkts) == "$hp0" ]]
check_err $? "the filtered datagram was counted as hairpinned"
log_test "UDP port-restricted cone: first hairpin datagram filtered"

touch "$TMPD/go"
wait $lan1 ||
	check_err 1 "LAN1: $(cat "$TMPD/lan1.prc" | tr '\n' '|')"
wait $lan2 ||
	check_err 1 "LAN2: $(cat "$TMPD/lan2.prc" | tr '\n' '|')"
want=$(printf '%s\n' sent "$GW_EXT:42100 from-lan2")
[[ $(cat "$TMPD/lan1.prc") == "$want" ]] ||
	check_err 1 "LAN1 saw '$(tr '\n' '|' <"$TMPD/lan1.prc")', expected '$(tr '\n' '|' <<<"$want")'"
# LAN2's one receive is "second": "first" never reached it.
want=$(printf '%s\n' "$INET_ADDR:5000 $GW_EXT:42100" ready "$GW_EXT:43100 second")
[[ $(cat "$TMPD/lan2.prc") == "$want" ]] ||
	check_err 1 "LAN2 saw '$(tr '\n' '|' <"$TMPD/lan2.prc")', expected '$(tr '\n' '|' <<<"$want")'"
[[ $(gw_stat hairpin_pkts) == $((hp0 + 2)) && $(gw_stat drop_filtered) == $((df0 + 1)) ]] ||
	check_err 1 "hairpin_pkts +$(($(gw_stat hairpin_pkts) - hp0)) (expected +2), drop_filtered +$(($(gw_stat drop_filtered) - df0)) (expected +1)"
log_test "UDP port-restricted cone: passes both ways once LAN2 sent"

##############################################################################
# TCP to a static mapping of LAN2's server

srv_start "$LAN2" lan2 192.168.1.3:8080
natctl -n "$GW" map add tcp 192.168.1.3:8080 ext-port 8080 >/dev/null
check_err $? "map add tcp 192.168.1.3:8080 ext-port 8080 failed"
hp0=$(gw_stat hairpin_pkts)
out=$(beh_tcp "$LAN1" -s 44000 ask:$GW_EXT:8080:ping-hairpin)
check_err $? "LAN1 could not talk to 203.0.113.1:8080: $out"
# The server echoes the line it got after the source it saw.
[[ $out == "$GW_EXT:8080 $GW_EXT:44000 ping-hairpin" ]]
check_err $? "LAN1 got '$out', expected '$GW_EXT:8080 $GW_EXT:44000 ping-hairpin'"
hp1=$(gw_stat hairpin_pkts)
((hp1 >= hp0 + 5))
check_err $? "hairpin_pkts went from $hp0 to $hp1 for a whole connection"
log_test "TCP to a static mapping: hairpinned, data both ways"

##############################################################################
# ICMP echo

# in_echos NS: echo requests the kernel of NS received
in_echos() {
	in_ns "$1" awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Icmp:" { print $c["InEchos"] }' /proc/net/snmp
}
ping_id() {	# NS DST ID: napt_ping.py echo in NS
	in_ns "$1" /usr/bin/python3 "$SELF/napt_ping.py" -t 5 echo "$2" "$3"
}

natctl -n "$GW" set proto icmp mode full-cone
out=$(ping_id "$LAN2" $INET_ADDR 4660)
[[ $out == "reply $INET_ADDR 4660" ]]
check_err $? "LAN2's ping of INET: '$out'"
x=$(napt_maps_json icmp | /usr/bin/python3 -c '
import json, sys
m = [m for m in json.load(sys.stdin) if m["int_addr"] == "192.168.1.3" and m["int_port"] == 4660]
print(m[0]["ext_port"] if len(m) == 1 else "")')
[[ -n $x ]] || check_err 1 "no ICMP mapping for LAN2: $(napt_maps_json icmp)"
hp0=$(gw_stat hairpin_pkts)
e2=$(in_echos "$LAN2")
eg=$(in_echos "$GW")
out=$(ping_id "$LAN1" $GW_EXT "$x")
[[ $out == "reply $GW_EXT $x" ]]
check_err $? "LAN1's ping of $GW_EXT id $x: '$out'"
[[ $(in_echos "$LAN2") == $((e2 + 1)) && $(in_echos "$GW") == "$eg" ]]
check_err $? "InEchos: LAN2 $e2 -> $(in_echos "$LAN2") (want +1), GW $eg -> $(in_echos "$GW") (want +0)"
stat_is hairpin_pkts $((hp0 + 2)) ||
	check_err 1 "hairpin_pkts went from $hp0 to $(gw_stat hairpin_pkts), expected +2"
[[ $(napt_maps_json icmp | grep -o "\"int_addr\":\"192.168.1.2\",\"int_port\":$x," | wc -l) == 1 ]] ||
	check_err 1 "LAN1's hairpinned echo made no mapping of its own: $(napt_maps_json icmp)"
log_test "ICMP echo to another host's mapping: hairpinned, answered by it"

# An identifier that is no mapping's: the gateway answers.
y=$((x == 65535 ? 1000 : x + 1))
while napt_maps_json icmp | grep -q "\"ext_port\":$y[,}]"; do y=$((y + 1)); done
hp0=$(gw_stat hairpin_pkts)
e2=$(in_echos "$LAN2")
eg=$(in_echos "$GW")
out=$(ping_id "$LAN1" $GW_EXT "$y")
[[ $out == "reply $GW_EXT $y" ]]
check_err $? "LAN1's ping of $GW_EXT id $y: '$out'"
[[ $(in_echos "$GW") == $((eg + 1)) && $(in_echos "$LAN2") == "$e2" ]]
check_err $? "InEchos: GW $eg -> $(in_echos "$GW") (want +1), LAN2 $e2 -> $(in_echos "$LAN2") (want +0)"
stat_is hairpin_pkts "$hp0" ||
	check_err 1 "hairpin_pkts went from $hp0 to $(gw_stat hairpin_pkts)"
log_test "ICMP echo to an identifier without a mapping: the gateway answers"

# Port-restricted cone: LAN2 never pinged LAN1's external address.
natctl -n "$GW" set proto icmp mode port-restricted-cone
df0=$(gw_stat drop_filtered)
e2=$(in_echos "$LAN2")
out=$(in_ns "$LAN1" /usr/bin/python3 "$SELF/napt_ping.py" -t 2 echo $GW_EXT "$x")
[[ $out == timeout ]]
check_err $? "filtered echo: '$out'"
stat_is drop_filtered $((df0 + 1)) ||
	check_err 1 "drop_filtered went from $df0 to $(gw_stat drop_filtered), expected +1"
[[ $(in_echos "$LAN2") == "$e2" ]]
check_err $? "LAN2 got the filtered echo"
log_test "ICMP echo, port-restricted cone: filtered"

##############################################################################
# An ICMP error about a hairpinned datagram (RFC 5508 REQ-7)

natctl -n "$GW" map add udp 192.168.1.3:9 ext-port 19009 >/dev/null
check_err $? "map add udp 192.168.1.3:9 ext-port 19009 failed"
ei0=$(gw_stat icmp_err_in)
out=$(in_ns "$LAN1" /usr/bin/python3 "$SELF/napt_ping.py" -t 5 udp $GW_EXT 19009 43900)
[[ $out == refused ]]
check_err $? "LAN1's socket: '$out', expected ECONNREFUSED"
stat_is icmp_err_in $((ei0 + 1)) ||
	check_err 1 "icmp_err_in went from $ei0 to $(gw_stat icmp_err_in), expected +1"
log_test "ICMP error about a hairpinned datagram: back to the sender, exact quote"

##############################################################################
# hairpin off: for the gateway itself

natctl -n "$GW" set hairpin off
check_err $? "set hairpin off failed"
natctl -n "$GW" -j show | grep -q '"hairpin":false'
check_err $? "show does not report hairpin off"
# Sockets of the gateway on LAN2's two external ports.
srv_start "$GW" gw $GW_EXT:8080 $GW_EXT:42000
hp0=$(gw_stat hairpin_pkts)
out=$(beh_tcp "$LAN1" -s 44001 ask:$GW_EXT:8080:ping-off)
[[ $out == "$GW_EXT:8080 192.168.1.2:44001 ping-off" ]]
check_err $? "TCP: LAN1 got '$out', expected the gateway's own answer"
out=$(beh_udp "$LAN1" -s 43001 ask:$GW_EXT:42000)
[[ $out == "$GW_EXT:42000 192.168.1.2:43001" ]]
check_err $? "UDP: LAN1 got '$out', expected the gateway's own answer"
[[ $(gw_stat hairpin_pkts) == "$hp0" ]] ||
	check_err 1 "hairpin_pkts went from $hp0 to $(gw_stat hairpin_pkts)"
log_test "hairpin off: not translated, the gateway's own sockets answer"

exit "$EXIT_STATUS"
