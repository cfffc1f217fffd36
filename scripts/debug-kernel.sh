#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug kernel of the VM selftests: Debian's
# linux-source-6.12 with selftests/vm/debug.config on top of allnoconfig
# (KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_LIST,
# DEBUG_OBJECTS_RCU_HEAD, UBSAN, kmemleak; everything the guest needs
# built in).
#
#   scripts/debug-kernel.sh          build if needed; print the directory
#   scripts/debug-kernel.sh --kver   the same, print the kernel release
#   scripts/debug-kernel.sh --check  print the directory if built, else
#                                    exit 1 without building
#
# The build is cached outside the checkout, in
# $NAPT_CACHE/debug-kernel/KEY (NAPT_CACHE defaults to /var/cache/napt),
# KEY being a hash of the source package's version, debug.config and this
# script; a changed input builds a new one. The directory holds:
#   bzImage     the kernel the guest boots
#   build/      the O= build tree (napt.ko is built against it)
#   modroot/    modules_install's tree: lib/modules/KVER/modules.builtin...
#   kver        the kernel release (6.12.N-napt-debug)
#   build.log   what the build printed; build-seconds how long it took
#
# Needs the packages linux-source-6.12, bc, bison, flex, libelf-dev
# (scripts/deps.sh installs them). Runs as any user who may write to
# NAPT_CACHE; concurrent runs wait for each other.
set -euo pipefail

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
FRAG=$TOPDIR/selftests/vm/debug.config
CACHE=${NAPT_CACHE:-/var/cache/napt}
PKG=linux-source-6.12
TARBALL=/usr/src/$PKG.tar.xz

die() { echo "debug-kernel: $*" >&2; exit 1; }

mode=dir
case ${1:-} in
'') ;;
--kver) mode=kver ;;
--check) mode=check ;;
*) die "usage: $0 [--kver|--check]" ;;
esac

ver=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed (make deps)"
[[ -r $TARBALL ]] || die "no $TARBALL"
key=$({ echo "$PKG $ver"; cat "$FRAG" "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)
OUT=$CACHE/debug-kernel/$key

report() {
	case $mode in
	kver) cat "$OUT/kver" ;;
	*) echo "$OUT" ;;
	esac
}

if [[ -f $OUT/done ]]; then
	report
	exit 0
fi
[[ $mode == check ]] && exit 1

mkdir -p "$CACHE/debug-kernel"
exec {lockfd}>"$CACHE/debug-kernel/lock"
flock "$lockfd"
if [[ -f $OUT/done ]]; then	# built while we waited
	report
	exit 0
fi

t0=$SECONDS
# The source, once per package version (kept: other configs reuse it).
SRC=$CACHE/src/$PKG-$ver
if [[ ! -f $SRC/.napt-extracted ]]; then
	echo "debug-kernel: extracting $TARBALL" >&2
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -C "$SRC.tmp" -xf "$TARBALL" --strip-components=1 \
		--use-compress-program='xz -d -T0'
	touch "$SRC.tmp/.napt-extracted"
	mv "$SRC.tmp" "$SRC"
fi

rm -rf "$OUT"
mkdir -p "$OUT/build"
log=$OUT/build.log
jobs=$(nproc)
echo "debug-kernel: building $PKG $ver with $FRAG ($jobs jobs, log: $log)" >&2
kmake() { make -C "$SRC" O="$OUT/build" -j"$jobs" "$@" >>"$log" 2>&1; }
if ! kmake KCONFIG_ALLCONFIG="$FRAG" allnoconfig; then
	tail -n 30 "$log" >&2
	die "configuration failed"
fi
# Every option the fragment asks for must have made it (a dependency
# missing drops it silently).
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$OUT/build/.config" || missing+=("$line")
		;;
	'# CONFIG_'*' is not set')
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$OUT/build/.config" && missing+=("$line")
		;;
	esac
done < "$FRAG"
((${#missing[@]} == 0)) || die "not in the configuration: ${missing[*]}"

if ! kmake all || ! kmake INSTALL_MOD_PATH="$OUT/modroot" modules_install; then
	tail -n 40 "$log" >&2
	die "build failed"
fi
kver=$(make -s -C "$SRC" O="$OUT/build" kernelrelease 2>/dev/null | tail -n 1)
[[ -n $kver && -d $OUT/modroot/lib/modules/$kver ]] ||
	die "no modules tree for '$kver'"
cp "$OUT/build/arch/x86/boot/bzImage" "$OUT/bzImage"
echo "$kver" > "$OUT/kver"
echo $((SECONDS - t0)) > "$OUT/build-seconds"
touch "$OUT/done"
echo "debug-kernel: $kver built in $((SECONDS - t0)) s: $OUT" >&2
report
