#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mapping events: natctl -j monitor (JSON Lines) in the gateway's namespace
# (topology in napt_topo.sh):
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   LAN2 192.168.1.3 --+   natctl -j monitor > events
#
# - a new UDP flow: "created" with proto, type, inside and outside
#   endpoints, and a time taken while it happened;
# - its expiry: "removed", reason "expired"; a static mapping's lease end
#   too;
# - map flush, set ports and down: "removed", reason "flushed";
# - map add / map del: "created" (static) and "removed", reason "deleted";
# - a flow refused at max-maps: "refused", reason "limit", no outside
#   endpoint; with the port range used up: reason "no-port";
# - no event ever names the remote (RFC 6888 REQ-12), not even for a
#   symmetric mapping or a static one restricted to that remote;
# - exactly the expected events, each once, every line the same keys;
# - an unprivileged monitor is refused (or, on a kernel without
#   GENL_MCAST_CAP_NET_ADMIN, receives nothing).

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"

EV=$(mktemp /tmp/napt_events.XXXXXX)
MON=
cleanup() {
	[[ -n $MON ]] && kill "$MON" 2>/dev/null
	napt_topo_cleanup
	rm -f "$EV" "$EV".*
}
trap cleanup EXIT

# ev_match FILTER [N]: exactly N (default 1) events hold every member of
# the JSON object FILTER; print them.
ev_match() {
	/usr/bin/python3 - "$EV" "$1" "${2:-1}" <<'EOF'
import json, sys
path, flt, n = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
found = []
for line in open(path):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if all(e.get(k, object()) == v for k, v in flt.items()):
        found.append(line.rstrip("\n"))
print("\n".join(found))
sys.exit(0 if len(found) == n else 1)
EOF
}
# ev_get FILTER EXPR: a python expression of the one matching event "e"
ev_get() {
	local line
	line=$(ev_match "$1") || return 1
	/usr/bin/python3 -c 'import json, sys; e = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$line" "$2"
}
now_ns() { date +%s%N; }
# has_remote: the mapping list on stdin has one, with INET as its remote
has_remote() {
	/usr/bin/python3 -c 'import json, sys; m = json.load(sys.stdin); sys.exit(not (len(m) == 1 and m[0].get("rem_addr") == "203.0.113.2"))'
}
# ask1 NS SPORT: napt_udp_ask to INET:5000 waiting 1 s only
ask1() {
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
		-t 1 -s "$2" $INET_ADDR 5000
}

# The monitor is listening once a sentinel static mapping shows.
monitor_ready() {
	natctl -n "$GW" map add udp 192.168.1.3:9 ext-port 9 >/dev/null &&
		natctl -n "$GW" map del udp ext-port 9 ||
		return 1
	ev_match '{"event": "removed", "int_addr": "192.168.1.3", "int_port": 9}' \
		>/dev/null
}

napt_topo_setup udp-timeout 3 max-maps 3
# answers "ADDR:PORT" as napt_udp_server does, with no fork per datagram
ip netns exec "$INET" /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
while True:
    _, src = s.recvfrom(2048)
    s.sendto(("%s:%d\n" % src).encode(), src)
' &
wait_local_port_listen "$INET" 5000 udp

"$NATCTL" -n "$GW" -j monitor >"$EV" 2>"$EV.err" &
MON=$!
slowwait 10 monitor_ready
check_err $? "the monitor shows no events: $(cat "$EV" "$EV.err")"
log_test "monitor listening"

##############################################################################
t1=$(now_ns)
seen=$(napt_udp_ask "$LAN1" 40000 $INET_ADDR 5000)
t2=$(now_ns)
[[ $seen == "$GW_EXT:40000" ]]
check_err $? "INET saw '$seen'"
slowwait 5 ev_match '{"event": "created", "int_port": 40000}' >/dev/null
check_err $? "no created event for LAN1:40000: $(cat "$EV")"
ev_match '{"event": "created", "proto": "udp", "type": "dynamic", "int_addr": "192.168.1.2", "int_port": 40000, "ext_addr": "203.0.113.1", "ext_port": 40000, "reason": null}' >/dev/null
check_err $? "created event: $(ev_match '{"int_port": 40000}')"
tc=$(ev_get '{"event": "created", "int_port": 40000}' 'e["time_ns"]')
((tc >= t1 && tc <= t2))
check_err $? "created at $tc, not between $t1 and $t2"
ev_get '{"event": "created", "int_port": 40000}' '__import__("time").strftime("%Y-%m-%dT%H:%M:%S", __import__("time").gmtime(e["time_ns"] // 10**9)) + ".%03dZ" % (e["time_ns"] // 10**6 % 1000) == e["time"]' |
	grep -qx True
