#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [KERNEL]: the main job for a first look. Fetches a Debian kernel
# (default 6.12), builds pcinspect for it, boots it in QEMU and shows the
# module at work on a small workload. Everything it needs is installed or
# fetched into ~/.cache/pcinspect on first use.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
pci_need_pkgs make gcc libc6-dev rsync kmod cpio zstd xz-utils dpkg-dev \
	qemu-system-x86 busybox-static e2fsprogs xfsprogs btrfs-progs mmdebstrap
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
payload=$PCI_CACHE/payload/demo-$kernel
rm -rf "$payload"
mkdir -p "$payload"
cp "$ko" "$PCI_TOP/scripts/demo-guest.sh" "$payload/"
log "booting $kernel in QEMU (software emulation: about a minute)"
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --timeout 600 \
	--run "sh /pcinspect/demo-guest.sh" "$env"
