#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-shell.sh [KERNEL]: an interactive busybox shell in a guest running
# KERNEL (default 6.12) with pcinspect loaded, the selftests in
# /pcinspect/selftests, the reader as pcinspect and ext4/xfs/btrfs/tmpfs
# under /mnt; both built for the guest's architecture (arm64 kernels
# too). Leave with "poweroff -f" (or Ctrl-A x).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
gt=$("$PCI_TOP/scripts/build-guest-tools.sh" "$env")
payload=$PCI_CACHE/payload/shell-$kernel
rm -rf "$payload"
mkdir -p "$payload/selftests"
cp "$ko" "$payload/"
cp -a "$gt/selftests/." "$payload/selftests/"
exec "$PCI_TOP/scripts/vm-run.sh" --shell --payload "$payload" \
	--bins "dmsetup mkfs.ext4 chattr $gt/pcinspect" "$env"
