#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the napt selftest VM, started by the initramfs /init after
# switch_root into the host's (read-only) root file system.
#
# Input (set up by initramfs-init, which got them from run.sh):
#   environment  TOPDIR (checkout, read-write), RESDIR (per-kernel output
#                directory below TOPDIR), VM_UNLOAD (modules to unload after
#                each test)
#   fd 7         the plan: one "INDEX<TAB>TIMEOUT<TAB>TEST" line per test
#                (INDEX counts over all boots of one run.sh)
#   fd 8         the per-boot nonce
#
# Output:
#   the verdict port (virtio-serial "napt.verdict"), one line per event,
#   each starting with the nonce; the host trusts nothing else:
#     NONCE boot KVER TAINTED
#     NONCE start I TEST
#     NONCE result I RC TAINT_BEFORE TAINT_AFTER MILLISECONDS TEST
#     NONCE done TAINTED
#   $RESDIR/logs/I-NAME.log  stdout+stderr of test I, then its kernel log
#   the console          progress messages and kernel messages
set -u

# The whole script is one compound command, parsed before it runs: editing
# this file while it runs (other runs share the checkout) cannot derail it.
{
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb

say() { echo "napt-vm: [$(cut -d" " -f1 /proc/uptime 2>/dev/null)] $*"; }
halt_vm() {
	sync
	# let QEMU drain the verdict port before the machine goes away
	sleep 1
	poweroff -f
	sleep 10
}
fatal() {
	say "FATAL: $*"
	halt_vm
}

read -r NONCE <&8
exec 8<&-
mapfile -t PLAN <&7
exec 7<&-
[[ $NONCE =~ ^[0-9a-f]{32}$ ]] || fatal "bad nonce"

# --- the rest of the file systems ------------------------------------------
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null

# The host root is read-only: /etc files that tests may need to change get
# a writable copy bound over them.
mkdir -p /run/napt-etc
ETC_RW=(/etc/hosts)
for f in "${ETC_RW[@]}"; do
	[[ -f $f ]] || continue
	cp "$f" "/run/napt-etc/${f##*/}" && mount --bind "/run/napt-etc/${f##*/}" "$f"
done

# Module autoloading through the host's /lib/modules (seen via 9p). A
# kernel that is not installed there (the debug kernel) has its modules
# directory elsewhere: a tmpfs over /lib/modules shows the host's entries
# and that one.
if [[ -n ${NAPT_MODDIR:-} && ! -e /lib/modules/$(uname -r) ]]; then
	mkdir -p /run/napt-host-modules
	mount --bind /lib/modules /run/napt-host-modules
	mount -t tmpfs -o mode=0755 tmpfs /lib/modules
	for d in /run/napt-host-modules/*; do
		ln -s "$d" "/lib/modules/${d##*/}"
	done
	ln -sfn "$NAPT_MODDIR" "/lib/modules/$(uname -r)"
fi
echo /sbin/modprobe > /proc/sys/kernel/modprobe
hostname napt-vm
ip link set lo up

