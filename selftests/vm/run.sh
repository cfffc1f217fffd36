#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run napt selftests inside a QEMU guest booting an installed Debian kernel.
#
#   selftests/vm/run.sh KVER [TEST...]
#
# KVER is a kernel with /boot/vmlinuz-KVER and /lib/modules/KVER, or
# "debug": the debug kernel scripts/debug-kernel.sh built (KASAN, lockdep,
# UBSAN, kmemleak...; it must be built already).  TEST is a
# path to a test script inside the checkout (selftests/foo.sh, or just
# foo.sh for one in selftests/); default: every executable selftests/*.sh
# except lib.sh and demo.sh.  The kernel boots once and runs every test in
# that boot; a test that crashes the kernel fails, and the guest is booted
# again for the tests after it.
#
# Output: TAP 13 on stdout; exit 0 if every test passed, 4 if none failed
# but some were skipped, 1 otherwise (2 for usage errors).
#
# Files:   build/vm/KVER.console.log  the serial console of every boot
#          build/vm/KVER/logs/I-NAME.log  output of test I (+ kernel log)
#          build/results/KVER.tap      the TAP printed on stdout
#          build/results/KVER.counts   pass=N fail=N skip=N error=N ...
#
# Environment:
#   VM_TIMEOUT=300      default per-test timeout in seconds; a test can set
#                       its own with a "# selftest-timeout: N" header line
#   VM_BOOT_TIMEOUT=240 seconds allowed from QEMU start to the first verdict
#                       (900 on the debug kernel)
#   VM_TIMEOUT_SCALE=1  every test's timeout times this (3 on the debug
#                       kernel)
#   VM_SMP=2 VM_MEM=1024M VM_CPU=max   guest CPUs, memory, QEMU CPU model
#   VM_MACHINE=pc       QEMU machine (q35 on the debug kernel)
#   VM_ACCEL=tcg        QEMU accelerator options (tcg,thread=single: one host
#                       thread for all vCPUs; never kvm here)
#   VM_APPEND="..."     more kernel command line
#   VM_UNLOAD=napt      modules unloaded (and checked) after every test
#   VM_PIN_KEYS=1       keep netfilter's static keys on in the guest (0:
#                       let hooks patch code as they come and go; see
#                       guest-init.sh and Documentation/design.md)
#   VM_STREAM=1         print test output live, unprefixed (used by the demo)
#   VM_DEADLINE=EPOCH   stop by then (seconds since 1970), failing the tests
#                       not run; make check sets it from CHECK_BUDGET
#   NAPT_ROOT=DIR       passed on to the guest (selftests/demo.sh: use the
#                       natctl and napt.ko of DIR, e.g. build/deb/root)
#   VM_OUT=DIR          put every file above in DIR instead (DIR/KVER/logs,
#                       DIR/KVER.tap...), so that runs on one kernel from
#                       several checkouts or people do not wait for each other
#   V=1                 also copy the serial console to stderr, live
#
# How the verdict is trusted: the guest's init writes one line per event to
# a virtio-serial port that QEMU stores in build/vm/KVER/verdict-N; each line
# starts with a random nonce made for that boot and handed to the guest's
# init through the initramfs (never through the kernel command line, the
# environment or a file the tests can see).  Console output, test output or
# a stale verdict file cannot produce a pass.  A kernel panic, oops or
# WARN (panic_on_warn=1, oops=panic, panic=-1 and -no-reboot make QEMU
# exit at once) leaves a test without a result and fails it.  A taint flag
# other than O (out-of-tree module, 4096) or E (unsigned module, 8192)
# appearing during a test fails that test, and so does a report the
# kernel prints without a WARN (lockdep, suspicious RCU usage, sleeping in
# atomic context, UBSAN, an RCU stall, kmemleak's suspected leaks after
# the test's unload), which the guest sends as a "report" verdict.
set -uo pipefail

