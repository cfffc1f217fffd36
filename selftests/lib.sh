#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the napt selftests, sourced by selftests/*.sh.  Same spirit
# and names as the kernel's tools/testing/selftests/net/lib.sh, so a test
# reads like an upstream network selftest.
#
# The tests run as root inside the QEMU guest (selftests/vm/run.sh); they
# may also be run by hand on a disposable machine as root.
#
#   source "$(dirname "$0")/lib.sh"
#   trap cleanup_all_ns EXIT
#   setup_ns NS_A NS_B              # NS_A=ns_a-XXXXXX ..., lo up
#   napt_load                       # insmod build/$(uname -r)/napt.ko
#   busywait 2000 ip -n "$NS_A" addr show dev veth0
#   exit "$EXIT_STATUS"

# kselftest exit codes
KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_SKIP=4
# lower case aliases, as in the kernel's net/lib.sh
# shellcheck disable=SC2034
{
	ksft_pass=$KSFT_PASS
	ksft_fail=$KSFT_FAIL
	ksft_xfail=$KSFT_XFAIL
	ksft_skip=$KSFT_SKIP
}

# Checkout root (the guest mounts it at the same path as on the host).
if [[ -z ${TOPDIR:-} ]]; then
	TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
fi
export TOPDIR
NATCTL=${NATCTL:-$TOPDIR/tools/natctl/natctl}
NAPT_KO=${NAPT_KO:-$TOPDIR/build/$(uname -r)/napt.ko}

: "${WAIT_TIMEOUT:=20}"                       # seconds
BUSYWAIT_TIMEOUT=$((WAIT_TIMEOUT * 1000))     # milliseconds

NS_LIST=()      # every namespace made by setup_ns and not yet removed
EXIT_STATUS=$KSFT_PASS
RET=0
retmsg=

##############################################################################
# Messages and results

log_info() { echo "INFO: $*"; }
log_err()  { echo "ERROR: $*" >&2; }

# ksft_exit_skip MSG / ksft_exit_fail MSG: print why and leave with the
# kselftest skip / fail code.
ksft_exit_skip() { echo "SKIP: $*"; exit "$KSFT_SKIP"; }
ksft_exit_fail() { echo "FAIL: $*"; exit "$KSFT_FAIL"; }

# Worst-of two results, for the per-check status RET: fail > skip > xfail > pass.
ksft_status_merge() {
	local a=$1 b=$2 rank_a rank_b
	rank_a=$(__ksft_rank "$a")
	rank_b=$(__ksft_rank "$b")
	if ((rank_a >= rank_b)); then echo "$a"; else echo "$b"; fi
}
__ksft_rank() {
	case $1 in
	"$KSFT_PASS") echo 0 ;;
	"$KSFT_XFAIL") echo 1 ;;
	"$KSFT_SKIP") echo 2 ;;
	*) echo 3 ;;
	esac
}

# For the script's exit code: a pass outweighs an xfail, a skip is only
# reported when nothing passed or failed.
ksft_exit_status_merge() {
	local a=$1 b=$2
	if [[ $a == "$KSFT_FAIL" || $b == "$KSFT_FAIL" ]]; then
		echo "$KSFT_FAIL"
	elif [[ $a == "$KSFT_PASS" || $b == "$KSFT_PASS" ]]; then
		echo "$KSFT_PASS"
	elif [[ $a == "$KSFT_XFAIL" || $b == "$KSFT_XFAIL" ]]; then
		echo "$KSFT_XFAIL"
	else
		echo "$KSFT_SKIP"
	fi
}

# check_err VALUE [MSG]: record a failure of the current check when VALUE
# (usually $?) is not zero.  check_fail is the reverse.
check_err() {
	local err=$1 msg=${2:-}
	if ((RET == 0 && err != 0)); then
		RET=$KSFT_FAIL
		retmsg=$msg
	fi
}
check_fail() {
	local err=$1 msg=${2:-}
	if ((RET == 0 && err == 0)); then
		RET=$KSFT_FAIL
		retmsg=$msg
	fi
}

# log_test NAME: print the result of the current check (RET, retmsg), fold
# it into EXIT_STATUS and reset RET for the next check.
log_test() {
	local name=$1 tag
	case $RET in
	"$KSFT_PASS") tag=" OK " ;;
	"$KSFT_SKIP") tag=SKIP ;;
	"$KSFT_XFAIL") tag=XFAIL ;;
	*) tag=FAIL ;;
	esac
	printf 'TEST: %-60s  [%s]\n' "$name" "$tag"
	[[ $tag != " OK " && -n $retmsg ]] && printf '\t%s\n' "$retmsg"
	EXIT_STATUS=$(ksft_exit_status_merge "$EXIT_STATUS" "$RET")
	local r=$RET
	RET=0
	retmsg=
	return "$r"
}

##############################################################################
# Waiting: poll for a condition instead of sleeping a fixed time.

timestamp_ms() {
	# bash 5: EPOCHREALTIME is "seconds.microseconds"
	local t=${EPOCHREALTIME/[.,]/}
	echo "$((t / 1000))"
}

# __poll SLEEP TIMEOUT_MS CMD...: run CMD until it succeeds or TIMEOUT_MS
# passed; prints CMD's output of the last try; returns its status.
__poll() {
	local pause=$1 timeout_ms=$2 deadline out
	shift 2
	deadline=$(($(timestamp_ms) + timeout_ms))
	while :; do
		if out=$("$@"); then
			printf '%s' "$out"
			return 0
		fi
		if (($(timestamp_ms) >= deadline)); then
			printf '%s' "$out"
			return 1
		fi
		if [[ $pause != 0 ]]; then sleep "$pause"; fi
	done
}

