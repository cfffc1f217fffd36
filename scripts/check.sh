#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything, in order
#   1. scripts/deps.sh (as root only)
#   2. make all (napt.ko for every kernel, natctl); the debug kernel
#      (scripts/debug-kernel.sh, cached) is built meanwhile
#   3. make unit, natctl's and igdd's tests, igdd's fuzzers
#   4. selftests/vm/run.sh for every kernel of scripts/kernels.sh, and
#      the debug kernel's run (napt.ko built for it), all at once
# then a summary whose very last line is "N passed, N failed".
#
# Environment (or make variables: make check KVERS=... TESTS=...):
#   KVERS="k1 k2"     kernels to test (default: scripts/kernels.sh;
#                     "none": only the debug kernel)
#   TESTS="a.sh b.sh" selftests to run in each guest (default: all)
#   CHECK_DEBUG=ci    the debug kernel's run: ci (DEBUG_TESTS), all (every
#                     selftest, or TESTS), off
#   DEBUG_TESTS="..." the selftests of CHECK_DEBUG=ci: those that attack
#                     napt (hostile frames, netlink fuzz, user namespaces)
#                     and its life cycle; every selftest runs on the debug
#                     kernel with make check-debug
#   VM_PARALLEL=0     boot the kernels one after the other (default 1: at
#                     once, VM_GUESTS of them)
#   VM_GUESTS=2       guests running at once (default 2, one per core: a
#                     third one on 2 cores slowed every guest so much that
#                     timing-bound checks failed); the debug guest starts
#                     when its kernel is built and a guest has finished
#   CHECK_BUDGET=SECS stop testing SECS after the start, failing what did not
#                     run (default: none; .ci/run sets it)
#   and the VM_* variables of selftests/vm/run.sh.
#
# Exit status: 0 only if at least one test ran and nothing failed or was
# skipped.  A failed build, dependency install or unit-test run counts as
# one failed test.  Results: build/results/ (summary, per-kernel TAP and
# counts, logs of the build and unit tests).
set -uo pipefail

