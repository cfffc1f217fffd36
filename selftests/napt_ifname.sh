#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An instance configured by interface name (natctl always sends the name)
# follows the device (topology in napt_topo.sh):
#
# - the device is deleted under the running instance: napt says it is
#   waiting (ext_if_waiting, ifindex 0), keeps the admin's static mapping;
# - a device of that name comes back with a new index and a new address:
#   napt takes it, translates to the new address, and the static mapping
#   moved there and is reachable from outside;
# - a rename away is a "delete", a rename back a "come back";
# - up with a name no device has: up and waiting, then taken when it
#   appears;
# - the device deleted and recreated ten times while the LAN floods it:
#   no crash, no WARN (the guest's panic_on_warn), translation after.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

napt_topo_setup
napt_udp_server "$INET" $INET_ADDR 5000

# show_is KEY=VALUE...: natctl -j show has these (python literals)
show_is() {
	natctl -n "$GW" -j show | /usr/bin/python3 -c '
import ast, json, sys
c = json.load(sys.stdin)
for kv in sys.argv[1:]:
    k, v = kv.split("=", 1)
    if c.get(k) != ast.literal_eval(v):
        sys.exit("%s is %r, not %s" % (k, c.get(k), v))
' "$@"
}

# static_on EXT_ADDR: the admin forward of 192.168.1.2:7000 is there,
# on EXT_ADDR:7000
static_on() {
	natctl -n "$GW" -j map list static | /usr/bin/python3 -c '
import json, sys
maps = json.load(sys.stdin)
sys.exit(0 if any(m["int_addr"] == "192.168.1.2" and m["int_port"] == 7000
		  and m["ext_port"] == 7000 and m["ext_addr"] == sys.argv[1]
		  for m in maps) else 1)
' "$1"
}

# mkwan ADDR: wan0 in GW, its peer eth0 in INET (which keeps its address)
mkwan() {
	ip link add wan0 netns "$GW" type veth peer name eth0 netns "$INET" &&
		ip -n "$GW" addr add "$1"/24 dev wan0 &&
		ip -n "$GW" link set wan0 up &&
		ip -n "$INET" addr add $INET_ADDR/24 dev eth0 &&
		ip -n "$INET" link set eth0 up
}

natctl -n "$GW" map add udp 192.168.1.2:7000 ext-port 7000 ||
	ksft_exit_fail "natctl map add failed"
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:"* ]]
check_err $? "before: INET saw '$seen'"
old_index=$(ip -n "$GW" -j link show wan0 | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])')
show_is ext_if="'wan0'" ext_if_waiting=False ext_ifindex="$old_index"
check_err $? "show before"
log_test "up by name: translated to $GW_EXT"

ip -n "$GW" link del wan0
show_is ext_if="'wan0'" ext_if_waiting=True ext_ifindex=0 running=True
check_err $? "show with wan0 gone: $(natctl -n "$GW" show)"
natctl -n "$GW" show | grep -q 'ext-if wan0 (waiting for it)'
check_err $? "show does not say waiting: $(natctl -n "$GW" show)"
natctl -n "$GW" -j map list static | grep -q '"int_port":7000'
check_err $? "the static mapping is gone: $(natctl -n "$GW" map list)"
log_test "wan0 deleted: waiting, static mapping kept"

# a dummy first takes the old index, so the new wan0 cannot get it back
ip -n "$GW" link add hold0 index "$old_index" type dummy 2>/dev/null
mkwan 203.0.113.9 || ksft_exit_fail "cannot recreate wan0"
new_index=$(ip -n "$GW" -j link show wan0 | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["ifindex"])')
[[ $new_index != "$old_index" ]]
check_err $? "wan0 came back with its old index $old_index"
busywait 2000 show_is ext_if_waiting=False ext_ifindex="$new_index" \
	ext_addrs="['203.0.113.9']"