check_err $? "time and time_ns disagree: $(ev_match '{"int_port": 40000}')"
log_test "new flow: created event"

slowwait 15 ev_match '{"event": "removed", "int_port": 40000}' >/dev/null
check_err $? "no removed event for LAN1:40000"
ev_match '{"event": "removed", "proto": "udp", "type": "dynamic", "int_addr": "192.168.1.2", "int_port": 40000, "ext_addr": "203.0.113.1", "ext_port": 40000, "reason": "expired"}' >/dev/null
check_err $? "removed event: $(ev_match '{"int_port": 40000}' 2)"
tr=$(ev_get '{"event": "removed", "int_port": 40000}' 'e["time_ns"]')
# udp-timeout 3, counted in whole seconds
((tr - tc >= 2000000000 && tr - tc <= 20000000000))
check_err $? "removed $(((tr - tc) / 1000000)) ms after it was created"
log_test "expiry: removed event, reason expired ($(((tr - tc) / 1000000)) ms)"

natctl -n "$GW" set udp-timeout 60
seen=$(napt_udp_ask "$LAN1" 40001 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:40001" ]]
check_err $? "INET saw '$seen'"
natctl -n "$GW" map flush
slowwait 5 ev_match '{"event": "removed", "proto": "udp", "type": "dynamic", "int_addr": "192.168.1.2", "int_port": 40001, "ext_addr": "203.0.113.1", "ext_port": 40001, "reason": "flushed"}' >/dev/null
check_err $? "events of LAN1:40001: $(ev_match '{"int_port": 40001}' 2)"
log_test "map flush: removed event, reason flushed"

##############################################################################
natctl -n "$GW" map add udp 192.168.1.2:8080 ext-port 18080 >/dev/null
check_err $? "map add failed"
natctl -n "$GW" map del udp ext-port 18080
check_err $? "map del failed"
slowwait 5 ev_match '{"event": "removed", "proto": "udp", "type": "static", "int_addr": "192.168.1.2", "int_port": 8080, "ext_addr": "203.0.113.1", "ext_port": 18080, "reason": "deleted"}' >/dev/null
check_err $? "events of the static mapping: $(ev_match '{"int_port": 8080}' 2)"
ev_match '{"event": "created", "proto": "udp", "type": "static", "int_addr": "192.168.1.2", "int_port": 8080, "ext_addr": "203.0.113.1", "ext_port": 18080, "reason": null}' >/dev/null
check_err $? "events of the static mapping: $(ev_match '{"int_port": 8080}' 2)"
log_test "map add / map del: created and removed (deleted)"

natctl -n "$GW" map add udp 192.168.1.2:8081 ext-port 18081 remote $INET_ADDR >/dev/null
check_err $? "map add remote failed"
natctl -n "$GW" -j map list static | has_remote
check_err $? "the static mapping does not show its remote: $(natctl -n "$GW" -j map list static)"
natctl -n "$GW" map del udp ext-port 18081 remote $INET_ADDR
check_err $? "map del remote failed"
slowwait 5 ev_match '{"event": "removed", "type": "static", "int_port": 8081, "ext_port": 18081, "reason": "deleted"}' >/dev/null
check_err $? "events of the static mapping with a remote: $(ev_match '{"int_port": 8081}' 2)"
ev_match '{"event": "created", "type": "static", "int_port": 8081, "ext_port": 18081}' >/dev/null
check_err $? "events of the static mapping with a remote: $(ev_match '{"int_port": 8081}' 2)"
log_test "static mapping for one remote: events without the remote"

natctl -n "$GW" map add udp 192.168.1.2:8082 ext-port 18082 lease 2 >/dev/null
check_err $? "map add lease 2 failed"
slowwait 15 ev_match '{"event": "removed", "proto": "udp", "type": "static", "int_addr": "192.168.1.2", "int_port": 8082, "ext_addr": "203.0.113.1", "ext_port": 18082, "reason": "expired"}' >/dev/null
check_err $? "events of the leased mapping: $(ev_match '{"int_port": 8082}' 2)"
log_test "end of a lease: removed event, reason expired"

##############################################################################
natctl -n "$GW" set mode symmetric
seen=$(napt_udp_ask "$LAN1" 40002 $INET_ADDR 5000)
sym_port=${seen#"$GW_EXT:"}
[[ $seen == "$GW_EXT:"* && $sym_port != 40002 ]]
check_err $? "symmetric: INET saw '$seen' (a random port expected)"
napt_maps_json | has_remote
check_err $? "the symmetric mapping does not show its remote: $(napt_maps_json)"
slowwait 5 ev_match '{"event": "created", "proto": "udp", "type": "dynamic", "int_addr": "192.168.1.2", "int_port": 40002, "ext_addr": "203.0.113.1", "ext_port": '"${sym_port:-0}"', "reason": null}' >/dev/null
check_err $? "events of the symmetric mapping: $(ev_match '{"int_port": 40002}' 2)"
natctl -n "$GW" map flush
natctl -n "$GW" set mode port-restricted-cone
slowwait 5 ev_match '{"event": "removed", "int_port": 40002, "reason": "flushed"}' >/dev/null
check_err $? "events of the symmetric mapping: $(ev_match '{"int_port": 40002}' 2)"
log_test "symmetric mapping: events without the remote"

##############################################################################
for p in 40010 40011 40012; do
	seen=$(napt_udp_ask "$LAN1" $p $INET_ADDR 5000)
	[[ $seen == "$GW_EXT:$p" ]]
	check_err $? "flow from $p: INET saw '$seen'"
done
seen=$(ask1 "$LAN1" 40013)
[[ -z $seen ]]
check_err $? "a fourth flow with max-maps 3 got an answer: '$seen'"
slowwait 5 ev_match '{"event": "refused", "proto": "udp", "type": "dynamic", "int_addr": "192.168.1.2", "int_port": 40013, "ext_addr": null, "ext_port": null, "reason": "limit"}' >/dev/null
check_err $? "events of the refused flow: $(ev_match '{"int_port": 40013}' 1)"
log_test "max-maps reached: refused event, reason limit"

natctl -n "$GW" set ports 20000-20000
for p in 40010 40011 40012; do
	slowwait 5 ev_match "{\"event\": \"removed\", \"int_port\": $p, \"ext_port\": $p, \"reason\": \"flushed\"}" >/dev/null
	check_err $? "events of $p: $(ev_match "{\"int_port\": $p}" 2)"
done
seen=$(napt_udp_ask "$LAN1" 40020 $INET_ADDR 5000)
[[ $seen == "$GW_EXT:20000" ]]
check_err $? "with ports 20000-20000: INET saw '$seen'"
seen=$(ask1 "$LAN1" 40021)
[[ -z $seen ]]
check_err $? "a second flow with one port got an answer: '$seen'"
slowwait 5 ev_match '{"event": "refused", "int_addr": "192.168.1.2", "int_port": 40021, "ext_addr": null, "ext_port": null, "reason": "no-port"}' >/dev/null
check_err $? "events of the refused flow: $(ev_match '{"int_port": 40021}' 1)"
ev_match '{"event": "created", "int_port": 40020, "ext_port": 20000}' >/dev/null
check_err $? "events of 40020: $(ev_match '{"int_port": 40020}' 1)"
log_test "set ports flushes; port range used up: refused, reason no-port"

##############################################################################
# Unprivileged listener: no CAP_NET_ADMIN, no events.
ip netns exec "$GW" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$NATCTL" -j monitor \
	>"$EV.nobody" 2>"$EV.nobody.err" &
nobody=$!
nobody_done() { ! kill -0 "$nobody" 2>/dev/null; }
if slowwait 5 nobody_done; then
	wait "$nobody"
	rc=$?
	[[ $rc == 1 ]] && grep -q "Operation not permitted" "$EV.nobody.err"
	check_err $? "unprivileged monitor: rc $rc, '$(cat "$EV.nobody.err")'"
	how="refused"
else
	# it could join: it must not hear anything
	natctl -n "$GW" map add udp 192.168.1.2:8083 ext-port 18083 >/dev/null
	natctl -n "$GW" map del udp ext-port 18083
	slowwait 5 ev_match '{"event": "removed", "int_port": 8083}' >/dev/null
	check_err $? "the privileged monitor missed the probe"
	sleep 1
	kill "$nobody"
	wait "$nobody"
	[[ ! -s $EV.nobody ]]
	check_err $? "the unprivileged monitor received: $(cat "$EV.nobody")"
	how="joined, heard nothing"
fi
log_test "unprivileged monitor: $how"

natctl -n "$GW" down
slowwait 5 ev_match '{"event": "removed", "int_port": 40020, "ext_port": 20000, "reason": "flushed"}' >/dev/null
check_err $? "events of 40020 at down: $(ev_match '{"int_port": 40020}' 2)"
kill "$MON"
wait "$MON"
check_err $? "the monitor did not end cleanly on SIGTERM: $(cat "$EV.err")"
MON=
log_test "down: removed events, reason flushed; monitor ends on SIGTERM"

##############################################################################
# The whole stream: each line an object with the same members, no remote
# address anywhere, and exactly the events expected (sentinels aside).
/usr/bin/python3 - "$EV" <<'EOF'
import collections, json, re, sys
keys = {"time", "time_ns", "event", "proto", "int_addr", "int_port",
        "ext_addr", "ext_port", "type", "reason"}
bad, got = [], collections.Counter()
for line in open(sys.argv[1]):
    if "203.0.113.2" in line:
        bad.append("remote address in: " + line)
    try:
        e = json.loads(line)
    except ValueError:
        bad.append("not JSON: " + line)
        continue
    if set(e) != keys:
        bad.append("members %s in: %s" % (sorted(set(e) ^ keys), line))
        continue
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]):
        bad.append("time: " + line)
    if e["int_addr"] == "192.168.1.3" and e["int_port"] == 9:
        continue	# sentinels
    got[(e["event"], e["type"], e["int_port"], e["reason"])] += 1
