#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench_files.sh [KERNEL]: the system-wide listing benchmark. Boots KERNEL
# (default 6.12) with 2.5 GiB and a 3 GiB ext4 disk (enough inodes for
# 100,000 files), creates 10,000 then 100,000 one-page cached files in a
# tree and times cat files / files-query against fincore over the same
# files and vmtouch over the tree, all in the same VM run. Prints the
# table and keeps it in bench/results/files-KERNEL.txt.
# Environment: BENCH_REPS (runs per figure at 10k, default 5),
# BENCH_REPS_BIG (at 100k, default 3).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

kernel=${1:-6.12}
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
payload=$PCI_CACHE/payload/bench-files-$kernel
rm -rf "$payload"
mkdir -p "$payload" "$PCI_TOP/bench/results"
cp "$ko" "$PCI_TOP/bench/bench_files_guest.sh" "$payload/"
gcc -O2 -Wall -Werror -static -o "$payload/bench_files" \
	"$PCI_TOP/bench/bench_files.c"
out=$PCI_TOP/bench/results/files-$kernel.txt
envs=()
for v in BENCH_REPS BENCH_REPS_BIG; do
	[ -z "${!v:-}" ] || envs+=(--env "$v=${!v}")
done
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --mem 2560 --disk-mb 3072 \
	--bins "fincore vmtouch" --timeout 3600 "${envs[@]}" \
	--run "sh /pcinspect/bench_files_guest.sh" "$env" | tee "$out.tmp"
mv "$out.tmp" "$out"
log "results in ${out#"$PCI_TOP"/}"
