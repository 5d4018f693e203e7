#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench_churn.sh [KERNEL] [MIB]: the LRU walk under reclaim churn (make
# bench-churn). Boots KERNEL (default 6.12) with 2.5 GiB and runs
# lru_test's big_lists_under_reclaim case with a MIB-sized file (default
# 1024) read in a loop by a memcg limited to three quarters of it, so that
# reclaim isolates, rotates and frees folios on the walked lists all the
# time; 20 walks of lru and lru-files each with MGLRU on, then off. The
# case fails if a walk is incomplete or counts a list twice; its log line
# gives restarts, displaced, incomplete and the mean walk time. Prints the
# TAP and keeps it in bench/results/churn-KERNEL.txt.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

kernel=${1:-6.12}
mb=${2:-1024}
[[ $mb =~ ^[0-9]+$ ]] && [ "$mb" -ge 16 ] && [ "$mb" -le 1536 ] ||
	die "MIB: a size from 16 to 1536 (the guest has 2.5 GiB)"
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
gt=$("$PCI_TOP/scripts/build-guest-tools.sh" "$env")
payload=$PCI_CACHE/payload/bench-churn-$kernel
rm -rf "$payload"
mkdir -p "$payload/selftests" "$PCI_TOP/bench/results"
cp "$ko" "$payload/"
cp "$gt/selftests/lru_test" "$payload/selftests/"
out=$PCI_TOP/bench/results/churn-$kernel.txt
# The file must fit on the ext4 disk twice over.
disk=$((mb * 2 + 256))
[ "$disk" -ge 1024 ] || disk=1024
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --mem 2560 --disk-mb "$disk" \
	--timeout 3600 --env "PCI_LRU_RECLAIM_MB=$mb" \
	--env PCI_LRU_RECLAIM_WALKS=40 \
	--run 'for m in 1 0; do echo "# MGLRU $m"; PCI_LRU_RECLAIM_MGLRU=$m ./selftests/lru_test -t big_lists_under_reclaim || exit 1; done' \
	"$env" | tee "$out.tmp"
mv "$out.tmp" "$out"
log "results in ${out#"$PCI_TOP"/}"
