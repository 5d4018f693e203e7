#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh [KERNEL [SECONDS]]: the full-length stress run (make stress).
# Boots KERNEL (default 6.12; "debug" for the lockdep + KASAN kernel) and
# runs selftests/stress_test alone for SECONDS (default 600, the figure of
# the full run; the regular suite runs it for 60). zram is loaded in the
# guest, so this run swaps to zram where the regular suite swaps to a
# swapfile. Prints the test's TAP; exits with vm-run.sh's status.
#
# Environment: PCI_STRESS_READERS (readers per pcinspect file, default 2),
# PCI_STRESS_READ_LIMIT (seconds any one read may take, default 10),
# PCI_STRESS_SEED (repeat a run).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
secs=${2:-600}
[[ $secs =~ ^[0-9]+$ ]] || die "SECONDS: not a number: $secs"
if [ "$kernel" = debug ]; then
	env=$("$PCI_TOP/scripts/build-debug-kernel.sh")
else
	env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
fi
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
tools=$("$PCI_TOP/scripts/fetch-source.sh")
payload=$PCI_CACHE/payload/stress-$kernel
rm -rf "$payload"
mkdir -p "$payload/selftests"
cp "$ko" "$payload/"
make -s -C "$PCI_TOP/selftests" OUT="$payload/selftests" \
	KSFT_DIR="$tools/tools/testing/selftests" >&2
echo stress_test >"$payload/selftests/TESTS"

envs=(--env "PCI_STRESS_SECONDS=$secs"
	--env "PCI_TEST_TIMEOUT=$((secs + 600))")
for v in PCI_STRESS_READERS PCI_STRESS_READ_LIMIT PCI_STRESS_SEED; do
	[ -n "${!v:-}" ] && envs+=(--env "$v=${!v}")
done
log "stress on $kernel for $secs s"
exec "$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --modules zram \
	--bins "dmsetup mkfs.ext4" --timeout $((secs + 1500)) "${envs[@]}" "$env"
