#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Diagnostic, not a selftest: does flipping netfilter's static keys under
# traffic kill this guest, with napt never loaded?
#
#   VM_PIN_KEYS=0 selftests/vm/run.sh KVER selftests/vm/xmc-probe.sh
#
# Two namespaces flood each other (ping -f both ways, UDP from a raw
# socket), so that every vCPU runs ip_rcv() and __ip_local_out(); a third
# adds and deletes an nftables table with prerouting, output and
# postrouting base chains, again and again for 240 s. With nothing
# else holding those hooks, every add enables and every delete disables
# the hooks' static keys: the kernel patches the NF_HOOK() sites with
# text_poke_bp() (int3 first, the rest, then the first byte, with IPIs
# that serialize every CPU in between).
#
# Under QEMU 7.2's multi-threaded TCG (Debian 12) the 2-vCPU guest dies
# within a few dozen toggles with "Oops: int3" at ip_rcv+0x42 or
# __ip_local_out+0xa2, and the oops's Code: line shows the site holding
# the finished instruction (0f 1f 44 00 00, the 5-byte NOP) where the CPU
# executed an int3: it ran code the patch had already replaced, which
# hardware serialization forbids and the emulator allowed. With the keys
# pinned (VM_PIN_KEYS=1, the harness's default) the same toggles pass:
# no patching happens. See Documentation/design.md, "Testing under an
# emulator".
# selftest-timeout: 400
source "$TOPDIR/selftests/lib.sh"
trap cleanup_all_ns EXIT
SECS=240
setup_ns A B T || exit $?
ip link add eth0 netns "$A" type veth peer name eth0 netns "$B"
ip -n "$A" addr add 10.9.0.1/24 dev eth0
ip -n "$A" link set eth0 up
ip -n "$B" addr add 10.9.0.2/24 dev eth0
ip -n "$B" link set eth0 up
slowwait 5 ip netns exec "$A" ping -c1 -W1 10.9.0.2 >/dev/null
ip netns exec "$A" ping -f -q 10.9.0.2 >/dev/null 2>&1 &
ip netns exec "$B" ping -f -q 10.9.0.1 >/dev/null 2>&1 &
ip netns exec "$A" /usr/bin/python3 "$TOPDIR/selftests/napt_lim_flood.py" \
	10.9.0.1 10.9.0.2 9 1024 65535 100000 >/dev/null 2>&1 &
# One nft process reads the commands, one transaction per line: a toggle
# costs no process start. Every 20 toggles it is asked to list a marker
# table, so that what is counted is what it did.
coproc NFT { ip netns exec "$T" nft -i 2>&1; }
t0=$SECONDS
for ((i = 0; SECONDS - t0 < SECS;)); do
	for ((j = 0; j < 20; j++)); do
		printf '%s\n' "add table ip t" \
			"add chain ip t p { type filter hook prerouting priority 0; }" \
			"add chain ip t o { type filter hook output priority 0; }" \
			"add chain ip t q { type filter hook postrouting priority 0; }" \
			"delete table ip t" >&"${NFT[1]}"
	done
	printf '%s\n' "add table ip m$i" "list tables" "delete table ip m$i" >&"${NFT[1]}"
	while read -r -t 60 line <&"${NFT[0]}"; do
		[[ $line == "table ip m$i" ]] && break
	done
	i=$((i + 20))
	((i % 100 == 0)) && echo "toggles: $i in $((SECONDS - t0)) s"
done
pid=$NFT_PID
eval "exec ${NFT[1]}>&-"
wait "$pid"
echo "survived $i toggles (each: the prerouting, output and postrouting hooks on, then off) in $((SECONDS - t0)) s"
