#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench_lru_guest.sh: the LRU walk benchmark inside the VM (busybox sh).
# Grows the page cache to 256 MiB and then 1 GiB of one file and times the
# lru and lru-files walks against /proc/zoneinfo, MGLRU off and on.
set -e
insmod /pcinspect/pcinspect.ko
D=${PCI_EXT4:-/mnt/ext4}
P=/sys/kernel/debug/pcinspect
KNOB=/sys/kernel/mm/lru_gen/enabled
echo "# kernel $(uname -r), $(nproc) CPUs under ${PCI_ACCEL:-tcg}, $(grep MemTotal /proc/meminfo)"
for mb in 0 256 1024; do
	if [ "$mb" -gt 0 ]; then
		dd if=/dev/zero of=$D/cache bs=1M count=$mb 2>/dev/null
		sync
		echo 3 >/proc/sys/vm/drop_caches
		cat $D/cache >/dev/null
	fi
	for mglru in n y; do
		[ -w $KNOB ] || [ $mglru = n ] || continue
		[ -w $KNOB ] && echo $mglru >$KNOB
		echo
		echo "## file cache $mb MiB, MGLRU $mglru: $(grep -E '^(Active|Inactive)\(file\)' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
		/pcinspect/bench_lru -r ${BENCH_REPS:-9} $P/lru $P/lru-files /proc/zoneinfo
	done
	rm -f $D/cache
done