# The whole script is one compound command, parsed before it runs: editing
# this file while it runs (other runs share the checkout) cannot derail it.
{

export LC_ALL=C
TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
VMDIR=$TOPDIR/selftests/vm

: "${VM_TIMEOUT:=}"
: "${VM_BOOT_TIMEOUT:=}"
: "${VM_TIMEOUT_SCALE:=}"
: "${VM_SMP:=2}"
: "${VM_MACHINE:=}"
: "${VM_ACCEL:=tcg}"
: "${VM_CPU:=max}"
: "${VM_MEM:=}"
: "${VM_UNLOAD:=napt}"
: "${VM_STREAM:=0}"
: "${V:=0}"
QEMU=${QEMU:-qemu-system-x86_64}
TAINT_ALLOWED=$((4096 | 8192))

usage() {
	sed -n '3,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
	exit 2
}
die() { echo "run.sh: $*" >&2; exit 2; }

[[ $# -ge 1 && $1 != -h && $1 != --help ]] || usage
KVER=$1
shift
if [[ $KVER == debug ]]; then
	DEBUG_DIR=$("$TOPDIR/scripts/debug-kernel.sh" --check) ||
		die "the debug kernel is not built (scripts/debug-kernel.sh)"
	KVER=$(cat "$DEBUG_DIR/kver")
	KERNEL=$DEBUG_DIR/bzImage
	MODDIR=$DEBUG_DIR/modroot/lib/modules/$KVER
	: "${VM_MEM:=1024M}"
	# i440fx's _PRT is an AML loop that the debug kernel's ACPI
	# interpreter does not finish in its 30 s limit under TCG
	: "${VM_MACHINE:=q35}"
	# KASAN, lockdep and kmemleak make everything about 3 times slower,
	# and make check runs it beside the other guests
	: "${VM_BOOT_TIMEOUT:=900}"
	: "${VM_TIMEOUT_SCALE:=3}"
else
	KERNEL=/boot/vmlinuz-$KVER
	MODDIR=/lib/modules/$KVER
fi
[[ -r $KERNEL ]] || die "no readable $KERNEL (install linux-image-$KVER)"
[[ -d $MODDIR ]] || die "no $MODDIR"
export MODDIR
: "${VM_MEM:=1024M}"
: "${VM_MACHINE:=pc}"
: "${VM_BOOT_TIMEOUT:=240}"
: "${VM_TIMEOUT_SCALE:=1}"
[[ $VM_TIMEOUT_SCALE =~ ^[1-9][0-9]*$ ]] || die "bad VM_TIMEOUT_SCALE: $VM_TIMEOUT_SCALE"
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"

# --- the tests ---------------------------------------------------------------
is_default_test() {
	local b=${1##*/}
	[[ -f $1 && -x $1 && $b == *.sh && $b != lib.sh && $b != demo.sh ]]
}

# Per-test timeout: the test's "# selftest-timeout: N" line, else
# VM_TIMEOUT (300 s).
default_timeout=${VM_TIMEOUT:-300}
[[ $default_timeout =~ ^[0-9]+$ ]] || die "bad VM_TIMEOUT: $default_timeout"

test_timeout() {
	local n
	n=$(head -n 30 "$1" | sed -n 's/^#[[:space:]]*selftest-timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n1)
	echo "${n:-$default_timeout}"
}

TESTS=()
if [[ $# -eq 0 ]]; then
	for f in "$TOPDIR"/selftests/*.sh; do
		is_default_test "$f" && TESTS+=("selftests/${f##*/}")
	done
else
	for a in "$@"; do
		if [[ -f $a ]]; then
			p=$(realpath "$a")
		elif [[ -f $TOPDIR/$a ]]; then
			p=$(realpath "$TOPDIR/$a")
		elif [[ -f $TOPDIR/selftests/$a ]]; then
			p=$(realpath "$TOPDIR/selftests/$a")
		else
			die "no such test: $a"
		fi
		[[ $p == "$TOPDIR"/* ]] || die "$a: tests must live inside the checkout $TOPDIR"
		TESTS+=("${p#"$TOPDIR"/}")
	done
fi
NTESTS=${#TESTS[@]}
((NTESTS)) || { echo "run.sh: no tests to run" >&2; exit 1; }
TIMEOUTS=()
for t in "${TESTS[@]}"; do
	TIMEOUTS+=("$(($(test_timeout "$TOPDIR/$t") * VM_TIMEOUT_SCALE))")
done

# --- output files ------------------------------------------------------------
if [[ -n ${VM_OUT:-} ]]; then
	mkdir -p "$VM_OUT" || die "cannot make VM_OUT=$VM_OUT"
	VM_OUT=$(cd "$VM_OUT" && pwd -P)
	RESDIR=$VM_OUT/$KVER
	CONSOLE=$VM_OUT/$KVER.console.log
	TAPFILE=$VM_OUT/$KVER.tap
	COUNTS=$VM_OUT/$KVER.counts
	LOCKFILE=$VM_OUT/$KVER.lock
else
	mkdir -p "$TOPDIR/build/vm" "$TOPDIR/build/results"
	RESDIR=$TOPDIR/build/vm/$KVER
	CONSOLE=$TOPDIR/build/vm/$KVER.console.log
	TAPFILE=$TOPDIR/build/results/$KVER.tap
	COUNTS=$TOPDIR/build/results/$KVER.counts
	LOCKFILE=$TOPDIR/build/vm/$KVER.lock
fi

exec {lockfd}>"$LOCKFILE"
if ! flock -n "$lockfd"; then
	echo "run.sh: another run for $KVER is going on, waiting" >&2
	flock "$lockfd"
fi

rm -rf "$RESDIR/logs" "$RESDIR"/verdict-* "$RESDIR"/boot-* "$RESDIR"/qemu-*.log \
	"$RESDIR"/stage.* "$CONSOLE" "$TAPFILE" "$COUNTS"
mkdir -p "$RESDIR/logs"
: > "$CONSOLE"

"$VMDIR/mkinitramfs.sh" "$KVER" "$RESDIR/initramfs.cpio" "$MODDIR" || die "initramfs build failed"

tap() { printf '%s\n' "$*" | tee -a "$TAPFILE"; }
comment_file() { sed 's/^/# /' "$1" | tee -a "$TAPFILE"; }

# Print what was appended to file $1 since byte offset held in variable $2.
follow() {
	local f=$1 var=$2 size
	[[ -f $f ]] || return 0
	size=$(stat -c %s "$f")
	if ((size > ${!var})); then
		tail -c +"$((${!var} + 1))" "$f" | head -c "$((size - ${!var}))"
		printf -v "$var" '%d' "$size"
	fi
}

now_ms() { echo "$((${EPOCHREALTIME/./} / 1000))"; }

# --- results -----------------------------------------------------------------
taint_flags() {
	# letters of the taint bits set in $1 (admin-guide/tainted-kernels.rst)
	local v=$1 letters=PFSRMBUDAWCIOELKXTN out='' b
	for ((b = 0; b < ${#letters}; b++)); do
		((v & (1 << b))) && out+=${letters:b:1}
	done
	((v >> ${#letters})) && out+="+"
	echo "${out:-none}"
}

# test_log I: the output of test I, written by the guest.
test_log() {
	local n=${TESTS[$1 - 1]##*/}
	echo "$RESDIR/logs/$1-${n%.sh}.log"
}

# VERDICT[i] = "pass|", "skip|" or "fail|why" once test i is decided;
# emit_ready prints, in order, the TAP lines of the tests decided so far.
VERDICT=()
declare -A RC=() MS=() STARTED=() REPORT=()
pass=0 fail=0 skip=0 errors=0 emitted=0

decide_result() { # I RC BEFORE AFTER MS
	local i=$1 rc=$2 before=$3 after=$4 new
	[[ -n ${VERDICT[i]:-} ]] && return 0
	RC[$i]=$rc
	MS[$i]=$5
	new=$(((after & ~before) & ~TAINT_ALLOWED))
	if [[ -n ${REPORT[$i]:-} ]]; then
		VERDICT[i]="fail|kernel report during the test: ${REPORT[$i]}, exit $rc"
	elif ((new)); then
		VERDICT[i]="fail|kernel tainted during the test: $after ($(taint_flags "$new") new), exit $rc"
	elif ((rc == 0)); then
		VERDICT[i]="pass|"
	elif ((rc == 4)); then
		VERDICT[i]="skip|"
	elif ((rc == 124 || rc == 137)); then
		VERDICT[i]="fail|TIMEOUT after ${TIMEOUTS[i - 1]}s"
	elif ((rc == 250)); then
		VERDICT[i]="fail|module unload (rmmod of $VM_UNLOAD) failed after the test"
	else
		VERDICT[i]="fail|exit $rc"
	fi
}

emit_ready() {
	local i t v kind why log
	while ((emitted < NTESTS)) && [[ -n ${VERDICT[emitted + 1]:-} ]]; do
		i=$((emitted + 1))
		t=${TESTS[i - 1]}
		v=${VERDICT[i]}
		kind=${v%%|*}
		why=${v#*|}
		log=$(test_log "$i")
		if [[ $VM_STREAM != 1 && -s $log ]]; then
			comment_file "$log"
		fi
		if [[ -n ${MS[$i]:-} ]]; then
			tap "# $t: exit ${RC[$i]} in $((MS[$i] / 1000)).$(printf '%03d' $((MS[$i] % 1000)))s"
		fi
		case $kind in
		pass) pass=$((pass + 1)); tap "ok $i $t" ;;
		skip) skip=$((skip + 1)); tap "ok $i $t # SKIP" ;;
		*)    fail=$((fail + 1)); tap "not ok $i $t # $why" ;;
		esac
		emitted=$i
	done
}

# Why did the guest of the last boot stop?  From its console log.
crash_reason() {
	local f=$1 l
	if [[ -n $HUNG ]]; then
		echo "$HUNG"
	elif l=$(grep -m1 -a 'WARNING: CPU' "$f"); then
		echo "kernel WARN (panic_on_warn): ${l#*\] }"
	elif l=$(grep -m1 -a -E 'BUG: |Oops|general protection fault' "$f"); then
		echo "kernel oops: ${l#*\] }"
	elif l=$(grep -m1 -a 'Kernel panic' "$f"); then
		echo "${l#*\] }"
	elif l=$(grep -m1 -a 'napt-vm: .*FATAL' "$f"); then
		echo "${l#napt-vm: }"
	else
		echo "guest stopped without a verdict"
	fi | tr -d '\r'
}

# --- one boot ----------------------------------------------------------------
# boot FIRST: boot the guest, run tests FIRST..NTESTS (1-based) in it and
# decide each test that reported a result.  Sets STARTED[i] for each test
# that started, and BOOT_MS, BOOT_OK, BOOT_TAINT, DONE, HUNG, LAST_BOOTLOG.
boot() {
	local first=$1 i nonce stage bootlog verdict cap qpid qrc
	local t_start t_now cur=0 cur_since=0 lines=() l w
	# shellcheck disable=SC2034  # updated by follow() through printf -v
	local con_off=0 log_off=0 stream_i=0

	nonce=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	bootlog=$RESDIR/boot-$first.console
	verdict=$RESDIR/verdict-$first
	LAST_BOOTLOG=$bootlog
	: > "$verdict"
	: > "$bootlog"

	# Per-boot data, appended to the cached initramfs as a second archive.
	stage=$(mktemp -d "$RESDIR/stage.XXXXXX")
	mkdir -p "$stage/napt"
	{
		printf 'export TOPDIR=%q\n' "$TOPDIR"
		printf 'export RESDIR=%q\n' "$RESDIR"
		printf 'export VM_UNLOAD=%q\n' "$VM_UNLOAD"
		printf 'export NAPT_MODDIR=%q\n' "$MODDIR"
		printf 'export VM_PIN_KEYS=%q\n' "${VM_PIN_KEYS:-1}"
		# the packaged tools and module (scripts/deb-check.sh), for demo.sh
		[[ -n ${NAPT_ROOT:-} ]] &&
			printf 'export NAPT_ROOT=%q\n' "$(cd "$NAPT_ROOT" && pwd -P)"
	} > "$stage/napt/env"
	: > "$stage/napt/plan"
	cap=$VM_BOOT_TIMEOUT
	for ((i = first; i <= NTESTS; i++)); do
		printf '%s\t%s\t%s\n' "$i" "${TIMEOUTS[i - 1]}" "${TESTS[i - 1]}" >> "$stage/napt/plan"
		cap=$((cap + TIMEOUTS[i - 1] + 30))
	done
	if [[ -n ${VM_DEADLINE:-} ]] && ((cap > VM_DEADLINE - EPOCHSECONDS)); then
		cap=$((VM_DEADLINE - EPOCHSECONDS))
		((cap > 0)) || cap=1
	fi
	echo "$nonce" > "$stage/napt/nonce"
	(cd "$stage" && find napt | cpio --quiet -o -H newc -R 0:0) > "$stage/boot.cpio"
	cat "$RESDIR/initramfs.cpio" "$stage/boot.cpio" > "$RESDIR/initrd.img"
	rm -rf "$stage"

	local append="console=ttyS0,115200 panic=-1 oops=panic panic_on_warn=1"
	append+=" loglevel=5 mitigations=off tsc=unstable no_timer_check"
	append+=" 8250.nr_uarts=1 i8042.noaux i8042.nokbd i8042.nopnp"
	append+=" random.trust_cpu=on ${VM_APPEND:-}"

	t_start=$(now_ms)
	timeout -k 10 "$cap" "$QEMU" \
		-accel "$VM_ACCEL" -machine "$VM_MACHINE" -cpu "$VM_CPU" -smp "$VM_SMP" -m "$VM_MEM" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$KERNEL" -initrd "$RESDIR/initrd.img" -append "$append" \
		-chardev file,id=con,path="$bootlog" -serial chardev:con \
		-fsdev local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot \
		-fsdev local,id=fstop,path="$TOPDIR",security_model=none,multidevs=remap \
		-device virtio-9p-pci,fsdev=fstop,mount_tag=checkout \
		-device virtio-serial-pci \
		-chardev file,id=verdict,path="$verdict" \
		-device virtserialport,chardev=verdict,name=napt.verdict \
		-device virtio-rng-pci \
		</dev/null >"$RESDIR/qemu-$first.log" 2>&1 &
	qpid=$!

	BOOT_OK=0 BOOT_MS=0 BOOT_TAINT=0 DONE=0 HUNG=
	while :; do
		local alive=1
		kill -0 "$qpid" 2>/dev/null || alive=0
		mapfile -t lines < "$verdict"
		t_now=$(now_ms)
		for l in "${lines[@]}"; do
			# only lines carrying this boot's nonce count
			[[ $l == "$nonce "* ]] || continue
			read -ra w <<< "${l#"$nonce "}"
			# numbers where numbers belong, test indexes in range
			case ${w[0]} in
			start | result)
				[[ ${w[1]:-} =~ ^[1-9][0-9]*$ ]] || continue
				((w[1] >= first && w[1] <= NTESTS)) || continue
				;;&
			result)
				[[ "${w[*]:2:4}" =~ ^[0-9]+\ [0-9]+\ [0-9]+\ [0-9]+$ ]] || continue
				;;&
			report)
				[[ ${w[1]:-} =~ ^[1-9][0-9]*$ ]] || continue
				((w[1] >= first && w[1] <= NTESTS)) || continue
				;;&
			boot)
				[[ ${w[2]:-} =~ ^[0-9]+$ ]] || continue
				;;&
			esac
			case ${w[0]} in
			boot)
				if [[ ${w[1]:-} != "$KVER" ]]; then
					[[ -z $HUNG ]] && kill "$qpid" 2>/dev/null
					HUNG="guest runs ${w[1]:-?}, not $KVER"
				elif ((!BOOT_OK)); then
					BOOT_OK=1
					BOOT_MS=$((t_now - t_start))
					BOOT_TAINT=${w[2]:-0}
				fi
				;;
			start)
				i=${w[1]}
				STARTED[$i]=1
				if ((i > cur)); then
					cur=$i
					cur_since=$t_now
				fi
				;;
			report)
				# the first line of what the kernel said
				[[ -z ${REPORT[${w[1]}]:-} ]] && REPORT[${w[1]}]=${w[*]:2}
				;;
			result)
				i=${w[1]}
				decide_result "$i" "${w[2]}" "${w[3]}" "${w[4]}" "${w[5]}"
				;;
			done)
				DONE=1
				;;
			esac
		done
		if [[ $VM_STREAM == 1 ]]; then
			if ((cur > stream_i)); then
				# finish the previous test's output, then switch
				((stream_i)) && follow "$(test_log "$stream_i")" log_off
				stream_i=$cur
				# shellcheck disable=SC2034
				log_off=0
			fi
			((stream_i)) && follow "$(test_log "$stream_i")" log_off
		fi
		[[ $V == 1 ]] && follow "$bootlog" con_off >&2
		emit_ready
		((alive)) || break
		if [[ -z $HUNG ]]; then
			if [[ -n ${VM_DEADLINE:-} ]] && ((EPOCHSECONDS >= VM_DEADLINE)); then
				HUNG="time budget exhausted (VM_DEADLINE)"
			elif ((!BOOT_OK && t_now - t_start > VM_BOOT_TIMEOUT * 1000)); then
				HUNG="no verdict ${VM_BOOT_TIMEOUT}s after QEMU started (boot hung?)"
			elif ((cur)) && [[ -z ${RC[$cur]:-} ]] &&
				((t_now - cur_since > (TIMEOUTS[cur - 1] + 60) * 1000)); then
				HUNG="no result $((TIMEOUTS[cur - 1] + 60))s after the test started (guest hung)"
			fi
			[[ -n $HUNG ]] && kill "$qpid" 2>/dev/null
		fi
		sleep 0.2
	done
	wait "$qpid"
	qrc=$?
	if [[ $VM_STREAM == 1 ]] && ((stream_i)); then
		follow "$(test_log "$stream_i")" log_off
	fi
	[[ $V == 1 ]] && follow "$bootlog" con_off >&2
	if ((qrc == 124 || qrc == 137)) && [[ -z $HUNG ]]; then
		HUNG="QEMU killed after ${cap}s"
	fi
	{
		echo "===== $(date -u '+%F %T') boot for tests $first..$NTESTS, qemu exit $qrc ====="
		cat "$bootlog"
		if [[ -s $RESDIR/qemu-$first.log ]]; then
			echo "===== qemu stderr ====="
			cat "$RESDIR/qemu-$first.log"
		fi
	} >> "$CONSOLE"
}

