#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Live configuration (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 -- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#                                      (then 198.51.100.1 ---- 198.51.100.2)
#
# - the external address follows the interface's address;
# - a configured ext-addr is used instead;
# - set ports changes the range (and flushes dynamic mappings);
# - map flush empties the table.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

napt_topo_setup
napt_udp_server "$INET" 0.0.0.0 5000

seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "before: INET saw '$seen'"
ip -n "$INET" addr add 198.51.100.2/24 dev eth0
ip -n "$GW" addr del $GW_EXT/24 dev wan0
ip -n "$GW" addr add 198.51.100.1/24 dev wan0
INET_ADDR=198.51.100.2
seen=$(napt_udp_ask "$LAN1" 40001 $INET_ADDR 5000)
[[ $seen == "198.51.100.1:40001" ]]
check_err $? "after the address change: INET saw '$seen'"
napt_maps_json | /usr/bin/python3 -c '
import json, sys
m = json.load(sys.stdin)
assert all(x["ext_addr"] == "198.51.100.1" for x in m), m
'
check_err $? "mappings on the old address remain: $(napt_maps_json)"
natctl -n "$GW" -j show | grep -q '"198.51.100.1"'
check_err $? "show does not report the new address"
log_test "external address follows the interface"

natctl -n "$GW" set ext-addr 198.51.100.1 ports 20000-20009
check_err $? "set ext-addr/ports failed"
seen=$(napt_udp_ask "$LAN1" 40002 $INET_ADDR 5000)
port=${seen#*:}
[[ ${seen%:*} == 198.51.100.1 && $port -ge 20000 && $port -le 20009 ]]
check_err $? "with ports 20000-20009: INET saw '$seen'"
natctl -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
assert (c["port_min"], c["port_max"]) == (20000, 20009), c
'
check_err $? "show does not report the range"
log_test "set ext-addr and ports apply to new mappings"

# ten ports, ten flows: all fit; an eleventh is dropped and counted
for p in $(seq 40010 40018); do
	napt_udp_ask "$LAN1" "$p" $INET_ADDR 5000 >/dev/null
	check_err $? "flow from $p got no answer"
done
before=$(napt_stat drop_no_port)
napt_udp_ask "$LAN1" 40019 $INET_ADDR 5000 >/dev/null
check_fail $? "the eleventh flow got an answer"
[[ $(napt_stat drop_no_port) -gt $before ]]
check_err $? "drop_no_port did not count"
[[ $(napt_map_count) == 10 ]]
check_err $? "expected 10 mappings, have $(napt_map_count)"
log_test "port range exhausted: new flow dropped and counted, none evicted"

natctl -n "$GW" map flush dynamic
check_err $? "map flush failed"
[[ $(napt_map_count) == 0 ]]
check_err $? "mappings left after flush: $(napt_maps_json)"
seen=$(napt_udp_ask "$LAN1" 40020 $INET_ADDR 5000)
[[ $seen == 198.51.100.1:200* ]]
check_err $? "after flush: INET saw '$seen'"
log_test "map flush"

natctl -n "$GW" down
check_err $? "down failed"
natctl -n "$GW" show | grep -q "napt: down"
check_err $? "still up after down"
seen=$(napt_udp_ask "$LAN1" 40021 $INET_ADDR 5000)
[[ -z $seen ]]
check_err $? "traffic still translated after down: '$seen'"
log_test "down stops translation"

exit "$EXIT_STATUS"