# busywait TIMEOUT_MS CMD...: poll CMD without pausing.
busywait() {
	local timeout_ms=$1
	shift
	__poll 0 "$timeout_ms" "$@"
}

# slowwait TIMEOUT_S CMD...: poll CMD every 0.1 s.
slowwait() {
	local timeout_s=$1
	shift
	__poll 0.1 "$((timeout_s * 1000))" "$@"
}

# wait_local_port_listen NS PORT PROTO: until something listens there.
wait_local_port_listen() {
	local ns=$1 port=$2 proto=${3:-tcp} flag
	case $proto in
	tcp) flag=-lnt ;;
	udp) flag=-lnu ;;
	*) log_err "wait_local_port_listen: proto $proto"; return 1 ;;
	esac
	slowwait 5 __port_listens "$ns" "$port" "$flag"
}
__port_listens() {
	ip netns exec "$1" ss -H "$3" "sport = :$2" | grep -q .
}

##############################################################################
# Network namespaces

# setup_ns VAR...: for each VAR create a namespace named after it plus a
# random suffix (ns_lan -> ns_lan-Ab12Cd), bring its lo up, and store the
# name in VAR (a global, visible to the caller).  A VAR that already names
# a namespace gets it recreated.  Returns KSFT_SKIP if netns can't be made.
setup_ns() {
	local var name made=()
	for var in "$@"; do
		if [[ ! $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ || $var == var || $var == name || $var == made ]]; then
			log_err "setup_ns: bad variable name '$var'"
			cleanup_ns "${made[@]}"
			return "$KSFT_FAIL"
		fi
		if [[ -n ${!var:-} ]]; then
			cleanup_ns "${!var}"
		fi
		name="${var,,}-$(mktemp -u XXXXXX)"
		if ! ip netns add "$name"; then
			log_err "setup_ns: cannot create namespace $name"
			cleanup_ns "${made[@]}"
			return "$KSFT_SKIP"
		fi
		ip -n "$name" link set lo up
		printf -v "$var" '%s' "$name"
		made+=("$name")
	done
	NS_LIST+=("${made[@]}")
}

# cleanup_ns NAME...: kill what runs in the namespaces and delete them.
cleanup_ns() {
	local ns ret=0 keep=() n
	for ns in "$@"; do
		[[ -n $ns ]] || continue
		__kill_ns_pids "$ns"
		ip netns delete "$ns" 2>/dev/null
		if ! busywait "$BUSYWAIT_TIMEOUT" __ns_gone "$ns"; then
			log_err "namespace $ns did not go away"
			ret=1
		fi
		keep=()
		for n in "${NS_LIST[@]}"; do
			[[ $n == "$ns" ]] || keep+=("$n")
		done
		NS_LIST=("${keep[@]}")
	done
	return "$ret"
}
__ns_gone() { [[ ! -e /run/netns/$1 ]]; }

# Kill what runs in a namespace; reap those that are our own background
# jobs quietly (no "Killed" notices from bash).
__kill_ns_pids() {
	local pids p j
	pids=$(ip netns pids "$1" 2>/dev/null)
	[[ -n $pids ]] || return 0
	# shellcheck disable=SC2086
	kill -9 $pids 2>/dev/null
	for j in $(jobs -p); do
		for p in $pids; do
			if [[ $j == "$p" ]]; then
				wait "$j" 2>/dev/null
				break
			fi
		done
	done
}

# cleanup_all_ns: remove every namespace setup_ns made.
cleanup_all_ns() {
	cleanup_ns "${NS_LIST[@]}"
}

# in_ns NS CMD...: run CMD inside namespace NS.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

##############################################################################
# Requirements

# require_root / require_cmd CMD...: skip the test when not met.
require_root() {
	[[ $(id -u) == 0 ]] || ksft_exit_skip "needs root"
}
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ksft_exit_skip "'$c' not found"
	done
}

##############################################################################
# The napt module and natctl

# slab_objs CACHE: objects in use, after folding the per-CPU slabs back.
slab_objs() {
	local f=/sys/kernel/slab/$1/shrink
	[[ -w $f ]] && echo 1 >"$f"
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}
# no_objs: no napt mapping or session object is allocated
no_objs() {
	[[ $(slab_objs napt_map) == 0 && $(slab_objs napt_sess) == 0 ]]
}

napt_loaded() { [[ -d /sys/module/napt ]]; }

# napt_load: insmod the napt.ko built for the running kernel unless napt is
# already loaded, after modprobing what it depends on.  Skips the test
# (exit 4) only when the .ko was not built; any other problem fails it.
napt_load() {
	local deps d
	napt_loaded && return 0
	if [[ ! -f $NAPT_KO ]]; then
		ksft_exit_skip "$NAPT_KO not built (make module)"
	fi
	deps=$(modinfo -F depends "$NAPT_KO" 2>/dev/null)
	for d in ${deps//,/ }; do
		modprobe "$d" || ksft_exit_fail "modprobe $d (needed by napt.ko) failed"
	done
	if ! insmod "$NAPT_KO" "$@"; then
		ksft_exit_fail "insmod $NAPT_KO failed"
	fi
}

# napt_unload: rmmod napt if it is loaded; returns rmmod's status.
napt_unload() {
	napt_loaded || return 0
	rmmod napt
}

# natctl ARGS...: the control tool from the checkout.  Fails the test when
# it was not built.
natctl() {
	if [[ ! -x $NATCTL ]]; then
		ksft_exit_fail "$NATCTL not built (make tools)"
	fi
	"$NATCTL" "$@"
}
