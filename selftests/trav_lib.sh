#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Topology and helpers of the NAT traversal tests (selftests/trav_*.sh);
# sourced after lib.sh.  Not executable: run.sh does not run it.
#
#                        INET  (bridge br0, 203.0.113.1/24)
#                  rendezvous 203.0.113.1:7000 (tools/traversal/rendezvous)
#                  coturn     203.0.113.1:3478 (STUN + TURN, user trav)
#        +------------------+--------+-----------+--------------+
#        |                  |                    |              |
#   wan0 203.0.113.10  wan0 203.0.113.20    wan0 203.0.113.30  eth0 203.0.113.100
#   +----+----+        +----+----+         +-----+-----+      +------+
#   |   GA    |        |   GB    |         |    GCO    |      | PUB  |  public
#   |  napt   |        |  napt   |         |   napt    |      +------+  host
#   +----+----+        +----+----+         +-----+-----+
#   lan0 192.168.10.1  lan0 192.168.20.1   lan0 100.64.0.1/24  (outer NAT)
#        |                  |                    |
#   eth0 192.168.10.2  eth0 192.168.20.2   wan0 100.64.0.2
#   +---------+        +---------+         +-----+-----+
#   |   HA    |        |   HB    |         |    GCI    |  (inner NAT,
#   +---------+        +---------+         |   napt    |   private WAN)
#    site A             site B             +-----+-----+
#                                          lan0 192.168.30.1
#                                                |
#                                          eth0 192.168.30.2
#                                          +-----+-----+
#                                          |    HC     |  site C:
#                                          +-----------+  double NAT
#
# Every gateway is its own namespace with its own napt instance
# (ext-if wan0, int-net its LAN); trav_mode changes one's preset and
# flushes its mappings, so the cells of a test share one topology.  The
# gateways route nothing but their two subnets (GCI: default via GCO):
# a private address of another site is unreachable, as on the internet.
#
# Every cell prints one line
#   TRAV row=ROW col=COL expect=works|fails got=works|fails
# (scripts/traversal.sh collects them into Documentation/traversal.md) and
# is a check of its own: the test fails iff a cell disagrees.  Columns
# name the NAT of the two ends, A first: fc, rc, prc, sym (full-cone,
# restricted-cone, port-restricted-cone, symmetric), pub (no NAT: PUB), dbl
# (HC behind GCI and GCO, both port-restricted-cone).

INET= PUB= HA= GA= HB= GB= HC= GCI= GCO=
TRAV_SRV=203.0.113.1
TRAV_RDV=$TRAV_SRV:7000
TRAV_STUN=$TRAV_SRV:3478
TRAV_TURN_USER=trav
TRAV_TURN_PASS=trav-secret
TRAV_BIN=$TOPDIR/tools/traversal
TRAV_TMP=
TRAV_PORT=20000		# next local port for a cell (trav_port)


trav_cleanup() {
	cleanup_all_ns
	[[ -n $TRAV_TMP ]] && rm -rf "$TRAV_TMP"
}

# trav_short MODE: the column name of a preset.
trav_short() {
	case $1 in
	full-cone) echo fc ;;
	restricted-cone) echo rc ;;
	port-restricted-cone) echo prc ;;
	symmetric) echo sym ;;
	*) echo "$1" ;;
	esac
}

# trav_port: a fresh local port for the next cell, in TRAV_PORT.
trav_port() {
	TRAV_PORT=$((TRAV_PORT + 10))
}

# __trav_link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair (ADDR "" for none,
# NS2 IF2 "br0" enslaves the end to INET's bridge).
__trav_link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
	[[ -n $3 ]] && ip -n "$1" addr add "$3" dev "$2"
	[[ -n $6 ]] && ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# trav_napt_up GW INT_NET MODE: start GW's napt instance.
trav_napt_up() {
	ip netns exec "${!1}" sysctl -qw net.ipv4.ip_forward=1
	natctl -n "${!1}" up ext-if wan0 int-net "$2" mode "$3" ||
		ksft_exit_fail "natctl up in $1 failed"
}

# trav_mode GW MODE: set GW's preset and flush its mappings.
trav_mode() {
	natctl -n "${!1}" set mode "$2" &&
		natctl -n "${!1}" map flush all ||
		ksft_exit_fail "natctl set mode $2 in $1 failed"
}

