#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-guest-root.sh ARCH: a Debian 12 file tree of another architecture
# (arm64), unpacked but never run, and print its path. The guests of that
# architecture take their programs from it (busybox, dmsetup, mkfs.ext4,
# chattr and the libraries they need: vm-run.sh). amd64 guests use the
# host's own programs instead.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

arch=${1:?usage: fetch-guest-root.sh ARCH}
case $arch in
arm64) ;;
*) die "fetch-guest-root.sh: no guest root for $arch (arm64 only)" ;;
esac
# What the guests and the cross build use; changing it makes a new root.
pkgs=busybox-static,dmsetup,e2fsprogs,libc6
root=$PCI_CACHE/guest-root/$arch-bookworm
pci_need_host_pkgs
mkdir -p "$PCI_CACHE/guest-root"
(
	flock 9
	if [ -f "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$pkgs" ]; then
		exit 0
	fi
	log "unpacking a Debian 12 $arch root for the guests (mmdebstrap, once)"
	rm -rf "$root" "$root.log"
	# extract: packages and their dependencies are unpacked, no
	# maintainer script runs, so no emulator is needed.
	mmdebstrap --variant=extract --architectures="$arch" \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="$pkgs" bookworm "$root" "deb $(pci_mirror) bookworm main" \
		>"$root.log" 2>&1 || die "mmdebstrap failed: $root.log"
	echo "$pkgs" >"$root/.complete"
) 9>"$root.lock"
echo "$root"
