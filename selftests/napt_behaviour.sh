#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mapping and filtering behaviours (RFC 4787 sections 4.1 and 5), in the
# topology of napt_topo.sh with a second address on INET:
#
#   LAN1 192.168.1.2 --+                                 +- 203.0.113.2 -+
#                      +-- br0 [GW] wan0 203.0.113.1 ----+  [INET]       |
#   LAN2 192.168.1.3 --+                                 +- 203.0.113.3 -+
#
# napt_beh_srv.py on INET serves UDP and TCP on ports 5000 and 5001 of both
# addresses and answers with the source it saw; a "poke" datagram makes it
# send one datagram from each of its other UDP sockets, then "poke-end"
# from the one poked.
#
# - each of the nine mapping x filtering pairs, set live on one instance
#   (mappings flushed in between): one UDP socket asks 203.0.113.2:5000,
#   203.0.113.2:5001 and 203.0.113.3:5000 and the external ports seen are
#   all the inside port (EIM), one random port for 203.0.113.2 and another
#   for 203.0.113.3 (ADM), three random ports (APDM: destination-dependent
#   mappings get an unpredictable port per destination); map
#   list shows exactly those mappings; then a fresh mapping made towards
#   203.0.113.2:5000 only is poked from all four INET endpoints: exactly
#   those the filtering admits reach the inside socket, drop_filtered
#   counts exactly the others; natctl show -j reports the pair;
# - the named modes set the right pairs, per protocol with proto;
# - a behaviour changed live applies to packets from then on and leaves
#   the existing mappings (see the comment there);
# - TCP under EIM and APDM.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

# get_maps PROTO PORT: GOT=("PROTO INT EXT TYPE MAPPING REMOTE"...), the
# mappings of LAN1 from PORT as map list shows them (REMOTE "-": none)
get_maps() {
	mapfile -t GOT < <(natctl -n "$GW" map list "$1" int 192.168.1.2 |
		awk -v p="192.168.1.2:$2" '$2 == p {
			r = "-"
			for (i = 7; i < NF; i++)
				if ($i == "remote")
					r = $(i + 1)
			print $1, $2, $4, $5, $6, r
		}')
}
# same_lines A B: arrays A and B hold the same lines, in any order
same_lines() {
	local -n sl_a=$1 sl_b=$2
	local -A sl_n=()
	local l

	((${#sl_a[@]} == ${#sl_b[@]})) || return 1
	for l in "${sl_a[@]}"; do
		sl_n[$l]=$((${sl_n[$l]:-0} + 1))
	done
	for l in "${sl_b[@]}"; do
		((${sl_n[$l]:-0} > 0)) || return 1
		sl_n[$l]=$((sl_n[$l] - 1))
	done
}
joined() { local IFS='|'; echo "$*"; }
file_joined() { local l; mapfile -t l <"$1"; joined "${l[@]}"; }
# check_behaviours UDP TCP ICMP: show -j reports exactly these behaviours,
# each given as "MAPPING FILTERING MODE" (MODE null: a pair without name)
check_behaviours() {
	local p m f mode want='' sep='' show

	for p in udp tcp icmp; do
		read -r m f mode <<<"$1"
		shift
		[[ $mode == null ]] || mode="\"$mode\""
		want+="$sep\"$p\":{\"mapping\":\"$m\",\"filtering\":\"$f\",\"mode\":$mode}"
		sep=,
	done
	want="\"behaviours\":{$want}"
	show=$(natctl -n "$GW" -j show)
	[[ $show == *"$want"* ]] || check_err 1 "show -j: $show; expected $want"
}

napt_topo_setup
ip -n "$INET" addr add $INET_ADDR2/24 dev eth0
in_ns "$INET" /usr/bin/python3 "$SELF/napt_beh_srv.py" -r "$TMPD/srv.ready" \
	$INET_ADDR:5000 $INET_ADDR:5001 $INET_ADDR2:5000 $INET_ADDR2:5001 &
slowwait 30 test -e "$TMPD/srv.ready" || ksft_exit_fail "INET servers did not start"

# The mode natctl names a pair by, "null" for the others.
declare -A MODE=([eim/eif]=full-cone [eim/adf]=restricted-cone
		 [eim/apdf]=port-restricted-cone [apdm/apdf]=symmetric)

# check_mapping PROTO MAPPING PORT LINE...: the answers to one socket
# bound to PORT that asked 203.0.113.2:5000, 203.0.113.2:5001,
# 203.0.113.3:5000 ("SERVER SEEN [TEXT]" each); sets E1 E2 E3, the external
# ports seen, and WANT, the mappings map list must show for PORT.
check_mapping() {
	local proto=$1 mapping=$2 p=$3 dst seen k pre
	local dsts=("$INET_ADDR:5000" "$INET_ADDR:5001" "$INET_ADDR2:5000") e=()

	shift 3
	for k in 0 1 2; do
		read -r dst seen _ <<<"$1"
		shift
		[[ $dst == "${dsts[k]}" && $seen == "$GW_EXT:"* ]] || return 1
		e+=("${seen#*:}")
	done
	E1=${e[0]} E2=${e[1]} E3=${e[2]}
	pre="$proto 192.168.1.2:$p"
	case $mapping in
	eim)
		WANT=("$pre $GW_EXT:$E1 dynamic eim -")
		[[ $E1 == "$p" && $E2 == "$p" && $E3 == "$p" ]] ;;
	adm)	# random ports: destination-dependent mappings do not preserve
		WANT=("$pre $GW_EXT:$E1 dynamic adm $INET_ADDR"
		      "$pre $GW_EXT:$E3 dynamic adm $INET_ADDR2")
		[[ $E1 == "$E2" && $E3 != "$E1" && $E1 != "$p" && $E3 != "$p" ]] ;;
	apdm)
		WANT=("$pre $GW_EXT:$E1 dynamic apdm $INET_ADDR:5000"
		      "$pre $GW_EXT:$E2 dynamic apdm $INET_ADDR:5001"
		      "$pre $GW_EXT:$E3 dynamic apdm $INET_ADDR2:5000")
		[[ $E1 != "$E2" && $E2 != "$E3" && $E1 != "$E3" &&
		   $E1 != "$p" && $E2 != "$p" && $E3 != "$p" ]] ;;
	esac
}

