#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# natctl save and natctl -b (topology in napt_topo.sh):
#
# - save prints a batch file: an "up" line with the settings, one "map add"
#   per admin static mapping (the upnp and pcp ones are igdd's: left out);
# - down, then -b of that file, then save again: the same file (but for
#   the leases, which count down) and the same show;
# - save while down: a comment, exit 0;
# - a batch stops at its first failing line, parse or kernel error, with
#   "FILE:LINE: " before the message: the lines before it are applied,
#   those after it not.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"

dir=
cleanup() {
	napt_topo_cleanup
	[[ -n $dir ]] && rm -rf "$dir"
}
trap cleanup EXIT

dir=$(mktemp -d) || ksft_exit_fail "mktemp failed"

# again with every setting off its default
napt_topo_setup
ip -n "$GW" addr add 203.0.113.5/24 dev wan0
natctl -n "$GW" down || ksft_exit_fail "natctl down failed"
natctl -n "$GW" up ext-if wan0 int-net 192.168.1.0/24 \
	ext-addr 203.0.113.1,203.0.113.5 ports 20000-29999 \
	udp-timeout 123 tcp-timeout 4567 tcp-trans-timeout 89 \
	icmp-timeout 33 proto udp mode full-cone proto tcp mapping adm \
	filtering adf proto icmp mapping apdm port-preserve off \
	port-parity on hairpin off inbound-refresh on icmp-unreach off \
	max-maps-per-host 77 port-reuse-delay 5 syn-hold 3 max-maps 5000 \
	max-sessions 9000 || ksft_exit_fail "natctl up failed"

# show without the counts, which the mappings of igdd change
show_conf() {
	natctl -n "$GW" show | grep -v -e '^  maps ' -e '^  static '
}

# the leases count down: only their presence is compared; the map add
# lines come in the table's hash order, which re-adding may change
no_leases() {
	grep -v '^map add ' "$1"
	grep '^map add ' "$1" | sed -e 's/ lease [0-9]*/ lease N/' | sort
}

natctl -n "$GW" map add tcp 192.168.1.2:22 ext-port 2222 \
	desc 'ssh "a\b" #1' >/dev/null &&
natctl -n "$GW" map add udp 192.168.1.3:5000 ext-port 5000 \
	ext-addr 203.0.113.5 remote 198.51.100.7 lease 3600 \
	desc "été" >/dev/null &&
natctl -n "$GW" map add tcp 192.168.1.3:80 ext-port 8080 cookie 0a1b >/dev/null &&
natctl -n "$GW" map add tcp 192.168.1.2:8000 ext-port 18000 lease 600 \
	desc web owner upnp >/dev/null &&
natctl -n "$GW" map add udp 192.168.1.2:4500 ext-port 4500 lease 600 \
	owner pcp cookie 000102030405060708090a0b >/dev/null
check_err $? "map add failed"
show_conf >"$dir/show1"

natctl -n "$GW" save >"$dir/f1"
check_err $? "save failed"
[[ $(grep -c '^up ' "$dir/f1") == 1 && $(grep -c '^map add ' "$dir/f1") == 3 ]]
check_err $? "want one up and 3 map add lines: $(cat "$dir/f1")"
grep -q '^up ext-if wan0 int-net 192.168.1.0/24 ext-addr 203.0.113.1,203.0.113.5 ports 20000-29999 ' "$dir/f1"
check_err $? "the up line: $(grep '^up' "$dir/f1")"
for w in "udp-timeout 123" "tcp-timeout 4567" "tcp-trans-timeout 89" \
	 "icmp-timeout 33" "max-maps-per-host 77" "port-reuse-delay 5" \
	 "syn-hold 3" "max-maps 5000" "max-sessions 9000" \
	 "proto udp mapping eim filtering eif" \
	 "proto tcp mapping adm filtering adf" "proto icmp mapping apdm" \
	 "port-preserve off" "port-parity on" "hairpin off" \
	 "inbound-refresh on" "icmp-unreach off"; do
	grep -q "^up .* $w\( \|$\)" "$dir/f1"
	check_err $? "no \"$w\" in: $(grep '^up' "$dir/f1")"
