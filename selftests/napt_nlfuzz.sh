#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Random generic netlink requests (napt_nlfuzz.py: every command, random
# and nested attributes, bad lengths, NLM_F_DUMP) into a running gateway
# and an idle namespace that the fuzz brings up and down, then the
# instance reconfigured, stopped and started over and over, and its
# namespace deleted, while new UDP flows cross the gateway as fast as a
# raw socket sends them. The sequence that panicked a 6.12 guest (see
# Documentation/design.md, "Testing under an emulator").
#
#   LAN1/LAN2 -- br0 [GW] wan0 ---- [INET]      SPARE: dummy0 (idle napt)
#
# After every step napt's hooks are registered exactly while it is up
# (nft list hooks: napt_nf_in, napt_nf_out and nf_defrag_ipv4's, once
# each; none when down) in GW and in SPARE, where the kernel can list
# them (nfnetlink_hook: Debian's 6.12 and the debug kernel, not 6.1); at
# the end every object is freed and the module unloads.
# selftest-timeout: 600

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
SPARE=
TMPDIR_NLF=$(mktemp -d)
cleanup() {
	napt_topo_cleanup
	rm -rf "$TMPDIR_NLF"
}
trap cleanup EXIT
require_cmd nft
FUZZ=${NLFUZZ_COUNT:-2000}
CYCLES=${NLFUZZ_CYCLES:-20}

# hooks NS: napt's hooks and nf_defrag_ipv4's as nft lists them, sorted
hooks() {
	ip netns exec "$1" nft list hooks 2>/dev/null |
		grep -oE 'napt_nf_(in|out)|ipv4_conntrack_defrag' | sort | tr '\n' ' '
}
HOOKS_UP="ipv4_conntrack_defrag ipv4_conntrack_defrag napt_nf_in napt_nf_out "
# hooks_are NS up|down: the hooks are exactly those of that state (true
# where the kernel cannot list hooks)
LIST_HOOKS=1
hooks_are() {
	local want=
	((LIST_HOOKS)) || return 0
	[[ $2 == up ]] && want=$HOOKS_UP
	[[ $(hooks "$1") == "$want" ]]
}
is_up() { natctl -n "$1" show | grep -q "napt: up"; }

napt_topo_setup
if [[ -z $(hooks "$GW") ]]; then
	# nft lists nothing without nfnetlink_hook (NETFILTER_NETLINK_HOOK)
	LIST_HOOKS=0
	log_info "this kernel cannot list netfilter hooks: not checked here"
fi
hooks_are "$GW" up
check_err $? "GW's hooks after up: '$(hooks "$GW")'"
setup_ns SPARE || exit $?
ip -n "$SPARE" link add dummy0 type dummy
ip -n "$SPARE" link set dummy0 up
hooks_are "$SPARE" down
check_err $? "SPARE's hooks while idle: '$(hooks "$SPARE")'"
log_test "hooks registered while up only"

# New flows: LAN1 from each of 20000 ports, over and over (a mapping per
# port, again after every flush or restart), as fast as one raw socket
# sends them; LAN2 with a socket per flow.
FLOODS=()
ip netns exec "$LAN1" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_flood.py" \
	192.168.1.2 $INET_ADDR 9 20000 39999 100000 >/dev/null 2>&1 &
FLOODS+=($!)
ip netns exec "$LAN2" /usr/bin/python3 "$TOPDIR/selftests/napt_flood.py" \
	$INET_ADDR 9 30000 30499 600 >/dev/null 2>&1 &
FLOODS+=($!)
flowing() { (($(napt_map_count) > 500)); }
slowwait 30 flowing
check_err $? "the flood made no mappings"
log_test "a flood of new flows crosses the gateway"

##############################################################################
# Random requests: the running GW, the idle SPARE (which they bring up)

ifgw=$(ip -n "$GW" -o link show dev wan0 | cut -d: -f1)
ifsp=$(ip -n "$SPARE" -o link show dev dummy0 | cut -d: -f1)
t0=$SECONDS
ip netns exec "$GW" /usr/bin/python3 "$TOPDIR/selftests/napt_nlfuzz.py" \
	1 "$FUZZ" "$ifgw" up > "$TMPDIR_NLF/gw" 2>&1 &
fz1=$!
ip netns exec "$SPARE" /usr/bin/python3 "$TOPDIR/selftests/napt_nlfuzz.py" \
	2 "$FUZZ" "$ifsp" up > "$TMPDIR_NLF/spare" 2>&1 &
fz2=$!
wait $fz1
check_err $? "fuzz in GW: $(cat "$TMPDIR_NLF/gw")"
wait $fz2
check_err $? "fuzz in SPARE: $(cat "$TMPDIR_NLF/spare")"
log_info "fuzz: $((SECONDS - t0)) s"
log_info "GW: $(tail -n 1 "$TMPDIR_NLF/gw")"
log_info "SPARE: $(tail -n 1 "$TMPDIR_NLF/spare")"
for ns in "$GW" "$SPARE"; do
	if is_up "$ns"; then st=up; else st=down; fi
	hooks_are "$ns" $st
	check_err $? "$ns is $st, its hooks: '$(hooks "$ns")'; nft says: $(ip netns exec "$ns" nft list hooks 2>&1 | tr '\n\t' '  ')"
done
log_test "$FUZZ random requests each into GW (running) and SPARE (idle)"

##############################################################################
# Reconfigure, stop, start, under the flood

natctl -n "$SPARE" down
natctl -n "$GW" down
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 || check_err 1 "up after the fuzz"
t0=$SECONDS
for ((c = 0; c < CYCLES; c++)); do
	# listing hooks is slow (seconds under the flood): every fifth cycle
	((c % 5 == 4)) && check=1 || check=0
	natctl -n "$GW" set mode symmetric || check_err 1 "cycle $c: set mode"
	natctl -n "$GW" map flush || check_err 1 "cycle $c: map flush"
	natctl -n "$GW" set ports 2000-3000 || check_err 1 "cycle $c: set ports"
	natctl -n "$GW" set mode full-cone ports 1024-65535 || check_err 1 "cycle $c: set back"
	natctl -n "$GW" down || check_err 1 "cycle $c: down"
	((check)) && ! hooks_are "$GW" down &&
		check_err 1 "cycle $c: hooks after down: '$(hooks "$GW")'"
	natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 || check_err 1 "cycle $c: up"
	((check)) && ! hooks_are "$GW" up &&
		check_err 1 "cycle $c: hooks after up: '$(hooks "$GW")'"
	natctl -n "$SPARE" up ext-if dummy0 int-net 10.0.0.0/8 || check_err 1 "cycle $c: SPARE up"
	natctl -n "$SPARE" down || check_err 1 "cycle $c: SPARE down"
done
log_info "$CYCLES cycles in $((SECONDS - t0)) s"
slowwait 30 flowing
check_err $? "no mappings after the cycles"
log_test "$CYCLES cycles of set, flush, down and up under the flood"

##############################################################################
# The namespace goes under the flood; then the module

ip netns delete "$GW"
slowwait 20 no_objs
check_err $? "after the namespace went: $(slab_objs napt_map) mappings, $(slab_objs napt_sess) sessions"
log_test "namespace deleted under the flood: every object freed"
kill "${FLOODS[@]}" 2>/dev/null
wait "${FLOODS[@]}" 2>/dev/null
rmmod napt
check_err $? "rmmod napt failed"
log_test "module unloaded"

exit "$EXIT_STATUS"