# trav_setup [no-services]: build the topology, start napt everywhere
# (port-restricted-cone), and start the rendezvous and coturn in INET.
trav_setup() {
	local p

	require_root
	require_cmd ip socat timeout /usr/bin/python3 turnserver
	for p in rendezvous trav_peer ice_peer; do
		[[ -x $TRAV_BIN/$p ]] ||
			ksft_exit_fail "$TRAV_BIN/$p not built (make tools)"
	done
	TRAV_TMP=$(mktemp -d /tmp/trav.XXXXXX) || ksft_exit_fail "mktemp"
	chmod 755 "$TRAV_TMP"	# readable by the daemons that run as nobody
	setup_ns INET PUB HA GA HB GB HC GCI GCO || exit $?
	napt_load

	ip -n "$INET" link add br0 type bridge
	ip -n "$INET" addr add $TRAV_SRV/24 dev br0
	ip -n "$INET" link set br0 up
	# The internet drops what goes to private addresses, silently: a
	# default route into a dummy device.  (Without it coturn's sends to
	# an ICE peer's private host candidate fail with ENETUNREACH, and
	# coturn then relays nothing more for that allocation.)
	ip -n "$INET" link add void type dummy
	ip -n "$INET" link set void up
	ip -n "$INET" route add default dev void
	__trav_link "$GA" wan0 203.0.113.10/24 "$INET" ga ""
	__trav_link "$GB" wan0 203.0.113.20/24 "$INET" gb ""
	__trav_link "$GCO" wan0 203.0.113.30/24 "$INET" gco ""
	__trav_link "$PUB" eth0 203.0.113.100/24 "$INET" pub ""
	for p in ga gb gco pub; do
		ip -n "$INET" link set "$p" master br0
	done
	__trav_link "$HA" eth0 192.168.10.2/24 "$GA" lan0 192.168.10.1/24
	__trav_link "$HB" eth0 192.168.20.2/24 "$GB" lan0 192.168.20.1/24
	__trav_link "$GCI" wan0 100.64.0.2/24 "$GCO" lan0 100.64.0.1/24
	__trav_link "$HC" eth0 192.168.30.2/24 "$GCI" lan0 192.168.30.1/24
	ip -n "$HA" route add default via 192.168.10.1
	ip -n "$HB" route add default via 192.168.20.1
	ip -n "$HC" route add default via 192.168.30.1
	ip -n "$GCI" route add default via 100.64.0.1

	trav_napt_up GA 192.168.10.0/24 port-restricted-cone
	trav_napt_up GB 192.168.20.0/24 port-restricted-cone
	trav_napt_up GCO 100.64.0.0/24 port-restricted-cone
	trav_napt_up GCI 192.168.30.0/24 port-restricted-cone

	[[ ${1:-} == no-services ]] && return 0
	in_ns "$INET" "$TRAV_BIN/rendezvous" -a $TRAV_SRV -p 7000 \
		>"$TRAV_TMP/rendezvous.log" 2>&1 &
	in_ns "$INET" turnserver -n --listening-ip=$TRAV_SRV \
		--listening-port=3478 --relay-ip=$TRAV_SRV \
		--min-port=49152 --max-port=65000 --lt-cred-mech \
		--user=$TRAV_TURN_USER:$TRAV_TURN_PASS --realm=trav.test \
		--no-cli --no-tls --no-dtls --no-tcp-relay \
		--userdb="$TRAV_TMP/turndb" --pidfile="$TRAV_TMP/turn.pid" \
		--log-file=stdout >"$TRAV_TMP/turn.log" 2>&1 &
	slowwait 30 __port_listens "$INET" 7000 -lnt ||
		ksft_exit_fail "rendezvous does not listen: $(cat "$TRAV_TMP/rendezvous.log")"
	slowwait 30 __port_listens "$INET" 3478 -lnu ||
		ksft_exit_fail "coturn does not listen: $(tail -5 "$TRAV_TMP/turn.log")"
	# Every site reaches the services through its NATs (at once).
	local pids=() hosts=(HA HB HC PUB) i
	for p in "${hosts[@]}"; do
		in_ns "${!p}" "$TRAV_BIN/trav_peer" stun -s $TRAV_STUN >/dev/null &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" ||
			ksft_exit_fail "no STUN answer from ${hosts[$i]}"
	done
}

# trav_expect_punch MODE_A MODE_B: "works" or "fails", what theory says of
# a direct UDP path (hole punching, or ICE's host/srflx pairs) between two
# sites behind napt in these modes: an address-and-port-dependent mapping
# (symmetric) defeats it when the other side filters by port as well, or is
# symmetric too.
trav_expect_punch() {
	case "$1:$2" in
	symmetric:port-restricted-cone | port-restricted-cone:symmetric | \
	symmetric:symmetric)
		echo fails ;;
	*) echo works ;;
	esac
}

# trav_cell ROW COL EXPECT GOT [DETAILS]: print the cell, check it.
trav_cell() {
	local row=$1 col=$2 expect=$3 got=$4 details=${5:-}

	echo "TRAV row=$row col=$col expect=$expect got=$got"
	[[ -n $details ]] && echo "INFO: $row $col: $details"
	if [[ $got == error ]]; then
		check_err 1 "$row $col: the attempt could not be made: $details"
	else
		[[ $got == "$expect" ]]
		check_err $? "$row $col: expected $expect, got $got: $details"
	fi
	log_test "$row $col: $got (expected $expect)"
}

# trav_pair OUT NS1 NS2 CMD1 -- CMD2: run the two ends of an attempt at
# once; OUT.1/OUT.2 get their output; sets TRAV_GOT to works (both exit
# 0), error (one exits 2 or more) or fails, and TRAV_WHY to their RESULT
# lines.
trav_pair() {
	local out=$1 ns1=$2 ns2=$3 cmd1=() p1 p2 rc1 rc2
	shift 3
	while [[ $1 != -- ]]; do
		cmd1+=("$1")
		shift
	done
	shift
	ip netns exec "$ns1" "${cmd1[@]}" >"$out.1" 2>&1 &
	p1=$!
	ip netns exec "$ns2" "$@" >"$out.2" 2>&1 &
	p2=$!
	wait $p1
	rc1=$?
	wait $p2
	rc2=$?
	TRAV_WHY="$(grep -h '^RESULT' "$out.1" | head -1) | $(grep -h '^RESULT' "$out.2" | head -1)"
	if ((rc1 >= 2 || rc2 >= 2)); then
		TRAV_GOT=error
		TRAV_WHY="exit $rc1/$rc2: $(tr '\n' ' ' <"$out.1" | tail -c 300) || $(tr '\n' ' ' <"$out.2" | tail -c 300)"
	elif ((rc1 == 0 && rc2 == 0)); then
		TRAV_GOT=works
	else
		TRAV_GOT=fails
	fi
}