# POKES: what a poke of 203.0.113.2:5000 delivers under each filtering;
# REFUSED: how many datagrams of it the filter drops.
declare -A POKES=(
	[eif]="$INET_ADDR:5001 poke-reply|$INET_ADDR2:5000 poke-reply|$INET_ADDR2:5001 poke-reply|$INET_ADDR:5000 poke-end"
	[adf]="$INET_ADDR:5001 poke-reply|$INET_ADDR:5000 poke-end"
	[apdf]="$INET_ADDR:5000 poke-end"
)
declare -A REFUSED=([eif]=0 [adf]=2 [apdf]=3)

##############################################################################
# The nine pairs, UDP

i=0
for mapping in eim adm apdm; do
	for filtering in eif adf apdf; do
		p=$((41000 + 10 * i))
		i=$((i + 1))
		pair="$mapping/$filtering"
		mode=${MODE[$pair]:-null}

		natctl -n "$GW" map flush || check_err 1 "map flush failed"
		natctl -n "$GW" set mapping $mapping filtering $filtering ||
			check_err 1 "set mapping $mapping filtering $filtering failed"
		check_behaviours "$mapping $filtering $mode" \
			"$mapping $filtering $mode" "$mapping $filtering $mode"
		log_test "$pair: set live, reported by show -j"

		# One socket from p: three remotes (the mapping), then, once
		# the mappings are flushed, a fresh mapping towards
		# 203.0.113.2:5000 only, poked from all four INET endpoints
		# (the filtering).
		out=$TMPD/combo.$i
		beh_udp "$LAN1" -s $p ask:$INET_ADDR:5000 ask:$INET_ADDR:5001 \
			ask:$INET_ADDR2:5000 note:mapped wait:"$TMPD/go.$i" \
			ask:$INET_ADDR:5000 send:$INET_ADDR:5000:poke \
			until:poke-end drain:0.3 >"$out" &
		probe=$!
		slowwait 20 has_line "$out" mapped ||
			check_err 1 "a question got no answer: $(file_joined "$out")"
		mapfile -t L <"$out"
		check_mapping udp $mapping $p "${L[@]:0:3}" ||
			check_err 1 "external ports seen: $(joined "${L[@]}")"
		get_maps udp $p
		same_lines GOT WANT ||
			check_err 1 "map list: $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
		log_test "$pair: $mapping external ports ($E1 $E2 $E3 from $p)"

		natctl -n "$GW" map flush
		before=$(gw_stat drop_filtered)
		touch "$TMPD/go.$i"
		wait $probe || check_err 1 "poke failed: $(file_joined "$out")"
		mapfile -t L <"$out"
		# the inside port under eim, a random one otherwise
		fresh="$INET_ADDR:5000 $GW_EXT:$p"
		[[ $mapping == eim ]] || fresh="$INET_ADDR:5000 $GW_EXT:"
		[[ ${L[3]} == mapped && ${L[4]} == "$fresh"* &&
		   ($mapping == eim || ${L[4]} != *":$p") ]] ||
			check_err 1 "the fresh mapping: $(joined "${L[@]}")"
		GOT=("${L[@]:5}")
		IFS='|' read -r -a WANT <<<"${POKES[$filtering]}"
		same_lines GOT WANT ||
			check_err 1 "delivered: $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
		busywait 3000 stat_is drop_filtered $((before + REFUSED[$filtering])) >/dev/null ||
			check_err 1 "drop_filtered went from $before to $(gw_stat drop_filtered), expected +${REFUSED[$filtering]}"
		log_test "$pair: $filtering admits exactly its remotes, counts the rest"
	done
