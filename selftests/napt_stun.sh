#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The NAT type as a real STUN client sees it (RFC 3489 classic STUN: the
# Debian packages stun-client and stun-server, 0.97):
#
#   LAN1 192.168.1.2 --+                                  203.0.113.2 [INET]
#                      +-- br0 [GW] wan0 203.0.113.1 ---- 203.0.113.3  stund
#   LAN2 192.168.1.3 --+
#
# stund answers on 203.0.113.2 and 203.0.113.3, ports 3478 and 3479.  From
# LAN1, "stun 203.0.113.2 -p P" uses ports P and P+1 and runs the tests:
#   I    P   -> .2:3478, answered from .2:3478 (gives the mapped address)
#   I2   P   -> .3:3478: the same mapped address unless mapping depends on
#                        the remote
#   II   P+1 -> .2:3478, answered from .3:3479 (a remote P+1 never sent to)
#   III  P+1 -> .2:3478, answered from .2:3479 (known address, new port)
#   hairpin  P -> its own mapped address
# and prints "Primary: VERDICT, preserves ports|random port, will hairpin|no
# hairpin" then "Return value is 0xNNNNNN"; it exits with that value: 0x02
# independent filter, 0x04 address dependent filter, 0x06 port dependent
# filter, 0x08 dependent mapping, plus 0x01 if the port was preserved and
# 0x10 if it did not hairpin.
#
# With napt's presets (port preservation and hairpinning on, the defaults):
#
#   full-cone             Independent Mapping, Independent Filter,
#                         preserves ports, will hairpin            0x03
#   restricted-cone       Independent Mapping, Address Dependent Filter,
#                         preserves ports, will hairpin            0x05
#   port-restricted-cone  Independent Mapping, Port Dependent Filter,
#                         preserves ports, will hairpin            0x07
#   symmetric             Dependent Mapping, random port,
#                         no hairpin                               0x18
#
# (a destination-dependent mapping never keeps the inside port: its port
# is unpredictable for every destination)
#
# Symmetric NAT does not hairpin for stun: the hairpinned packet gets a
# mapping of its own (another port), and the target mapping's
# address-and-port-dependent filter refuses that endpoint (RFC 4787 REQ-9:
# the filter sees the external source).

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
trap napt_topo_cleanup EXIT

require_cmd stun stund
napt_topo_setup
ip -n "$INET" addr add 203.0.113.3/24 dev eth0
in_ns "$INET" stund -h $INET_ADDR -a 203.0.113.3 >/dev/null 2>&1 &
wait_local_port_listen "$INET" 3478 udp
wait_local_port_listen "$INET" 3479 udp

# mode VERDICT RETVAL SPORT
check_mode() {
	local mode=$1 verdict=$2 want_rc=$3 sport=$4 out rc hex

	natctl -n "$GW" set mode "$mode"
	check_err $? "set mode $mode failed"
	natctl -n "$GW" map flush
	natctl -n "$GW" show | grep -q "udp  .*($mode)"
	check_err $? "show does not say $mode: $(natctl -n "$GW" show)"
	out=$(in_ns "$LAN1" timeout 60 stun $INET_ADDR -v -p "$sport" 2>"/tmp/napt_stun.$sport")
	rc=$?
	printf -v hex '0x%06x' "$want_rc"
	grep -qxF "Primary: $verdict	" <<<"$out" &&
		grep -qxF "Return value is $hex" <<<"$out"
	check_err $? "stun said: $(tr '\n' '|' <<<"$out"), expected '$verdict' $hex; $(grep -E '^(test|is nat|mapped|hairpin|preserv)' "/tmp/napt_stun.$sport" | tr '\n' ',')"
	[[ $rc == "$want_rc" ]]
	check_err $? "stun exited $rc, expected $want_rc"
	rm -f "/tmp/napt_stun.$sport"
	log_test "$mode: stun says \"$verdict\""
}

check_mode full-cone \
	"Independent Mapping, Independent Filter, preserves ports, will hairpin" \
	$((0x03)) 41000
check_mode restricted-cone \
	"Independent Mapping, Address Dependent Filter, preserves ports, will hairpin" \
	$((0x05)) 41010
check_mode port-restricted-cone \
	"Independent Mapping, Port Dependent Filter, preserves ports, will hairpin" \
	$((0x07)) 41020
check_mode symmetric \
	"Dependent Mapping, random port, no hairpin" \
	$((0x18)) 41030

exit "$EXIT_STATUS"
