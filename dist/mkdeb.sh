#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build the Debian packages napt-dkms and napt-tools into
# build/deb/ (the .debs, .changes, .buildinfo; the build log in
# build/deb/build.log).
#
# dpkg-buildpackage -us -uc -b runs in a copy of the files the packages
# are made of (build/deb/src/napt-VERSION/), so the checkout stays clean.
# Build dependencies: debian/control's Build-Depends (scripts/deps.sh
# installs them).
#
# DEB_REV=REV (e.g. HEAD): the sources as committed in REV (git archive)
# instead of the work tree's, with the work tree's packaging (dkms.conf,
# debian/, dist/): packages of a known state while others edit the tree.
set -euo pipefail

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TOPDIR"
OUT=$TOPDIR/build/deb
VERSION=$(dpkg-parsechangelog -l debian/changelog -S Version)
SRC=$OUT/src/napt-$VERSION
# what debian/rules uses
PATHS=(Kbuild dkms.conf kmod uapi tools/lib tools/natctl tools/igdd
	Documentation/natctl.8 Documentation/igdd.8 Documentation/igdd.conf.5
	dist debian)

rm -rf "$OUT/src"
rm -f "$OUT"/*.deb "$OUT"/*.changes "$OUT"/*.buildinfo
mkdir -p "$SRC"
PACKAGING=(dkms.conf debian dist)
if [[ -n ${DEB_REV:-} ]]; then
	in_rev=()
	for p in "${PATHS[@]}"; do
		case " ${PACKAGING[*]} " in *" $p "*) continue ;; esac
		git cat-file -e "$DEB_REV:$p" 2>/dev/null && in_rev+=("$p")
	done
	git archive "$DEB_REV" -- "${in_rev[@]}" | tar -xf - -C "$SRC"
	tar -cf - --exclude='*.o' "${PACKAGING[@]}" | tar -xf - -C "$SRC"
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked and new files of the work tree, without build products
	git ls-files -co --exclude-standard -- "${PATHS[@]}" |
		grep -Ev '\.(o|d|ko|log)$|^tools/igdd/fuzz/' |
		while read -r f; do [[ -f $f ]] && printf '%s\n' "$f"; done |
		tar -cf - -T - | tar -xf - -C "$SRC"
else
	tar -cf - --exclude='*.o' --exclude='*.d' --exclude=tools/igdd/fuzz \
		"${PATHS[@]}" | tar -xf - -C "$SRC"
fi

echo "  DEB     napt $VERSION${DEB_REV:+ (sources of $DEB_REV)} (log: build/deb/build.log)"
if ! (cd "$SRC" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	echo "mkdeb: dpkg-buildpackage failed (build/deb/build.log)" >&2
	exit 1
fi
mv "$OUT"/src/*.deb "$OUT"/src/*.changes "$OUT"/src/*.buildinfo "$OUT"/
ls -1 "$OUT"/*.deb
