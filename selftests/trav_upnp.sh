#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 600
#
# UPnP IGD through napt (topology: trav_lib.sh): igdd (tools/igdd) on a
# gateway's LAN side, upnpc (miniupnpc) on the LAN host.
#
# Site A: HA runs a TCP and a UDP server, maps their ports with
# "upnpc -i -a" through igdd on GA, and PUB connects to GA's public address
# on those ports.  Before the mapping PUB must not get through (the
# control: the servers are unreachable without it); after it PUB must.
#
# Site C (double NAT): the same from HC, whose gateway GCI has a private
# WAN address (100.64.0.2) behind GCO.  The IGD HC finds is GCI's, so the
# mapping is made on GCI only (checked with natctl on GCI) and GCO, the
# NAT PUB actually reaches, has none: PUB cannot connect to GCO's address
# on those ports.  Theory (the seed's "NAT traversal 手法の比較"): UPnP
# cannot cross a second level of NAT.
#
#   row upnp-tcp, upnp-udp; cols prc:pub (HA behind GA, PUB connects),
#   dbl:pub (HC behind GCI+GCO)
#
# Exit 4 (skip) if tools/igdd/igdd is not built.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trav_lib.sh"
trap trav_cleanup EXIT

IGDD=$TOPDIR/tools/igdd/igdd
[[ -x $IGDD ]] || ksft_exit_skip "$IGDD not built (the UPnP row needs igdd)"
require_cmd upnpc

# shellcheck disable=SC2016
servers() {	# NS ADDR: TCP 5001 and UDP 5002 servers answering "hello"
	ip netns exec "$1" socat TCP4-LISTEN:5001,bind="$2",reuseaddr,fork \
		SYSTEM:'echo hello' &
	ip netns exec "$1" /usr/bin/python3 "$TOPDIR/selftests/napt_udp.py" \
		--serve "$2" 5002 &
	# python starts slowly in a loaded guest: up to 30 s
	slowwait 30 __port_listens "$1" 5001 -lnt &&
		slowwait 30 __port_listens "$1" 5002 -lnu
}

# reach PROTO ADDR: does PUB get an answer from ADDR:500x?  Two tries of
# up to 6 s (a slow guest may lose one to its own timers); a port that is
# closed fails both.
reach() {
	for _ in 1 2; do
		if [[ $1 == tcp ]]; then
			ip netns exec "$PUB" timeout 8 socat -t 6 -T 6 - \
				TCP4:"$2":5001,connect-timeout=6 </dev/null \
				2>/dev/null | grep -q hello && return 0
		else
			ip netns exec "$PUB" /usr/bin/python3 \
				"$TOPDIR/selftests/napt_udp.py" -t 6 "$2" 5002 \
				>/dev/null && return 0
		fi
	done
	return 1
}

# igdd_up GW: start igdd on GW (lan0 inside, wan0 outside, HTTP on 5000).
igdd_up() {
	printf 'lan-if lan0\nwan-if wan0\nhttp-port 5000\nsecure-mode yes\n' \
		>"$TRAV_TMP/igdd-$1.conf"
	ip netns exec "${!1}" "$IGDD" -u nobody -f "$TRAV_TMP/igdd-$1.conf" -d -i lan0 \
		-e wan0 >"$TRAV_TMP/igdd-$1.log" 2>&1 &
	wait_local_port_listen "${!1}" 5000 tcp ||
		ksft_exit_fail "igdd on $1 does not listen: $(tail -5 "$TRAV_TMP/igdd-$1.log")"
}

# upnp_map NS ADDR PROTO: map port 500x of ADDR with upnpc (SSDP discovery
# on eth0, then SOAP); prints its output.
upnp_map() {
	local port=5001

	[[ $3 == UDP ]] && port=5002
	ip netns exec "$1" timeout 60 upnpc -m eth0 -i -e trav \
		-a "$2" $port $port "$3" 3600 2>&1
}

# site COL GW_INNER NS HOST_ADDR PUBLIC_ADDR EXPECT
site() {
	local col=$1 gw=$2 ns=$3 addr=$4 pub=$5 expect=$6 proto out got

	servers "$ns" "$addr" || ksft_exit_fail "servers in $col did not start"
	for proto in tcp udp; do
		# Control: no mapping, no way in.
		reach $proto "$pub"
		check_fail $? "$col: PUB reached $pub ($proto) before any mapping"
		log_test "upnp $col $proto: unreachable before the mapping"

		out=$(upnp_map "$ns" "$addr" "${proto^^}")
		check_err $? "$col: upnpc -a failed: $(tail -3 <<<"$out" | tr '\n' ' ')"
		natctl -n "${!gw}" map list "$proto" static | grep -q "$addr:500"
		check_err $? "$col: no static mapping on $gw after upnpc: $(natctl -n "${!gw}" map list static | tr '\n' ' ')"
		log_test "upnp $col $proto: upnpc mapped the port on $gw"

		if reach $proto "$pub"; then got=works; else got=fails; fi
		trav_cell "upnp-$proto" "$col" "$expect" "$got" \
			"PUB to $pub, upnpc said: $(grep -i 'external' <<<"$out" | tr '\n' ' ')"
	done
}

trav_setup no-services
igdd_up GA
igdd_up GCI

site prc:pub GA "$HA" 192.168.10.2 203.0.113.10 works
site dbl:pub GCI "$HC" 192.168.30.2 203.0.113.30 fails

exit "$EXIT_STATUS"
