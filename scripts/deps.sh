#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages needed to build and test napt (make deps).
#
# As root: installs what is missing (apt-get update first when the package
# lists are missing or older than a day, or when an install fails).  As
# another user: prints the missing packages and exits 1.  Exits 0 at once
# when everything is installed.
#
# Kernels: the 6.1 LTS through the linux-image-amd64/linux-headers-amd64
# metapackages, and the newest linux-image-6.12.*+deb12-amd64 with the
# matching headers, looked up in the package lists on every run.
set -euo pipefail

# Build, module and userspace tools.
PACKAGES=(
	build-essential gcc make pkg-config libmnl-dev kmod clang
)
# The QEMU guest and what the selftests run in it.
PACKAGES+=(
	qemu-system-x86 busybox-static cpio xz-utils zstd
	iproute2 iputils-ping procps nftables socat iperf3 python3
	stun-client stun-server
)
# igdd (UPnP IGD, NAT-PMP, PCP) and its fuzzers.
PACKAGES+=(libmicrohttpd-dev libexpat1-dev libcap-dev libsystemd-dev)
# Real peers the tests use: UPnP and NAT-PMP clients, STUN/TURN, ICE.
PACKAGES+=(miniupnpc natpmpc coturn libnice-dev python3-scapy tcpdump jq)
# Benchmarks: plots and the userspace profiler.
PACKAGES+=(gnuplot-nox valgrind)
# Debian packages (make deb, scripts/deb-check.sh): building, DKMS,
# lintian, the units' check.
PACKAGES+=(debhelper dh-dkms dkms dpkg-dev lintian bash-completion systemd)
# The debug kernel of the selftests (scripts/debug-kernel.sh): Debian's
# 6.12 source and what building it takes.
PACKAGES+=(linux-source-6.12 bc bison flex libelf-dev)
# The 6.1 LTS kernel (image to boot, headers to build against).
PACKAGES+=(linux-image-amd64 linux-headers-amd64)
# More packages: add them here or pass EXTRA_PACKAGES="a b" in the
# environment.
# shellcheck disable=SC2206
PACKAGES+=(${EXTRA_PACKAGES:-})

LISTS=/var/lib/apt/lists
MAX_LIST_AGE_MIN=$((24 * 60))
export DEBIAN_FRONTEND=noninteractive
# In CI the distro initramfs of an installed kernel is never used (the VM
# selftests bring their own): skip building it, it takes minutes.
if [[ ${CI:-} == true ]]; then
	export INITRD=No
fi

is_root() { [[ $(id -u) == 0 ]]; }

installed() {
	[[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

lists_present() {
	compgen -G "$LISTS/*_Packages*" >/dev/null
}
lists_fresh() {
	lists_present && [[ -z $(find "$LISTS" -maxdepth 1 -name '*_Packages*' -mmin +"$MAX_LIST_AGE_MIN" -print -quit) ]]
}

UPDATED=0
apt_update() {
	((UPDATED)) && return 0
	echo "deps: apt-get update"
	apt-get update -q || echo "deps: apt-get update had errors, going on" >&2
	UPDATED=1
}

# newest_612: print the ABI name (6.12.N+deb12-amd64) of the newest 6.12
# kernel for which both the image and the headers are in the package
# lists.  The plain flavour only (not -rt, -cloud, -unsigned, -dbg).
newest_612() {
	local re='^linux-(image|headers)-(6\.12\.[0-9]+\+deb12-amd64)$'
	apt-cache search --names-only "$re" 2>/dev/null | awk '{print $1}' |
		sed -En "s/$re/\1 \2/p" | sort -u |
		awk '{n[$2]++} END {for (k in n) if (n[k] == 2) print k}' |
		sort -V | tail -n 1
}
# newest installed 6.12 kernel with headers, when the lists can't tell
installed_612() {
	dpkg-query -W -f='${Package} ${db:Status-Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
		awk '$2 == "installed" {print $1}' |
		sed -En 's/^linux-headers-(6\.12\.[0-9]+\+deb12-amd64)$/\1/p' |
		while read -r k; do installed "linux-image-$k" && echo "$k"; done |
		sort -V | tail -n 1
}

if is_root && ! lists_fresh; then
	apt_update
fi

k612=$(newest_612)
if [[ -z $k612 ]]; then
	if is_root && ((!UPDATED)); then
		apt_update
		k612=$(newest_612)
	fi
fi
if [[ -z $k612 ]]; then
	k612=$(installed_612)
	[[ -n $k612 ]] || { echo "deps: no linux-image-6.12.*+deb12-amd64 in the package lists" >&2; exit 1; }
	echo "deps: package lists don't show a 6.12 kernel, keeping the installed $k612" >&2
fi
PACKAGES+=("linux-image-$k612" "linux-headers-$k612")

missing=()
for p in "${PACKAGES[@]}"; do
	installed "$p" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi

if ! is_root; then
	echo "deps: missing packages (run 'make deps' as root, or apt-get install them):"
	echo "  ${missing[*]}"
	exit 1
fi

echo "deps: installing ${missing[*]}"
apt_install() {
	apt-get install -y -q --no-install-recommends "$@" </dev/null
}
if ! apt_install "${missing[@]}"; then
	if ((UPDATED)); then
		exit 1
	fi
	# stale lists are the usual cause (404 on a superseded version)
	apt_update
	apt_install "${missing[@]}"
fi