# The whole script is one compound command, parsed before it runs: editing
# this file while it runs (other runs share the checkout) cannot derail it.
{

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TOPDIR" || exit 1
RESULTS=$TOPDIR/build/results
: "${VM_PARALLEL:=1}"

mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.tap "$RESULTS"/*.counts "$RESULTS"/*.log "$RESULTS"/summary

pass=0 fail=0 skip=0
notes=()
: "${CHECK_DEBUG:=ci}"
: "${DEBUG_TESTS:=napt_hostile.sh napt_nlfuzz.sh napt_userns.sh napt_lifecycle.sh napt_netlink.sh}"
: "${VM_GUESTS:=2}"
note() { notes+=("$*"); echo "check: $*"; }
section() { printf '\n==== %s ====\n' "$*"; }

T0=$SECONDS
if [[ -n ${CHECK_BUDGET:-} ]]; then
	export VM_DEADLINE=$((EPOCHSECONDS + CHECK_BUDGET))
fi

# --- 1. dependencies -----------------------------------------------------------
if [[ $(id -u) == 0 ]]; then
	section "deps"
	if ! scripts/deps.sh; then
		fail=$((fail + 1))
		note "FAIL: scripts/deps.sh"
	fi
fi

# --- 2. build ------------------------------------------------------------------
# The debug kernel builds in the background (minutes, once: it is cached
# outside the checkout) while the rest goes on, niced: the guests that
# start meanwhile come first.
if [[ $CHECK_DEBUG != off ]]; then
	section "debug kernel (in the background: build/results/debug-kernel.log)"
	nice -n 10 scripts/debug-kernel.sh > "$RESULTS/debug-kernel.log" 2>&1 &
	debug_build=$!
fi
section "build"
make_args=()
build_target=all
if [[ ${KVERS:-} == none ]]; then
	build_target=tools
elif [[ -n ${KVERS:-} ]]; then
	make_args+=("KVERS=$KVERS")
fi
if make "${make_args[@]}" "$build_target" 2>&1 | tee "$RESULTS/build.log"; then
	:
else
	fail=$((fail + 1))
	note "FAIL: make $build_target (see build/results/build.log)"
fi

# --- 3. unit tests -------------------------------------------------------------
section "unit tests"
make unit 2>&1 | tee "$RESULTS/unit.log"
unit_rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RESULTS/unit.log" | tail -n 1)
if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
	up=${BASH_REMATCH[1]} uf=${BASH_REMATCH[2]}
	pass=$((pass + up))
	fail=$((fail + uf))
	if ((unit_rc != 0 && uf == 0)); then
		fail=$((fail + 1))
		note "FAIL: make unit exited $unit_rc after '$line'"
	fi
	echo "check: unit tests: $up passed, $uf failed"
else
	fail=$((fail + 1))
	note "FAIL: make unit (exit $unit_rc) printed no 'N passed, N failed' line"
fi

# --- 3b. natctl's own tests (argument checks and printers, no module) ---------
section "natctl tests"
make -s -C tools/natctl check 2>&1 | tee "$RESULTS/natctl.log"
nc_rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RESULTS/natctl.log" | tail -n 1)
if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
	pass=$((pass + BASH_REMATCH[1]))
	fail=$((fail + BASH_REMATCH[2]))
	if ((nc_rc != 0 && BASH_REMATCH[2] == 0)); then
		fail=$((fail + 1))
		note "FAIL: natctl check exited $nc_rc after '$line'"
	fi
else
	fail=$((fail + 1))
	note "FAIL: natctl check (exit $nc_rc) printed no 'N passed, N failed' line"
fi

# --- 3c. igdd's own tests (parsers, SOAP actions, policy) and a short fuzz run
section "igdd tests"
make -s -C tools/igdd check 2>&1 | tee "$RESULTS/igdd.log"
ig_rc=${PIPESTATUS[0]}
ig_p=0 ig_f=0 ig_lines=0
# one "N passed, N failed" line per test program (igdd's, PCP's)
while read -r line; do
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		ig_p=$((ig_p + BASH_REMATCH[1]))
		ig_f=$((ig_f + BASH_REMATCH[2]))
		ig_lines=$((ig_lines + 1))
	fi
done < <(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RESULTS/igdd.log")
pass=$((pass + ig_p))
fail=$((fail + ig_f))
if ((ig_lines == 0)); then
	fail=$((fail + 1))
	note "FAIL: igdd check (exit $ig_rc) printed no 'N passed, N failed' line"
elif ((ig_rc != 0 && ig_f == 0)); then
	fail=$((fail + 1))
	note "FAIL: igdd check exited $ig_rc after $ig_p passed"
fi
section "igdd fuzz (FUZZ_TIME=${IGDD_FUZZ_TIME:-3} s per harness)"
if command -v "${CLANG:-clang}" >/dev/null 2>&1; then
	if make -s -C tools/igdd fuzz FUZZ_TIME="${IGDD_FUZZ_TIME:-3}" 2>&1 |
		tee "$RESULTS/igdd-fuzz.log"; (( PIPESTATUS[0] == 0 )); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		note "FAIL: make -C tools/igdd fuzz (see build/results/igdd-fuzz.log)"
	fi
else
	note "igdd fuzz skipped: no clang"
fi

# --- 3d. Debian packages (make deb, lintian, DKMS in a scratch tree, units) ---
# scripts/deb-check.sh; skipped (noted) without dpkg-buildpackage and dkms.
section "Debian packages"
if command -v dpkg-buildpackage >/dev/null 2>&1 && command -v dkms >/dev/null 2>&1; then
	scripts/deb-check.sh 2>&1 | tee "$RESULTS/deb.log"
	deb_rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RESULTS/deb.log" | tail -n 1)
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		if ((deb_rc != 0 && BASH_REMATCH[2] == 0)); then
			fail=$((fail + 1))
			note "FAIL: scripts/deb-check.sh exited $deb_rc after '$line'"
		fi
	else
		fail=$((fail + 1))
		note "FAIL: scripts/deb-check.sh (exit $deb_rc) printed no 'N passed, N failed' line"
	fi
	# what the packages installed, for selftests/napt_packaged.sh
	((deb_rc == 0)) && export NAPT_ROOT=$TOPDIR/build/deb/root
else
	note "Debian packages skipped: no dpkg-buildpackage or dkms (make deps)"
fi

# --- 4. VM selftests -------------------------------------------------------------
if [[ ${KVERS:-} == none ]]; then
	kvers=()
elif [[ -n ${KVERS:-} ]]; then
	read -ra kvers <<< "$KVERS"
else
	mapfile -t kvers < <(scripts/kernels.sh)
fi
read -ra tests <<< "${TESTS:-}"
((${#kvers[@]})) || [[ $CHECK_DEBUG != off ]] ||
	note "no kernel to test (scripts/kernels.sh printed nothing)"

# run.sh KVER TEST..., TAP to build/results/NAME.log (NAME: KVER, or
# "debug" for the debug kernel, whose results are under its release)
vm_run() {
	local k=$1
	shift
	selftests/vm/run.sh "$k" "$@" > "$RESULTS/$k.log" 2>&1
}

declare -A vm_rc=() pids=()
# Wait until fewer than VM_GUESTS guests run; keep the exit status of
# each that ends (under its kernel in vm_rc, out of pids).
reap_guests() {
	local k done_pid rc
	while :; do
		local -a running=()
		for k in "${!pids[@]}"; do
			[[ -z ${vm_rc[$k]+set} ]] && running+=("${pids[$k]}")
		done
		((${#running[@]} < VM_GUESTS)) && return
		wait -n -p done_pid "${running[@]}"
		rc=$?
		for k in "${!pids[@]}"; do
			[[ ${pids[$k]} == "$done_pid" ]] && vm_rc[$k]=$rc
		done
	done
}
if [[ $VM_PARALLEL == 1 ]]; then
	((${#kvers[@]})) && section "VM selftests on ${kvers[*]} (in parallel)"
	for k in "${kvers[@]}"; do
		reap_guests
		vm_run "$k" "${tests[@]}" &
		pids[$k]=$!
		echo "check: started the $k guest (output: build/results/$k.log)"
	done
else
	for k in "${kvers[@]}"; do
		section "VM selftests on $k"
		selftests/vm/run.sh "$k" "${tests[@]}" 2>&1 | tee "$RESULTS/$k.log"
		vm_rc[$k]=${PIPESTATUS[0]}
	done
fi

# The debug kernel, once it is built, beside the others.
debug_kver=
if [[ $CHECK_DEBUG != off ]]; then
	section "debug kernel"
	if wait "$debug_build" && debug_kver=$(scripts/debug-kernel.sh --kver); then
		echo "check: debug kernel $debug_kver ($(scripts/debug-kernel.sh --check))"
		if make --no-print-directory module-debug > "$RESULTS/build-debug.log" 2>&1; then
			if [[ $CHECK_DEBUG == all ]]; then
				read -ra dtests <<< "${TESTS:-}"
			else
				read -ra dtests <<< "$DEBUG_TESTS"
			fi
			echo "check: the debug guest: ${dtests[*]:-every selftest} (output: build/results/debug.log)"
			if [[ $VM_PARALLEL == 1 ]]; then
				reap_guests
				echo "check: started the debug guest"
				vm_run debug "${dtests[@]}" &
				pids[debug]=$!
			else
				vm_run debug "${dtests[@]}"
				vm_rc[debug]=$?
				cat "$RESULTS/debug.log"
			fi
		else
			fail=$((fail + 1))
			note "FAIL: napt.ko for the debug kernel (see build/results/build-debug.log)"
			debug_kver=
		fi
	else
		fail=$((fail + 1))
		note "FAIL: the debug kernel did not build (see build/results/debug-kernel.log)"
		tail -n 20 "$RESULTS/debug-kernel.log"
		debug_kver=
	fi
fi

for k in "${!pids[@]}"; do
	if [[ -z ${vm_rc[$k]+set} ]]; then
		wait "${pids[$k]}"
		vm_rc[$k]=$?
	fi
	section "VM selftests on $k"
	cat "$RESULTS/$k.log"
done
# the debug run's counts are under its kernel release
if [[ -n $debug_kver ]]; then
	kvers+=("$debug_kver")
	vm_rc[$debug_kver]=${vm_rc[debug]}
fi

# --- summary -----------------------------------------------------------------
section "summary"
for k in "${kvers[@]}"; do
	c=$RESULTS/$k.counts
	if [[ ! -f $c ]]; then
		fail=$((fail + 1))
		note "FAIL: $k: selftests/vm/run.sh exited ${vm_rc[$k]} without results"
		continue
	fi
	# kver=... pass=N fail=N skip=N error=N total=N boot_ms=N run_ms=N boots=N
	declare -A kc=()
	for kv in $(< "$c"); do kc[${kv%%=*}]=${kv#*=}; done
	pass=$((pass + kc[pass]))
	fail=$((fail + kc[fail] + kc[error]))
	skip=$((skip + kc[skip]))
	printf '%-28s pass %3d  fail %3d  skip %3d  kernel errors %d  boot %5.1fs  run %4ds  (%d boot%s)\n' \
		"$k" "${kc[pass]}" "${kc[fail]}" "${kc[skip]}" "${kc[error]}" \
		"$(awk "BEGIN{print ${kc[boot_ms]}/1000}")" "$((kc[run_ms] / 1000))" \
		"${kc[boots]}" "$( ((kc[boots] > 1)) && echo s)"
	unset kc
done
# what failed, again at the end (where a truncated log still shows it):
# the test, the check and its message
for k in "${kvers[@]}"; do
	[[ -f $RESULTS/$k.log ]] || continue
	grep -E -A1 '^not ok |^# TEST: .*\[(FAIL|SKIP)\]|^# FAIL: ' "$RESULTS/$k.log" |
		grep -v '^--$' | head -n 40 | sed "s|^|$k: |"
done
for n in "${notes[@]}"; do echo "$n"; done
echo "total time $((SECONDS - T0))s"
if ((pass + fail + skip == 0)); then
	note "FAIL: no test ran"
	fail=$((fail + 1))
fi
{
	echo "$skip skipped"
	echo "$pass passed, $fail failed"
} | tee "$RESULTS/summary"
((fail == 0 && skip == 0 && pass > 0))
exit
}
