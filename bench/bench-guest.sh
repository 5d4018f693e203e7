#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench-guest.sh: the per-file benchmark inside the VM (busybox sh).
set -e
insmod /pcinspect/pcinspect.ko
D=${PCI_EXT4:-/mnt/ext4}
echo "# kernel $(uname -r), $(nproc) CPUs under ${PCI_ACCEL:-tcg}"
dd if=/dev/zero of=$D/full-512M bs=1M count=512 2>/dev/null
sync
cat $D/full-512M >/dev/null
truncate -s 64G $D/sparse-64G
for off in 0 16384 32767; do
	dd if=/dev/zero of=$D/sparse-64G bs=1M count=1 seek=$off conv=notrunc 2>/dev/null
done
sync
dd if=/dev/zero of=$D/small-64K bs=64K count=1 2>/dev/null
sync
/pcinspect/bench_perfile -r ${BENCH_REPS:-11} $D/full-512M $D/sparse-64G $D/small-64K
