#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench_lru.sh [KERNEL]: the LRU walk benchmark (make bench-lru). Boots
# KERNEL (default 6.12) with 2.5 GiB, fills the page cache with 256 MiB and
# then 1 GiB, and times reading lru and lru-files (a full walk each) and
# /proc/zoneinfo, MGLRU off and on, reporting the longest irq-off hold of
# the lru_lock. Prints the table and keeps it in
# bench/results/lru-KERNEL.txt.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

kernel=${1:-6.12}
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
payload=$PCI_CACHE/payload/bench-lru-$kernel
rm -rf "$payload"
mkdir -p "$payload" "$PCI_TOP/bench/results"
cp "$ko" "$PCI_TOP/bench/bench_lru_guest.sh" "$payload/"
gcc -O2 -Wall -Werror -static -o "$payload/bench_lru" \
	"$PCI_TOP/bench/bench_lru.c"
out=$PCI_TOP/bench/results/lru-$kernel.txt
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --mem 2560 --disk-mb 2048 \
	--timeout 1800 --run "sh /pcinspect/bench_lru_guest.sh" "$env" |
	tee "$out.tmp"
mv "$out.tmp" "$out"
log "results in ${out#"$PCI_TOP"/}"
