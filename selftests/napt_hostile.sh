#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile frames into both sides of a running gateway (napt_hostile.py,
# scapy): truncated L4 headers, bad TCP data offsets, UDP lengths that lie,
# IP options, bad IP header lengths, overlapping, tiny and endless
# fragments, ICMP errors quoting cut, bent or nested headers about the real
# mappings, random bytes, hairpin attempts; from the internet at LAN1's
# mappings, and from LAN2 out and at the same mappings.
#
#   LAN1 192.168.1.2 --+                                    +--------------+
#                      +-- br0 [GW] wan0 203.0.113.1 -------+ eth0    INET |
#   LAN2 192.168.1.3 --+                                    | 203.0.113.2  |
#                                                           +--------------+
#
# Afterwards: nothing malformed reached LAN1 or INET and no inside address
# left the gateway (sniffers on both), LAN2's malformed frames were
# counted as drop_malformed and its bad ICMP errors as drop_icmp_err one by
# one, no frame from outside made a mapping or removed one, the gateway
# still forwards UDP, TCP and ping on the mappings it had, and (at the
# harness's unload) no object is left behind.
# selftest-timeout: 420

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT
require_cmd socat
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null ||
	ksft_exit_skip "python3-scapy not installed"

ROUNDS=${HOSTILE_ROUNDS:-3}
HOSTILE=$TOPDIR/selftests/napt_hostile.py
STOP=$(mktemp -u /tmp/napt-hostile-stop.XXXXXX)
SNIFF_DIR=$(mktemp -d /tmp/napt-hostile.XXXXXX)

napt_topo_setup
napt_udp_server "$INET" $INET_ADDR 5000
in_ns "$INET" socat -u TCP4-LISTEN:5001,bind=$INET_ADDR,reuseaddr - >/dev/null &
wait_local_port_listen "$INET" 5001 tcp

# LAN1's mappings: UDP 40000, a TCP connection from 40001 held open, ping
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]] || ksft_exit_fail "UDP through the gateway: '$seen'"
in_ns "$LAN1" socat -u EXEC:"sleep 600" TCP4:$INET_ADDR:5001,sourceport=40001 &
tcp_up() { napt_has_map tcp 192.168.1.2 40001 $GW_EXT 40001 dynamic; }
slowwait 10 tcp_up || ksft_exit_fail "no TCP mapping for LAN1:40001"
# (a ping every 5 s keeps the ICMP mapping, whose timeout is 60 s)
in_ns "$LAN1" ping -q -i 5 $INET_ADDR >/dev/null &
lan1_icmp() {
	napt_maps_json icmp | /usr/bin/python3 -c '
import json, sys
m = [m for m in json.load(sys.stdin) if m["int_addr"] == "192.168.1.2"]
sys.exit(1) if not m else print(m[0]["ext_port"])'
}
slowwait 10 lan1_icmp >/dev/null || ksft_exit_fail "no ICMP mapping for LAN1"
icmp_id=$(lan1_icmp)

lan1_maps() {
	napt_maps_json | /usr/bin/python3 -c '
import json, sys
print(sorted((m["proto"], m["int_port"], m["ext_port"]) for m in json.load(sys.stdin)
	     if m["int_addr"] == "192.168.1.2"))'
}
maps_before=$(lan1_maps)
malformed0=$(napt_stat drop_malformed)
icmperr0=$(napt_stat drop_icmp_err)

# sniffers: on LAN1 (nothing malformed may arrive) and INET (nothing
# malformed, no inside address)
in_ns "$LAN1" /usr/bin/python3 "$HOSTILE" sniff eth0 "$STOP" 255.255.255.255/32 \
	>"$SNIFF_DIR/lan1" &
sniff_lan=$!
in_ns "$INET" /usr/bin/python3 "$HOSTILE" sniff eth0 "$STOP" 192.168.1.0/24 \
	>"$SNIFF_DIR/inet" &
sniff_inet=$!
ready() { grep -q ready "$SNIFF_DIR/lan1" && grep -q ready "$SNIFF_DIR/inet"; }
slowwait 30 ready || ksft_exit_fail "the sniffers did not start"

wan=$(in_ns "$INET" /usr/bin/python3 "$HOSTILE" wan $INET_ADDR $GW_EXT 40000 40001 \
	"$icmp_id" 192.168.1.2 "$ROUNDS")
check_err $? "the frames from the internet were not all sent"
lan=$(in_ns "$LAN2" /usr/bin/python3 "$HOSTILE" lan 192.168.1.3 $GW_EXT 40000 40001 \
	"$icmp_id" $INET_ADDR "$ROUNDS")
check_err $? "the frames from the LAN were not all sent"
json_get() { /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
nwan=$(json_get "$wan" total)
nlan=$(json_get "$lan" total)
log_info "sent $nwan frames from the internet, $nlan from the LAN"
log_test "hostile frames sent, the gateway alive"

##############################################################################
# Nothing malformed went on, nothing inside leaked

sleep 2		# what is in flight arrives
touch "$STOP"
wait "$sniff_lan" "$sniff_inet"
for side in lan1 inet; do
	res=$(tail -n 1 "$SNIFF_DIR/$side")
	bad=$(/usr/bin/python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(len(r["bad"]))' "$res")
	[[ $bad == 0 ]]
	check_err $? "$side got what the gateway must not send on: $res"
done
log_test "nothing malformed reached LAN1 or INET, no inside address leaked"

##############################################################################
# Counted, one by one; no mapping made or lost from outside

malformed=$(($(napt_stat drop_malformed) - malformed0))
icmperr=$(($(napt_stat drop_icmp_err) - icmperr0))
want_m=$(json_get "$lan" malformed_out)
want_i=$(json_get "$lan" icmperr_out)
# at least the certain ones (LAN2's random bytes may be malformed too)
((malformed >= want_m))
check_err $? "drop_malformed rose by $malformed, LAN2 sent $want_m malformed frames out"
((icmperr >= want_i))
check_err $? "drop_icmp_err rose by $icmperr, LAN2 sent $want_i bad errors out"
[[ $(lan1_maps) == "$maps_before" ]]
check_err $? "LAN1's mappings changed: '$maps_before' -> '$(lan1_maps)'"
log_test "counted: drop_malformed +$malformed (>= $want_m), drop_icmp_err +$icmperr (>= $want_i); LAN1's mappings as they were"

##############################################################################
# Still forwarding on the old mappings

seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "UDP after the frames: '$seen'"
in_ns "$LAN1" ss -Htn state established "sport = :40001" | grep -q .
check_err $? "LAN1's TCP connection is gone"
in_ns "$LAN1" ping -c 1 -W 2 $INET_ADDR >/dev/null
check_err $? "ping after the frames"
log_test "the gateway still forwards UDP, TCP and ping"

rm -rf "$SNIFF_DIR" "$STOP"
exit "$EXIT_STATUS"
