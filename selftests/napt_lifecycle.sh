#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deleting a namespace and unloading the module while mappings exist and
# traffic flows leaves nothing behind: the slab caches are empty (a left
# object would also make rmmod WARN, which panics the test kernel).
#
#   LAN1/LAN2 -- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   (two copies: one whose GW namespace is deleted, one unloaded under)

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

# flood NS: 500 UDP flows, each sending again and again, in the background
FLOODS=()
flood() {
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_flood.py" \
		$INET_ADDR 5999 20000 20499 60 &
	FLOODS+=($!)
}
maps_over() { [[ $(napt_map_count) -gt $1 ]]; }

napt_topo_setup
flood "$LAN1"
flood "$LAN2"
slowwait 20 maps_over 200
check_err $? "no mappings made by the flood"
[[ $(slab_objs napt_map) -gt 0 ]]
check_err $? "slabinfo shows no napt_map objects while mappings exist"
ip netns delete "$GW"
slowwait 10 no_objs
check_err $? "objects left after deleting the namespace: map $(slab_objs napt_map) sess $(slab_objs napt_sess)"
log_test "namespace deleted under traffic: every object freed"

cleanup_all_ns
napt_topo_setup
flood "$LAN1"
slowwait 20 maps_over 200
check_err $? "no mappings made by the flood"
rmmod napt
check_err $? "rmmod napt under traffic failed"
! napt_loaded
check_err $? "napt still loaded"
log_test "module unloaded under traffic"
kill "${FLOODS[@]}" 2>/dev/null
wait "${FLOODS[@]}" 2>/dev/null

napt_load
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24
napt_udp_server "$INET" $INET_ADDR 5000
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "after reload: got '$seen'"
log_test "module reloaded and working"

exit "$EXIT_STATUS"
