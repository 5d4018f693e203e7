#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench_reader_guest.sh: the reader's benchmark inside the VM (busybox
# sh); bench_reader.sh starts it. Every figure is the median (and the
# minimum) of BENCH_REPS runs, wall clock, output to /dev/null; each tool
# prints what it prints by default: a line per file (cache, pages, size,
# name; vmtouch -v a residency bar), or a tree's totals only (vmtouch
# without -v, pcinspect file -R --summary).
set -e
insmod /pcinspect/pcinspect.ko
B=/pcinspect/bench_files
R=/pcinspect/pcinspect-reader
M=${PCI_EXT4:-/mnt/ext4}
D=$M/tree
N=${BENCH_REPS:-5}
echo "# kernel $(uname -r), $(nproc) CPUs under ${PCI_ACCEL:-tcg}, $(free -m | awk '/Mem:/ { print $2 }') MiB"

t0=$(date +%s)
$B create $D 0 10000
sync
echo "# created 10000 one-page files in $(($(date +%s) - t0)) s"
# without the module the reader takes cachestat; a module-less run is
# one with PCINSPECT_DEBUGFS pointing nowhere
NOMOD="env PCINSPECT_DEBUGFS=/nonexistent"

echo
echo "## 1,000 files named on one command line ($D/d000 .. d000/f0000999)"
ls $D/d000/* >/tmp/names1000
echo "# $(wc -l </tmp/names1000) names"
$B time $N "pcinspect file, module" "xargs $R file </tmp/names1000"
$B time $N "pcinspect file, cachestat" "$NOMOD xargs $R file </tmp/names1000"
$B time $N "fincore" "xargs fincore </tmp/names1000"
# xargs may split: say into how many runs each tool was started
echo "# xargs runs per figure: $(xargs sh -c 'echo x' sh </tmp/names1000 | wc -l)"

echo
echo "## a tree of 10,000 one-page cached files ($D)"
find $D -type f >/tmp/list
echo "# a line per file"
$B time $N "pcinspect file -R, module (listing)" "$R file -R $D"
$B time $N "pcinspect file -R, cachestat" "$NOMOD $R file -R $D"
$B time $N "fincore over the tree, xargs" "xargs fincore </tmp/list"
$B time $N "vmtouch -v over the tree" "vmtouch -v $D"
echo "# the tree's totals only"
$B time $N "pcinspect file -R -S, module (listing)" "$R file -R -S $D"
$B time $N "pcinspect file -R -S, cachestat" "$NOMOD $R file -R -S $D"
$B time $N "vmtouch over the tree" "vmtouch $D"
# the same numbers: the tree's cached pages as each counts them
echo "# pages: pcinspect $($R file -R -n -r -o PAGES $D | awk '{ s += $1 } END { print s }')," \
	"cachestat $($NOMOD $R file -R -n -r -o PAGES $D | awk '{ s += $1 } END { print s }')," \
	"fincore $(xargs fincore -n -r -o PAGES </tmp/list | awk '{ s += $1 } END { print s }')"