done
# its ext-addr is the one paired pooling gives 192.168.1.2 (a keyed hash)
grep -qF -e 'map add tcp 192.168.1.2:22 ext-port 2222 ext-addr 203.0.113.1 desc "ssh \"a\\b\" #1"' \
	-e 'map add tcp 192.168.1.2:22 ext-port 2222 ext-addr 203.0.113.5 desc "ssh \"a\\b\" #1"' "$dir/f1"
check_err $? "the ssh mapping: $(cat "$dir/f1")"
lease=$(sed -n 's/^map add udp 192.168.1.3:5000 ext-port 5000 ext-addr 203.0.113.5 remote 198.51.100.7 lease \([0-9]*\) desc "été"$/\1/p' "$dir/f1")
[[ -n $lease ]] && ((lease > 3000 && lease <= 3600))
check_err $? "the udp mapping, its lease left: $(cat "$dir/f1")"
grep -q '^map add tcp 192.168.1.3:80 ext-port 8080 .* cookie 0a1b$' "$dir/f1"
check_err $? "the cookie mapping: $(cat "$dir/f1")"
! grep -q -e 18000 -e 4500 "$dir/f1"
check_err $? "mappings of igdd saved: $(cat "$dir/f1")"
log_test "save: the settings and the admin static mappings"

natctl -n "$GW" down
check_err $? "down failed"
out=$(natctl -n "$GW" save)
check_err $? "save while down failed"
[[ $(grep -vc '^#' <<<"$out") == 0 ]]
check_err $? "save while down printed more than comments: $out"
log_test "save while down: comments only"

natctl -n "$GW" -b "$dir/f1" >"$dir/out"
check_err $? "natctl -b of the saved file failed"
natctl -n "$GW" save >"$dir/f2"
check_err $? "save after -b failed"
diff -u <(no_leases "$dir/f1") <(no_leases "$dir/f2")
check_err $? "save after -b differs"
show_conf >"$dir/show2"
diff -u "$dir/show1" "$dir/show2"
check_err $? "show after -b differs"
[[ $(natctl -n "$GW" -j map list static | /usr/bin/python3 -c '
import json, sys
print(len(json.load(sys.stdin)))') == 3 ]]
check_err $? "want the 3 admin static mappings back: $(natctl -n "$GW" map list static)"
log_test "down, -b of the saved file: the same configuration"

# a parse error on line 3: lines 1 and 2 applied, 4 not
printf '%s\n' '# line 1' 'set udp-timeout 200' 'set bogus 1' \
	'set udp-timeout 999' >"$dir/e1"
err=$(natctl -n "$GW" -b "$dir/e1" 2>&1 >/dev/null)
rc=$?
[[ $rc == 2 && $err == "natctl: $dir/e1:3: set: unknown keyword \"bogus\""* ]]
check_err $? "parse error: exit $rc, '$err'"
natctl -n "$GW" -j show | /usr/bin/python3 -c '
import json, sys
assert json.load(sys.stdin)["udp_timeout"] == 200
'
check_err $? "udp-timeout after the failed batch: $(natctl -n "$GW" show)"
log_test "-b: a parse error stops the batch at its line"

# a kernel error on line 3 (extack): line 2 applied, 4 not
printf '%s\n' 'set udp-timeout 300' \
	'map add tcp 192.168.1.2:2323 ext-port 2323' \
	'map add tcp 10.0.0.1:1 ext-port 1' \
	'map add tcp 192.168.1.2:2424 ext-port 2424' >"$dir/e2"
err=$(natctl -n "$GW" -b "$dir/e2" 2>&1 >/dev/null)
rc=$?
[[ $rc == 1 && $err == "natctl: $dir/e2:3: "*"internal prefix"* ]]
check_err $? "kernel error: exit $rc, '$err'"
out=$(natctl -n "$GW" map list static)
grep -q ':2323 ' <<<"$out" && ! grep -q ':2424 ' <<<"$out"
check_err $? "mappings after the failed batch: $out"
log_test "-b: a kernel error stops the batch at its line"

exit "$EXIT_STATUS"
