#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An unprivileged user who is root only in a user namespace of their own
# may run a napt instance there, but not make the kernel spend memory
# nobody pays for: the instance's tables and every mapping its packets
# make are charged to the user's memory cgroup, and asking for more than
# the documented limits is refused.
#
#   +---------------------+   +----------------------------------------+   +-------------+
#   | LAN (root)          |   | USER: uid 65534 in cgroup napt-uns-N,  |   | INET (root) |
#   | 192.168.1.2 eth0 ---+---+ uplan  own user + net namespace  upwan +---+ eth0        |
#   +---------------------+   | 192.168.1.1   napt     203.0.113.1     |   | 203.0.113.2 |
#                             +----------------------------------------+   +-------------+
#
# - up with max-maps 16777216, or max-sessions 1000000: EPERM, and the
#   extack says the limit;
# - up with the defaults: memory.current of the user's cgroup grows by at
#   least the tables' size;
# - 20000 new flows from LAN (root, softirq): it grows by at least their
#   mappings' size, charged to the user although root's packets made them;
# - down: it shrinks back;
# - real root may ask the same instance for more.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
LAN= INET=
HOLDER=
CG=

cleanup() {
	if [[ -n $HOLDER ]]; then
		kill -9 "$HOLDER" 2>/dev/null
		wait "$HOLDER" 2>/dev/null
	fi
	cleanup_all_ns
	[[ -n $CG && -d $CG ]] && {
		# the cgroup goes once its last process is gone
		slowwait 10 rmdir "$CG" 2>/dev/null
	}
}
trap cleanup EXIT

require_root
require_cmd setpriv unshare nsenter /usr/bin/python3
[[ -r /sys/fs/cgroup/cgroup.controllers ]] ||
	ksft_exit_skip "no cgroup2 at /sys/fs/cgroup"
grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
	ksft_exit_skip "no memory controller"
napt_load
echo +memory > /sys/fs/cgroup/cgroup.subtree_control ||
	ksft_exit_fail "cannot enable the memory controller"
CG=/sys/fs/cgroup/napt-uns-$$
mkdir "$CG" || ksft_exit_fail "cannot make $CG"

# The user's namespaces live as long as this process: uid 65534, in the
# cgroup, in a user namespace (mapped to root there) with a network
# namespace of its own.
sh -c "echo \$\$ > $CG/cgroup.procs && exec setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn sleep 600" &
HOLDER=$!
own_ns() { [[ $(readlink "/proc/$HOLDER/ns/user") != $(readlink /proc/self/ns/user) ]]; }
slowwait 10 own_ns || ksft_exit_fail "the user's namespaces did not come up"

# as_user CMD...: CMD as the user, in their cgroup and namespaces
as_user() {
	sh -c "echo \$\$ > $CG/cgroup.procs && exec setpriv --reuid=65534 --regid=65534 --clear-groups nsenter --preserve-credentials -t $HOLDER -U -n \"\$@\"" as_user "$@"
}
mem() { cat "$CG/memory.current"; }
kib() { echo "$(($1 / 1024)) KiB"; }

setup_ns LAN INET || exit $?
ip link add uplan type veth peer name eth0 netns "$LAN"
ip link add upwan type veth peer name eth0 netns "$INET"
ip link set uplan netns "/proc/$HOLDER/ns/net"
ip link set upwan netns "/proc/$HOLDER/ns/net"
ip -n "$LAN" addr add 192.168.1.2/24 dev eth0
ip -n "$LAN" link set eth0 up
ip -n "$LAN" route add default via 192.168.1.1
ip -n "$INET" addr add 203.0.113.2/24 dev eth0
ip -n "$INET" link set eth0 up
as_user sh -e -c '
	ip addr add 192.168.1.1/24 dev uplan
	ip addr add 203.0.113.1/24 dev upwan
	ip link set uplan up
	ip link set upwan up
	sysctl -qw net.ipv4.ip_forward=1
' || ksft_exit_fail "the user cannot set up their namespace"

##############################################################################
# Limits for the root of a user namespace

for opt in "max-maps 16777216" "max-sessions 1000000"; do
	# shellcheck disable=SC2086
	out=$(as_user "$NATCTL" up ext-if upwan int-net 192.168.1.0/24 $opt 2>&1)
	rc=$?
	want="at most"
	[[ $rc == 1 && $out == *"Operation not permitted"* && $out == *"$want"* ]]
	check_err $? "up $opt: rc=$rc '$out'"
done
as_user "$NATCTL" show | grep -q "napt: down"
check_err $? "a refused up brought napt up"
log_test "user namespace root: more than the default limits refused"

##############################################################################
# Charged: the tables at up, the mappings the packets make

# warm what the user's commands read (page cache is charged too)
as_user "$NATCTL" show >/dev/null
as_user "$NATCTL" -j stats >/dev/null 2>&1
m0=$(mem)
as_user "$NATCTL" up ext-if upwan int-net 192.168.1.0/24
check_err $? "up with the defaults failed"
m1=$(mem)
# out + in: 65536 buckets of 8 bytes each, sessions 65536, hosts 4096
tables=$(((65536 * 2 + 65536 + 4096) * 8))
((m1 - m0 >= tables * 9 / 10))
check_err $? "up charged $(kib $((m1 - m0))) to the user's cgroup, the tables are $(kib $tables)"
log_test "up: the tables are charged to the user ($(kib $((m1 - m0))))"

nflows=20000
ip netns exec "$LAN" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_flood.py" \
	192.168.1.2 203.0.113.2 9 20000 $((20000 + nflows - 1)) 1 >/dev/null
check_err $? "the flood failed"
nmaps() { as_user "$NATCTL" -j show | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["maps"])'; }
many() { (($(nmaps) >= nflows * 9 / 10)); }
slowwait 20 many
check_err $? "only $(nmaps) mappings after $nflows flows"
m2=$(mem)
# a mapping is a 96-byte napt_map (its first session embedded)
((m2 - m1 >= nflows * 96 * 8 / 10))
check_err $? "$(nmaps) mappings charged $(kib $((m2 - m1))), at least $(kib $((nflows * 96))) expected"
log_test "packets from root's LAN: $(nmaps) mappings charged to the user ($(kib $((m2 - m1))))"

as_user "$NATCTL" down
check_err $? "down failed"
shrunk() { (($(mem) - m0 <= (m2 - m0) / 5)); }
slowwait 10 shrunk
check_err $? "after down the cgroup still has $(kib $(($(mem) - m0))) of $(kib $((m2 - m0)))"
log_test "down: the charge goes back ($(kib $(($(mem) - m0))) left)"

##############################################################################
# Real root in the same namespace may ask for more

nsenter -t "$HOLDER" -n "$NATCTL" up ext-if upwan int-net 192.168.1.0/24 max-maps 262144
check_err $? "root's up with max-maps 262144 failed"
nsenter -t "$HOLDER" -n "$NATCTL" -j show | /usr/bin/python3 -c '
import json, sys
assert json.load(sys.stdin)["max_maps"] == 262144'
check_err $? "root's max-maps is not in force"
nsenter -t "$HOLDER" -n "$NATCTL" down
log_test "CAP_NET_ADMIN in the initial user namespace: no such limit"

exit "$EXIT_STATUS"
