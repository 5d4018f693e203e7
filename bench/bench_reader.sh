#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench_reader.sh [KERNEL]: the reader's benchmark (make bench-reader).
# Boots KERNEL (default 6.12: it has cachestat) with 2.5 GiB and, in the
# same VM run, times "pcinspect file" against fincore and vmtouch:
#   - 1,000 small cached files named on one command line: pcinspect with
#     the module (one query file for all) and without it (cachestat), and
#     fincore over the same names;
#   - a tree of 10,000 one-page cached files: pcinspect file -R with the
#     module (the listing: one walk of the cache) and without it (a walk
#     of the tree, cachestat per file), against fincore over the tree's
#     files (find | xargs: Debian 12's fincore has no -R, and -R does the
#     same per file) and vmtouch -v, a line per file each; then the tree's
#     totals alone: pcinspect file -R --summary against vmtouch.
# Prints the table and keeps it in bench/results/reader-KERNEL.txt.
# Environment: BENCH_REPS (runs per figure, default 5).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

kernel=${1:-6.12}
pci_need_host_pkgs
env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
gt=$("$PCI_TOP/scripts/build-guest-tools.sh" "$env")
payload=$PCI_CACHE/payload/bench-reader-$kernel
rm -rf "$payload"
mkdir -p "$payload" "$PCI_TOP/bench/results"
cp "$ko" "$PCI_TOP/bench/bench_reader_guest.sh" "$payload/"
cp "$gt/pcinspect" "$payload/pcinspect-reader"
gcc -O2 -Wall -Werror -static -o "$payload/bench_files" \
	"$PCI_TOP/bench/bench_files.c"
out=$PCI_TOP/bench/results/reader-$kernel.txt
envs=()
[ -z "${BENCH_REPS:-}" ] || envs+=(--env "BENCH_REPS=$BENCH_REPS")
"$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --mem 2560 --disk-mb 2048 \
	--bins "fincore vmtouch $gt/pcinspect" --timeout 3600 "${envs[@]}" \
	--run "sh /pcinspect/bench_reader_guest.sh" "$env" | tee "$out.tmp"
mv "$out.tmp" "$out"
log "results in ${out#"$PCI_TOP"/}"
