#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [KERNEL]: the per-file benchmark (make bench). Boots KERNEL
# (default 6.12: it has cachestat) with 2.5 GiB and times pcinspect against
# cachestat(2), mincore, fincore and vmtouch on a fully cached 512 MiB file,
# a 16 GiB sparse file and a 64 KiB file, all in the same VM run. Prints
# the table and keeps it in bench/results/perfile-KERNEL.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
payload=$PCI_CACHE/payload/bench-$kernel
rm -rf "$payload"
mkdir -p "$payload" "$PCI_TOP/bench/results"
cp "$ko" "$PCI_TOP/bench/bench-guest.sh" "$payload/"
gcc -O2 -Wall -Werror -static -o "$payload/bench_perfile" \
	"$PCI_TOP/bench/bench_perfile.c"
out=$PCI_TOP/bench/results/perfile-$kernel.txt
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --mem 2560 --disk-mb 2048 \
	--bins "fincore vmtouch" --timeout 1800 \
	--run "sh /pcinspect/bench-guest.sh" "$env" | tee "$out.tmp"
mv "$out.tmp" "$out"
log "results in ${out#"$PCI_TOP"/}"
