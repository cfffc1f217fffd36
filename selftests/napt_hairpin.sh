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
slowwait 5 has_line "$TMPD/lan2.fc" ready ||
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
slowwait 5 has_line "$TMPD/lan2.prc" ready ||
	check_err 1 "LAN2 made no mapping: $(cat "$TMPD/lan2.prc")"
beh_udp "$LAN1" -s 43100 -t 20 send:$GW_EXT:42100:first note:sent \
	recv send:$GW_EXT:42100:second >"$TMPD/lan1.prc" &
lan1=$!
busywait 5000 stat_is drop_filtered $((df0 + 1)) >/dev/null ||
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
