#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the tiny busybox initramfs that boots a Debian kernel
# under QEMU for the napt VM selftests.
#
#   selftests/vm/mkinitramfs.sh KVER OUTPUT.cpio [MODDIR]
#
# MODDIR is the kernel's modules directory (default /lib/modules/KVER; the
# debug kernel's is in its build cache).
#
# The image holds a static busybox, selftests/vm/initramfs-init as /init and
# the kernel modules needed to mount 9p over virtio-pci plus virtio_console
# (the verdict port), decompressed, in load order (/modules.order).  It does
# not depend on the checkout path: per-boot data (nonce, plan, paths) is
# appended by run.sh as a second cpio archive.
#
# OUTPUT is rebuilt only when one of its inputs changed: this script, the
# init script, busybox, the kernel's modules.dep/modules.builtin or one of
# the module files.  The fingerprint is kept in OUTPUT.key.
set -euo pipefail

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[[ $# -eq 2 || $# -eq 3 ]] || die "usage: $0 KVER OUTPUT.cpio [MODDIR]"
KVER=$1
OUT=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODDIR=${3:-/lib/modules/$KVER}
INIT=$HERE/initramfs-init

# Modules wanted in the initramfs (dependencies are added automatically,
# built-in ones are skipped).  virtio_rng feeds the guest's entropy pool.
WANT_MODULES=(virtio_pci 9pnet_virtio 9p virtio_console virtio_rng)

BUSYBOX=${BUSYBOX:-}
if [[ -z $BUSYBOX ]]; then
	for b in /bin/busybox /usr/bin/busybox; do
		[[ -x $b ]] && { BUSYBOX=$b; break; }
	done
fi
[[ -n $BUSYBOX ]] || die "busybox not found (apt-get install busybox-static)"
file_is_static() {
	# a static busybox has no PT_INTERP; ldd says "not a dynamic executable"
	! LC_ALL=C ldd "$1" >/dev/null 2>&1
}
file_is_static "$BUSYBOX" || die "$BUSYBOX is dynamically linked: install busybox-static"
[[ -f $MODDIR/modules.dep ]] || die "$MODDIR/modules.dep missing (is linux-image-$KVER installed?)"

# --- resolve the module list --------------------------------------------
declare -A BY_NAME=()   # normalized module name -> path relative to MODDIR
declare -A DEPS=()      # path -> space separated dependency paths
declare -A BUILTIN=()   # normalized module name -> 1

modname() {
	local n=${1##*/}
	n=${n%%.ko*}
	echo "${n//-/_}"
}

while IFS= read -r line; do
	path=${line%%:*}
	BY_NAME[$(modname "$path")]=$path
	DEPS[$path]=${line#*:}
done < "$MODDIR/modules.dep"

if [[ -f $MODDIR/modules.builtin ]]; then
	while IFS= read -r path; do
		BUILTIN[$(modname "$path")]=1
	done < "$MODDIR/modules.builtin"
fi

declare -A SEEN=()
ORDER=()
add_path() {
	local p=$1 d
	[[ -n ${SEEN[$p]:-} ]] && return 0
	SEEN[$p]=1
	# every dependency goes in before the module that needs it
	for d in ${DEPS[$p]}; do
		add_path "$d"
	done
	ORDER+=("$p")
}
for m in "${WANT_MODULES[@]}"; do
	n=${m//-/_}
	if [[ -n ${BUILTIN[$n]:-} ]]; then
		continue
	fi
	[[ -n ${BY_NAME[$n]:-} ]] || die "module $m is neither built into $KVER nor in $MODDIR/modules.dep"
	add_path "${BY_NAME[$n]}"
done

# --- cache check ---------------------------------------------------------
key=$(
	{
		echo "kver $KVER"
		sha256sum "${BASH_SOURCE[0]}" "$INIT"
		stat -L -c '%n %s %Y' "$BUSYBOX" "$MODDIR/modules.dep"
		[[ -f $MODDIR/modules.builtin ]] && stat -L -c '%n %s %Y' "$MODDIR/modules.builtin"
		for p in "${ORDER[@]}"; do stat -L -c '%n %s %Y' "$MODDIR/$p"; done
	} | sha256sum | cut -d' ' -f1
)
if [[ -s $OUT && -f $OUT.key && $(cat "$OUT.key") == "$key" ]]; then
	exit 0
fi

# --- build ---------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
STAGE=$(mktemp -d "${OUT}.stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE"/{bin,dev,proc,sys,newroot,lib/modules,napt}
cp "$BUSYBOX" "$STAGE/bin/busybox"
for applet in $("$STAGE/bin/busybox" --list); do
	[[ $applet == busybox ]] && continue
	ln -s busybox "$STAGE/bin/$applet"
done
install -m 0755 "$INIT" "$STAGE/init"

: > "$STAGE/modules.order"
for p in "${ORDER[@]}"; do
	src=$MODDIR/$p
	dst=$(basename "$p")
	dst=${dst%%.ko*}.ko
	case $p in
	*.ko)     cp "$src" "$STAGE/lib/modules/$dst" ;;
	*.ko.xz)  xz -dc "$src" > "$STAGE/lib/modules/$dst" ;;
	*.ko.zst) zstd -q -dc "$src" > "$STAGE/lib/modules/$dst" ;;
	*.ko.gz)  gzip -dc "$src" > "$STAGE/lib/modules/$dst" ;;
	*) die "unknown module format: $p" ;;
	esac
	echo "$dst" >> "$STAGE/modules.order"
done

(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$key" > "$OUT.key"
echo "  INITRAMFS $KVER ($(wc -l < "$STAGE/modules.order") modules: $(tr '\n' ' ' < "$STAGE/modules.order"))" >&2
