#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors through the NAT (RFC 5508), with a router (INET) between the
# gateway and a far host:
#
#   LAN1 192.168.1.2 --+
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.2 [INET]
#   LAN2 192.168.1.3 --+   (route 198.51.100.0/24            198.51.100.1
#                               via 203.0.113.2)                  |
#                                                          198.51.100.2 [FAR]
#
# a) INET answers a LAN1 datagram to a closed port with port unreachable:
#    the connected LAN1 socket gets ECONNREFUSED; icmp_err_in counts it;
#    the error neither refreshes the mapping's timer nor removes it;
# b) time exceeded from INET (TTL 2 towards FAR): ping prints "Time to live
#    exceeded" (an error quoting an echo request) and a UDP socket with
#    IP_RECVERR finds the error (origin ICMP, type 11) in its error queue;
# c) LAN1 answers a datagram to a closed inside port with port unreachable:
#    INET receives it from 203.0.113.1, quoting 203.0.113.1:<ext port>,
#    with valid checksums and no 192.168.1.x anywhere; icmp_err_out counts;
# d) an error quoting a remote the inside endpoint never sent to (spoofed by
#    INET) is dropped (drop_icmp_err) while a genuine one gets through;
# e) an error about the gateway's own traffic (no mapping) reaches the
#    gateway's socket untouched, and no counter of napt moves;
# f) the gateway's own time exceeded for a packet it translated in (TTL 1
#    from INET) leaves quoting the external endpoint, no 192.168.1.x.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"

FAR=
TMPD=$(mktemp -d /tmp/napt_icmp.XXXXXX)
cleanup() {
	napt_topo_cleanup
	rm -rf "$TMPD"
}
trap cleanup EXIT

# The test's ICMP tool, run in the namespaces (python3 stdlib only).
PY=$TMPD/icmp.py
cat >"$PY" <<'EOF'
import json, select, socket, struct, sys, time

IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
MSG_ERRQUEUE = getattr(socket, "MSG_ERRQUEUE", 0x2000)
SO_EE_ORIGIN_ICMP = 2
PAYLOAD = b"napt-icmp-test\n"


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ep(s):
    a, p = s.rsplit(":", 1)
    return a, int(p)


def ip_hdr(src, dst, proto, length, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 0x1234, 0, ttl, proto,
                    0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def udp_dgram(src, sport, dst, dport, data):
    n = 8 + len(data)
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, n)
    c = csum(ph + struct.pack("!HHHH", sport, dport, n, 0) + data) or 0xffff
    return struct.pack("!HHHH", sport, dport, n, c) + data


def parse_error(pkt):
    """An ICMP error as received on a raw socket (outer IP header first)."""
    ihl = (pkt[0] & 15) * 4
    icmp = pkt[ihl:]
    r = {"src": socket.inet_ntoa(pkt[12:16]), "dst": socket.inet_ntoa(pkt[16:20]),
         "type": icmp[0], "code": icmp[1], "icmp_csum_ok": csum(icmp) == 0,
         "lan_addr_seen": b"\xc0\xa8\x01" in pkt, "hex": pkt.hex()}
    q = icmp[8:]
    if len(q) >= 28:
        qihl = (q[0] & 15) * 4
        r.update(qsrc=socket.inet_ntoa(q[12:16]), qdst=socket.inet_ntoa(q[16:20]),
                 qproto=q[9], qip_csum_ok=csum(q[:qihl]) == 0)
        l4 = q[qihl:]
        if q[9] == 17:
            r.update(qsport=struct.unpack("!H", l4[0:2])[0],
                     qdport=struct.unpack("!H", l4[2:4])[0])
            ulen = struct.unpack("!H", l4[4:6])[0]
            if len(l4) >= ulen and struct.unpack("!H", l4[6:8])[0]:
                ph = q[12:20] + struct.pack("!BBH", 0, 17, ulen)
                r["qudp_csum_ok"] = csum(ph + l4[:ulen]) == 0
        elif q[9] == 1:
            r.update(qtype=l4[0], qid=struct.unpack("!H", l4[4:6])[0])
    return r


def raw_icmp():
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.setblocking(False)
    return r


def raw_errors(r, keep):
    out = []
    while True:
        try:
            pkt = r.recv(65535)
        except BlockingIOError:
            return out
        e = parse_error(pkt)
        if e["type"] in (3, 11, 12) and keep(e):
            out.append(e)


