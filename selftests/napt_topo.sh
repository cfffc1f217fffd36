#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The gateway topology most napt selftests share; sourced after lib.sh.
#
#   +--------------+
#   | LAN1         |
#   | 192.168.1.2 -+---+
#   +--------------+   |   +-----------------------------+   +--------------+
#                      +---+ br0        GW          wan0 +---+ eth0    INET |
#   +--------------+   |   | 192.168.1.1    203.0.113.1  |   | 203.0.113.2  |
#   | LAN2         |   |   |   napt: ext-if wan0         |   |  (no route   |
#   | 192.168.1.3 -+---+   |   int-net 192.168.1.0/24    |   |  back to the |
#   +--------------+       +-----------------------------+   |  LAN)        |
#                                                             +--------------+
#
# INET has no route to 192.168.1.0/24: a reply reaches the LAN only if napt
# translated the request.  Servers on INET answer with the source address
# and port they saw ("203.0.113.1:40000").

LAN1= LAN2= GW= INET=
INET_ADDR=203.0.113.2
GW_EXT=203.0.113.1

napt_topo_cleanup() {
	cleanup_all_ns
}

# napt_topo_setup [natctl up OPTIONS...]: build the topology, load napt and
# bring it up in GW with the given extra options (and NAPT_RULESET's
# ruleset, if set).
napt_topo_setup() {
	local i

	require_root
	require_cmd ip socat timeout ping /usr/bin/python3
	setup_ns LAN1 LAN2 GW INET || exit $?
	napt_load

	ip -n "$GW" link add br0 type bridge
	ip -n "$GW" addr add 192.168.1.1/24 dev br0
	ip -n "$GW" link set br0 up
	for i in 1 2; do
		local ns_var="LAN$i"
		local ns=${!ns_var}

		ip link add eth0 netns "$ns" type veth peer name lan$i netns "$GW"
		ip -n "$GW" link set lan$i master br0 up
		ip -n "$ns" addr add 192.168.1.$((i + 1))/24 dev eth0
		ip -n "$ns" link set eth0 up
		ip -n "$ns" route add default via 192.168.1.1
	done
	ip link add wan0 netns "$GW" type veth peer name eth0 netns "$INET"
	ip -n "$GW" addr add $GW_EXT/24 dev wan0
	ip -n "$GW" link set wan0 up
	ip -n "$INET" addr add $INET_ADDR/24 dev eth0
	ip -n "$INET" link set eth0 up
	ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1

	# NAPT_RULESET=FILE (napt_ruleset.sh): GW runs that nftables ruleset,
	# and napt marks port forwards for its rule (selftests/router.nft)
	if [[ -n ${NAPT_RULESET:-} ]]; then
		ip netns exec "$GW" nft -f "$NAPT_RULESET" ||
			ksft_exit_fail "nft -f $NAPT_RULESET refused"
		[[ " $* " == *" mark-static "* ]] || set -- "$@" mark-static 0x100/0xff00
	fi
	natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 "$@" ||
		ksft_exit_fail "natctl up failed"
	slowwait 5 in_ns "$LAN1" ping -c 1 -W 1 192.168.1.1 >/dev/null ||
		ksft_exit_fail "LAN1 cannot reach the gateway"
}

# Servers on INET that answer with the peer address they saw.
napt_udp_server() {	# NS ADDR PORT
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
		--serve "$2" "$3" &
	wait_local_port_listen "$1" "$3" udp
}

# shellcheck disable=SC2016
napt_tcp_server() {	# NS ADDR PORT
	ip netns exec "$1" socat -t 30 TCP4-LISTEN:"$3",bind="$2",reuseaddr,fork \
		SYSTEM:'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT"' &
	wait_local_port_listen "$1" "$3" tcp
}

# napt_udp_ask NS SPORT DADDR DPORT: one datagram out, print the answer.
napt_udp_ask() {
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
		-s "$2" "$3" "$4"
}

# napt_tcp_ask NS SPORT DADDR DPORT
napt_tcp_ask() {
	echo ask | ip netns exec "$1" timeout 60 socat -t 30 -T 30 - \
		TCP4:"$3":"$4",sourceport="$2",reuseaddr 2>/dev/null
}

# napt_stat NAME: one counter of the GW instance.
napt_stat() {
	natctl -n "$GW" -j stats |
		/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# napt_maps_json [FILTER...]: natctl -j map list of the GW instance.
napt_maps_json() {
	natctl -n "$GW" -j map list "$@"
}

# napt_has_map PROTO INT_ADDR INT_PORT EXT_ADDR EXT_PORT TYPE: whether GW
# lists exactly such a mapping.
napt_has_map() {
	napt_maps_json | /usr/bin/python3 -c '
import json, sys
p, ia, ip, ea, ep, t = sys.argv[1:]
maps = json.load(sys.stdin)
sys.exit(0 if any(m["proto"] == p and m["int_addr"] == ia and
		  m["int_port"] == int(ip) and m["ext_addr"] == ea and
		  m["ext_port"] == int(ep) and m["type"] == t and
		  m["expires"] > 0 for m in maps) else 1)
' "$@"
}

# napt_map_count: how many mappings GW lists.
napt_map_count() {
	napt_maps_json | /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
