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
truncate -s 16G $D/sparse-16G
for off in 0 8192 16383; do
	dd if=/dev/zero of=$D/sparse-16G bs=1M count=1 seek=$off conv=notrunc 2>/dev/null
done
sync
dd if=/dev/zero of=$D/small-64K bs=64K count=1 2>/dev/null
sync
/pcinspect/bench_perfile -r ${BENCH_REPS:-9} $D/full-512M $D/sparse-16G $D/small-64K