def read_errqueue(s):
    data, anc, _, addr = s.recvmsg(2048, 1024, MSG_ERRQUEUE)
    for level, typ, d in anc:
        if level == socket.IPPROTO_IP and typ == IP_RECVERR:
            errno_, origin, etype, ecode, _, info, _ = struct.unpack("=IBBBBII", d[:16])
            off = socket.inet_ntoa(d[20:24]) if len(d) >= 24 else None
            return {"errno": errno_, "origin": origin, "type": etype,
                    "code": ecode, "offender": off,
                    "dest": "%s:%d" % addr[:2] if addr else None,
                    "data_ok": data == PAYLOAD}
    return None


def cmd_udp(argv):
    """udp BIND_ADDR:PORT DEST:PORT [connect|recverr] [ttl=N] [timeout=S]
    [until=DEST:PORT] [raw]: send PAYLOAD once, then report (one JSON object):
    connect: the errno recv() returned or "reply"/"timeout";
    recverr: the errors found in the error queue (until one about
    until=, default the first); raw: also ICMP errors seen by a raw socket
    that quote the bound port."""
    bind, dest = ep(argv[0]), ep(argv[1])
    opts = dict(a.split("=", 1) if "=" in a else (a, "1") for a in argv[2:])
    timeout = float(opts.get("timeout", 5))
    res = {"sent": time.time()}
    raw = raw_icmp() if "raw" in opts else None
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(bind)
    if "ttl" in opts:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, int(opts["ttl"]))
    if "recverr" in opts:
        s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    if "connect" in opts:
        s.connect(dest)
        s.send(PAYLOAD)
        s.settimeout(timeout)
        try:
            s.recv(2048)
            res["result"] = "reply"
        except socket.timeout:
            res["result"] = "timeout"
        except OSError as e:
            res["result"] = errno_name(e.errno)
    else:
        s.sendto(PAYLOAD, dest)
        until = opts.get("until")
        errs, p = [], select.poll()
        p.register(s, select.POLLIN | select.POLLERR)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not p.poll(max(0, end - time.monotonic()) * 1000):
                continue
            try:
                s.recv(2048, socket.MSG_DONTWAIT)	# a reply: ignore
                continue
            except (BlockingIOError, ConnectionError, OSError):
                pass
            try:
                e = read_errqueue(s)
            except BlockingIOError:
                continue
            errs.append(e)
            if until is None or (e and e["dest"] == until):
                break
        res["errors"] = errs
    if raw:
        time.sleep(0.5)
        port = bind[1]
        res["raw"] = raw_errors(raw, lambda e: e.get("qsport") == port)
    print(json.dumps(res))


def errno_name(n):
    import errno
    return errno.errorcode.get(n, str(n))


def cmd_reflect(argv):
    """reflect BIND_ADDR:PORT GOFILE TIMEOUT [TTL]: wait for one datagram,
    then for GOFILE to exist, send a datagram back to its source (with TTL)
    and print the first ICMP error (parsed) that quotes it.  The datagram
    back is built here, with its checksum complete (a veth would carry a
    partial one)."""
    bind, gofile, timeout = ep(argv[0]), argv[1], float(argv[2])
    ttl = int(argv[3]) if len(argv) > 3 else 64
    raw = raw_icmp()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(bind)
    s.settimeout(timeout)
    print("ready", flush=True)
    _, peer = s.recvfrom(2048)
    end = time.monotonic() + timeout
    import os
    while not os.path.exists(gofile):
        if time.monotonic() > end:
            sys.exit("no go")
        time.sleep(0.05)
    u = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    u.bind((bind[0], 0))
    u.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    u.sendto(udp_dgram(bind[0], bind[1], peer[0], peer[1], PAYLOAD), (peer[0], 0))
    p = select.poll()
    p.register(raw, select.POLLIN)
    while time.monotonic() < end:
        p.poll(200)
        for e in raw_errors(raw, lambda e: e.get("qdport") == peer[1]):
            e["peer"] = "%s:%d" % peer
            print(json.dumps(e))
            return
    sys.exit("no ICMP error came back")


