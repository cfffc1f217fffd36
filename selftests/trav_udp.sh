#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 420
#
# UDP hole punching through two napt gateways, for all 16 ordered pairs of
# presets of GA x GB, and from behind a double NAT (topology: trav_lib.sh).
#
# HA and HB each learn their server-reflexive address from coturn (STUN
# Binding, tools/traversal/trav_peer), swap them at the rendezvous and
# ping each other's; whoever pings an end also answers its source
# (peer-reflexive learning).  Theory (RFC 4787; the seed's "NAT の種類"
# slide): it fails exactly when one end is symmetric (a new, unpredictable
# mapping per destination) and the other filters by address and port
# (port-restricted-cone or symmetric): the filter only lets in the STUN
# server and the reflexive address the peer sent to, which is not the port
# the symmetric NAT uses.  Against full-cone or restricted-cone it works:
# their filters let in any port of an address the host has sent to, so the
# symmetric end's first ping gets through and is answered at its real
# source.  The pair of presets is measured both ways round (ordered):
# the result must not depend on the order.
#
#   row udp-punch, cols A:B for A,B in fc rc prc sym; prc:dbl, sym:dbl
#   (HA behind GA with that preset vs HC behind GCI+GCO port-restricted)

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trav_lib.sh"
trap trav_cleanup EXIT

MODES="full-cone restricted-cone port-restricted-cone symmetric"
SECS=8

# punch COL EXPECT NS1 NS2: one cell, HA-like NS1 against NS2.
punch() {
	local col=$1 expect=$2 key=udp-${1/:/-}

	trav_port
	trav_pair "$TRAV_TMP/$key" "$3" "$4" \
		"$TRAV_BIN/trav_peer" udp -r $TRAV_RDV -s $TRAV_STUN -k "$key" \
		-i a -j b -p $TRAV_PORT -t $SECS -- \
		"$TRAV_BIN/trav_peer" udp -r $TRAV_RDV -s $TRAV_STUN -k "$key" \
		-i b -j a -p $((TRAV_PORT + 1)) -t $SECS
	trav_cell udp-punch "$col" "$expect" "$TRAV_GOT" "$TRAV_WHY"
}

trav_setup

for ma in $MODES; do
	for mb in $MODES; do
		trav_mode GA "$ma"
		trav_mode GB "$mb"
		punch "$(trav_short "$ma"):$(trav_short "$mb")" \
			"$(trav_expect_punch "$ma" "$mb")" "$HA" "$HB"
	done
done

# Double NAT: two port-restricted-cone NATs in a row behave as one
# (endpoint-independent mapping, address-and-port-dependent filtering).
for ma in port-restricted-cone symmetric; do
	trav_mode GA "$ma"
	trav_mode GCI port-restricted-cone
	trav_mode GCO port-restricted-cone
	punch "$(trav_short "$ma"):dbl" \
		"$(trav_expect_punch "$ma" port-restricted-cone)" "$HA" "$HC"
done

exit "$EXIT_STATUS"
