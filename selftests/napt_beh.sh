#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the behaviour, hairpin, static and TCP selftests; sourced after
# lib.sh and napt_topo.sh. They drive the Python peers napt_beh_udp.py,
# napt_beh_tcp.py and napt_beh_srv.py, and clean up with the topology.
#
# Guests run under TCG: every process costs, so checks fork little and
# build their failure messages only when they fail.

SELF=$TOPDIR/selftests
INET_ADDR2=203.0.113.3
TMPD=$(mktemp -d)
napt_beh_cleanup() {
	napt_topo_cleanup
	rm -rf "$TMPD"
}
trap napt_beh_cleanup EXIT

beh_udp() {	# NS ARGS...: napt_beh_udp.py in NS
	local ns=$1
	shift
	in_ns "$ns" /usr/bin/python3 "$SELF/napt_beh_udp.py" "$@"
}
beh_tcp() {	# NS ARGS...: napt_beh_tcp.py in NS
	local ns=$1
	shift
	in_ns "$ns" /usr/bin/python3 "$SELF/napt_beh_tcp.py" "$@"
}
gw_stat() {	# NAME: one counter (natctl's text output)
	natctl -n "$GW" stats | awk -v n="$1" '$1 == n { print $2 }'
}
stat_is() { [[ $(gw_stat "$1") == "$2" ]]; }
has_line() { grep -qxF -- "$2" "$1" 2>/dev/null; }	# FILE LINE
srv_start() {	# NS NAME ADDR:PORT...: napt_beh_srv.py in NS, ready
	local ns=$1 name=$2
	shift 2
	in_ns "$ns" /usr/bin/python3 "$SELF/napt_beh_srv.py" \
		-r "$TMPD/$name.ready" "$@" &
	# a TCG guest on a busy host may take seconds to start python
	slowwait 30 test -e "$TMPD/$name.ready" ||
		ksft_exit_fail "server $name in $ns did not start"
}