def cmd_spoof(argv):
    """spoof DST QSRC:QSPORT QDST:QDPORT [TYPE CODE]: send to DST an ICMP
    error quoting a UDP datagram QSRC:QSPORT -> QDST:QDPORT."""
    dst, (qs, qsp), (qd, qdp) = argv[0], ep(argv[1]), ep(argv[2])
    typ, code = (int(argv[3]), int(argv[4])) if len(argv) > 4 else (3, 3)
    u = udp_dgram(qs, qsp, qd, qdp, PAYLOAD)
    quoted = ip_hdr(qs, qd, 17, 20 + len(u), ttl=63) + u
    icmp = struct.pack("!BBHI", typ, code, 0, 0) + quoted
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.sendto(icmp, (dst, 0))


def cmd_peer(argv):
    """peer ADDR PORT: answer each datagram with "ADDR:PORT" of its source,
    as napt_udp_server does, without a process per datagram."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((argv[0], int(argv[1])))
    while True:
        _, src = s.recvfrom(2048)
        s.sendto(("%s:%d\n" % src).encode(), src)


{"udp": cmd_udp, "reflect": cmd_reflect, "spoof": cmd_spoof, "peer": cmd_peer}[sys.argv[1]](sys.argv[2:])
EOF

icmp_tool() {	# NS ARGS...
	local ns=$1
	shift
	ip netns exec "$ns" /usr/bin/python3 "$PY" "$@"
}

peer_server() {	# NS ADDR PORT
	ip netns exec "$1" /usr/bin/python3 "$PY" peer "$2" "$3" &
	wait_local_port_listen "$1" "$3" udp
}

# json_check JSON EXPR: succeed if the python expression of "j" is true.
json_check() {
	/usr/bin/python3 -c 'import json, sys; j = json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

stat_is() { [[ $(napt_stat "$1") == "$2" ]]; }

# reflect_error TAG PORT SPORT TYPE CODE [TTL]: LAN1 sends from SPORT to
# INET:PORT; once LAN1's socket is closed, INET sends back (with TTL) and
# reports the ICMP error that answers it: TYPE/CODE from 203.0.113.1,
# quoting INET:PORT -> 203.0.113.1:SPORT with every checksum right and no
# LAN address anywhere; icmp_err_out +1.
reflect_error() {
	local tag=$1 port=$2 sport=$3 type=$4 code=$5 ttl=${6:-} out_err pid res

	out_err=$(napt_stat icmp_err_out)
	rm -f "$TMPD/go"
	# shellcheck disable=SC2086 # no TTL: no argument
	icmp_tool "$INET" reflect $INET_ADDR:$port "$TMPD/go" 20 $ttl \
		>"$TMPD/$tag.json" &
	pid=$!
	slowwait 30 grep -q ready "$TMPD/$tag.json"
	echo hello | in_ns "$LAN1" socat -u - UDP4:$INET_ADDR:$port,sourceport=$sport
	check_err $? "LAN1 could not send to INET:$port"
	# LAN1's sending socket is closed now: INET may answer
	touch "$TMPD/go"
	wait $pid
	check_err $? "INET got no ICMP error back: $(cat "$TMPD/$tag.json")"
	res=$(sed -n 2p "$TMPD/$tag.json")
	json_check "$res" "j['peer'] == '$GW_EXT:$sport' and j['src'] == '$GW_EXT' and j['dst'] == '$INET_ADDR' and (j['type'], j['code']) == ($type, $code) and j['icmp_csum_ok'] and j['qsrc'] == '$INET_ADDR' and j['qdst'] == '$GW_EXT' and j['qproto'] == 17 and (j['qsport'], j['qdport']) == ($port, $sport) and j['qip_csum_ok'] and j.get('qudp_csum_ok') is True and not j['lan_addr_seen']"
	check_err $? "the error INET received: $res"
	stat_is icmp_err_out $((out_err + 1))
	check_err $? "icmp_err_out: $(napt_stat icmp_err_out), expected $((out_err + 1))"
}

# napt_map_expires PROTO INT_PORT: seconds left of LAN1's mapping.
napt_map_expires() {
	napt_maps_json "$1" | /usr/bin/python3 -c '
import json, sys
m = [m for m in json.load(sys.stdin) if m["int_addr"] == "192.168.1.2" and m["int_port"] == int(sys.argv[1])]
print(m[0]["expires"] if len(m) == 1 else "none")' "$2"
}
has_lan1_map() { [[ $(napt_map_expires "$1" "$2") != none ]]; }

napt_topo_setup udp-timeout 100
require_cmd tc

# FAR behind INET; INET routes, the gateway knows the way.
setup_ns FAR || exit $?
ip link add eth0 netns "$FAR" type veth peer name far0 netns "$INET"
ip -n "$INET" addr add 198.51.100.1/24 dev far0
ip -n "$INET" link set far0 up
ip -n "$FAR" addr add 198.51.100.2/24 dev eth0
ip -n "$FAR" link set eth0 up
ip -n "$FAR" route add default via 198.51.100.1
ip netns exec "$INET" sysctl -qw net.ipv4.ip_forward=1
ip -n "$GW" route add 198.51.100.0/24 via $INET_ADDR
# no ICMP rate limit in the way of exact counts
for ns in "$LAN1" "$GW" "$INET" "$FAR"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0
done
peer_server "$INET" 0.0.0.0 5000
peer_server "$FAR" 198.51.100.2 5000
slowwait 5 in_ns "$LAN1" ping -c 1 -W 1 198.51.100.2 >/dev/null
check_err $? "LAN1 cannot reach FAR"
seen=$(napt_udp_ask "$LAN1" 39999 198.51.100.2 5000)
[[ $seen == "$GW_EXT:39999" ]]
check_err $? "FAR saw '$seen'"
log_test "setup: FAR reachable through INET, translated"

##############################################################################
# a) port unreachable from INET to a connected socket of LAN1.  The mapping
# is made with udp-timeout 100; INET's answer is delayed 8 s (netem), and
# meanwhile udp-timeout becomes 30: had the error refreshed the mapping, it
# would expire within 30 s.  Tried again (another port) in the unlikely
# case this machine is too slow to change the timeout within the 8 s.
in_err=$(napt_stat icmp_err_in)
drop_err=$(napt_stat drop_icmp_err)
tc -n "$INET" qdisc add dev eth0 root netem delay 8s ||
	ksft_exit_fail "cannot add netem to INET (sch_netem)"
tries=0
for sport in 40100 40101 40102; do
	tries=$((tries + 1))
	natctl -n "$GW" set udp-timeout 100
	t_start=$(timestamp_ms)
	icmp_tool "$LAN1" udp 0.0.0.0:$sport $INET_ADDR:5999 connect timeout=90 \
		>"$TMPD/a.json" &
	apid=$!
	slowwait 10 has_lan1_map udp $sport
	check_err $? "no mapping for LAN1:$sport: $(napt_maps_json)"
	natctl -n "$GW" set udp-timeout 30
	in_time=0
	kill -0 $apid 2>/dev/null && in_time=1
	wait $apid
	e2=$(napt_map_expires udp $sport)
	elapsed=$((($(timestamp_ms) - t_start + 999) / 1000))
	((in_time)) && break
	log_info "the error came back before udp-timeout changed: again"
done
tc -n "$INET" qdisc del dev eth0 root
natctl -n "$GW" set udp-timeout 100
((in_time))
check_err $? "the error always came back before udp-timeout changed"
res=$(cat "$TMPD/a.json")
json_check "$res" 'j["result"] == "ECONNREFUSED"'
check_err $? "LAN1's connected socket got: $res"
stat_is icmp_err_in $((in_err + tries))
check_err $? "icmp_err_in: $(napt_stat icmp_err_in), expected $((in_err + tries))"
stat_is drop_icmp_err "$drop_err"
check_err $? "drop_icmp_err moved"
[[ $e2 != none ]]
check_err $? "the error removed the mapping"
# not refreshed: still on its first 100 s, less the time since
[[ $e2 =~ ^[0-9]+$ ]] && ((e2 <= 100 && e2 >= 100 - elapsed - 1))
check_err $? "expires in $e2 s, $elapsed s after it was made with 100 s: the error refreshed it"
napt_has_map udp 192.168.1.2 $sport $GW_EXT $sport dynamic
check_err $? "the mapping changed: $(napt_maps_json)"
log_test "port unreachable: ECONNREFUSED, counted, no refresh ($e2 s left)"

##############################################################################
# b) time exceeded at INET for TTL 2 towards FAR
in_err=$(napt_stat icmp_err_in)
out=$(in_ns "$LAN1" ping -n -c 1 -W 5 -t 2 198.51.100.2 2>&1)
grep -q "^From $INET_ADDR icmp_seq=1 Time to live exceeded" <<<"$out"
check_err $? "ping -t 2 printed: $out"
stat_is icmp_err_in $((in_err + 1))
check_err $? "icmp_err_in: $(napt_stat icmp_err_in), expected $((in_err + 1))"
log_test "time exceeded quoting an echo request reaches ping"

in_err=$(napt_stat icmp_err_in)
res=$(icmp_tool "$LAN1" udp 0.0.0.0:40001 198.51.100.2:5000 recverr ttl=2 timeout=5)
json_check "$res" 'len(j["errors"]) == 1 and j["errors"][0] == {"errno": 113, "origin": 2, "type": 11, "code": 0, "offender": "203.0.113.2", "dest": "198.51.100.2:5000", "data_ok": True}'
check_err $? "error queue of the TTL 2 socket: $res"
stat_is icmp_err_in $((in_err + 1))
check_err $? "icmp_err_in: $(napt_stat icmp_err_in), expected $((in_err + 1))"
log_test "time exceeded in the error queue of a UDP socket (IP_RECVERR)"

##############################################################################
# c) port unreachable from LAN1 (nothing on its port any more) to INET
reflect_error c 5010 40010 3 3
log_test "inside host's port unreachable leaves translated"

##############################################################################
# d) a spoofed error (a remote LAN1:40020 never sent to) and a genuine one
in_err=$(napt_stat icmp_err_in)
drop_err=$(napt_stat drop_icmp_err)
icmp_tool "$LAN1" udp 0.0.0.0:40020 $INET_ADDR:5000 recverr timeout=60 \
	until=$INET_ADDR:5000 >"$TMPD/d.json" &
dpid=$!
slowwait 30 has_lan1_map udp 40020
check_err $? "no mapping for LAN1:40020"
icmp_tool "$INET" spoof $GW_EXT $GW_EXT:40020 203.0.113.99:7777
busywait 5000 stat_is drop_icmp_err $((drop_err + 1))
check_err $? "drop_icmp_err: $(napt_stat drop_icmp_err), expected $((drop_err + 1))"
# then a genuine one (LAN1:40020 did send to INET:5000): it must arrive
icmp_tool "$INET" spoof $GW_EXT $GW_EXT:40020 $INET_ADDR:5000
wait $dpid
res=$(cat "$TMPD/d.json")
json_check "$res" 'j["errors"] == [{"errno": 111, "origin": 2, "type": 3, "code": 3, "offender": "203.0.113.2", "dest": "203.0.113.2:5000", "data_ok": True}]'
check_err $? "LAN1's error queue: $res"
stat_is icmp_err_in $((in_err + 1))
check_err $? "icmp_err_in: $(napt_stat icmp_err_in), expected $((in_err + 1))"
log_test "error about a remote never contacted dropped and counted"

##############################################################################
# e) the gateway's own socket: the error quotes no mapping
in_err=$(napt_stat icmp_err_in)
out_err=$(napt_stat icmp_err_out)
drop_err=$(napt_stat drop_icmp_err)
res=$(icmp_tool "$GW" udp $GW_EXT:2000 $INET_ADDR:5999 recverr raw timeout=5)
json_check "$res" 'j["errors"] == [{"errno": 111, "origin": 2, "type": 3, "code": 3, "offender": "203.0.113.2", "dest": "203.0.113.2:5999", "data_ok": True}]'
check_err $? "the gateway's socket got: $res"
json_check "$res" 'len(j["raw"]) == 1 and all(e["src"] == "203.0.113.2" and e["dst"] == "203.0.113.1" and (e["type"], e["code"]) == (3, 3) and e["icmp_csum_ok"] and e["qip_csum_ok"] and (e["qsrc"], e["qsport"], e["qdst"], e["qdport"]) == ("203.0.113.1", 2000, "203.0.113.2", 5999) for e in j["raw"])'
check_err $? "the error as the gateway saw it: $res"
stat_is icmp_err_in "$in_err" && stat_is icmp_err_out "$out_err" &&
	stat_is drop_icmp_err "$drop_err"
check_err $? "napt counted it: icmp_err_in $(napt_stat icmp_err_in) icmp_err_out $(napt_stat icmp_err_out) drop_icmp_err $(napt_stat drop_icmp_err)"
log_test "error for the gateway itself passes untouched"

##############################################################################
# f) the gateway's own error about a packet it translated in: INET sends
# with TTL 1, the gateway cannot forward it to LAN1 and answers time
# exceeded, quoting the packet as translated (to 192.168.1.2:40011); it
# must leave quoting 203.0.113.1:40011.
reflect_error f 5011 40011 11 0 1
log_test "gateway's time exceeded for a translated packet leaves translated"

exit "$EXIT_STATUS"
