#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 420
#
# TCP through napt: connection reversal and hole punching by simultaneous
# open (topology: trav_lib.sh; helpers: tools/traversal/trav_peer).
#
# Connection reversal: the end that wants a connection (rev-ask) listens,
# puts "connect to my-public-address:port" at the rendezvous, and the
# other end (rev-connect), which waits at the rendezvous over its own
# outgoing connection, connects there.  Theory (the seed's "NAT traversal
# 手法の比較"): it works when the asking end is public (PUB) whatever NAT
# the other is behind, double NAT included, and fails when both are NATed
# (even two full-cone NATs: the asker's NAT has no mapping for a port
# nobody sent from).
#
#   row reversal, cols fc:pub sym:pub (HA behind GA connects to PUB),
#   dbl:pub (HC), fc:fc prc:prc (HA connects to HB's gateway)
#
# TCP hole punching: each end learns the public endpoint of its port from
# the rendezvous (WHOAMI over a connection from that port), they swap them
# and connect to each other from that port at the same time (RFC 5382
# REQ-2: napt lets an inbound SYN through a mapping whose filter the
# outbound SYN opened, so the SYNs cross: simultaneous open).  Theory: as
# UDP hole punching, works for every pair of cone NATs, fails for
# symmetric against symmetric (and port-restricted).
#
#   row tcp-punch, cols A:B for A,B in fc rc prc; sym:sym; prc:dbl

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trav_lib.sh"
trap trav_cleanup EXIT

CONES="full-cone restricted-cone port-restricted-cone"
SECS=8

# reversal COL EXPECT ASKER_NS CONNECTER_NS
reversal() {
	local col=$1 expect=$2 key=rev-${1/:/-}

	trav_port
	trav_pair "$TRAV_TMP/$key" "$3" "$4" \
		"$TRAV_BIN/trav_peer" rev-ask -r $TRAV_RDV -k "$key" \
		-p $TRAV_PORT -t $SECS -- \
		"$TRAV_BIN/trav_peer" rev-connect -r $TRAV_RDV -k "$key" -t $SECS
	trav_cell reversal "$col" "$expect" "$TRAV_GOT" "$TRAV_WHY"
}

# tcp_punch COL EXPECT NS1 NS2
tcp_punch() {
	local col=$1 expect=$2 key=tcp-${1/:/-}

	trav_port
	trav_pair "$TRAV_TMP/$key" "$3" "$4" \
		"$TRAV_BIN/trav_peer" tcp -r $TRAV_RDV -k "$key" -i a -j b \
		-p $TRAV_PORT -t $SECS -- \
		"$TRAV_BIN/trav_peer" tcp -r $TRAV_RDV -k "$key" -i b -j a \
		-p $((TRAV_PORT + 1)) -t $SECS
	trav_cell tcp-punch "$col" "$expect" "$TRAV_GOT" "$TRAV_WHY"
}

trav_setup

trav_mode GA full-cone
reversal fc:pub works "$PUB" "$HA"
trav_mode GA symmetric
reversal sym:pub works "$PUB" "$HA"
reversal dbl:pub works "$PUB" "$HC"
trav_mode GA full-cone
trav_mode GB full-cone
reversal fc:fc fails "$HB" "$HA"
trav_mode GA port-restricted-cone
trav_mode GB port-restricted-cone
reversal prc:prc fails "$HB" "$HA"

for ma in $CONES; do
	for mb in $CONES; do
		trav_mode GA "$ma"
		trav_mode GB "$mb"
		tcp_punch "$(trav_short "$ma"):$(trav_short "$mb")" works \
			"$HA" "$HB"
	done
done
trav_mode GA symmetric
trav_mode GB symmetric
tcp_punch sym:sym fails "$HA" "$HB"
trav_mode GA port-restricted-cone
tcp_punch prc:dbl works "$HA" "$HC"

exit "$EXIT_STATUS"