# --- run ---------------------------------------------------------------------
: > "$TAPFILE"
tap "TAP version 13"
tap "# napt selftests on $KVER: $NTESTS test(s), smp=$VM_SMP mem=$VM_MEM"
tap "1..$NTESTS"

boots=0 boot_ms_first=0
t_run=$(now_ms)
while ((emitted < NTESTS)); do
	first=$((emitted + 1))
	if [[ -n ${VM_DEADLINE:-} ]] && ((EPOCHSECONDS >= VM_DEADLINE)); then
		for ((i = first; i <= NTESTS; i++)); do
			VERDICT[i]="fail|not run: time budget exhausted (VM_DEADLINE)"
		done
		emit_ready
		break
	fi
	boots=$((boots + 1))
	((boots > 1)) && tap "# rebooting $KVER for tests $first..$NTESTS"
	boot "$first"
	((boots == 1)) && boot_ms_first=$BOOT_MS
	if ((BOOT_OK && (BOOT_TAINT & ~TAINT_ALLOWED))); then
		tap "# kernel tainted at boot: $BOOT_TAINT ($(taint_flags "$BOOT_TAINT"))"
		errors=$((errors + 1))
	fi
	if ((!BOOT_OK)); then
		reason="guest did not boot: $(crash_reason "$LAST_BOOTLOG")"
		for ((i = first; i <= NTESTS; i++)); do VERDICT[i]="fail|$reason"; done
		emit_ready
		break
	fi
	# The first test without a result is the one the guest died in (or
	# before, if it never started).
	i=$((emitted + 1))
	if ((i <= NTESTS)); then
		if [[ -n ${STARTED[$i]:-} ]]; then
			VERDICT[i]="fail|$(crash_reason "$LAST_BOOTLOG") during this test"
		elif ((DONE)); then
			VERDICT[i]="fail|the guest did not run this test"
		else
			VERDICT[i]="fail|$(crash_reason "$LAST_BOOTLOG") before this test"
		fi
		emit_ready
	elif ((!DONE)); then
		tap "# guest died after the last test: $(crash_reason "$LAST_BOOTLOG")"
		errors=$((errors + 1))
	fi
done

total_ms=$(($(now_ms) - t_run))
tap "# $KVER: boot ${boot_ms_first}ms, $boots boot(s), total $((total_ms / 1000))s"
tap "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:$errors"
echo "kver=$KVER pass=$pass fail=$fail skip=$skip error=$errors total=$NTESTS boot_ms=$boot_ms_first run_ms=$total_ms boots=$boots" > "$COUNTS"

if ((fail || errors)); then
	echo "---- last 40 lines of $CONSOLE ----" >&2
	tail -n 40 "$CONSOLE" >&2
	exit 1
fi
((skip)) && exit 4
exit 0
}
