#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench_files_guest.sh: the system-wide listing benchmark inside the VM
# (busybox sh); scripts in bench_files.sh start it. Times the listing
# against fincore (over the same files, through xargs) and vmtouch (over
# the tree) at 10,000 and 100,000 one-page cached files, and the listing
# alone before and after adding one 512 MiB cached file (many pages, one
# inode).
set -e
insmod /pcinspect/pcinspect.ko
B=/pcinspect/bench_files
M=${PCI_EXT4:-/mnt/ext4}
D=$M/tree
Q=/sys/kernel/debug/pcinspect/files-query
F=/sys/kernel/debug/pcinspect/files
echo "# kernel $(uname -r), $(nproc) CPUs under ${PCI_ACCEL:-tcg}, $(free -m | awk '/Mem:/ { print $2 }') MiB"

# measure N REPS: all tools over the tree of N files.
measure() {
	sync
	echo
	echo "## $1 one-page cached files in $D"
	grep -E '^(Cached|Buffers):' /proc/meminfo | tr -s ' ' | tr '\n' ' '
	echo
	$B listing "$2" $Q "fs=ext4"
	$B listing "$2" $F
	find $D -type f >/tmp/list
	$B time "$2" "fincore, xargs" "xargs fincore </tmp/list"
	$B time "$2" "vmtouch" "vmtouch $D"
}

t0=$(date +%s)
$B create $D 0 10000
echo "# created 10000 files in $(($(date +%s) - t0)) s"
measure 10000 ${BENCH_REPS:-5}

echo
echo "## pages do not cost: the 10000 files plus one 512 MiB cached file"
dd if=/dev/zero of=$M/big bs=1M count=512 2>/dev/null
sync
cat $M/big >/dev/null
$B listing ${BENCH_REPS:-5} $Q "fs=ext4"
rm $M/big

t0=$(date +%s)
$B create $D 10000 90000
echo
echo "# created 90000 more files in $(($(date +%s) - t0)) s"
measure 100000 ${BENCH_REPS_BIG:-3}
