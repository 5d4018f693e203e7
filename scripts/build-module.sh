#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KERNEL [make args...]: build pcinspect.ko for one kernel
# of the matrix (see fetch-kernel.sh) with -Werror, in a private copy of the
# tree so that kernels never share generated files. Prints the .ko path;
# the walk's unit tests, pcinspect_walk_test.ko, are built beside it.
# Kernels that need a newer toolchain are built inside their sid chroot.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:?usage: build-module.sh KERNEL}
shift
if [ -f "$kernel" ]; then
	env=$kernel
else
	env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
fi
# shellcheck source=/dev/null
source "$env"

sync_tree() {
	mkdir -p "$1"
	rsync -a --delete --exclude .git --exclude generated \
		--exclude '*.o' --exclude '*.ko' --exclude '*.cmd' \
		--exclude '*.mod*' --exclude selftests/out --exclude userspace/out \
		"$PCI_TOP/" "$1/"
}

log "building pcinspect for $KNAME ($KVER)"
if [ -n "$BUILD_CHROOT" ]; then
	# One build directory per source tree (checkouts side by side build
	# at once), and one build at a time per chroot: /proc is mounted
	# there for objtool and unmounted after.
	dst=/build/pcinspect-$(printf '%s' "$PCI_TOP" | md5sum | cut -c1-8)
	status=0
	{
		flock 9
		sync_tree "$BUILD_CHROOT$dst"
		mountpoint -q "$BUILD_CHROOT/proc" || mount -t proc proc "$BUILD_CHROOT/proc"
		chroot "$BUILD_CHROOT" make -C "$dst" KDIR="$KDIR" $MAKE_ARGS \
			KCFLAGS=-Werror PCINSPECT_WALK_TEST=m "$@" modules \
			>"$BUILD_CHROOT$dst.log" 2>&1 || status=$?
		umount "$BUILD_CHROOT/proc" || true
	} 9>"$BUILD_CHROOT.build-lock"
	out=$BUILD_CHROOT$dst
	logf=$BUILD_CHROOT$dst.log
else
	out=$PCI_CACHE/build/$KNAME
	sync_tree "$out"
	logf=$PCI_CACHE/build/$KNAME.log
	status=0
	make -C "$out" KDIR="$KDIR" $MAKE_ARGS KCFLAGS=-Werror \
		PCINSPECT_WALK_TEST=m "$@" modules \
		>"$logf" 2>&1 || status=$?
fi
if [ $status -ne 0 ] || [ ! -f "$out/pcinspect.ko" ] ||
   [ ! -f "$out/pcinspect_walk_test.ko" ]; then
	cat "$logf" >&2
	exit 1
fi
# Warnings fail the build even where -Werror did not reach (modpost).
if grep -E 'warning:|WARNING:' "$logf" >&2; then
	echo "build for $KNAME printed warnings" >&2
	exit 1
fi
echo "$out/pcinspect.ko"
