#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the Debian packages (make deb) without touching this machine:
#   1. make deb: napt-dkms and napt-tools in build/deb/
#   2. lintian on build/deb/*.changes: no error (warnings are printed)
#   3. napt-dkms unpacked into build/deb/root/, DKMS run there for every
#      kernel of scripts/kernels.sh (its own --dkmstree and --sourcetree,
#      no signing, no "dkms install", nothing under /lib/modules or
#      /var/lib/dkms); each napt.ko (uncompressed) goes to
#      build/deb/root/lib/modules/KVER/updates/dkms/napt.ko, where
#      "dkms install" would put it, and its vermagic must be KVER's
#   4. napt-tools unpacked into the same root: the files the units and
#      the documentation name are there (binaries, configuration, man
#      pages, bash completion), natctl runs, the completion loads
#   5. systemd-analyze verify of napt.service and igdd.service in a copy
#      of that root (build/deb/verify-root/) with this machine's unit
#      files and stand-ins for /sbin/modprobe and /bin/kill: no output
#
# build/deb/root/ stays for the VM tests: NAPT_ROOT=build/deb/root makes
# selftests/demo.sh use its natctl and napt.ko.
#
# Environment: KVERS="k1 k2" (default: scripts/kernels.sh; "none": no
# DKMS build),
# DEB_NOBUILD=1 (test the packages already in build/deb/).
# Prints "N passed, N failed" last; exits 0 only when nothing failed.
set -uo pipefail

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TOPDIR" || exit 1
OUT=$TOPDIR/build/deb
ROOT=$OUT/root
T0=$SECONDS
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { # check DESCRIPTION CMD...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
finish() {
	echo "deb-check: $((SECONDS - T0)) s"
	echo "$pass passed, $fail failed"
	((fail == 0 && pass > 0))
	exit
}

# --- 1. build ------------------------------------------------------------------
if [[ -z ${DEB_NOBUILD:-} ]]; then
	check "make deb" make --no-print-directory deb
fi
VERSION=$(dpkg-parsechangelog -l debian/changelog -S Version)
DKMS_DEB=$OUT/napt-dkms_${VERSION}_all.deb
TOOLS_DEB=$OUT/napt-tools_${VERSION}_$(dpkg --print-architecture).deb
if [[ ! -f $DKMS_DEB || ! -f $TOOLS_DEB ]]; then
	not_ok "packages in build/deb/ (napt-dkms, napt-tools $VERSION)"
	finish
fi

# --- 2. lintian ----------------------------------------------------------------
lint=$(lintian --tag-display-limit 0 "$OUT"/napt_"${VERSION}"_*.changes 2>&1 |
	grep -v '^running with root privileges is not recommended')
[[ -n $lint ]] && printf '%s\n' "$lint" | sed 's/^/# lintian: /'
check "lintian: no errors" bash -c '! grep -q "^E: " <<< "$1"' _ "$lint"

# --- 3. DKMS for every kernel, in a scratch tree ----------------------------------
rm -rf "$ROOT" "$OUT/dkms" "$OUT/verify-root"
mkdir -p "$ROOT" "$OUT/dkms"
check "napt-dkms unpacks" dpkg-deb -x "$DKMS_DEB" "$ROOT"
SRCTREE=$ROOT/usr/src
DKMS=(dkms --dkmstree "$OUT/dkms" --sourcetree "$SRCTREE")
# no signing key made or used (dkms would create /var/lib/dkms/mok.key)
export sign_file=/nonexistent
check "dkms.conf: napt $VERSION" \
	grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$SRCTREE/napt-$VERSION/dkms.conf"
check "dkms add" "${DKMS[@]}" add -m napt -v "$VERSION"
if [[ ${KVERS:-} == none ]]; then
	kvers=()	# as in scripts/check.sh: no Debian kernel
	echo "# KVERS=none: no DKMS build"
elif [[ -n ${KVERS:-} ]]; then
	read -ra kvers <<< "$KVERS"
	((${#kvers[@]})) || not_ok "a kernel to build for"
else
	mapfile -t kvers < <(scripts/kernels.sh)
	((${#kvers[@]})) || not_ok "a kernel to build for (scripts/kernels.sh printed nothing)"
fi
for k in "${kvers[@]}"; do
	log=$OUT/dkms-$k.log
	if ! "${DKMS[@]}" build -m napt -v "$VERSION" -k "$k" > "$log" 2>&1; then
		not_ok "dkms build for $k (build/deb/dkms-$k.log)"
		tail -n 30 "$log" | sed 's/^/# /'
		cat "$OUT/dkms/napt/$VERSION/build/make.log" 2>/dev/null | tail -n 30 | sed 's/^/# /'
		continue
	fi
	ok "dkms build for $k"
	built=$(compgen -G "$OUT/dkms/napt/$VERSION/$k/*/module/napt.ko*" | head -n 1)
	dest=$ROOT/lib/modules/$k/updates/dkms/napt.ko
	mkdir -p "${dest%/*}"
	case $built in
	*.ko) cp "$built" "$dest" ;;
	*.ko.xz) xz -dc "$built" > "$dest" ;;
	*.ko.zst) zstd -qdc "$built" > "$dest" ;;
	*.ko.gz) gzip -dc "$built" > "$dest" ;;
	*) rm -f "$dest" ;;
	esac
	vm=$(modinfo -F vermagic "$dest" 2>/dev/null)
	check "napt.ko for $k: vermagic \"$vm\"" [ "${vm%% *}" = "$k" ]
	check "napt.ko for $k: name napt, license GPL" \
		bash -c '[[ $(modinfo -F name "$1") == napt && $(modinfo -F license "$1") == GPL* ]]' _ "$dest"
done

# --- 4. napt-tools ---------------------------------------------------------------
check "napt-tools unpacks" dpkg-deb -x "$TOOLS_DEB" "$ROOT"
units=("$ROOT"/lib/systemd/system/napt.service "$ROOT"/lib/systemd/system/igdd.service)
for u in "${units[@]}"; do
	check "unit ${u#"$ROOT"}" test -f "$u"
done
# every absolute path a unit runs or needs, except the system's own
# (/sbin/modprobe, /bin/kill)
paths=$(sed -En 's/^(Exec[A-Za-z]*|ConditionPathExists)=[-@!+:]*(\/[^ ]*).*/\2/p' "${units[@]}" |
	grep -Ev '^/(s?bin|usr/s?bin)/(modprobe|kill)$' | sort -u)
for p in $paths; do
	check "$p (named by a unit) is in napt-tools" test -e "$ROOT$p"
done
for f in usr/sbin/natctl usr/sbin/igdd; do
	check "/$f executable" test -x "$ROOT/$f"
done
for f in etc/napt/napt.conf etc/igdd.conf usr/share/man/man8/natctl.8.gz \
	usr/share/man/man8/igdd.8.gz usr/share/man/man5/igdd.conf.5.gz \
	usr/share/bash-completion/completions/natctl; do
	check "/$f" test -f "$ROOT/$f"
done
conffiles=$(dpkg-deb -f "$TOOLS_DEB" Package >/dev/null && dpkg-deb --ctrl-tarfile "$TOOLS_DEB" |
	tar -xOf - ./conffiles 2>/dev/null)
check "conffiles: /etc/napt/napt.conf /etc/igdd.conf" \
	bash -c 'grep -qx /etc/napt/napt.conf <<< "$1" && grep -qx /etc/igdd.conf <<< "$1"' _ "$conffiles"
check "packaged natctl runs (-V)" "$ROOT/usr/sbin/natctl" -V
check "packaged igdd runs (-h)" bash -c '"$1" -h > /dev/null' _ "$ROOT/usr/sbin/igdd"
check "bash completion defines natctl's" bash -c '
	source /usr/share/bash-completion/bash_completion 2>/dev/null
	source "$1" && complete -p natctl | grep -q _natctl' _ \
	"$ROOT/usr/share/bash-completion/completions/natctl"
# complete "natctl WORDS... CUR": what the completion offers, one a line
complete_natctl='source /usr/share/bash-completion/bash_completion 2>/dev/null
	source "$1"; shift
	COMP_WORDS=(natctl "$@"); COMP_CWORD=$#
	COMP_LINE="natctl $*"; COMP_POINT=${#COMP_LINE}
	_natctl natctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf "%s\n" "${COMPREPLY[@]}"'
check "completion: set ma -> mark-static, mapping" bash -c '
	[[ $(bash -c "$1" _ "$2" set ma | sort | tr "\n" " ") == "mapping mark-static max-maps max-maps-per-host max-sessions " ]]' _ \
	"$complete_natctl" "$ROOT/usr/share/bash-completion/completions/natctl"
check "completion: sa -> save" bash -c '
	[[ $(bash -c "$1" _ "$2" sa) == save ]]' _ \
	"$complete_natctl" "$ROOT/usr/share/bash-completion/completions/natctl"

# --- 5. systemd-analyze verify --------------------------------------------------------
# A root with the packages' files, the system's units (targets) and
# stand-ins for the system commands the units run.
V=$OUT/verify-root
mkdir -p "$V/usr/lib/systemd" "$V/bin" "$V/sbin"
cp -a "$ROOT"/. "$V"/
cp -a /usr/lib/systemd/system "$V/usr/lib/systemd/"
cp "$(type -P kill)" "$V/bin/kill"
cp "$(type -P modprobe || echo /usr/sbin/modprobe)" "$V/sbin/modprobe"
out=$(MANPATH=$V/usr/share/man systemd-analyze verify --root="$V" napt.service igdd.service 2>&1)
rc=$?
[[ -n $out ]] && printf '%s\n' "$out" | sed 's/^/# systemd-analyze: /'
check "systemd-analyze verify napt.service igdd.service: clean" \
	[ "$rc" = 0 -a -z "$out" ]
systemd-analyze security --offline=yes --root="$V" igdd.service 2>/dev/null |
	tail -n 1 | sed 's/^/# igdd.service: /'

finish
