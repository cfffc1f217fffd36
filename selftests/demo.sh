#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The napt demo (make demo runs it in a QEMU guest; as root on a disposable
# machine it also runs alone).  Three network namespaces:
#
#   +----------------+       +-----------------------------------+       +----------------+
#   | lan            |       | gw: NAPT gateway                  |       | inet           |
#   |  eth0          |       |  lan0                     wan0    |       |  eth0          |
#   |  192.168.1.2/24+-------+ 192.168.1.1/24   203.0.113.1/24   +-------+ 203.0.113.2/24 |
#   |  default via   |       |  napt: ext-if wan0                |       |  no route to   |
#   |  192.168.1.1   |       |        int-net 192.168.1.0/24     |       |  192.168.1.0/24|
#   +----------------+       +-----------------------------------+       +----------------+
#
# The internet host knows no way back to 192.168.1.0/24, so the LAN host
# gets an answer only when the gateway translates its traffic to
# 203.0.113.1.  The demo shows that first without and then with napt: a
# UDP and a TCP exchange (socat) and a ping, each with the source address
# the internet host saw, then natctl map list, stats and show.
#
# Exit: 0 when every exchange went through napt, 1 otherwise (also when
# napt.ko or natctl were not built).

# NAPT_ROOT=DIR (e.g. build/deb/root, made by scripts/deb-check.sh): run
# the packaged natctl (DIR/usr/sbin/natctl) and the DKMS-built module
# (DIR/lib/modules/KVER/updates/dkms/napt.ko) instead of the tree's.
if [[ -n ${NAPT_ROOT:-} ]]; then
	[[ $NAPT_ROOT == /* ]] || NAPT_ROOT=$(cd "$(dirname "$0")/.." && pwd -P)/$NAPT_ROOT
	NATCTL=${NATCTL:-$NAPT_ROOT/usr/sbin/natctl}
	NAPT_KO=${NAPT_KO:-$NAPT_ROOT/lib/modules/$(uname -r)/updates/dkms/napt.ko}
fi

# shellcheck disable=SC2317  # cleanup and helpers are called indirectly
source "$(dirname "$0")/lib.sh"

LAN='' GW='' INET=''
LAN_ADDR=192.168.1.2
GW_INT=192.168.1.1
GW_EXT=203.0.113.1
INET_ADDR=203.0.113.2
UDP_PORT=5353
TCP_PORT=8080
STEPS=8
step=0
problems=()

cleanup() {
	local j
	for j in $(jobs -p); do kill "$j" 2>/dev/null; done
	cleanup_all_ns >/dev/null 2>&1
}
trap cleanup EXIT

bold=
plain=
if [[ -t 1 ]]; then
	bold=$(printf '\033[1m')
	plain=$(printf '\033[0m')
fi

title() {
	step=$((step + 1))
	printf '\n%s[%d/%d] %s%s\n' "$bold" "$step" "$STEPS" "$*" "$plain"
}
say() { printf '      %s\n' "$*"; }
# show HOST CMD...: print the command as typed on HOST, run it in HOST's
# namespace, indent its output.
show() {
	local who=$1 ns
	shift
	case $who in
	lan) ns=$LAN ;;
	gw) ns=$GW ;;
	inet) ns=$INET ;;
	esac
	printf '      %s# %s\n' "$who" "$*"
	ip netns exec "$ns" "$@" 2>&1 | sed 's/^/        /'
	return "${PIPESTATUS[0]}"
}
ok()      { printf '      -> OK: %s\n' "$*"; }
problem() { printf '      -> PROBLEM: %s\n' "$*"; problems+=("$*"); }
fatal() {
	printf '\n%sDEMO STOPPED: %s%s\n' "$bold" "$*" "$plain"
	exit "$KSFT_FAIL"
}

cat <<EOF
${bold}napt demo: an IPv4 NAPT gateway in a Linux kernel module${plain}
kernel $(uname -r), napt.ko from ${NAPT_KO#"$TOPDIR"/}, natctl from ${NATCTL#"$TOPDIR"/}

   LAN host                  gateway (napt)                   internet host
   ns lan                    ns gw                            ns inet
   $LAN_ADDR -- eth0 ~~ lan0 -- $GW_INT | $GW_EXT -- wan0 ~~ eth0 -- $INET_ADDR
                                                        (no route back to 192.168.1.0/24)
EOF

require_root
require_cmd ip ping socat timeout python3

# --- 1. topology ----------------------------------------------------------------
title "Building the topology: three network namespaces, two veth pairs"
setup_ns LAN GW INET || fatal "cannot create network namespaces"
ip link add eth0 netns "$LAN" type veth peer name lan0 netns "$GW" || fatal "veth lan"
ip link add wan0 netns "$GW" type veth peer name eth0 netns "$INET" || fatal "veth wan"
ip -n "$LAN" addr add $LAN_ADDR/24 dev eth0
ip -n "$LAN" link set eth0 up
ip -n "$LAN" route add default via $GW_INT
ip -n "$GW" addr add $GW_INT/24 dev lan0
ip -n "$GW" addr add $GW_EXT/24 dev wan0
ip -n "$GW" link set lan0 up
ip -n "$GW" link set wan0 up
ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1
ip -n "$INET" addr add $INET_ADDR/24 dev eth0
ip -n "$INET" link set eth0 up
slowwait 5 ip netns exec "$LAN" ping -c 1 -W 1 $GW_INT >/dev/null ||
	fatal "the LAN host cannot reach the gateway"
slowwait 5 ip netns exec "$INET" ping -c 1 -W 1 $GW_EXT >/dev/null ||
	fatal "the internet host cannot reach the gateway"
link_up() { ip -n "$1" -br link show dev "$2" | grep -qw UP; }
slowwait 5 link_up "$GW" lan0
slowwait 5 link_up "$GW" wan0
show gw ip -br -4 addr show
ok "lan <-> gw and gw <-> inet work; the gateway forwards IPv4"

# --- 2. without NAT -------------------------------------------------------------
title "Without NAT: the LAN host pings the internet host"
if show lan ping -c 2 -W 1 $INET_ADDR; then
	problem "a reply came back without NAT: is something else translating?"
else
	ok "no reply, as expected: the request arrives from $LAN_ADDR and the"
	say "      internet host has no route back to 192.168.1.0/24"
fi

# --- 3. napt --------------------------------------------------------------------
title "Loading napt.ko and starting NAPT on the gateway"
if ! napt_loaded; then
	if [[ ! -f $NAPT_KO ]]; then
		fatal "$NAPT_KO does not exist: build it with 'make module' (make demo does)"
	fi
	printf '      # insmod %s\n' "${NAPT_KO#"$TOPDIR"/}"
	# shellcheck disable=SC2119  # no module parameters
	(napt_load) || fatal "could not load $NAPT_KO (see the messages above)"
fi
[[ -x $NATCTL ]] || fatal "$NATCTL does not exist: build it with 'make tools'"
printf '      gw# natctl up ext-if wan0 int-net 192.168.1.0/24\n'
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 2>&1 | sed 's/^/        /'
[[ ${PIPESTATUS[0]} == 0 ]] || fatal "natctl up failed"
ok "napt is up in namespace gw"

# --- 4. UDP ---------------------------------------------------------------------
# The internet host's servers print the peer they saw on the demo's output
# and answer with it (socat puts the peer in SOCAT_PEERADDR/SOCAT_PEERPORT).
# shellcheck disable=SC2016  # expanded by the shell socat starts
export DEMO_REPLY='echo "      [internet host] $DEMO_PROTO from $SOCAT_PEERADDR:$SOCAT_PEERPORT" >&2; echo "hello $SOCAT_PEERADDR:$SOCAT_PEERPORT"'
# shellcheck disable=SC2016
SERVE='SYSTEM:eval "$DEMO_REPLY"'

title "UDP: the LAN host sends a datagram to $INET_ADDR:$UDP_PORT"
DEMO_PROTO=UDP ip netns exec "$INET" timeout 20 socat -t 5 -T 5 \
	UDP4-RECVFROM:$UDP_PORT,bind=$INET_ADDR "$SERVE" &
wait_local_port_listen "$INET" $UDP_PORT udp
printf '      lan# echo hello | socat - UDP4:%s:%s\n' $INET_ADDR $UDP_PORT
reply=$(echo hello | ip netns exec "$LAN" timeout 10 socat -t 5 -T 5 - UDP4:$INET_ADDR:$UDP_PORT)
wait
printf '      [LAN host] reply: %s\n' "${reply:-(none)}"
if [[ $reply == "hello $GW_EXT:"* ]]; then
	ok "the internet host saw $GW_EXT, the gateway's address, and the reply came back"
else
	problem "UDP: expected a reply addressed to $GW_EXT"
fi

# --- 5. TCP ---------------------------------------------------------------------
title "TCP: the LAN host connects to $INET_ADDR:$TCP_PORT"
DEMO_PROTO=TCP ip netns exec "$INET" timeout 20 socat -t 5 -T 5 \
	TCP4-LISTEN:$TCP_PORT,bind=$INET_ADDR,reuseaddr "$SERVE" &
wait_local_port_listen "$INET" $TCP_PORT tcp
printf '      lan# echo hello | socat - TCP4:%s:%s\n' $INET_ADDR $TCP_PORT
reply=$(echo hello | ip netns exec "$LAN" timeout 10 socat -t 5 -T 5 - TCP4:$INET_ADDR:$TCP_PORT)
wait
printf '      [LAN host] reply: %s\n' "${reply:-(none)}"
if [[ $reply == "hello $GW_EXT:"* ]]; then
	ok "the internet host saw $GW_EXT, and the TCP connection worked both ways"
else
	problem "TCP: expected a reply addressed to $GW_EXT"
fi

# --- 6. ping --------------------------------------------------------------------
title "ICMP: the LAN host pings $INET_ADDR"
# a raw socket on the internet host prints the source of each echo request
ip netns exec "$INET" timeout 15 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(10)
n = int(sys.argv[1])
while n:
    data, (src, _) = s.recvfrom(65535)
    ihl = (data[0] & 15) * 4
    if data[ihl] == 8:
        ident = int.from_bytes(data[ihl + 4:ihl + 6], "big")
        print(f"      [internet host] ICMP echo request from {src} (id {ident})", file=sys.stderr, flush=True)
        n -= 1
' 3 &
listener=$!
sleep 0.5
if show lan ping -c 3 -i 0.3 -W 2 $INET_ADDR; then
	ok "ping works through the gateway"
else
	problem "ping: no reply"
fi
wait "$listener" 2>/dev/null

# --- 7. state -------------------------------------------------------------------
title "What napt did: the mappings and the counters"
printf '      gw# natctl map list\n'
natctl -n "$GW" map list 2>&1 | sed 's/^/        /'
[[ ${PIPESTATUS[0]} == 0 ]] || problem "natctl map list failed"
printf '      gw# natctl stats\n'
natctl -n "$GW" stats 2>&1 | sed 's/^/        /'
[[ ${PIPESTATUS[0]} == 0 ]] || problem "natctl stats failed"

title "The configuration in force"
printf '      gw# natctl show\n'
natctl -n "$GW" show 2>&1 | sed 's/^/        /'
[[ ${PIPESTATUS[0]} == 0 ]] || problem "natctl show failed"

echo
if ((${#problems[@]})); then
	printf '%sDEMO FINISHED WITH %d PROBLEM(S):%s\n' "$bold" "${#problems[@]}" "$plain"
	printf '  - %s\n' "${problems[@]}"
	exit "$KSFT_FAIL"
fi
printf '%sDEMO OK: UDP, TCP and ping from %s reached %s as %s.%s\n' \
	"$bold" "$LAN_ADDR" "$INET_ADDR" "$GW_EXT" "$plain"
exit "$KSFT_PASS"
