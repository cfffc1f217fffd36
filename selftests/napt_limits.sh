#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Resource limits (RFC 6888) (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   LAN2 192.168.1.3 --+       192.168.1.1
#
# - max-maps 4: four flows are mapped, a fifth is dropped and counted
#   (drop_map_limit) and its sender gets ICMP 3/13 from 192.168.1.1
#   (icmp_unreach_sent), which a connected socket sees as EHOSTUNREACH;
#   with icmp-unreach off it is dropped silently; the four mappings keep
#   their ports and still work;
# - max-maps-per-host 2: LAN1's third flow is dropped (drop_host_limit) while
#   LAN2 still gets its own mapping;
# - port-reuse-delay with the one port 20000: once LAN1's mapping expired,
#   LAN2 cannot have the port (drop_no_port) but LAN1 can, at once; with a
#   delay of 8 s LAN2, asking all the time, gets it after more than 7 s
#   (whole seconds), not before, and not much later;
# - max-maps 1000 and a flood of 5000 new flows: never more than 1000
#   mappings, and the gateway keeps answering.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

# unreach NS SPORT [TIMEOUT]: a connected socket's datagram to INET:5000,
# and what came back (napt_lim_unreach.py)
unreach() {
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_unreach.py" \
		"$2" $INET_ADDR 5000 "${3:-5}"
}
# ask1 NS SPORT: napt_udp_ask to INET:5000 waiting 1 s only
ask1() {
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
		-t 1 -s "$2" $INET_ADDR 5000
}
# json_check JSON EXPR: succeed if the python expression of "j" is true.
json_check() {
	/usr/bin/python3 -c 'import json, sys; j = json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}
stat_is() { [[ $(napt_stat "$1") == "$2" ]]; }
# maps_of ADDR: "INT_PORT:EXT_PORT ..." of one inside host, sorted
maps_of() {
	napt_maps_json | /usr/bin/python3 -c '
import json, sys
print(" ".join(sorted("%d:%d" % (m["int_port"], m["ext_port"]) for m in json.load(sys.stdin) if m["int_addr"] == sys.argv[1])))' "$1"
}
no_maps() { [[ $(napt_map_count) == 0 ]]; }
show_maps() {
	natctl -n "$GW" -j show | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["maps"])'
}

# probe_srv MODE PORT: napt_lim_probe.py's echo or peer server on INET
probe_srv() {
	ip netns exec "$INET" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_probe.py" \
		"$1" 0.0.0.0 "$2" &
	wait_local_port_listen "$INET" "$2" udp
}

napt_topo_setup max-maps 4
# every refusal answered: no ICMP rate limit in the way of exact checks
ip netns exec "$GW" sysctl -qw net.ipv4.icmp_ratelimit=0
# answers "ADDR:PORT" as napt_udp_server does, with no fork per datagram
probe_srv peer 5000

##############################################################################
# max-maps
for p in 40001 40002 40003 40004; do
	seen=$(napt_udp_ask "$LAN1" $p $INET_ADDR 5000)
	[[ $seen == "$GW_EXT:$p" ]]
	check_err $? "flow from $p: INET saw '$seen'"
done
[[ $(maps_of 192.168.1.2) == "40001:40001 40002:40002 40003:40003 40004:40004" ]]
check_err $? "mappings: $(napt_maps_json)"
log_test "max-maps 4: four flows mapped"

limit=$(napt_stat drop_map_limit)
sent=$(napt_stat icmp_unreach_sent)
res=$(unreach "$LAN1" 40005)
json_check "$res" 'j == {"result": "EHOSTUNREACH", "icmp": [{"src": "192.168.1.1", "dst": "192.168.1.2", "type": 3, "code": 13, "qsrc": "192.168.1.2", "qsport": 40005, "qdst": "203.0.113.2", "qdport": 5000}]}'
check_err $? "the fifth flow's sender saw: $res"
stat_is drop_map_limit $((limit + 1))
check_err $? "drop_map_limit $(napt_stat drop_map_limit), expected $((limit + 1))"
stat_is icmp_unreach_sent $((sent + 1))
check_err $? "icmp_unreach_sent $(napt_stat icmp_unreach_sent), expected $((sent + 1))"
[[ $(napt_map_count) == 4 ]]
check_err $? "mappings: $(napt_maps_json)"
log_test "fifth flow dropped, counted, ICMP 3/13 -> EHOSTUNREACH"

natctl -n "$GW" set icmp-unreach off
check_err $? "set icmp-unreach off failed"
res=$(unreach "$LAN1" 40006 3)
json_check "$res" 'j == {"result": "timeout", "icmp": []}'
check_err $? "with icmp-unreach off the sender saw: $res"
stat_is drop_map_limit $((limit + 2))
check_err $? "drop_map_limit $(napt_stat drop_map_limit), expected $((limit + 2))"
stat_is icmp_unreach_sent $((sent + 1))
check_err $? "icmp_unreach_sent moved: $(napt_stat icmp_unreach_sent)"
natctl -n "$GW" set icmp-unreach on
check_err $? "set icmp-unreach on failed"
log_test "icmp-unreach off: dropped and counted, nothing sent back"

