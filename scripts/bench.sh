#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the napt benchmark suite (Documentation/performance.md).
#
#   1. build napt.ko for the bench kernel, natctl, bench/ubench
#   2. in one QEMU guest (selftests/vm/run.sh bench/guest.sh): plain
#      routing, nftables masquerade and napt in each preset mode, same
#      topology and pktgen traffic: established-flow throughput at several
#      flow counts, new-mapping rate as a port range fills, memory per
#      mapping
#   3. bench/ubench (kmod/table.c, kmod/xlate.c in userspace) under
#      valgrind --tool=callgrind --cache-sim=yes: instructions and
#      last-level misses per lookup, insert, expire at 1k..4M entries
#   4. bench/report.py: bench/results/STAMP.json, the PNG plots and the
#      generated part of Documentation/performance.md
#
# Environment:
#   BENCH_KVER          guest kernel (default: the newest of scripts/kernels.sh)
#   BENCH_CONFIGS BENCH_FLOWS BENCH_PKTS BENCH_REPS BENCH_FILL_PORTS
#   BENCH_FILL_STEP BENCH_FILL_MAX   see bench/guest.sh
#   UBENCH_SIZES="1024 65536 1048576 4194304"  UBENCH_OPS=100000
#   BENCH_SKIP_VM=1 / BENCH_SKIP_UBENCH=1  reuse the last raw results
#   VM_SMP=2 VM_MEM=2048M and the other VM_* of selftests/vm/run.sh
# Exit status: 0 if every part produced its results.
set -uo pipefail

# The whole script is one compound command, parsed before it runs.
{
TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TOPDIR" || exit 1
BUILD=$TOPDIR/build/bench
rc=0
mkdir -p "$BUILD" bench/results

if [[ -z ${BENCH_KVER:-} ]]; then
	BENCH_KVER=$(scripts/kernels.sh | sort -V | tail -n 1)
fi
: "${UBENCH_SIZES:=1024 65536 1048576 4194304}"
: "${UBENCH_OPS:=100000}"
export VM_SMP=${VM_SMP:-2} VM_MEM=${VM_MEM:-2048M}
# separate slab caches, so that /proc/slabinfo shows napt's and conntrack's
export VM_APPEND="${VM_APPEND:-} slab_nomerge"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOAD0=$(cut -d" " -f1-3 /proc/loadavg)
T0=$SECONDS

echo "bench: kernel $BENCH_KVER, guest smp=$VM_SMP mem=$VM_MEM, stamp $STAMP"

# --- 1. build -------------------------------------------------------------------
if ! make -s KVERS="$BENCH_KVER" module tools >"$BUILD/build.log" 2>&1; then
	cat "$BUILD/build.log" >&2
	echo "bench: build of the module or the tools failed" >&2
	exit 1
fi
# the userspace driver only matters for step 3
if ! make -s -C bench >"$BUILD/build-ubench.log" 2>&1; then
	cat "$BUILD/build-ubench.log" >&2
	echo "bench: bench/ubench did not build: no callgrind results" >&2
	BENCH_SKIP_UBENCH=1
	rc=1
fi

# --- 2. the guest ---------------------------------------------------------------
if [[ ${BENCH_SKIP_VM:-0} != 1 ]]; then
	{
		echo "BENCH_OUT=$BUILD/raw.jsonl"
		for v in BENCH_CONFIGS BENCH_FLOWS BENCH_PKTS BENCH_REPS \
			 BENCH_FILL_PORTS BENCH_FILL_STEP BENCH_FILL_MAX; do
			[[ -n ${!v:-} ]] && printf '%s=%q\n' "$v" "${!v}"
		done
	} > "$BUILD/params.sh"
	rm -f "$BUILD/raw.jsonl"
	echo "bench: guest run (selftests/vm/run.sh $BENCH_KVER bench/guest.sh)"
	selftests/vm/run.sh "$BENCH_KVER" bench/guest.sh 2>&1 | tee "$BUILD/vm.log"
	vrc=${PIPESTATUS[0]}
	rm -f "$BUILD/params.sh"
	if ((vrc != 0)); then
		echo "bench: the guest run failed (exit $vrc); partial results kept" >&2
		rc=1
	fi
	echo "bench: guest part took $((SECONDS - T0))s"
fi

# --- 3. callgrind ---------------------------------------------------------------
# A last-level cache of 8 MiB, 16-way: what one core of a small server
# sees (the host's own may be reported as anything under virtualization).
if [[ ${BENCH_SKIP_UBENCH:-0} != 1 ]]; then
	for v in ubench ubench-jhash; do
		rm -rf "$BUILD/cg-$v"
		mkdir -p "$BUILD/cg-$v"
		echo "bench: callgrind bench/$v -n $UBENCH_OPS $UBENCH_SIZES"
		# shellcheck disable=SC2086
		if ! valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes \
			--LL=8388608,16,64 \
			--callgrind-out-file="$BUILD/cg-$v/callgrind.out" \
			"bench/$v" -n "$UBENCH_OPS" $UBENCH_SIZES \
			>"$BUILD/cg-$v/stdout" 2>"$BUILD/cg-$v/stderr"; then
			tail -n 20 "$BUILD/cg-$v/stderr" >&2
			echo "bench: callgrind run of $v failed" >&2
			rc=1
		fi
	done
	echo "bench: callgrind part done at $((SECONDS - T0))s"
fi

# --- 4. report ------------------------------------------------------------------
if ! /usr/bin/python3 bench/report.py --stamp "$STAMP" --kver "$BENCH_KVER" \
	--raw "$BUILD/raw.jsonl" --cg "$BUILD/cg-ubench" \
	--cg-jhash "$BUILD/cg-ubench-jhash" --out bench/results \
	--doc Documentation/performance.md --smp "$VM_SMP" --mem "$VM_MEM" \
	--loadavg-start "$LOAD0"; then
	echo "bench: report failed" >&2
	rc=1
fi
echo "bench: done in $((SECONDS - T0))s (exit $rc)"
exit "$rc"
}
