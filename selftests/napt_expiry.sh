#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mappings expire after their timeout (set short here) and the expiry is
# counted; a mapping in use is kept (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 -- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

napt_topo_setup udp-timeout 3 icmp-timeout 3 tcp-trans-timeout 3 max-maps 1024
napt_udp_server "$INET" $INET_ADDR 5000

no_maps() { [[ $(napt_map_count) == 0 ]]; }

seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "UDP: INET saw '$seen'"
in_ns "$LAN1" ping -c 1 -W 2 $INET_ADDR >/dev/null
check_err $? "ping failed"
[[ $(napt_map_count) == 2 ]]
check_err $? "expected 2 mappings, have: $(napt_maps_json)"
slowwait 15 no_maps
check_err $? "mappings did not expire: $(napt_maps_json)"
[[ $(napt_stat maps_expired) -ge 2 ]]
check_err $? "maps_expired is $(napt_stat maps_expired)"
log_test "UDP and ICMP mappings expire after the timeout"

# Kept alive by traffic: 20 s or more of a packet every 2 s (plus what
# a datagram takes on a loaded TCG guest) outlive a 15 s timeout.
natctl -n "$GW" set udp-timeout 15
for _ in $(seq 10); do
	napt_udp_ask "$LAN1" 40001 $INET_ADDR 5000 >/dev/null
	sleep 2
done
napt_udp_ask "$LAN1" 40001 $INET_ADDR 5000 >/dev/null
[[ $(napt_stat maps_created) == 3 ]]
check_err $? "the mapping was made again: maps_created $(napt_stat maps_created)"
napt_has_map udp 192.168.1.2 40001 $GW_EXT 40001 dynamic
check_err $? "a mapping in use expired"
slowwait 40 no_maps
check_err $? "it did not expire once idle"
log_test "a mapping in use is refreshed, then expires when idle"

# A TCP mapping whose connection was never established uses the transitory
# timeout (3 s here).
in_ns "$LAN1" timeout 3 socat -T 1 - TCP4:$INET_ADDR:5999,sourceport=40002 </dev/null 2>/dev/null
slowwait 15 no_maps
check_err $? "TCP mapping after a refused connection did not expire"
log_test "TCP mapping of a refused connection expires (transitory)"

exit "$EXIT_STATUS"