[[ $(maps_of 192.168.1.2) == "40001:40001 40002:40002 40003:40003 40004:40004" ]]
check_err $? "mappings changed: $(napt_maps_json)"
for p in 40001 40002 40003 40004; do
	seen=$(napt_udp_ask "$LAN1" $p $INET_ADDR 5000)
	[[ $seen == "$GW_EXT:$p" ]]
	check_err $? "flow from $p afterwards: INET saw '$seen'"
done
stat_is maps_created 4
check_err $? "maps_created $(napt_stat maps_created), expected 4"
log_test "the four mappings untouched and still answering"

##############################################################################
# max-maps-per-host
natctl -n "$GW" map flush
natctl -n "$GW" set max-maps-per-host 2
check_err $? "set max-maps-per-host 2 failed"
natctl -n "$GW" -j show |
	/usr/bin/python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["max_maps_per_host"] != 2)'
check_err $? "show: $(natctl -n "$GW" -j show)"
for p in 40011 40012; do
	seen=$(napt_udp_ask "$LAN1" $p $INET_ADDR 5000)
	[[ $seen == "$GW_EXT:$p" ]]
	check_err $? "LAN1 flow from $p: INET saw '$seen'"
done
host=$(napt_stat drop_host_limit)
limit=$(napt_stat drop_map_limit)
res=$(unreach "$LAN1" 40013)
json_check "$res" 'j["result"] == "EHOSTUNREACH" and [(e["type"], e["code"], e["qsport"]) for e in j["icmp"]] == [(3, 13, 40013)]'
check_err $? "LAN1's third flow: $res"
stat_is drop_host_limit $((host + 1))
check_err $? "drop_host_limit $(napt_stat drop_host_limit), expected $((host + 1))"
stat_is drop_map_limit "$limit"
check_err $? "drop_map_limit moved: $(napt_stat drop_map_limit)"
seen=$(napt_udp_ask "$LAN2" 40011 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:"* && $seen != "$GW_EXT:40011" ]]
check_err $? "LAN2's flow: INET saw '$seen'"
[[ $(maps_of 192.168.1.2) == "40011:40011 40012:40012" &&
   $(maps_of 192.168.1.3) == "40011:${seen#*:}" ]]
check_err $? "mappings: $(napt_maps_json)"
log_test "max-maps-per-host 2: LAN1's third flow dropped, LAN2 served"

##############################################################################
# port-reuse-delay, with a range of one port: 60 s first, to see who may
# have a resting port whatever the pace of this machine, then 8 s, timed.
natctl -n "$GW" set max-maps-per-host 0 ports 20000-20000 udp-timeout 2 \
	port-reuse-delay 60
check_err $? "set ports/udp-timeout/port-reuse-delay failed"
seen=$(napt_udp_ask "$LAN1" 40020 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:20000" ]]
check_err $? "LAN1's first flow: INET saw '$seen'"
slowwait 15 no_maps
check_err $? "LAN1's mapping did not expire: $(napt_maps_json)"
noport=$(napt_stat drop_no_port)
seen=$(ask1 "$LAN2" 40021)
[[ -z $seen ]]
check_err $? "LAN2 got the resting port: '$seen'"
stat_is drop_no_port $((noport + 1))
check_err $? "drop_no_port $(napt_stat drop_no_port), expected $((noport + 1))"
# LAN2 asks every 0.25 s from now on; LAN1 takes its port back, its new
# mapping expires and the port rests 8 s, counted in whole seconds: more
# than 7 s after the mapping went, at the time natctl monitor reports.
natctl -n "$GW" set port-reuse-delay 8 udp-timeout 5
check_err $? "set port-reuse-delay 8 failed"
"$NATCTL" -n "$GW" -j monitor >/tmp/napt_limits.events &
mon=$!
monitor_ready() {
	natctl -n "$GW" map add udp 192.168.1.3:9 ext-port 9 >/dev/null &&
		natctl -n "$GW" map del udp ext-port 9 &&
		grep -q '"int_port":9,' /tmp/napt_limits.events
}
slowwait 20 monitor_ready
check_err $? "natctl monitor reports nothing"
probe_srv echo 5001
ip netns exec "$LAN2" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_probe.py" \
	send 40023 $INET_ADDR 5001 0.25 90 >/tmp/napt_limits.probe &
probe=$!
seen=$(napt_udp_ask "$LAN1" 40022 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:20000" ]]
check_err $? "LAN1 could not have its resting port back: '$seen'"
log_test "resting port refused to LAN2, given back to LAN1 at once"

# removed_at: when LAN1's mapping went (ns), from the monitor
removed_at() {
	/usr/bin/python3 -c '
import json, sys
t = [e["time_ns"] for e in map(json.loads, open(sys.argv[1]))
     if e["event"] == "removed" and e["int_addr"] == "192.168.1.2" and e["int_port"] == 40022]
print(t[0]) if len(t) == 1 else sys.exit(1)' /tmp/napt_limits.events
}
gone_ns=$(slowwait 30 removed_at)
check_err $? "no removed event for LAN1's mapping: $(cat /tmp/napt_limits.events)"
wait $probe
res=$(cat /tmp/napt_limits.probe)
kill $mon
wait $mon
rm -f /tmp/napt_limits.probe /tmp/napt_limits.events
[[ $(maps_of 192.168.1.2) == "" && $(maps_of 192.168.1.3) == "40023:20000" ]]
check_err $? "mappings: $(napt_maps_json)"
/usr/bin/python3 - "$res" "${gone_ns:-0}" <<'PYEOF'
import json, sys
res, gone = json.loads(sys.argv[1]), int(sys.argv[2]) / 1e9
r = res["reply"]
if not r or r["text"] != "seq %d 203.0.113.1:20000" % r["seq"]:
    sys.exit("LAN2 never got port 20000: %s" % res)
refused = [t - gone for n, t in res["sent"].items() if int(n) < r["seq"]]
print("INFO: port 20000 to LAN2 %.1f s after LAN1's mapping went; refused "
      "until a datagram sent at %+.1f s" % (r["time"] - gone, max(refused, default=-99)))
# refused after the mapping went ...
if not [t for t in refused if t >= 1]:
    sys.exit("LAN2 was not refused after LAN1's mapping went")
# ... and given the port after more than 7 s, not much later than 8 s
if r["time"] - gone <= 7:
    sys.exit("LAN2 got the port too early")
if r["time"] - gone > 14:
    sys.exit("LAN2 got the port too late")
PYEOF
check_err $? "port-reuse-delay 8: $res (mapping gone at $gone_ns)"
log_test "LAN2 gets the port once port-reuse-delay 8 is over"

##############################################################################
# a flood of new flows against max-maps 1000
natctl -n "$GW" down
ip netns exec "$GW" sysctl -qw net.ipv4.icmp_ratelimit=1000
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 max-maps 1000
check_err $? "up with max-maps 1000 failed"
seen=$(napt_udp_ask "$LAN2" 40030 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40030" ]]
check_err $? "LAN2 before the flood: INET saw '$seen'"
ip netns exec "$INET" socat -u UDP4-RECV:9,bind=$INET_ADDR /dev/null &
sink=$!
wait_local_port_listen "$INET" 9 udp
in_ns "$LAN1" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_flood.py" \
	192.168.1.2 $INET_ADDR 9 10000 14999 2 >/tmp/napt_limits.flood &
flood=$!
max=0
polls=0
while kill -0 $flood 2>/dev/null; do
	n=$(show_maps)
	((n > max)) && max=$n
	polls=$((polls + 1))
	seen=$(napt_udp_ask "$LAN2" 40030 $INET_ADDR 5000)
	[[ $seen == "$GW_EXT:40030" ]]
	check_err $? "LAN2 during the flood: INET saw '$seen'"
	in_ns "$INET" ping -c 1 -W 5 $GW_EXT >/dev/null
	check_err $? "the gateway did not answer ping during the flood"
done
wait $flood
check_err $? "the flood failed"
kill $sink
wait $sink 2>/dev/null
sent=$(cat /tmp/napt_limits.flood)
rm -f /tmp/napt_limits.flood
[[ $sent == 10000 ]]
check_err $? "flood sent '$sent' datagrams, expected 10000"
n=$(show_maps)
((n > max)) && max=$n
[[ $max -le 1000 && $n == 1000 && $(napt_map_count) == 1000 ]]
check_err $? "mappings: at most $max seen in $polls polls, $n now, expected 1000"
stat_is maps_created 1000
check_err $? "maps_created $(napt_stat maps_created), expected 1000"
[[ $(napt_stat drop_map_limit) -gt 0 ]]
check_err $? "drop_map_limit did not count"
in_ns "$LAN2" ping -c 1 -W 5 192.168.1.1 >/dev/null
check_err $? "the gateway did not answer LAN2's ping after the flood"
seen=$(napt_udp_ask "$LAN2" 40030 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40030" ]]
check_err $? "LAN2 after the flood: INET saw '$seen'"
log_test "flood of 5000 flows: 1000 mappings at most ($polls polls), still answering"

exit "$EXIT_STATUS"
