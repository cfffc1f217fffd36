#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 900
#
# ICE and TURN relay through napt: two libnice agents
# (tools/traversal/ice_peer) with host, server-reflexive and relay
# candidates (coturn in INET), for the 10 unordered pairs of presets of
# GA x GB and from behind a double NAT (topology: trav_lib.sh).
#
# Rows:
#   relay      the agents may only use relay candidates (libnice
#              force-relay): the data go through coturn.  Theory: works in
#              every cell, symmetric against symmetric and double NAT
#              included: each end only talks to the TURN server, from the
#              mapping it made.
#   ice        full ICE: works in every cell (a relay pair is the fallback).
#   ice-direct the pair ICE ends up using is direct (host, server- or
#              peer-reflexive candidates on both ends, no relay): expected
#              exactly where UDP hole punching works (trav_udp.sh), that
#              is everywhere but symmetric against port-restricted-cone or
#              symmetric; there only a pair with a relay candidate works.
#              Read once both agents are done (ice_peer -W: every pair
#              checked), not when data first flow: libnice nominates
#              aggressively, so on a slow host a relayed pair may carry
#              the first data before a direct pair validates and replaces
#              it.
#
#   cols A:B for A<=B in fc rc prc sym (in that order); prc:dbl, sym:dbl
#   (HC behind GCI+GCO)
#
# The relay and the full ICE attempt of a cell run at the same time (four
# agents, distinct ports).

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trav_lib.sh"
trap trav_cleanup EXIT

MODES="full-cone restricted-cone port-restricted-cone symmetric"
SECS=30

# pair_of FILE: the candidate types of the pair a RESULT line reports.
pair_of() {
	sed -n 's/^RESULT works pair=\([a-z]*\/[a-z]*\).*/\1/p' "$1" | head -1
}

# ice_cell COL EXPECT_DIRECT NS1 NS2
ice_cell() {
	local col=$1 expect=$2 ns1=$3 ns2=$4 key=ice-${1/:/-} got p1 p2
	local args=(-r "$TRAV_RDV" -T "$TRAV_STUN"
		    -u "$TRAV_TURN_USER" -w "$TRAV_TURN_PASS" -t "$SECS")
	local relay_got relay_why

	# The relay attempt, in the background, in a subshell of its own.
	(
		trav_pair "$TRAV_TMP/$key-relay" "$ns1" "$ns2" \
			"$TRAV_BIN/ice_peer" "${args[@]}" -k "$key-relay" \
			-i a -j b -c -R -- \
			"$TRAV_BIN/ice_peer" "${args[@]}" -k "$key-relay" \
			-i b -j a -R
		echo "$TRAV_GOT" >"$TRAV_TMP/$key-relay.got"
		echo "$TRAV_WHY" >"$TRAV_TMP/$key-relay.why"
	) &
	local relay_pid=$!
	trav_pair "$TRAV_TMP/$key" "$ns1" "$ns2" \
		"$TRAV_BIN/ice_peer" "${args[@]}" -k "$key" -i a -j b -c -W -- \
		"$TRAV_BIN/ice_peer" "${args[@]}" -k "$key" -i b -j a -W
	wait $relay_pid

	relay_got=$(cat "$TRAV_TMP/$key-relay.got")
	relay_why=$(cat "$TRAV_TMP/$key-relay.why")
	if [[ $relay_got == works ]]; then
		p1=$(pair_of "$TRAV_TMP/$key-relay.1")
		p2=$(pair_of "$TRAV_TMP/$key-relay.2")
		if [[ $p1 != relay/relay || $p2 != relay/relay ]]; then
			relay_got=fails
			relay_why="not through the relay: $relay_why"
		fi
	fi
	trav_cell relay "$col" works "$relay_got" "$relay_why"

	if ! trav_cell ice "$col" works "$TRAV_GOT" "$TRAV_WHY"; then
		grep -hv '^$' "$TRAV_TMP/$key.1" "$TRAV_TMP/$key.2" |
			grep -v WARNING | tail -n 30 | sed 's/^/  | /'
		echo "  coturn's log of the last attempts:"
		tail -n 40 "$TRAV_TMP/turn.log" | sed 's/^/  | /'
	fi
	got=$TRAV_GOT
	if [[ $got == works ]]; then
		p1=$(pair_of "$TRAV_TMP/$key.1")
		p2=$(pair_of "$TRAV_TMP/$key.2")
		if [[ $p1 == *relay* || $p2 == *relay* ]]; then
			got=fails
		fi
	fi
	[[ $got == error ]] && got=fails
	trav_cell ice-direct "$col" "$expect" "$got" "pairs: $TRAV_WHY"
}

trav_setup

# Unordered pairs: trav_udp.sh measures both orders of every pair and
# finds hole punching symmetric in the two ends, as theory says; ICE is
# symmetric too (either agent may be the controlling one), and a cell
# costs four libnice agents, so each pair is measured once here, with the
# first mode on GA (HA controlling).
MODES_LEFT=$MODES
for ma in $MODES; do
	for mb in $MODES_LEFT; do
		trav_mode GA "$ma"
		trav_mode GB "$mb"
		ice_cell "$(trav_short "$ma"):$(trav_short "$mb")" \
			"$(trav_expect_punch "$ma" "$mb")" "$HA" "$HB"
	done
	MODES_LEFT=${MODES_LEFT#"$ma"}
	MODES_LEFT=${MODES_LEFT# }
done
for ma in port-restricted-cone symmetric; do
	trav_mode GA "$ma"
	ice_cell "$(trav_short "$ma"):dbl" \
		"$(trav_expect_punch "$ma" port-restricted-cone)" "$HA" "$HC"
done

exit "$EXIT_STATUS"
