#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 900
#
# The topology's selftests again, with GW running a typical router
# ruleset (selftests/router.nft: input and forward policy drop,
# established accepted, LAN to WAN accepted, and the one mark-static rule
# for port forwards): napt_topo_setup loads it when NAPT_RULESET names it,
# and brings napt up with mark-static 0x100/0xff00.
#
# Measured on 6.12 with every topology test (2026-12-04), 13 of 20 pass
# unchanged: napt_tcp, napt_icmp, napt_static, napt_save, napt_flowtable,
# napt_expiry, napt_config, napt_events, napt_conntrack, igdd_upnp,
# igdd_pcp, napt_hostile, napt_lifecycle. TESTS runs the quicker ones of
# those (conntrack, port forwards through mark-static, flowtables, TCP,
# the life cycle) to keep make check's time. The other seven fail, and why:
#   napt_behaviour, napt_stun  EIF and ADF become port-dependent: a new
#                      remote's first datagram is conntrack state new
#                      from wan0, dropped by the forward policy (as behind
#                      any conntrack firewall); needs a mark for every
#                      inbound translation napt's filtering admits, not
#                      only static ones (not there yet)
#   napt_hairpin       LAN to LAN through the external address is forward
#                      br0 -> br0, which the ruleset does not accept (the
#                      same mark would serve it)
#   napt_basic         a service on the gateway reached from the WAN and
#                      IPv6 from the WAN: the ruleset's input and forward
#                      drops, as intended
#   napt_limits        pings the gateway from the WAN: input drop
#   napt_ifname        translates through ppp0, which the ruleset's
#                      "oifname wan0" does not name
#   napt_nlfuzz        asserts no IPv4 hook is left after down, and finds
#                      conntrack's defrag hooks, which the ruleset's "ct"
#                      rules registered (the test should look at napt's
#                      own hooks only)
# napt_firewall.sh is not run here: it loads router.nft itself and tests
# it without mark-static first.
TESTS=(napt_conntrack.sh napt_save.sh napt_flowtable.sh napt_lifecycle.sh
	napt_tcp.sh napt_static.sh)

source "$(dirname "$0")/lib.sh"
require_cmd nft

for t in "${TESTS[@]}"; do
	NAPT_RULESET=$TOPDIR/selftests/router.nft "$TOPDIR/selftests/$t" 2>&1 |
		sed "s|^|# $t: |"
	rc=${PIPESTATUS[0]}
	case $rc in
	0) ;;
	4) check_err 1 "$t skipped under the ruleset" ;;
	*) check_err 1 "$t exited $rc under the ruleset" ;;
	esac
	log_test "$t under the router ruleset"
done
exit "$EXIT_STATUS"
