#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP through the NAT (RFC 5382), in the topology of napt_topo.sh with a
# second address on INET:
#
#   LAN1 192.168.1.2 -- br0 [GW] wan0 203.0.113.1 --+- 203.0.113.2 -+
#                                                    |  [INET]       |
#                                                    +- 203.0.113.3 -+
#
# GW runs with tcp-timeout 1000, tcp-trans-timeout 8 and max-maps 1024
# (small tables: the sweeper visits all of them every second).
#
# - simultaneous open (REQ-2): LAN1 connects from 45000 to
#   203.0.113.2:6000 and INET from 6000 to 203.0.113.1:45000.  So that
#   INET's SYN finds LAN1 in SYN-SENT for sure (rather than LAN1's SYN
#   finding no socket on INET and a RST), INET's firewall drops LAN1's
#   SYNs (not its SYN-ACKs) until INET has connected: the NAT sees LAN1's
#   SYN go out, INET's SYN come in, LAN1's SYN-ACK go out, INET's ACK come
#   in; both ends end up established on one mapping and exchange data;
# - the session then has the established timeout: map list shows an
#   expiry above the transitory timeout, and the connection outlives an
#   idle period longer than the transitory timeout;
# - a SYN to the mapping from a remote endpoint LAN1 never sent to is
#   dropped under APDF (the default) and counted in drop_filtered;
# - after a RST (LAN1 closes with SO_LINGER 0) the transitory timeout
#   applies again and the mapping goes;
# - REQ-4 (syn-hold 6, the default): a SYN from INET to an unmapped port
#   gets ICMP 3/3 from 203.0.113.1, not before 5 s (syn_held and
#   syn_hold_unreach +1); a SYN followed within the 6 s by LAN1's own SYN
#   for that connection (a simultaneous open) gets none (syn_hold_matched
#   +1); with syn-hold 0 none either, and nothing is held.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

TRANS=8

# map_line: LAN1's TCP mapping from 45000 as napt_beh_json.py maps shows it
map_line() {
	napt_maps_json tcp | /usr/bin/python3 "$SELF/napt_beh_json.py" maps |
		awk '$2 == "192.168.1.2:45000"'
}
# map_expires: its seconds left, as listed
map_expires() {
	map_line | awk '{ sub("expires=", "", $7); print $7 }'
}
no_map() { [[ -z $(map_line) ]]; }
held_syns() {	# LAN1's SYNs dropped by INET's firewall so far: some
	in_ns "$INET" nft list chain ip napt_tcp_hold in | grep -q 'packets [1-9]'
}
show() { tr '\n' '|' <"$1"; }

require_cmd nft
napt_topo_setup tcp-timeout 1000 tcp-trans-timeout $TRANS max-maps 1024
ip -n "$INET" addr add $INET_ADDR2/24 dev eth0

##############################################################################
# Simultaneous open

in_ns "$INET" nft -f - <<EOF || ksft_exit_fail "nft in INET failed"
table ip napt_tcp_hold {
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr $GW_EXT tcp dport 6000 tcp flags & (syn | ack) == syn counter drop
	}
}
EOF

beh_tcp "$LAN1" -s 45000 -t 60 -w 120 connect:$INET_ADDR:6000 \
	send:hello-from-lan1 recv note:phase1 wait:"$TMPD/go2" \
	send:again-from-lan1 recv note:phase2 wait:"$TMPD/go3" rst \
	>"$TMPD/lan1" &
lan1=$!
# LAN1's SYN went out through the NAT (mapping made) and INET held it.
slowwait 30 napt_has_map tcp 192.168.1.2 45000 $GW_EXT 45000 dynamic ||
	check_err 1 "LAN1's SYN made no mapping: $(napt_maps_json)"
slowwait 30 held_syns
check_err $? "INET did not see LAN1's SYN"

beh_tcp "$INET" -a $INET_ADDR -s 6000 -t 60 -w 120 connect:$GW_EXT:45000 \
	recv send:hello-from-inet note:phase1 wait:"$TMPD/go2" \
	recv send:again-from-inet note:phase2 wait:"$TMPD/go3" recv \
	>"$TMPD/inet" &
inet=$!
slowwait 60 has_line "$TMPD/lan1" phase1 ||
	check_err 1 "LAN1: $(show "$TMPD/lan1")"
slowwait 60 has_line "$TMPD/inet" phase1 ||
	check_err 1 "INET: $(show "$TMPD/inet")"
in_ns "$INET" nft delete table ip napt_tcp_hold
want=$(printf '%s\n' "established 192.168.1.2:45000 $INET_ADDR:6000" \
	hello-from-inet phase1)
[[ $(cat "$TMPD/lan1") == "$want" ]] ||
	check_err 1 "LAN1: '$(show "$TMPD/lan1")', expected '$(tr '\n' '|' <<<"$want")'"
want=$(printf '%s\n' "established $INET_ADDR:6000 $GW_EXT:45000" \
	hello-from-lan1 phase1)
[[ $(cat "$TMPD/inet") == "$want" ]] ||
	check_err 1 "INET: '$(show "$TMPD/inet")', expected '$(tr '\n' '|' <<<"$want")'"
[[ $(natctl -n "$GW" map list tcp | wc -l) == 1 ]] ||
	check_err 1 "expected one TCP mapping: $(natctl -n "$GW" map list tcp)"
log_test "simultaneous open: both ends established, data both ways"

e=$(map_expires)
[[ -n $e ]] && ((e > 1000 - 60))
check_err $? "established, map list says expires '$e' (tcp-timeout 1000, tcp-trans-timeout $TRANS)"
log_test "established: the mapping expires after the established timeout"

