#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [KERNEL]: the main job for a first look. Installs the host
# packages (scripts/lib.sh, pci_need_host_pkgs), fetches a Debian kernel
# (default 6.12), builds pcinspect and its reader for it, boots it in QEMU
# and shows the module at work on a small workload: the reader's tables
# (pcinspect file, top, lru --summary) beside the raw debugfs files they
# come from. Everything it needs is installed or fetched into
# ~/.cache/pcinspect on first use. Exits with the guest's status.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
log "building the reader (userspace/out/pcinspect)"
make -s -C "$PCI_TOP/userspace" >&2
reader=$PCI_TOP/userspace/out/pcinspect
payload=$PCI_CACHE/payload/demo-$kernel
rm -rf "$payload"
mkdir -p "$payload"
cp "$ko" "$PCI_TOP/scripts/demo-guest.sh" "$payload/"
log "booting $kernel in QEMU (software emulation: about a minute)"
# --bins: the reader as /usr/bin/pcinspect, with its shared libraries.
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --timeout 600 \
	--bins "$reader" --run "sh /pcinspect/demo-guest.sh" "$env"