done

##############################################################################
# The named modes, for all protocols and per protocol

natctl -n "$GW" map flush
for pair in eim/eif eim/adf eim/apdf apdm/apdf; do
	mode=${MODE[$pair]}
	natctl -n "$GW" set mode $mode || check_err 1 "set mode $mode failed"
	b="${pair/\// } $mode"
	check_behaviours "$b" "$b" "$b"
done
log_test "modes: full-cone, restricted-cone, port-restricted-cone, symmetric"

natctl -n "$GW" set mode full-cone proto tcp mode symmetric ||
	check_err 1 "set mode full-cone proto tcp mode symmetric failed"
check_behaviours "eim eif full-cone" "apdm apdf symmetric" "eim eif full-cone"
log_test "proto scopes mode: udp and icmp full-cone, tcp symmetric"

##############################################################################
# A behaviour changed on a live instance.
#
# What napt does (kmod/xlate.c): the behaviour in force is read for every
# packet.  Outbound, napt_find_out() builds the key under the mapping
# behaviour in force (EIM: inside endpoint; ADM: + remote address; APDM:
# + remote port) and looks it up: a mapping made under another behaviour
# has another key, so the inside endpoint gets a new mapping (the old one
# holds its port: another is chosen).  Inbound, napt_filter_ok() applies
# the filtering in force to every dynamic mapping, old ones included.
# Existing mappings are neither flushed nor rekeyed: each keeps its key
# and behaviour until it expires, and is used again outbound when the
# behaviour goes back.

natctl -n "$GW" map flush
natctl -n "$GW" set mode port-restricted-cone
out=$(beh_udp "$LAN1" -s 45000 ask:$INET_ADDR:5000)
[[ $out == "$INET_ADDR:5000 $GW_EXT:45000" ]] ||
	check_err 1 "under eim/apdf: '$out'"
natctl -n "$GW" set mapping apdm filtering eif ||
	check_err 1 "set mapping apdm filtering eif failed"
get_maps udp 45000
WANT=("udp 192.168.1.2:45000 $GW_EXT:45000 dynamic eim -")
same_lines GOT WANT ||
	check_err 1 "after the change: $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
log_test "live change: the existing mapping stays, with its key"

# Outbound from the same socket: an APDM mapping of its own, on another
# port.  Poked at the old mapping's port 45000: EIF now lets all in.
mapfile -t L < <(beh_udp "$LAN1" -s 45000 ask:$INET_ADDR:5000 \
	"send:$INET_ADDR:5000:poke $GW_EXT:45000" until:poke-end drain:0.3)
eport=${L[0]##*:}
[[ ${L[0]} == "$INET_ADDR:5000 $GW_EXT:"* && $eport != 45000 ]] ||
	check_err 1 "new packets did not get a new apdm mapping: $(joined "${L[@]}")"
get_maps udp 45000
WANT=("udp 192.168.1.2:45000 $GW_EXT:45000 dynamic eim -"
      "udp 192.168.1.2:45000 $GW_EXT:$eport dynamic apdm $INET_ADDR:5000")
same_lines GOT WANT ||
	check_err 1 "map list: $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
GOT=("${L[@]:1}")
IFS='|' read -r -a WANT <<<"${POKES[eif]}"
same_lines GOT WANT ||
	check_err 1 "old mapping under eif delivered $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
log_test "live change: new packets new key, old mapping filtered anew"

natctl -n "$GW" set mapping eim filtering apdf
out=$(beh_udp "$LAN1" -s 45000 ask:$INET_ADDR:5001)
[[ $out == "$INET_ADDR:5001 $GW_EXT:45000" ]] ||
	check_err 1 "back under eim: '$out', expected the old port 45000"
get_maps udp 45000
((${#GOT[@]} == 2)) ||
	check_err 1 "a mapping was added or lost: $(joined "${GOT[@]}")"
log_test "live change back: the old eim mapping is used again"

##############################################################################
# TCP under EIM and APDM

for mapping in eim apdm; do
	p=46000
	[[ $mapping == apdm ]] && p=46010
	natctl -n "$GW" map flush
	natctl -n "$GW" set mapping $mapping filtering apdf
	mapfile -t L < <(beh_tcp "$LAN1" -s $p ask:$INET_ADDR:5000 \
		ask:$INET_ADDR:5001 ask:$INET_ADDR2:5000)
	check_mapping tcp $mapping $p "${L[@]}" ||
		check_err 1 "external ports seen: $(joined "${L[@]}")"
	get_maps tcp $p
	same_lines GOT WANT ||
		check_err 1 "map list: $(joined "${GOT[@]}"); expected $(joined "${WANT[@]}")"
	log_test "tcp $mapping/apdf: external ports ($E1 $E2 $E3 from $p)"
done

exit "$EXIT_STATUS"