check_err $? "show after wan0 came back: $(natctl -n "$GW" show)"
seen=$(napt_udp_ask "$LAN1" 40001 $INET_ADDR 5000)
[[ $seen == "203.0.113.9:"* ]]
check_err $? "after: INET saw '$seen'"
busywait 2000 static_on 203.0.113.9
check_err $? "the static mapping did not move: $(natctl -n "$GW" map list static)"
# and it works inbound: INET reaches 192.168.1.2:7000 at 203.0.113.9:7000
ip netns exec "$LAN1" timeout 10 socat -u UDP4-RECV:7000 OPEN:/dev/stdout > "${TMPDIR:-/tmp}/ifname.$$" &
rx=$!
wait_local_port_listen "$LAN1" 7000 udp
ip netns exec "$INET" sh -c 'for i in 1 2 3; do echo hello-7000; sleep 0.2; done' |
	ip netns exec "$INET" socat -u - UDP4-SENDTO:203.0.113.9:7000
sleep 1
kill "$rx" 2>/dev/null
wait "$rx" 2>/dev/null
grep -q hello-7000 "${TMPDIR:-/tmp}/ifname.$$"
check_err $? "the forward on 203.0.113.9:7000 did not reach 192.168.1.2"
rm -f "${TMPDIR:-/tmp}/ifname.$$"
log_test "wan0 back with index $new_index (was $old_index): followed"

ip -n "$GW" link set wan0 down
ip -n "$GW" link set wan0 name wanx
show_is ext_if_waiting=True ext_ifindex=0
check_err $? "show after the rename away: $(natctl -n "$GW" show)"
ip -n "$GW" link set wanx name wan0
ip -n "$GW" link set wan0 up
show_is ext_if_waiting=False ext_ifindex="$new_index"
check_err $? "show after the rename back: $(natctl -n "$GW" show)"
busywait 3000 ip netns exec "$LAN1" ping -c 1 -W 1 $INET_ADDR >/dev/null
check_err $? "no ping after the rename back"
log_test "renamed away: waiting; renamed back: followed"

natctl -n "$GW" down
out=$(natctl -n "$GW" up ext-if ppp0 int-net 192.168.1.0/24 2>&1)
rc=$?
[[ $rc == 0 && $out == *'interface "ppp0" does not exist (yet): napt waits for it'* ]]
check_err $? "up ext-if ppp0: exit $rc, '$out'"
show_is ext_if="'ppp0'" ext_if_waiting=True running=True
check_err $? "show, waiting for ppp0: $(natctl -n "$GW" show)"
ip -n "$GW" link set wan0 down && ip -n "$GW" link set wan0 name ppp0 &&
	ip -n "$GW" link set ppp0 up
show_is ext_if="'ppp0'" ext_if_waiting=False ext_ifindex="$new_index"
check_err $? "show, ppp0 there: $(natctl -n "$GW" show)"
seen=$(napt_udp_ask "$LAN1" 40002 $INET_ADDR 5000)
[[ $seen == "203.0.113.9:"* ]]
check_err $? "through ppp0: INET saw '$seen'"
log_test "up ext-if ppp0 before it exists: waits, then translates"

# churn under a flood: the notifier against the hooks
natctl -n "$GW" down
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 2>/dev/null ||
	ksft_exit_fail "natctl up ext-if wan0 failed"
ip -n "$GW" link del ppp0
ip netns exec "$LAN1" ping -f -w 30 $INET_ADDR >/dev/null 2>&1 &
flood=$!
for i in $(seq 10); do
	mkwan 203.0.113.1 || { check_err 1 "recreate $i failed"; break; }
	sleep 0.2
	ip -n "$GW" link del wan0
done
mkwan 203.0.113.1 || check_err 1 "final recreate failed"
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
busywait 2000 show_is ext_if_waiting=False
check_err $? "show after the churn: $(natctl -n "$GW" show)"
seen=$(napt_udp_ask "$LAN1" 40003 $INET_ADDR 5000)
[[ $seen == "203.0.113.1:"* ]]
check_err $? "after the churn: INET saw '$seen'"
log_test "wan0 deleted and recreated 10 times under a ping flood"

exit "$EXIT_STATUS"