want = collections.Counter({
    ("created", "dynamic", 40000, None): 1,
    ("removed", "dynamic", 40000, "expired"): 1,
    ("created", "dynamic", 40001, None): 1,
    ("removed", "dynamic", 40001, "flushed"): 1,
    ("created", "static", 8080, None): 1,
    ("removed", "static", 8080, "deleted"): 1,
    ("created", "static", 8081, None): 1,
    ("removed", "static", 8081, "deleted"): 1,
    ("created", "static", 8082, None): 1,
    ("removed", "static", 8082, "expired"): 1,
    ("created", "dynamic", 40002, None): 1,
    ("removed", "dynamic", 40002, "flushed"): 1,
    ("created", "dynamic", 40010, None): 1,
    ("removed", "dynamic", 40010, "flushed"): 1,
    ("created", "dynamic", 40011, None): 1,
    ("removed", "dynamic", 40011, "flushed"): 1,
    ("created", "dynamic", 40012, None): 1,
    ("removed", "dynamic", 40012, "flushed"): 1,
    ("refused", "dynamic", 40013, "limit"): 1,
    ("created", "dynamic", 40020, None): 1,
    ("removed", "dynamic", 40020, "flushed"): 1,
    ("refused", "dynamic", 40021, "no-port"): 1,
})
got.update({("created", "static", 8083, None): 0, ("removed", "static", 8083, "deleted"): 0})
for k in list(got):
    if k[2] == 8083:	# the probe of the unprivileged monitor, if any
        del got[k]
if got != want:
    bad.append("unexpected: %s; missing: %s" % (dict(got - want), dict(want - got)))
sys.exit("\n".join(bad) if bad else 0)
EOF
check_err $? "the event stream is not as expected"
log_test "event stream: exact, same members, never the remote address"

exit "$EXIT_STATUS"
