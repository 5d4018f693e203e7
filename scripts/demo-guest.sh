#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# demo-guest.sh: what "make demo" shows inside the VM (busybox sh). Each
# step shows the reader's table (pcinspect, copied in with --bins) first,
# then the raw debugfs file it is made from, on two small files.
set -e
D=/sys/kernel/debug/pcinspect
F=${PCI_EXT4:-/mnt/ext4}/demo.dat
T=${PCI_TMPFS:-/mnt/tmpfs}/demo.tmp

step() { printf '\n### %s\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
}

step "insmod pcinspect.ko"
insmod /pcinspect/pcinspect.ko
run cat $D/version

step "the workload: two small files"
echo "$F: 4 MiB written and synced, dropped from the cache, then"
echo "  1 MiB read at offset 1 MiB and 64 KiB rewritten at offset 3 MiB"
dd if=/dev/urandom of=$F bs=1M count=4 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches
dd if=$F of=/dev/null bs=1M skip=1 count=1 2>/dev/null
dd if=/dev/zero of=$F bs=64K seek=48 count=1 conv=notrunc 2>/dev/null
echo "$T: 512 KiB written on tmpfs"
dd if=/dev/zero of=$T bs=64K count=8 2>/dev/null

step "one file: the reader's table, then the raw report"
run pcinspect file $F $T
run pcinspect file -o PATH,PAGES,NODES,ORDERS,MGLRU $F
echo "\$ echo $F > $D/select; cat $D/report"
echo "$F" >$D/select
cat $D/report

step "the page map: the reader's table, then the raw map (query file)"
run pcinspect file --map $F
echo "\$ exec 3<>$D/query; echo 'map $F' >&3; cat <&3"
exec 3<>$D/query
echo "map $F" >&3
sed -n '/^map:/,$p' <&3
exec 3>&-

step "every cached inode: the reader's top 20, then the raw files listing"
run pcinspect top
echo "\$ cat $D/files   (the demo files' lines, the totals of their filesystems, the walk)"
# "dev ino" of a file as the listing writes it: st_dev as major:minor.
devino() {
	d=$(stat -c %d "$1")
	echo "$(((d >> 8) & 0xfff)):$(((d & 0xff) | ((d >> 12) & 0xfff00))) $(stat -c %i "$1")"
}
fl=$(devino $F)
tl=$(devino $T)
grep -E "^# pcinspect|^ext4 ($fl) |^tmpfs ($tl) |^# total fs=ext4 dev=${fl% *} |^# total fs=tmpfs dev=${tl% *} |^# walk " \
	$D/files || true

step "the LRU lists: the reader's table with the walk, then the raw lru file"
run pcinspect lru --summary
echo "\$ cat $D/lru   (zone records and the walk footer)"
grep '^zone ' $D/lru
grep '^# walk' $D/lru

step "the files with most pages on the LRU lists, then the raw lru-files"
run pcinspect lru --files --top 5
echo "\$ head -6 $D/lru-files"
head -6 $D/lru-files
