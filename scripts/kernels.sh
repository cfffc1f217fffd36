#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the versions of every installed kernel that has headers to build
# against and an image to boot, oldest first.
for d in /lib/modules/*/build; do
	[ -e "$d/Makefile" ] || continue
	k=${d#/lib/modules/}
	k=${k%/build}
	echo "$k"
done | sort -V