# --- the verdict port --------------------------------------------------------
port=
for n in /sys/class/virtio-ports/*/name; do
	[[ -r $n && $(< "$n") == napt.verdict ]] || continue
	port=/dev/$(basename "$(dirname "$n")")
done
[[ -n $port && -c $port ]] || fatal "verdict port not found"
exec 9>"$port" || fatal "cannot open $port"
# Tests have no business writing verdicts: drop the device node.
rm -f "$port"
verdict() { printf '%s %s\n' "$NONCE" "$*" >&9; }

KVER=$(uname -r)
taint() { cat /proc/sys/kernel/tainted; }

# What a kernel reports without a WARN (which panics the guest): lockdep,
# RCU-usage and atomic-sleep checks, UBSAN, RCU stalls. kernel_report
# prints the first such line of its standard input.
REPORT_RE='WARNING: possible|WARNING: inconsistent lock state|WARNING: suspicious RCU usage|WARNING: bad unlock balance|WARNING: held lock freed|BUG: sleeping function called from invalid context|BUG: scheduling while atomic|BUG: KASAN|UBSAN:|BUG: KFENCE|ODEBUG:|rcu: INFO: .*detected stall|detected stalls on CPUs|self-detected stall|BUG: workqueue lockup|DEBUG_LOCKS_WARN_ON|list_add corruption|list_del corruption'
kernel_report() { grep -m1 -a -E "$REPORT_RE"; }

# kmemleak (the debug kernel): objects must be 5 s old to be reported;
# a scan after a test (and its unload) counts what it left behind.
KMEMLEAK=/sys/kernel/debug/kmemleak
[[ -w $KMEMLEAK ]] || KMEMLEAK=
kmemleak_scan() {
	[[ -n $KMEMLEAK ]] || return 0
	sleep 5
	echo scan > "$KMEMLEAK" 2>/dev/null
	cat "$KMEMLEAK" 2>/dev/null
	echo clear > "$KMEMLEAK" 2>/dev/null
}

# list_strays: "comm(pid) ..." of every user process but this init (PID 1)
# and the subshell running this function; kernel threads are children of
# kthreadd (PID 2).
list_strays() {
	local d pid stat comm rest f out=()
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		((pid == 1 || pid == 2 || pid == BASHPID)) && continue
		read -r stat < "$d/stat" 2>/dev/null || continue
		comm=${stat#*(}
		comm=${comm%)*}
		rest=${stat##*) }
		read -ra f <<< "$rest"
		# f[0] state, f[1] ppid
		[[ ${f[1]} == 2 || ${f[0]} == Z ]] && continue
		out+=("$comm($pid)")
	done
	echo "${out[*]}"
}
mkdir -p "$RESDIR/logs" || fatal "cannot write to $RESDIR"
say "userland up"

# Netfilter's per-hook static keys are global: the first hook of a kind
# registered anywhere patches the kernel's code (jump labels, through int3
# breakpoints and IPIs), the last one unregistered patches it back. Under
# QEMU's multi-threaded TCG a vCPU can execute such a breakpoint after the
# patch is complete, and the guest dies of "Oops: int3" in ip_rcv() or
# __ip_local_out(), whoever registered the hooks (Documentation/design.md,
# "Testing under an emulator"). One chain per IPv4 hook and one on lo's
# ingress and one on its egress (napt's egress guard, kmod/egress.c, turns
# the egress keys in __dev_queue_xmit() on and off), in this namespace,
# which no test uses, keep every such key on for the whole boot: napt's
# up and down still register and unregister their hooks, but never patch
# code. VM_PIN_KEYS=0 leaves them unpinned.
if [[ ${VM_PIN_KEYS:-1} == 1 ]]; then
	nft -f - <<'NFT' || say "cannot pin the netfilter static keys (nft failed)"
table ip napt_vm_pin {
	chain prerouting { type filter hook prerouting priority 1000; }
	chain input { type filter hook input priority 1000; }
	chain forward { type filter hook forward priority 1000; }
	chain output { type filter hook output priority 1000; }
	chain postrouting { type filter hook postrouting priority 1000; }
}
table netdev napt_vm_pin {
	chain ingress { type filter hook ingress device lo priority 1000; }
}
NFT
	# on its own: a kernel without egress hooks keeps the others
	nft -f - <<'NFT' || say "cannot pin the egress static keys (nft failed)"
table netdev napt_vm_pin_egress {
	chain egress { type filter hook egress device lo priority 1000; }
}
NFT
fi
dmesg > "$RESDIR/dmesg-boot.log" 2>&1
# what boot left unreferenced is not a test's doing
[[ -n $KMEMLEAK ]] && kmemleak_scan > "$RESDIR/kmemleak-boot.log"
say "kernel $KVER up, $(nproc) CPUs, tainted=$(taint); ${#PLAN[@]} test(s)"
verdict boot "$KVER" "$(taint)"

# --- the tests ---------------------------------------------------------------
cd "$TOPDIR" || fatal "no $TOPDIR"
export TOPDIR KSFT_MACHINE_SLOW=yes NAPT_VM=1
declare -A STUCK=()
for entry in "${PLAN[@]}"; do
	IFS=$'\t' read -r i to t <<< "$entry"
	name=${t##*/}
	log=$RESDIR/logs/$i-${name%.sh}.log
	say "[$i] $t (timeout ${to}s)"
	verdict start "$i" "$t"
	before=$(taint)
	dmesg -C
	t0=${EPOCHREALTIME/./}
	if [[ -x $t ]]; then cmd=("$t"); else cmd=(bash "$t"); fi
	# timeout(1) leads its own process group; whatever is left of it once
	# the test ended is killed below.
	timeout -k 10 "$to" "${cmd[@]}" </dev/null >"$log" 2>&1 9>&- &
	pid=$!
	wait "$pid"
	rc=$?
	t1=${EPOCHREALTIME/./}
	kill -KILL -- "-$pid" 2>/dev/null

	# Leave a clean machine for the next test: no process but this init
	# and kernel threads, no network namespace, the modules unloaded.
	strays=$(list_strays)
	if [[ -n $strays ]]; then
		echo "napt-vm: killing what the test left running: $strays" >>"$log"
		# shellcheck disable=SC2046
		kill -KILL $(sed -E 's/[^ ]*\(([0-9]+)\)/\1/g' <<< "$strays") 2>/dev/null
	fi
	ip -all netns delete 2>/dev/null
	for m in ${VM_UNLOAD:-}; do
		[[ -d /sys/module/$m && -z ${STUCK[$m]:-} ]] || continue
		if ! rmmod "$m" >>"$log" 2>&1; then
			# blame this test only: later tests leave the module alone
			STUCK[$m]=1
			echo "napt-vm: rmmod $m failed after the test; not unloading it again" >>"$log"
			# 250: the test itself passed or skipped, the unload failed
			((rc == 0 || rc == 4)) && rc=250
		fi
	done
	leaks=$(kmemleak_scan)
	after=$(taint)
	k=$(dmesg)
	if [[ -n $k ]]; then
		printf '%s\n' '---- kernel log during the test ----' "$k" >>"$log"
	fi
	report=$(kernel_report <<< "$k")
	if [[ -n $leaks ]]; then
		printf '%s\n' '---- kmemleak after the test ----' "$leaks" >>"$log"
		[[ -z $report ]] &&
			report="kmemleak: $(grep -c '^unreferenced object' <<< "$leaks") suspected leak(s)"
	fi
	if [[ -n $report ]]; then
		# one line, printable: the verdict port's format
		report=$(tr -c '[:print:]' ' ' <<< "${report#*\] }" | cut -c1-160)
		say "[$i] $t: kernel report: $report"
		verdict report "$i" "$report"
	fi
	say "[$i] $t: exit $rc, tainted $before -> $after"
	verdict result "$i" "$rc" "$before" "$after" "$(((t1 - t0) / 1000))" "$t"
done

verdict 'done' "$(taint)"
say "all tests ran, tainted=$(taint)"
exec 9>&-
halt_vm
exit
}