##############################################################################
# An inbound SYN from a remote endpoint LAN1 never sent to

before=$(gw_stat drop_filtered)
beh_tcp "$INET" syn:$INET_ADDR2:6000:$GW_EXT:45000 \
	syn:$INET_ADDR:6001:$GW_EXT:45000
check_err $? "sending the SYNs failed"
busywait 3000 stat_is drop_filtered $((before + 2)) >/dev/null ||
	check_err 1 "drop_filtered went from $before to $(gw_stat drop_filtered), expected +2"
log_test "SYNs from $INET_ADDR2:6000 and $INET_ADDR:6001 filtered (APDF)"

##############################################################################
# Idle longer than the transitory timeout: the established session keeps
# the mapping.

sleep $((TRANS + 2))
[[ $(map_line) == "tcp 192.168.1.2:45000 $GW_EXT:45000 dynamic eim - "*" sessions=1 desc=-" ]] ||
	check_err 1 "the mapping went while idle: $(napt_maps_json)"
touch "$TMPD/go2"
slowwait 10 has_line "$TMPD/lan1" phase2 ||
	check_err 1 "LAN1: $(show "$TMPD/lan1")"
slowwait 10 has_line "$TMPD/inet" phase2 ||
	check_err 1 "INET: $(show "$TMPD/inet")"
[[ $(sed -n '4,5p' "$TMPD/lan1") == $'again-from-inet\nphase2' &&
   $(sed -n '4,5p' "$TMPD/inet") == $'again-from-lan1\nphase2' ]] ||
	check_err 1 "after the idle time: LAN1 '$(show "$TMPD/lan1")', INET '$(show "$TMPD/inet")'"
log_test "idle ${TRANS}+2 s: connection kept, data still flows"

##############################################################################
# RST: back to the transitory timeout

touch "$TMPD/go3"
wait $inet ||
	check_err 1 "INET: $(show "$TMPD/inet")"
wait $lan1 ||
	check_err 1 "LAN1: $(show "$TMPD/lan1")"
[[ $(tail -n1 "$TMPD/inet") == reset ]] ||
	check_err 1 "INET did not get the RST: $(show "$TMPD/inet")"
e=$(map_expires)
[[ -n $e ]] && ((e <= TRANS))
check_err $? "after the RST, map list says expires '$e', expected <= $TRANS"
slowwait $((TRANS + 10)) no_map ||
	check_err 1 "the mapping did not go: $(napt_maps_json)"
log_test "after a RST: transitory timeout, then the mapping goes"

##############################################################################
# RFC 5382 REQ-4: unsolicited SYNs held 6 s, then 3/3 unless a SYN went out

synhold() {	# ARGS...: napt_synhold.py in INET
	in_ns "$INET" /usr/bin/python3 "$SELF/napt_synhold.py" "$@"
}
h0=$(gw_stat syn_held)
u0=$(gw_stat syn_hold_unreach)
out=$(synhold -w 20 $INET_ADDR 6200 $GW_EXT 46100)
read -r what code from _ t <<<"$out"
[[ $what == unreach && $code == 3/3 && $from == "$GW_EXT" ]]
check_err $? "unsolicited SYN to 46100: '$out', expected 3/3 from $GW_EXT"
awk -v t="$t" 'BEGIN { exit !(t >= 5.0) }'
check_err $? "3/3 came after '${t}' s, before the 6 s hold"
stat_is syn_held $((h0 + 1)) && stat_is syn_hold_unreach $((u0 + 1))
check_err $? "syn_held $h0 -> $(gw_stat syn_held), syn_hold_unreach $u0 -> $(gw_stat syn_hold_unreach), expected +1 each"
log_test "unsolicited SYN: held, ICMP 3/3 after ${t:-?}s (>= 5 s)"

m0=$(gw_stat syn_hold_matched)
u0=$(gw_stat syn_hold_unreach)
synhold -w 10 -r "$TMPD/syn-sent" $INET_ADDR 6300 $GW_EXT 46300 >"$TMPD/syn-so" &
inet=$!
slowwait 30 test -e "$TMPD/syn-sent" ||
	check_err 1 "INET sent no SYN"
in_ns "$LAN1" /usr/bin/python3 -c '
import socket
s = socket.socket()
s.bind(("0.0.0.0", 46300))
s.settimeout(3)
s.connect_ex(("'$INET_ADDR'", 6300))' 2>/dev/null
wait $inet
out=$(cat "$TMPD/syn-so")
[[ $out == "none after "* ]]
check_err $? "simultaneous open: INET got '$out', expected no ICMP"
stat_is syn_hold_matched $((m0 + 1)) && stat_is syn_hold_unreach "$u0"
check_err $? "syn_hold_matched $m0 -> $(gw_stat syn_hold_matched) (want +1), syn_hold_unreach $u0 -> $(gw_stat syn_hold_unreach) (want +0)"
log_test "SYN then LAN1's own SYN within 6 s: dropped silently, no 3/3"

natctl -n "$GW" set syn-hold 0
check_err $? "set syn-hold 0 failed"
natctl -n "$GW" -j show | grep -q '"syn_hold":0'
check_err $? "show does not report syn-hold 0: $(natctl -n "$GW" -j show)"
h0=$(gw_stat syn_held)
out=$(synhold -w 8 $INET_ADDR 6400 $GW_EXT 46400)
[[ $out == "none after "* ]]
check_err $? "syn-hold 0: INET got '$out', expected nothing"
stat_is syn_held "$h0"
check_err $? "syn-hold 0: syn_held went from $h0 to $(gw_stat syn_held)"
log_test "syn-hold 0: unsolicited SYNs dropped silently, never answered"

exit "$EXIT_STATUS"
